/* test_splice.c - files of one piece per institution written through a
 * splice (render/splice.h): the last build's pieces copied in runs, the
 * others made, the offsets of the new file's pieces, large runs handed
 * out in EXPORT_PIECE parts, and a last file cut short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"
#include "render/splice.h"
#include "util/buf.h"

/* What the flush was handed, whole, and the largest part. */
typedef struct sink {
	buf_t got;
	size_t largest, calls;
} sink;

static int to_sink(void *arg, buf_t *out)
{
	sink *k = arg;
	buf_put(&k->got, out->ptr, out->len);
	if (out->len > k->largest)
		k->largest = out->len;
	k->calls++;
	buf_reset(out);
	return 0;
}

/* A file holding text, open for reading, unlinked already. */
static int file_of(const char *text, size_t n)
{
	char path[] = "/tmp/test_splice.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	return fd;
}

/* Member i's id: 16 bytes of i's letter. */
static unsigned char ids[8][SPLICE_ID];

static void set_ids(void)
{
	for (int i = 0; i < 8; i++)
		memset(ids[i], 'a' + i, SPLICE_ID);
}

static splice_was was_of(int member, unsigned long long off, unsigned len,
			 int lead)
{
	splice_was w = {.off = off, .len = len, .lead = (unsigned char)lead};
	memcpy(w.id, ids[member], SPLICE_ID);
	return w;
}

static render_splice splice_on(int fd, splice_was *was, size_t n, sink *k)
{
	qsort(was, n, sizeof *was, splice_was_cmp);
	return (render_splice){.fd = fd, .was = was, .nwas = n,
			       .ids = ids[0], .stride = SPLICE_ID, .members = 8,
			       .flush = to_sink, .arg = k};
}

/* Write members in order as a list "[" a "," b ... "]", member m made as
 * made[m] when the splice does not copy it. */
static int write_list(render_splice *sp, const int *members, size_t n,
		      const char *const *made)
{
	buf_t out = BUF_INIT;
	buf_puts(&out, "[");
	for (size_t k = 0; k < n; k++) {
		int took = splice_take(sp, (size_t)members[k], k > 0, &out);
		if (took < 0) {
			buf_free(&out);
			return -1;
		}
		if (took)
			continue;
		size_t from = out.len;
		if (k)
			buf_putc(&out, ',');
		buf_puts(&out, made[members[k]]);
		splice_made(sp, (size_t)members[k], k > 0, from, &out);
	}
	int rc = splice_put(sp, &out);
	if (rc == 0) {
		buf_puts(&out, "]");
		rc = splice_flush(sp, &out);
	}
	buf_free(&out);
	return rc;
}

static const char *const fresh[] = {"A", "B", "C", "D", "E", "F", "G", "H"};

static void done(render_splice *sp, sink *k, int fd)
{
	splice_release(sp);
	buf_free(&k->got);
	if (fd >= 0)
		close(fd);
}

/* The last file "[aa,bbb,c]" and its pieces. */
static const char last[] = "[aa,bbb,c]";

static size_t last_pieces(splice_was *was)
{
	was[0] = was_of(0, 1, 2, 0);
	was[1] = was_of(1, 3, 4, 1);
	was[2] = was_of(2, 7, 2, 1);
	return 3;
}

/* A splice on the last file "[aa,bbb,c]" cut to its first n bytes. */
static render_splice splice_on_last(size_t n, splice_was *was, sink *k,
				    int *fd)
{
	set_ids();
	*fd = file_of(last, n);
	return splice_on(*fd, was, last_pieces(was), k);
}

static void test_unchanged_pieces_are_copied_in_one_run(void **state)
{
	(void)state;
	int fd;
	splice_was was[3];
	sink k = {BUF_INIT, 0, 0};
	render_splice sp = splice_on_last(strlen(last), was, &k, &fd);
	int members[] = {0, 1, 2};
	assert_int_equal(write_list(&sp, members, 3, fresh), 0);
	assert_string_equal(buf_cstr(&k.got), last);
	assert_int_equal(sp.copied, 3);
	/* where each piece is in the new file */
	assert_int_equal(sp.nnow, 3);
	unsigned long long off[] = {1, 3, 7};
	unsigned len[] = {2, 4, 2};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(sp.now[i].off, off[i]);
		assert_int_equal(sp.now[i].len, len[i]);
		assert_int_equal(sp.now[i].member & ~SPLICE_LEAD, i);
		assert_int_equal(!!(sp.now[i].member & SPLICE_LEAD), i > 0);
	}
	assert_int_equal(sp.flushed, strlen(last));
	done(&sp, &k, fd);
}

static void test_a_changed_piece_is_made_between_copies(void **state)
{
	(void)state;
	set_ids();
	int fd = file_of(last, strlen(last));
	splice_was was[3];
	size_t n = last_pieces(was);
	memset(was[1].id, 'z', SPLICE_ID); /* member 1 changed since */
	sink k = {BUF_INIT, 0, 0};
	render_splice sp = splice_on(fd, was, n, &k);
	int members[] = {0, 1, 2, 3};
	assert_int_equal(write_list(&sp, members, 4, fresh), 0);
	/* 3 is new too: it follows c, as its separator does */
	assert_string_equal(buf_cstr(&k.got), "[aa,B,c,D]");
	assert_int_equal(sp.copied, 2);
	assert_int_equal(sp.now[1].off, 3);
	assert_int_equal(sp.now[1].len, 2);
	assert_int_equal(sp.now[2].off, 5);
	assert_int_equal(sp.now[3].off, 7);
	done(&sp, &k, fd);
}

static void test_a_piece_first_now_has_no_separator(void **state)
{
	(void)state;
	int fd;
	splice_was was[3];
	sink k = {BUF_INIT, 0, 0};
	render_splice sp = splice_on_last(strlen(last), was, &k, &fd);
	/* b was second (",bbb"): first now, it is made; c and a are copied
	 * where they lead or not as before: a, first before, is made too */
	int members[] = {1, 2, 0};
	assert_int_equal(write_list(&sp, members, 3, fresh), 0);
	assert_string_equal(buf_cstr(&k.got), "[B,c,A]");
	assert_int_equal(sp.copied, 1);
	done(&sp, &k, fd);
}

static void test_without_a_last_file_every_piece_is_made(void **state)
{
	(void)state;
	set_ids();
	splice_was was[3];
	sink k = {BUF_INIT, 0, 0};
	render_splice sp = splice_on(-1, was, last_pieces(was), &k);
	int members[] = {0, 1, 2};
	assert_int_equal(write_list(&sp, members, 3, fresh), 0);
	assert_string_equal(buf_cstr(&k.got), "[A,B,C]");
	assert_int_equal(sp.copied, 0);
	assert_int_equal(sp.nnow, 3);
	done(&sp, &k, -1);
	/* and with no splice at all */
	buf_t out = BUF_INIT;
	assert_int_equal(splice_take(NULL, 0, 0, &out), 0);
	assert_int_equal(splice_put(NULL, &out), 0);
	splice_made(NULL, 0, 0, 0, &out);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

static void test_a_long_run_is_handed_out_in_parts(void **state)
{
	(void)state;
	set_ids();
	/* two pieces of 1.5 EXPORT_PIECE each, one after the other */
	size_t half = EXPORT_PIECE + EXPORT_PIECE / 2;
	char *text = malloc(2 * half + 3);
	text[0] = '[';
	memset(text + 1, 'x', half);
	memset(text + 1 + half, 'y', half);
	text[1 + 2 * half] = ']';
	text[2 + 2 * half] = '\0';
	int fd = file_of(text, 2 + 2 * half);
	splice_was was[2] = {was_of(0, 1, (unsigned)half, 0),
			     was_of(1, 1 + half, (unsigned)half, 1)};
	sink k = {BUF_INIT, 0, 0};
	render_splice sp = splice_on(fd, was, 2, &k);
	int members[] = {0, 1};
	assert_int_equal(write_list(&sp, members, 2, fresh), 0);
	assert_int_equal(k.got.len, 2 + 2 * half);
	assert_memory_equal(k.got.ptr, text, k.got.len);
	/* never all of the run at once */
	assert_true(k.largest <= EXPORT_PIECE);
	assert_true(k.calls >= 3);
	done(&sp, &k, fd);
	free(text);
}

static void test_a_last_file_cut_short_fails(void **state)
{
	(void)state;
	int fd;
	splice_was was[3];
	sink k = {BUF_INIT, 0, 0};
	/* "[aa,b": c and most of b are gone */
	render_splice sp = splice_on_last(5, was, &k, &fd);
	int members[] = {0, 1, 2};
	assert_int_equal(write_list(&sp, members, 3, fresh), -1);
	assert_int_equal(sp.failed, EIO);
	done(&sp, &k, fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged_pieces_are_copied_in_one_run),
		cmocka_unit_test(test_a_changed_piece_is_made_between_copies),
		cmocka_unit_test(test_a_piece_first_now_has_no_separator),
		cmocka_unit_test(test_without_a_last_file_every_piece_is_made),
		cmocka_unit_test(test_a_long_run_is_handed_out_in_parts),
		cmocka_unit_test(test_a_last_file_cut_short_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
