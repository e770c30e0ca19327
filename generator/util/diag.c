/* diag.c - collected diagnostics. */
#define _GNU_SOURCE /* qsort_r */
#include "diag.h"
#include "buf.h"
#include "chars.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A message is one line: a line break in it could pose as another one. */
static int breaks_line(unsigned cp)
{
	return chars_is_unsafe(cp) || cp == '\n' || cp == '\r' || cp == '\t';
}

int diag_quote_len(const char *s)
{
	/* enough to see a whole character starting before the bound */
	size_t n = strnlen(s, DIAG_QUOTE_MAX + 4);
	if (n <= DIAG_QUOTE_MAX)
		return (int)n;
	size_t at = 0;
	while (at < DIAG_QUOTE_MAX) {
		unsigned cp;
		size_t k = chars_decode(s + at, n - at, &cp);
		if (at + k > DIAG_QUOTE_MAX)
			break;
		at += k;
	}
	return (int)at;
}

const char *diag_quote_more(const char *s)
{
	return strnlen(s, DIAG_QUOTE_MAX + 1) > DIAG_QUOTE_MAX ? "\xE2\x80\xA6" /* … */ : "";
}

const char *diag_article(const char *noun)
{
	return noun[0] && strchr("aeiou", noun[0]) ? "an " : "a ";
}

char *diag_quote(const char *s)
{
	return xasprintf("%.*s%s", DIAG_QUOTE(s));
}

/* diag_visible (diag.h): a copy of s fit for a terminal and for every
 * report format: every
 * control, line break and bidi control (an escape sequence, an override)
 * written out as <U+XXXX>, so a file name or a value quoted in a message
 * can neither drive the terminal, nor start a line of its own, nor
 * reorder the line; and every byte that is not part of valid UTF-8 (a
 * file name from another encoding) as <0xXX>, so JSON reports, which
 * must be UTF-8 (RFC 8259, section 8.1), stay valid. */
char *diag_visible(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), i = 0;
	buf_t b = BUF_INIT;
	while (i < n) {
		unsigned cp;
		size_t len = chars_decode(s + i, n - i, &cp);
		/* chars_decode gives a lone 0xFFFD for a byte that starts no
		 * valid sequence; a real U+FFFD takes three bytes */
		if (cp == 0xFFFD && len == 1)
			buf_printf(&b, "<0x%02X>", (unsigned char)s[i]);
		else if (breaks_line(cp))
			buf_printf(&b, "<U+%04X>", cp);
		else
			buf_put(&b, s + i, len);
		i += len;
	}
	return buf_detach(&b);
}

/* ---- names ------------------------------------------------------------- */

static const struct {
	const char *name, *what;
} checks[CHECK_COUNT] = {
	[CHECK_NONE] = {NULL, NULL},
#define PM_CHECK_ROW(id, name, what) [CHECK_##id] = {name, what},
	PM_CHECKS(PM_CHECK_ROW)
#undef PM_CHECK_ROW
};

const char *diag_check_name(check_id id)
{
	return id > CHECK_NONE && id < CHECK_COUNT ? checks[id].name : NULL;
}

const char *diag_check_what(check_id id)
{
	return id > CHECK_NONE && id < CHECK_COUNT ? checks[id].what : NULL;
}

check_id diag_check_by_name(const char *name)
{
	for (int i = CHECK_NONE + 1; name && i < CHECK_COUNT; i++)
		if (!strcmp(checks[i].name, name))
			return (check_id)i;
	return CHECK_NONE;
}

int policy_action_from(const char *word)
{
	static const char *const words[] = {
		[POLICY_WARN] = "warning", [POLICY_ERROR] = "error",
		[POLICY_IGNORE] = "ignore"};
	for (int i = 0; word && i < (int)(sizeof words / sizeof words[0]); i++)
		if (!strcmp(words[i], word))
			return i;
	return -1;
}

/* ---- collecting ---------------------------------------------------------- */

static void count(diags_t *d, diag_level lv, int by)
{
	size_t *n = lv == DIAG_ERROR ? &d->errors :
		    lv == DIAG_FATAL ? &d->fatals : &d->warnings;
	*n += (size_t)by;
}

/* Whether c ends a run of a message's words (shorten_runs). */
static int run_end(char c)
{
	return c == '\0' || c == ' ' || c == '\n' || c == '\t';
}

/* Whether c closes what a run quotes ("'x'," "(x)." "[x]"). */
static int closes(char c)
{
	return c && strchr("'\")]},.;:", c) != NULL;
}

/* msg with each run of more than DIAG_RUN_MAX bytes without a space, not
 * counting what opens and closes it (a
 * value an editor wrote, quoted with '%s': 3,000 letters of capacity:, a
 * 50,000-digit number) cut to its first diag_quote_len bytes, "…", and
 * the few bytes that close it; a fresh string, or NULL when no run is
 * that long. What opens the run ("'", "(") is kept before those bytes. */
static char *shorten_runs(const char *msg)
{
	buf_t b = BUF_INIT;
	int cut = 0;
	for (const char *p = msg; *p;) {
		size_t n = 0;
		while (!run_end(p[n]))
			n++;
		size_t lead = 0, tail = 0;
		while (lead < 4 && lead < n && strchr("'\"([{", p[lead]))
			lead++;
		while (tail < 4 && lead + tail < n && closes(p[n - 1 - tail]))
			tail++;
		if (n - lead - tail > DIAG_RUN_MAX) {
			buf_put(&b, p, lead + (size_t)diag_quote_len(p + lead));
			buf_puts(&b, "\xE2\x80\xA6"); /* … */
			buf_put(&b, p + n - tail, tail);
			cut = 1;
		} else {
			buf_put(&b, p, n);
		}
		p += n;
		if (*p)
			buf_putc(&b, *p++);
	}
	if (!cut) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

void diags_add(diags_t *d, diag_level lv, check_id check, const char *path,
	       int line, int col, const char *fmt, ...)
{
	/* diag_warning cannot be called without a name; this catches a
	 * direct call that has none. */
	assert(lv != DIAG_WARNING || diag_check_name(check));
	d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof *d->v, 16);
	buf_t m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	diag_t *x = &d->v[d->n++];
	x->level = lv;
	x->check = diag_check_name(check) ? check : CHECK_NONE;
	x->path = diag_visible(path);
	/* a problem of a file as a whole is at its start */
	x->line = path && line < 1 ? 1 : path ? line : 0;
	x->col = path && (line < 1 || col < 1) ? 1 : path ? col : 0;
	char *short_msg = shorten_runs(buf_cstr(&m));
	x->msg = diag_visible(short_msg ? short_msg : buf_cstr(&m));
	free(short_msg);
	buf_free(&m);
	count(d, lv, 1);
}

void diags_apply(diags_t *d, const diag_policy *p)
{
	size_t kept = 0;
	for (size_t i = 0; i < d->n; i++) {
		diag_t *x = &d->v[i];
		int act = x->level == DIAG_WARNING ? p->action[x->check] :
			  POLICY_WARN;
		if (act == POLICY_IGNORE) {
			count(d, x->level, -1);
			free(x->path);
			free(x->msg);
			continue;
		}
		if (x->level == DIAG_WARNING && (act == POLICY_ERROR || p->strict)) {
			count(d, DIAG_WARNING, -1);
			x->level = DIAG_ERROR;
			count(d, DIAG_ERROR, 1);
		}
		d->v[kept++] = *x;
	}
	d->n = kept;
}

/* qsort_r's order of diagnostics' indices: by path, then index. */
static int cmp_at_path(const void *a, const void *b, void *arg)
{
	const diag_t *v = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(v[i].path, v[j].path);
	return c ? c : i < j ? -1 : i > j;
}

/* What comes first among one file's diagnostics when not all are shown:
 * the errors, then the warnings of the checks it has fewest of (a flood
 * of one kind, 170 missing translations, does not hide a typo told
 * once), each in d's order. */
typedef struct rank_ctx {
	const diag_t *v;
	const size_t *same; /* per check: the file's warnings of it */
} rank_ctx;

static size_t rank_of(const rank_ctx *r, size_t i)
{
	return r->v[i].level == DIAG_WARNING ? 1 + r->same[r->v[i].check] : 0;
}

static int cmp_rank(const void *a, const void *b, void *arg)
{
	const rank_ctx *r = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	size_t x = rank_of(r, i), y = rank_of(r, j);
	if (x != y)
		return x < y ? -1 : 1;
	return i < j ? -1 : i > j;
}

void diags_shown(const diags_t *d, diag_shown *s)
{
	s->shown = xcalloc(d->n + 1, 1);
	s->note = xcalloc(d->n + 1, sizeof *s->note);
	s->errs = xcalloc(d->n + 1, sizeof *s->errs);
	s->warns = xcalloc(d->n + 1, sizeof *s->warns);
	size_t *at = xcalloc(d->n + 1, sizeof *at), m = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].path)
			at[m++] = i;
		else
			s->shown[i] = 1;
	qsort_r(at, m, sizeof *at, cmp_at_path, d->v);
	size_t same[CHECK_COUNT];
	for (size_t start = 0, end; start < m; start = end) {
		end = start + 1;
		while (end < m && !strcmp(d->v[at[end]].path, d->v[at[start]].path))
			end++;
		if (end - start > DIAG_PRINT_PER_FILE) {
			memset(same, 0, sizeof same);
			for (size_t k = start; k < end; k++)
				if (d->v[at[k]].level == DIAG_WARNING)
					same[d->v[at[k]].check]++;
			rank_ctx r = {d->v, same};
			qsort_r(at + start, end - start, sizeof *at, cmp_rank, &r);
		}
		size_t last = 0, first = (size_t)-1, errs = 0, warns = 0;
		for (size_t k = start; k < end; k++) {
			size_t i = at[k];
			if (k - start < DIAG_PRINT_PER_FILE) {
				s->shown[i] = 1;
				last = i > last ? i : last;
				continue;
			}
			first = i < first ? i : first;
			if (d->v[i].level == DIAG_WARNING)
				warns++;
			else
				errs++;
		}
		if (errs + warns) {
			s->note[last] = first + 1;
			s->errs[last] = errs;
			s->warns[last] = warns;
		}
	}
	free(at);
}

void diag_shown_free(diag_shown *s)
{
	free(s->shown);
	free(s->note);
	free(s->errs);
	free(s->warns);
	memset(s, 0, sizeof *s);
}

/* "3 errors, 2 warnings", "1 warning": the counts that are not 0. */
static void put_counts(FILE *out, size_t errs, size_t warns)
{
	if (errs)
		fprintf(out, "%zu error%s", errs, errs == 1 ? "" : "s");
	if (errs && warns)
		fputs(", ", out);
	if (warns)
		fprintf(out, "%zu warning%s", warns, warns == 1 ? "" : "s");
}

void diags_print(const diags_t *d, FILE *out)
{
	diag_shown s;
	diags_shown(d, &s);
	for (size_t i = 0; i < d->n; i++) {
		const diag_t *x = &d->v[i];
		if (!s.shown[i])
			continue;
		const char *kind = x->level == DIAG_WARNING ? "warning" : "error";
		const char *name = diag_check_name(x->check);
		if (x->path)
			fprintf(out, "%s:%d:%d: ", x->path, x->line, x->col);
		else
			fputs("partnermap: ", out);
		fprintf(out, "%s: %s", kind, x->msg);
		if (name)
			fprintf(out, " [%s]", name);
		fputc('\n', out);
		if (s.note[i]) {
			const diag_t *y = &d->v[s.note[i] - 1];
			size_t more = s.errs[i] + s.warns[i];
			fprintf(out, "%s:%d:%d: note: %zu more problem%s of this "
				"file %s not shown (", y->path, y->line, y->col,
				more, more == 1 ? "" : "s",
				more == 1 ? "is" : "are");
			put_counts(out, s.errs[i], s.warns[i]);
			fputs("): fix the ones above first; partnermap check "
			      "--format json lists them all\n", out);
		}
	}
	diag_shown_free(&s);
	size_t all = d->errors + d->fatals;
	if (all || d->warnings)
		fprintf(out, "%zu error%s, %zu warning%s\n", all,
			all == 1 ? "" : "s", d->warnings,
			d->warnings == 1 ? "" : "s");
}

void diags_print_checks(FILE *out)
{
	int width = 0;
	for (int i = CHECK_NONE + 1; i < CHECK_COUNT; i++)
		if ((int)strlen(checks[i].name) > width)
			width = (int)strlen(checks[i].name);
	for (int i = CHECK_NONE + 1; i < CHECK_COUNT; i++)
		fprintf(out, "%-*s  %s\n", width, checks[i].name, checks[i].what);
}

typedef struct placed {
	diag_t x;
	size_t group; /* the first place its file's problems were told at */
	size_t order; /* where it was: ties keep it (qsort is not stable) */
} placed;

static int cmp_placed(const void *a, const void *b)
{
	const placed *p = a, *q = b;
	if (p->group != q->group)
		return p->group < q->group ? -1 : 1;
	if (p->x.line != q->x.line)
		return p->x.line < q->x.line ? -1 : 1;
	if (p->x.col != q->x.col)
		return p->x.col < q->x.col ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* A diagnostic's path with where it was told, to find the first place
 * each file's problems were told at. */
typedef struct told_at {
	const char *path;
	size_t order;
} told_at;

static int cmp_told(const void *a, const void *b)
{
	const told_at *p = a, *q = b;
	int c = strcmp(p->path, q->path);
	return c ? c : p->order < q->order ? -1 : p->order > q->order;
}

static int same_diag(const diag_t *a, const diag_t *b)
{
	return a->level == b->level && a->check == b->check &&
	       a->line == b->line && a->col == b->col &&
	       !strcmp(a->msg, b->msg);
}

static void forget(diags_t *d, diag_t *x)
{
	if (x->level == DIAG_ERROR)
		d->errors--;
	else if (x->level == DIAG_WARNING)
		d->warnings--;
	else
		d->fatals--;
	free(x->path);
	free(x->msg);
}

void diags_sort_runs(diags_t *d)
{
	size_t n = d->n;
	if (n < 2)
		return;
	placed *t = xmalloc(n * sizeof *t);
	told_at *w = xmalloc(n * sizeof *w);
	size_t nw = 0;
	for (size_t k = 0; k < n; k++) {
		t[k] = (placed){d->v[k], k, k};
		if (d->v[k].path)
			w[nw++] = (told_at){d->v[k].path, k};
	}
	/* every problem of a file joins the first told of it */
	qsort(w, nw, sizeof *w, cmp_told);
	for (size_t k = 0; k < nw; k++)
		t[w[k].order].group = k && !strcmp(w[k - 1].path, w[k].path) ?
			t[w[k - 1].order].group : w[k].order;
	free(w);
	qsort(t, n, sizeof *t, cmp_placed);
	/* one problem told twice at one place (two checks that meet) once */
	size_t kept = 0;
	for (size_t k = 0; k < n; k++) {
		int twice = 0;
		for (size_t j = kept; !twice && j-- > 0;) {
			const placed *p = &t[j];
			if (p->group != t[k].group || p->x.line != t[k].x.line ||
			    p->x.col != t[k].x.col)
				break;
			twice = t[k].x.path && same_diag(&p->x, &t[k].x);
		}
		if (twice)
			forget(d, &t[k].x);
		else
			t[kept++] = t[k];
	}
	for (size_t k = 0; k < kept; k++)
		d->v[k] = t[k].x;
	d->n = kept;
	free(t);
}

void diags_move(diags_t *dst, diags_t *src)
{
	for (size_t i = 0; i < src->n; i++) {
		diag_t *x = &src->v[i];
		dst->v = xgrow(dst->v, &dst->cap, dst->n + 1, sizeof *dst->v,
			       16);
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
