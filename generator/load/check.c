/* check.c - checks across records, once everything is loaded (and a point
 * shapefile may have given locations). Every step sorts or hashes: with
 * 100,000 institutions nothing compares all pairs. */
#include "load.h"
#include "offers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../render/routes.h"
#include "../util/buf.h"

static size_t error_count(const diags_t *d)
{
	return d->errors + d->fatals;
}

static void check_locations(const site *s, diags_t *d)
{
	const map_config *map = &s->cfg.map;
	for (size_t i = 0; i < s->ninst; i++) {
		const institution *in = &s->inst[i];
		/* a point file with errors said so: whether it has this
		 * record's point is not known */
		if (in->has_location || (map->points && s->points_failed))
			continue;
		if (map->points && in->point_empty)
			diag_error(d, in->path, in->pos.line, in->pos.col,
				   "no location: its point in %s (record %d) is empty: give that point its place, or add location: [latitude, longitude]",
				   map->points, in->point_empty);
		else if (map->points)
			diag_error(d, in->path, in->pos.line, in->pos.col,
				   "no location: add location: [latitude, longitude], or a point with %s = %s to %s",
				   map->points_slug_field ? map->points_slug_field : "slug",
				   in->slug, map->points);
		else
			diag_error(d, in->path, in->pos.line, in->pos.col,
				   "missing required field 'location'");
	}
}

/* Every network an institution names exists (load checks this where the
 * slug's line is known; this covers models built by other means), and no
 * network is left without members (unless a record was refused, whose
 * networks are not known: site.inst_refused). */
static void check_memberships(const site *s, diags_t *d)
{
	size_t *members = xcalloc(s->nnet + 1, sizeof *members);
	for (size_t i = 0; i < s->ninst; i++) {
		const institution *in = &s->inst[i];
		for (size_t k = 0; k < in->networks.n; k++) {
			const network *net = site_network(s, in->networks.v[k]);
			if (net)
				members[net - s->net]++;
			else
				diag_error(d, in->path, in->pos.line, in->pos.col,
					   "unknown network '%.*s%s' (there is no "
					   "content/networks/%.*s%s.md)",
					   DIAG_QUOTE(in->networks.v[k]),
					   DIAG_QUOTE(in->networks.v[k]));
		}
	}
	/* a record left out for its errors may be a network's member: the
	 * warning waits for the fix rather than say something untrue */
	/* nor of a network whose file was not read, for its name or place:
	 * its error says what to do with the file first */
	for (size_t i = 0; !s->inst_refused && i < s->nnet; i++)
		if (!members[i] && !s->net[i].unread)
			diag_warning(d, EMPTY_NETWORK, s->net[i].path, s->net[i].pos.line,
				     s->net[i].pos.col,
				     "no institution belongs to network '%s': "
				     "add '%s' to the networks of its members, "
				     "or remove this file", s->net[i].slug,
				     s->net[i].slug);
	free(members);
}

/* Pointers to the n items of size bytes at base, sorted by cmp (which
 * gets pointers to two of the pointers); the caller frees the array. */
static const void **sorted_refs(const void *base, size_t n, size_t size,
				int (*cmp)(const void *, const void *))
{
	const void **v = xmalloc((n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (const char *)base + i * size;
	qsort(v, n, sizeof *v, cmp);
	return v;
}

/* Sort by name, then country and city; ties keep slug order. */
static int cmp_by_name(const void *a, const void *b)
{
	const institution *x = *(const void *const *)a;
	const institution *y = *(const void *const *)b;
	int c = strcasecmp(x->name, y->name);
	if (!c)
		c = strcmp(x->country, y->country);
	if (!c)
		c = strcasecmp(x->city, y->city);
	if (!c)
		c = strcmp(x->slug, y->slug);
	return c;
}

static int same_place(const institution *x, const institution *y)
{
	return !strcmp(x->country, y->country) && !strcasecmp(x->city, y->city);
}

/* Two records with one name in one city are one partner written twice:
 * an error. The same name elsewhere (two "University Hospital"s) is only
 * worth a warning, as the list will show two equal names. */
static void check_institution_names(const site *s, diags_t *d)
{
	if (s->ninst < 2)
		return;
	const void **by_name = sorted_refs(s->inst, s->ninst, sizeof *s->inst,
					   cmp_by_name);
	size_t first = 0; /* of the run with one name */
	for (size_t i = 1; i < s->ninst; i++) {
		const institution *prev = by_name[i - 1], *y = by_name[i];
		const institution *head = by_name[first];
		if (strcasecmp(prev->name, y->name)) {
			first = i;
			continue;
		}
		/* within a run, one place's records are next to each other */
		/* at the name, which is what repeats */
		srcpos at = y->pos_name.line ? y->pos_name : y->pos;
		if (same_place(prev, y))
			diag_error(d, y->path, at.line, at.col,
				   "'%s' in %s is already %s (a duplicate "
				   "record?): keep one of the two",
				   y->name, y->city, prev->path);
		else
			diag_warning(d, DUPLICATE_NAME, y->path, at.line, at.col,
				     "another institution is also called '%s' "
				     "(%s): add what tells them apart to the "
				     "name, such as the city", y->name,
				     head->path);
	}
	free(by_name);
}

static int cmp_network_names(const void *a, const void *b)
{
	const network *x = *(const void *const *)a;
	const network *y = *(const void *const *)b;
	int c = strcasecmp(x->name, y->name);
	return c ? c : strcmp(x->slug, y->slug);
}

/* The legend and the filters list networks by name: names must differ. */
static void check_network_names(const site *s, diags_t *d)
{
	if (s->nnet < 2)
		return;
	const void **by_name = sorted_refs(s->net, s->nnet, sizeof *s->net,
					   cmp_network_names);
	for (size_t i = 1; i < s->nnet; i++) {
		const network *prev = by_name[i - 1], *y = by_name[i];
		/* a stand-in name (the slug of a file with errors) is no name
		 * anyone wrote */
		srcpos at = y->pos_name.line ? y->pos_name : y->pos;
		if (!prev->stand_in && !y->stand_in &&
		    !strcasecmp(prev->name, y->name))
			diag_error(d, y->path, at.line, at.col,
				   "network name '%s' is already used by %s: "
				   "give each network a name of its own",
				   y->name, prev->path);
	}
	free(by_name);
}

static void check_page_slugs(const site *s, diags_t *d)
{
	for (size_t i = 0; i < s->npages; i++) {
		const page *pg = &s->pages[i];
		/* a folder the build writes at the top of output/ */
		if (route_reserved(pg->slug))
			diag_error(d, pg->path, pg->pos.line, pg->pos.col,
				   "a page cannot be called '%s': the site's %s/ folder has that name; rename the file",
				   pg->slug, pg->slug);
		/* the home page of another of the site's languages is
		 * <tag>/index.html; compared without case, as macOS and
		 * Windows compare file names */
		const strlist *l = &s->cfg.languages;
		for (size_t k = 1; k < l->n; k++)
			if (!strcasecmp(pg->slug, l->v[k]))
				diag_error(d, pg->path, pg->pos.line,
					   pg->pos.col,
					   "a page cannot be called '%s': the site's pages in %s (languages: in site.yml) are in the %s/ folder; rename the file",
					   pg->slug, l->v[k], l->v[k]);
	}
}

/* A translation's page has the files its record's page has: those the
 * record names or its body links. A link in a translation's body to any
 * other file beside the page would be broken. */
static void check_translation_links(const site *s, diags_t *d)
{
	for (size_t i = 0; i < s->ntr; i++) {
		const translation *t = &s->tr[i];
		const institution *in = t->nlinks ? site_institution(s, t->slug)
						  : NULL;
		for (size_t k = 0; in && k < t->nlinks; k++) {
			const linked_file *f = &t->links[k];
			if (offers_remote_image(f, "the body", s->cfg.base_url, t->path,
						d))
				continue;
			char *shown = diag_quote(f->name);
			const char *more = offers_more(f->more, "the body");
			if (f->broken)
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s', %s%s", shown,
					   f->broken, more);
			else if (offers_own_record(f->name))
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s', a record of this "
					   "page, which is never published: %s%s",
					   shown, offers_own_record(f->name), more);
			else if (inst_file(in, f->name))
				; /* a file its page has */
			else if (offers_page_name(f->name))
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s' as a page beside "
					   "this one, and the site has none there: %s%s",
					   shown, offers_page_hint(f->name), more);
			else if (offers_email_like(f->name))
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s' as a file beside "
					   "the page, but it is an e-mail address: "
					   "write mailto:%s%s", shown, shown, more);
			else if (!offers_published_kind(f->name))
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s' as a file beside "
					   "the page, and its page has none: for a "
					   "web address, write it whole (https://%s)%s",
					   shown, shown, more);
			else if (in->bundle && f->held)
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s', which its page "
					   "does not have: a translation's page "
					   "has the files %s names or links; link "
					   "%s from there too%s", shown, in->path,
					   shown, more);
			else if (in->bundle)
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s', which its page "
					   "does not have: a translation's page "
					   "has the files %s names or links; put "
					   "%s in the page bundle and link it from "
					   "there too%s", shown, in->path, shown,
					   more);
			else
				diag_error(d, t->path, f->line, f->col,
					   "the body links to '%s' as a file beside "
					   "the page, but only a page bundle has "
					   "files, and %s is no bundle: move it to "
					   "content/institutions/%s/index.md, this "
					   "file to content/institutions/%s/index.%s.md, "
					   "and put %s beside them%s", shown, in->path,
					   t->slug, t->slug, t->lang, shown, more);
			free(shown);
		}
	}
}

int site_check(site *s, diags_t *d)
{
	size_t before = error_count(d);
	check_locations(s, d);
	check_memberships(s, d);
	check_institution_names(s, d);
	check_network_names(s, d);
	check_page_slugs(s, d);
	check_translation_links(s, d);
	return error_count(d) > before ? -1 : 0;
}
