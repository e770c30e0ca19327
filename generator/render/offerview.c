/* offerview.c - an institution's elective offers and the details around
 * them, as the institution page shows them (themes/README.md) and as the
 * GeoJSON carries them. Missing facts are left out of a view, so a
 * template can say "Not given" with an inverted section. */
#include "render.h"

#include <stdlib.h>
#include <string.h>


#include "../load/offers.h"
#include "text.h"

/* ---- words for people ---------------------------------------------------- */

/* A list of n items being written as "a", "a and b", "a, b and c": the
 * separator and the "and" before the last item are the page language's
 * (list_separator and list_and, with their spaces), English without a
 * language. */
typedef struct joiner {
	buf_t b;
	char *sep, *and;
	size_t i, n;
} joiner;

static void join_start(joiner *j, const i18n *t, size_t n)
{
	*j = (joiner){.b = BUF_INIT, .n = n};
	j->sep = t ? i18n_text(t, "list_separator", NULL) : xstrdup(", ");
	j->and = t ? i18n_text(t, "list_and", NULL) : xstrdup(" and ");
}

static void join_add(joiner *j, const char *item)
{
	size_t i = j->i++;
	buf_printf(&j->b, "%s%s", i == 0 ? "" : i + 1 < j->n ? j->sep : j->and,
		   item);
}

/* The list written; frees the rest of j. */
static char *join_end(joiner *j)
{
	free(j->sep);
	free(j->and);
	return buf_detach(&j->b);
}

/* The items of l named by name (a new string for each) and joined as
 * the page's language joins a list ("a, b and c"), or NULL for none. */
static char *names_text(const render_ctx *r, const strlist *l,
			char *(*name)(const render_ctx *, const char *))
{
	if (!l->n)
		return NULL;
	joiner j;
	join_start(&j, r->i18n, l->n);
	for (size_t i = 0; i < l->n; i++) {
		char *one = name(r, l->v[i]);
		join_add(&j, one);
		free(one);
	}
	return join_end(&j);
}

/* A language tag's name in the page's language (i18n_language_name). */
static char *language_name(const render_ctx *r, const char *tag)
{
	return view_language_name(r, tag);
}

/* "English, French and Portuguese (Brazil)" in the page's language, or
 * NULL for none. */
static char *languages_text(const render_ctx *r, const strlist *tags)
{
	return names_text(r, tags, language_name);
}

char *view_discipline_name(const render_ctx *r, const char *slug)
{
	if (!r->s->cfg.disciplines_builtin || !site_discipline(&r->s->cfg, slug))
		return xstrdup(offers_discipline_name(&r->s->cfg, slug));
	char *key = xasprintf("discipline_%s", slug);
	char *name = i18n_text(r->i18n, key, NULL);
	free(key);
	return name;
}

static char *disciplines_text(const render_ctx *r, const strlist *l)
{
	return names_text(r, l, view_discipline_name);
}

char *view_levels_text(const i18n *t, const strlist *l)
{
	if (!l->n)
		return NULL;
	joiner j;
	join_start(&j, t, l->n);
	for (size_t i = 0; i < l->n; i++) {
		char *key = xasprintf("offer_level_%s", l->v[i]);
		char *word = i18n_text(t, key, NULL);
		join_add(&j, word);
		free(word);
		free(key);
	}
	cJSON *fill = cJSON_CreateObject();
	add_owned(fill, "levels", join_end(&j));
	char *s = i18n_text(t, "offer_students", fill);
	cJSON_Delete(fill);
	char *cap = text_capitalise(s);
	free(s);
	return cap;
}

static char *duration_text(const render_ctx *r, const offer *o)
{
	if (!o->weeks_min)
		return NULL;
	if (o->weeks_min == o->weeks_max)
		return i18n_plural(r->i18n, "offer_weeks", o->weeks_min, NULL);
	cJSON *fill = cJSON_CreateObject();
	add_owned(fill, "min", i18n_number(r->i18n, o->weeks_min));
	char *text = i18n_plural(r->i18n, "offer_weeks_range", o->weeks_max, fill);
	cJSON_Delete(fill);
	return text;
}

static char *months_text(const render_ctx *r, unsigned months)
{
	if (!months)
		return NULL;
	if (months == PM_ALL_MONTHS)
		return i18n_text(r->i18n, "all_year", NULL);
	size_t n = 0;
	for (int m = 0; m < 12; m++)
		n += (months >> m) & 1u;
	joiner j;
	join_start(&j, r->i18n, n);
	for (int m = 0; m < 12; m++)
		if ((months >> m) & 1u)
			join_add(&j, i18n_month(r->i18n, m + 1, 0));
	return join_end(&j);
}

static char *deadline_text(const render_ctx *r, const offer *o)
{
	if (o->apply_by)
		return i18n_date(r->i18n, o->apply_by);
	if (o->apply_weeks)
		return i18n_plural(r->i18n, "offer_apply_weeks", o->apply_weeks,
				   NULL);
	return NULL;
}

static char *fee_text(const render_ctx *r, const offer_fee *fee)
{
	if (!fee->given)
		return NULL;
	if (fee->waived)
		return i18n_text(r->i18n, "fee_waived", NULL);
	/* with every digit of the currency's minor unit (ISO 4217): 250.00
	 * EUR, 12.500 BHD, 25000 JPY; in the page's language's digits and
	 * decimal sign */
	char *amount = i18n_decimal(r->i18n, fee->amount,
				    offers_currency_digits(fee->currency));
	char *text = xasprintf("%s %s", amount, fee->currency);
	free(amount);
	return text;
}

char *view_size_text(const i18n *t, size_t n)
{
	const char *key = n < 1024 ? "file_size_bytes" :
			  n < 1024 * 1024 ? "file_size_kb" : "file_size_mb";
	double x = n < 1024 ? (double)n : n < 1024 * 1024 ?
		   (double)((n + 1023) / 1024) : (double)n / (1024.0 * 1024.0);
	cJSON *fill = cJSON_CreateObject();
	add_owned(fill, "size", i18n_decimal(t, x, n < 1024 * 1024 ? 0 : 1));
	char *s = i18n_plural(t, key, x, fill);
	cJSON_Delete(fill);
	return s;
}

/* ---- the page's view ------------------------------------------------------ */

/* Twelve cells, January first: {abbr, name, offered}, named in the
 * page's language. */
static cJSON *month_cells(const i18n *t, unsigned months)
{
	cJSON *a = cJSON_CreateArray();
	for (int m = 0; m < 12; m++) {
		cJSON *c = cJSON_CreateObject();
		add_str(c, "abbr", i18n_month(t, m + 1, 1));
		add_str(c, "name", i18n_month(t, m + 1, 0));
		add_bool(c, "offered", (months >> m) & 1u);
		cJSON_AddItemToArray(a, c);
	}
	return a;
}

/* A file of the bundle: {href, name, title, kind, size_label}, href
 * relative to the institution's page (the file is published beside it),
 * kind and size_label in the page's language. */
static cJSON *file_view(const render_ctx *r, const institution *in,
			const char *name, const char *title)
{
	const bundle_file *f = inst_file(in, name);
	cJSON *o = cJSON_CreateObject();
	add_owned(o, "href", text_file_href(name));
	add_str(o, "name", name);
	add_str(o, "title", title ? title : name);
	add_owned(o, "kind", i18n_text(r->i18n, file_kind_key(name), NULL));
	if (f)
		add_owned(o, "size_label", view_size_text(r->i18n, f->size));
	return o;
}

static cJSON *contact_view(const offer_contact *c)
{
	if (!c->name && !c->role && !c->email)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	add_str(o, "name", c->name);
	add_str(o, "role", c->role);
	if (c->email) {
		add_str(o, "email", c->email);
		add_owned(o, "mailto", text_mailto(c->email));
	}
	return o;
}

static cJSON *offer_view(const render_ctx *r, const institution *in,
			 const offer *o, size_t i)
{
	cJSON *v = cJSON_CreateObject();
	add_str(v, "type", o->type);
	add_owned(v, "type_label", i18n_text(r->i18n, o->type, NULL));
	add_owned(v, "id", xasprintf("offer-%zu", i + 1));
	add_owned(v, "disciplines_text", disciplines_text(r, &o->disciplines));
	add_owned(v, "levels_text", view_levels_text(r->i18n, &o->levels));
	add_owned(v, "languages_text", languages_text(r, &o->languages));
	add_owned(v, "duration_text", duration_text(r, o));
	if (o->capacity)
		add_owned(v, "capacity_text", i18n_plural(r->i18n, "offer_capacity",
							  o->capacity, NULL));
	add_owned(v, "months_text", months_text(r, o->months));
	add_item(v, "months", month_cells(r->i18n, o->months));
	add_str(v, "apply_by", o->apply_by);
	add_owned(v, "deadline_text", deadline_text(r, o));
	add_owned(v, "fee_text", fee_text(r, &o->fee));
	add_str(v, "requirements_html", o->requirements_html);
	add_bool(v, "has_forms", o->nforms > 0);
	if (o->nforms) {
		cJSON *forms = cJSON_AddArrayToObject(v, "forms");
		for (size_t k = 0; k < o->nforms; k++)
			cJSON_AddItemToArray(forms, file_view(r, in, o->forms[k].file,
							      o->forms[k].title));
	}
	cJSON *contact = contact_view(&o->contact);
	if (contact)
		cJSON_AddItemToObject(v, "contact", contact);
	return v;
}

void view_institution_details(const render_ctx *r, const institution *in,
			      cJSON *o)
{
	add_bool(o, "has_offers", in->noffers > 0);
	cJSON *offers = cJSON_AddArrayToObject(o, "offers");
	for (size_t i = 0; i < in->noffers; i++)
		cJSON_AddItemToArray(offers, offer_view(r, in, &in->offers[i], i));
	if (in->professions.n) {
		/* the editors' own words, in English */
		joiner j;
		join_start(&j, NULL, in->professions.n);
		for (size_t i = 0; i < in->professions.n; i++)
			join_add(&j, in->professions.v[i]);
		add_owned(o, "professions_text", join_end(&j));
	}
	add_owned(o, "instruction_text",
		  languages_text(r, &in->languages_of_instruction));
	add_str(o, "housing_html", in->housing_html);
	if (in->updated) {
		add_str(o, "updated", in->updated);
		add_owned(o, "updated_label", r->i18n ?
			  i18n_date(r->i18n, in->updated) :
			  text_date_label(in->updated));
	}
	if (in->photo.file) {
		cJSON *p = cJSON_AddObjectToObject(o, "photo");
		add_owned(p, "src", text_file_href(in->photo.file));
		add_str(p, "alt", in->photo.alt);
		if (in->photo.width) {
			cJSON_AddNumberToObject(p, "width", in->photo.width);
			cJSON_AddNumberToObject(p, "height", in->photo.height);
		}
	}
}

/* ---- open data ------------------------------------------------------------ */

static cJSON *strings(const strlist *l)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

static cJSON *month_numbers(unsigned months)
{
	cJSON *a = cJSON_CreateArray();
	for (int m = 0; m < 12; m++)
		if ((months >> m) & 1u)
			cJSON_AddItemToArray(a, cJSON_CreateNumber(m + 1));
	return a;
}

static void add_or_null(cJSON *o, const char *key, cJSON *v)
{
	cJSON_AddItemToObject(o, key, v ? v : cJSON_CreateNull());
}

static cJSON *fee_json(const offer_fee *fee)
{
	if (!fee->given)
		return NULL;
	if (fee->waived)
		return cJSON_CreateString("waived");
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "amount", fee->amount);
	cJSON_AddStringToObject(o, "currency", fee->currency);
	return o;
}

static cJSON *contact_json(const offer_contact *c)
{
	if (!c->name && !c->role && !c->email)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	add_or_null(o, "name", c->name ? cJSON_CreateString(c->name) : NULL);
	add_or_null(o, "role", c->role ? cJSON_CreateString(c->role) : NULL);
	add_or_null(o, "email", c->email ? cJSON_CreateString(c->email) : NULL);
	return o;
}

static cJSON *number_or_null(int n)
{
	return n ? cJSON_CreateNumber(n) : NULL;
}

cJSON *export_offer(const institution *in, const offer *o, const char *page_url)
{
	cJSON *v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "type", o->type);
	cJSON_AddItemToObject(v, "disciplines", strings(&o->disciplines));
	cJSON_AddItemToObject(v, "levels", strings(&o->levels));
	cJSON_AddItemToObject(v, "languages", strings(&o->languages));
	add_or_null(v, "weeks_min", number_or_null(o->weeks_min));
	add_or_null(v, "weeks_max", number_or_null(o->weeks_max));
	add_or_null(v, "capacity", number_or_null(o->capacity));
	cJSON_AddItemToObject(v, "months", month_numbers(o->months));
	add_or_null(v, "apply_by", o->apply_by ? cJSON_CreateString(o->apply_by) : NULL);
	add_or_null(v, "apply_weeks_ahead", number_or_null(o->apply_weeks));
	add_or_null(v, "fee", fee_json(&o->fee));
	cJSON *forms = cJSON_AddArrayToObject(v, "forms");
	for (size_t k = 0; k < o->nforms; k++) {
		const bundle_file *f = inst_file(in, o->forms[k].file);
		cJSON *form = cJSON_CreateObject();
		char *url = xconcat(page_url, o->forms[k].file);
		cJSON_AddStringToObject(form, "url", url);
		free(url);
		cJSON_AddStringToObject(form, "title", o->forms[k].title ?
					o->forms[k].title : o->forms[k].file);
		cJSON_AddNumberToObject(form, "bytes", f ? (double)f->size : 0);
		cJSON_AddItemToArray(forms, form);
	}
	add_or_null(v, "contact", contact_json(&o->contact));
	return v;
}
