/* translate.c - a site in one of its other languages: the loaded model
 * with each record's texts taken from its translation file, text by text,
 * and the default language's where the file leaves one out. */
#include "load.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

/* The texts of one record of a view that a translation may replace:
 * pointers into the record; NULL for a text its kind has not. */
typedef struct record_texts {
	char **name, **body, **description, **city;
	unsigned *fallback;
} record_texts;

/* The texts of the record t translates, in the view v; 0, or -1 when v
 * has no such record (a draft, or one left out for its errors). */
static int texts_of(site *v, const translation *t, record_texts *x)
{
	memset(x, 0, sizeof *x);
	if (t->kind == RECORD_INSTITUTION) {
		institution *in = (institution *)site_institution(v, t->slug);
		if (in)
			*x = (record_texts){&in->name, &in->body_html, NULL,
					    &in->city, &in->fallback};
	} else if (t->kind == RECORD_NETWORK) {
		network *net = (network *)site_network(v, t->slug);
		if (net)
			*x = (record_texts){&net->name, &net->body_html,
					    &net->description, NULL,
					    &net->fallback};
	} else {
		for (size_t k = 0; k < v->npages && !x->name; k++)
			if (!strcmp(v->pages[k].slug, t->slug))
				*x = (record_texts){&v->pages[k].title,
						    &v->pages[k].body_html,
						    NULL, NULL,
						    &v->pages[k].fallback};
	}
	return x->name ? 0 : -1;
}

/* Put the translated text over *text when there is one; else mark the
 * fallback bit. The view borrows the translation's string. */
static void take(char **text, char *translated, unsigned bit,
		 unsigned *fallback)
{
	if (translated)
		*text = translated;
	else
		*fallback |= bit;
}

/* The texts of translation t over its record's in the view v. */
static void apply(site *v, const translation *t)
{
	record_texts x;
	if (texts_of(v, t, &x) < 0)
		return;
	*x.fallback = 0;
	take(x.name, t->name, PM_FALLBACK_NAME, x.fallback);
	take(x.body, t->body_html, PM_FALLBACK_BODY, x.fallback);
	if (x.description)
		take(x.description, t->description, PM_FALLBACK_DESCRIPTION,
		     x.fallback);
	if (x.city && t->city)
		*x.city = t->city;
}

/* site.yml's texts in the view v: site.<lang>.yml's where it gives them
 * (st, or NULL without such a file), else the default language's, marked
 * in v->cfg.fallback when there is one. */
static void apply_site_texts(site *v, const site_texts *st)
{
	char **texts[] = {&v->cfg.title, &v->cfg.description, &v->cfg.intro,
			  &v->cfg.sample_note};
	char *given[4] = {NULL};
	if (st)
		memcpy(given, (char *[]){st->title, st->description, st->intro,
					 st->sample_note}, sizeof given);
	v->cfg.fallback = 0;
	/* in the order of the PM_SITE_* bits: 1 << k */
	for (unsigned k = 0; k < 4; k++)
		if (*texts[k])
			take(texts[k], given[k], 1u << k, &v->cfg.fallback);
}

/* A copy of n records of `size` bytes. */
static void *copy_of(const void *v, size_t n, size_t size)
{
	void *c = xcalloc(n ? n : 1, size);
	if (n)
		memcpy(c, v, n * size);
	return c;
}

void site_in_language(const site *s, const char *lang, site *view)
{
	*view = *s;
	view->inst = copy_of(s->inst, s->ninst, sizeof *s->inst);
	view->net = copy_of(s->net, s->nnet, sizeof *s->net);
	view->pages = copy_of(s->pages, s->npages, sizeof *s->pages);
	view->cfg.language = (char *)lang;
	view->cfg.base_url = xasprintf("%s%s/", s->cfg.base_url, lang);
	/* Until a translation says otherwise, every body with text is in
	 * the default language. */
	unsigned all = PM_FALLBACK_NAME | PM_FALLBACK_BODY;
	for (size_t i = 0; i < view->ninst; i++)
		view->inst[i].fallback = all;
	for (size_t n = 0; n < view->nnet; n++)
		view->net[n].fallback = all | PM_FALLBACK_DESCRIPTION;
	for (size_t p = 0; p < view->npages; p++)
		view->pages[p].fallback = all;
	for (size_t k = 0; k < s->ntr; k++)
		if (!strcmp(s->tr[k].lang, lang))
			apply(view, &s->tr[k]);
	const site_texts *st = NULL;
	for (size_t k = 0; k < s->nstx && !st; k++)
		if (!strcmp(s->stx[k].lang, lang))
			st = &s->stx[k];
	apply_site_texts(view, st);
}

void site_view_free(site *view)
{
	free(view->inst);
	free(view->net);
	free(view->pages);
	free(view->cfg.base_url);
	memset(view, 0, sizeof *view);
}
