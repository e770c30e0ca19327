/* splice.h - files of one piece per institution, copied from the last build
 * where an institution did not change.
 *
 * partners.geojson, partners.csv, each elective's partners.csv and
 * countries/search.js hold one piece per institution (a GeoJSON Feature, a
 * CSV row, a search text) between a few bytes of framing. A piece is made
 * from its institution's front matter and from what the whole site shows
 * (publish/reuse.h: the member's "head" digest, the shared and summary
 * digests), never from its neighbours. So when such a file must be written
 * again (one record changed), the piece of each institution whose digest
 * did not change is the very bytes the last build wrote: they are copied
 * from the last build's file, a run of neighbouring pieces in one read,
 * instead of made again. At 10,000 records that is the difference between
 * some 20 MB of JSON and CSV made afresh and copied.
 *
 * Who writes such a file (render/exports.c, render/clusters.c) does, for
 * each institution in the file's order:
 *
 *     if (!splice_take(sp, i, lead, out)) {      make it: 0, or -1
 *         size_t from = out->len;
 *         ... append the piece to out ...
 *         splice_made(sp, i, lead, from, out);
 *     }
 *
 * and calls splice_put before appending any other byte (the framing), and
 * hands out through the flush it was given, which splice_flush is while a
 * splice is open. With sp NULL each call does nothing (splice_take: 0).
 *
 * A piece's bytes are its separator, when lead is set (the ',' between two
 * features), and the piece: lead is part of what is looked up, as the first
 * piece of a list has none. */
#ifndef PM_SPLICE_H
#define PM_SPLICE_H

#include <stddef.h>

#include "../util/buf.h"

/* The bytes of a piece's digest that name it: the first half of the
 * member's SHA-256 "head" digest (publish/reuse.h). */
#define SPLICE_ID 16

/* A piece of the last build's file. */
typedef struct splice_was {
	unsigned char id[SPLICE_ID];
	unsigned long long off;  /* bytes from the start of the file */
	unsigned len;            /* bytes */
	unsigned char lead;      /* begins with its separator */
} splice_was;

/* A piece of the file being written: member is the institution's index
 * in the model, its top bit set when the piece leads with its separator. */
typedef struct splice_now {
	unsigned long long off;
	unsigned len;
	unsigned member;
} splice_now;
#define SPLICE_LEAD 0x80000000u

/* The flush of a file written in pieces (render.h, export_flush). */
typedef int (*splice_out)(void *arg, buf_t *out);

typedef struct render_splice {
	/* set by who opens it (publish/reuse.c) and not changed */
	int fd;                  /* the last build's file, or -1: make all */
	const splice_was *was;   /* its pieces, sorted by splice_was_cmp */
	size_t nwas;
	const unsigned char *ids; /* institution i's id at ids + i * stride */
	size_t stride;
	size_t members;          /* institutions there are ids for */
	/* set by who writes the file: where the bytes go */
	splice_out flush;
	void *arg;
	/* made as the file is written: its pieces in the file's order */
	splice_now *now;
	size_t nnow, cap;
	unsigned long long flushed;  /* bytes handed to flush */
	unsigned long long run_off;  /* old bytes still to copy to out */
	unsigned long long run_len;
	size_t copied;               /* pieces copied, not made */
	int failed;                  /* a read of the last file failed */
} render_splice;

/* Orders splice_was by id, then lead (bsearch and qsort). */
int splice_was_cmp(const void *a, const void *b);

/* Piece of institution `member`, leading with its separator when lead: 1
 * when the last build's bytes for it will be copied (the caller appends
 * nothing), 0 when the caller makes it now into out (what was still to
 * copy is in out first), -1 when a read or a flush failed. sp NULL: 0. */
int splice_take(render_splice *sp, size_t member, int lead, buf_t *out);

/* The caller made the piece of `member` as out's bytes from `from` on. */
void splice_made(render_splice *sp, size_t member, int lead, size_t from,
		 const buf_t *out);

/* Append to out what is still to copy, handing out to the flush each
 * time it holds EXPORT_PIECE bytes: before any byte that is not a piece.
 * 0, or -1 when a read or a flush failed. sp NULL: 0. */
int splice_put(render_splice *sp, buf_t *out);

/* export_flush for a file written with the splice arg (a render_splice):
 * what is still to copy, then out, to sp->flush, counted. 0 or -1. */
int splice_flush(void *arg, buf_t *out);

/* Let go of sp->now (sp itself is the caller's). */
void splice_release(render_splice *sp);

#endif
