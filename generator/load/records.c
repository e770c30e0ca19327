/* records.c - content/networks, content/pages and content/institutions:
 * one Markdown file each, named <slug>.md, with front matter.
 *
 * Folders are read in file-name order (so messages come in a stable
 * order), then each array is sorted by slug so lookups can binary-search. */
#include "load.h"

#include <libxml/parser.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>

#include "../render/routes.h"
#include "../util/buf.h"
#include "../util/digest.h"
#include "../util/chars.h"
#include "../util/fs.h"
#include "../util/par.h"
#include "../util/safefs.h"
#include "../util/text_unicode.h"
#include "../scaffold/scaffold.h"
#include "fields.h"
#include "frontmatter.h"
#include "keys.h"
#include "offers.h"

/* One file being read. */
typedef struct rec_ctx {
	field_ctx f;        /* its path and where messages go */
	const site *s;      /* read only: records are read on several threads */
	const fm_doc *doc;
} rec_ctx;

static const char *const exchange_values[] = {"undergraduate",
					      "postgraduate", NULL};
static const char *const kind_values[] = {"global", "regional", NULL};

/* Okabe and Ito's palette: told apart by colour-blind readers too. Yellow
 * last, as it is the hardest to see on a light map. */
static const char *const network_palette[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7",
	"#e69f00", "#56b4e9", "#000000", "#f0e442"};

/* Room for one more element in an array of n. The capacity follows from
 * n (8, 16, 32 ...), so the model needs no capacity fields; once every
 * record is read, the institutions' array is cut to fit (site_load_cached)
 * and never grows again. */
static void *grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return xreallocarray(v, 8, size);
	if (n >= 8 && (n & (n - 1)) == 0)
		return xreallocarray(v, xmul(n, 2), size);
	return v;
}

void site_add_institution(site *s, const institution *in)
{
	s->inst = grow(s->inst, s->ninst, sizeof *s->inst);
	s->inst[s->ninst++] = *in;
}

static srcpos pos_of(const char *path, const fm_node *v)
{
	return (srcpos){path, v->line, v->col};
}

static int error_count(const diags_t *d)
{
	return (int)(d->errors + d->fatals);
}

/* Whether the record of doc is refused: errors found since before, or
 * (doc->flawed) in its values as they were read, before the count began.
 * Its other fields were checked all the same (frontmatter.h, FM_FLAWED). */
static int refused(const fm_doc *doc, const diags_t *d, int before)
{
	return error_count(d) > before || (doc && doc->flawed);
}

static void require_some(rec_ctx *c, const fm_node *v,
			 const char *const *words)
{
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "%s must list at least one of ", v->key);
	field_join_words(&msg, words);
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
		const country *alias = as3 || named ? NULL : country_by_alias(t, code);
		if (alias)
			diag_error(c->f.d, c->f.path, v->line, v->col,
				   "unknown country code '%s' (not an ISO 3166-1 code); did you mean %s (%s)?",
				   code, alias->alpha2, alias->name);
		else if (as3)
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

/* 1 when s is a number in [-limit, limit], limit the latitude's or the
 * longitude's. */
static int fits_degrees(const char *s, double limit)
{
	char *end;
	double x = strtod(s, &end);
	return *s && !*end && fabs(x) <= limit;
}

static int fits_latitude(const char *s)
{
	return fits_degrees(s, PM_LAT_MAX);
}

static int fits_longitude(const char *s)
{
	return fits_degrees(s, PM_LON_MAX);
}

/* One coordinate; 0 when it is a number within [-limit, limit], written
 * without a leading zero (059.3 is 59.3 to one YAML reader and not a
 * number to another: field_number_fits) nor in quotes. extra ends the
 * out-of-range message. */
static int read_coordinate(rec_ctx *c, const fm_node *v, const char *what,
			   double limit, const char *extra, double *out)
{
	char rule[96];
	snprintf(rule, sizeof rule, "a number of degrees from %g to %g",
		 -limit, limit);
	field_fits fits = limit == PM_LAT_MAX ? fits_latitude : fits_longitude;
	if (field_number_quoted(&c->f, v, what, fits, rule) < 0 ||
	    field_number_fits(&c->f, v, what, fits) < 0)
		return -1;
	if (v->type == FM_STRING && v->text && *v->text &&
	    strspn(v->text, "+-.0123456789abcdefinoxABCDEFINOX_") ==
		    strlen(v->text)) {
		/* 0x1, 0o7, 1_000, .inf, .nan: numbers to some YAML readers,
		 * not degrees */
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "%s '%s' is no number of degrees: write it in "
			   "decimal, such as 0.3136 or -1.2921", what, v->text);
		return -1;
	}
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

/* [30,0312, 31,2287]: a latitude and a longitude written with decimal
 * commas, which YAML reads as four whole numbers. */
static int decimal_commas(const fm_node *v)
{
	if (v->type != FM_SEQ || v->n != 4)
		return 0;
	for (size_t i = 0; i < 4; i++) {
		const char *t = v->kids[i].text;
		size_t sign = t && (i == 0 || i == 2) && *t == '-';
		if (v->kids[i].type != FM_NUMBER || !t || !t[sign] ||
		    strspn(t + sign, "0123456789") != strlen(t + sign))
			return 0;
	}
	/* each fraction right after its comma: "30,0312", not "30, 312" */
	for (size_t i = 0; i < 4; i += 2)
		if (v->kids[i + 1].line != v->kids[i].line ||
		    v->kids[i + 1].col != v->kids[i].col +
					  (int)strlen(v->kids[i].text) + 1)
			return 0;
	return 1;
}

/* The fix "[+01.29, 036.8]" as the location check takes it: "[1.29,
 * 36.8]" (a plus sign and a leading zero are refused, a fraction's zeros
 * kept). */
static void pair_without_leading_zeros(buf_t *fix)
{
	char *bare = field_without_leading_zeros(buf_cstr(fix));
	char *s = bare ? bare : xstrdup(buf_cstr(fix));
	buf_reset(fix);
	for (size_t i = 0; s[i]; i++)
		if (!(s[i] == '+' && (i == 0 || s[i - 1] == '[' ||
				      s[i - 1] == ' ')))
			buf_putc(fix, s[i]);
	free(s);
}

/* "53.34, -6.26", "53.34 -6.26" or "53,34, -6,26" written without
 * brackets: one text, for the [53.34, -6.26] it should be. 1 with the
 * fix in *fix, else 0. */
static int bare_pair(const fm_node *v, buf_t *fix)
{
	if (v->type != FM_STRING || !v->plain)
		return 0;
	const char *s = v->text;
	/* decimal commas only where a comma and a blank part the two */
	int comma = strstr(s, ", ") != NULL && strchr(strstr(s, ", ") + 1, ',');
	size_t a = field_signed_len(s, comma ? ',' : '.'), i = a;
	if (!a)
		return 0;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	i += s[i] == ',';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	size_t b = field_signed_len(s + i, comma ? ',' : '.');
	if (!b || s[i + b] || i == a)
		return 0;
	buf_printf(fix, "[%.*s, %.*s]", (int)a, s, (int)b, s + i);
	for (size_t k = 0; comma && k < fix->len; k++)
		if (fix->ptr[k] == ',' && k + 1 < fix->len && fix->ptr[k + 1] != ' ')
			fix->ptr[k] = '.';
	pair_without_leading_zeros(fix);
	return 1;
}

static void read_location(rec_ctx *c, const fm_node *v, institution *in)
{
	in->pos_location = pos_of(in->path, v);
	buf_t fix = BUF_INIT;
	if (bare_pair(v, &fix)) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "location must be [latitude, longitude], in brackets: "
			   "write location: %s", buf_cstr(&fix));
		buf_free(&fix);
		return;
	}
	if (decimal_commas(v)) {
		buf_printf(&fix, "[%s.%s, %s.%s]", v->kids[0].text,
			   v->kids[1].text, v->kids[2].text, v->kids[3].text);
		pair_without_leading_zeros(&fix);
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "location must be [latitude, longitude] with a point "
			   "for decimals: a comma separates the values, so this "
			   "is four numbers; write %s", buf_cstr(&fix));
		buf_free(&fix);
		return;
	}
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

/* Most network slugs an "unknown network" message lists. */
#define NETWORKS_LISTED 12

/* "africa, asia, global": the slugs of the site's networks, in slug
 * order, the first NETWORKS_LISTED of them and how many more. */
static void put_network_slugs(buf_t *b, const site *s)
{
	for (size_t i = 0; i < s->nnet && i < NETWORKS_LISTED; i++)
		buf_printf(b, "%s%s", i ? ", " : "", s->net[i].slug);
	if (s->nnet > NETWORKS_LISTED)
		buf_printf(b, " and %zu more", s->nnet - NETWORKS_LISTED);
}

/* The network an editor probably meant by word, which names none: the
 * closest slug by spelling, or the network whose slug is word made into
 * one ("South East Asia" for south-east-asia). NULL when none is. */
static const network *meant_network(const site *s, const char *word)
{
	hint_t h;
	hint_init(&h, word);
	for (size_t i = 0; i < s->nnet; i++)
		hint_offer(&h, s->net[i].slug);
	if (h.best)
		return site_network(s, h.best);
	char *made = slug_from_name(word);
	const network *net = made ? site_network(s, made) : NULL;
	free(made);
	return net;
}

/* word in networks: names no network. Says which one was meant when
 * that can be told (a network's name written for its slug, a slug
 * misspelt), and lists the slugs there are. */
static void unknown_network(rec_ctx *c, const fm_node *at, const char *word)
{
	const site *s = c->s;
	char *base = translation_slug(word);
	const network *of = base ? site_network(s, base) : NULL;
	free(base);
	if (of) {
		diag_error(c->f.d, c->f.path, at->line, at->col,
			   "'%s' names a translation (content/networks/%s.md "
			   "translates network '%s' into %s), not a network: "
			   "write the network's slug, %s", word, word, of->slug,
			   strrchr(word, '.') + 1, of->slug);
		return;
	}
	for (size_t i = 0; i < s->nnet; i++)
		if (!strcasecmp(s->net[i].name, word)) {
			diag_error(c->f.d, c->f.path, at->line, at->col,
				   "'%.*s%s' is the name of network '%s': write its slug, %s",
				   DIAG_QUOTE(word), s->net[i].slug, s->net[i].slug);
			return;
		}
	buf_t msg = BUF_INIT;
	const network *meant = meant_network(s, word);
	if (!s->nnet)
		buf_printf(&msg, "unknown network '%.*s%s' (there is no "
			   "content/networks/%.*s%s.md, and the site has no "
			   "networks yet: start one with partnermap new network "
			   "NAME)", DIAG_QUOTE(word), DIAG_QUOTE(word));
	else {
		if (meant)
			buf_printf(&msg, "unknown network '%.*s%s' (did you mean '%s'? networks: ",
				   DIAG_QUOTE(word), meant->slug);
		else
			buf_printf(&msg, "unknown network '%.*s%s' (there is no "
				   "content/networks/%.*s%s.md; networks: ",
				   DIAG_QUOTE(word), DIAG_QUOTE(word));
		put_network_slugs(&msg, s);
		buf_puts(&msg, ")");
	}
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
			   "networks must name at least one network: write the "
			   "slug of a file in content/networks/ between the "
			   "brackets");
		return;
	}
	/* seen[k]: 1 + the index of the item that first named network k */
	size_t *seen = xcalloc(c->s->nnet + 1, sizeof *seen);
	const char **slugs = xcalloc(n + 1, sizeof *slugs);
	size_t nslugs = 0;
	field_untold untold = FIELD_UNTOLD_INIT;
	field_twice twice = FIELD_TWICE_INIT;
	for (size_t i = 0; i < n; i++) {
		char *slug = NULL;
		if (field_required_text(&c->f, &items[i], &slug) < 0)
			continue;
		const network *net = site_network(c->s, slug);
		/* with content/networks unreadable (said), which networks
		 * exist is not known */
		if (!net) {
			if (!c->s->nets_unlisted &&
			    field_untold_take(&untold, &items[i]))
				unknown_network(c, &items[i], slug);
		} else if (seen[net - c->s->net])
			field_listed_twice(&c->f, &twice, &items[i],
					   items[seen[net - c->s->net] - 1].line,
					   "network", slug);
		else {
			seen[net - c->s->net] = i + 1;
			slugs[nslugs++] = net->slug;
		}
		free(slug);
	}
	field_untold_end(&c->f, &untold, "network");
	field_twice_end(&c->f, &twice, "network");
	strlist_pack(&in->networks, slugs, nslugs);
	free(slugs);
	free(seen);
}

static void read_website(rec_ctx *c, const fm_node *v, institution *in)
{
	const char *why;
	if (field_text(&c->f, v, &in->website) < 0 || !in->website)
		return;
	if (check_http_url(in->website, &why) < 0) {
		field_bad_url(&c->f, v, in->website, why,
			      ", such as https://www.example.org/");
		return;
	}
	char *url = url_normalise(in->website);
	free(in->website);
	in->website = url;
}

static void read_email(rec_ctx *c, const fm_node *v, institution *in)
{
	field_email(&c->f, v, &in->email);
}

static void read_joined(rec_ctx *c, const fm_node *v, institution *in)
{
	if (field_text(&c->f, v, &in->joined) < 0 || !in->joined)
		return;
	int rc = check_date(in->joined);
	if (rc < 0)
		field_date_error(&c->f, v, "joined", in->joined, rc,
				 "a date written YYYY-MM-DD");
}

static void read_inst_name(rec_ctx *c, const fm_node *v, institution *in)
{
	in->pos_name = pos_of(in->path, v);
	field_required_text(&c->f, v, &in->name);
}

static void read_local_name(rec_ctx *c, const fm_node *v, institution *in)
{
	field_text(&c->f, v, &in->local_name);
}

static void read_city(rec_ctx *c, const fm_node *v, institution *in)
{
	field_required_text(&c->f, v, &in->city);
}

static void read_exchanges(rec_ctx *c, const fm_node *v, institution *in)
{
	if (!field_words(&c->f, v, &in->exchanges, exchange_values,
			    "exchange level"))
		require_some(c, v, exchange_values);
}

/* Names editors give the location's parts: read by misplaced_location. */
static const char *const location_aliases[] = {
	"lat", "latitude", "lon", "lng", "long", "longitude", "coordinates",
	"coords", NULL};

static const key_spec institution_keys[] = {
	{.key = "name", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 .read.inst = read_inst_name,
	 .help = "the institution's name as it writes it, in any script",
	 .example = "Makerere University College of Health Sciences",
	 .aliases = (const char *const[]){"title", "institution", NULL}},
	{.key = "country", .type = KT_COUNTRY, .flags = KEY_REQUIRED,
	 .read.inst = read_country,
	 .help = "the ISO 3166-1 alpha-2 code of its country",
	 .example = "UG",
	 .aliases = (const char *const[]){"country_code", "iso", NULL}},
	{.key = "city", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 .read.inst = read_city,
	 .help = "the city, as visitors would write it",
	 .example = "Kampala",
	 .aliases = (const char *const[]){"town", NULL}},
	{.key = "location", .type = KT_LOCATION,
	 .flags = KEY_REQUIRED | KEY_UNLESS_POINTS, .read.inst = read_location,
	 .help = "latitude and longitude in degrees (WGS 84)",
	 .example = "[0.3383, 32.5761]", .aliases = location_aliases},
	{.key = "networks", .type = KT_SLUGS, .flags = KEY_REQUIRED,
	 .read.inst = read_networks,
	 .help = "the slugs of the networks it belongs to "
		 "(content/networks/<slug>.md)",
	 .example = "[global, africa]"},
	{.key = "exchanges", .type = KT_WORDS, .flags = KEY_REQUIRED,
	 .values = exchange_values, .read.inst = read_exchanges,
	 .help = "the levels of student it exchanges",
	 .example = "[undergraduate, postgraduate]"},
	{.key = "electives", .type = KT_ITEMS, .values = offer_types,
	 .read.item = offers_read_electives, .sub = &keys_offer,
	 .help = "the electives it offers: offers with their details, or "
		 "only their types",
	 .example = "[clinical, research, observership]",
	 .aliases = (const char *const[]){"offers", NULL}},
	{.key = "website", .type = KT_URL, .read.inst = read_website,
	 .help = "its web address, http:// or https://",
	 .example = "https://chs.mak.ac.ug/",
	 .aliases = (const char *const[]){"url", "homepage", "web", "site",
					  "link", NULL}},
	{.key = "email", .type = KT_EMAIL, .read.inst = read_email,
	 .help = "the e-mail address visiting students write to",
	 .example = "electives@example.org",
	 .aliases = (const char *const[]){"e-mail", "mail", "contact", NULL}},
	{.key = "joined", .type = KT_DATE, .read.inst = read_joined,
	 .help = "the date it joined, YYYY-MM-DD; the feed lists the newest",
	 .example = "2019-04-01",
	 .aliases = (const char *const[]){"since", "date", "member_since", NULL}},
	{.key = "professions", .type = KT_TEXTS,
	 .read.item = offers_read_professions,
	 .help = "the professions it trains",
	 .example = "[medicine, nursing, pharmacy]"},
	{.key = "languages_of_instruction", .type = KT_LANGUAGES,
	 .read.item = offers_read_instruction,
	 .help = "the languages it teaches in, as BCP 47 tags",
	 .example = "[en, sw]",
	 .aliases = (const char *const[]){"languages", "language",
					  "instruction_languages", NULL}},
	{.key = "housing", .type = KT_MARKDOWN, .read.item = offers_read_housing,
	 .help = "where visiting students can stay, in Markdown",
	 .example = "\"Rooms in the student hostel, about 150 EUR a month.\"",
	 .aliases = (const char *const[]){"accommodation", "lodging", NULL}},
	{.key = "photo", .type = KT_MAPPING, .read.item = offers_read_photo,
	 .sub = &keys_photo,
	 .help = "a picture from its page bundle, with a text alternative",
	 .example = "{file: photo.jpg, alt: \"The teaching hospital's main entrance\"}",
	 .aliases = (const char *const[]){"image", "picture", NULL}},
	{.key = "updated", .type = KT_DATE, .read.item = offers_read_updated,
	 .help = "the day the partner last confirmed this information, "
		 "YYYY-MM-DD",
	 .example = "2026-09-15",
	 .aliases = (const char *const[]){"confirmed", "last_updated",
					  "reviewed", NULL}},
	{.key = "draft", .type = KT_BOOL,
	 .help = "true leaves the record out of build and check",
	 .example = "true", .dflt = "false"},
	{.key = "local_name", .type = KT_TEXT, .read.inst = read_local_name,
	 .help = "its name in its own language and script, when name is "
		 "another: shown under the name and found by search",
	 .example = "Trường Đại học Y Hà Nội",
	 .aliases = (const char *const[]){"native_name", "alt_name",
					  "other_name", "original_name", NULL}},
};

const key_table keys_institution = {
	.kind = "institution", .title = "Institution",
	.where = "content/institutions/<slug>.md",
	.folder = "content/institutions",
	.about = "A partner institution: one Markdown file each, named by its "
		 "slug.",
	.noun = "field", KEY_ROWS(institution_keys)};

/* Required keys that are absent altogether: one message each, at the
 * opening of the front matter (where they would be added). */
static void require_keys(rec_ctx *c, const key_table *t)
{
	keys_require(&c->f, &c->doc->root, t, c->doc->line, c->doc->col);
}

/* A draft: true record is skipped whole, errors and all. 1 for a draft,
 * 0 for a record to read, -1 when draft is not a boolean. */
static int is_draft(rec_ctx *c)
{
	const fm_node *v = fm_get(&c->doc->root, "draft");
	int draft = 0;
	if (v && !v->said && field_bool(&c->f, v, &draft) < 0)
		return -1;
	return draft;
}

/* ---- a location written as lat:, lon:, coordinates: ... ----------------- */

/* The keys of a record that are location's aliases (lat, longitude,
 * coordinates ...), in file order. */
typedef struct loc_parts {
	const fm_node *v[8];
	size_t n;
} loc_parts;

static int is_latitude(const char *key)
{
	return !strncasecmp(key, "lat", 3);
}

static int is_longitude(const char *key)
{
	return !strncasecmp(key, "lon", 3) || !strncasecmp(key, "lng", 3);
}

/* v's text when it is a number, or text that is one; else NULL. */
static const char *number_text(const fm_node *v)
{
	char *end = NULL;
	if (v->type == FM_NUMBER)
		return v->text;
	if (v->type == FM_STRING && *v->text) {
		strtod(v->text, &end);
		if (!*end)
			return v->text;
	}
	return NULL;
}

/* "[0.3136, 32.5811]": the location the parts give, "latitude" or
 * "longitude" standing in for a number they do not. A pair is taken
 * latitude first, unless only the other way round fits (GeoJSON writes
 * [longitude, latitude]). */
static void put_parts_location(buf_t *b, const loc_parts *p)
{
	const char *lat = NULL, *lon = NULL;
	for (size_t i = 0; i < p->n; i++) {
		const fm_node *v = p->v[i];
		if (is_latitude(v->key)) {
			lat = lat ? lat : number_text(v);
		} else if (is_longitude(v->key)) {
			lon = lon ? lon : number_text(v);
		} else if (v->type == FM_SEQ && v->n == 2 &&
			   v->kids[0].type == FM_NUMBER &&
			   v->kids[1].type == FM_NUMBER && !lat && !lon) {
			int swap = fabs(v->kids[0].num) > 90 &&
				   fabs(v->kids[1].num) <= 90;
			lat = v->kids[swap].text;
			lon = v->kids[!swap].text;
		}
	}
	/* the fix is written without leading zeros: field_number_fits */
	char *lat0 = lat ? field_without_leading_zeros(lat) : NULL;
	char *lon0 = lon ? field_without_leading_zeros(lon) : NULL;
	buf_printf(b, "[%s, %s]", lat0 ? lat0 : lat ? lat : "latitude",
		   lon0 ? lon0 : lon ? lon : "longitude");
	free(lat0);
	free(lon0);
}

/* "lat and lon", "coordinates", "lat, lon and coordinates". */
static void put_part_names(buf_t *b, const loc_parts *p)
{
	for (size_t i = 0; i < p->n; i++)
		buf_printf(b, "%s%s", i == 0 ? "" : i + 1 < p->n ? ", " : " and ",
			   p->v[i]->key);
}

/* A record that writes its location as parts. Without location, where
 * it is required: one error at the first part, saying what to write in
 * their place. Otherwise each part is an unknown key, with that advice
 * (or, when location is there too, the advice to delete it). */
static void misplaced_location(rec_ctx *c, const loc_parts *p, int required)
{
	buf_t at = BUF_INIT, names = BUF_INIT;
	put_parts_location(&at, p);
	put_part_names(&names, p);
	int has_location = fm_get(&c->doc->root, "location") != NULL;
	if (required && !has_location) {
		diag_error(c->f.d, c->f.path, p->v[0]->key_line, p->v[0]->key_col,
			   "missing required field 'location': write location: %s "
			   "in place of %s", buf_cstr(&at), buf_cstr(&names));
	}
	for (size_t i = 0; i < p->n && !(required && !has_location); i++) {
		const fm_node *v = p->v[i];
		if (has_location)
			diag_warning(c->f.d, UNKNOWN_KEY, c->f.path, v->key_line, v->key_col,
				     "unknown key '%s' (ignored): location gives the "
				     "place already; delete %s", v->key, v->key);
		else
			diag_warning(c->f.d, UNKNOWN_KEY, c->f.path, v->key_line, v->key_col,
				     "unknown key '%s' (ignored): write location: %s "
				     "in place of %s", v->key, buf_cstr(&at),
				     buf_cstr(&names));
	}
	buf_free(&at);
	buf_free(&names);
}

/* The page bundle of a record content/institutions/<slug>/index.md: its
 * folder's entries into l. 0, or -1 when the folder was refused (an
 * error was added). */
typedef struct nfc_name {
	char *nfc;
	const char *name;
} nfc_name;

static int cmp_nfc_name(const void *a, const void *b)
{
	const nfc_name *x = a, *y = b;
	int c = strcmp(x->nfc, y->nfc);
	return c ? c : strcmp(x->name, y->name);
}

/* Two files of a bundle whose names are one in NFC (café saved with the
 * accented letter and with a mark after the letter): they look the same,
 * are one file on macOS, and a link (read in NFC) reaches one of them
 * alone. An error at the second of each pair. */
static void same_looking_names(const sfs_listing *l, const char *bundle,
			       diags_t *d)
{
	nfc_name *v = xcalloc(l->n + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i].is_dir)
			v[n++] = (nfc_name){text_nfc(l->v[i].name), l->v[i].name};
	qsort(v, n, sizeof *v, cmp_nfc_name);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i].nfc, v[i - 1].nfc)) {
			char *at = xasprintf("%s/%s", bundle, v[i].name);
			diag_error(d, at, 1, 1, "this file's name and %s's look "
				   "the same but are written in other Unicode code "
				   "points (an accent as a mark after its letter in "
				   "one): keep one of the two", v[i - 1].name);
			free(at);
		}
	for (size_t i = 0; i < n; i++)
		free(v[i].nfc);
	free(v);
}

static int list_bundle(const sfs_root *root, const char *bundle,
		       sfs_listing *l, diags_t *d)
{
	int rc = sfs_list(root, bundle, bundle, l, d);
	if (rc == SFS_IO)
		diag_error(d, bundle, 1, 1, "cannot read the page bundle: %s",
			   strerror(errno));
	else
		same_looking_names(l, bundle, d);
	return rc == SFS_OK ? 0 : -1;
}

/* The digests of in's record file (site.h): text is the whole file, whose
 * last body_len bytes are the body. */
static void digest_record(institution *in, const buf_t *text, size_t body_len)
{
	const uint8_t *p = text->ptr ? (const uint8_t *)text->ptr : (const uint8_t *)"";
	size_t head = text->len - body_len;
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, head, p);
	struct sha256_ctx front = h;
	sha256_digest(&front, SHA256_DIGEST_SIZE, in->digest_head);
	sha256_update(&h, body_len, p + head);
	sha256_digest(&h, SHA256_DIGEST_SIZE, in->digest_file);
}

/* A record saved in the folder of another kind: an institution's (with
 * country: and city: or location:) among networks or pages, or a
 * network's (with kind: and no country:) among institutions. One error
 * at its start says where it goes, instead of an unknown key for each of
 * its fields and a missing one for each of the folder's kind; 1 then. */
static int misfiled(const fm_doc *doc, const char *path, const char *slug,
		    const char *folder, diags_t *d)
{
	const fm_node *r = &doc->root;
	int is_inst = fm_get(r, "country") &&
			  (fm_get(r, "city") || fm_get(r, "location"));
	int is_net = fm_get(r, "kind") && !fm_get(r, "country");
	const char *belongs = NULL;
	if (is_inst && strcmp(folder, "institutions"))
		belongs = "institutions";
	else if (is_net && !strcmp(folder, "institutions"))
		belongs = "networks";
	if (!belongs)
		return 0;
	diag_error(d, path, doc->line, doc->col,
		   "this is %s record (it has %s), not one of content/%s/: "
		   "move it to content/%s/%s.md",
		   is_inst ? "an institution's" : "a network's",
		   is_inst ? "country:" : "kind:",
		   folder, belongs, slug);
	return 1;
}

/* The institution the front matter doc of the file at path gives, into
 * *out: 1 when it is one of the model, 0 when it is not (doc NULL: the
 * file could not be parsed; a draft; a record with an error, reported
 * in d). Reads only the parts of s loaded before any institution
 * (site.yml, countries, networks), so that several threads may read
 * records at once, each with its own d. */
static int make_institution(const site *s, const sfs_root *root,
			    const char *slug, const char *path,
			    const fm_doc *doc, int twin, institution *out,
			    diags_t *d)
{
	rec_ctx c = {{path, d, doc && doc->json}, s, doc};
	int before = error_count(d);
	/* a draft is skipped whole; a draft: that is no boolean is told,
	 * and the rest read, so that it hides no other mistake (the record
	 * is then refused for its errors) */
	if (!doc || is_draft(&c) == 1 ||
	    misfiled(doc, path, slug, "institutions", d))
		return 0;
	institution in = {0};
	in.slug = xstrdup(slug);
	in.path = xstrdup(path);
	in.pos = (srcpos){in.path, doc->line, doc->col};
	in.feature = -1;
	sfs_listing bundle = {0};
	bundle.fd = -1;
	size_t plen = strlen(path);
	if (plen > 9 && !strcmp(path + plen - 9, "/index.md")) {
		in.bundle = xstrndup(path, plen - 9);
		list_bundle(root, in.bundle, &bundle, d);
	}
	char *shown = in.bundle ? xasprintf("%s/", in.bundle) : NULL;
	item_ctx ic = {.f = c.f, .cfg = &s->cfg, .in = &in,
		       .bundle = in.bundle ? &bundle : NULL,
		       .bundle_shown = shown};
	const key_spec *location = keys_find(&keys_institution, "location");
	loc_parts parts = {{0}, 0};
	for (size_t i = 0; i < doc->root.n; i++) {
		const fm_node *v = &doc->root.kids[i];
		if (v->said) /* its error is told */
			continue;
		const key_spec *k = keys_find(&keys_institution, v->key);
		if (k && k->read.inst)
			k->read.inst(&c, v, &in);
		else if (k && k->read.item)
			k->read.item(&ic, v, &in);
		else if (!k && parts.n < 8 &&
			 keys_alias_of(&keys_institution, v->key) == location)
			parts.v[parts.n++] = v;
		else if (!k)
			keys_unknown_in(&c.f, &doc->root, v, &keys_institution);
	}
	require_keys(&c, &keys_institution);
	/* without a readable site.yml, whether map.points gives locations is
	 * unknown: no second error about a consequence of the first */
	int required = !s->cfg.map.points && !s->cfg.unread;
	if (parts.n)
		misplaced_location(&c, &parts, required);
	else if (required && !fm_get(&doc->root, "location"))
		keys_missing(&c.f, &doc->root, &keys_institution, location,
			     doc->line, doc->col);
	fm_check_body(doc, path, d);
	offers_check_text(doc, path, "the body", NULL, d);
	in.body_html = markdown_to_html(doc->body, doc->body_len);
	/* beside a bundle of its slug (told): its body's links to files are
	 * the bundle's, not this record's to be told about */
	offers_finish(&ic, root, in.body_html, twin ? NULL : doc);
	strlist_free(&ic.wanted);
	sfs_list_free(&bundle);
	free(shown);
	if (refused(doc, d, before)) {
		institution_free(&in);
		return 0;
	}
	*out = in;
	return 1;
}

/* The record_fn of content/institutions (see load_file). */
static void add_institution(site *s, const sfs_root *root, const char *slug,
			    const char *path, const fm_doc *doc, diags_t *d)
{
	institution in;
	if (make_institution(s, root, slug, path, doc, 0, &in, d))
		site_add_institution(s, &in);
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
		/* colour: #0072b2 unquoted is a YAML comment; JSON has none */
		if (c->f.json)
			diag_warning(c->f.d, EMPTY_COLOUR, c->f.path, v->key_line,
				     v->key_col, "colour is empty; write one as "
				     "#rrggbb (\"colour\": \"#0072b2\")");
		else
			diag_warning(c->f.d, EMPTY_COLOUR, c->f.path, v->key_line,
				     v->key_col, "colour is empty; write it in "
				     "quotes (colour: \"#0072b2\"): an unquoted # "
				     "starts a comment");
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
	int k = field_word(&c->f, v, kind_values, "network kind");
	if (k >= 0)
		net->kind = xstrdup(kind_values[k]);
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

static void read_net_name(rec_ctx *c, const fm_node *v, network *net)
{
	net->pos_name = pos_of(net->path, v);
	field_required_text(&c->f, v, &net->name);
}

static const key_spec network_keys[] = {
	{.key = "name", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 .read.net = read_net_name,
	 .help = "the network's name, in the legend, filters and pages",
	 .example = "Africa Regional Network",
	 .aliases = (const char *const[]){"title", NULL}},
	{.key = "kind", .type = KT_WORD, .flags = KEY_REQUIRED,
	 .values = kind_values, .read.net = read_kind,
	 .help = "whether it spans the world or one region",
	 .example = "regional",
	 .aliases = (const char *const[]){"type", "scope", NULL}},
	{.key = "colour", .type = KT_COLOUR, .read.net = read_colour,
	 .help = "its members' markers' colour on the map, #rrggbb in quotes; "
		 "left out, one of a palette told apart by colour-blind readers",
	 .example = "\"#0072b2\""},
	{.key = "description", .type = KT_TEXT, .read.net = read_description,
	 .help = "one sentence for the legend and the network's page",
	 .example = "Schools across Africa exchanging students within the region.",
	 .aliases = (const char *const[]){"summary", NULL}},
};

const key_table keys_network = {
	.kind = "network", .title = "Network",
	.where = "content/networks/<slug>.md", .folder = "content/networks",
	.about = "A network institutions belong to, global or regional: one "
		 "Markdown file each, named by its slug.",
	.noun = "field", KEY_ROWS(network_keys)};

/* A network with errors is still kept (with stand-in values) so that the
 * institutions naming it do not get a second, misleading error ("there is
 * no content/networks/<slug>.md"). The errors already stop the build.
 * doc is NULL when the file could not be parsed at all (reported). */
static void add_network(site *s, const sfs_root *root, const char *slug,
			const char *path, const fm_doc *doc, diags_t *d)
{
	rec_ctx c = {{path, d, doc && doc->json}, s, doc};
	network net = {0};
	int before = error_count(d);
	/* no network at all, so no member is sought for it */
	if (doc && misfiled(doc, path, slug, "networks", d))
		return;
	net.slug = xstrdup(slug);
	net.path = xstrdup(path);
	net.pos = (srcpos){net.path, doc ? doc->line : 1, doc ? doc->col : 1};
	for (size_t i = 0; doc && i < doc->root.n; i++) {
		const fm_node *v = &doc->root.kids[i];
		if (v->said)
			continue;
		const key_spec *k = keys_find(&keys_network, v->key);
		if (k)
			k->read.net(&c, v, &net);
		else
			keys_unknown_in(&c.f, &doc->root, v, &keys_network);
	}
	if (doc) {
		require_keys(&c, &keys_network);
		fm_check_body(doc, path, d);
		offers_check_text(doc, path, "the body", NULL, d);
	}
	net.stand_in = !doc || refused(doc, d, before);
	net.unread = !doc;
	if (!net.name)
		net.name = xstrdup(slug);
	if (!net.kind)
		net.kind = xstrdup("regional");
	net.body_html = doc ? markdown_to_html(doc->body, doc->body_len) :
		xstrdup("");
	if (doc)
		offers_check_free_links(net.body_html, doc, path, "network",
					s->cfg.base_url, d);
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

/* A page's place in the menu: a whole number, at most MENU_MOST either
 * side of 0. */
#define MENU_MOST 1e6

static int fits_menu(const char *s)
{
	return field_is_whole(s, 1) && fabs(strtod(s, NULL)) <= MENU_MOST;
}

static void read_menu(rec_ctx *c, const fm_node *v, page *pg)
{
	double menu;
	if (v->type == FM_NULL ||
	    field_number_quoted(&c->f, v, "menu", fits_menu,
				"a whole number from -1000000 to 1000000") < 0 ||
	    field_number_fits(&c->f, v, "menu", fits_menu) < 0 ||
	    field_number(&c->f, v, &menu) < 0)
		return;
	if (!fits_menu(v->text)) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "menu must be a whole number in decimal digits, such "
			   "as 3 or -1 (the page's place in the menu), not %s",
			   v->text);
		return;
	}
	pg->menu = (int)menu;
	pg->has_menu = 1;
}

static void read_page_title(rec_ctx *c, const fm_node *v, page *pg)
{
	field_required_text(&c->f, v, &pg->title);
}

static const key_spec page_keys[] = {
	{.key = "title", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 .read.page = read_page_title,
	 .help = "the page's title, also its entry in the menu",
	 .example = "How to join",
	 .aliases = (const char *const[]){"name", "heading", NULL}},
	{.key = "menu", .type = KT_INT, .read.page = read_menu,
	 .min = -1000000, .max = 1000000,
	 .help = "its place in the site's menu, a whole number; left out, the "
		 "page is not in the menu",
	 .example = "2",
	 .aliases = (const char *const[]){"order", "weight", "position", NULL}},
};

const key_table keys_page = {
	.kind = "page", .title = "Page", .where = "content/pages/<slug>.md",
	.folder = "content/pages",
	.about = "A free page such as About or How to join: one Markdown file "
		 "each, published at <slug>/. The slug cannot be a folder "
		 "the build writes (institutions, networks, countries, "
		 "electives, assets) nor another of the site's languages "
		 "(fr when languages: [en, fr]).",
	.noun = "field", KEY_ROWS(page_keys)};

static void add_page(site *s, const sfs_root *root, const char *slug,
		     const char *path, const fm_doc *doc, diags_t *d)
{
	rec_ctx c = {{path, d, doc && doc->json}, s, doc};
	int before = error_count(d);
	if (!doc || misfiled(doc, path, slug, "pages", d))
		return;
	page pg = {0};
	pg.slug = xstrdup(slug);
	pg.path = xstrdup(path);
	pg.pos = (srcpos){pg.path, doc->line, doc->col};
	for (size_t i = 0; i < doc->root.n; i++) {
		const fm_node *v = &doc->root.kids[i];
		if (v->said)
			continue;
		const key_spec *k = keys_find(&keys_page, v->key);
		if (k)
			k->read.page(&c, v, &pg);
		else
			keys_unknown_in(&c.f, &doc->root, v, &keys_page);
	}
	require_keys(&c, &keys_page);
	fm_check_body(doc, path, d);
	offers_check_text(doc, path, "the body", NULL, d);
	/* refused or not, its links are checked now, so that one run tells
	 * them with its other errors; their errors do not refuse it (it
	 * would no longer be a page that other records may link to) */
	int out = refused(doc, d, before);
	pg.body_html = markdown_to_html(doc->body, doc->body_len);
	offers_check_free_links(pg.body_html, doc, path, "page", s->cfg.base_url,
				d);
	if (out) {
		char *dir = xasprintf("%s/", slug);
		site_refused_page(s, path, dir, 0, 0);
		free(dir);
		page_free(&pg);
		return;
	}
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

/* ---- translation files -------------------------------------------------- */

/* The keys a translation file may give, by record_kind: texts only. Every
 * other key of the record (a location, a country, networks, offers ...)
 * is the same in every language and comes from the default record. */
static const char *const inst_texts[] = {"name", "city", NULL};
static const char *const net_texts[] = {"name", "description", NULL};
static const char *const page_texts[] = {"title", NULL};

static const key_table *const kind_keys[] = {
	&keys_institution, &keys_network, &keys_page};
static const char *const *const kind_texts[] = {
	inst_texts, net_texts, page_texts};

/* A text key of a translation file, read by the record's own reader into
 * a stand-in record, then moved into t. */
static void read_translated(rec_ctx *c, const key_spec *k, const fm_node *v,
			    translation *t)
{
	institution in = {0};
	network net = {0};
	page pg = {0};
	if (t->kind == RECORD_INSTITUTION)
		k->read.inst(c, v, &in);
	else if (t->kind == RECORD_NETWORK)
		k->read.net(c, v, &net);
	else
		k->read.page(c, v, &pg);
	char **into = !strcmp(k->key, "city") ? &t->city :
		!strcmp(k->key, "description") ? &t->description : &t->name;
	char **from = t->kind == RECORD_INSTITUTION ?
		(into == &t->city ? &in.city : &in.name) :
		t->kind == RECORD_NETWORK ?
		(into == &t->description ? &net.description : &net.name) :
		&pg.title;
	free(*into);
	*into = *from;
	*from = NULL;
	institution_free(&in);
	network_free(&net);
	page_free(&pg);
}

/* 1 when the body holds more than white space. */
static int has_body(const fm_doc *doc)
{
	for (size_t i = 0; i < doc->body_len; i++)
		if (!strchr(" \t\r\n", doc->body[i]))
			return 1;
	return 0;
}

/* FNV-1a of a translation's kind, slug and language. */
static size_t tr_hash(record_kind kind, const char *slug, const char *lang)
{
	uint64_t h = 14695981039346656037ull;
	h = (h ^ (unsigned char)kind) * 1099511628211ull;
	for (const char *p = slug; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xFF) * 1099511628211ull; /* no slug byte: a separator */
	for (const char *p = lang; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (size_t)h;
}

/* The translation of `slug` of kind into lang read so far, or NULL: one
 * probe of s->tr_slot, not a look through every translation (which made
 * 100,000 translated records a check of minutes). */
static const translation *translation_of(const site *s, record_kind kind,
					 const char *slug, const char *lang)
{
	for (size_t k = s->tr_cap ? tr_hash(kind, slug, lang) & (s->tr_cap - 1) : 0;
	     s->tr_cap && s->tr_slot[k]; k = (k + 1) & (s->tr_cap - 1)) {
		const translation *t = &s->tr[s->tr_slot[k] - 1];
		if (t->kind == kind && !strcmp(t->slug, slug) &&
		    !strcmp(t->lang, lang))
			return t;
	}
	return NULL;
}

/* s->tr[i], just added, into s->tr_slot, which grows to keep at most half
 * its slots used. */
static void index_translation(site *s, size_t i)
{
	if (2 * (i + 1) > s->tr_cap) {
		free(s->tr_slot);
		s->tr_cap = s->tr_cap ? 2 * s->tr_cap : 64;
		while (2 * (i + 1) > s->tr_cap)
			s->tr_cap *= 2;
		s->tr_slot = xcalloc(s->tr_cap, sizeof *s->tr_slot);
		for (size_t k = 0; k < i; k++)
			index_translation(s, k);
	}
	const translation *t = &s->tr[i];
	size_t k = tr_hash(t->kind, t->slug, t->lang) & (s->tr_cap - 1);
	while (s->tr_slot[k])
		k = (k + 1) & (s->tr_cap - 1);
	s->tr_slot[k] = i + 1;
}

/* How much a translation file at path of `slug` into lang is the one to
 * keep of two: a page bundle's own index.<lang>.md (inside the folder it
 * translates) first, then a name that writes the tag in its case
 * (about.fr.md rather than about.FR.md). */
static int keep_rank(const char *path, const char *slug, const char *lang)
{
	char *in_bundle = xasprintf("/%s/index.%s.md", slug, lang);
	size_t n = strlen(path), b = strlen(in_bundle);
	/* the tag as the name writes it: between the last two dots */
	const char *end = strrchr(path, '.'), *dot = end;
	while (dot > path && dot[-1] != '.')
		dot--;
	int usual = dot > path && (size_t)(end - dot) == strlen(lang) &&
		    !strncmp(dot, lang, strlen(lang));
	int rank = 2 * (n >= b && !strcasecmp(path + n - b, in_bundle)) + usual;
	free(in_bundle);
	return rank;
}

static int cmp_entry_name(const void *key, const void *elem)
{
	return strcmp(key, ((const sfs_entry *)elem)->name);
}

/* 1 when the listing l (sorted bytewise) has an entry called name. */
static int listed(const sfs_listing *l, const char *name)
{
	return l->n && bsearch(name, l->v, l->n, sizeof *l->v,
			       cmp_entry_name) != NULL;
}

/* Translation files at a and b both translate `slug` into lang: an error
 * at the one to remove, naming the one to keep. */
static void two_translations(const char *a, const char *b, const char *slug,
			     const char *lang, diags_t *d)
{
	int ra = keep_rank(a, slug, lang), rb = keep_rank(b, slug, lang);
	const char *keep = ra >= rb ? a : b, *drop = ra >= rb ? b : a;
	diag_error(d, drop, 1, 1,
		   "this file and %s both translate '%s' into %s: keep %s "
		   "(%s) and remove this file, after copying into %s any "
		   "text only this file has", keep, slug, lang, keep,
		   (ra ^ rb) & 2 ?
		   "a page bundle's translations are inside its folder" :
		   "its name writes the language tag in its usual case", keep);
}

/* Note translation t, refused for its errors or into a language site.yml
 * does not list (unlisted), so that its links are checked all the same
 * (site.refused): from its page's folder, that language's taken as a
 * language's folder. */
static void refused_translation(site *s, const translation *t, int unlisted)
{
	char *dir = translation_dir(t);
	site_refused_page(s, t->path, dir, 0, 1);
	if (unlisted)
		s->refused[s->nrefused - 1].lang = xstrdup(t->lang);
	free(dir);
}

/* The translation file at path of record `slug` (whose default-language
 * file is record) into lang. doc is NULL when it could not be parsed
 * (reported). in_site: lang is one of site.yml's languages; else its
 * fields and body are checked (their problems told with the language's)
 * and it is not kept, but noted as refused for its links to be checked
 * (from the folder its language would have). */
static void add_translation(site *s, record_kind kind, const char *slug,
			    const char *lang, int in_site, const char *path,
			    const char *record, const sfs_listing *beside,
			    const fm_doc *doc, diags_t *d)
{
	rec_ctx c = {{path, d, doc && doc->json}, s, doc};
	int before = error_count(d);
	if (!doc)
		return;
	translation t = {.kind = kind, .slug = xstrdup(slug),
			 .lang = xstrdup(lang), .path = xstrdup(path)};
	t.pos = (srcpos){t.path, doc->line, doc->col};
	for (size_t i = 0; i < doc->root.n; i++) {
		const fm_node *v = &doc->root.kids[i];
		if (v->said)
			continue;
		const key_spec *k = keys_find(kind_keys[kind], v->key);
		if (!k)
			keys_unknown_in(&c.f, &doc->root, v, kind_keys[kind]);
		else if (field_word_index(k->key, kind_texts[kind]) < 0)
			diag_error(d, path, v->key_line, v->key_col,
				   "%s cannot be translated: it is the same in "
				   "every language and comes from %s; remove it "
				   "from this file", k->key, record);
		else
			read_translated(&c, k, v, &t);
	}
	fm_check_body(doc, path, d);
	offers_check_text(doc, path, "the body", NULL, d);
	if (has_body(doc))
		t.body_html = markdown_to_html(doc->body, doc->body_len);
	/* checked against the record's files once it is read (check.c) */
	if (kind == RECORD_INSTITUTION && t.body_html)
		t.nlinks = offers_linked_files(t.body_html, doc, NULL, &t.links);
	else if (t.body_html)
		offers_check_free_links(t.body_html, doc, path, kind ==
					RECORD_NETWORK ? "network" : "page",
					s->cfg.base_url, d);
	/* a page bundle's own translation (<slug>/index.<lang>.md) lies
	 * among the bundle's files */
	char *own = xasprintf("/%s/index.", slug);
	int in_bundle = kind == RECORD_INSTITUTION && strstr(path, own);
	free(own);
	for (size_t k = 0; in_bundle && k < t.nlinks; k++)
		t.links[k].held = !t.links[k].broken &&
				  listed(beside, t.links[k].name);
	const translation *first = translation_of(s, kind, slug, lang);
	if (first)
		two_translations(first->path, path, slug, lang, d);
	if (!in_site) { /* its fields told with its language, kept by none */
		refused_translation(s, &t, 1);
		translation_free(&t);
		return;
	}
	if (refused(doc, d, before)) {
		refused_translation(s, &t, 0);
		translation_free(&t);
		return;
	}
	s->tr = grow(s->tr, s->ntr, sizeof *s->tr);
	s->tr[s->ntr++] = t;
	index_translation(s, s->ntr - 1);
}

/* The tag of site.yml's languages that `lang` (in RFC 5646's case)
 * names, or NULL. */
static const char *site_language(const site *s, const char *lang)
{
	for (size_t k = 0; k < s->cfg.languages.n; k++)
		if (!strcmp(s->cfg.languages.v[k], lang))
			return s->cfg.languages.v[k];
	return NULL;
}

static void load_translation_as(site *s, const sfs_root *root,
				const sfs_listing *l, size_t i,
				record_kind kind, const char *slug,
				const char *lang, const char *path,
				const char *record, int exists, diags_t *d);

/* Read the translation file at path (entry i of l) into `lang` (its
 * name's tag, in any case: about.FR.md is French) of the record whose
 * file is record; `exists` says whether that record's file is there. */
static void load_translation(site *s, const sfs_root *root,
			     const sfs_listing *l, size_t i, record_kind kind,
			     const char *slug, const char *lang,
			     const char *path, const char *record, int exists,
			     diags_t *d)
{
	char *tag = xstrdup(lang);
	language_tag_case(tag);
	load_translation_as(s, root, l, i, kind, slug, tag, path, record,
			    exists, d);
	free(tag);
}

/* The tag of site.yml's languages a translation file at path of `what`
 * (a slug, or site.yml) names as lang (in RFC 5646's case), whose
 * default-language file is record; NULL after an error when it is the
 * default language or one site.yml does not list (then *unlisted is set,
 * when unlisted is not NULL). */
static const char *translation_language(const site *s, const char *what,
					const char *lang, const char *path,
					const char *record, int *unlisted,
					diags_t *d)
{
	const char *tag = site_language(s, lang);
	if (unlisted)
		*unlisted = !tag;
	if (tag == s->cfg.languages.v[0]) {
		diag_error(d, path, 1, 1, "this file translates '%s' into %s, the "
			   "default language: put its text in %s and remove this "
			   "file", what, lang, record);
		return NULL;
	}
	if (!tag) {
		/* the list as it would read with this language added */
		buf_t list = BUF_INIT;
		for (size_t k = 0; k < s->cfg.languages.n; k++)
			buf_printf(&list, "%s, ", s->cfg.languages.v[k]);
		buf_puts(&list, lang);
		diag_error(d, path, 1, 1, "this file translates '%s' into %s, "
			   "which site.yml's languages does not list: add %s to "
			   "languages (languages: [%s]), or remove this file", what,
			   lang, lang, buf_cstr(&list));
		buf_free(&list);
	}
	return tag;
}

static void load_translation_as(site *s, const sfs_root *root,
				const sfs_listing *l, size_t i,
				record_kind kind, const char *slug,
				const char *lang, const char *path,
				const char *record, int exists, diags_t *d)
{
	/* into a language site.yml does not list: read all the same, so
	 * that its other problems are told with that one */
	int unlisted;
	const char *tag = translation_language(s, slug, lang, path, record,
					       &unlisted, d);
	if (!tag && !unlisted)
		return;
	if (!tag)
		tag = lang;
	if (!exists) {
		diag_error(d, path, 1, 1,
			   "this file translates '%s' into %s, but there is no "
			   "%s: write the record in the default language (%s) "
			   "first, or rename this file after the record it "
			   "translates", slug, tag, record, s->cfg.languages.v[0]);
		return;
	}
	buf_t text = BUF_INIT;
	fm_doc doc = {0};
	int rc = sfs_read_entry(root, l, i, path, path, SFS_CONTENT, &text, d);
	if (rc == SFS_IO)
		diag_fatal(d, path, "cannot read: %s", strerror(errno));
	int parsed = rc == SFS_OK && fm_parse(text.ptr, text.len, path, &doc, d) >= 0;
	if (rc == SFS_OK)
		add_translation(s, kind, slug, tag, !unlisted, path, record, l,
				parsed ? &doc : NULL, d);
	if (rc == SFS_OK && !parsed && doc.body_len) {
		/* YAML that could not be read: its body's links are checked
		 * all the same, as a refused translation's */
		translation t = {.kind = kind, .slug = (char *)slug,
				 .lang = (char *)tag, .path = (char *)path};
		refused_translation(s, &t, unlisted);
	}
	fm_doc_free(&doc);
	buf_free(&text);
}

/* ---- site.<lang>.yml ---------------------------------------------------- */

/* The keys of site.yml a site.<lang>.yml may give: the texts pages show.
 * Every other setting is the same in every language. */
static const char *const site_text_keys[] = {
	"title", "description", "intro", "sample_note", NULL};

/* Where text key k of site.yml goes in t, and where site.yml's reader
 * puts it in a site_config. */
static char **site_text_in(site_texts *t, site_config *cfg, const char *key,
			   char ***from)
{
	int k = field_word_index(key, site_text_keys);
	char **to[] = {&t->title, &t->description, &t->intro, &t->sample_note};
	char **in[] = {&cfg->title, &cfg->description, &cfg->intro,
		       &cfg->sample_note};
	*from = in[k];
	return to[k];
}

/* The YAML text of site.<lang>.yml at path into s->stx, each key read by
 * site.yml's own reader into a stand-in configuration. */
static void add_site_texts(site *s, const char *lang, const char *path,
			   const buf_t *text, diags_t *d)
{
	field_ctx c = {path, d, 0};
	fm_node root = {0};
	int before = error_count(d);
	if (fm_parse_yaml(text->ptr, text->len, path, &root, d) < 0)
		return;
	site_texts t = {.lang = xstrdup(lang), .path = xstrdup(path)};
	for (size_t i = 0; i < root.n; i++) {
		const fm_node *v = &root.kids[i];
		const key_spec *k = keys_find(&keys_site, v->key);
		site_config cfg = {0};
		char **from, **to;
		if (!k)
			keys_unknown_in(&c, &root, v, &keys_site);
		else if (field_word_index(k->key, site_text_keys) < 0)
			diag_error(d, path, v->key_line, v->key_col,
				   "%s cannot be translated: it is the same in "
				   "every language and comes from site.yml; "
				   "remove it from this file", k->key);
		else {
			/* each text is a KEY_MEMBER row: keys_store reads it */
			keys_store(&c, v, k, &cfg);
			to = site_text_in(&t, &cfg, k->key, &from);
			free(*to);
			*to = *from;
			*from = NULL;
		}
		config_free(&cfg);
	}
	fm_node_free(&root);
	for (size_t k = 0; k < s->nstx; k++)
		if (!strcmp(s->stx[k].lang, lang))
			two_translations(s->stx[k].path, path, "site.yml", lang, d);
	if (error_count(d) > before) {
		site_texts_free(&t);
		return;
	}
	s->stx = grow(s->stx, s->nstx, sizeof *s->stx);
	s->stx[s->nstx++] = t;
}

/* 1 when name is site.<language tag>.yml (the tag in any case). */
static int is_site_texts_name(const char *name)
{
	size_t n = strlen(name);
	if (n < 11 || strncmp(name, "site.", 5) || strcmp(name + n - 4, ".yml"))
		return 0;
	char *tag = xstrndup(name + 5, n - 9);
	int yes = check_language_tag(tag) == 0;
	free(tag);
	return yes;
}

/* Every site.<lang>.yml of the site folder: site.yml's texts in lang. */
static void load_site_texts(site *s, const sfs_root *root, diags_t *d)
{
	sfs_listing l;
	/* the folder's other entries are read, and judged, elsewhere */
	diags_t quiet = DIAGS_INIT;
	sfs_list(root, ".", ".", &l, &quiet);
	/* but one refused (a link out of the site) is said, not skipped */
	for (size_t k = 0; k < quiet.n; k++) {
		const diag_t *q = &quiet.v[k];
		const char *base = q->path ? strrchr(q->path, '/') : NULL;
		base = base ? base + 1 : q->path;
		if (base && is_site_texts_name(base))
			diags_add(d, q->level, q->check, base, q->line, q->col,
				  "%s", q->msg + (strncmp(q->msg, "./", 2) ? 0 : 2));
	}
	diags_free(&quiet);
	for (size_t i = 0; i < l.n; i++) {
		const char *name = l.v[i].name;
		if (l.v[i].is_dir || !is_site_texts_name(name))
			continue;
		char *lang = xstrndup(name + 5, strlen(name) - 9);
		language_tag_case(lang);
		buf_t text = BUF_INIT;
		if (translation_language(s, "site.yml", lang, name, "site.yml",
					 NULL, d) &&
		    sfs_read_entry(root, &l, i, name, name, SFS_CONFIG, &text,
				   d) == SFS_OK)
			add_site_texts(s, lang, name, &text, d);
		buf_free(&text);
		free(lang);
	}
	sfs_list_free(&l);
}

/* ---- folders ----------------------------------------------------------- */

/* Institutions by slug, for lookups: folders list in file-name order,
 * which is not slug order ("a-b.md" sorts before "a.md", but "a" before
 * "a-b"). Records of the same slug (each reported) keep the order they
 * were read in. Compares two institution pointers. */
static int cmp_institutions(const void *a, const void *b)
{
	const institution *x = *(const institution *const *)a;
	const institution *y = *(const institution *const *)b;
	int c = strcmp(x->slug, y->slug);
	return c ? c : (x > y) - (x < y);
}

/* Sort s's institutions by slug (cmp_institutions) in place. qsort on
 * the array itself would copy it whole into a buffer of its own (glibc's
 * merge sort): 32 MB at 100,000 records, the build's peak of memory.
 * Pointers are sorted instead, then each record moved once, cycle by
 * cycle of the permutation. */
static void sort_institutions(site *s)
{
	size_t n = s->ninst;
	institution **by = xreallocarray(NULL, n, sizeof *by);
	for (size_t k = 0; k < n; k++)
		by[k] = &s->inst[k];
	qsort(by, n, sizeof *by, cmp_institutions);
	/* from[k]: where the record that goes to place k is now */
	size_t *from = xreallocarray(NULL, n, sizeof *from);
	for (size_t k = 0; k < n; k++)
		from[k] = (size_t)(by[k] - s->inst);
	free(by);
	for (size_t k = 0; k < n; k++) {
		if (from[k] == k)
			continue;
		institution first = s->inst[k];
		size_t j = k;
		while (from[j] != k) {
			size_t next = from[j];
			s->inst[j] = s->inst[next];
			from[j] = j;
			j = next;
		}
		s->inst[j] = first;
		from[j] = j;
	}
	free(from);
}

static int cmp_networks(const void *a, const void *b)
{
	return strcmp(((const network *)a)->slug, ((const network *)b)->slug);
}

/* Adds the record read from doc to s; doc is NULL for a file that exists
 * but could not be parsed (already reported). */
typedef void (*record_fn)(site *s, const sfs_root *root, const char *slug,
			  const char *path, const fm_doc *doc, diags_t *d);

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

/* The slug a file named name, not ending in ".md", is meant to have
 * (africa.MD, africa.markdown: africa), or NULL. Fresh. */
static char *record_like_slug(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || field_word_index(dot + 1, record_like) < 0)
		return NULL;
	char *base = xstrndup(name, (size_t)(dot - name));
	for (char *p = base; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (check_slug(base) == 0)
		return base;
	free(base);
	return NULL;
}

/* A file of a content folder whose name does not end in ".md": the slug
 * it is told to take (fresh), or NULL. */
static char *not_a_record(const char *name, const char *path, diags_t *d)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || field_word_index(dot + 1, record_like) < 0) {
		diag_warning(d, IGNORED_FILE, path, 1, 1,
			     "not a Markdown (.md) file: ignored (a record's "
			     "file name ends in .md)");
		return NULL;
	}
	char *base = record_like_slug(name);
	if (base)
		diag_error(d, path, 1, 1,
			   "'%s' is not read: a record's file name ends in "
			   ".md, in lower case; rename it to %s.md", name, base);
	else
		diag_error(d, path, 1, 1,
			   "'%s' is not read: a record's file name is its slug "
			   "and .md; rename it to lower-case letters, digits "
			   "and single dashes ending in .md (e.g. "
			   "makerere-university.md)", name);
	return base;
}

/* Whether the listing l holds a folder named name. */
static int listed_folder(const sfs_listing *l, const char *name)
{
	const sfs_entry *e = l && l->n ? bsearch(name, l->v, l->n, sizeof *l->v,
						 cmp_entry_name) : NULL;
	return e && e->is_dir;
}

/* The slug a record's file named name is told to take when its name is
 * none (About.md, about.MD: about), or NULL: a good name, a translation's
 * (with a dot), or one that makes no slug. Fresh. */
static char *told_slug(const char *name)
{
	if (!has_md_suffix(name))
		return record_like_slug(name);
	char *base = xstrndup(name, strlen(name) - 3);
	char *made = check_slug(base) < 0 && !strchr(base, '.') ?
		slug_from_name(base) : NULL;
	free(base);
	return made;
}

/* Whether a file of l that is misnamed is told to become slug's record
 * (About.md or about.MD: about.md), so that the record it is meant to be
 * is there, told, for a translation of it. */
static int told_to_become(const sfs_listing *l, const char *slug)
{
	for (size_t k = 0; k < l->n; k++) {
		char *made = told_slug(l->v[k].name);
		int same = made && !strcmp(made, slug);
		free(made);
		if (same)
			return 1;
	}
	return 0;
}

/* Africa.md or africa.MD, told to become africa.md, is the network its
 * members name: kept as a stand-in, so that they are not told there is
 * no such network. */
static void misnamed_network(site *s, const sfs_root *root, const char *told,
			     const char *path, diags_t *d)
{
	int have = 0; /* not sorted yet: looked through */
	for (size_t k = 0; told && k < s->nnet && !have; k++)
		have = !strcmp(s->net[k].slug, told);
	if (told && !have)
		add_network(s, root, told, path, NULL, d);
}

/* Another file of l, not named mine, that is no slug either and would
 * be told the same name, made ("École.md" and "école.md"; "école.md"
 * twice, in NFC and in NFD, which look alike): its name, or NULL. */
static const char *same_name_told(const sfs_listing *l, const char *mine,
				  const char *made)
{
	for (size_t k = 0; k < l->n; k++) {
		const char *other = l->v[k].name;
		if (!strcmp(other, mine) || !has_md_suffix(other))
			continue;
		char *its = told_slug(other);
		int same = its && !strcmp(its, made);
		free(its);
		if (same)
			return other;
	}
	return NULL;
}

/* The file at path, in the listing l, is named slug.md but slug is not
 * one: say which name to give it, the slug partnermap new would make
 * ("Makerere University.md" -> makerere-university.md), unless that is
 * taken or there is none. A translation's name, the record's and a
 * language ("Makerere.fr"), keeps its language: makerere.fr.md, the name
 * that goes with the record's. The slug told of a record's own file
 * (fresh), or NULL. */
static char *bad_slug(const site *s, int is_page, const sfs_listing *l,
		      const char *path, const char *slug, diags_t *d)
{
	const char *dot = strrchr(slug, '.');
	char *lang = NULL;
	char *base = NULL;
	if (dot && check_language_tag(dot + 1) == 0 &&
	    (site_language(s, dot + 1) || text_language_known(dot + 1))) {
		lang = xstrdup(dot + 1);
		language_tag_case(lang);
		base = xstrndup(slug, (size_t)(dot - slug));
	}
	const char *name = base ? base : slug;
	char *made = slug_from_name(name);
	/* a page may not take a name the build writes (load/check.c):
	 * FR.md is not to become fr.md, refused in turn, but fr-page.md */
	int taken = made && is_page && route_reserved(made);
	for (size_t k = 1; made && is_page && k < s->cfg.languages.n; k++)
		taken |= !strcasecmp(made, s->cfg.languages.v[k]);
	if (taken) {
		char *other = xasprintf("%s-page", made);
		free(made);
		made = other;
	}
	char *file = !made ? NULL : lang ? xasprintf("%s.%s.md", made, lang) :
		xasprintf("%s.md", made);
	char *told = NULL;
	const char *slash = strrchr(path, '/');
	const char *twin = file && !lang && !listed(l, file) ?
		same_name_told(l, slash ? slash + 1 : path, made) : NULL;
	const sfs_entry *bundle = lang && made && l->n ?
		bsearch(made, l->v, l->n, sizeof *l->v, cmp_entry_name) : NULL;
	if (bundle && bundle->is_dir) {
		/* a bundle keeps its translations inside: makerere.fr.md
		 * beside makerere/ would be refused in turn */
		diag_error(d, path, 1, 1,
			   "'%s' cannot be a slug (the file name is the record's address: lower-case letters, digits and single dashes), and the record it translates is the page bundle %s/, which keeps its translations inside: move this file to %s/index.%s.md",
			   name, made, made, lang);
	} else if (twin) {
		char *mine_nfc = text_nfc(slash ? slash + 1 : path);
		char *twin_nfc = text_nfc(twin);
		diag_error(d, path, 1, 1,
			   "'%s' cannot be a slug (the file name is the record's address: lower-case letters, digits and single dashes), and %s beside it%s would be named %s too: keep one of the two as %s, and give the other a name of its own",
			   name, twin, strcmp(mine_nfc, twin_nfc) ? "" :
			   " (the same name, written with other Unicode code points)",
			   file, file);
		free(mine_nfc);
		free(twin_nfc);
	} else if (file && !listed(l, file)) {
		diag_error(d, path, 1, 1,
			   "'%s' cannot be a slug (the file name is the record's address: lower-case letters, digits and single dashes); rename the file %s",
			   name, file);
		if (!lang)
			told = xstrdup(made);
	} else if (file) {
		diag_error(d, path, 1, 1,
			   "'%s' cannot be a slug (the file name is the record's address: lower-case letters, digits and single dashes), and %s, the name it would take, is there already: keep one of the two, or give this one a name of its own",
			   name, file);
	} else {
		diag_error(d, path, 1, 1,
			   "'%s' cannot be a slug: name the file with lower-case letters, digits and single dashes (e.g. makerere-university.md)",
			   name);
	}
	free(file);
	free(made);
	free(base);
	free(lang);
	return told;
}

/* 1 when name (a file name without .md) is <slug>.<language tag>. */
static int is_translation_name(const char *name)
{
	char *base = translation_slug(name);
	free(base);
	return base != NULL;
}

static record_kind kind_of(record_fn add);

/* Entry i of the listing l, at path, is <slug>.<lang>.md (name without
 * .md): a translation of the record <slug> of the folder, which must be
 * in l (for an institution, as <slug>.md or a page bundle <slug>/). */
static void translation_file(site *s, const sfs_root *root,
			     const sfs_listing *l, size_t i, const char *path,
			     record_fn add, const char *name, diags_t *d)
{
	const char *dot = strrchr(name, '.');
	/* feed.xml.md: not a translation into a language no one speaks, but
	 * a name that is no slug */
	if (!site_language(s, dot + 1) && !text_language_known(dot + 1)) {
		free(bad_slug(s, add == add_page, l, path, name, d));
		return;
	}
	char *slug = xstrndup(name, (size_t)(dot - name));
	char *file = xasprintf("%s.md", slug);
	char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	char *record = xasprintf("%s/%s", dir, file);
	/* a record file refused is there (and told): its translation
	 * is not told that there is none */
	int exists = listed(l, file) || sfs_list_refused(l, file) ||
		(add == add_institution &&
		 (listed(l, slug) || sfs_list_refused(l, slug))) ||
		told_to_become(l, slug);
	load_translation(s, root, l, i, kind_of(add), slug, dot + 1, path,
			 record, exists, d);
	free(record);
	free(dir);
	free(file);
	free(slug);
}

/* Load one record: content/institutions/<slug>.md, entry i of l, at path
 * (as messages name it, and under root): read, parsed, its fields checked
 * and its digests taken (site.h), into *out. 1 when it is a record of the
 * model, 0 when not (a draft, a record with an error, a file that could
 * not be read: reported in d); *readable is 0 when the file could not be
 * read. Like make_institution, it reads only the parts of s loaded before
 * any institution, and runs on several threads at once for different
 * files, each with its own d. */
static int read_institution(const site *s, const sfs_root *root,
			    const sfs_listing *l, size_t i, const char *slug,
			    const char *path, institution *out, diags_t *d,
			    int *readable)
{
	buf_t text = BUF_INIT;
	fm_doc doc = {0};
	int made = 0;
	int rc = sfs_read_entry(root, l, i, path, path, SFS_CONTENT, &text, d);
	if (rc == SFS_IO)
		diag_fatal(d, path, "cannot read: %s", strerror(errno));
	else if (rc == SFS_OK)
		made = make_institution(s, root, slug, path,
					fm_parse(text.ptr, text.len, path, &doc,
						 d) >= 0 ? &doc : NULL,
					listed_folder(l, slug), out, d);
	if (made)
		digest_record(out, &text, doc.body_len);
	*readable = rc != SFS_IO;
	fm_doc_free(&doc);
	buf_free(&text);
	return made;
}

/* The slug of a file of a content folder named <slug>.md: a record's
 * own file (not a translation, nor a name to refuse); else NULL. A fresh
 * string. */
static char *record_slug(const char *name)
{
	if (!chars_is_utf8(name, strlen(name)) || !has_md_suffix(name))
		return NULL;
	char *slug = xstrndup(name, strlen(name) - 3);
	if (check_slug(slug) == 0)
		return slug;
	free(slug);
	return NULL;
}

/* A folder in content/networks/ or content/pages/ (kind: "network" or
 * "page"), entry i of l, at path. A record inside it was meant as a page
 * bundle (index.md) or put in a folder of its own (team/team.md), and
 * neither is read: an error at it that gives the file's name, with its
 * translations' (index.fr.md: team.fr.md). A network so refused is
 * still one its members may name, as a misnamed network file is. Any
 * other folder is left out, with a warning. */
static void flat_kind_folder(site *s, const sfs_root *root,
			     const sfs_listing *l, size_t i, const char *path,
			     const char *kind, diags_t *d)
{
	sfs_listing sub; /* what may be read of it; its own problems are
			    told as its entries are read, if ever */
	diags_t quiet = DIAGS_INIT;
	sfs_list(root, path, path, &sub, &quiet);
	diags_free(&quiet);
	const char *slash = strrchr(path, '/');
	int parent = (int)(slash ? slash - path : 0);
	const char *name = l->v[i].name;
	const char *record = NULL;
	if (listed(&sub, "index.md"))
		record = "index.md";
	for (size_t k = 0; !record && k < sub.n; k++)
		if (!sub.v[k].is_dir && has_md_suffix(sub.v[k].name) &&
		    strchr(sub.v[k].name, '.') == strrchr(sub.v[k].name, '.'))
			record = sub.v[k].name;
	if (!record) {
		/* a translation alone (africa/index.fr.md beside africa.md):
		 * a file beside its record, lost in the folder */
		const char *lone = NULL;
		for (size_t k = 0; !lone && k < sub.n; k++)
			if (!sub.v[k].is_dir && has_md_suffix(sub.v[k].name) &&
			    strchr(sub.v[k].name, '.') != strrchr(sub.v[k].name, '.'))
				lone = sub.v[k].name;
		if (lone) {
			const char *tag = strchr(lone, '.');
			char *at = xasprintf("%s/%s", path, lone);
			diag_error(d, at, 1, 1, "not read: a %s's translation is "
				   "one file beside its record, never in a folder; "
				   "move it to %.*s/%s%s", kind, parent, path, name,
				   tag);
			free(at);
		} else {
			diag_warning(d, IGNORED_FILE, path, 1, 1,
				     "the folder %s is not read: a %s is one "
				     "file, %.*s/<slug>.md", path, kind, parent,
				     path);
		}
		sfs_list_free(&sub);
		return;
	}
	/* the slug: the folder's, or index.md's own name (team/team.md) */
	size_t rn = strlen(record) - 3;
	char *slug = !strcmp(record, "index.md") ? xstrdup(name) :
		     xstrndup(record, rn);
	buf_t msg = BUF_INIT;
	char *file = xasprintf("%s.md", slug);
	int taken = listed(l, file);
	buf_printf(&msg, "not read: a %s is one file, never %s (only "
		   "institutions have page bundles); %s %.*s/%s.md", kind,
		   !strcmp(record, "index.md") ? "a page bundle" : "in a folder",
		   taken ? "keep this one or" : "move it to", parent, path, slug);
	/* its translations, index.fr.md or team.fr.md beside it */
	size_t stem = !strcmp(record, "index.md") ? 5 : rn;
	for (size_t k = 0; k < sub.n; k++) {
		const char *t = sub.v[k].name;
		size_t tn = strlen(t);
		if (sub.v[k].is_dir || tn <= stem + 4 || strncmp(t, record, stem) ||
		    t[stem] != '.' || !has_md_suffix(t) || !strcmp(t, record))
			continue;
		buf_printf(&msg, ", and %s to %.*s/%s%.*s", t, parent, path,
			   slug, (int)(tn - stem), t + stem);
	}
	char *at = xasprintf("%s/%s", path, record);
	diag_error(d, at, 1, 1, "%s", buf_cstr(&msg));
	if (!strcmp(kind, "network") && check_slug(slug) == 0 && !taken)
		misnamed_network(s, root, slug, at, d);
	free(file);
	free(at);
	buf_free(&msg);
	free(slug);
	sfs_list_free(&sub);
}

/* Entry i of the listing l of a content folder; path is how messages name
 * it (and where it is under root). */
static void load_file(site *s, const sfs_root *root, const sfs_listing *l,
		      size_t i, const char *path, record_fn add,
		      const load_cache *cache, diags_t *d)
{
	const char *name = l->v[i].name;
	/* a name from another encoding is no slug, and no page could
	 * link to it: say so, rather than that it "cannot be a slug" */
	if (!chars_is_utf8(name, strlen(name))) {
		diag_error(d, path, 1, 1,
			   "the file name is not valid UTF-8 (the bytes shown "
			   "as <0x..> are from another encoding), so it is not "
			   "read: rename it with lower-case letters, digits and "
			   "single dashes ending in .md (e.g. "
			   "makerere-university.md)");
		return;
	}
	struct stat gone;
	if (!has_md_suffix(name) && l->v[i].is_link && l->fd >= 0 &&
	    fstatat(l->fd, name, &gone, 0) < 0 && errno == ENOENT) {
		/* a link to nothing (a bundle's folder, most likely): the
		 * site's mistake, told as reading it tells it, not a file
		 * that is no Markdown */
		buf_t none = BUF_INIT;
		sfs_read_entry(root, l, i, path, path, SFS_CONTENT, &none, d);
		buf_free(&none);
		return;
	}
	if (l->v[i].is_dir && (add == add_network || add == add_page)) {
		flat_kind_folder(s, root, l, i, path, add == add_network ?
				 "network" : "page", d);
		return;
	}
	if (!has_md_suffix(name)) {
		char *told = not_a_record(name, path, d);
		if (add == add_network && told) {
			char *file = xasprintf("%s.md", told);
			if (!listed(l, file))
				misnamed_network(s, root, told, path, d);
			free(file);
		}
		free(told);
		return;
	}
	char *slug = xstrndup(name, strlen(name) - 3);
	if (check_slug(slug) < 0 && is_translation_name(slug)) {
		translation_file(s, root, l, i, path, add, slug, d);
		free(slug);
		return;
	}
	if (check_slug(slug) < 0) {
		char *told = bad_slug(s, add == add_page, l, path, slug, d);
		if (add == add_network)
			misnamed_network(s, root, told, path, d);
		free(told);
		free(slug);
		return;
	}
	if (add == add_institution) {
		institution in;
		int readable;
		if (read_institution(s, root, l, i, slug, path, &in, d,
				     &readable))
			site_add_institution(s, &in);
		free(slug);
		return;
	}
	buf_t text = BUF_INIT;
	fm_doc doc = {0};
	sfs_kind kind = add == add_network ? SFS_NETWORK : SFS_PAGE;
	int rc = sfs_read_entry(root, l, i, path, path, kind, &text, d);
	if (rc == SFS_IO)
		diag_fatal(d, path, "cannot read: %s", strerror(errno));
	/* a file refused or unreadable (said) is still there: kept as a
	 * stand-in, as one that does not parse is, so that the records
	 * naming the network, and the page's translations, get no second
	 * error saying that there is no such file */
	int parsed = rc == SFS_OK && fm_parse(text.ptr, text.len, path, &doc, d) >= 0;
	add(s, root, slug, path, parsed ? &doc : NULL, d);
	if (!parsed && doc.body_len) {
		/* YAML that could not be read: its body's links are checked
		 * all the same, against the rules of its kind's pages and, for
		 * a page, against the site's pages (load/links.c), as a
		 * refused page's */
		char *html = markdown_to_html(doc.body, doc.body_len);
		offers_check_free_links(html, &doc, path, add == add_network ?
					"network" : "page", s->cfg.base_url, d);
		free(html);
		if (add == add_page) {
			char *dir = xasprintf("%s/", slug);
			site_refused_page(s, path, dir, 0, 0);
			free(dir);
		}
	}
	fm_doc_free(&doc);
	buf_free(&text);
	free(slug);
}

/* A page bundle's translation files, index.<lang>.md with lang a language
 * tag in any case (index.FR.md is French), each read as load_translation
 * does; record is the bundle's index.md. With record NULL, when the
 * bundle's record is misnamed (told), their names are still checked, so
 * that Index.fr.md is told in the same run as Index.md, but none is read
 * (they would translate no record). s is written only to add a
 * translation: with record NULL this may run on the load's threads. */
static void bundle_translations(const site *s_in, const sfs_root *root,
				const char *rel, const char *slug,
				const char *record, diags_t *d)
{
	site *s = (site *)s_in; /* written only with a record (main thread) */
	char *folder = xasprintf("%s/%s", rel, slug);
	sfs_listing l;
	/* the record's reading listed the folder and said what is wrong in
	 * it: the same messages again would only repeat them */
	diags_t again = DIAGS_INIT;
	sfs_list(root, folder, folder, &l, &again);
	diags_free(&again);
	for (size_t i = 0; i < l.n; i++) {
		const char *name = l.v[i].name;
		size_t n = strlen(name);
		if (l.v[i].is_dir || strncasecmp(name, "index.", 6) || n < 10 ||
		    strcmp(name + n - 3, ".md"))
			continue;
		char *lang = xstrndup(name + 6, n - 9);
		char *path = xasprintf("%s/%s", folder, name);
		int language = check_language_tag(lang) == 0 &&
			       (site_language(s, lang) || text_language_known(lang));
		if (language && strncmp(name, "index.", 6)) {
			/* Index.fr.md: meant, and left out without a word */
			char *tag = xstrdup(lang);
			language_tag_case(tag);
			diag_error(d, path, 1, 1,
				   "not read: a translation of the bundle's "
				   "record is index.<language>.md, in lower case; "
				   "rename it to index.%s.md", tag);
			free(tag);
		} else if (strncmp(name, "index.", 6)) {
			/* INDEX.notes.md: some other file of the bundle */
		} else if (language && record)
			load_translation(s, root, &l, i, RECORD_INSTITUTION,
					 slug, lang, path, record, 1, d);
		else if (language) {
			/* a translation of the misnamed record: read once it
			 * is named */
		}
		else if (check_language_tag(lang) == 0)
			/* index.old.md: a copy kept aside, as at the top
			 * level, not a translation into "old" */
			diag_warning(d, IGNORED_FILE, path, 1, 1,
				     "not read: '%s' is no language, so this is "
				     "no translation of index.md (index.<language>.md "
				     "is); give it another name if it is one of the "
				     "files the page links", lang);
		free(path);
		free(lang);
	}
	sfs_list_free(&l);
	free(folder);
}

/* The path of the file of folder rel/name that is its index.md in another
 * case or ending (Index.md, index.MD, INDEX.markdown) or under the slug's
 * own name (makerere/makerere.md), or NULL. Fresh. */
static char *bundle_index_misnamed(const sfs_root *root, const char *rel,
				   const char *name)
{
	char *folder = xasprintf("%s/%s", rel, name);
	sfs_listing l;
	diags_t quiet = DIAGS_INIT; /* its refusals are told when it is read */
	sfs_list(root, folder, folder, &l, &quiet);
	diags_free(&quiet);
	char *found = NULL;
	for (size_t i = 0; i < l.n && !found; i++) {
		const char *e = l.v[i].name;
		char *slug = has_md_suffix(e) ? NULL : record_like_slug(e);
		size_t n = strlen(name);
		int own = !strncmp(e, name, n) && !strcmp(e + n, ".md");
		int meant = !l.v[i].is_dir &&
			    ((has_md_suffix(e) && !strcasecmp(e, "index.md")) ||
			     (slug && !strcmp(slug, "index")) || own);
		if (meant)
			found = xasprintf("%s/%s", folder, e);
		free(slug);
	}
	sfs_list_free(&l);
	free(folder);
	return found;
}

/* The path of the first translation file (index.<lang>.md) of the page
 * bundle folder, or NULL. Fresh. */
static char *lone_translation(const sfs_root *root, const char *folder)
{
	sfs_listing l;
	diags_t quiet = DIAGS_INIT;
	char *found = NULL;
	if (sfs_list(root, folder, folder, &l, &quiet) == SFS_OK)
		for (size_t i = 0; i < l.n && !found; i++) {
			const char *n = l.v[i].name;
			size_t len = strlen(n);
			if (!l.v[i].is_dir && len > 9 && !strncmp(n, "index.", 6) &&
			    has_md_suffix(n) && !memchr(n + 6, '.', len - 9))
				found = xasprintf("%s/%s", folder, n);
		}
	sfs_list_free(&l);
	diags_free(&quiet);
	return found;
}

/* Entry i of the listing l of content/institutions (rel) is a folder: a
 * page bundle, <slug>/index.md with the files its page links beside it,
 * read as read_institution reads a record, into *out (*made says whether
 * it is one). A <slug>.md beside the folder is an error naming both.
 * 1 when the bundle's record was read: its translation files are read
 * next (bundle_translations), in file order with the other entries. */
static int bundle_record(const site *s, const sfs_root *root,
			 const sfs_listing *l, size_t i, const char *rel,
			 institution *out, int *made, diags_t *d)
{
	const char *name = l->v[i].name;
	char *path = xasprintf("%s/%s/index.md", rel, name);
	int read = 0;
	*made = 0;
	char *file = xasprintf("%s.md", name);
	buf_t text = BUF_INIT;
	int bad_slug = check_slug(name) < 0;
	int rc = !bad_slug ?
		sfs_read(root, path, path, SFS_CONTENT, &text, d) : SFS_IO;
	/* kept: the listing below sets errno again */
	int err = rc == SFS_IO && !bad_slug ? errno : 0;
	char *misnamed = err == ENOENT ?
		bundle_index_misnamed(root, rel, name) : NULL;
	const char *base = misnamed ? strrchr(misnamed, '/') + 1 : NULL;
	if (misnamed) {
		if (!strcasecmp(base, "index.md"))
			/* Index.md, index.MD: the record is meant, and
			 * leaving it out with a warning would lose a partner
			 * from the site */
			diag_error(d, misnamed, 1, 1,
				   "not read: a page bundle's record is index.md, "
				   "in lower case; rename it to index.md");
		else
			/* INDEX.markdown, or the slug's own name
			 * (makerere/makerere.md) */
			diag_error(d, misnamed, 1, 1,
				   "not read: a page bundle's record is named "
				   "index.md, whatever the slug; rename it to "
				   "%s/%s/index.md", rel, name);
		/* Index.fr.md beside it: told in this run too */
		bundle_translations(s, root, rel, name, NULL, d);
	} else if (bad_slug)
		diag_warning(d, IGNORED_FILE, path, 1, 1,
			     "the folder %s/%s is not read: a page bundle is a "
			     "folder named by its slug holding index.md and the "
			     "files its page links", rel, name);
	else if (err == ENOENT) {
		/* told at the folder: its index.md is no file to point at,
		 * unless a translation of the missing record is */
		char *folder = xasprintf("%s/%s", rel, name);
		char *lone = lone_translation(root, folder);
		if (lone)
			diag_error(d, lone, 1, 1,
				   "this file translates '%s', but the bundle "
				   "has no index.md, its record in the default "
				   "language: write %s/index.md first, or remove "
				   "the folder", name, folder);
		else
			diag_warning(d, IGNORED_FILE, folder, 1, 1,
				     "the folder %s/%s is not read: it holds no "
				     "index.md; a page bundle holds its record as "
				     "index.md beside the files its page links "
				     "(add it, or remove the folder)", rel, name);
		free(lone);
		free(folder);
	}
	else if (listed(l, file))
		diag_error(d, path, 1, 1,
			   "%s/%s and %s are both the record of '%s': keep one "
			   "(move %s into %s/%s/index.md, or remove the folder)",
			   rel, file, path, name, file, rel, name);
	else if (rc == SFS_IO)
		diag_fatal(d, path, "cannot read: %s", strerror(err));
	else if (rc == SFS_OK) {
		fm_doc doc = {0};
		*made = make_institution(s, root, name, path,
					 fm_parse(text.ptr, text.len, path, &doc,
						  d) >= 0 ? &doc : NULL, 0, out, d);
		if (*made)
			digest_record(out, &text, doc.body_len);
		fm_doc_free(&doc);
		read = 1;
	}
	buf_free(&text);
	free(misnamed);
	free(file);
	free(path);
	return read;
}

/* The entries of the content folder rel into l, in file-name order. A
 * missing folder is fine unless required. Every file is read through
 * root: nothing outside the site folder, nothing but regular files,
 * nothing too large. */
static int list_folder(const sfs_root *root, const char *rel, int required,
		       sfs_listing *l, diags_t *d)
{
	int before = error_count(d);
	int rc = sfs_list(root, rel, rel, l, d);
	if (rc == SFS_IO) {
		if (errno != ENOENT && errno != ENOTDIR)
			diag_fatal(d, rel, "cannot read the folder: %s",
				   strerror(errno));
		else if (errno == ENOTDIR)
			diag_error(d, rel, 1, 1,
				   "%s is not a folder (it, or a folder above it, "
				   "is a file): make it a folder of .md files, one "
				   "per record", rel);
		else if (required)
			diag_error(d, rel, 1, 1,
				   "missing folder: each partner is a file %s/<slug>.md",
				   rel);
	}
	return error_count(d) > before ? -1 : 0;
}

/* Every file of content/<sub> (networks or pages) in file-name order.
 * -1 when the folder could not be listed (said), else 0. */
static int load_folder(site *s, const sfs_root *root, const char *sub,
		       record_fn add, diags_t *d)
{
	char *rel = xasprintf("content/%s", sub);
	sfs_listing l;
	int rc = list_folder(root, rel, 0, &l, d);
	for (size_t i = 0; i < l.n; i++) {
		char *path = xasprintf("%s/%s", rel, l.v[i].name);
		load_file(s, root, &l, i, path, add, NULL, d);
		free(path);
	}
	sfs_list_free(&l);
	free(rel);
	return rc;
}

/* ---- content/institutions, on the build's threads ---------------------- */

#define INSTITUTIONS "content/institutions"

/* What an entry of content/institutions needs once every record is read,
 * in file-name order with the others. */
enum { LATER_NOTHING, LATER_FILE, LATER_BUNDLE };

/* How the cache (load.h) met an entry: not asked, it gave the record, or
 * it declined and is to be told what reading the file gave. */
enum { CACHE_NONE, CACHE_REPLAYED, CACHE_TO_STORE };

/* The reading of content/institutions: entry i of l is read into rec[i]
 * (made[i] says whether it is a record of the model) with its messages
 * in said[i] (NULL: none), by whichever thread takes it. */
typedef struct inst_batch {
	const site *s;
	const sfs_root *root;
	const sfs_listing *l;
	const load_cache *cache;
	institution *rec;
	unsigned char *made, *later, *cached;
	diags_t **said;
	load_ticket *ticket; /* with a cache: what replay noted of entry i */
} inst_batch;

/* What entry i said, added to said[i] (NULL while it said nothing). */
static void keep_said(inst_batch *b, size_t i, diags_t *d)
{
	if (d->n) {
		if (!b->said[i])
			b->said[i] = xcalloc(1, sizeof *b->said[i]);
		diags_move(b->said[i], d);
	}
	diags_free(d);
}

/* Entry i: a record's own file or a page bundle's record is read now;
 * anything else (a translation, a name to refuse) waits for the merge,
 * as a translation's check needs the ones before it. */
static void read_entry(void *arg, size_t i)
{
	inst_batch *b = arg;
	if (b->cached[i] == CACHE_REPLAYED)
		return;
	const sfs_entry *e = &b->l->v[i];
	diags_t d = DIAGS_INIT;
	int made = 0;
	char *slug = e->is_dir ? NULL : record_slug(e->name);
	if (e->is_dir) {
		b->later[i] = bundle_record(b->s, b->root, b->l, i, INSTITUTIONS,
					    &b->rec[i], &made, &d) ?
			LATER_BUNDLE : LATER_NOTHING;
	} else if (slug) {
		char *path = xasprintf(INSTITUTIONS "/%s", e->name);
		int readable;
		made = read_institution(b->s, b->root, b->l, i, slug, path,
					&b->rec[i], &d, &readable);
		if (b->cache && readable)
			b->cached[i] = CACHE_TO_STORE;
		free(path);
	} else {
		b->later[i] = LATER_FILE;
	}
	free(slug);
	b->made[i] = (unsigned char)made;
	keep_said(b, i, &d);
}

/* Ask the cache for each record's own file, in file-name order, on the
 * calling thread: what it gives is not read. */
static void replay_entries(site *s, inst_batch *b, int threads)
{
	const load_cache *cache = b->cache;
	/* the paths of the records' own files, in file-name order (NULL for
	 * the other entries), given to the cache's prefetch first */
	char **paths = xcalloc(b->l->n + 1, sizeof *paths);
	size_t npaths = 0;
	for (size_t i = 0; i < b->l->n; i++) {
		const sfs_entry *e = &b->l->v[i];
		char *slug = e->is_dir ? NULL : record_slug(e->name);
		if (slug)
			paths[i] = xasprintf(INSTITUTIONS "/%s", e->name);
		free(slug);
	}
	/* the same, without the gaps, for as long as the replays last */
	char **order = xcalloc(b->l->n + 1, sizeof *order);
	for (size_t i = 0; i < b->l->n; i++)
		if (paths[i])
			order[npaths++] = paths[i];
	if (cache->prefetch)
		cache->prefetch(cache->ctx, s, order, npaths, threads);
	/* the one-record site each replay adds to: its array, made on the
	 * first add, is kept for the next (site_add_institution's first
	 * room, never grown past one record), so ten thousand replays do
	 * not each take fresh memory */
	institution *room = NULL;
	for (size_t i = 0; i < b->l->n; i++) {
		char *path = paths[i];
		if (!path)
			continue;
		/* the cache adds to a site: this record's own, empty one */
		site one = *s;
		one.inst = room;
		one.ninst = 0;
		diags_t d = DIAGS_INIT;
		if (cache->replay(cache->ctx, &one, path, &b->ticket[i], &d)) {
			b->cached[i] = CACHE_REPLAYED;
			if (one.ninst)
				b->rec[i] = one.inst[0];
			b->made[i] = one.ninst > 0;
		}
		room = one.inst;
		keep_said(b, i, &d);
	}
	free(room);
	for (size_t i = 0; i < b->l->n; i++)
		free(paths[i]);
	free(paths);
	free(order);
}

/* Tell the cache what reading entry i (at path) gave. */
static void store_entry(const site *s, inst_batch *b, size_t i,
			const char *path)
{
	site one = *s;
	one.inst = &b->rec[i];
	one.ninst = b->made[i];
	diags_t none = DIAGS_INIT;
	b->cache->store(b->cache->ctx, &one, path, &b->ticket[i], 0,
			b->said[i] ? b->said[i] : &none, 0);
}

/* Whether entry e of a content folder is a translation file
 * (<slug>.<lang>.md), by its name alone. */
static int translation_entry(const sfs_entry *e)
{
	if (e->is_dir || !chars_is_utf8(e->name, strlen(e->name)) ||
	    !has_md_suffix(e->name))
		return 0;
	char *slug = xstrndup(e->name, strlen(e->name) - 3);
	int yes = check_slug(slug) < 0 && is_translation_name(slug);
	free(slug);
	return yes;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entry e of content/institutions, a record refused for its errors:
 * noted in s->refused, so that its links are checked all the same. */
static void refused_institution(site *s, const sfs_entry *e)
{
	char *slug = e->is_dir ? xstrdup(e->name) : record_slug(e->name);
	if (!slug && !e->is_dir) {
		/* Eee.md, told to be eee.md: its page would be eee's */
		char *lower = xstrdup(e->name);
		for (char *c = lower; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		slug = record_slug(lower);
		free(lower);
	}
	if (!slug)
		return;
	char *path = e->is_dir ? xasprintf(INSTITUTIONS "/%s/index.md", e->name) :
				 xasprintf(INSTITUTIONS "/%s", e->name);
	char *dir = xasprintf("institutions/%s/", slug);
	site_refused_page(s, path, dir, 1, 0);
	FREE_ALL(slug, path, dir);
}

/* s->inst_left_out from the listing l of content/institutions: the
 * records (own files and bundles) that b did not make. */
static void left_out(site *s, const sfs_listing *l, const inst_batch *b)
{
	char **v = xcalloc(l->n + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const sfs_entry *e = &l->v[i];
		if (b->made[i])
			continue;
		if (!e->is_dir)
			v[n] = record_slug(e->name);
		else if (b->later[i] == LATER_BUNDLE)
			v[n] = xstrdup(e->name);
		n += v[n] != NULL;
	}
	/* file-name order is not slug order ("a-b.md" before "a.md") */
	qsort(v, n, sizeof *v, cmp_str);
	strlist_take(&s->inst_left_out, v, n);
}

/* Every entry of content/institutions in file-name order: what the cache
 * gives taken from it, the other records read on `threads` threads, then,
 * in file-name order, the cache told what they gave, their messages moved
 * to d, their records into s->inst (which holds none yet) and the entries
 * that wait read. So the model and the messages are the same for any
 * number of threads, with a cache or without. */
static void load_institutions(site *s, const sfs_root *root,
			      const load_cache *cache, int threads,
			      diags_t *d)
{
	sfs_listing l;
	/* a folder that could not be listed may hold any record */
	if (list_folder(root, INSTITUTIONS, 1, &l, d) < 0)
		s->inst_refused = 1;
	size_t n = l.n ? l.n : 1;
	inst_batch b = {s, root, &l, cache, xcalloc(n, sizeof *b.rec),
			xcalloc(n, 1), xcalloc(n, 1), xcalloc(n, 1),
			xcalloc(n, sizeof *b.said),
			cache ? xcalloc(n, sizeof *b.ticket) : NULL};
	if (cache)
		replay_entries(s, &b, threads);
	par_for(l.n, threads, read_entry, &b);
	/* the records move down the array, which becomes s->inst */
	size_t kept = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (b.cached[i] == CACHE_TO_STORE) {
			char *path = xasprintf(INSTITUTIONS "/%s", l.v[i].name);
			store_entry(s, &b, i, path);
			free(path);
		}
		int had = error_count(d);
		if (b.said[i]) {
			diags_move(d, b.said[i]);
			free(b.said[i]);
		}
		if (b.made[i])
			b.rec[kept++] = b.rec[i];
		const char *name = l.v[i].name;
		char *path = b.later[i] == LATER_BUNDLE ?
			xasprintf(INSTITUTIONS "/%s/index.md", name) :
			xasprintf(INSTITUTIONS "/%s", name);
		if (b.later[i] == LATER_FILE)
			load_file(s, root, &l, i, path, add_institution, NULL, d);
		else if (b.later[i] == LATER_BUNDLE)
			bundle_translations(s, root, INSTITUTIONS, name, path, d);
		free(path);
		/* a record, or a file that may be one under a wrong name, left
		 * out for its errors; a translation's errors leave no record
		 * out */
		if (error_count(d) > had && !b.made[i] &&
		    !translation_entry(&l.v[i])) {
			s->inst_refused = 1;
			refused_institution(s, &l.v[i]);
		}
	}
	free(s->inst);
	s->inst = b.rec;
	s->ninst = kept;
	left_out(s, &l, &b);
	FREE_ALL(b.made, b.later, b.cached, b.said, b.ticket);
	sfs_list_free(&l);
}

static record_kind kind_of(record_fn add)
{
	return add == add_institution ? RECORD_INSTITUTION :
		add == add_network ? RECORD_NETWORK : RECORD_PAGE;
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

/* What content/ holds beside its three folders is read by no one: a
 * record saved in content/ itself, or in content/institution/ or
 * content/Pages/, would be left out of the site without a word. Each is
 * an ignored-file warning naming the folder it belongs in. Hidden
 * entries are passed over, as everywhere. */
static void content_strays(const sfs_root *root, diags_t *d)
{
	static const char *const kinds[] = {"institutions", "networks", "pages",
					    NULL};
	sfs_listing l;
	diags_t quiet = DIAGS_INIT; /* refusals are told where it is read */
	sfs_list(root, "content", "content", &l, &quiet);
	diags_free(&quiet);
	for (size_t i = 0; i < l.n; i++) {
		const char *e = l.v[i].name;
		int known = 0;
		for (size_t k = 0; kinds[k]; k++)
			known |= !strcmp(e, kinds[k]);
		/* one of the three, even as a file: its reader tells that */
		if (e[0] == '.' || known)
			continue;
		char *path = xasprintf("content/%s", e);
		const char *meant = l.v[i].is_dir ? hint_from(e, kinds) : NULL;
		if (meant)
			diag_warning(d, IGNORED_FILE, path, 1, 1,
				     "the folder content/%s is not read: did you "
				     "mean content/%s/? Its files are left out of "
				     "the site until they are moved there", e, meant);
		else if (l.v[i].is_dir)
			diag_warning(d, IGNORED_FILE, path, 1, 1,
				     "the folder content/%s is not read: records "
				     "go in content/institutions/, networks in "
				     "content/networks/ and free pages in "
				     "content/pages/", e);
		else
			diag_warning(d, IGNORED_FILE, path, 1, 1,
				     "not read: content/ holds only the folders "
				     "institutions/, networks/ and pages/; move a "
				     "record into content/institutions/, a network "
				     "into content/networks/, a free page into "
				     "content/pages/");
		free(path);
	}
	sfs_list_free(&l);
}

int site_load(site *s, const char *dir, diags_t *d)
{
	return site_load_cached(s, dir, NULL, d);
}

int site_load_cached(site *s, const char *dir, const load_cache *cache,
		     diags_t *d)
{
	return site_load_jobs(s, dir, cache, 1, d);
}

int site_load_jobs(site *s, const char *dir, const load_cache *cache,
		   int threads, diags_t *d)
{
	int before = error_count(d);
	/* libxml2 sets up its globals once, before the threads that check
	 * bundles' SVG pictures (svgcheck.h) */
	xmlInitParser();
	free(s->dir);
	s->dir = xstrdup(dir);
	/* with neither site.yml nor content/, dir is no site: one message
	 * says so, not one per missing folder */
	if (config_load(&s->cfg, dir, d) == -2 && !has_content_folder(dir)) {
		s->settings_failed = 1;
		return -1;
	}
	/* the machine's iso-codes table, not the site's: read as it is; if
	 * it is missing, that is said, and the records are read without
	 * country checks */
	countries_load(&s->countries, iso_codes_path(), d);
	int had = error_count(d);
	countries_add_site(&s->countries, &s->cfg, d);
	/* the content's checks read these settings: checked against
	 * defaults instead, records and translations would get errors that
	 * only repeat site.yml's (an unknown country its countries: adds, a
	 * language its languages: lists) */
	s->settings_failed = s->cfg.unread || s->cfg.shared_failed ||
			     error_count(d) > had;
	if (s->settings_failed)
		return -1;
	sfs_root root;
	sfs_root_init(&root, dir, "site folder");
	load_site_texts(s, &root, d);
	if (sfs_folder_refused(&root, "content", "content", d)) {
		/* content/ linked away, told once, not for each of its
		 * folders: nothing is known of its networks and records */
		s->nets_unlisted = 1;
		s->inst_refused = 1;
		sfs_root_free(&root);
		return -1;
	}
	content_strays(&root, d);
	s->nets_unlisted = load_folder(s, &root, "networks", add_network, d) < 0;
	if (s->nnet)
		qsort(s->net, s->nnet, sizeof *s->net, cmp_networks);
	number_networks(s);
	load_folder(s, &root, "pages", add_page, d);
	if (s->npages)
		qsort(s->pages, s->npages, sizeof *s->pages, cmp_pages);
	load_institutions(s, &root, cache, threads, d);
	sfs_root_free(&root);
	if (s->ninst) {
		sort_institutions(s);
		/* no record is added from here on: the room grow() doubled
		 * for would stay empty all the build (10 MB at 100,000) */
		s->inst = xreallocarray(s->inst, s->ninst, sizeof *s->inst);
	}
	free(s->tr_slot); /* the load's alone */
	s->tr_slot = NULL;
	s->tr_cap = 0;
	return error_count(d) > before ? -1 : 0;
}
