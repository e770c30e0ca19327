/* reccodec.c - the bytes of the record cache (reccodec.h).
 *
 * One description of an entry serves both ways: each io_* step writes
 * its value when encoding (c->out set) and reads it back, checked,
 * when decoding, so the two can never disagree on the layout. */
#include "reccodec.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../util/chars.h"
#include "../util/fs.h"

#define NONE 0xffffffffu

typedef struct cx {
	buf_t *out;               /* encoding: where the bytes go; NULL
				     when decoding */
	const unsigned char *p;   /* decoding: the next byte */
	size_t left;              /* ... and how many are left */
	int bad;                  /* decoding met malformed bytes */
	int model;                /* decoding the model's texts: each must be
				     as a read leaves them (text_ok) */
} cx;

/* Whether the n bytes at p could be a text of the loaded model: valid
 * UTF-8 (RFC 3629) without a control or bidi control character
 * (util/chars.h), which the loader refuses or leaves out. An entry
 * breaking this was not written by partnermap: it is refused, and libxml2
 * and the pages never see such bytes. ASCII is checked byte by byte. */
static int text_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] < 0x80) {
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') ||
		    p[i] == 0x7f)
			return 0;
		i++;
	}
	if (i == n)
		return 1;
	const char *rest = (const char *)p + i;
	return chars_is_utf8(rest, n - i) &&
	       chars_find(rest, n - i, chars_is_unsafe, NULL) == n - i;
}

static void io_raw(cx *c, unsigned char *v, size_t n)
{
	if (c->out) {
		buf_put(c->out, v, n);
	} else if (c->bad || n > c->left) {
		c->bad = 1;
		memset(v, 0, n);
	} else {
		memcpy(v, c->p, n);
		c->p += n;
		c->left -= n;
	}
}

static void io_u64(cx *c, unsigned long long *v)
{
	unsigned char b[8];
	for (int k = 0; k < 8; k++)
		b[k] = (unsigned char)(*v >> (8 * k));
	io_raw(c, b, 8);
	if (c->out)
		return;
	*v = 0;
	for (int k = 0; k < 8; k++)
		*v |= (unsigned long long)b[k] << (8 * k);
}

static void io_u32(cx *c, uint32_t *v)
{
	unsigned long long w = *v;
	unsigned char b[4];
	for (int k = 0; k < 4; k++)
		b[k] = (unsigned char)(w >> (8 * k));
	io_raw(c, b, 4);
	if (!c->out)
		*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	     (uint32_t)b[3] << 24;
}

static void io_int(cx *c, int *v)
{
	uint32_t w = (uint32_t)*v;
	io_u32(c, &w);
	if (!c->out)
		*v = (int)(int32_t)w;
}

static void io_unsigned(cx *c, unsigned *v)
{
	uint32_t w = *v;
	io_u32(c, &w);
	if (!c->out)
		*v = w;
}

static void io_double(cx *c, double *v)
{
	unsigned long long w;
	memcpy(&w, v, sizeof w);
	io_u64(c, &w);
	if (c->out)
		return;
	memcpy(v, &w, sizeof w);
	if (!isfinite(*v))
		c->bad = 1;
}

/* A count of items that each take at least min bytes: when decoding,
 * never more than the bytes left could hold. */
static void io_count(cx *c, size_t *n, size_t min)
{
	uint32_t w = *n > NONE - 1 ? NONE - 1 : (uint32_t)*n;
	io_u32(c, &w);
	if (c->out)
		return;
	if (w > c->left / min)
		c->bad = 1;
	*n = c->bad ? 0 : w;
}

/* Room for n items of size bytes, zeroed (for the decoder); NULL for 0. */
static void *io_array(const cx *c, void *v, size_t n, size_t size)
{
	return c->out || !n ? v : xcalloc(n, size);
}

/* Bytes: a str (text, no NUL) or a blob (a file's bytes). */
static void io_bytes(cx *c, char **s, size_t *len, int text)
{
	uint32_t w = !*s ? NONE : (uint32_t)*len;
	io_u32(c, &w);
	if (c->out) {
		if (*s)
			buf_put(c->out, *s, *len);
		return;
	}
	*s = NULL;
	*len = 0;
	if (c->bad || w == NONE)
		return;
	if (w > c->left || (text && memchr(c->p, '\0', w)) ||
	    (text && c->model && !text_ok(c->p, w))) {
		c->bad = 1;
		return;
	}
	*s = xstrndup((const char *)c->p, w);
	*len = w;
	c->p += w;
	c->left -= w;
}

static void io_str(cx *c, char **s)
{
	size_t len = *s ? strlen(*s) : 0;
	io_bytes(c, s, &len, 1);
}

/* A string the model requires (never NULL). */
static void io_need(cx *c, char **s)
{
	io_str(c, s);
	if (!c->out && !*s)
		c->bad = 1;
}

/* A list of strings, each as io_need writes it. Decoded into one block
 * as strlist_pack makes it (site.h): the words are measured in a first
 * pass over the bytes, then copied, so a list costs one allocation. */
static void io_list(cx *c, strlist *l)
{
	size_t n = l->n;
	io_count(c, &n, 4);
	if (c->out) {
		for (size_t i = 0; i < n; i++)
			io_need(c, &l->v[i]);
		return;
	}
	*l = (strlist){NULL, 0};
	if (c->bad || !n)
		return;
	cx from = *c;
	size_t size = xmul(xadd(n, 1), sizeof *l->v);
	for (size_t i = 0; i < n && !c->bad; i++) {
		uint32_t w;
		io_u32(c, &w);
		if (c->bad || w == NONE || w > c->left ||
		    memchr(c->p, '\0', w) || (c->model && !text_ok(c->p, w))) {
			c->bad = 1;
			return;
		}
		size = xadd(size, (size_t)w + 1);
		c->p += w;
		c->left -= w;
	}
	if (c->bad)
		return;
	*c = from;
	char **v = xmalloc(size);
	char *at = (char *)(v + n + 1);
	for (size_t i = 0; i < n; i++) {
		uint32_t w;
		io_u32(c, &w);
		memcpy(at, c->p, w);
		at[w] = '\0';
		v[i] = at;
		at += (size_t)w + 1;
		c->p += w;
		c->left -= w;
	}
	v[n] = NULL;
	l->v = v;
	l->n = n;
}

/* A position in the record: its path is the record's own, or none. */
static void io_pos(cx *c, srcpos *p, const char *path)
{
	int has = p->path != NULL;
	io_int(c, &has);
	io_int(c, &p->line);
	io_int(c, &p->col);
	if (!c->out && (has & ~1))
		c->bad = 1;
	if (!c->out)
		p->path = has ? path : NULL;
}

static void io_offer(cx *c, offer *o, const char *path)
{
	io_need(c, &o->type);
	io_list(c, &o->disciplines);
	io_list(c, &o->levels);
	io_list(c, &o->languages);
	io_int(c, &o->weeks_min);
	io_int(c, &o->weeks_max);
	io_int(c, &o->capacity);
	io_unsigned(c, &o->months);
	io_str(c, &o->apply_by);
	io_int(c, &o->apply_weeks);
	io_int(c, &o->fee.given);
	io_int(c, &o->fee.waived);
	io_double(c, &o->fee.amount);
	io_raw(c, (unsigned char *)o->fee.currency, sizeof o->fee.currency);
	if (!c->out)
		o->fee.currency[sizeof o->fee.currency - 1] = '\0';
	io_str(c, &o->requirements_html);
	io_count(c, &o->nforms, 8);
	o->forms = io_array(c, o->forms, o->nforms, sizeof *o->forms);
	for (size_t i = 0; i < o->nforms; i++) {
		io_need(c, &o->forms[i].file);
		io_str(c, &o->forms[i].title);
	}
	io_str(c, &o->contact.name);
	io_str(c, &o->contact.role);
	io_str(c, &o->contact.email);
	io_pos(c, &o->pos, path);
}

static void io_files(cx *c, institution *in)
{
	io_count(c, &in->nfiles, 8);
	in->files = io_array(c, in->files, in->nfiles, sizeof *in->files);
	for (size_t i = 0; i < in->nfiles; i++) {
		bundle_file *f = &in->files[i];
		io_need(c, &f->name);
		io_bytes(c, &f->data, &f->size, 0);
		if (!c->out && !f->data)
			c->bad = 1;
	}
}

/* Every member of an institution a load sets (site.h). */
static void io_institution(cx *c, institution *in)
{
	io_need(c, &in->slug);
	io_need(c, &in->path);
	io_need(c, &in->name);
	io_str(c, &in->local_name);
	io_need(c, &in->country);
	io_need(c, &in->city);
	io_double(c, &in->lat);
	io_double(c, &in->lon);
	io_int(c, &in->has_location);
	io_list(c, &in->networks);
	io_list(c, &in->exchanges);
	io_list(c, &in->electives);
	io_count(c, &in->noffers, 16);
	in->offers = io_array(c, in->offers, in->noffers, sizeof *in->offers);
	for (size_t i = 0; i < in->noffers; i++)
		io_offer(c, &in->offers[i], in->path);
	io_list(c, &in->professions);
	io_list(c, &in->languages_of_instruction);
	io_str(c, &in->housing_html);
	io_str(c, &in->photo.file);
	io_str(c, &in->photo.alt);
	io_int(c, &in->photo.width);
	io_int(c, &in->photo.height);
	io_str(c, &in->updated);
	io_str(c, &in->bundle);
	io_files(c, in);
	io_str(c, &in->website);
	io_str(c, &in->email);
	io_str(c, &in->joined);
	io_need(c, &in->body_html);
	io_pos(c, &in->pos, in->path);
	io_pos(c, &in->pos_country, in->path);
	io_pos(c, &in->pos_location, in->path);
	io_pos(c, &in->pos_name, in->path);
	io_raw(c, in->digest_file, sizeof in->digest_file);
	io_raw(c, in->digest_head, sizeof in->digest_head);
	if (c->out)
		return;
	in->feature = -1;
	in->fallback = 0;
}

/* What the model's readers take for granted of a loaded institution. */
static int shaped(const institution *in)
{
	return strlen(in->country) == 2 && fabs(in->lat) <= PM_LAT_MAX &&
	       fabs(in->lon) <= PM_LON_MAX && (!in->photo.file || in->photo.alt);
}

static void io_ident(cx *c, rc_ident *id)
{
	io_u64(c, &id->size);
	io_u64(c, &id->mtime_ns);
	io_u64(c, &id->ctime_ns);
	io_u64(c, &id->ino);
	io_u64(c, &id->dev);
}

static void put_u32(buf_t *b, size_t v)
{
	cx c = {.out = b};
	uint32_t w = (uint32_t)v;
	io_u32(&c, &w);
}

void rc_entry_encode(buf_t *b, const char *path, const rc_ident *id,
		     const institution *in, const diags_t *d, size_t first)
{
	size_t start = b->len;
	put_u32(b, 0); /* the length, set below */
	cx c = {.out = b};
	char *p = (char *)path;
	rc_ident k = *id;
	int has = in != NULL;
	io_str(&c, &p);
	io_ident(&c, &k);
	io_int(&c, &has);
	if (in) {
		institution copy = *in;
		io_institution(&c, &copy);
	}
	size_t n = d->n - first;
	io_count(&c, &n, 1);
	for (size_t i = first; i < d->n; i++) {
		diag_t x = d->v[i];
		int level = (int)x.level, check = (int)x.check;
		io_int(&c, &level);
		io_int(&c, &check);
		io_str(&c, &x.path);
		io_int(&c, &x.line);
		io_int(&c, &x.col);
		io_str(&c, &x.msg);
	}
	size_t len = b->len - start - 4;
	for (int k2 = 0; k2 < 4; k2++)
		b->ptr[start + (size_t)k2] = (char)(unsigned char)(len >> (8 * k2));
}

/* The messages of an entry into d; 0, or -1 (d unchanged) when one is
 * malformed. */
static int decode_diags(cx *c, diags_t *d)
{
	size_t n = 0;
	diags_t got = DIAGS_INIT;
	io_count(c, &n, 24);
	for (size_t i = 0; i < n && !c->bad; i++) {
		int level = 0, check = 0, line = 0, col = 0;
		char *path = NULL, *msg = NULL;
		io_int(c, &level);
		io_int(c, &check);
		io_str(c, &path);
		io_int(c, &line);
		io_int(c, &col);
		io_str(c, &msg);
		if (!msg || level < DIAG_WARNING || level > DIAG_FATAL ||
		    check < 0 || check >= CHECK_COUNT ||
		    (level == DIAG_WARNING && check == CHECK_NONE))
			c->bad = 1;
		else
			diags_add(&got, (diag_level)level, (check_id)check, path,
				  line, col, "%s", msg);
		FREE_ALL(path, msg);
	}
	int ok = !c->bad && c->left == 0;
	if (ok)
		diags_move(d, &got);
	diags_free(&got);
	return ok ? 0 : -1;
}

int rc_entry_decode(const rc_slot *s, institution *in, int *has, diags_t *d)
{
	cx c = {.p = s->at, .left = s->len};
	char *path = NULL;
	rc_ident id;
	memset(in, 0, sizeof *in);
	*has = 0;
	io_str(&c, &path);
	io_ident(&c, &id);
	io_int(&c, has);
	c.model = 1;
	if (*has)
		io_institution(&c, in);
	c.model = 0; /* messages may quote any bytes: shown escaped */
	int ok = !c.bad && path && !strcmp(path, s->path) &&
		 (*has == 0 || (*has == 1 && !strcmp(in->path, path) &&
				shaped(in)));
	free(path);
	if (ok && decode_diags(&c, d) == 0)
		return 0;
	institution_free(in);
	*has = 0;
	return -1;
}

/* The path and identity an entry begins with, into s. */
static int slot_head(rc_slot *s)
{
	cx c = {.p = s->at, .left = s->len};
	io_str(&c, &s->path);
	io_ident(&c, &s->id);
	return c.bad || !s->path ? -1 : 0;
}

#define RC_PIECE ((size_t)1 << 20)

/* A cache file read in pieces: b[pos .. have) is the file from start +
 * pos on; the CRC is taken of every byte as it is read, up to end (the
 * file's size less its own CRC). */
typedef struct scan {
	int fd;
	unsigned long long end, next; /* next: the file offset read next */
	unsigned char *b;
	size_t cap, pos, have;
	unsigned long long start;
	unsigned long crc;
} scan;

/* b[pos .. pos + need) read: 0, or -1 when the file ends first or a read
 * fails. */
static int fill(scan *s, size_t need)
{
	if (s->have - s->pos >= need)
		return 0;
	if (need > s->end - (s->start + s->pos))
		return -1;
	if (s->b)
		memmove(s->b, s->b + s->pos, s->have - s->pos);
	s->start += s->pos;
	s->have -= s->pos;
	s->pos = 0;
	size_t want = need > RC_PIECE ? need : RC_PIECE;
	if (s->cap < want) {
		s->b = xrealloc(s->b, want);
		s->cap = want;
	}
	while (s->have < need) {
		unsigned long long left = s->end - s->next;
		size_t n = s->cap - s->have;
		if (n > left)
			n = (size_t)left;
		if (!n || fs_pread_all(s->fd, s->b + s->have, n, s->next) < 0)
			return -1;
		s->crc = crc32(s->crc, s->b + s->have, (uInt)n);
		s->have += n;
		s->next += n;
	}
	return 0;
}

/* Pass over n bytes (their CRC still taken): 0 or -1. */
static int skip(scan *s, unsigned long long n)
{
	while (n) {
		if (s->pos == s->have && fill(s, 1) < 0)
			return -1;
		size_t take = s->have - s->pos;
		if (take > n)
			take = (size_t)n;
		s->pos += take;
		n -= take;
	}
	return 0;
}

/* The u32 at the cursor, moved past: 0 or -1. */
static int scan_u32(scan *s, size_t *v)
{
	if (fill(s, 4) < 0)
		return -1;
	cx c = {.p = s->b + s->pos, .left = 4};
	uint32_t w = 0;
	io_u32(&c, &w);
	s->pos += 4;
	*v = w;
	return 0;
}

/* One entry at the cursor: its length, path and identity into e; the
 * cursor moved past it. 0 or -1. */
static int scan_entry(scan *s, rc_slot *e)
{
	size_t len, plen;
	if (scan_u32(s, &len) < 0 || len < 4 || fill(s, 4) < 0)
		return -1;
	cx c = {.p = s->b + s->pos, .left = 4};
	uint32_t w = 0;
	io_u32(&c, &w);
	plen = w;
	/* the head: the path's length and bytes, the identity's 5 u64 */
	if (w == NONE || plen > len - 4 || len - 4 - plen < 40 ||
	    fill(s, 4 + plen + 40) < 0)
		return -1;
	*e = (rc_slot){.at = s->b + s->pos, .len = 4 + plen + 40};
	if (slot_head(e) < 0)
		return -1;
	e->off = s->start + s->pos;
	e->len = len;
	e->at = NULL;
	return skip(s, len);
}

int rc_file_scan(int fd, size_t size, rc_file *f)
{
	size_t head = strlen(RC_MAGIC);
	memset(f, 0, sizeof *f);
	/* its first line: of another version, or damaged (util/fs.h) */
	char first[64];
	size_t nfirst = size < sizeof first ? size : sizeof first;
	if (fs_pread_all(fd, first, nfirst, 0) < 0)
		return -1;
	int other = fs_magic_other(first, nfirst, RC_MAGIC);
	unsigned char tail[4];
	if (size < head + 12 || size > RC_MAX_BYTES)
		return other ? -1 : -2;
	if (fs_pread_all(fd, tail, 4, size - 4) < 0)
		return -1;
	scan s = {.fd = fd, .end = size - 4};
	size_t keylen = 0;
	int bad = fill(&s, head) < 0 || memcmp(s.b, RC_MAGIC, head);
	if (!bad) {
		s.pos = head;
		bad = scan_u32(&s, &keylen) < 0 || keylen == NONE ||
		      fill(&s, keylen) < 0;
	}
	if (!bad) {
		f->key = xstrndup((const char *)s.b + s.pos, keylen);
		f->keylen = keylen;
		s.pos += keylen;
		bad = scan_u32(&s, &f->n) < 0 ||
		      f->n > (s.end - s.start - s.pos) / 48;
	}
	if (!bad) {
		f->v = xcalloc(f->n + 1, sizeof *f->v);
		for (size_t i = 0; i < f->n && !bad; i++)
			bad = scan_entry(&s, &f->v[i]) < 0;
	}
	cx c = {.p = tail, .left = 4};
	uint32_t want = 0;
	io_u32(&c, &want);
	bad = bad || s.start + s.pos != s.end || s.next != s.end ||
	      s.crc != want;
	free(s.b);
	if (bad) {
		rc_file_free(f);
		return other ? -1 : -2;
	}
	return 0;
}

void rc_file_free(rc_file *f)
{
	for (size_t i = 0; f->v && i < f->n; i++)
		free(f->v[i].path);
	free(f->v);
	free(f->key);
	memset(f, 0, sizeof *f);
}

int rc_reader_get(rc_reader *r, rc_slot *e)
{
	if (e->off < r->off || e->off + e->len > r->off + r->len) {
		if (e->off > r->end || e->len > r->end - e->off) {
			errno = EIO;
			return -1;
		}
		size_t n = e->len > RC_PIECE ? e->len : RC_PIECE;
		if (n > r->end - e->off)
			n = (size_t)(r->end - e->off);
		if (r->cap < n) {
			free(r->b);
			r->b = xmalloc(n);
			r->cap = n;
		}
		r->len = 0;
		if (fs_pread_all(r->fd, r->b, n, e->off) < 0)
			return -1;
		r->off = e->off;
		r->len = n;
	}
	e->at = r->b + (e->off - r->off);
	return 0;
}

void rc_reader_free(rc_reader *r)
{
	free(r->b);
	r->b = NULL;
	r->cap = r->len = 0;
}

void rc_file_begin(buf_t *out, const char *key, size_t count)
{
	cx c = {.out = out};
	char *k = (char *)key;
	buf_puts(out, RC_MAGIC);
	io_str(&c, &k);
	put_u32(out, count);
}

void rc_file_end(buf_t *out)
{
	put_u32(out, crc32(0L, (const unsigned char *)out->ptr, (uInt)out->len));
}

void rc_file_end_crc(buf_t *out, unsigned long crc)
{
	put_u32(out, (size_t)crc);
}
