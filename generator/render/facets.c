/* facets.c - the home page's facets beyond networks and exchange levels:
 * elective type, discipline, language and month, each read from an
 * institution's elective offers (site.h). One table row per facet: how to
 * list an institution's values, how to order and name them. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "../load/offers.h"
#include "text.h"

typedef struct facet_def {
	const char *param;  /* its key in the URL fragment: #type=clinical */
	const char *attr;   /* data-<attr> of each directory entry */
	const char *legend; /* the i18n key of its legend */
	/* Append in's values to out, each once, separated by spaces (a value
	 * is a slug, a language tag or a number: it holds no space). */
	void (*values)(const institution *in, buf_t *out);
	/* The place of a value among the options (ties go by label), and its
	 * label: a fresh string. */
	int (*rank)(const render_ctx *r, const char *value);
	char *(*label)(const render_ctx *r, const char *value);
	int pages;          /* each value has its page, electives/<value>/ */
} facet_def;

/* Append the n bytes of v to out unless out holds that value already.
 * Every directory entry lists its values so: no list of copies to make
 * and free, 100,000 times per page kind. */
static void add_once(buf_t *out, const char *v, size_t n)
{
	const char *p = buf_cstr(out);
	while (*p) {
		size_t w = strcspn(p, " ");
		if (w == n && !memcmp(p, v, n))
			return;
		p += w + (p[w] == ' ');
	}
	if (out->len)
		buf_putc(out, ' ');
	buf_put(out, v, n);
}

static void add_all(buf_t *out, const strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		add_once(out, l->v[i], strlen(l->v[i]));
}

static void type_values(const institution *in, buf_t *out)
{
	add_all(out, &in->electives);
}

static void discipline_values(const institution *in, buf_t *out)
{
	for (size_t k = 0; k < in->noffers; k++)
		add_all(out, &in->offers[k].disciplines);
}

/* Language tags compare without case (RFC 5646 section 2.1.1): values
 * are written in lower case. */
static void language_values(const institution *in, buf_t *out)
{
	buf_t tag = BUF_INIT;
	for (size_t k = 0; k < in->noffers; k++)
		for (size_t j = 0; j < in->offers[k].languages.n; j++) {
			buf_reset(&tag);
			for (const char *p = in->offers[k].languages.v[j]; *p; p++)
				buf_putc(&tag, *p >= 'A' && *p <= 'Z' ?
					 *p - 'A' + 'a' : *p);
			add_once(out, tag.ptr, tag.len);
		}
	buf_free(&tag);
}

/* Months 1-12, in order, of every offer that names its months. */
static void month_values(const institution *in, buf_t *out)
{
	unsigned all = 0;
	for (size_t k = 0; k < in->noffers; k++)
		all |= in->offers[k].months;
	for (int m = 1; m <= 12; m++)
		if (all & (1u << (m - 1))) {
			char num[12];
			int n = snprintf(num, sizeof num, "%d", m);
			add_once(out, num, (size_t)n);
		}
}

static int type_rank(const render_ctx *r, const char *v)
{
	(void)r;
	for (int e = 0; e < RENDER_ELECTIVES; e++)
		if (!strcmp(render_electives[e], v))
			return e;
	return RENDER_ELECTIVES;
}

static int discipline_rank(const render_ctx *r, const char *v)
{
	const discipline *d = site_discipline(&r->s->cfg, v);
	return d ? (int)(d - r->s->cfg.disciplines) : (int)r->s->cfg.ndisciplines;
}

static int by_label(const render_ctx *r, const char *v)
{
	(void)r;
	(void)v;
	return 0;
}

static int month_rank(const render_ctx *r, const char *v)
{
	(void)r;
	return atoi(v);
}

static char *type_label(const render_ctx *r, const char *v)
{
	return i18n_text(r->i18n, v, NULL);
}

static char *discipline_label(const render_ctx *r, const char *v)
{
	return view_discipline_name(r, v);
}

/* A language's name in the site's language (i18n_language_name). */
static char *language_label(const render_ctx *r, const char *v)
{
	return view_language_name(r, v);
}

static char *month_label(const render_ctx *r, const char *v)
{
	return xstrdup(i18n_month(r->i18n, atoi(v), 0));
}

static const facet_def facet_defs[] = {
	{"type", "types", "facet_type", type_values, type_rank, type_label, 1},
	{"discipline", "disciplines", "facet_discipline", discipline_values,
	 discipline_rank, discipline_label, 0},
	{"lang", "languages", "facet_lang", language_values, by_label,
	 language_label, 0},
	{"month", "months", "facet_month", month_values, month_rank, month_label, 0},
};
#define NFACETS (sizeof facet_defs / sizeof facet_defs[0])

size_t view_facet_attr_count(void)
{
	return NFACETS;
}

const char *view_facet_attr(size_t f)
{
	return facet_defs[f].attr;
}

char *view_facet_values(const institution *in, size_t f)
{
	buf_t out = BUF_INIT;
	facet_defs[f].values(in, &out);
	/* handed on as it is: the caller frees it soon */
	if (out.len)
		return out.ptr;
	buf_free(&out);
	return NULL;
}

cJSON *view_facet_attrs(const institution *in)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t f = 0; f < NFACETS; f++) {
		char *joined = view_facet_values(in, f);
		if (joined) {
			cJSON *o = cJSON_CreateObject();
			add_str(o, "attr", facet_defs[f].attr);
			add_owned(o, "values", joined);
			cJSON_AddItemToArray(a, o);
		}
	}
	return a;
}

/* One option of a facet while counting. */
typedef struct option {
	char *value, *label;
	int rank;
	size_t count;
} option;

static int cmp_option(const void *a, const void *b)
{
	const option *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->label, y->label);
}

/* One option's view; its count is written in the page's language (digits,
 * grouping: i18n_number), as the network and level counts are. */
static cJSON *view_option(const render_ctx *r, const facet_def *def,
			  const option *o)
{
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "value", o->value);
	cJSON_AddStringToObject(v, "label", o->label);
	char *count = i18n_number(r->i18n, (double)o->count);
	cJSON_AddStringToObject(v, "count", count);
	free(count);
	if (def->pages) {
		route at = {ROUTE_ELECTIVE, o->value, 0};
		char *file = route_file(at), *path = route_path(at);
		cJSON_AddStringToObject(v, "href", file);
		char *csv = xconcat(path, ROUTE_ELECTIVE_CSV);
		cJSON_AddStringToObject(v, "csv_href", csv);
		free(csv);
		free(file);
		free(path);
	}
	return v;
}

/* The options of one facet, those some institution has, each with the
 * number of institutions that have it; NULL when there are none. */
static cJSON *view_facet(const render_ctx *r, const facet_def *def)
{
	option *opt = NULL;
	size_t n = 0;
	buf_t l = BUF_INIT;
	for (size_t i = 0; i < r->s->ninst; i++) {
		buf_reset(&l);
		def->values(&r->s->inst[i], &l);
		if (!l.len)
			continue;
		char *save = NULL;
		for (char *v = strtok_r(l.ptr, " ", &save); v;
		     v = strtok_r(NULL, " ", &save)) {
			size_t k = 0;
			while (k < n && strcmp(opt[k].value, v))
				k++;
			if (k == n) {
				opt = xrealloc(opt, (n + 1) * sizeof *opt);
				opt[n++] = (option){xstrdup(v), def->label(r, v),
						    def->rank(r, v), 0};
			}
			opt[k].count++;
		}
	}
	buf_free(&l);
	if (!n)
		return NULL;
	qsort(opt, n, sizeof *opt, cmp_option);
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "param", def->param);
	cJSON_AddStringToObject(f, "attr", def->attr);
	char *legend = i18n_text(r->i18n, def->legend, NULL);
	cJSON_AddStringToObject(f, "legend", legend);
	free(legend);
	cJSON_AddBoolToObject(f, "has_pages", def->pages);
	cJSON *opts = cJSON_AddArrayToObject(f, "options");
	for (size_t k = 0; k < n; k++) {
		cJSON_AddItemToArray(opts, view_option(r, def, &opt[k]));
		free(opt[k].value);
		free(opt[k].label);
	}
	free(opt);
	return f;
}

cJSON *view_facets(const render_ctx *r)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t f = 0; f < NFACETS; f++) {
		cJSON *v = view_facet(r, &facet_defs[f]);
		if (v)
			cJSON_AddItemToArray(a, v);
	}
	return a;
}
