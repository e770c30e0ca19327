/* test_reccache.c - the record cache kept beside the output folder: a
 * record that did not change is taken from it with the same model and
 * messages as a read; a record whose file changed, a cache of another
 * site.yml or networks, and a truncated, corrupted, linked or foreign
 * cache file are read afresh, never trusted, never read out of bounds. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "load/reccache.h"
#include "load/reccodec.h"
#include "sitefix.h"
#include "util/buf.h"

/* The site: site.yml, its one network, and each record's front matter
 * (with a warning, an unknown key, and an offer, so that what is taken
 * from the cache can be compared with what a read gives) before its
 * name and body. */
static const char *const site_files[] = {
	"site.yml", "title: Test\nbase_url: https://example.org/\n",
	"content/networks/global.md", "---\nname: Global Network\nkind: global\n---\n",
	NULL};
static const char record_head[] =
	"---\ncountry: UG\ncity: Kampala\nlocation: [0.33, 32.57]\n"
	"networks: [global]\nexchanges: [undergraduate]\n"
	"website: https://example.org/\nelectives:\n  - type: clinical\n"
	"    months: [Jan, 3]\n    fee: {amount: 250, currency: EUR}\n"
	"    contact: {name: Dr A, email: a@example.org}\ncolour: blue\n";

/* Write the record rel called name. */
static void put_record(site_fixture *f, const char *rel, const char *name)
{
	char *text = xasprintf("%sname: %s\n---\nBody of *%s*.\n", record_head,
			       name, name);
	site_put(f, rel, text);
	free(text);
}

typedef struct loaded {
	size_t replayed, parsed, ninst;
	int damaged;     /* rcache_damaged */
	buf_t model;     /* every institution's fields, as text */
	buf_t messages;
} loaded;

static void loaded_free(loaded *l)
{
	buf_free(&l->model);
	buf_free(&l->messages);
}

/* What of the model a page could show, as text. */
static void describe(const site *s, buf_t *b)
{
	for (size_t i = 0; i < s->ninst; i++) {
		const institution *in = &s->inst[i];
		buf_printf(b, "%s|%s|%s|%s|%s|%g,%g|%s|%zu|%s|%d:%d|%02x%02x\n",
			   in->slug, in->path, in->name, in->country, in->city,
			   in->lat, in->lon, in->body_html, in->noffers,
			   in->website ? in->website : "-", in->pos.line,
			   in->pos.col, in->digest_file[0], in->digest_head[31]);
		for (size_t k = 0; k < in->noffers; k++) {
			const offer *o = &in->offers[k];
			buf_printf(b, " %s %x %g %s %s %d:%d %s\n", o->type,
				   o->months, o->fee.amount, o->fee.currency,
				   o->contact.email, o->pos.line, o->pos.col,
				   o->pos.path == in->path ? "own" : "other");
		}
	}
}

/* The threads a test's loads use: 1, where the cache replays each file
 * as the load meets it, or 2, where its prefetch looks at the files and
 * decodes their entries first, on both threads (load.h). Every test runs
 * with each, and must see the same. */
static int load_threads = 1;

/* Load f's site through the cache file beside f->dir/output (fresh: as
 * --clean), save it, and say what happened into *out. */
/* Load f's site into s and d through the cache file beside
 * f->dir/output (fresh: as --clean): the cache, to save and free. */
static rcache *load_through(site_fixture *f, int fresh, site *s, diags_t *d)
{
	char *path = fs_join(f->dir, ".output" RCACHE_SUFFIX);
	rcache_inputs in = {.path = path, .site_dir = f->dir,
			    .version = "test", .fresh = fresh};
	rcache *c = rcache_open(&in);
	free(path);
	load_cache hooks;
	rcache_hooks(c, &hooks);
	site_init(s);
	site_load_jobs(s, f->dir, &hooks, load_threads, d);
	return c;
}

static void load(site_fixture *f, int fresh, loaded *out)
{
	site s;
	diags_t d = DIAGS_INIT;
	rcache *c = load_through(f, fresh, &s, &d);
	rcache_loaded(c, &s); /* as a build does */
	assert_int_equal(rcache_old_held(c), 0);
	memset(out, 0, sizeof *out);
	out->replayed = rcache_replayed(c);
	out->parsed = rcache_parsed(c);
	out->damaged = rcache_damaged(c);
	out->ninst = s.ninst;
	describe(&s, &out->model);
	for (size_t i = 0; i < d.n; i++)
		buf_printf(&out->messages, "%s:%d:%d: %d %s\n", d.v[i].path,
			   d.v[i].line, d.v[i].col, (int)d.v[i].level,
			   d.v[i].msg);
	rcache_save(c);
	rcache_free(c);
	site_free(&s);
	diags_free(&d);
}

static int setup(void **state);

/* setup, the loads on two threads. */
static int setup_two(void **state)
{
	int rc = setup(state);
	load_threads = 2;
	return rc;
}

static int setup(void **state)
{
	load_threads = 1;
	if (site_fixture_setup(state, "reccache", site_files) < 0)
		return -1;
	site_fixture *f = *state;
	put_record(f, "content/institutions/alpha.md", "Alpha");
	put_record(f, "content/institutions/beta.md", "Beta");
	site_put(f, "content/institutions/draft.md",
		 "---\nname: Draft\ndraft: true\n---\n");
	return 0;
}

static void assert_same(const loaded *a, const loaded *b)
{
	assert_int_equal(a->ninst, b->ninst);
	assert_string_equal(buf_cstr((buf_t *)&a->model),
			    buf_cstr((buf_t *)&b->model));
	assert_string_equal(buf_cstr((buf_t *)&a->messages),
			    buf_cstr((buf_t *)&b->messages));
}

static char *cache_path(const site_fixture *f)
{
	return fs_join(f->dir, ".output" RCACHE_SUFFIX);
}

/* A second load takes every record file from the cache, and gives the
 * model and messages a read gives. */
static void test_replayed_same(void **state)
{
	site_fixture *f = *state;
	loaded a, b;
	load(f, 1, &a);
	assert_int_equal(a.parsed, 3);
	assert_int_equal(a.replayed, 0);
	assert_int_equal(a.ninst, 2);
	assert_non_null(strstr(buf_cstr(&a.messages), "colour"));
	load(f, 0, &b);
	assert_int_equal(b.parsed, 0);
	assert_int_equal(b.replayed, 3);
	assert_same(&a, &b);
	loaded_free(&a);
	loaded_free(&b);
}

/* An edited record is read again, the others still come from the cache;
 * a touch (a new modification time) reads it again too. */
static void test_edited_read_again(void **state)
{
	site_fixture *f = *state;
	loaded a, b;
	load(f, 1, &a);
	loaded_free(&a);
	put_record(f, "content/institutions/beta.md", "Gamma");
	load(f, 0, &b);
	assert_int_equal(b.parsed, 1);
	assert_int_equal(b.replayed, 2);
	assert_non_null(strstr(buf_cstr(&b.model), "Body of <em>Gamma</em>"));
	loaded_free(&b);
	char *p = fs_join(f->dir, "content/institutions/alpha.md");
	struct timespec later[2] = {{0, UTIME_NOW}, {12345, 0}};
	assert_int_equal(utimensat(AT_FDCWD, p, later, 0), 0);
	free(p);
	load(f, 0, &b);
	assert_int_equal(b.parsed, 1);
	assert_int_equal(b.replayed, 2);
	loaded_free(&b);
}

/* The entries of the records that did not change are copied into the
 * next cache file a run at a time (those one after the other in the old
 * file): with one record edited between two runs of others, and then
 * with the first and the last edited, the file saved still gives every
 * record back, as a read gives it. */
static void test_kept_in_runs(void **state)
{
	site_fixture *f = *state;
	static const char *const more[] = {"c1", "c2", "c3", "c4", "c5", "c6"};
	for (size_t k = 0; k < 6; k++) {
		char *rel = xasprintf("content/institutions/%s.md", more[k]);
		put_record(f, rel, more[k]);
		free(rel);
	}
	loaded a, b, c;
	load(f, 1, &a);
	assert_int_equal(a.parsed, 9);
	loaded_free(&a);
	static const char *const edits[][2] = {
		{"content/institutions/c3.md", "Middle"},
		{"content/institutions/alpha.md", "First"},
		{"content/institutions/c6.md", "Last"}};
	for (size_t e = 0; e < 3; e++) {
		put_record(f, edits[e][0], edits[e][1]);
		load(f, 0, &a);
		assert_int_equal(a.parsed, 1);
		assert_int_equal(a.replayed, 8);
		/* the file just saved: every record from it */
		load(f, 0, &b);
		assert_int_equal(b.parsed, 0);
		assert_int_equal(b.replayed, 9);
		load(f, 1, &c);
		assert_same(&b, &c);
		assert_same(&a, &c);
		loaded_free(&a);
		loaded_free(&b);
		loaded_free(&c);
	}
}

/* A change of site.yml or of the networks reads every record again. */
static void test_inputs_key(void **state)
{
	site_fixture *f = *state;
	loaded a;
	load(f, 1, &a);
	loaded_free(&a);
	site_put(f, "site.yml", "title: Test\nbase_url: https://example.org/\n# x\n");
	load(f, 0, &a);
	assert_int_equal(a.parsed, 3);
	loaded_free(&a);
	site_put(f, "content/networks/global.md",
		 "---\nname: World Network\nkind: global\n---\n");
	load(f, 0, &a);
	assert_int_equal(a.parsed, 3);
	loaded_free(&a);
	load(f, 0, &a);
	assert_int_equal(a.replayed, 3);
	loaded_free(&a);
}

/* The cache file, damaged in one of many ways, is ignored: every record
 * is read, with the model and messages of a read; the damage is told
 * (rcache_damaged) unless told is 0 (a cache of another version). */
static void damaged(site_fixture *f, void (*harm)(buf_t *b, size_t i),
		    size_t cases, int told)
{
	loaded clean;
	load(f, 1, &clean);
	char *path = cache_path(f);
	buf_t good = BUF_INIT;
	assert_int_equal(fs_read(path, &good), 0);
	for (size_t i = 0; i < cases; i++) {
		buf_t b = BUF_INIT;
		buf_put(&b, good.ptr, good.len);
		harm(&b, i);
		assert_int_equal(fs_write(path, b.ptr, b.len), 0);
		loaded l;
		load(f, 0, &l);
		assert_int_equal(l.replayed, 0);
		assert_int_equal(l.damaged, told);
		assert_same(&clean, &l);
		loaded_free(&l);
		buf_free(&b);
	}
	buf_free(&good);
	free(path);
	loaded_free(&clean);
}

static void cut(buf_t *b, size_t i)
{
	b->len = i * b->len / 64;
}

static void flip(buf_t *b, size_t i)
{
	b->ptr[i * b->len / 64] ^= 0x40;
}

static void test_truncated(void **state)
{
	damaged(*state, cut, 64, 1);
}

static void test_corrupted(void **state)
{
	damaged(*state, flip, 64, 1);
}

/* The file's own version in its magic: another is foreign, and not
 * damage; a version line made another way (a letter for its digit, a
 * space for its '\n', a byte of its name flipped) is damage. */
static void other_version(buf_t *b, size_t i)
{
	(void)i;
	b->ptr[strlen(RC_MAGIC) - 2] = '2';
}

static void version_line_harmed(buf_t *b, size_t i)
{
	size_t at[] = {strlen(RC_MAGIC) - 2, strlen(RC_MAGIC) - 1, 3};
	const char to[] = {'x', ' ', 'T'};
	b->ptr[at[i]] = to[i];
}

static void test_foreign(void **state)
{
	damaged(*state, other_version, 1, 0);
	damaged(*state, version_line_harmed, 3, 1);
}

/* rcache_mtime gives each record file's modification time as the load
 * met it, first load (read) and second (taken from the cache) alike, and
 * nothing for a file the load did not ask for. */
static void test_mtime(void **state)
{
	site_fixture *f = *state;
	char *alpha = fs_join(f->dir, "content/institutions/alpha.md");
	struct timespec when[2] = {{1600000000, 0}, {1600000000, 0}};
	assert_int_equal(utimensat(AT_FDCWD, alpha, when, 0), 0);
	for (int round = 0; round < 2; round++) {
		site s;
		diags_t d = DIAGS_INIT;
		rcache *c = load_through(f, 0, &s, &d);
		assert_int_equal(rcache_replayed(c), round ? 3 : 0);
		long long sec = 0;
		assert_int_equal(rcache_mtime(c, "content/institutions/alpha.md",
					      &sec), 0);
		assert_int_equal(sec, 1600000000);
		struct stat sb;
		assert_int_equal(stat(alpha, &sb), 0);
		char *beta = fs_join(f->dir, "content/institutions/beta.md");
		assert_int_equal(stat(beta, &sb), 0);
		assert_int_equal(rcache_mtime(c, "content/institutions/beta.md",
					      &sec), 0);
		assert_int_equal(sec, (long long)sb.st_mtime);
		free(beta);
		assert_int_equal(rcache_mtime(c, "content/institutions/gamma.md",
					      &sec), -1);
		assert_int_equal(rcache_mtime(c, "site.yml", &sec), -1);
		rcache_save(c);
		rcache_free(c);
		site_free(&s);
		diags_free(&d);
	}
	free(alpha);
}

/* Whether the folder dir gives unnamed files (O_TMPFILE). */
static int has_tmpfile(const char *dir)
{
#ifdef O_TMPFILE
	int fd = open(dir, O_TMPFILE | O_RDWR, 0600);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
#else
	(void)dir;
	return 0;
#endif
}

/* Records parsed by a load wait for rcache_save outside memory where the
 * cache's folder gives unnamed files, and the file saved from them gives
 * the same model and messages as reading: the next load takes all three
 * from it, and a third, after an edit, reads only the edited one. */
static void test_spilled(void **state)
{
	site_fixture *f = *state;
	site s;
	diags_t d = DIAGS_INIT;
	rcache *c = load_through(f, 0, &s, &d);
	assert_int_equal(rcache_parsed(c), 3);
	if (has_tmpfile(f->dir))
		assert_int_equal(rcache_held(c), 0);
	else
		assert_true(rcache_held(c) > 0);
	rcache_save(c);
	rcache_free(c);
	site_free(&s);
	diags_free(&d);
	loaded read_again, replayed;
	load(f, 1, &read_again); /* --clean: read, saved */
	load(f, 0, &replayed);
	assert_int_equal(replayed.replayed, 3);
	assert_int_equal(replayed.parsed, 0);
	assert_string_equal(replayed.model.ptr, read_again.model.ptr);
	assert_string_equal(replayed.messages.ptr ? replayed.messages.ptr : "",
			    read_again.messages.ptr ? read_again.messages.ptr : "");
	loaded_free(&replayed);
	put_record(f, "content/institutions/beta.md", "Beta Two");
	load(f, 0, &replayed);
	assert_int_equal(replayed.replayed, 2);
	assert_int_equal(replayed.parsed, 1);
	loaded_free(&replayed);
	loaded_free(&read_again);
}

/* Once the load is done the old file's bytes are let go, and the save
 * copies the entries it keeps from the file still open: removed from its
 * folder meanwhile, the next file still has them all; cut short
 * meanwhile, no cache is left (the next load reads every record), never
 * one with the wrong bytes. */
static void test_old_let_go_after_load(void **state)
{
	site_fixture *f = *state;
	char *path = cache_path(f);
	for (int harm = 0; harm < 2; harm++) {
		loaded a;
		load(f, 1, &a);
		loaded_free(&a);
		put_record(f, "content/institutions/beta.md",
			   harm ? "Beta Cut" : "Beta Gone");
		site s;
		diags_t d = DIAGS_INIT;
		rcache *c = load_through(f, 0, &s, &d);
		assert_int_equal(rcache_replayed(c), 2);
		/* one thread replays through the shared reader; two read each
		 * entry on its own, in prefetch, and hold nothing after */
		if (load_threads == 1)
			assert_true(rcache_old_held(c) > 0);
		else
			assert_int_equal(rcache_old_held(c), 0);
		rcache_loaded(c, &s);
		assert_int_equal(rcache_old_held(c), 0);
		if (harm)
			assert_int_equal(truncate(path, 40), 0);
		else
			assert_int_equal(unlink(path), 0);
		rcache_save(c);
		rcache_free(c);
		site_free(&s);
		diags_free(&d);
		assert_int_equal(fs_exists(path), !harm);
		load(f, 0, &a);
		assert_int_equal(a.replayed, harm ? 0 : 3);
		assert_int_equal(a.parsed, harm ? 3 : 0);
		assert_non_null(strstr(buf_cstr(&a.model), harm ?
				       "Body of <em>Beta Cut</em>" :
				       "Body of <em>Beta Gone</em>"));
		assert_non_null(strstr(buf_cstr(&a.model), "Body of <em>Alpha</em>"));
		loaded_free(&a);
	}
	free(path);
}

/* An entry whose slug is not its file's name (forged, with the file's
 * true stat and a right CRC) is not taken: its file is read again, and
 * the model's slug is the file's. A slug "../x" would write outside the
 * output folder. */
static void test_forged_slug(void **state)
{
	site_fixture *f = *state;
	loaded l;
	load(f, 1, &l);
	loaded_free(&l);
	char *path = cache_path(f);
	buf_t b = BUF_INIT;
	assert_int_equal(fs_read(path, &b), 0);
	static const char slug[] = "\x05\0\0\0alpha", evil[] = "\x05\0\0\0../xx";
	char *at = memmem(b.ptr, b.len, slug, sizeof slug - 1);
	assert_non_null(at);
	memcpy(at, evil, sizeof evil - 1);
	uLong crc = crc32(0L, (const unsigned char *)b.ptr, (uInt)(b.len - 4));
	for (int k = 0; k < 4; k++)
		b.ptr[b.len - 4 + (size_t)k] = (char)(crc >> (8 * k));
	assert_int_equal(fs_write(path, b.ptr, b.len), 0);
	buf_free(&b);
	free(path);
	load(f, 0, &l);
	assert_int_equal(l.replayed, 2);
	assert_int_equal(l.parsed, 1);
	assert_non_null(strstr(l.model.ptr, "alpha|content/institutions/alpha.md|Alpha|"));
	assert_null(strstr(l.model.ptr, "../xx"));
	loaded_free(&l);
}

/* A link in the cache's place is neither read nor written through. */
static void test_link(void **state)
{
	site_fixture *f = *state;
	loaded l;
	load(f, 1, &l);
	loaded_free(&l);
	char *path = cache_path(f);
	char *real = fs_join(f->dir, "real-cache");
	assert_int_equal(rename(path, real), 0);
	assert_int_equal(symlink(real, path), 0);
	load(f, 0, &l);
	assert_int_equal(l.replayed, 0);
	loaded_free(&l);
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode)); /* replaced, not written through */
	unlink(real);
	free(real);
	free(path);
}

/* Entries whose bytes lie (with a right CRC, as a forger would make
 * them): every length and count is checked, the entry is refused. */
static void test_entry_lies(void **state)
{
	(void)state;
	institution in = {0};
	char slug[] = "a", path[] = "content/institutions/a.md", name[] = "A",
	     code[] = "UG", city[] = "K", body[] = "<p>x</p>\n";
	in.slug = slug;
	in.path = path;
	in.name = name;
	in.country = code;
	in.city = city;
	in.body_html = body;
	rc_ident id = {1, 2, 3, 4, 5};
	diags_t none = DIAGS_INIT;
	buf_t e = BUF_INIT;
	rc_entry_encode(&e, path, &id, &in, &none, 0);
	size_t len = e.len - 4;
	for (size_t cutat = 0; cutat <= len; cutat++) {
		for (int bit = -1; bit < 8; bit++) {
			unsigned char *copy = malloc(len ? len : 1);
			memcpy(copy, e.ptr + 4, len);
			size_t at = cutat < len ? cutat : 0;
			if (bit >= 0 && len)
				copy[at] ^= (unsigned char)(1u << bit);
			rc_slot s = {.path = path, .at = copy,
				     .len = bit < 0 ? cutat : len};
			institution got;
			int has;
			diags_t d = DIAGS_INIT;
			int rc = rc_entry_decode(&s, &got, &has, &d);
			/* a flipped letter may still decode: what the
			 * model needs is there, whatever it says */
			if (rc == 0 && has) {
				assert_int_equal(strlen(got.country), 2);
				assert_non_null(got.body_html);
				assert_true(!got.pos.path ||
					    got.pos.path == got.path);
			}
			if (rc == 0) {
				institution_free(&got);
			} else {
				assert_int_equal(d.n, 0);
			}
			if (bit < 0)
				assert_int_equal(rc, cutat == len ? 0 : -1);
			diags_free(&d);
			free(copy);
		}
	}
	buf_free(&e);
}

/* An entry whose texts no read could give (a control or bidi control
 * character, bytes that are not UTF-8) was not written by partnermap: it
 * is refused, whichever text holds them; a message may quote any bytes
 * (they are escaped when shown), so one is taken. */
static void test_entry_texts_as_a_read_leaves_them(void **state)
{
	(void)state;
	static const char *const bad[] = {"A\x01B", "A\xe2\x80\xae" "B",
					  "A\xff" "B", "A\xc3", "A\x7f"};
	char slug[] = "a", path[] = "content/institutions/a.md", code[] = "UG",
	     city[] = "K", body[] = "<p>x</p>\n", good[] = "Na\xc3\xafve\tname";
	rc_ident id = {1, 2, 3, 4, 5};
	for (size_t k = 0; k <= sizeof bad / sizeof bad[0]; k++) {
		for (int where = 0; where < 3; where++) {
			char *text = k < sizeof bad / sizeof bad[0] ?
				xstrdup(bad[k]) : xstrdup(good);
			char *words[] = {text, NULL};
			institution in = {0};
			in.slug = slug;
			in.path = path;
			in.name = where == 0 ? text : good;
			in.country = code;
			in.city = city;
			in.body_html = where == 2 ? text : body;
			if (where == 1)
				in.professions = (strlist){words, 1};
			diags_t said = DIAGS_INIT;
			diag_error(&said, path, 1, 1, "quoted %s", bad[0]);
			buf_t e = BUF_INIT;
			rc_entry_encode(&e, path, &id, &in, &said, 0);
			rc_slot sl = {.path = path,
				      .at = (const unsigned char *)e.ptr + 4,
				      .len = e.len - 4};
			institution got;
			int has;
			diags_t d = DIAGS_INIT;
			int rc = rc_entry_decode(&sl, &got, &has, &d);
			if (k < sizeof bad / sizeof bad[0]) {
				assert_int_equal(rc, -1);
				assert_int_equal(d.n, 0);
			} else {
				assert_int_equal(rc, 0);
				assert_int_equal(d.n, 1);
				institution_free(&got);
			}
			diags_free(&d);
			diags_free(&said);
			buf_free(&e);
			free(text);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replayed_same, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_edited_read_again, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_kept_in_runs, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_inputs_key, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_corrupted, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_foreign, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_link, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mtime, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_spilled, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_old_let_go_after_load, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_forged_slug, setup,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_replayed_same, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_edited_read_again, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_kept_in_runs, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_inputs_key, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_corrupted, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_foreign, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_link, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mtime, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_spilled, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_old_let_go_after_load, setup_two,
						site_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_forged_slug, setup_two,
						site_fixture_teardown),
		cmocka_unit_test(test_entry_lies),
		cmocka_unit_test(test_entry_texts_as_a_read_leaves_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
