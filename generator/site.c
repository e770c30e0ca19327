/* site.c - the model's life cycle and its lookups. */
#include "site.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void site_init(site *s)
{
	memset(s, 0, sizeof *s);
}

char *strlist_join(const strlist *l)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, l->v[i]);
	}
	return buf_detach(&b);
}

void strlist_free(strlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void strlist_pack(strlist *l, const char *const *words, size_t n)
{
	size_t head = xmul(xadd(n, 1), sizeof *l->v), size = head;
	for (size_t i = 0; i < n; i++)
		size = xadd(size, strlen(words[i]) + 1);
	char **v = xmalloc(size);
	char *at = (char *)v + head;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(words[i]) + 1;
		memcpy(at, words[i], len);
		v[i] = at;
		at += len;
	}
	v[n] = NULL;
	strlist_free(l);
	l->v = v;
	l->n = n;
}

void strlist_take(strlist *l, char **words, size_t n)
{
	strlist_pack(l, (const char *const *)words, n);
	free_each((void *const *)words, n);
	free(words);
}

void strlist_append(strlist *l, const char *word)
{
	const char **words = xcalloc(l->n + 2, sizeof *words);
	for (size_t i = 0; i < l->n; i++)
		words[i] = l->v[i];
	words[l->n] = word;
	strlist_pack(l, words, l->n + 1); /* copies, then frees the old */
	free(words);
}

void offer_free(offer *o)
{
	free(o->type);
	strlist_free(&o->disciplines);
	strlist_free(&o->levels);
	strlist_free(&o->languages);
	free(o->apply_by);
	free(o->requirements_html);
	for (size_t i = 0; i < o->nforms; i++) {
		free(o->forms[i].file);
		free(o->forms[i].title);
	}
	free(o->forms);
	free(o->contact.name);
	free(o->contact.role);
	free(o->contact.email);
	memset(o, 0, sizeof *o);
}

const discipline *site_discipline(const site_config *cfg, const char *slug)
{
	for (size_t i = 0; i < cfg->ndisciplines; i++)
		if (!strcmp(cfg->disciplines[i].slug, slug))
			return &cfg->disciplines[i];
	return NULL;
}

static int cmp_slug_key(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

int site_left_out(const site *s, const char *slug)
{
	const strlist *out = &s->inst_left_out;
	return out->n && bsearch(slug, out->v, out->n, sizeof *out->v,
				 cmp_slug_key) != NULL;
}

char *translation_dir(const translation *t)
{
	const char *section = t->kind == RECORD_INSTITUTION ? "institutions/" :
			      t->kind == RECORD_NETWORK ? "networks/" : "";
	return xasprintf("%s/%s%s/", t->lang, section, t->slug);
}

void site_refused_page(site *s, const char *path, const char *dir,
		       int values, int of_translation)
{
	s->refused = xreallocarray(s->refused, s->nrefused + 1,
				   sizeof *s->refused);
	s->refused[s->nrefused++] = (refused_page){xstrdup(path), xstrdup(dir),
						   values, of_translation, NULL};
}

const bundle_file *inst_file(const institution *in, const char *name)
{
	for (size_t i = 0; i < in->nfiles; i++)
		if (!strcmp(in->files[i].name, name))
			return &in->files[i];
	return NULL;
}

void institution_free(institution *in)
{
	FREE_ALL(in->slug, in->path, in->name, in->country, in->city,
		 in->local_name);
	strlist_free(&in->networks);
	strlist_free(&in->exchanges);
	strlist_free(&in->electives);
	FREE_ALL(in->website, in->email, in->joined, in->body_html);
	for (size_t i = 0; i < in->noffers; i++)
		offer_free(&in->offers[i]);
	free(in->offers);
	strlist_free(&in->professions);
	strlist_free(&in->languages_of_instruction);
	FREE_ALL(in->housing_html, in->photo.file, in->photo.alt, in->updated,
		 in->bundle);
	for (size_t i = 0; i < in->nfiles; i++)
		FREE_ALL(in->files[i].name, in->files[i].data);
	free(in->files);
	memset(in, 0, sizeof *in);
}

void network_free(network *net)
{
	FREE_ALL(net->slug, net->path, net->name, net->kind, net->colour,
		 net->description, net->body_html);
	memset(net, 0, sizeof *net);
}

void page_free(page *pg)
{
	FREE_ALL(pg->slug, pg->path, pg->title, pg->body_html);
	memset(pg, 0, sizeof *pg);
}

void translation_free(translation *t)
{
	for (size_t i = 0; i < t->nlinks; i++) {
		free(t->links[i].name);
		free(t->links[i].broken);
	}
	FREE_ALL(t->slug, t->lang, t->path, t->name, t->city, t->description,
		 t->body_html, t->links);
	memset(t, 0, sizeof *t);
}

void site_texts_free(site_texts *t)
{
	FREE_ALL(t->lang, t->path, t->title, t->description, t->intro,
		 t->sample_note);
	memset(t, 0, sizeof *t);
}

void config_free(site_config *cfg)
{
	FREE_ALL(cfg->title, cfg->base_url, cfg->language, cfg->theme,
		 cfg->description, cfg->intro, cfg->sample_note,
		 cfg->map.basemap, cfg->map.iso_field, cfg->map.name_field,
		 cfg->map.projection, cfg->map.points,
		 cfg->map.points_slug_field);
	for (size_t i = 0; i < cfg->ndisciplines; i++)
		FREE_ALL(cfg->disciplines[i].slug, cfg->disciplines[i].name);
	free(cfg->disciplines);
	for (size_t i = 0; i < cfg->ncountries; i++)
		FREE_ALL(cfg->countries[i].name, cfg->countries[i].basemap_field,
			 cfg->countries[i].basemap_value);
	free(cfg->countries);
	strlist_free(&cfg->languages);
	free(cfg->languages_at);
	memset(cfg, 0, sizeof *cfg);
}

void countries_free(country_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].official);
		free(t->v[i].basemap_field);
		free(t->v[i].basemap_value);
	}
	free(t->v);
	free(t->by2);
	free(t->by3);
	memset(t, 0, sizeof *t);
}

void site_free(site *s)
{
	for (size_t i = 0; i < s->ninst; i++)
		institution_free(&s->inst[i]);
	for (size_t i = 0; i < s->nnet; i++)
		network_free(&s->net[i]);
	for (size_t i = 0; i < s->npages; i++)
		page_free(&s->pages[i]);
	for (size_t i = 0; i < s->ntr; i++)
		translation_free(&s->tr[i]);
	for (size_t i = 0; i < s->nstx; i++)
		site_texts_free(&s->stx[i]);
	FREE_ALL(s->inst, s->net, s->pages, s->tr, s->tr_slot, s->stx);
	config_free(&s->cfg);
	countries_free(&s->countries);
	strlist_free(&s->inst_left_out);
	for (size_t i = 0; i < s->nrefused; i++)
		FREE_ALL(s->refused[i].path, s->refused[i].dir, s->refused[i].lang);
	free(s->refused);
	free(s->dir);
	memset(s, 0, sizeof *s);
}

/* Binary search over an array sorted by a slug member. */
static const void *find_slug(const void *base, size_t n, size_t size,
			     size_t slug_offset, const char *slug)
{
	size_t lo = 0, hi = n;
	if (!slug)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *elem = (const char *)base + mid * size;
		const char *key = *(char *const *)(elem + slug_offset);
		int c = strcmp(slug, key);
		if (c == 0)
			return elem;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const network *site_network(const site *s, const char *slug)
{
	return find_slug(s->net, s->nnet, sizeof *s->net,
			 offsetof(network, slug), slug);
}

const institution *site_institution(const site *s, const char *slug)
{
	return find_slug(s->inst, s->ninst, sizeof *s->inst,
			 offsetof(institution, slug), slug);
}
