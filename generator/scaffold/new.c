/* new.c - partnermap new KIND NAME: a record started from an archetype,
 * never written over one that exists. */
#include "scaffold.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../build.h"
#include "../load/fields.h"
#include "../load/frontmatter.h"
#include "../load/keys.h"
#include "../load/load.h"
#include "../render/routes.h"
#include "../util/chars.h"
#include "../util/fs.h"

/* Longest name taken, in bytes: a name is a line of a page, and the
 * front matter it goes into has a limit of its own (FM_MAX_BYTES). */
#define NAME_MAX_BYTES 1000

static const char usage_new[] =
	"Usage: partnermap new KIND NAME [-C SITE_DIR] [--slug SLUG] [-q]\n"
	"\n"
	"Start a record: KIND is institution, network or page; NAME is the\n"
	"institution's or network's name, or the page's title. The record is\n"
	"written to content/<KIND>s/<SLUG>.md, where SLUG is NAME in ASCII\n"
	"lower-case words joined by '-' (\"Université de Yaoundé I\" gives\n"
	"universite-de-yaounde-i). Han characters are read as Mandarin: a\n"
	"Japanese name with kana needs --slug. An existing record is never\n"
	"written over.\n"
	"\n"
	"The record is made from the site's archetypes/KIND.md, else the\n"
	"theme's themes/<theme>/archetypes/KIND.md, else a built-in archetype;\n"
	"in it, {{name}} stands for NAME as a quoted YAML string. A new\n"
	"institution is a draft (draft: true): build and check leave it out\n"
	"until that line is deleted, so fill in its fields first.\n"
	"\n"
	"Options:\n"
	"  -C, --site DIR     the site folder (holds site.yml and content/)\n"
	"      --slug SLUG    the file name without .md: lower-case letters,\n"
	"                     digits and single dashes\n"
	"  -q, --quiet        print nothing but problems\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 written, 1 the slug is taken (nothing written),\n"
	"2 bad command line, 3 I/O failure.\n";

typedef struct new_args {
	record_kind kind;
	const char *name;
	const char *site_dir;
	const char *slug;
	int quiet;
} new_args;

#define usage_error(...) scaffold_usage_error("new", __VA_ARGS__)

/* The value of "-C DIR", "--site DIR" or "--site=DIR" (long is "--site"),
 * or NULL when it is missing. */
static const char *value_of(int argc, char **argv, int *i, const char *lng)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);
	if (!strncmp(a, lng, n) && a[n] == '=')
		return a[n + 1] ? a + n + 1 : NULL;
	if (*i + 1 >= argc || !argv[*i + 1][0])
		return NULL;
	return argv[++*i];
}

static int is_option(const char *a, const char *shrt, const char *lng)
{
	size_t n = strlen(lng);
	return (shrt && !strcmp(a, shrt)) || !strcmp(a, lng) ||
	       (!strncmp(a, lng, n) && a[n] == '=');
}

/* A control character, tab and line breaks included. */
static int breaks_line(unsigned cp)
{
	return cp < 0x20 || chars_is_control(cp);
}

/* A name NAME can be: text on one line, in UTF-8, without a control or
 * bidi control (util/chars.h), which the record's loader would refuse.
 * 0, or EXIT_USAGE when told why not. */
static int check_name(const char *name)
{
	size_t n = strlen(name);
	unsigned cp;
	char what[48];
	if (fm_utf8_invalid_at(name, n) != n)
		return usage_error("the name is not valid UTF-8 text: write it "
				   "in UTF-8 (set your terminal's or script's "
				   "encoding to UTF-8)");
	if (chars_find(name, n, breaks_line, &cp) < n)
		return usage_error("the name holds a control character "
				   "(a line break or tab?): write it on one line");
	if (chars_find(name, n, chars_is_bidi_control, &cp) < n)
		return usage_error("the name holds %s, which reorders the text "
				   "shown after it: remove it (right-to-left text "
				   "needs no such character)",
				   chars_name(cp, what, sizeof what));
	char *t = xstrdup(name);
	trim_in_place(t);
	int empty = !*t;
	free(t);
	if (empty)
		return usage_error("the name is empty: write it in quotes, "
				   "e.g. partnermap new institution \"Makerere University\"");
	if (n > NAME_MAX_BYTES)
		return usage_error("the name is %zu bytes long: keep it under %d",
				   n, NAME_MAX_BYTES);
	return 0;
}

/* 1 when slug may be given with --slug: check_slug's shape, at most
 * SLUG_GIVEN_MAX bytes. */
static int slug_given_ok(const char *slug)
{
	return check_slug(slug) == 0 && strlen(slug) <= SLUG_GIVEN_MAX;
}

static char *language_named(const char *site_dir, const char *slug);

static int parse_args(int argc, char **argv, new_args *a)
{
	const char *pos[2];
	int npos = 0, only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (only_args || s[0] != '-' || !s[1]) {
			if (npos == 2)
				return usage_error("unexpected argument '%s' (put a name "
						   "with spaces in quotes)", s);
			pos[npos++] = s;
		} else if (!strcmp(s, "--")) {
			only_args = 1;
		} else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(usage_new, stdout);
			return -1;
		} else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
			a->quiet = 1;
		} else if (is_option(s, "-C", "--site")) {
			if (!(a->site_dir = value_of(argc, argv, &i, "--site")))
				return usage_error("option '%s' needs a value", s);
		} else if (is_option(s, NULL, "--slug")) {
			if (!(a->slug = value_of(argc, argv, &i, "--slug")))
				return usage_error("option '%s' needs a value", s);
		} else {
			return usage_error("unknown option '%s' (a name that begins "
					   "with '-' goes after --)", s);
		}
	}
	if (npos == 0)
		return usage_error("missing kind: partnermap new institution|network|page NAME");
	int k = record_kind_from_name(pos[0]);
	if (k < 0) {
		static const char *const kinds[] = {"institution", "network",
						    "page", NULL};
		const char *best = hint_from(pos[0], kinds);
		if (best)
			return usage_error("unknown kind '%s' (expected institution, "
					   "network or page); did you mean %s?", pos[0], best);
		return usage_error("unknown kind '%s' (expected institution, "
				   "network or page)", pos[0]);
	}
	a->kind = (record_kind)k;
	if (npos == 1)
		return usage_error("missing name: partnermap new %s \"NAME\"", pos[0]);
	a->name = pos[1];
	if (check_name(a->name))
		return EXIT_USAGE;
	if (a->slug && !slug_given_ok(a->slug)) {
		/* "Foo" for foo: a slug taken in another case (slug_taken) */
		char *lower = xstrdup(a->slug);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		int near = slug_given_ok(lower);
		/* a page's "fr" or "assets" would be refused in turn */
		char *tag = near && a->kind == RECORD_PAGE ?
			    language_named(a->site_dir, lower) : NULL;
		if (tag || (near && a->kind == RECORD_PAGE &&
			    route_reserved(lower))) {
			char *other = xasprintf("%s-page", lower);
			free(lower);
			lower = other;
		}
		free(tag);
		usage_error("'%s' cannot be a slug: use lower-case letters "
			    "a-z, digits and single dashes, at most "
			    PM_STR(SLUG_GIVEN_MAX) " of them (e.g. --slug "
			    "makerere-university)%s%s%s", a->slug,
			    near ? "; did you mean --slug " : "",
			    near ? lower : "", near ? "?" : "");
		free(lower);
		return EXIT_USAGE;
	}
	return scaffold_path_usable("new", "-C", a->site_dir);
}

/* The theme folder build uses: the site's own themes/<name>, else the
 * installed one (the rule of theme_dir in build.c). NULL when neither is
 * there. *shown names it for messages. */
static char *theme_folder(const char *site_dir, const char *theme,
			  const char *datadir, char **shown)
{
	*shown = xasprintf("themes/%s", theme);
	char *local = fs_join(site_dir, *shown);
	if (fs_is_dir(local))
		return local;
	free(local);
	if (datadir) {
		char *installed = fs_join(datadir, *shown);
		if (fs_is_dir(installed))
			return installed;
		free(installed);
	}
	return NULL;
}

/* 1 when something is at path (a file, folder or even a broken link). */
static int taken(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* 1 when content/<folder> holds <slug>.md or <slug> (a folder, a link,
 * anything), in any letter case: Foo.md and foo.md are one file on macOS
 * and Windows. *which (may be NULL) gets the one found, relative to the
 * site, as it is spelt there. */
static int slug_taken(const char *site_dir, const char *folder,
		      const char *slug, char **which)
{
	char *rel = xasprintf("content/%s", folder);
	char *dir = fs_join(site_dir, rel);
	char *md = xasprintf("%s.md", slug);
	char **names = NULL;
	size_t n = 0;
	const char *found = NULL;
	if (fs_list_all(dir, &names, &n) == 0)
		for (size_t i = 0; i < n && !found; i++)
			if (!strcasecmp(names[i], md) || !strcasecmp(names[i], slug))
				found = names[i];
	if (which)
		*which = found ? fs_join(rel, found) : NULL;
	int rc = found != NULL;
	fs_free_list(names);
	free(md);
	free(dir);
	free(rel);
	return rc;
}

/* A slug to suggest instead of a taken one: slug-2, slug-3 ... */
static char *free_slug(const char *site_dir, const char *folder,
		       const char *slug)
{
	for (int n = 2;; n++) {
		char *s = xasprintf("%s-%d", slug, n);
		if (n == 1000 || !slug_taken(site_dir, folder, s, NULL))
			return s;
		free(s);
	}
}

/* The tag of the site's language other than the default that slug
 * names, in any letter case (site.yml's languages:), fresh; NULL when
 * none. */
static char *language_named(const char *site_dir, const char *slug)
{
	site_config cfg = {0};
	diags_t ignored = DIAGS_INIT; /* check reports site.yml's problems */
	config_load(&cfg, site_dir, &ignored);
	diags_free(&ignored);
	char *tag = NULL;
	for (size_t k = 1; k < cfg.languages.n && !tag; k++)
		if (!strcasecmp(slug, cfg.languages.v[k]))
			tag = xstrdup(cfg.languages.v[k]);
	config_free(&cfg);
	return tag;
}

/* A page may not be named after another of the site's languages, whose
 * home page is <tag>/index.html (load/check.c says so at build time). */
static int page_is_not_a_language(const new_args *a, const char *slug,
				  diags_t *d)
{
	char *tag = language_named(a->site_dir, slug);
	if (tag)
		/* of the command line, not of a file: none is written */
		diag_error(d, NULL, 0, 0,
			   "a page cannot be called '%s': the site's pages in %s (languages: in site.yml) are in the %s/ folder; give it another slug with --slug SLUG (e.g. --slug %s-page)",
			   slug, tag, tag, slug);
	free(tag);
	return !tag;
}

/* The slug may not be in use already, as a file or as a folder (a record
 * kept with its images); a page may not take a name the build writes. */
static int slug_is_free(const new_args *a, const char *slug, diags_t *d)
{
	const char *kind = record_kind_name(a->kind);
	const char *folder = record_kind_folder(a->kind);
	char *which = NULL;
	if (slug_taken(a->site_dir, folder, slug, &which)) {
		char *other = free_slug(a->site_dir, folder, slug);
		size_t n = strlen(which);
		int is_file = n > 3 && !strcmp(which + n - 3, ".md");
		const char *base = strrchr(which, '/') + 1;
		int cased = strncmp(base, slug, strlen(slug)) != 0;
		diag_error(d, which, 1, 1,
			   "the slug '%s' is taken by this %s%s%s, and partnermap new never writes over a record: give the new %s another slug with --slug SLUG (e.g. --slug %s)",
			   slug, kind, is_file ? "" : " folder",
			   cased ? " (its name differs only in letter case: "
				   "one file on macOS and Windows)" : "",
			   kind, other);
		free(other);
		free(which);
		return 0;
	}
	if (a->kind == RECORD_PAGE && route_reserved(slug)) {
		diag_error(d, NULL, 0, 0,
			   "a page cannot be called '%s': the site's %s/ folder has that name; give it another slug with --slug SLUG (e.g. --slug %s-page)",
			   slug, slug, slug);
		return 0;
	}
	if (a->kind == RECORD_PAGE)
		return page_is_not_a_language(a, slug, d);
	return 1;
}

static int is_blank(const char *s)
{
	return strspn(s, " \t\r\n") == strlen(s);
}

/* A field left to fill: absent, null, blank, or an empty list. */
static int unfilled(const fm_node *v)
{
	return !v || v->type == FM_NULL ||
	       (v->type == FM_STRING && is_blank(v->text)) ||
	       ((v->type == FM_SEQ || v->type == FM_MAP) && v->n == 0);
}

/* The slugs of the site's networks, "africa, global", or NULL: the
 * names of content/networks/ that are a slug and ".md", so never a
 * translation ("africa.fr.md") nor another file. */
static char *network_slugs(const char *site_dir)
{
	char *dir = fs_join(site_dir, "content/networks");
	char **names;
	size_t count;
	buf_t b = BUF_INIT;
	size_t slugs = 0;
	if (fs_list(dir, &names, &count) == 0) {
		for (size_t i = 0; i < count; i++) {
			size_t n = strlen(names[i]);
			if (n <= 3 || strcmp(names[i] + n - 3, ".md"))
				continue;
			names[i][n - 3] = '\0';
			if (check_slug(names[i]) == 0 &&
			    slugs++ < FIELD_WORDS_LISTED)
				buf_printf(&b, "%s%s", b.len ? ", " : "",
					   names[i]);
		}
		fs_free_list(names);
	}
	if (slugs > FIELD_WORDS_LISTED) /* a line, not thousands of names */
		buf_printf(&b, " and %zu more in content/networks/",
			   slugs - FIELD_WORDS_LISTED);
	free(dir);
	return b.len ? buf_detach(&b) : NULL;
}

/* s as one word for a shell: as it is when it holds nothing special, else
 * in single quotes (then *quoted holds the fresh copy to free). */
static const char *shell_word(const char *s, char **quoted)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789/._-+,:@") == strlen(s))
		return s;
	buf_t b = BUF_INIT;
	buf_putc(&b, '\'');
	for (; *s; s++)
		buf_puts(&b, *s == '\'' ? "'\\''" : (char[]){*s, 0});
	buf_putc(&b, '\'');
	*quoted = buf_detach(&b);
	return *quoted;
}

/* What the editor does next: the fields still empty (those the kind's
 * table of keys requires, load/keys.h), the draft line. */
static void tell_next(const new_args *a, const fm_doc *doc, const char *shown_path)
{
	char *quoted = NULL;
	printf("partnermap: wrote %s\n", shown_path);
	buf_t todo = BUF_INIT;
	const key_table *t = keys_table(record_kind_name(a->kind));
	for (size_t i = 0; i < t->n; i++) {
		const char *key = t->keys[i].key;
		if ((t->keys[i].flags & KEY_REQUIRED) &&
		    unfilled(fm_get(&doc->root, key)))
			buf_printf(&todo, "%s%s", todo.len ? ", " : "", key);
	}
	if (todo.len)
		printf("  fill in: %s\n", buf_cstr(&todo));
	char *nets = a->kind == RECORD_INSTITUTION ? network_slugs(a->site_dir) : NULL;
	if (nets && strstr(buf_cstr(&todo), "networks"))
		printf("  networks to choose from: %s\n", nets);
	free(nets);
	buf_free(&todo);
	const fm_node *draft = fm_get(&doc->root, "draft");
	int is_draft = draft && draft->type == FM_BOOL && draft->truth;
	char *check = strcmp(a->site_dir, ".") ?
		xasprintf("partnermap check -C %s", shell_word(a->site_dir, &quoted)) :
		xstrdup("partnermap check");
	if (is_draft)
		printf("  then delete the line 'draft: true' (until then build and check leave the record out) and run %s\n",
		       check);
	else
		printf("  then run %s\n", check);
	free(check);
	free(quoted);
}

/* The folders content/ and content/<folder>, those already there, lie
 * inside the site folder: new writes nothing through a link out of it.
 * 1 when they do; 0 with an error in d when one is a link that leads out
 * (or the site folder cannot be resolved: a fatal). */
static int folders_inside(const char *site_dir, const char *folder,
			  diags_t *d)
{
	char *site_real = realpath(site_dir, NULL);
	if (!site_real) {
		fatal_at(d, "site.yml", "cannot resolve the site folder %s: %s",
			 site_dir, strerror(errno));
		return 0;
	}
	size_t n = strlen(site_real);
	char *rels[2] = {xstrdup("content"),
			 xasprintf("content/%s", folder)};
	int ok = 1;
	for (int i = 0; i < 2 && ok; i++) {
		char *path = fs_join(site_dir, rels[i]);
		char *real = taken(path) ? realpath(path, NULL) : NULL;
		if (taken(path) && (!real || strncmp(real, site_real, n) ||
				    (real[n] != '/' && real[n] != '\0'))) {
			diag_error(d, rels[i], 1, 1,
				   "%s is a symbolic link to a folder outside the site folder, and partnermap new writes only inside the site folder: replace the link with a folder of the site (copy what it holds into the site folder)",
				   rels[i]);
			ok = 0;
		}
		free(real);
		free(path);
	}
	free(rels[0]);
	free(rels[1]);
	free(site_real);
	return ok;
}

/* Write text to a file that must not exist yet. 0; 1 when it appeared
 * meanwhile (reported as taken); -1 on I/O failure (fatal in d). */
static int write_new_file(const char *path, const char *rel, const char *text,
			  diags_t *d)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      0644);
	if (fd < 0 && errno == EEXIST) {
		diag_error(d, rel, 1, 1,
			   "this file appeared while partnermap new was writing it; it was left as it is: give the new record another slug with --slug SLUG");
		return 1;
	}
	if (fd < 0) {
		fatal_at(d, rel, "cannot create the file: %s; check that its folder is writable",
			 strerror(errno));
		return -1;
	}
	size_t n = strlen(text);
	const char *p = text;
	int rc = 0;
	while (n && rc == 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			rc = -1;
		else {
			p += w;
			n -= (size_t)w;
		}
	}
	int e = errno;
	if (close(fd) < 0 && rc == 0) {
		e = errno;
		rc = -1;
	}
	if (rc < 0) {
		fatal_at(d, rel, "cannot write the file: %s; check that the disk has room (nothing was left behind)",
			 strerror(e));
		unlink(path);
	}
	return rc;
}

/* The archetype with the name in it, checked to make a record the loader
 * can read: a broken archetype is reported at its own path. NULL then. */
static char *make_record(const new_args *a, const char *datadir, fm_doc *doc,
			 diags_t *d)
{
	site_config cfg = {0};
	diags_t ignored = DIAGS_INIT; /* check reports site.yml's problems */
	config_load(&cfg, a->site_dir, &ignored);
	diags_free(&ignored);
	char *theme_shown = NULL;
	char *theme = theme_folder(a->site_dir, cfg.theme, datadir, &theme_shown);
	config_free(&cfg);
	buf_t text = BUF_INIT;
	char *shown = NULL;
	char *filled = NULL;
	size_t before = d->errors + d->fatals;
	if (archetype_find(a->site_dir, theme, theme_shown, a->kind, &text,
			   &shown, d) == 0) {
		filled = archetype_fill(buf_cstr(&text), a->name);
		if (fm_parse(filled, strlen(filled), shown, doc, d) < 0 ||
		    d->errors + d->fatals > before) {
			diag_error(d, shown, 1, 1,
				   "this archetype does not make a record partnermap can read once {{name}} is filled in (see above); {{name}} becomes the name in quotes, so write it bare: %s: {{name}}",
				   a->kind == RECORD_PAGE ? "title" : "name");
			free(filled);
			filled = NULL;
		}
	}
	buf_free(&text);
	free(shown);
	free(theme);
	free(theme_shown);
	return filled;
}

static int exit_code(const diags_t *d)
{
	return d->fatals ? EXIT_FAILURE_IO : d->errors ? EXIT_CONTENT : EXIT_BUILT;
}

static int create(const new_args *a, const char *slug, const char *datadir,
		  diags_t *d)
{
	char *yml = fs_join(a->site_dir, "site.yml");
	int is_site = fs_exists(yml);
	free(yml);
	if (!is_site) {
		diag_error(d, "site.yml", 1, 1,
			   "%s is not a site folder (it has no site.yml): run partnermap in the site folder, name it with -C SITE_DIR, or start a site with partnermap init DIR",
			   a->site_dir);
		return EXIT_CONTENT;
	}
	if (!slug_is_free(a, slug, d))
		return EXIT_CONTENT;
	fm_doc doc = {0};
	char *text = make_record(a, datadir, &doc, d);
	char *rel = xasprintf("content/%s/%s.md", record_kind_folder(a->kind), slug);
	char *path = fs_join(a->site_dir, rel);
	char *folder = fs_join(a->site_dir, "content");
	char *sub = fs_join(folder, record_kind_folder(a->kind));
	const char *kfolder = record_kind_folder(a->kind);
	/* checked before fs_mkdirs (which would follow a link out) and after
	 * (a link put there meanwhile) */
	if (text && folders_inside(a->site_dir, kfolder, d)) {
		if (fs_mkdirs(sub) < 0)
			fatal_at(d, rel,
				 "cannot create the folder for it: %s; check that content/%s is a folder you may write to",
				 strerror(errno), kfolder);
		else if (folders_inside(a->site_dir, kfolder, d) &&
			 write_new_file(path, rel, text, d) == 0 && !a->quiet)
			tell_next(a, &doc, strcmp(a->site_dir, ".") ? path : rel);
	}
	fm_doc_free(&doc);
	free(text);
	free(rel);
	free(path);
	free(folder);
	free(sub);
	return exit_code(d);
}

int cmd_new(int argc, char **argv, const char *datadir)
{
	new_args a = {.site_dir = "."};
	int rc = parse_args(argc, argv, &a);
	if (rc < 0)
		return EXIT_BUILT; /* --help */
	if (rc)
		return rc;
	/* ICU reads Han characters as Mandarin: a name with kana is
	 * Japanese, whose kanji it cannot read aloud */
	int scripts = a.slug ? 0 : slug_scripts(a.name);
	if ((scripts & SLUG_HAN) && (scripts & SLUG_KANA))
		return usage_error("'%s' is written in Japanese, whose Han "
				   "characters (kanji) partnermap cannot read aloud: "
				   "give the slug with --slug SLUG, as the institution "
				   "writes its name in Latin letters (e.g. --slug "
				   "university-of-tokyo)", a.name);
	char *slug = a.slug ? xstrdup(a.slug) : slug_from_name(a.name);
	if (!slug)
		return usage_error("cannot make a slug from '%s': give one with "
				   "--slug SLUG (lower-case letters, digits and dashes)",
				   a.name);
	diags_t d = DIAGS_INIT;
	rc = create(&a, slug, datadir, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (rc == EXIT_BUILT && (scripts & SLUG_HAN) && !a.quiet) {
		char *rel = xasprintf("content/%s/%s.md", record_kind_folder(a.kind),
				      slug);
		char *path = fs_join(a.site_dir, rel);
		fprintf(stderr, "partnermap: note: the slug %s reads the Han "
			"characters of the name as Mandarin Chinese; for a "
			"Japanese or Korean name, delete %s and give the slug "
			"with --slug SLUG\n", slug,
			strcmp(a.site_dir, ".") ? path : rel);
		free(path);
		free(rel);
	}
	free(slug);
	return rc;
}
