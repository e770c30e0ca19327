/* diag.c - collected diagnostics. */
#include "diag.h"
#include "buf.h"
#include "chars.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A message is one line: a line break in it could pose as another one. */
static int breaks_line(unsigned cp)
{
	return chars_is_unsafe(cp) || cp == '\n' || cp == '\r';
}

/* A copy of s fit for a terminal: every control, line break and bidi
 * control (an escape sequence, an override) written out as <U+XXXX>, so
 * a file name or a value quoted in a message can neither drive the
 * terminal, nor start a line of its own, nor reorder the line. */
static char *visible(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), i = 0;
	buf_t b = BUF_INIT;
	while (i < n) {
		unsigned cp;
		size_t at = chars_find(s + i, n - i, breaks_line, &cp);
		buf_put(&b, s + i, at);
		i += at;
		if (i < n) {
			buf_printf(&b, "<U+%04X>", cp);
			i += chars_decode(s + i, n - i, &cp);
		}
	}
	return buf_detach(&b);
}

void diags_add(diags_t *d, diag_level lv, const char *path, int line, int col,
	       const char *fmt, ...)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	buf_t m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	diag_t *x = &d->v[d->n++];
	x->level = lv;
	x->path = visible(path);
	x->line = line;
	x->col = col;
	x->msg = visible(buf_cstr(&m));
	buf_free(&m);
	if (lv == DIAG_ERROR)
		d->errors++;
	else if (lv == DIAG_FATAL)
		d->fatals++;
	else
		d->warnings++;
}

void diags_print(const diags_t *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		const char *kind = x->level == DIAG_WARNING ? "warning" : "error";
		if (x->path && x->line > 0)
			fprintf(out, "%s:%d:%d: %s: %s\n", x->path, x->line,
				x->col > 0 ? x->col : 1, kind, x->msg);
		else if (x->path)
			fprintf(out, "%s: %s: %s\n", x->path, kind, x->msg);
		else
			fprintf(out, "partnermap: %s: %s\n", kind, x->msg);
	}
	size_t errs = d->errors + d->fatals;
	if (errs || d->warnings)
		fprintf(out, "%zu error%s, %zu warning%s\n", errs,
			errs == 1 ? "" : "s", d->warnings,
			d->warnings == 1 ? "" : "s");
}

void diags_move(diags_t *dst, diags_t *src)
{
	for (size_t i = 0; i < src->n; i++) {
		diag_t *x = &src->v[i];
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 16;
			dst->v = xrealloc(dst->v, dst->cap * sizeof *dst->v);
		}
		dst->v[dst->n++] = *x;
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	dst->fatals += src->fatals;
	free(src->v);
	memset(src, 0, sizeof *src);
}

int diags_has(const diags_t *d, diag_level lv, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == lv && strstr(d->v[i].msg, needle))
			return 1;
	return 0;
}

void diags_free(diags_t *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}
