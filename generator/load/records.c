/* records.c - content/networks, content/pages and content/institutions:
 * one Markdown file each, named <slug>.md, with front matter.
 *
 * Folders are read in file-name order (so messages come in a stable
 * order), then each array is sorted by slug so lookups can binary-search. */
#include "load.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/safefs.h"
#include "fields.h"
#include "frontmatter.h"

/* One file being read. */
typedef struct rec_ctx {
	field_ctx f;        /* its path and where messages go */
	site *s;
	const fm_doc *doc;
} rec_ctx;

static const char *const exchange_values[] = {"undergraduate",
					      "postgraduate", NULL};
static const char *const elective_values[] = {"clinical", "research",
					      "observership", NULL};
static const char *const kind_values[] = {"global", "regional", NULL};

/* Okabe and Ito's palette: told apart by colour-blind readers too. Yellow
 * last, as it is the hardest to see on a light map. */
static const char *const network_palette[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7",
	"#e69f00", "#56b4e9", "#000000", "#f0e442"};

/* Room for one more element in an array of n. The capacity follows from
 * n (8, 16, 32 ...), so the model needs no capacity fields. */
static void *grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return xrealloc(v, 8 * size);
	if (n >= 8 && (n & (n - 1)) == 0)
		return xrealloc(v, 2 * n * size);
	return v;
}

static srcpos pos_of(const char *path, const fm_node *v)
{
	return (srcpos){path, v->line, v->col};
}

static int error_count(const diags_t *d)
{
	return (int)(d->errors + d->fatals);
}

/* ---- lists of fixed words ---------------------------------------------- */

static void join_words(buf_t *b, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		buf_printf(b, "%s%s", i == 0 ? "" : words[i + 1] ? ", " : " or ",
			   words[i]);
}

static int word_index(const char *word, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (!strcasecmp(word, words[i]))
			return i;
	return -1;
}

static void unknown_word(rec_ctx *c, const fm_node *at, const char *what,
			 const char *word, const char *const *words)
{
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "unknown %s '%s' (expected ", what, word);
	join_words(&msg, words);
	buf_puts(&msg, ")");
	const char *best = hint_from(word, words);
	if (best)
		buf_printf(&msg, "; did you mean %s?", best);
	diag_error(c->f.d, c->f.path, at->line, at->col, "%s", buf_cstr(&msg));
	buf_free(&msg);
}

/* A list drawn from words: stored in the order of words, so that every
 * page lists "undergraduate, postgraduate" the same way. Returns how many
 * items were written, right or wrong. */
static size_t read_word_list(rec_ctx *c, const fm_node *v, strlist *out,
			   const char *const *words, const char *what)
{
	const fm_node *items;
	size_t n;
	unsigned seen = 0;
	strlist_free(out);
	if (field_list(&c->f, v, &items, &n) < 0)
		return 1; /* reported */
	for (size_t i = 0; i < n; i++) {
		char *word = NULL;
		if (field_required_text(&c->f, &items[i], &word) < 0)
			continue;
		int k = word_index(word, words);
		if (k < 0)
			unknown_word(c, &items[i], what, word, words);
		else if (seen & (1u << k))
			diag_warning(c->f.d, LISTED_TWICE, c->f.path, items[i].line,
				     items[i].col, "%s '%s' is listed twice",
				     what, word);
		else
			seen |= 1u << k;
		free(word);
	}
	int nwords = 0;
	while (words[nwords])
		nwords++;
	out->v = xcalloc((size_t)nwords + 1, sizeof *out->v);
	for (int k = 0; words[k]; k++)
		if (seen & (1u << k))
			out->v[out->n++] = xstrdup(words[k]);
	return n;
}

static void require_some(rec_ctx *c, const fm_node *v,
			 const char *const *words)
{
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "%s must list at least one of ", v->key);
	join_words(&msg, words);
	diag_error(c->f.d, c->f.path, v->line, v->col, "%s", buf_cstr(&msg));
	buf_free(&msg);
}

/* ---- institution fields ------------------------------------------------ */

static void read_country(rec_ctx *c, const fm_node *v, institution *in)
{
	char *code = NULL;
	in->pos_country = pos_of(in->path, v);
	if (field_required_text(&c->f, v, &code) < 0)
		return;
	const country_table *t = &c->s->countries;
	const country *found = country_by_alpha2(t, code);
	if (found) {
		in->country = xstrdup(found->alpha2);
	} else if (!t->n && strlen(code) == 2 && isalpha((unsigned char)code[0]) &&
		   isalpha((unsigned char)code[1])) {
		/* no iso-codes table (already reported): keep the shape */
		in->country = xasprintf("%c%c", toupper((unsigned char)code[0]),
					toupper((unsigned char)code[1]));
	} else {
		const country *as3 = country_by_alpha3(t, code);
		const country *named = as3 ? NULL : country_by_name(t, code);
		if (as3)
			diag_error(c->f.d, c->f.path, v->line, v->col,
				   "unknown country code '%s' (an ISO 3166-1 alpha-3 code for %s); did you mean %s?",
				   code, as3->name, as3->alpha2);
		else if (named)
			diag_error(c->f.d, c->f.path, v->line, v->col,
				   "unknown country code '%s' (expected an ISO 3166-1 alpha-2 code); did you mean %s?",
				   code, named->alpha2);
		else
			diag_error(c->f.d, c->f.path, v->line, v->col,
				   "unknown country code '%s' (expected an ISO 3166-1 alpha-2 code such as UG)",
				   code);
	}
	free(code);
}

/* One coordinate; 0 when it is a number within [-limit, limit]. extra
 * ends the out-of-range message. */
static int read_coordinate(rec_ctx *c, const fm_node *v, const char *what,
			   double limit, const char *extra, double *out)
{
	if (v->type != FM_NUMBER) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "%s must be a number, not %s", what,
			   fm_type_name(v->type));
		return -1;
	}
	if (!(fabs(v->num) <= limit)) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "%s %s is out of range [%g, %g]%s", what, v->text,
			   -limit, limit, extra);
		return -1;
	}
	*out = v->num;
	return 0;
}

static void read_location(rec_ctx *c, const fm_node *v, institution *in)
{
	in->pos_location = pos_of(in->path, v);
	if (v->type != FM_SEQ || v->n != 2) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "location must be [latitude, longitude]: two numbers in degrees");
		return;
	}
	const fm_node *lat = &v->kids[0], *lon = &v->kids[1];
	/* [32.57, 0.33] for [0.33, 32.57]: the commonest slip */
	int swapped = lat->type == FM_NUMBER && lon->type == FM_NUMBER &&
		      fabs(lat->num) <= PM_LON_MAX && fabs(lon->num) <= PM_LAT_MAX;
	const char *extra = swapped ?
		" (location is [latitude, longitude]: are the two swapped?)" : "";
	int bad = read_coordinate(c, lat, "latitude", PM_LAT_MAX, extra, &in->lat);
	bad |= read_coordinate(c, lon, "longitude", PM_LON_MAX, "", &in->lon);
	in->has_location = !bad;
}

static void unknown_network(rec_ctx *c, const fm_node *at, const char *slug)
{
	const site *s = c->s;
	hint_t h;
	hint_init(&h, slug);
	for (size_t i = 0; i < s->nnet; i++)
		hint_offer(&h, s->net[i].slug);
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "unknown network '%s' (there is no content/networks/%s.md)",
		   slug, slug);
	hint_put(&h, &msg);
	diag_error(c->f.d, c->f.path, at->line, at->col, "%s", buf_cstr(&msg));
	buf_free(&msg);
}

static void read_networks(rec_ctx *c, const fm_node *v, institution *in)
{
	const fm_node *items;
	size_t n;
	if (field_list(&c->f, v, &items, &n) < 0)
		return;
	if (!n) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "networks must name at least one network");
		return;
	}
	char *seen = xcalloc(c->s->nnet + 1, 1);
	in->networks.v = xcalloc(n + 1, sizeof *in->networks.v);
	for (size_t i = 0; i < n; i++) {
		char *slug = NULL;
		if (field_required_text(&c->f, &items[i], &slug) < 0)
			continue;
		const network *net = site_network(c->s, slug);
		if (!net)
			unknown_network(c, &items[i], slug);
		else if (seen[net - c->s->net])
			diag_warning(c->f.d, LISTED_TWICE, c->f.path, items[i].line,
				     items[i].col, "network '%s' is listed twice",
				     slug);
		else {
			seen[net - c->s->net] = 1;
			in->networks.v[in->networks.n++] = xstrdup(net->slug);
		}
		free(slug);
	}
	free(seen);
}

static void read_website(rec_ctx *c, const fm_node *v, institution *in)
{
	const char *why;
	if (field_text(&c->f, v, &in->website) < 0 || !in->website)
		return;
	if (check_http_url(in->website, &why) < 0) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "website must be an http(s) URL (%s), such as "
			   "https://www.example.org/", why);
		return;
	}
	char *url = url_normalise(in->website);
	free(in->website);
	in->website = url;
}

static void read_email(rec_ctx *c, const fm_node *v, institution *in)
{
	if (field_text(&c->f, v, &in->email) < 0 || !in->email)
		return;
	buf_t why = BUF_INIT;
	if (check_email(in->email, &why) == 0) {
		buf_free(&why);
		return;
	}
	char *guess = email_suggestion(in->email);
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "email '%s' does not look like an e-mail address (%s): "
		   "write one plain address such as name@example.org, without "
		   "%%, ?, &, spaces, quotes or comments", in->email,
		   buf_cstr(&why));
	if (guess)
		buf_printf(&msg, "; did you mean %s?", guess);
	diag_error(c->f.d, c->f.path, v->line, v->col, "%s", buf_cstr(&msg));
	free(guess);
	buf_free(&msg);
	buf_free(&why);
}

static void read_joined(rec_ctx *c, const fm_node *v, institution *in)
{
	if (field_text(&c->f, v, &in->joined) < 0 || !in->joined)
		return;
	int rc = check_date(in->joined);
	if (rc == -1)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "joined must be a date written YYYY-MM-DD, not '%s'",
			   in->joined);
	else if (rc == -2)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "joined: %s is not a real date", in->joined);
}

static const char *const institution_keys[] = {
	"name", "country", "city", "location", "networks", "exchanges",
	"electives", "website", "email", "joined", "draft", NULL};

static void read_institution_key(rec_ctx *c, const fm_node *v,
				 institution *in)
{
	const char *k = v->key;
	if (!strcmp(k, "name"))
		field_required_text(&c->f, v, &in->name);
	else if (!strcmp(k, "country"))
		read_country(c, v, in);
	else if (!strcmp(k, "city"))
		field_required_text(&c->f, v, &in->city);
	else if (!strcmp(k, "location"))
		read_location(c, v, in);
	else if (!strcmp(k, "networks"))
		read_networks(c, v, in);
	else if (!strcmp(k, "exchanges")) {
		if (!read_word_list(c, v, &in->exchanges, exchange_values,
				    "exchange level"))
			require_some(c, v, exchange_values);
	} else if (!strcmp(k, "electives"))
		read_word_list(c, v, &in->electives, elective_values,
			       "elective");
	else if (!strcmp(k, "website"))
		read_website(c, v, in);
	else if (!strcmp(k, "email"))
		read_email(c, v, in);
	else if (!strcmp(k, "joined"))
		read_joined(c, v, in);
	else if (strcmp(k, "draft"))
		field_unknown_key(&c->f, v, institution_keys);
}

/* Required keys that are absent altogether: one message each, at the
 * opening of the front matter (where they would be added). */
static void require_keys(rec_ctx *c, const char *const *keys)
{
	for (; *keys; keys++)
		if (!fm_get(&c->doc->root, *keys))
			diag_error(c->f.d, c->f.path, c->doc->line, c->doc->col,
				   "missing required field '%s'", *keys);
}

/* A draft: true record is skipped whole, errors and all. 1 for a draft,
 * 0 for a record to read, -1 when draft is not a boolean. */
static int is_draft(rec_ctx *c)
{
	const fm_node *v = fm_get(&c->doc->root, "draft");
	int draft = 0;
	if (v && field_bool(&c->f, v, &draft) < 0)
		return -1;
	return draft;
}

static void add_institution(site *s, const char *slug, const char *path,
			    const fm_doc *doc, diags_t *d)
{
	static const char *const required[] = {
		"name", "country", "city", "networks", "exchanges", NULL};
	rec_ctx c = {{path, d}, s, doc};
	int before = error_count(d);
	if (!doc || is_draft(&c))
		return;
	institution in = {0};
	in.slug = xstrdup(slug);
	in.path = xstrdup(path);
	in.pos = (srcpos){in.path, doc->line, doc->col};
	in.feature = -1;
	for (size_t i = 0; i < doc->root.n; i++)
		read_institution_key(&c, &doc->root.kids[i], &in);
	require_keys(&c, required);
	/* without a readable site.yml, whether map.points gives locations is
	 * unknown: no second error about a consequence of the first */
	if (!s->cfg.map.points && !s->cfg.unread &&
	    !fm_get(&doc->root, "location"))
		diag_error(d, path, doc->line, doc->col,
			   "missing required field 'location'");
	fm_check_body(doc, path, d);
	if (error_count(d) > before) {
		institution_free(&in);
		return;
	}
	in.body_html = markdown_to_html(doc->body, doc->body_len);
	s->inst = grow(s->inst, s->ninst, sizeof *s->inst);
	s->inst[s->ninst++] = in;
}

/* ---- networks ---------------------------------------------------------- */

static int is_colour(const char *s)
{
	if (s[0] != '#' || strlen(s) != 7)
		return 0;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static void read_colour(rec_ctx *c, const fm_node *v, network *net)
{
	if (field_text(&c->f, v, &net->colour) < 0)
		return;
	if (!net->colour) {
		/* colour: #0072b2 unquoted is a YAML comment */
		diag_warning(c->f.d, EMPTY_COLOUR, c->f.path, v->key_line, v->key_col,
			     "colour is empty; write it in quotes (colour: \"#0072b2\"): an unquoted # starts a comment");
		return;
	}
	if (!is_colour(net->colour)) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "colour must be written #rrggbb (e.g. \"#0072b2\"), not '%s'",
			   net->colour);
		return;
	}
	for (char *p = net->colour; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static void read_kind(rec_ctx *c, const fm_node *v, network *net)
{
	char *kind = NULL;
	if (field_required_text(&c->f, v, &kind) < 0)
		return;
	int k = word_index(kind, kind_values);
	if (k < 0)
		unknown_word(c, v, "network kind", kind, kind_values);
	else
		net->kind = xstrdup(kind_values[k]);
	free(kind);
}

/* description is one line of plain text: runs of white space become one
 * space, so a folded YAML block reads the same. */
static void read_description(rec_ctx *c, const fm_node *v, network *net)
{
	if (field_text(&c->f, v, &net->description) < 0 || !net->description)
		return;
	char *out = net->description;
	for (const char *p = net->description; *p; p++) {
		int blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
		if (!blank)
			*out++ = *p;
		else if (out > net->description && out[-1] != ' ')
			*out++ = ' ';
	}
	*out = '\0';
}

static const char *const network_keys[] = {"name", "kind", "colour",
					   "description", NULL};

static void read_network_key(rec_ctx *c, const fm_node *v, network *net)
{
	const char *k = v->key;
	if (!strcmp(k, "name"))
		field_required_text(&c->f, v, &net->name);
	else if (!strcmp(k, "kind"))
		read_kind(c, v, net);
	else if (!strcmp(k, "colour"))
		read_colour(c, v, net);
	else if (!strcmp(k, "description"))
		read_description(c, v, net);
	else
		field_unknown_key(&c->f, v, network_keys);
}

/* A network with errors is still kept (with stand-in values) so that the
 * institutions naming it do not get a second, misleading error ("there is
 * no content/networks/<slug>.md"). The errors already stop the build.
 * doc is NULL when the file could not be parsed at all (reported). */
static void add_network(site *s, const char *slug, const char *path,
			const fm_doc *doc, diags_t *d)
{
	static const char *const required[] = {"name", "kind", NULL};
	rec_ctx c = {{path, d}, s, doc};
	network net = {0};
	net.slug = xstrdup(slug);
	net.path = xstrdup(path);
	net.pos = (srcpos){net.path, doc ? doc->line : 1, doc ? doc->col : 1};
	for (size_t i = 0; doc && i < doc->root.n; i++)
		read_network_key(&c, &doc->root.kids[i], &net);
	if (doc) {
		require_keys(&c, required);
		fm_check_body(doc, path, d);
	}
	if (!net.name)
		net.name = xstrdup(slug);
	if (!net.kind)
		net.kind = xstrdup("regional");
	net.body_html = doc ? markdown_to_html(doc->body, doc->body_len) :
		xstrdup("");
	s->net = grow(s->net, s->nnet, sizeof *s->net);
	s->net[s->nnet++] = net;
}

/* Once all are read: index in sorted order, and default colours. */
static void number_networks(site *s)
{
	size_t ncolours = sizeof network_palette / sizeof *network_palette;
	for (size_t i = 0; i < s->nnet; i++) {
		s->net[i].index = (int)i;
		if (!s->net[i].colour)
			s->net[i].colour = xstrdup(network_palette[i % ncolours]);
	}
}

/* ---- pages ------------------------------------------------------------- */

static void read_menu(rec_ctx *c, const fm_node *v, page *pg)
{
	double menu;
	if (v->type == FM_NULL || field_number(&c->f, v, &menu) < 0)
		return;
	if (menu != floor(menu) || fabs(menu) > 1e6) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "menu must be a whole number (the page's place in the menu), not %s",
			   v->text);
		return;
	}
	pg->menu = (int)menu;
	pg->has_menu = 1;
}

static const char *const page_keys[] = {"title", "menu", NULL};

static void add_page(site *s, const char *slug, const char *path,
		     const fm_doc *doc, diags_t *d)
{
	static const char *const required[] = {"title", NULL};
	rec_ctx c = {{path, d}, s, doc};
	int before = error_count(d);
	if (!doc)
		return;
	page pg = {0};
	pg.slug = xstrdup(slug);
	pg.path = xstrdup(path);
	pg.pos = (srcpos){pg.path, doc->line, doc->col};
	for (size_t i = 0; i < doc->root.n; i++) {
		const fm_node *v = &doc->root.kids[i];
		if (!strcmp(v->key, "title"))
			field_required_text(&c.f, v, &pg.title);
		else if (!strcmp(v->key, "menu"))
			read_menu(&c, v, &pg);
		else
			field_unknown_key(&c.f, v, page_keys);
	}
	require_keys(&c, required);
	fm_check_body(doc, path, d);
	if (error_count(d) > before) {
		page_free(&pg);
		return;
	}
	pg.body_html = markdown_to_html(doc->body, doc->body_len);
	s->pages = grow(s->pages, s->npages, sizeof *s->pages);
	s->pages[s->npages++] = pg;
}

/* Pages with a menu place first, by place; then the rest; ties by slug. */
static int cmp_pages(const void *a, const void *b)
{
	const page *x = a, *y = b;
	if (x->has_menu != y->has_menu)
		return y->has_menu - x->has_menu;
	if (x->has_menu && x->menu != y->menu)
		return x->menu < y->menu ? -1 : 1;
	return strcmp(x->slug, y->slug);
}

/* ---- folders ----------------------------------------------------------- */

/* Folders list in file-name order, which is not slug order ("a-b.md"
 * sorts before "a.md", but "a" before "a-b"): sort by slug for lookups. */
static int cmp_institutions(const void *a, const void *b)
{
	return strcmp(((const institution *)a)->slug,
		      ((const institution *)b)->slug);
}

static int cmp_networks(const void *a, const void *b)
{
	return strcmp(((const network *)a)->slug, ((const network *)b)->slug);
}

/* Adds the record read from doc to s; doc is NULL for a file that exists
 * but could not be parsed (already reported). */
typedef void (*record_fn)(site *s, const char *slug, const char *path,
			  const fm_doc *doc, diags_t *d);

static int has_md_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && !strcmp(name + n - 3, ".md");
}

/* Endings an editor may give a record by mistake (any case but ".md"):
 * such a file is meant as a record, and leaving it out without a word
 * would lose a partner from the site. */
static const char *const record_like[] = {
	"md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "txt", "text", NULL};

/* A file of a content folder whose name does not end in ".md". */
static void not_a_record(const char *name, const char *path, diags_t *d)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || word_index(dot + 1, record_like) < 0) {
		diag_warning(d, IGNORED_FILE, path, 1, 1,
			     "not a Markdown (.md) file: ignored (a record's "
			     "file name ends in .md)");
		return;
	}
	char *base = xstrndup(name, (size_t)(dot - name));
	for (char *p = base; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (check_slug(base) == 0)
		diag_error(d, path, 1, 1,
			   "'%s' is not read: a record's file name ends in "
			   ".md, in lower case; rename it to %s.md", name, base);
	else
		diag_error(d, path, 1, 1,
			   "'%s' is not read: a record's file name is its slug "
			   "and .md; rename it to lower-case letters, digits "
			   "and single dashes ending in .md (e.g. "
			   "makerere-university.md)", name);
	free(base);
}

/* Entry i of the listing l of a content folder; path is how messages name
 * it (and where it is under root). */
static void load_file(site *s, const sfs_root *root, const sfs_listing *l,
		      size_t i, const char *path, record_fn add, diags_t *d)
{
	const char *name = l->v[i].name;
	if (!has_md_suffix(name)) {
		not_a_record(name, path, d);
		return;
	}
	char *slug = xstrndup(name, strlen(name) - 3);
	if (check_slug(slug) < 0) {
		diag_error(d, path, 1, 1,
			   "'%s' cannot be a slug: name the file with lower-case letters, digits and single dashes (e.g. makerere-university.md)",
			   slug);
		free(slug);
		return;
	}
	buf_t text = BUF_INIT;
	fm_doc doc = {0};
	int rc = sfs_read_entry(root, l, i, path, path, SFS_CONTENT, &text, d);
	if (rc == SFS_IO)
		diag_fatal(d, path, "cannot read: %s", strerror(errno));
	else if (rc == SFS_OK)
		add(s, slug, path,
		    fm_parse(text.ptr, text.len, path, &doc, d) == 0 ? &doc : NULL,
		    d);
	fm_doc_free(&doc);
	buf_free(&text);
	free(slug);
}

/* Every file of content/<sub> in file-name order. A missing folder is fine
 * unless required. Every file is read through root: nothing outside the
 * site folder, nothing but regular files, nothing too large. */
static void load_folder(site *s, const sfs_root *root, const char *sub,
			int required, record_fn add, diags_t *d)
{
	char *rel = xasprintf("content/%s", sub);
	sfs_listing l;
	int rc = sfs_list(root, rel, rel, &l, d);
	if (rc == SFS_IO) {
		if (errno != ENOENT && errno != ENOTDIR)
			diag_fatal(d, rel, "cannot read the folder: %s",
				   strerror(errno));
		else if (required)
			diag_error(d, rel, 1, 1,
				   "missing folder: each partner is a file %s/<slug>.md",
				   rel);
	}
	for (size_t i = 0; i < l.n; i++) {
		char *path = xasprintf("%s/%s", rel, l.v[i].name);
		load_file(s, root, &l, i, path, add, d);
		free(path);
	}
	sfs_list_free(&l);
	free(rel);
}

static const char *iso_codes_path(void)
{
	const char *env = getenv(PM_ISO_CODES_ENV);
	return env && *env ? env : PM_ISO_CODES_PATH;
}

static int has_content_folder(const char *dir)
{
	char *content = fs_join(dir, "content");
	int yes = fs_is_dir(content);
	free(content);
	return yes;
}

int site_load(site *s, const char *dir, diags_t *d)
{
	int before = error_count(d);
	free(s->dir);
	s->dir = xstrdup(dir);
	/* with neither site.yml nor content/, dir is no site: one message
	 * says so, not one per missing folder */
	if (config_load(&s->cfg, dir, d) == -2 && !has_content_folder(dir))
		return -1;
	/* the machine's iso-codes table, not the site's: read as it is */
	countries_load(&s->countries, iso_codes_path(), d);
	sfs_root root;
	sfs_root_init(&root, dir, "site folder");
	load_folder(s, &root, "networks", 0, add_network, d);
	if (s->nnet)
		qsort(s->net, s->nnet, sizeof *s->net, cmp_networks);
	number_networks(s);
	load_folder(s, &root, "pages", 0, add_page, d);
	if (s->npages)
		qsort(s->pages, s->npages, sizeof *s->pages, cmp_pages);
	load_folder(s, &root, "institutions", 1, add_institution, d);
	sfs_root_free(&root);
	if (s->ninst)
		qsort(s->inst, s->ninst, sizeof *s->inst, cmp_institutions);
	return error_count(d) > before ? -1 : 0;
}
