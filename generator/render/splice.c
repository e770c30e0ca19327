/* splice.c - files of one piece per institution, copied from the last
 * build where an institution did not change (splice.h). */
#include "splice.h"

#include <errno.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "render.h"

int splice_was_cmp(const void *a, const void *b)
{
	const splice_was *x = a, *y = b;
	int c = memcmp(x->id, y->id, SPLICE_ID);
	return c ? c : (int)x->lead - (int)y->lead;
}

/* Hand out to the flush, counted. */
static int hand_out(render_splice *sp, buf_t *out)
{
	sp->flushed += out->len;
	return sp->flush(sp->arg, out);
}

int splice_put(render_splice *sp, buf_t *out)
{
	if (!sp)
		return 0;
	while (sp->run_len && !sp->failed) {
		/* a piece of the run at a time, never all of a large file */
		size_t room = out->len < EXPORT_PIECE ? EXPORT_PIECE - out->len : 0;
		size_t n = sp->run_len < room ? (size_t)sp->run_len : room;
		if (n) {
			buf_grow(out, n);
			if (fs_pread_all(sp->fd, out->ptr + out->len, n,
					 sp->run_off) < 0) {
				sp->failed = errno ? errno : EIO;
				return -1;
			}
			out->len += n;
			sp->run_off += n;
			sp->run_len -= n;
		}
		if (out->len >= EXPORT_PIECE && hand_out(sp, out) < 0)
			return -1;
	}
	return sp->failed ? -1 : 0;
}

/* Room for one more piece in sp->now. */
static splice_now *next_now(render_splice *sp)
{
	if (sp->nnow == sp->cap) {
		sp->cap = sp->cap ? 2 * sp->cap : 1024;
		sp->now = xreallocarray(sp->now, sp->cap, sizeof *sp->now);
	}
	return &sp->now[sp->nnow++];
}

int splice_take(render_splice *sp, size_t member, int lead, buf_t *out)
{
	if (!sp)
		return 0;
	const splice_was *e = NULL;
	if (sp->fd >= 0 && member < sp->members && sp->nwas) {
		splice_was key = {.lead = (unsigned char)(lead != 0)};
		memcpy(key.id, sp->ids + member * sp->stride, SPLICE_ID);
		e = bsearch(&key, sp->was, sp->nwas, sizeof *sp->was,
			    splice_was_cmp);
	}
	if (!e)
		return splice_put(sp, out) < 0 ? -1 : 0;
	splice_now *now = next_now(sp);
	*now = (splice_now){sp->flushed + out->len + sp->run_len, e->len,
			    (unsigned)member | (lead ? SPLICE_LEAD : 0)};
	if (sp->run_len && e->off == sp->run_off + sp->run_len) {
		sp->run_len += e->len; /* the next piece of the same run */
	} else {
		if (splice_put(sp, out) < 0)
			return -1;
		sp->run_off = e->off;
		sp->run_len = e->len;
	}
	sp->copied++;
	return 1;
}

void splice_made(render_splice *sp, size_t member, int lead, size_t from,
		 const buf_t *out)
{
	if (!sp)
		return;
	*next_now(sp) = (splice_now){sp->flushed + from,
				     (unsigned)(out->len - from),
				     (unsigned)member | (lead ? SPLICE_LEAD : 0)};
}

int splice_flush(void *arg, buf_t *out)
{
	render_splice *sp = arg;
	if (splice_put(sp, out) < 0)
		return -1;
	return hand_out(sp, out);
}

void splice_release(render_splice *sp)
{
	free(sp->now);
	sp->now = NULL;
	sp->nnow = sp->cap = 0;
}
