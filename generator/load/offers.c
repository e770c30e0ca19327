/* offers.c - elective offers, the institution fields around them, page
 * bundles, and site.yml's disciplines: (see offers.h). */
#define _GNU_SOURCE /* memmem */
#include "offers.h"
#include "svgcheck.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmark.h>
#include <unicode/ucurr.h>
#include <unicode/ustring.h>

#include "../util/buf.h"
#include "../util/chars.h"
#include "../util/media.h"
#include "../util/text_unicode.h"
#include "currencies.h"
#include "load.h"

/* ---- vocabularies ------------------------------------------------------- */

const char *const offer_types[] = {"clinical", "research", "observership",
				   NULL};
static const char *const offer_levels[] = {"undergraduate", "postgraduate",
					   NULL};
static const char *const fee_words[] = {"waived", NULL};

const char *const offer_month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December", NULL};

/* The disciplines a site has when site.yml gives none. */
static const discipline builtin_disciplines[] = {
	{"internal-medicine", "Internal medicine"},
	{"paediatrics", "Paediatrics"},
	{"surgery", "Surgery"},
	{"obstetrics-gynaecology", "Obstetrics and gynaecology"},
	{"psychiatry", "Psychiatry"},
	{"family-medicine", "Family medicine"},
	{"emergency-medicine", "Emergency medicine"},
	{"anaesthesia", "Anaesthesia"},
	{"infectious-diseases", "Infectious diseases"},
	{"public-health", "Public health"},
	{"global-health", "Global health"},
	{"nursing", "Nursing"},
	{"midwifery", "Midwifery"},
	{"pharmacy", "Pharmacy"},
	{"dentistry", "Dentistry"},
	{"physiotherapy", "Physiotherapy"},
	{"laboratory-medicine", "Laboratory medicine"},
	{"radiology", "Radiology"},
};

/* A word written for a language's tag, and the tag. */
typedef struct language_alias {
	const char *name, *tag;
} language_alias;

/* What editors write for a language instead of its tag: its English
 * name, then codes (below). */
static const language_alias language_names[] = {
	{"english", "en"}, {"french", "fr"}, {"portuguese", "pt"},
	{"spanish", "es"}, {"arabic", "ar"}, {"german", "de"},
	{"italian", "it"}, {"swahili", "sw"}, {"kiswahili", "sw"},
	{"chinese", "zh"}, {"mandarin", "zh"}, {"japanese", "ja"},
	{"korean", "ko"}, {"thai", "th"}, {"vietnamese", "vi"},
	{"indonesian", "id"}, {"malay", "ms"}, {"hindi", "hi"},
	{"russian", "ru"}, {"turkish", "tr"}, {"persian", "fa"},
	{"farsi", "fa"}, {"dutch", "nl"}, {"swedish", "sv"}, {"polish", "pl"},
	{"czech", "cs"}, {"bulgarian", "bg"}, {"amharic", "am"},
	{"nepali", "ne"}, {"bengali", "bn"}, {"tetum", "tet"},
};

/* ISO 639-2 codes of languages BCP 47 writes with two letters (RFC 5646
 * section 2.2.1): bibliographic, then terminology. */
static const language_alias language_codes[] = {
	{"fre", "fr"}, {"fra", "fr"}, {"ger", "de"}, {"deu", "de"},
	{"dut", "nl"}, {"nld", "nl"}, {"chi", "zh"}, {"zho", "zh"},
	{"cze", "cs"}, {"ces", "cs"}, {"gre", "el"}, {"ell", "el"},
	{"per", "fa"}, {"fas", "fa"}, {"rum", "ro"}, {"ron", "ro"},
	{"slo", "sk"}, {"slk", "sk"}, {"wel", "cy"}, {"cym", "cy"},
	{"alb", "sq"}, {"sqi", "sq"}, {"arm", "hy"}, {"hye", "hy"},
	{"baq", "eu"}, {"eus", "eu"}, {"bur", "my"}, {"mya", "my"},
	{"geo", "ka"}, {"kat", "ka"}, {"ice", "is"}, {"isl", "is"},
	{"mac", "mk"}, {"mkd", "mk"}, {"mao", "mi"}, {"mri", "mi"},
	{"may", "ms"}, {"msa", "ms"}, {"tib", "bo"}, {"bod", "bo"},
	{"eng", "en"}, {"spa", "es"}, {"por", "pt"}, {"ara", "ar"},
	{"swa", "sw"}, {"jpn", "ja"}, {"rus", "ru"}, {"ita", "it"},
	{"tgl", "tl"}, {"nob", "nb"}, {"nno", "nn"}, {"heb", "he"},
};

/* Tags the IANA registry marks deprecated, with their preferred values
 * (RFC 5646 section 3.1.6). */
static const language_alias language_deprecated[] = {
	{"iw", "he"}, {"in", "id"}, {"ji", "yi"}, {"jw", "jv"},
	{"mo", "ro"}, {"sh", "sr-Latn"},
};

/* Whole tags the registry keeps from RFC 3066 ("grandfathered") that it
 * marks deprecated, with their preferred values. */
static const language_alias language_grandfathered[] = {
	{"art-lojban", "jbo"}, {"i-klingon", "tlh"}, {"i-navajo", "nv"},
	{"i-lux", "lb"}, {"i-hak", "hak"}, {"i-ami", "ami"}, {"i-bnn", "bnn"},
	{"i-pwn", "pwn"}, {"i-tao", "tao"}, {"i-tay", "tay"}, {"i-tsu", "tsu"},
	{"no-bok", "nb"}, {"no-nyn", "nn"}, {"zh-hakka", "hak"},
	{"zh-xiang", "hsn"}, {"zh-min-nan", "nan"}, {"zh-guoyu", "cmn"},
	{"sgn-BE-FR", "sfb"}, {"sgn-BE-NL", "vgt"}, {"sgn-CH-DE", "sgg"},
};

/* Words editors write for a currency instead of its code. */
static const struct {
	const char *word, *code;
} currency_words[] = {
	{"euro", "EUR"}, {"euros", "EUR"}, {"€", "EUR"}, {"dollar", "USD"},
	{"dollars", "USD"}, {"$", "USD"}, {"us$", "USD"}, {"pound", "GBP"},
	{"pounds", "GBP"}, {"£", "GBP"}, {"yen", "JPY"}, {"¥", "JPY"},
	{"rand", "ZAR"}, {"franc", "CHF"}, {"rupee", "INR"}, {"rupees", "INR"},
};

/* ---- helpers ------------------------------------------------------------ */

#define ITEM(p, T) ((T *)(p))

static const char *key_of(const fm_node *v, const char *dflt)
{
	return v->key ? v->key : dflt;
}

/* A whole number in [min, max] written in decimal digits (fields.h,
 * field_is_whole); 0 or -1 (nothing reported). */
static int whole(const char *s, long min, long max, long *out)
{
	errno = 0;
	long n = field_is_whole(s, 0) ? strtol(s, NULL, 10) : -1;
	if (errno || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* ---- nested mappings and lists of them --------------------------------- */

/* v read into `into` by its row k of a nested table: by the row's store
 * (keys.h), else by its reader. */
static void want_linked(item_ctx *c, const char *html, const fm_doc *doc,
			const char *who);

/* The links of a Markdown value v (housing:, an offer's requirements:),
 * rendered as html, as a body's are (want_linked), told at their places
 * in the value. */
void offers_value_doc(const fm_node *v, fm_doc *out)
{
	/* places inside the value only where its text is written as it
	 * is (no escape, no fold, one line; or a literal block, line by
	 * line); else at the value */
	*out = (fm_doc){.body = v->text,
			.body_len = v->text_col || v->block_line ? strlen(v->text) : 0,
			.body_line = v->block_line ? v->block_line : v->line,
			.body_col = v->block_line ? v->block_indent + 1 :
				    v->text_col ? v->text_col : v->col,
			.body_indent = v->block_indent};
}

static void want_linked_in(item_ctx *c, const char *html, const fm_node *v)
{
	offers_check_value_refs(v, c->f.path, c->f.d);
	if (!html || !v->text)
		return;
	fm_doc doc;
	offers_value_doc(v, &doc);
	want_linked(c, html, &doc, v->key ? v->key : "this value");
}

static void read_row(item_ctx *c, const fm_node *v, const key_spec *k,
		     void *into)
{
	if (!keys_store(&c->f, v, k, into))
		k->read.item(c, v, into);
	else if (k->type == KT_MARKDOWN)
		want_linked_in(c, *(char **)((char *)into + k->at), v);
}

/* Mapping v read by t's rows into `into`; an unknown key is a warning
 * with its hint, an absent required key an error at the mapping. */
static void read_mapping(item_ctx *c, const fm_node *v, const key_table *t,
			 void *into)
{
	for (size_t i = 0; i < v->n; i++) {
		const fm_node *kid = &v->kids[i];
		const key_spec *k = keys_find(t, kid->key);
		if (k)
			read_row(c, kid, k, into);
		else
			keys_unknown_in(&c->f, v, kid, t);
	}
	keys_require(&c->f, v, t, v->line, v->col);
}

/* v as a list whose items are mappings of t or scalars standing for t's
 * first key; a mapping alone is a list of one. Each item goes into a
 * fresh element of *arr (each size bytes, zeroed), *n counts them. */
static void read_items(item_ctx *c, const fm_node *v, const key_table *t,
		       void **arr, size_t *n, size_t size)
{
	const fm_node *items = v;
	size_t count = 1;
	if (v->type == FM_NULL)
		return;
	/* "electives: clinical, research": one text with commas where the
	 * short form takes one word, which holds none; field_list tells it
	 * with the [list] to write */
	if (fm_is_scalar(v) && v->plain && v->type == FM_STRING && !v->said &&
	    strchr(v->text, ',') && t->keys[0].type == KT_WORD) {
		size_t none;
		(void)field_list(&c->f, v, &items, &none);
		return;
	}
	if (v->type == FM_SEQ) {
		items = v->kids;
		count = v->n;
	}
	*arr = xcalloc(count ? count : 1, size);
	for (size_t i = 0; i < count; i++) {
		const fm_node *it = &items[i];
		void *into = (char *)*arr + *n * size;
		if (it->type == FM_MAP)
			read_mapping(c, it, t, into);
		else if (it->type == FM_SEQ) {
			diag_error(c->f.d, c->f.path, it->line, it->col,
				   "%s: an item must be a mapping such as {%s: %s} "
				   "or one %s, not a list", key_of(v, t->kind),
				   t->keys[0].key, t->keys[0].example,
				   t->keys[0].key);
			continue;
		} else
			read_row(c, it, &t->keys[0], into);
		(*n)++;
	}
}

/* ---- bundle files -------------------------------------------------------- */

static int cmp_entry_names(const void *a, const void *b)
{
	return strcmp(((const sfs_entry *)a)->name, ((const sfs_entry *)b)->name);
}

static int listed_file(const sfs_listing *l, const char *name)
{
	/* l->v is sorted bytewise, as bsearch wants */
	sfs_entry key = {.name = (char *)name};
	const sfs_entry *hit = l && l->n ? bsearch(&key, l->v, l->n, sizeof *l->v,
						   cmp_entry_names) : NULL;
	if (hit && !hit->is_dir)
		return (int)(hit - l->v);
	/* names of ASCII alone are their own NFC: none of another spelling */
	int ascii = 1;
	for (const char *c = name; *c && ascii; c++)
		ascii = (unsigned char)*c < 0x80;
	if (!l || (ascii && !l->nonascii))
		return -1;
	/* the records' text is read in NFC (the loader normalises it), and a
	 * file may be saved in NFD (macOS writes names so): the same name
	 * in other code points is the file, published under the name the
	 * page links */
	int found = -1;
	char *want = text_nfc(name);
	for (size_t i = 0; found < 0 && l && i < l->n; i++) {
		if (l->v[i].is_dir)
			continue;
		char *have = text_nfc(l->v[i].name);
		if (!strcmp(have, want))
			found = (int)i;
		free(have);
	}
	free(want);
	return found;
}

static void want(item_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->wanted.n; i++)
		if (!strcmp(c->wanted.v[i], name))
			return;
	strlist_append(&c->wanted, name);
}

static const char *bundle_name_problem(const char *name);

/* "; the bundle holds a.pdf, b.png" or "; the bundle holds no files",
 * with the closest name as a hint: the files it could publish. */
static void put_bundle_files(buf_t *b, const item_ctx *c, const char *name)
{
	hint_t h;
	hint_init(&h, name);
	size_t shown = 0;
	buf_puts(b, "; the bundle holds ");
	for (size_t i = 0; i < c->bundle->n; i++) {
		const char *f = c->bundle->v[i].name;
		size_t n = strlen(f);
		/* the record and its translations (index.<lang>.md) are no
		 * files a page links */
		if (c->bundle->v[i].is_dir ||
		    (!strncmp(f, "index.", 6) && n >= 8 &&
		     !strcmp(f + n - 3, ".md")) || bundle_name_problem(f))
			continue;
		hint_offer(&h, f);
		/* the hint weighs them all; the message names a few */
		if (shown++ < FIELD_WORDS_LISTED)
			buf_printf(b, "%s%.*s%s", shown > 1 ? ", " : "",
				   DIAG_QUOTE(f));
	}
	if (!shown)
		buf_puts(b, "no other file");
	else if (shown > FIELD_WORDS_LISTED)
		buf_printf(b, " and %zu more", shown - FIELD_WORDS_LISTED);
	hint_put(&h, b);
}

/* Whether name ends in the extension of a kind of file a bundle
 * publishes: documents, images, audio, video and archives, which a
 * browser shows, plays or downloads. Any other (.xml, .xsl, .xht, .rdf,
 * .mht, .svgz, none at all) may be served as a type a browser opens as a
 * document of the site's address, running what it holds: an allow-list,
 * since no list of such types is ever complete. */
int offers_published_kind(const char *name)
{
	return media_bundle_kind(name);
}

/* Whether name ends with end, in any case. */
static int ends_with_fold(const char *name, const char *end)
{
	size_t n = strlen(name), m = strlen(end);
	return n >= m && !strcasecmp(name + n - m, end);
}

/* The message for a file of no kind a bundle publishes, naming the
 * extensions (util/media.h), made once. */
static char unknown_kind[800];

static void say_unknown_kind(void)
{
	snprintf(unknown_kind, sizeof unknown_kind,
		 "is no kind of file a page bundle publishes, and a browser "
		 "could open it as part of the site: give it as PDF, an office "
		 "or OpenDocument file, text, CSV, an image (PNG, JPEG, WebP, "
		 "GIF, AVIF, SVG), audio, video or ZIP, named with its usual "
		 "extension (%s)", media_bundle_extensions());
}

/* Why name cannot be a file of a is_page bundle, as the end of a message, or
 * NULL when it can. A name with ':', '?', '#' or '%' would be read as part
 * of an address in a link (RFC 3986: a scheme, query, fragment or escape);
 * a is_page, script or the record itself would be published as part of the
 * site and run on its address, and index.html would take the place of the
 * institution's is_page. */
static const char *bundle_name_problem(const char *name)
{
	static const char *const active[] = {".html", ".htm", ".xhtml", ".js",
					     ".mjs", NULL};
	if (strpbrk(name, ":?#%"))
		return "holds ':', '?', '#' or '%', which a link would read as "
		       "part of an address: rename the file without them";
	size_t n = strlen(name);
	int is_page = !strcasecmp(name, "index.md");
	for (size_t k = 0; active[k] && !is_page; k++) {
		size_t e = strlen(active[k]);
		is_page = n > e && !strcasecmp(name + n - e, active[k]);
	}
	if (is_page)
		return "would be published as a page or script of the site; "
		       "give it as PDF, an image or another document instead";
	if (offers_published_kind(name))
		return NULL;
	/* sound and video of kinds some browsers play and others not */
	static const char *const video[] = {".mov", ".mkv", ".avi", ".wmv", ".flv",
					    ".3gp", ".mpg", ".mpeg", NULL};
	static const char *const sound[] = {".wma", ".aif", ".aiff", ".amr", ".mid",
					    ".midi", ".alac", NULL};
	for (size_t k = 0; video[k]; k++)
		if (ends_with_fold(name, video[k]))
			return "is a video kind that not every browser plays: "
			       "convert it to MP4 (H.264) or WebM";
	for (size_t k = 0; sound[k]; k++)
		if (ends_with_fold(name, sound[k]))
			return "is a sound kind that not every browser plays: "
			       "convert it to MP3, M4A, Ogg or FLAC";
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, say_unknown_kind);
	return unknown_kind;
}

/* A file of the page bundle, by its bare name. */
static void read_file_name(item_ctx *c, const fm_node *v, char **out)
{
	const char *what = key_of(v, "file");
	if (field_required_text(&c->f, v, out) < 0)
		return;
	/* ./form.pdf is form.pdf, as in a body link */
	if ((*out)[0] == '.' && (*out)[1] == '/' && (*out)[2] && (*out)[2] != '/')
		memmove(*out, *out + 2, strlen(*out + 2) + 1);
	const char *name = *out;
	char *shown = diag_quote(name);
	if (strstr(name, "://")) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "%s '%s' is a web address: forms and photo name files "
			   "of the page bundle; link a web form from the body "
			   "instead", what, shown);
	} else if (strchr(name, '/') || strchr(name, '\\') || !strcmp(name, "..")) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "%s '%s' must be the name of a file beside index.md, "
			   "without folders: move the file into the page bundle "
			   "and write only its name", what, shown);
	} else if (name[0] == '.') {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "%s '%s' is a hidden file, which is never read or "
			   "published: rename it without the leading dot", what,
			   shown);
	} else if (bundle_name_problem(name)) {
		diag_error(c->f.d, c->f.path, v->line, v->col, "%s '%s' %s",
			   what, shown, bundle_name_problem(name));
	} else if (!c->bundle) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "%s '%s': only a page bundle has files; move this "
			   "record to %s%s/index.md and put %s beside it", what,
			   shown, "content/institutions/", c->in ? c->in->slug :
			   "<slug>", shown);
	} else if (sfs_list_refused(c->bundle, name)) {
		/* told at the file, where it was refused */
	} else if (listed_file(c->bundle, name) < 0) {
		buf_t msg = BUF_INIT;
		buf_printf(&msg, "%s '%s' is not in the page bundle %s", what,
			   shown, c->bundle_shown);
		put_bundle_files(&msg, c, name);
		diag_error(c->f.d, c->f.path, v->line, v->col, "%s",
			   buf_cstr(&msg));
		buf_free(&msg);
	} else {
		want(c, name);
		free(shown);
		return;
	}
	free(shown);
	free(*out);
	*out = NULL;
}

/* ---- an offer ------------------------------------------------------------ */

static void r_offer_type(item_ctx *c, const fm_node *v, void *into)
{
	int k = field_word(&c->f, v, offer_types, "elective");
	if (k >= 0)
		ITEM(into, offer)->type = xstrdup(offer_types[k]);
}

/* The slugs of cfg's disciplines, NULL-ended (the strings are cfg's). */
static const char **discipline_slugs(const site_config *cfg)
{
	const char **v = xcalloc(cfg->ndisciplines + 1, sizeof *v);
	for (size_t i = 0; i < cfg->ndisciplines; i++)
		v[i] = cfg->disciplines[i].slug;
	return v;
}

static void r_disciplines(item_ctx *c, const fm_node *v, void *into)
{
	const char **slugs = discipline_slugs(c->cfg);
	field_words(&c->f, v, &ITEM(into, offer)->disciplines, slugs,
		    "discipline");
	free(slugs);
}

static void r_levels(item_ctx *c, const fm_node *v, void *into)
{
	field_words(&c->f, v, &ITEM(into, offer)->levels, offer_levels,
		    "level");
}

/* The tag meant by an alias of v (n of them) written as the primary
 * language subtag of name, with name's other subtags after it ("iw-IL":
 * he-IL): a fresh string, or NULL. */
static char *subtag_for(const language_alias *v, size_t n, const char *name)
{
	size_t primary = strcspn(name, "-");
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i].name) == primary &&
		    !strncasecmp(v[i].name, name, primary))
			return xasprintf("%s%s", v[i].tag, name + primary);
	return NULL;
}

char *offers_language_tag_for(const char *name, const char **why)
{
	for (size_t i = 0; i < sizeof language_names / sizeof *language_names; i++)
		if (!strcasecmp(language_names[i].name, name)) {
			*why = "is a language's name, not its tag";
			return xstrdup(language_names[i].tag);
		}
	for (size_t i = 0; i < sizeof language_grandfathered /
			       sizeof *language_grandfathered; i++)
		if (!strcasecmp(language_grandfathered[i].name, name)) {
			*why = "is a language tag the IANA registry has "
			       "deprecated";
			return xstrdup(language_grandfathered[i].tag);
		}
	char *meant = subtag_for(language_codes, sizeof language_codes /
				  sizeof *language_codes, name);
	int whole = !strchr(name, '-');
	if (meant) {
		*why = whole ? "is the language's three-letter ISO 639-2 code, "
			       "where its tag has two letters"
			     : "begins with the language's three-letter ISO "
			       "639-2 code, where its tag has two letters";
		return meant;
	}
	meant = subtag_for(language_deprecated, sizeof language_deprecated /
			   sizeof *language_deprecated, name);
	if (meant) {
		*why = whole ? "is a language tag the IANA registry has "
			       "deprecated"
			     : "begins with a language subtag the IANA registry "
			       "has deprecated";
		return meant;
	}
	/* a name CLDR knows, in English or in the language itself
	 * ("Français", "Deutsch"); never a tag that is one ("vai" names
	 * Vai too) */
	char code[16];
	if ((check_language_tag(name) == 0 && text_language_known(name)) ||
	    text_language_named(name, code, sizeof code) < 0 ||
	    !strcasecmp(code, name))
		return NULL;
	*why = "is a language's name, not its tag";
	return xstrdup(code);
}

/* A list of language tags, each in RFC 5646's case (language_tag_case). */
static void read_languages(item_ctx *c, const fm_node *v, strlist *out)
{
	const fm_node *items;
	size_t n;
	strlist_free(out);
	if (field_list(&c->f, v, &items, &n) < 0)
		return;
	char **tags = xcalloc(n + 1, sizeof *tags);
	size_t ntags = 0;
	field_same same;
	field_same_init(&same, items, n);
	field_untold untold = FIELD_UNTOLD_INIT;
	for (size_t i = 0; i < n; i++) {
		char *tag = NULL;
		if (field_repeats(&c->f, &same, i, "language") ||
		    field_required_text(&c->f, &items[i], &tag) < 0)
			continue;
		const char *why = NULL;
		char *meant = offers_language_tag_for(tag, &why);
		int shape = !meant && check_language_tag(tag) == 0;
		int known = shape && text_language_known(tag) &&
			    !language_is_none(tag);
		char dashed[64];
		if (!known && field_untold_take(&untold, &items[i])) {
			if (shape && language_is_none(tag))
				diag_error(c->f.d, c->f.path, items[i].line,
					   items[i].col, "'%.*s%s' is ISO 639's code "
					   "for %s, which no page is written in: write "
					   "a language's tag, such as en, fr or pt-BR",
					   DIAG_QUOTE(tag),
					   language_is_none(tag));
			else if (shape) /* no language: pages would show the tag */
				diag_error(c->f.d, c->f.path, items[i].line,
					   items[i].col, "'%.*s%s' is not a language "
					   "CLDR (the Unicode locale data) knows: write "
					   "its tag, such as en, fr or pt-BR",
					   DIAG_QUOTE(tag));
			else if (meant)
				diag_error(c->f.d, c->f.path, items[i].line,
					   items[i].col, "'%.*s%s' %s: write %s",
					   DIAG_QUOTE(tag), why, meant);
			else if (language_tag_of_locale(tag, dashed,
							sizeof dashed) == 0)
				diag_error(c->f.d, c->f.path, items[i].line,
					   items[i].col, "'%.*s%s' is written as a "
					   "locale, with an underscore: write %s",
					   DIAG_QUOTE(tag), dashed);
			else
				diag_error(c->f.d, c->f.path, items[i].line,
					   items[i].col, "'%.*s%s' is not a language "
					   "tag: write a BCP 47 tag such as en, fr or "
					   "pt-BR", DIAG_QUOTE(tag));
		}
		free(meant);
		if (!known) {
			free(tag);
			continue;
		}
		language_tag_case(tag);
		tags[ntags++] = tag;
	}
	field_untold_end(&c->f, &untold, "language tag");
	field_same_end(&c->f, &same, "language");
	strlist_take(out, tags, ntags);
}

static void r_languages(item_ctx *c, const fm_node *v, void *into)
{
	read_languages(c, v, &ITEM(into, offer)->languages);
}

/* ---- times in weeks: duration and apply_by --------------------------- */

/* The unit a time is written in. */
typedef enum span_unit {
	SPAN_BARE,        /* "6", "4-8" */
	SPAN_WEEKS,       /* "week", "weeks", any case */
	SPAN_WEEKS_SHORT, /* "w", "wk", "wks" (with or without a point) */
	SPAN_DAYS,        /* "d", "day", "days" */
	SPAN_MONTHS,      /* "mo", "mos", "mth", "mths", "month", "months" */
	SPAN_YEARS,       /* "y", "yr", "yrs", "year", "years" */
	SPAN_OTHER        /* any other word */
} span_unit;

/* A time as an editor writes one: a whole number or a range of two, then
 * perhaps a unit. */
typedef struct span {
	long lo, hi;      /* as written, in unit; hi is lo without a range */
	int range;        /* two numbers */
	int range_plain;  /* a range written "4-8" (or no range) */
	int plain;        /* written the one way read: a range as "4-8" (a
			     hyphen, no space), a unit after one space */
	int unit_spaced;  /* the unit follows a space ("6weeks" does not) */
	span_unit unit;
} span;

/* The whole number of at most six digits that *p starts with, moving *p
 * past it; -1 when there is none. (A leading zero is told before:
 * field_number_fits.) */
static long span_number(const char **p)
{
	size_t n = strspn(*p, "0123456789");
	if (!n || n > 6)
		return -1;
	long x = strtol(*p, NULL, 10);
	*p += n;
	return x;
}

static span_unit span_unit_of(const char *word, size_t n)
{
	static const struct {
		const char *word;
		span_unit unit;
	} units[] = {
		{"week", SPAN_WEEKS}, {"weeks", SPAN_WEEKS},
		{"w", SPAN_WEEKS_SHORT}, {"wk", SPAN_WEEKS_SHORT},
		{"wks", SPAN_WEEKS_SHORT},
		{"d", SPAN_DAYS}, {"day", SPAN_DAYS}, {"days", SPAN_DAYS},
		{"mo", SPAN_MONTHS}, {"mos", SPAN_MONTHS}, {"mth", SPAN_MONTHS},
		{"mths", SPAN_MONTHS}, {"month", SPAN_MONTHS},
		{"months", SPAN_MONTHS},
		{"y", SPAN_YEARS}, {"yr", SPAN_YEARS}, {"yrs", SPAN_YEARS},
		{"year", SPAN_YEARS}, {"years", SPAN_YEARS},
	};
	if (n && word[n - 1] == '.') /* "wks.", "mos." */
		n--;
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (strlen(units[i].word) == n &&
		    !strncasecmp(word, units[i].word, n))
			return units[i].unit;
	return SPAN_OTHER;
}

/* text read as a span: 0 and *out; -1 when it is not one (no number
 * first, a decimal point, a sign, more words). A range is two numbers
 * joined by a hyphen, an en or em dash or "to", with or without spaces.
 * A leading zero is read as written ("08" is 8). */
static int span_read(const char *text, span *out)
{
	const char *p = text;
	memset(out, 0, sizeof *out);
	if ((out->lo = span_number(&p)) < 0)
		return -1;
	out->hi = out->lo;
	out->plain = out->range_plain = 1;
	const char *after = p + strspn(p, " ");
	size_t sep = *after == '-' ? 1 :
		     !strncmp(after, "\xe2\x80\x93", 3) ||   /* en dash */
		     !strncmp(after, "\xe2\x80\x94", 3) ? 3 : /* em dash */
		     !strncasecmp(after, "to ", 3) ? 2 : 0;
	if (sep) {
		const char *q = after + sep;
		q += strspn(q, " ");
		if ((out->hi = span_number(&q)) < 0)
			return -1;
		out->range = 1;
		/* "4-8": the hyphen right after the first number, the second
		 * right after it */
		out->range_plain = out->plain = after == p && *after == '-' &&
			isdigit((unsigned char)p[1]);
		p = q;
	}
	size_t spaces = strspn(p, " ");
	const char *word = p + spaces;
	if (!*word) {
		out->unit = SPAN_BARE;
		return 0;
	}
	size_t n = strspn(word, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (!n || (word[n] && strcmp(word + n, ".")))
		return -1;
	out->unit = span_unit_of(word, n + (word[n] == '.'));
	out->unit_spaced = spaces > 0;
	out->plain = out->plain && spaces == 1 && word[n] != '.';
	return 0;
}

/* The weeks of a span in days, months or years: to the nearest week, or
 * (up) the next whole week; -1 past what a long holds. A year is 365.25
 * days (the Julian year), a month a twelfth of one: 3 months are 13.04
 * weeks, 14 rounded up, not the 13 of 52 / 12 weeks a month. */
static long span_weeks(long x, span_unit unit, int up)
{
	double w = unit == SPAN_DAYS ? x / 7.0 :
		   unit == SPAN_MONTHS ? x * (365.25 / 12) / 7 :
		   unit == SPAN_YEARS ? x * 365.25 / 7 : (double)x;
	double got = up ? ceil(w - 1e-9) : floor(w + 0.5);
	return got > 1e6 ? -1 : (long)got;
}

static const char *span_unit_name(span_unit unit)
{
	return unit == SPAN_DAYS ? "days" : unit == SPAN_MONTHS ? "months" :
	       "years";
}

/* text, a span in weeks written another way than the field reads it
 * ("4 wks", "4 to 8 weeks", "6weeks", "30 days"): an error at v, the
 * value of key, giving the weeks to write, and 1. A deadline (up) is
 * one time, not a range, rounded up; its fix also offers a date when
 * rounded. Weeks past 1 to 104 once counted, or a span written as read:
 * 0, and nothing is said. */
static int span_other_way(field_ctx *c, const fm_node *v, const char *key,
			  const char *text, int up)
{
	span sp;
	if (span_read(text, &sp) < 0 || sp.unit == SPAN_OTHER ||
	    (up && sp.range) ||
	    (sp.plain && (sp.unit == SPAN_BARE || sp.unit == SPAN_WEEKS)))
		return 0;
	int counted = sp.unit == SPAN_DAYS || sp.unit == SPAN_MONTHS ||
		      sp.unit == SPAN_YEARS;
	long lo = counted ? span_weeks(sp.lo, sp.unit, up) : sp.lo;
	long hi = counted ? span_weeks(sp.hi, sp.unit, up) : sp.hi;
	if (lo < 1 || hi > 104 || lo > hi)
		return 0;
	/* whole weeks as written: 28 days; never months or years */
	int exact = sp.unit == SPAN_DAYS ? sp.lo % 7 == 0 && sp.hi % 7 == 0 :
		    !counted;
	buf_t fix = BUF_INIT;
	if (lo < hi)
		buf_printf(&fix, "%ld-%ld", lo, hi);
	else
		buf_printf(&fix, "%ld", lo);
	/* "4 - 8" stays without a unit; a unit is written in full */
	if (sp.unit != SPAN_BARE)
		buf_printf(&fix, lo == hi && lo == 1 ? " week" : " weeks");
	if (counted)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' is in %s, where it counts weeks: write "
			   "%s: %s%s%s", key, text, span_unit_name(sp.unit), key,
			   buf_cstr(&fix),
			   exact ? "" : up ? " (rounded up, so that no one "
			   "applies late)" : lo < hi ? " (the nearest whole "
			   "numbers)" : " (the nearest whole number)",
			   up && !exact ? ", or a date written YYYY-MM-DD" : "");
	else if (!sp.range_plain)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' is a range written another way: write %s: "
			   "%s, with a hyphen and no spaces", key, text, key,
			   buf_cstr(&fix));
	else if (sp.unit == SPAN_WEEKS_SHORT)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' writes its unit short: write %s: %s", key,
			   text, key, buf_cstr(&fix));
	else if (!sp.unit_spaced)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' has no space before its unit: write %s: %s",
			   key, text, key, buf_cstr(&fix));
	else /* "6  weeks", "6 weeks." */
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' is written another way than it is read: "
			   "write %s: %s", key, text, key, buf_cstr(&fix));
	buf_free(&fix);
	return 1;
}

/* A duration's weeks: "6", "4-8", "1 week" or "4-8 weeks", each from 1
 * to 104, into *lo and *hi. 0; -1 for anything else; -2 when *lo > *hi. */
static int duration_weeks(const char *s, long *lo, long *hi)
{
	span sp;
	if (span_read(s, &sp) < 0 || !sp.plain ||
	    (sp.unit != SPAN_BARE && sp.unit != SPAN_WEEKS))
		return -1;
	if (sp.lo < 1 || sp.hi > 104 || sp.hi < 1 || sp.lo > 104)
		return -1;
	*lo = sp.lo;
	*hi = sp.hi;
	return sp.lo > sp.hi ? -2 : 0;
}

static int fits_duration(const char *s)
{
	long lo, hi;
	return duration_weeks(s, &lo, &hi) == 0;
}

/* duration: 6, "4-8", "4-8 weeks", within 1..104 weeks. */
static void r_duration(item_ctx *c, const fm_node *v, void *into)
{
	offer *o = into;
	char *text = NULL;
	if (field_number_fits(&c->f, v, "duration", fits_duration) < 0 ||
	    field_text(&c->f, v, &text) < 0 || !text)
		return;
	long lo = 0, hi = 0;
	int rc = duration_weeks(text, &lo, &hi);
	if (rc == -1 && span_other_way(&c->f, v, "duration", text, 0))
		; /* told, with the weeks to write */
	else if (rc == -1)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "duration '%s' must be a number of weeks from 1 to "
			   "104, or a range such as 4-8: write the weeks in "
			   "digits, such as duration: 6 or duration: 4-8 weeks",
			   v->text);
	else if (rc == -2)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "duration %ld-%ld: the shortest is longer than the "
			   "longest; write %ld-%ld", lo, hi, hi, lo);
	else {
		o->weeks_min = (int)lo;
		o->weeks_max = (int)hi;
	}
	free(text);
}

/* Places a year: a whole number from 1 to CAPACITY_MOST. */
#define CAPACITY_MOST 10000

static int fits_capacity(const char *s)
{
	long n;
	return whole(s, 1, CAPACITY_MOST, &n) == 0;
}

static void r_capacity(item_ctx *c, const fm_node *v, void *into)
{
	long n;
	if (v->type == FM_NULL ||
	    field_number_quoted(&c->f, v, "capacity", fits_capacity,
				"a whole number from 1 to 10000") < 0 ||
	    field_number_fits(&c->f, v, "capacity", fits_capacity) < 0)
		return;
	if (!fm_is_scalar(v) || whole(v->text, 1, CAPACITY_MOST, &n) != 0)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "capacity must be the number of places a year, a "
			   "whole number from 1 to 10000, not '%s'",
			   fm_is_scalar(v) ? v->text : fm_type_name(v->type));
	else
		ITEM(into, offer)->capacity = (int)n;
}

/* A month by number or English name (at least its first three letters,
 * "Sept" too); 0 when it is neither. */
static int month_of(const char *s)
{
	long n;
	if (whole(s, 1, 12, &n) == 0)
		return (int)n;
	size_t len = strlen(s);
	if (len > 1 && s[len - 1] == '.')
		len--;
	for (int m = 0; len >= 3 && offer_month_names[m]; m++)
		if (len <= strlen(offer_month_names[m]) &&
		    !strncasecmp(s, offer_month_names[m], len))
			return m + 1;
	if (len == 4 && !strncasecmp(s, "sept", 4))
		return 9;
	return 0;
}

static int fits_month(const char *s)
{
	return month_of(s) != 0;
}

static void r_months(item_ctx *c, const fm_node *v, void *into)
{
	const fm_node *items;
	size_t n;
	int first[13] = {0}; /* the line that first named each month */
	if (field_list(&c->f, v, &items, &n) < 0)
		return;
	field_untold untold = FIELD_UNTOLD_INIT;
	field_twice twice = FIELD_TWICE_INIT;
	for (size_t i = 0; i < n; i++) {
		char *word = NULL;
		/* a number out of range is no month either: counted alike */
		if (fm_is_scalar(&items[i]) && items[i].text) {
			char *text = xstrdup(items[i].text);
			trim_in_place(text);
			int unknown = *text && !month_of(text);
			free(text);
			if (unknown && !field_untold_take(&untold, &items[i]))
				continue;
		}
		if (field_number_fits(&c->f, &items[i], "month", fits_month) < 0 ||
		    field_required_text(&c->f, &items[i], &word) < 0)
			continue;
		int m = month_of(word);
		if (m && first[m])
			field_listed_twice(&c->f, &twice, &items[i], first[m],
					   "month", word);
		else if (m)
			first[m] = items[i].line;
		if (!m) {
			const char *best = hint_from(word, offer_month_names);
			diag_error(c->f.d, c->f.path, items[i].line, items[i].col,
				   "unknown month '%.*s%s': write a number from 1 to "
				   "12 or a month's English name, such as March "
				   "or Mar%s%s%s", DIAG_QUOTE(word),
				   best ? "; did you mean " : "", best ? best : "",
				   best ? "?" : "");
		} else if (m)
			ITEM(into, offer)->months |= 1u << (m - 1);
		free(word);
	}
	field_untold_end(&c->f, &untold, "month");
	field_twice_end(&c->f, &twice, "month");
}

/* 1 when text is a number followed by " weeks" or " week". */
static int in_weeks(const char *text)
{
	size_t n = field_decimal_len(text, NULL);
	return n && (!strcasecmp(text + n, " weeks") ||
		     !strcasecmp(text + n, " week"));
}

/* The weeks ahead that text ("8 weeks") gives, 1 to 104, written
 * without a leading zero; else 0. */
static long weeks_ahead(const char *text)
{
	int dec;
	size_t n = field_decimal_len(text, &dec);
	long weeks = in_weeks(text) && !dec && n < 4 && text[0] != '0' ?
		     strtol(text, NULL, 10) : 0;
	return weeks >= 1 && weeks <= 104 ? weeks : 0;
}

static int fits_apply_by(const char *text)
{
	return weeks_ahead(text) > 0 || check_date(text) == 0;
}

/* apply_by: a date, or "N weeks" ahead (N from 1 to 104). */
static void r_apply_by(item_ctx *c, const fm_node *v, void *into)
{
	offer *o = into;
	char *text = NULL;
	if (field_text(&c->f, v, &text) < 0 || !text)
		return;
	int date = check_date(text);
	if (date == 0) {
		o->apply_by = text;
		return;
	}
	long weeks = weeks_ahead(text);
	char *with_unit = xasprintf("%s weeks", text);
	if (weeks)
		o->apply_weeks = (int)weeks;
	else if (weeks_ahead(with_unit)) /* "12": weeks, its unit left out */
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "apply_by %s has no unit: write apply_by: %s for "
			   "weeks ahead, or a date written YYYY-MM-DD", text,
			   with_unit);
	else if (!in_weeks(text) &&
		 span_other_way(&c->f, v, "apply_by", text, 1))
		; /* "12 wks", "30 days": told, with the weeks to write */
	else if (!in_weeks(text))
		field_date_error(&c->f, v, "apply_by", text, date,
				 "a date written YYYY-MM-DD or a number of "
				 "weeks ahead such as '8 weeks'");
	else if (field_number_fits(&c->f, v, "apply_by", fits_apply_by) == 0)
		/* "0 weeks", "200 weeks", "2.5 weeks" */
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "apply_by '%s' must be a whole number of weeks from 1 "
			   "to 104, such as '8 weeks', or a date written "
			   "YYYY-MM-DD", text);
	free(with_unit);
	free(text);
}

int offers_currency_digits(const char *code)
{
	UChar u[4];
	UErrorCode err = U_ZERO_ERROR;
	u_charsToUChars(code, u, 3);
	u[3] = 0;
	int32_t n = ucurr_getDefaultFractionDigits(u, &err);
	return U_FAILURE(err) || n < 0 ? 2 : (int)n;
}

/* An amount (v, already read) may have no more decimals than its
 * currency's minor unit: 0.001 EUR or 1.5 JPY would be shown rounded to
 * an amount nobody wrote. Told of an amount in quotes too, beside that
 * (r_amount), so that one edit fixes both. */
static void check_decimals(item_ctx *c, const fm_node *v, const char *code)
{
	int dec, most = offers_currency_digits(code);
	if (!v || (v->type != FM_NUMBER && v->type != FM_STRING) ||
	    field_decimal_len(v->text, &dec) != strlen(v->text) || dec <= most)
		return;
	if (most == 0)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "amount %s has decimals, but %s has no minor unit "
			   "(ISO 4217): round it to a whole number", v->text,
			   code);
	else
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "amount %s has %d decimals, but %s has %d (ISO 4217): "
			   "round it to %d", v->text, dec, code, most, most);
}

/* The ISO 4217 code word[0..n) is, or names in currency_words ("£",
 * "euros"), any case; NULL when none. */
static const char *currency_code(const char *word, size_t n)
{
	for (size_t i = 0; i < sizeof currency_rows / sizeof *currency_rows; i++)
		if (n == 3 && !strncasecmp(currency_rows[i].code, word, 3))
			return currency_rows[i].code;
	for (size_t i = 0; i < sizeof currency_words / sizeof *currency_words; i++)
		if (strlen(currency_words[i].word) == n &&
		    !strncasecmp(currency_words[i].word, word, n))
			return currency_words[i].code;
	return NULL;
}

static int amount_and_currency(const char *s, buf_t *fix);

/* s without the commas that group an amount's thousands ("1,000 GBP",
 * "£1,250,000"): each between a digit and three more that end the digits.
 * A fresh string. "250,50" keeps its comma (a decimal one, not told). */
static char *without_thousands_commas(const char *s)
{
	char *out = xstrdup(s);
	size_t k = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == ',' && i > 0 && isdigit((unsigned char)s[i - 1]) &&
		    isdigit((unsigned char)s[i + 1]) &&
		    isdigit((unsigned char)s[i + 2]) &&
		    isdigit((unsigned char)s[i + 3]) &&
		    !isdigit((unsigned char)s[i + 4]))
			continue;
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

/* "300 GBP", "GBP 300", "£300", "300 euros", "1,000 GBP": an amount and a
 * currency written as one text. 1 with the fee as it should be written in
 * *fix, else 0. */
static int fee_in_words(const char *typed, buf_t *fix)
{
	char *s = without_thousands_commas(typed);
	int rc = amount_and_currency(s, fix);
	free(s);
	return rc;
}

/* Whether code (three letters) is one of ISO 4217's codes of no money a
 * fee is paid in: metals, bond units, units of account, testing and "no
 * currency". */
static int is_not_money(const char *code)
{
	static const char not_money[] =
		"XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX";
	return strlen(code) == 3 && strstr(not_money, code) != NULL;
}

static int amount_and_currency(const char *s, buf_t *fix)
{
	size_t n = strlen(s), a0 = 0, a1 = field_decimal_len(s, NULL);
	size_t c0 = a1, c1 = n;
	if (!a1 || a1 == n) { /* the amount last: "GBP 300", "£300" */
		a0 = n;
		while (a0 > 0 && (isdigit((unsigned char)s[a0 - 1]) || s[a0 - 1] == '.'))
			a0--;
		a1 = n;
		if (a0 == 0 || a0 == n || field_decimal_len(s + a0, NULL) != n - a0)
			return 0;
		c0 = 0;
		c1 = a0;
	}
	while (c0 < c1 && s[c0] == ' ')
		c0++;
	while (c1 > c0 && s[c1 - 1] == ' ')
		c1--;
	/* "$" and the yen sign stand for several currencies: no guess */
	const char *code = c1 > c0 && !memchr(s + c0, '$', c1 - c0) &&
			   strncmp(s + c0, "\u00a5", c1 - c0) ?
			   currency_code(s + c0, c1 - c0) : NULL;
	int dec = 0;
	/* only an amount the fee takes: AMOUNT_MOST, the currency's
	 * minor unit (check_decimals) */
	char *amount = xstrndup(s + a0, a1 - a0);
	int fits = code && !is_not_money(code) && strtod(amount, NULL) <= 1e9 &&
		   (field_decimal_len(amount, &dec), dec <= offers_currency_digits(code));
	if (fits)
		buf_printf(fix, "{amount: %s, currency: %s}", amount, code);
	free(amount);
	return fits;
}

static void r_fee(item_ctx *c, const fm_node *v, void *into)
{
	offer_fee *fee = &ITEM(into, offer)->fee;
	if (v->type == FM_NULL)
		return;
	if (v->type == FM_MAP) {
		read_mapping(c, v, &keys_fee, fee);
		fee->given = fee->currency[0] != '\0';
		if (fee->given)
			check_decimals(c, fm_get(v, "amount"), fee->currency);
		return;
	}
	if (fm_is_scalar(v) && !strcasecmp(v->text, "waived")) {
		fee->given = fee->waived = 1;
		return;
	}
	buf_t fix = BUF_INIT;
	if (fm_is_scalar(v) && fee_in_words(v->text, &fix))
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "fee must be an amount and its currency, each named, "
			   "not '%s': write fee: %s", v->text, buf_cstr(&fix));
	else
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "fee must be an amount and its currency, such as "
			   "{amount: 250, currency: EUR}, or waived, not '%s'",
			   fm_is_scalar(v) ? v->text : fm_type_name(v->type));
	buf_free(&fix);
}

/* An amount in decimal digits, from 0 to AMOUNT_MOST whole units. */
#define AMOUNT_MOST 1e9

static int fits_amount(const char *s)
{
	size_t len = field_decimal_len(s, NULL);
	return len && len == strlen(s) && strtod(s, NULL) <= AMOUNT_MOST;
}

static void r_amount(item_ctx *c, const fm_node *v, void *into)
{
	double x;
	if (field_number_quoted(&c->f, v, "amount", fits_amount,
				"an amount from 0 to 1000000000 in decimal "
				"digits") < 0 ||
	    field_number_fits(&c->f, v, "amount", fits_amount) < 0 ||
	    field_number(&c->f, v, &x) < 0)
		return;
	if (!(x >= 0))
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "amount must be 0 or more (write fee: waived when "
			   "there is none), not %s", v->text);
	else if (field_decimal_len(v->text, NULL) != strlen(v->text))
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "amount must be written in decimal digits, such as "
			   "250 or 12.50, not %s", v->text);
	else if (x > AMOUNT_MOST)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "amount must be at most 1000000000 (whole units of "
			   "its currency), not %s", v->text);
	else
		ITEM(into, offer_fee)->amount = x;
}

static void r_currency(item_ctx *c, const fm_node *v, void *into)
{
	char *text = NULL;
	if (field_required_text(&c->f, v, &text) < 0)
		return;
	const char *code = NULL, *meant = NULL;
	size_t n = sizeof currency_rows / sizeof *currency_rows;
	for (size_t i = 0; i < n && !code; i++) {
		if (!strcasecmp(currency_rows[i].code, text))
			code = currency_rows[i].code;
		else if (!strcasecmp(currency_rows[i].name, text))
			meant = currency_rows[i].code;
	}
	for (size_t i = 0; !code && !meant &&
	     i < sizeof currency_words / sizeof *currency_words; i++)
		if (!strcasecmp(currency_words[i].word, text))
			meant = currency_words[i].code;
	if (code && is_not_money(code)) {
		const char *name = NULL;
		for (size_t i = 0; i < n && !name; i++)
			if (!strcmp(currency_rows[i].code, code))
				name = currency_rows[i].name;
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "currency '%s' is ISO 4217's code for %s, not money a "
			   "fee is paid in: write the code of the currency it is "
			   "paid in, such as EUR, USD or XOF", text,
			   !strcmp(code, "XXX") ? "no currency at all" :
			   !strcmp(code, "XTS") ? "tests" : name);
	} else if (code)
		memcpy(ITEM(into, offer_fee)->currency, code, 4);
	else if (meant)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "unknown currency '%s': use the ISO 4217 code %s",
			   text, meant);
	else
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "unknown currency '%s': use an ISO 4217 code such as "
			   "EUR, USD or GBP", text);
	free(text);
}

static void r_forms(item_ctx *c, const fm_node *v, void *into)
{
	offer *o = into;
	read_items(c, v, &keys_form, (void **)&o->forms, &o->nforms,
		   sizeof *o->forms);
	/* an item whose file was wrong is left out */
	size_t kept = 0;
	for (size_t i = 0; i < o->nforms; i++) {
		if (o->forms[i].file)
			o->forms[kept++] = o->forms[i];
		else
			free(o->forms[i].title);
	}
	o->nforms = kept;
}

static void r_form_file(item_ctx *c, const fm_node *v, void *into)
{
	read_file_name(c, v, &ITEM(into, offer_form)->file);
}

static void r_contact(item_ctx *c, const fm_node *v, void *into)
{
	if (v->type == FM_NULL)
		return;
	if (v->type != FM_MAP) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "contact must be a mapping such as {name: Dr A. "
			   "Mensah, role: Elective coordinator, email: "
			   "electives@example.org}, not %s", fm_type_name(v->type));
		return;
	}
	read_mapping(c, v, &keys_contact, &ITEM(into, offer)->contact);
}

static const key_spec offer_keys[] = {
	{.key = "type", .type = KT_WORD, .flags = KEY_REQUIRED,
	 .values = offer_types, .read.item = r_offer_type,
	 .help = "the kind of elective", .example = "clinical",
	 .aliases = (const char *const[]){"kind", NULL}},
	{.key = "disciplines", .type = KT_TERMS, .read.item = r_disciplines,
	 .help = "the disciplines it is offered in: slugs of site.yml's "
		 "disciplines (a built-in list when it has none)",
	 .example = "[surgery, paediatrics]",
	 .aliases = (const char *const[]){"discipline", "specialties",
					  "specialities", "departments", NULL}},
	{.key = "levels", .type = KT_WORDS, .values = offer_levels,
	 .read.item = r_levels, .help = "the levels of student it takes",
	 .example = "[undergraduate]",
	 .aliases = (const char *const[]){"level", NULL}},
	{.key = "languages", .type = KT_LANGUAGES, .read.item = r_languages,
	 .help = "the languages it is taught in, as BCP 47 tags",
	 .example = "[en, fr]",
	 .aliases = (const char *const[]){"language", NULL}},
	{.key = "duration", .type = KT_WEEKS, .read.item = r_duration,
	 .min = 1, .max = 104,
	 .help = "how long it lasts, in weeks: a number or a range, with or "
		 "without weeks after it (1 week, 4-8 weeks); days, months or a "
		 "short unit (30 days, 3 months, 4 wks) are told the weeks to write",
	 .example = "4-8",
	 .aliases = (const char *const[]){"weeks", "length", NULL}},
	{.key = "capacity", .type = KT_INT, .read.item = r_capacity,
	 .min = 1, .max = 10000, .help = "places a year",
	 .example = "6",
	 .aliases = (const char *const[]){"places", "spots", NULL}},
	{.key = "months", .type = KT_MONTHS, .read.item = r_months,
	 .help = "when it is offered: month numbers 1-12 or English names",
	 .example = "[Jan, Feb, Sept]",
	 .aliases = (const char *const[]){"month", "when", NULL}},
	{.key = "apply_by", .type = KT_DEADLINE, .read.item = r_apply_by,
	 .help = "the deadline: a date YYYY-MM-DD, or how many weeks ahead; "
		 "days or months are told the weeks to write, rounded up",
	 .example = "12 weeks",
	 .aliases = (const char *const[]){"deadline", "apply", NULL}},
	{.key = "fee", .type = KT_MAPPING, .read.item = r_fee,
	 .values = fee_words, .sub = &keys_fee,
	 .help = "what it costs: an amount and its currency, or waived for "
		 "network members",
	 .example = "{amount: 250, currency: EUR}",
	 .aliases = (const char *const[]){"cost", "fees", "price", NULL}},
	{.key = "requirements", .type = KT_MARKDOWN,
	 KEY_MEMBER(KS_MARKDOWN, offer, requirements_html),
	 .help = "what a student needs, in Markdown",
	 .example = "\"Final-year students; proof of immunisation.\"",
	 .aliases = (const char *const[]){"prerequisites", NULL}},
	{.key = "forms", .type = KT_ITEMS, .read.item = r_forms,
	 .sub = &keys_form,
	 .help = "files of the page bundle to fill in: a file's name, or "
		 "file and title",
	 .example = "[{file: application.pdf, title: Application form}]",
	 .aliases = (const char *const[]){"form", "documents", NULL}},
	{.key = "contact", .type = KT_MAPPING, .read.item = r_contact,
	 .sub = &keys_contact, .help = "whom to write to about it",
	 .example = "{name: Dr A. Mensah, email: electives@example.org}"},
};

const key_table keys_offer = {
	.kind = "offer", .title = "Institution electives:",
	.where = "content/institutions/<slug>.md, each item of electives:",
	.about = "One elective offer. electives: [clinical, research] is "
		 "short for offers with only their type.",
	.noun = "field", KEY_ROWS(offer_keys)};

static const key_spec fee_keys[] = {
	{.key = "amount", .type = KT_NUMBER, .flags = KEY_REQUIRED,
	 .read.item = r_amount, .min = 0, .max = 1e9,
	 .help = "the amount, in the currency's units", .example = "250"},
	{.key = "currency", .type = KT_CURRENCY, .flags = KEY_REQUIRED,
	 .read.item = r_currency, .help = "an ISO 4217 currency code",
	 .example = "EUR"},
};

const key_table keys_fee = {
	.kind = "fee", .title = "Offer fee:",
	.where = "an offer's fee:",
	.about = "What an elective costs, or fee: waived.",
	.noun = "field", KEY_ROWS(fee_keys)};

static const key_spec contact_keys[] = {
	{.key = "name", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, offer_contact, name),
	 .help = "the person's name", .example = "Dr A. Mensah"},
	{.key = "role", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, offer_contact, role),
	 .help = "what they do", .example = "Elective coordinator",
	 .aliases = (const char *const[]){"title", "position", NULL}},
	{.key = "email", .type = KT_EMAIL,
	 KEY_MEMBER(KS_EMAIL, offer_contact, email),
	 .help = "their e-mail address", .example = "electives@example.org",
	 .aliases = (const char *const[]){"e-mail", "mail", NULL}},
};

const key_table keys_contact = {
	.kind = "contact", .title = "Offer contact:",
	.where = "an offer's contact:",
	.about = "Whom a student writes to about an elective.",
	.noun = "field", KEY_ROWS(contact_keys)};

static const key_spec form_keys[] = {
	{.key = "file", .type = KT_FILE, .flags = KEY_REQUIRED,
	 .read.item = r_form_file,
	 .help = "a file beside the record's index.md", .example = "application.pdf",
	 .aliases = (const char *const[]){"path", "name", NULL}},
	{.key = "title", .type = KT_TEXT,
	 KEY_MEMBER(KS_TEXT, offer_form, title),
	 .help = "what the page calls it", .example = "Application form"},
};

const key_table keys_form = {
	.kind = "form", .title = "Offer forms:",
	.where = "an offer's forms:",
	.about = "A file of the page bundle a student fills in.",
	.noun = "field", KEY_ROWS(form_keys)};

/* ---- the institution's own fields ------------------------------------- */

/* electives: a list of offers, or of types (the short form). */
void offers_read_electives(item_ctx *c, const fm_node *v, void *into)
{
	institution *in = into;
	/* the short form's unknown types past FIELD_UNKNOWN_TOLD are told in
	 * one error, and marked said so that reading them says nothing */
	field_untold untold = FIELD_UNTOLD_INIT;
	for (size_t i = 0; v->type == FM_SEQ && i < v->n; i++) {
		fm_node *kid = &v->kids[i];
		if (!fm_is_scalar(kid) || !kid->text || kid->said)
			continue;
		char *text = xstrdup(kid->text);
		trim_in_place(text);
		if (*text && field_word_index(text, offer_types) < 0 &&
		    !field_untold_take(&untold, kid))
			kid->said = 1;
		free(text);
	}
	read_items(c, v, &keys_offer, (void **)&in->offers, &in->noffers,
		   sizeof *in->offers);
	field_untold_end(&c->f, &untold, "elective");
	for (size_t i = 0; i < in->noffers; i++)
		in->offers[i].pos = (srcpos){in->path, v->line, v->col};
	if (v->type == FM_SEQ)
		for (size_t i = 0; i < in->noffers && i < v->n; i++)
			in->offers[i].pos = (srcpos){in->path, v->kids[i].line,
						     v->kids[i].col};
	/* a type written twice in the short form says nothing new */
	if (v->type == FM_SEQ) {
		field_same same;
		field_same_init(&same, v->kids, v->n);
		for (size_t i = 0; i < v->n; i++)
			field_repeats(&c->f, &same, i, "elective");
		field_same_end(&c->f, &same, "elective");
	}
}

void offers_read_professions(item_ctx *c, const fm_node *v, void *into)
{
	institution *in = into;
	const fm_node *items;
	size_t n;
	if (field_list(&c->f, v, &items, &n) < 0)
		return;
	char **given = xcalloc(n + 1, sizeof *given);
	size_t ngiven = 0;
	field_same same;
	field_same_init(&same, items, n);
	for (size_t i = 0; i < n; i++) {
		char *t = NULL;
		if (!field_repeats(&c->f, &same, i, "profession") &&
		    field_required_text(&c->f, &items[i], &t) == 0)
			given[ngiven++] = t;
	}
	field_same_end(&c->f, &same, "profession");
	strlist_take(&in->professions, given, ngiven);
}

void offers_read_instruction(item_ctx *c, const fm_node *v, void *into)
{
	read_languages(c, v, &ITEM(into, institution)->languages_of_instruction);
}

void offers_read_housing(item_ctx *c, const fm_node *v, void *into)
{
	char *text = NULL;
	if (field_text(&c->f, v, &text) < 0 || !text)
		return;
	ITEM(into, institution)->housing_html = markdown_to_html(text, strlen(text));
	want_linked_in(c, ITEM(into, institution)->housing_html, v);
	free(text);
}

void offers_read_photo(item_ctx *c, const fm_node *v, void *into)
{
	institution *in = into;
	if (v->type == FM_NULL)
		return;
	if (v->type != FM_MAP) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "photo must be a mapping such as {file: photo.jpg, "
			   "alt: \"Students on the hospital's ward\"}: alt says "
			   "what it shows to those who cannot see it");
		return;
	}
	read_mapping(c, v, &keys_photo, &in->photo);
	if (!in->photo.file || !in->photo.alt) {
		free(in->photo.file);
		free(in->photo.alt);
		in->photo.file = in->photo.alt = NULL;
	}
}

static void r_photo_file(item_ctx *c, const fm_node *v, void *into)
{
	/* shown as an image and the page's og:image: a picture's kinds */
	static const char *const images[] = {"png", "jpg", "jpeg", "webp",
					     "gif", "svg", NULL};
	const char *dot = v->type == FM_STRING && v->text ? strrchr(v->text, '.') :
			  NULL;
	int image = 0;
	for (size_t i = 0; dot && images[i]; i++)
		image |= !strcasecmp(dot + 1, images[i]);
	if (v->type == FM_STRING && v->text && *v->text && !image) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "photo '%s' is no picture: a photo is a PNG, JPEG, "
			   "WebP, GIF or SVG file; link other files from the body "
			   "or forms", v->text);
		return;
	}
	read_file_name(c, v, &ITEM(into, inst_photo)->file);
}

static void r_photo_alt(item_ctx *c, const fm_node *v, void *into)
{
	if (field_text(&c->f, v, &ITEM(into, inst_photo)->alt) == 0 &&
	    !ITEM(into, inst_photo)->alt)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "alt is empty: say in a few words what the photo "
			   "shows, for readers who cannot see it");
}

static const key_spec photo_keys[] = {
	{.key = "file", .type = KT_FILE, .flags = KEY_REQUIRED,
	 .read.item = r_photo_file,
	 .help = "an image beside the record's index.md (PNG, JPEG, WebP, "
		 "GIF or SVG)", .example = "photo.jpg",
	 .aliases = (const char *const[]){"path", "src", "image", NULL}},
	{.key = "alt", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 .read.item = r_photo_alt,
	 .help = "what the photo shows, for readers who cannot see it",
	 .example = "\"The teaching hospital's main entrance\"",
	 .aliases = (const char *const[]){"caption", "description", NULL}},
};

const key_table keys_photo = {
	.kind = "photo", .title = "Institution photo:",
	.where = "an institution's photo:",
	.about = "A picture of the institution, from its page bundle.",
	.noun = "field", KEY_ROWS(photo_keys)};

/* The build's day as YYYY-MM-DD: SOURCE_DATE_EPOCH when it is a number
 * (reproducible builds), else the clock's, in UTC. */
static void today(char out[11])
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long secs = env && *env ? strtoll(env, &end, 10) : -1;
	time_t t = secs >= 0 && end && !*end ? (time_t)secs : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void offers_read_updated(item_ctx *c, const fm_node *v, void *into)
{
	institution *in = into;
	if (field_text(&c->f, v, &in->updated) < 0 || !in->updated)
		return;
	int rc = check_date(in->updated);
	char now[11];
	today(now);
	if (rc < 0)
		field_date_error(&c->f, v, "updated", in->updated, rc,
				 "a date written YYYY-MM-DD");
	else if (strcmp(in->updated, now) > 0)
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "updated: %s is in the future (today is %s): write "
			   "the day the partner last confirmed the information",
			   in->updated, now);
	else
		return;
	free(in->updated);
	in->updated = NULL;
}

/* ---- site.yml ------------------------------------------------------------ */

static void r_discipline_slug(item_ctx *c, const fm_node *v, void *into)
{
	discipline *dsc = into;
	if (field_required_text(&c->f, v, &dsc->slug) < 0)
		return;
	if (check_slug(dsc->slug) < 0) {
		diag_error(c->f.d, c->f.path, v->line, v->col,
			   "'%s' cannot be a discipline's slug: write lower-case "
			   "letters, digits and single dashes, such as "
			   "internal-medicine", dsc->slug);
		free(dsc->slug);
		dsc->slug = NULL;
	}
}

static const key_spec discipline_keys[] = {
	{.key = "slug", .type = KT_TEXT, .flags = KEY_REQUIRED,
	 .read.item = r_discipline_slug,
	 .help = "what records write in an offer's disciplines",
	 .example = "tropical-medicine"},
	{.key = "name", .type = KT_TEXT, KEY_MEMBER(KS_TEXT, discipline, name),
	 .help = "what pages show; left out, made from the slug",
	 .example = "Tropical medicine"},
};

const key_table keys_discipline = {
	.kind = "discipline", .title = "site.yml disciplines:",
	.where = "site.yml, each item of disciplines:",
	.about = "A discipline elective offers may be in.",
	.noun = "key", KEY_ROWS(discipline_keys)};

/* The slug an item of disciplines: gives (a slug, or {slug: ...}); NULL
 * for an item that gives none. */
static const char *item_slug(const fm_node *it)
{
	const fm_node *s = it->type == FM_MAP ? fm_get(it, "slug") : it;
	return s && fm_is_scalar(s) ? s->text : NULL;
}

typedef struct keyed {
	const char *key;
	size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* first[i]: the least k with keys[k] equal to keys[i] (i itself when no
 * earlier key is, or keys[i] is NULL), in O(n log n): a site.yml of tens
 * of thousands of disciplines took minutes item by item. */
static void first_same(const char *const *keys, size_t n, size_t *first)
{
	keyed *v = xcalloc(n ? n : 1, sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		first[i] = i;
		if (keys[i])
			v[m++] = (keyed){keys[i], i};
	}
	qsort(v, m, sizeof *v, cmp_keyed);
	for (size_t k = 1; k < m; k++)
		if (!strcmp(v[k].key, v[k - 1].key))
			first[v[k].i] = first[v[k - 1].i];
	free(v);
}

/* Warn at each item of list v whose slug an earlier item gives, naming
 * the earlier one's line. */
static void disciplines_twice(field_ctx *c, const fm_node *v)
{
	if (v->type != FM_SEQ)
		return;
	const char **slugs = xcalloc(v->n + 1, sizeof *slugs);
	size_t *first = xcalloc(v->n + 1, sizeof *first);
	for (size_t i = 0; i < v->n; i++) {
		const char *s = item_slug(&v->kids[i]);
		slugs[i] = s && check_slug(s) == 0 ? s : NULL;
	}
	first_same(slugs, v->n, first);
	field_twice twice = FIELD_TWICE_INIT;
	for (size_t i = 0; i < v->n; i++)
		if (first[i] != i)
			field_listed_twice(c, &twice, &v->kids[i],
					   v->kids[first[i]].line, "discipline",
					   slugs[i]);
	field_twice_end(c, &twice, "discipline");
	free(slugs);
	free(first);
}

void offers_read_disciplines(field_ctx *c, const fm_node *v,
			     site_config *cfg)
{
	item_ctx ic = {.f = *c, .cfg = cfg};
	discipline *list = NULL;
	size_t n = 0;
	read_items(&ic, v, &keys_discipline, (void **)&list, &n, sizeof *list);
	cfg->disciplines = xcalloc(n + 1, sizeof *cfg->disciplines);
	const char **slugs = xcalloc(n + 1, sizeof *slugs);
	size_t *first = xcalloc(n + 1, sizeof *first);
	for (size_t i = 0; i < n; i++)
		slugs[i] = list[i].slug;
	first_same(slugs, n, first);
	for (size_t i = 0; i < n; i++) {
		discipline *dsc = &list[i];
		if (!dsc->slug || first[i] != i) {
			/* a second one: disciplines_twice warns */
			free(dsc->slug);
			free(dsc->name);
			continue;
		}
		if (!dsc->name)
			dsc->name = label_of_name(dsc->slug, '-');
		cfg->disciplines[cfg->ndisciplines++] = *dsc;
	}
	free(slugs);
	free(first);
	free(list);
	strlist_free(&ic.wanted);
	disciplines_twice(c, v);
}

/* The bytes that a size as max_file_size takes it gives ("5 MB", "500
 * KB", "65536"): more than 0 and at most PM_MAX_BUNDLE_FILE; else 0. */
static double size_bytes(const char *text)
{
	/* plain digits: strtod would also take 0x10, 1e3 or inf */
	size_t len = field_decimal_len(text, NULL);
	double x = len ? strtod(text, NULL) : 0;
	const char *end = text + len;
	while (*end == ' ')
		end++;
	double unit = !*end || !strcasecmp(end, "B") ? 1 :
		!strcasecmp(end, "KB") || !strcasecmp(end, "KiB") ? 1024 :
		!strcasecmp(end, "MB") || !strcasecmp(end, "MiB") ? 1048576 : 0;
	if (!len || !unit || !(x > 0) || x * unit > PM_MAX_BUNDLE_FILE)
		return 0;
	return x * unit;
}

static int fits_size(const char *text)
{
	return size_bytes(text) > 0;
}

void offers_read_max_file_size(field_ctx *c, const fm_node *v,
			       site_config *cfg)
{
	char *text = NULL;
	if (field_number_fits(c, v, "max_file_size", fits_size) < 0 ||
	    field_text(c, v, &text) < 0 || !text)
		return;
	double bytes = size_bytes(text);
	if (!bytes)
		diag_error(c->d, c->path, v->line, v->col,
			   "max_file_size must be a size in decimal digits such "
			   "as 5 MB, 500 KB or 65536 (bytes), more than 0 and at "
			   "most 64 MB, not '%s'", text);
	else
		cfg->max_file_size = (size_t)bytes;
	free(text);
}

void offers_defaults(site_config *cfg)
{
	if (!cfg->max_file_size)
		cfg->max_file_size = PM_DEFAULT_MAX_FILE_SIZE;
	if (cfg->disciplines)
		return;
	size_t n = sizeof builtin_disciplines / sizeof *builtin_disciplines;
	cfg->disciplines = xcalloc(n, sizeof *cfg->disciplines);
	for (size_t i = 0; i < n; i++) {
		cfg->disciplines[i].slug = xstrdup(builtin_disciplines[i].slug);
		cfg->disciplines[i].name = xstrdup(builtin_disciplines[i].name);
	}
	cfg->ndisciplines = n;
	cfg->disciplines_builtin = 1;
}

const char *offers_discipline_name(const site_config *cfg, const char *slug)
{
	const discipline *dsc = site_discipline(cfg, slug);
	return dsc ? dsc->name : slug;
}

/* ---- finishing a record: types, bundle files --------------------------- */

static void collect_types(institution *in)
{
	unsigned char seen[3] = {0};
	for (size_t i = 0; i < in->noffers; i++) {
		int k = in->offers[i].type ?
			field_word_index(in->offers[i].type, offer_types) : -1;
		if (k >= 0)
			seen[k] = 1;
	}
	const char *types[3];
	size_t n = 0;
	for (int k = 0; k < 3; k++)
		if (seen[k])
			types[n++] = offer_types[k];
	strlist_pack(&in->electives, types, n);
}

/* A body link's address, the n bytes at href as the rendered HTML writes
 * them ('&' as &amp;, other bytes as cmark's percent-encoding, RFC 3986
 * section 2.1), with '&amp;' read back: a fresh string. */
static char *link_address(const char *href, size_t n)
{
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_putc(&b, href[i]);
		if (href[i] == '&' && n - i >= 5 && !strncmp(href + i, "&amp;", 5))
			i += 4;
	}
	return buf_detach(&b);
}

/* The file name an address without a '/' stands for: its escapes
 * decoded. NULL, with *why set to a fresh sentence tail, when an escape
 * stands for a '/', a '\' or a NUL (which servers read in different ways)
 * or a '%' starts none. */
static char *linked_name(const char *addr, char **why)
{
	buf_t b = BUF_INIT;
	*why = NULL;
	for (const char *p = addr; *p; p++) {
		if (*p != '%') {
			buf_putc(&b, *p);
			continue;
		}
		if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2])) {
			*why = xstrdup("which holds a '%' that starts no escape "
				       "(two hexadecimal digits): write a '%' "
				       "in an address as %25");
			break;
		}
		char hex[3] = {p[1], p[2], '\0'};
		char c = (char)strtol(hex, NULL, 16);
		if (c == '\0' || c == '/' || c == '\\') {
			*why = xasprintf("which holds %%%s, an encoded '/', '\\' "
					 "or NUL, that servers read in different "
					 "ways: link a file beside the page by its "
					 "name alone", hex);
			break;
		}
		buf_putc(&b, c);
		p += 2;
	}
	if (*why) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* Whether the n bytes at s read as a host name (www.who.int): labels of
 * letters, digits and '-' joined by dots, the last of two letters or more,
 * and not the name of a file a page bundle publishes (form.pdf). */
static int looks_like_host(const char *s, size_t n)
{
	const char *dot = memrchr(s, '.', n);
	if (!dot || dot == s || (size_t)(s + n - dot - 1) < 2)
		return 0;
	for (const char *p = s; p < s + n; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return 0;
	for (const char *p = dot + 1; p < s + n; p++)
		if (!isalpha((unsigned char)*p))
			return 0;
	char *name = xstrndup(s, n);
	int file = offers_published_kind(name);
	free(name);
	return !file;
}

/* Why a link's address (with '/' in it, or a first '.'), relative to the
 * page, reaches nothing a build writes there: a fresh sentence tail for
 * "the body links to '<addr>', ...". NULL for an address that leaves the
 * page's folder (../), or is the page itself (".", "./"). A page bundle's
 * files are published beside its page, never in folders below it, and
 * no name starting with a dot. */
static char *below_page(const char *addr, const char *free_kind)
{
	size_t first = strcspn(addr, "/");
	if (!strcmp(addr, ".") || !strcmp(addr, "./") || !strcmp(addr, "..") ||
	    !strncmp(addr, "../", 3))
		return NULL;
	/* %2e%2e/x.pdf: a browser reads an encoded dot segment as one */
	size_t seg = strcspn(addr, "/");
	if ((seg == 4 && (!strncasecmp(addr, ".%2e", 4) ||
			  !strncasecmp(addr, "%2e.", 4))) ||
	    (seg == 6 && !strncasecmp(addr, "%2e%2e", 6)))
		return xasprintf("whose %.*s a browser reads as '..', a folder "
				 "up: write it as '..' if that is meant, or link "
				 "the file by its name alone", (int)seg, addr);
	/* http//www.who.int: the scheme's ':' left out */
	if (!strncasecmp(addr, "http//", 6) || !strncasecmp(addr, "https//", 7)) {
		size_t s = strcspn(addr, "/");
		return xasprintf("an address below the page where the site has "
				 "nothing: a ':' is missing after %.*s (%.*s:%.*s%s)",
				 (int)s, addr, (int)s, addr, DIAG_QUOTE(addr + s));
	}
	if (looks_like_host(addr, first))
		return xasprintf("an address below the page where the site has "
				 "nothing: for a web address, write it whole "
				 "(https://%.*s%s)", DIAG_QUOTE(addr));
	if (addr[first] == '/' && !addr[first + 1]) {
		/* form.pdf/ */
		if (addr[0] == '.')
			return xstrdup("whose name starts with a dot: such a file "
				       "is never published; rename it without "
				       "the dot");
		if (free_kind) /* join/: meant as a page of the site */
			return xasprintf("a folder beside this page, where the "
					 "site has none: to link another page of "
					 "the site, write its address from this "
					 "page's folder (../%.*s%s)", DIAG_QUOTE(addr));
		char *file = xstrndup(addr, first);
		char *why = xasprintf("a folder beside the page, and the site "
				      "has none there: to link the file %.*s%s, "
				      "leave out the '/'", DIAG_QUOTE(file));
		free(file);
		return why;
	}
	if (addr[first] == '/') {
		const char *base = strrchr(addr, '/') + 1;
		int folder = !*base || !strcmp(base, ".") || !strcmp(base, "..");
		if (free_kind)
			return xasprintf("a %s in a folder below the page, but a "
					 "%s has no files: link a file of an "
					 "institution's page bundle by its address "
					 "from this page, or a web address whole "
					 "(https://%.*s%s)", folder ? "folder" : "file",
					 free_kind, DIAG_QUOTE(addr));
		if (folder)
			return xstrdup("a folder below the page, and the site "
				       "has none there: a page bundle publishes "
				       "only the files beside its index.md");
		return xasprintf("a file in a folder below the page: a page "
				 "bundle publishes only the files beside its "
				 "index.md; put %.*s%s there and link it by its "
				 "name alone (%.*s%s)", DIAG_QUOTE(base),
				 DIAG_QUOTE(base));
	}
	return xstrdup("whose name starts with a dot: such a file is never "
		       "published; rename it without the dot");
}

/* s with each backslash, raw or written %5C, made a '/' (what a browser
 * reads), into fix; 1 when there was one. */
static int slashed(const char *s, buf_t *fix)
{
	int backs = 0;
	for (const char *p = s; *p; p++) {
		int back = *p == '\\' || !strncasecmp(p, "%5C", 3);
		buf_putc(fix, back ? '/' : *p);
		p += back && *p == '%' ? 2 : 0;
		backs |= back;
	}
	buf_cstr(fix);
	return backs;
}

char *offers_backslashed(const char *addr)
{
	if (!strcasestr(addr, "%5C"))
		return NULL;
	buf_t fix = BUF_INIT;
	slashed(addr, &fix);
	char *why = xasprintf("which holds a backslash ('\\', %%5C in an address): "
			      "on the web a backslash is no folder separator, and "
			      "browsers and servers read it in different ways; write "
			      "'/' between folders (%.*s%s)", DIAG_QUOTE(buf_cstr(&fix)));
	buf_free(&fix);
	return why;
}

/* The bytes cmark writes in an address as they are (houdini's href
 * escaping): every other is written %XX. */
static int href_safe(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("-_.+!*'(),%#@?=;:/&$~", c));
}

static int hex_value(char h, char l)
{
	char two[3] = {h, l, '\0'};
	return (int)strtol(two, NULL, 16);
}

/* The character reference at p (before end), as CommonMark reads one in
 * a link destination (HTML5's: &#DDD;, &#xHH;, and the named ones a
 * destination holds in practice), into its UTF-8 bytes u (at most 4):
 * their count, and its length in *len; 0 when p starts none. */
static size_t char_reference(const char *p, const char *end, unsigned char *u,
			     size_t *len)
{
	static const struct {
		const char *name;
		unsigned cp;
	} named[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
		     {"&quot;", '"'}, {"&apos;", '\''}, {"&Tab;", '\t'},
		     {"&NewLine;", '\n'}, {"&nbsp;", 0xA0}, {"&lpar;", '('},
		     {"&rpar;", ')'}, {"&sol;", '/'}, {"&bsol;", '\\'},
		     {"&percnt;", '%'}, {"&num;", '#'}, {"&quest;", '?'}};
	if (*p != '&')
		return 0;
	unsigned long cp = 0;
	size_t n = 0;
	if (end - p >= 4 && p[1] == '#') {
		int hex = p[2] == 'x' || p[2] == 'X';
		const char *d = p + 2 + hex, *q = d;
		while (q < end && q - d < 7 &&
		       (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q)))
			q++;
		if (q == d || q >= end || *q != ';')
			return 0;
		cp = strtoul(d, NULL, hex ? 16 : 10);
		n = (size_t)(q + 1 - p);
		if (!cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD; /* as CommonMark reads it */
	} else {
		for (size_t i = 0; i < sizeof named / sizeof *named && !n; i++) {
			size_t m = strlen(named[i].name);
			if ((size_t)(end - p) >= m && !memcmp(p, named[i].name, m)) {
				cp = named[i].cp;
				n = m;
			}
		}
		if (!n)
			return 0;
	}
	*len = n;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	u[0] = (unsigned char)(0xF0 | cp >> 18);
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	u[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The next byte of a link's name at *q (a %XX escape read as its byte):
 * into *want, with *escaped and *decodes (cmark escapes that byte when it
 * is not safe in an address: %2F in a name stands for itself, not a
 * '/'); *q moved past it. */
static void name_byte(const char **q, char *want, int *escaped, int *decodes)
{
	const char *c = *q;
	*escaped = c[0] == '%' && isxdigit((unsigned char)c[1]) &&
		   isxdigit((unsigned char)c[2]);
	*want = *escaped ? (char)hex_value(c[1], c[2]) : *c;
	*decodes = *escaped && !href_safe(*want);
	*q += *escaped ? 3 : 1;
}

/* How many bytes of the text at s (before end) spell name as a link's
 * destination may write it: a '\' before ASCII punctuation (CommonMark's
 * backslash escapes), a character reference (&#x6F;, &amp;) for the bytes
 * of its character, and a byte either as itself or as its %XX escape, in
 * the name or in the text; followed by the destination's end (a ')',
 * '>', '#', '?', a quote, a blank or the text's end). 0 when it does not. */
static size_t spelled_at(const char *s, const char *end, const char *name)
{
	const char *p = s;
	for (const char *q = name; *q;) {
		if (p >= end)
			return 0;
		const char *at = q;
		char want;
		int escaped, decodes;
		name_byte(&q, &want, &escaped, &decodes);
		unsigned char u[4];
		size_t rlen = 0, m = (!escaped || decodes) ?
			char_reference(p, end, u, &rlen) : 0;
		if (escaped && end - p >= 3 && !strncasecmp(p, at, 3)) {
			p += 3;
		} else if (*p == '%' && end - p >= 3 &&
			   isxdigit((unsigned char)p[1]) &&
			   isxdigit((unsigned char)p[2]) &&
			   (char)hex_value(p[1], p[2]) == want) {
			p += 3;
		} else if ((!escaped || decodes) && *p == '\\' && p + 1 < end &&
			   p[1] == want && ispunct((unsigned char)want)) {
			p += 2;
		} else if (m && (char)u[0] == want) {
			/* the character's other bytes are the name's next */
			for (size_t i = 1; i < m; i++) {
				if (!*q)
					return 0;
				name_byte(&q, &want, &escaped, &decodes);
				if ((char)u[i] != want)
					return 0;
			}
			p += rlen;
		} else if ((!escaped || decodes) && *p == want) {
			p++;
		} else {
			return 0;
		}
	}
	if (p < end && !strchr(")>#?\"' \t\r\n", *p))
		return 0;
	return (size_t)(p - s);
}

/* code_mask's flags (below) */
#define CODE_TEXT 1
#define CODE_INFO 2

/* Where each line of s (n bytes) starts: line k (1-based) at the
 * returned array's [k - 1], and n at [*lines]; a fresh array. */
static size_t *line_starts(const char *s, size_t n, size_t *lines)
{
	*lines = 1;
	for (size_t i = 0; i < n; i++)
		*lines += s[i] == '\n';
	size_t *starts = xcalloc(*lines + 1, sizeof *starts);
	for (size_t i = 0, k = 1; i < n; i++)
		if (s[i] == '\n')
			starts[k++] = i + 1;
	starts[*lines] = n;
	return starts;
}

/* The byte of s (n bytes, line k starting at starts[k - 1]) where cmark's
 * node begins (its source position: a line, a column in bytes), or n. */
static size_t node_offset(size_t n, const size_t *starts, size_t lines,
			  cmark_node *node)
{
	int line = cmark_node_get_start_line(node);
	int col = cmark_node_get_start_column(node);
	if (line < 1 || (size_t)line > lines || col < 1)
		return n;
	size_t at = starts[line - 1] + (size_t)col - 1;
	return at < n ? at : n;
}

/* Where the last inline HTML was found: its line and the byte after it
 * (html_inline_at). */
typedef struct html_finder {
	int line;
	size_t end;
} html_finder;

/* Whether the byte at p of s is escaped: an odd run of backslashes
 * before it, back to from at most ("\\<b>" is text). */
static int escaped(const char *s, size_t from, size_t p)
{
	size_t k = 0;
	while (p > from + k && s[p - 1 - k] == '\\')
		k++;
	return k % 2;
}

/* The byte of s (n bytes, lines at starts) where raw inline HTML node
 * begins, outside code (code: code_mask_of's flags); n when it is not
 * found. cmark's column for an inline is that of the paragraph's text,
 * which lost the indent of a continuation line and gained a container's
 * for a lazy one: the node is looked for on its line instead, by its
 * text's first line, after the last one found there (the nodes come in
 * order). */
static size_t html_inline_at(const char *s, size_t n, const size_t *starts,
			     size_t lines, const unsigned char *code,
			     cmark_node *node, html_finder *f)
{
	const char *lit = cmark_node_get_literal(node);
	int line = cmark_node_get_start_line(node);
	if (!lit || !*lit || line < 1 || (size_t)line > lines)
		return n;
	size_t m = strcspn(lit, "\n");
	size_t from = starts[line - 1], eol = starts[line];
	if (f->line == line && f->end > from)
		from = f->end;
	for (size_t p = from; p + m <= eol; p++)
		if (!code[p] && !memcmp(s + p, lit, m) && !escaped(s, from, p)) {
			f->line = line;
			f->end = p + m;
			return p;
		}
	return n;
}

/* Flag the bytes of raw inline HTML whose text is lit, from p where it
 * begins in s: each byte of lit in turn, passing over what the source has
 * between them and lit has not (a container's "> " on the tag's next
 * line). */
static void html_mask(const char *s, size_t n, size_t p, const char *lit,
		      unsigned char *in)
{
	for (; lit && *lit && p < n; p++) {
		in[p] = CODE_TEXT;
		if (s[p] == *lit)
			lit++;
	}
}

static void mark_html(const char *s, size_t n, const size_t *starts,
		      size_t lines, cmark_node *root, unsigned char *in);

/* Which bytes of body s (n bytes, lines at starts, parsed by cmark into
 * root) lie where nothing is a link: a code block
 * (fenced or indented) or an HTML block, as cmark parses the body (their
 * source positions, whole lines), raw inline HTML (which pages leave out:
 * offers_check_text), and a code span (a run of backticks to the
 * next run of as many, on one line). A fresh array of body_len
 * flags: CODE_TEXT, or CODE_INFO for a fenced block's info string (the
 * rest of its opening line after the fence), whose character references
 * CommonMark decodes (spec 0.30, section 4.5) where the code's own it
 * does not; 0 elsewhere. Raw inline HTML only with_html. */
static unsigned char *code_mask_of(const char *s, size_t n,
				    const size_t *starts, size_t lines,
				    cmark_node *root, int with_html)
{
	unsigned char *in = xcalloc(n + 1, 1);
	cmark_iter *it = cmark_iter_new(root);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER ||
		    (t != CMARK_NODE_CODE_BLOCK && t != CMARK_NODE_HTML_BLOCK))
			continue;
		int a = cmark_node_get_start_line(node), b = cmark_node_get_end_line(node);
		if (a < 1 || b < a || (size_t)a > lines)
			continue;
		size_t from = starts[a - 1], to = (size_t)b < lines ? starts[b] : n;
		memset(in + from, CODE_TEXT, to - from);
		const char *info = t == CMARK_NODE_CODE_BLOCK ?
			cmark_node_get_fence_info(node) : NULL;
		if (!info || !*info) /* indented, or no info string */
			continue;
		/* the opening line: its first run of three or more backticks
		 * or tildes is the fence (a container's prefix, "> " or "- ",
		 * holds neither) */
		size_t eol = (size_t)a < lines ? starts[a] : n;
		for (size_t p = from; p < eol; p++) {
			size_t r = 0;
			while (p + r < eol && s[p + r] == s[p] &&
			       (s[p] == '`' || s[p] == '~'))
				r++;
			if (r >= 3) {
				memset(in + p + r, CODE_INFO, eol - p - r);
				break;
			}
		}
	}
	cmark_iter_free(it);
	for (size_t k = 0; k < lines; k++) {
		size_t i = starts[k], eol = k + 1 < lines ? starts[k + 1] : n;
		if (in[i])
			continue;
		/* spans on the line: a run of backticks to the next run of
		 * the same length */
		for (size_t p = i; p < eol;) {
			if (s[p] != '`') {
				p++;
				continue;
			}
			size_t r = 0;
			while (p + r < eol && s[p + r] == '`')
				r++;
			size_t q = p + r, close = 0;
			while (q < eol && !close) {
				size_t r2 = 0;
				while (q + r2 < eol && s[q + r2] == '`')
					r2++;
				if (r2 == r)
					close = q;
				q += r2 ? r2 : 1;
			}
			if (close) {
				memset(in + p, 1, close + r - p);
				p = close + r;
			} else {
				p += r;
			}
		}
	}
	if (with_html)
		mark_html(s, n, starts, lines, root, in);
	return in;
}

/* Flag the raw inline HTML of body s (code_mask_of's arguments) in in,
 * found outside the code in flags already. */
static void mark_html(const char *s, size_t n, const size_t *starts,
		      size_t lines, cmark_node *root, unsigned char *in)
{
	html_finder f = {0, 0};
	cmark_iter *it = cmark_iter_new(root);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(node) != CMARK_NODE_HTML_INLINE)
			continue;
		size_t p = html_inline_at(s, n, starts, lines, in, node, &f);
		if (p < n)
			html_mask(s, n, p, cmark_node_get_literal(node), in);
	}
	cmark_iter_free(it);
}

/* code_mask_of a body, parsed here. */
static unsigned char *code_mask(const fm_doc *doc)
{
	size_t lines;
	size_t *starts = line_starts(doc->body, doc->body_len, &lines);
	cmark_node *root = cmark_parse_document(doc->body, doc->body_len,
						CMARK_OPT_DEFAULT);
	unsigned char *in = code_mask_of(doc->body, doc->body_len, starts,
					 lines, root, 1);
	cmark_node_free(root);
	free(starts);
	return in;
}

/* The last of a body's links to each name, so that the next one to it is
 * placed after it in linear time: an open-addressing hash table of
 * names (borrowed) and indices. */
typedef struct last_link {
	const char *name; /* NULL: an empty slot */
	size_t index;
} last_link;

typedef struct last_links {
	last_link *v;
	size_t cap, n; /* cap a power of two, n < cap / 2 */
} last_links;

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static last_link *last_slot(last_links *t, const char *name)
{
	if (2 * (t->n + 1) > t->cap) {
		last_links bigger = {xcalloc(t->cap ? 2 * t->cap : 64, sizeof *t->v),
				     t->cap ? 2 * t->cap : 64, 0};
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i].name)
				*last_slot(&bigger, t->v[i].name) = t->v[i];
		bigger.n = t->n;
		free(t->v);
		*t = bigger;
	}
	size_t i = name_hash(name) & (t->cap - 1);
	while (t->v[i].name && strcmp(t->v[i].name, name))
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

/* The index of the first link to name, or SIZE_MAX when there is none
 * (index is then the first). */
static size_t first_then(last_links *t, const char *name, size_t index)
{
	last_link *e = last_slot(t, name);
	if (e->name)
		return e->index;
	t->n++;
	*e = (last_link){name, index};
	return SIZE_MAX;
}

/* The index of the last link to name before, or SIZE_MAX; then index
 * is the last. */
static size_t last_then(last_links *t, const char *name, size_t index)
{
	last_link *e = last_slot(t, name);
	size_t was = e->name ? e->index : SIZE_MAX;
	if (!e->name)
		t->n++;
	*e = (last_link){name, index};
	return was;
}

/* ---- character references ------------------------------------------------ */

/* A numeric character reference at s (CommonMark 0.30, section 6.2: "&#"
 * and 1 to 7 decimal digits, or "&#x" and 1 to 6 hexadecimal digits, then
 * ";"): its length, its code point into *cp; 0 when there is none. */
static size_t char_ref_at(const char *s, const char *end, unsigned long *cp)
{
	if (end - s < 4 || s[0] != '&' || s[1] != '#')
		return 0;
	const char *p = s + 2;
	int hex = *p == 'x' || *p == 'X';
	p += hex;
	unsigned long v = 0;
	size_t digits = 0, most = hex ? 6 : 7;
	for (; p < end && digits < most &&
	       (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p));
	     p++, digits++)
		v = v * (hex ? 16 : 10) +
		    (unsigned long)(isdigit((unsigned char)*p) ? *p - '0' :
				    tolower((unsigned char)*p) - 'a' + 10);
	if (!digits || p >= end || *p != ';')
		return 0;
	*cp = v;
	return (size_t)(p + 1 - s);
}

/* What is wrong with a reference to cp, into b (nothing when a page may
 * hold it): what the loader refuses written as it is (util/chars.h), and
 * what cmark shows as U+FFFD (U+0000, a surrogate, past U+10FFFF). */
static void ref_refused(unsigned long cp, buf_t *b)
{
	char name[48];
	if (!cp || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		buf_printf(b, "no character (%s): a page would show U+FFFD in "
			   "its place; write the character itself",
			   !cp ? "U+0000 is never one" : cp > 0x10FFFF ?
			   "U+10FFFF is the last" : "a surrogate is half of one");
	else if (chars_is_control((unsigned)cp))
		buf_printf(b, "%s (U+%04lX), which no page may hold: remove it",
			   chars_control_what((unsigned)cp), cp);
	else if (chars_is_bidi_control((unsigned)cp))
		buf_printf(b, "%s, which reorders the text shown after it: remove "
			   "it (right-to-left text needs no such character)",
			   chars_name((unsigned)cp, name, sizeof name));
}

/* The character references of doc refused (ref_refused), each an error
 * at its place (offers_check_text); code: code_mask_of's flags, raw HTML
 * included. */
static void check_refs(const fm_doc *doc, const unsigned char *code,
		       const char *path, const char *who, const srcpos *at,
		       diags_t *d)
{
	const char *body = doc->body, *end = body + doc->body_len;
	fm_pos pos;
	fm_pos_init(&pos);
	size_t off = 0, found = 0;
	int first_line = 0, first_col = 0;
	const char *first = NULL;
	size_t first_len = 0;
	buf_t why = BUF_INIT;
	for (const char *p = memmem(body, doc->body_len, "&#", 2); p;
	     p = memmem(p + 1, (size_t)(end - p - 1), "&#", 2)) {
		size_t i = (size_t)(p - body), bs = 0;
		while (bs < i && body[i - 1 - bs] == '\\')
			bs++;
		unsigned long cp;
		size_t len = code[i] == CODE_TEXT || bs % 2 ? 0 :
			     char_ref_at(p, end, &cp);
		why.len = 0;
		if (len)
			ref_refused(cp, &why);
		if (!why.len)
			continue;
		for (; off < i; off++)
			fm_pos_step(&pos, (unsigned char)body[off]);
		int line = at ? at->line : doc->body_line + pos.line - 1;
		int col = at ? at->col : pos.line == 1 ? doc->body_col + pos.col - 1 :
			  doc->body_indent + pos.col;
		if (++found <= FIELD_UNKNOWN_TOLD) {
			diag_error(d, path, line, col, "%s holds '%.*s', a "
				   "character reference to %s", who, (int)len, p,
				   buf_cstr(&why));
		} else if (!first) {
			first = p;
			first_len = len;
			first_line = line;
			first_col = col;
		}
	}
	size_t more = found - FIELD_UNKNOWN_TOLD - 1;
	if (first && !more) /* the eleventh alone */
		diag_error(d, path, first_line, first_col, "'%.*s' in %s names "
			   "a character no page may hold too: fix it as the "
			   "errors above say", (int)first_len, first, who);
	else if (first)
		diag_error(d, path, first_line, first_col, "'%.*s' and %zu more "
			   "character reference%s from here on in %s name "
			   "characters no page may hold too: fix them as the "
			   "errors above say", (int)first_len, first, more,
			   more == 1 ? "" : "s", who);
	buf_free(&why);
}

void offers_check_value_refs(const fm_node *v, const char *path, diags_t *d)
{
	if (!v->text)
		return;
	fm_doc doc;
	offers_value_doc(v, &doc);
	const char *who = v->key ? v->key : "this value";
	if (doc.body_len) {
		offers_check_text(&doc, path, who, NULL, d);
		return;
	}
	/* escaped or folded: its text is not the file's, told at the value */
	fm_doc text = {.body = v->text, .body_len = strlen(v->text),
		       .body_line = v->line, .body_col = v->col};
	srcpos at = {path, v->line, v->col};
	offers_check_text(&text, path, who, &at, d);
}

/* ---- raw HTML ------------------------------------------------------------ */

/* The Markdown that does what HTML element `name` does, as words for "write
 * ... instead"; NULL for an element Markdown has no form of. */
static const char *markdown_for(const char *name)
{
	static const struct {
		const char *names, *markdown;
	} forms[] = {
		{" b strong ", "**text** for bold"},
		{" i em ", "*text* for italics"},
		{" br ", "a backslash (\\) at the end of the line for a line "
		 "break"},
		{" a ", "[text](https://…) for a link"},
		{" img ", "![what it shows](file) for a picture"},
		{" h1 h2 h3 h4 h5 h6 ", "a line starting with # for a heading"},
		{" ul ol li ", "lines starting with - for a list"},
		{" blockquote ", "lines starting with > for a quotation"},
		{" code ", "`text` between backticks for code"},
		{" pre ", "lines between two lines of ``` for code"},
		{" hr ", "--- on a line of its own, after a blank line, for a "
		 "rule"},
		{" p ", "a blank line between paragraphs"},
	};
	char key[16];
	size_t len = strlen(name);
	if (len > sizeof key - 3)
		return NULL;
	key[0] = ' ';
	memcpy(key + 1, name, len);
	memcpy(key + 1 + len, " ", 2);
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
		if (strstr(forms[i].names, key))
			return forms[i].markdown;
	return NULL;
}

/* The element raw HTML text opens, lower-cased, into name (up to n
 * bytes): "<Strong class=x>" is "strong". 0; 1 for a closing tag or a
 * comment, which is not told (a comment is meant to be left out; a
 * closing tag goes with its opening one); -1 for anything else (a
 * processing instruction, a declaration, CDATA). */
static int html_element(const char *text, char *name, size_t n)
{
	if (text[0] != '<')
		return -1;
	if (text[1] == '/' || !strncmp(text, "<!--", 4))
		return 1;
	size_t k = 0;
	for (const char *p = text + 1;
	     k + 1 < n && (isalnum((unsigned char)*p) || *p == '-'); p++)
		name[k++] = (char)tolower((unsigned char)*p);
	name[k] = '\0';
	return k && isalpha((unsigned char)text[1]) ? 0 : -1;
}

/* The raw HTML of doc, parsed into root (lines at starts), each element
 * or block a warning at its place (offers_check_text); code:
 * code_mask_of's flags without raw HTML. */
static void check_raw_html(const fm_doc *doc, const size_t *starts,
			   size_t lines, cmark_node *root,
			   const unsigned char *code, const char *path,
			   const char *who, const srcpos *at, diags_t *d)
{
	const char *body = doc->body;
	size_t n = doc->body_len;
	html_finder finder = {0, 0};
	cmark_iter *it = cmark_iter_new(root);
	fm_pos pos;
	fm_pos_init(&pos);
	size_t off = 0, found = 0;
	int first_line = 0, first_col = 0;
	char first[24] = "";
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER ||
		    (t != CMARK_NODE_HTML_INLINE && t != CMARK_NODE_HTML_BLOCK))
			continue;
		const char *text = cmark_node_get_literal(node);
		char name[16];
		int kind = text ? html_element(text, name, sizeof name) : 1;
		/* a comment block never closed runs to the end (CommonMark
		 * 0.30, 4.6, condition 2): all after it is left out */
		int open_comment = t == CMARK_NODE_HTML_BLOCK && text &&
				   !strncmp(text, "<!--", 4) && !strstr(text, "-->");
		if (kind == 1 && !open_comment)
			continue;
		size_t i = t == CMARK_NODE_HTML_INLINE ?
			html_inline_at(body, n, starts, lines, code, node, &finder) :
			n;
		if (i == n) /* a block, or (never) an inline not found */
			i = node_offset(n, starts, lines, node);
		if (i < off) /* nodes come in the body's order; never back */
			i = off;
		for (; off < i; off++)
			fm_pos_step(&pos, (unsigned char)body[off]);
		int line = at ? at->line : doc->body_line + pos.line - 1;
		int col = at ? at->col : pos.line == 1 ? doc->body_col + pos.col - 1 :
			  doc->body_indent + pos.col;
		/* "<div>", or the start of what is no element ("<?php") */
		char shown[24];
		if (kind == 0)
			snprintf(shown, sizeof shown, "<%s>", name);
		else
			snprintf(shown, sizeof shown, "%.*s", (int)strcspn(text,
				 " \t\n>") > 12 ? 12 : (int)strcspn(text, " \t\n>"),
				 text);
		if (++found > FIELD_UNKNOWN_TOLD) {
			if (!*first) {
				snprintf(first, sizeof first, "%s", shown);
				first_line = line;
				first_col = col;
			}
			continue;
		}
		const char *md = kind == 0 ? markdown_for(name) : NULL;
		if (open_comment)
			diag_warning(d, RAW_HTML, path, line, col,
				     "%s opens a comment ('<!--') that is never "
				     "closed, which leaves out all of it that "
				     "follows: end the comment with -->", who);
		else if (t == CMARK_NODE_HTML_BLOCK) {
			int last = cmark_node_get_end_line(node);
			int to = at ? at->line : doc->body_line + last - 1;
			char lines_of[40] = "";
			if (to > line)
				snprintf(lines_of, sizeof lines_of,
					 ", lines %d to %d", line, to);
			diag_warning(d, RAW_HTML, path, line, col,
				     "%s holds an HTML block (%s%s), which pages "
				     "leave out, text and all: write %s instead",
				     who, shown, lines_of,
				     md ? md : "its text in Markdown");
		} else if (md)
			diag_warning(d, RAW_HTML, path, line, col,
				     "%s holds raw HTML (%s), which pages leave "
				     "out, keeping the text around it: write %s "
				     "instead", who, shown, md);
		else /* "<span>", or text such as List<int> */
			diag_warning(d, RAW_HTML, path, line, col,
				     "%s holds raw HTML (%s), which pages leave "
				     "out, keeping the text around it: remove the "
				     "tag (pages show Markdown alone); if it is "
				     "text, write \\%s or put it between backticks",
				     who, shown, shown);
	}
	cmark_iter_free(it);
	size_t more = found > FIELD_UNKNOWN_TOLD ? found - FIELD_UNKNOWN_TOLD - 1 : 0;
	if (*first && !more)
		diag_warning(d, RAW_HTML, path, first_line, first_col,
			     "'%s' in %s is raw HTML too, which pages leave out: "
			     "write it in Markdown", first, who);
	else if (*first)
		diag_warning(d, RAW_HTML, path, first_line, first_col,
			     "'%s' and %zu more pieces of raw HTML from here on "
			     "in %s are left out of pages too: write them in "
			     "Markdown", first, more, who);
}

void offers_check_text(const fm_doc *doc, const char *path, const char *who,
		       const srcpos *at, diags_t *d)
{
	const char *body = doc->body;
	size_t n = doc->body_len;
	int html = n && memchr(body, '<', n), refs = n && memmem(body, n, "&#", 2);
	if (!html && !refs)
		return;
	/* one parse and one mask for both */
	size_t lines;
	size_t *starts = line_starts(body, n, &lines);
	cmark_node *root = cmark_parse_document(body, n, CMARK_OPT_DEFAULT);
	unsigned char *code = code_mask_of(body, n, starts, lines, root, 0);
	if (html)
		check_raw_html(doc, starts, lines, root, code, path, who, at, d);
	if (refs) {
		/* a reference inside HTML no page shows is not told */
		if (html)
			mark_html(body, n, starts, lines, root, code);
		check_refs(doc, code, path, who, at, d);
	}
	free(code);
	cmark_node_free(root);
	free(starts);
}

/* What body_place has done for one body: its work is bounded, so that a
 * body of many links (a record is up to 1 MiB) is placed in linear time.
 * A search that would pass PLACE_WORK times the body's bytes in all
 * places the rest at the body's start. Positions are counted on from
 * the last one found (links come in the body's order). */
#define PLACE_WORK 64
typedef struct placing {
	const unsigned char *code; /* code_mask's flags */
	size_t work, budget;       /* bytes looked at, and the most */
	size_t off;                /* the byte the position below is of */
	size_t last;               /* the byte past the last link placed */
	fm_pos pos;
} placing;

static void placing_init(placing *pl, const fm_doc *doc)
{
	memset(pl, 0, sizeof *pl);
	pl->code = code_mask(doc);
	pl->budget = PLACE_WORK * (doc->body_len + 1024);
	fm_pos_init(&pl->pos);
}

static void placing_free(placing *pl)
{
	free((void *)pl->code);
}

/* The first place in the body's text, from byte `from` on and outside
 * code, where a link's destination spells name (spelled_at): written
 * after "(", "(<", "(./" or "<", or in a reference's definition
 * ("[f]: form.pdf"), in one pass; or, anywhere set, at any byte. Its
 * length in *n; NULL when there is none, or the work runs out. */
static const char *find_name(const fm_doc *doc, const char *name, size_t from,
			     int anywhere, placing *pl, size_t *n)
{
	static const char *const before[] = {"(", "(<", "(./", "(<./", "<",
					     "]: ", "]: <", "]: ./", NULL};
	const char *body = doc->body, *end = body + doc->body_len;
	for (const char *p = body + from; p < end; p++) {
		if (++pl->work >= pl->budget)
			return NULL;
		if (anywhere) {
			if (!(pl->code && pl->code[p - body]) &&
			    (*n = spelled_at(p, end, name)))
				return p;
			continue;
		}
		if (*p != '(' && *p != '<' && *p != ']')
			continue;
		for (size_t k = 0; before[k]; k++) {
			size_t bl = strlen(before[k]);
			if ((size_t)(end - p) >= bl && !memcmp(p, before[k], bl) &&
			    !(pl->code && pl->code[p + bl - body]) &&
			    (*n = spelled_at(p + bl, end, name)))
				return p + bl;
		}
	}
	return NULL;
}

/* Where in the body's text, from byte `from` on, a link's destination
 * names name (find_name): as a destination, first after the last link
 * placed (links come in the body's order, so the search is one pass
 * over the body in all), then from `from`; else anywhere. Its line and
 * column, and the byte past it (for the next link to the same name);
 * else the body's start, and the body's end (so that the next link to
 * that name is not searched for again). */
static size_t body_place(const fm_doc *doc, const char *name, size_t from,
			 placing *pl, int *line, int *col)
{
	*line = doc->body_line;
	*col = doc->body_col;
	if (from >= doc->body_len || pl->work >= pl->budget)
		return doc->body_len;
	size_t n = 0;
	const char *at = NULL;
	if (pl->last > from)
		at = find_name(doc, name, pl->last, 0, pl, &n);
	if (!at)
		at = find_name(doc, name, from, 0, pl, &n);
	if (!at)
		at = find_name(doc, name, from, 1, pl, &n);
	if (!at)
		return doc->body_len;
	size_t off = (size_t)(at - doc->body);
	if (off < pl->off) { /* behind the last: count again from the start */
		pl->off = 0;
		fm_pos_init(&pl->pos);
	}
	pl->work += off - pl->off;
	for (; pl->off < off; pl->off++)
		fm_pos_step(&pl->pos, (unsigned char)doc->body[pl->off]);
	int l = pl->pos.line, k = pl->pos.col;
	*col = l == 1 ? doc->body_col + k - 1 : doc->body_indent + k;
	*line = doc->body_line + l - 1;
	pl->last = off + n;
	return off + n;
}

/* Whether the n bytes at s are a URI scheme (RFC 3986 section 3.1: a
 * letter, then letters, digits, '+', '-' or '.'). "java%09script" is
 * none: a browser reads such a link as a path beside the page. */
static int is_scheme(const char *s, size_t n)
{
	if (!n || !isalpha((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("+-.", s[i]))
			return 0;
	return 1;
}

/* Why a link's decoded name (linked_name's), whose address addr spells
 * a scheme with an escape (java%73cript:, mailto%3A), is wrong: a browser
 * reads such an address as a file beside the page, and it is no file; a
 * fresh sentence tail for "the body links to '<addr>', ...", or NULL
 * when name starts with no scheme. */
static char *escaped_scheme(const char *name)
{
	size_t n = strcspn(name, ":/?#");
	/* 32: the longest scheme cmark reads in an autolink */
	if (name[n] != ':' || n > 32 || !is_scheme(name, n))
		return NULL;
	char scheme[33]; /* in lower case, as schemes are written */
	for (size_t i = 0; i <= n; i++)
		scheme[i] = i < n ? (char)tolower((unsigned char)name[i]) : '\0';
	if (markdown_unsafe_url(name))
		return xasprintf("which reads as a %s: address once its escapes "
				 "are decoded: a page never links to one, as it "
				 "would run or open something other than a page "
				 "(such a link is shown as its text alone); remove "
				 "the link", scheme);
	return xasprintf("which a browser reads as a file beside the page, not "
			 "as a %s: address, as its ':' or scheme is escaped: "
			 "write %.*s%s", scheme, DIAG_QUOTE(name));
}

/* Whether the scheme of n bytes at s (before its ':') is one of the web's
 * (http, https, ftp) and the address goes on without "//": such an
 * address ("https:who.int") is, by the WHATWG URL Standard, a path
 * relative to the page when the page has that scheme, and another site
 * otherwise. */
static int slashes_left_out(const char *s, size_t n)
{
	static const char *const web[] = {"http", "https", "ftp", NULL};
	for (size_t i = 0; web[i]; i++)
		if (n == strlen(web[i]) && !strncasecmp(s, web[i], n))
			return strncmp(s + n + 1, "//", 2) != 0;
	return 0;
}

/* The next attr (alen bytes, ending in '=' and a quote) in html from p
 * on, or NULL. Each '=' is found with strchr, which reads up to what it
 * finds (a sanitizer's strstr reads the whole rest at each call), and
 * what stands before it compared: a byte-by-byte scan of every body for
 * each attribute took 13 ms of a no-change build at 10,000 records, and
 * an '=' is rare outside tags. */
static const char *next_attr(const char *p, const char *attr, size_t alen)
{
	size_t eq = alen - 2; /* where the '=' is in attr */
	for (const char *q = strchr(p, '='); q; q = strchr(q + 1, '='))
		if ((size_t)(q - p) >= eq && !strncmp(q - eq, attr, alen))
			return q - eq;
	return NULL;
}

size_t offers_linked_files(const char *html, const fm_doc *doc,
			   const char *free_kind, linked_file **out)
{
	static const char *const attrs[] = {"href=\"", "src=\"", NULL};
	linked_file *v = NULL;
	size_t n = 0, cap = 0;
	placing pl;
	int placing_made = 0; /* made at the first link */
	last_links last = {NULL, 0, 0};
	for (size_t a = 0; attrs[a]; a++) {
		size_t alen = strlen(attrs[a]);
		for (const char *p = next_attr(html, attrs[a], alen); p;
		     p = next_attr(p + 1, attrs[a], alen)) {
			const char *start = p + alen;
			/* ./form.pdf is form.pdf; form.pdf#page=2 and
			 * form.pdf?dl=1 link it too */
			if (start[0] == '.' && start[1] == '/' && start[2] != '"')
				start += 2;
			/* the path: up to a query or a fragment */
			size_t len = strcspn(start, "\"?#");
			size_t first = strcspn(start, "\"/:?#");
			/* a web address (https:, mailto:), one of the site's
			 * (/networks/), or a fragment or query of the page */
			if (start[len] != '"' && start[len] != '?' &&
			    start[len] != '#')
				continue;
			int scheme = start[first] == ':' && is_scheme(start, first);
			int unslashed = scheme && slashes_left_out(start, first);
			/* a picture the page loads from another site */
			int remote = a == 1 && !unslashed &&
				     ((scheme && (!strncasecmp(start, "http:", 5) ||
						  !strncasecmp(start, "https:", 6))) ||
				      !strncmp(start, "//", 2));
			if (!len || (scheme && !unslashed && !remote) ||
			    (start[0] == '/' && !remote))
				continue;
			char *addr = link_address(start, len), *why = NULL;
			char *name = NULL;
			if (remote)
				name = xstrdup(addr);
			else if (unslashed) {
				/* https:/x and https:\x want https://x */
				const char *rest = addr + first + 1;
				while (*rest == '/' || *rest == '\\' ||
				       !strncasecmp(rest, "%5C", 3))
					rest += *rest == '%' ? 3 : 1;
				/* https:\\host\\x: each backslash a '/' too */
				buf_t fix = BUF_INIT;
				int backs = slashed(rest, &fix);
				why = xasprintf("a web address without the '//' after "
						"%.*s:, which a browser may read as an "
						"address on this site: write %.*s://%.*s%s%s",
						(int)first, addr, (int)first, addr,
						DIAG_QUOTE(buf_cstr(&fix)), backs ?
						", with '/' for each backslash, "
						"which is no folder separator on the web" : "");
				buf_free(&fix);
			}
			else if ((why = offers_backslashed(addr)))
				; /* ..\nope\: a folder written as on Windows */
			else if (strchr(addr, '/') || addr[0] == '.')
				why = below_page(addr, free_kind);
			else if ((name = linked_name(addr, &why)) &&
				 (why = escaped_scheme(name))) {
				/* told by its address, as written */
				free(name);
				name = NULL;
			}
			if ((!name && !why) || (name && !strcmp(name, "index.html"))) {
				/* ../, the page itself (index.html) */
				free(name);
				free(addr);
				continue;
			}
			if (name)
				free(addr);
			else
				name = addr;
			/* a second link to one name is told with the first
			 * (the table borrows the name v keeps) */
			size_t k = first_then(&last, name, n);
			if (k != SIZE_MAX) {
				v[k].more++;
				free(name);
				free(why);
				continue;
			}
			v = xgrow(v, &cap, n + 1, sizeof *v, 8);
			v[n] = (linked_file){name, why, 0, 0, 0, remote, 0};
			if (!placing_made) {
				placing_init(&pl, doc);
				placing_made = 1;
			}
			body_place(doc, name, 0, &pl, &v[n].line, &v[n].col);
			n++;
		}
	}
	free(last.v);
	if (placing_made)
		placing_free(&pl);
	*out = v;
	return n;
}

static int on_own_host(const char *url, const char *base_url);

/* Whether the len bytes at start are a full address (http:, https: or
 * //host) on base_url's host. */
static int own_full_address(const char *start, size_t len, const char *base_url)
{
	int full = (len > 2 && !strncmp(start, "//", 2)) ||
		   (len > 8 && !strncasecmp(start, "https://", 8)) ||
		   (len > 7 && !strncasecmp(start, "http://", 7));
	if (!base_url || !full)
		return 0;
	/* a browser reads a backslash (%5C once cmark wrote it) as '/':
	 * https://<host>\map\x is on <host> too; cmark writes the brackets
	 * of an IPv6 host (https://[2001:db8::1]/) as %5B and %5D */
	buf_t b = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		static const char *const escaped[] = {"%5C", "%5B", "%5D"};
		static const char plain[] = "/[]";
		size_t k = 0;
		while (k < 3 && (i + 2 >= len || strncasecmp(start + i, escaped[k], 3)))
			k++;
		buf_putc(&b, k < 3 ? plain[k] : start[i]);
		i += k < 3 ? 2 : 0;
	}
	int own = on_own_host(buf_cstr(&b), base_url);
	buf_free(&b);
	return own;
}

size_t offers_site_links(const char *html, const char *base_url, char ***out)
{
	static const char *const attrs[] = {"href=\"", "src=\"", NULL};
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (size_t a = 0; attrs[a]; a++) {
		size_t alen = strlen(attrs[a]);
		for (const char *p = next_attr(html, attrs[a], alen); p;
		     p = next_attr(p + 1, attrs[a], alen)) {
			const char *start = p + alen;
			size_t len = strcspn(start, "\"?#");
			if (start[len] != '"' && start[len] != '?' &&
			    start[len] != '#')
				continue;
			/* a leading backslash (%5C) is a '/' to a browser: a
			 * link to tell (offers_backslashed), whatever it names */
			int rooted = (start[0] == '/' && start[1] != '/') ||
				     (len >= 3 && !strncasecmp(start, "%5C", 3));
			int up = !strncmp(start, "../", 3) ||
				 (len == 2 && !strncmp(start, "..", 2));
			if (!len || (!rooted && !up &&
				     !own_full_address(start, len, base_url)))
				continue;
			v = xgrow(v, &cap, n + 2, sizeof *v, 8);
			v[n++] = link_address(start, len);
		}
	}
	if (v)
		v[n] = NULL;
	*out = v;
	return n;
}

size_t offers_distinct_links(char **v, size_t n, size_t *more)
{
	last_links first = {NULL, 0, 0};
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = first_then(&first, v[i], kept);
		if (k != SIZE_MAX) {
			more[k]++;
			free(v[i]);
			continue;
		}
		more[kept] = 0;
		v[kept++] = v[i]; /* the table's name moves with it */
	}
	for (size_t i = kept; i < n; i++)
		v[i] = NULL;
	free(first.v);
	return kept;
}

void offers_place_links(const fm_doc *doc, char *const *addr, size_t n,
			int *line, int *col)
{
	placing pl;
	placing_init(&pl, doc);
	last_links last = {NULL, 0, 0};
	size_t *past = xcalloc(n + 1, sizeof *past);
	for (size_t i = 0; i < n; i++) {
		size_t k = last_then(&last, addr[i], i);
		past[i] = body_place(doc, addr[i], k == SIZE_MAX ? 0 : past[k], &pl,
				     &line[i], &col[i]);
	}
	free(past);
	free(last.v);
	placing_free(&pl);
}

/* The host and port of the authority at a (after "//", up to '/', '?' or
 * '#'), as a browser reaches it (RFC 3986 section 3.2): its user
 * information dropped (https://user@host/ is host), and the scheme's
 * default port too (https://host:443/ is host), of https when the address
 * names no scheme (//host/). Into *host, *len. */
static void authority_host(const char *url, const char *a, const char **host,
			   size_t *len)
{
	size_t n = strcspn(a, "/?#");
	const char *at = memrchr(a, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - a);
		a = at + 1;
	}
	const char *dflt = strncasecmp(url, "http:", 5) ? ":443" : ":80";
	size_t dl = strlen(dflt);
	if (n > dl && !memcmp(a + n - dl, dflt, dl))
		n -= dl;
	*host = a;
	*len = n;
}

/* Whether the address url (http:, https: or //host) is on base_url's
 * host: the site's own, not another. */
static int on_own_host(const char *url, const char *base_url)
{
	const char *h = strstr(url, "//"), *b = base_url ? strstr(base_url, "//") : NULL;
	if (!h || !b)
		return 0;
	const char *uh, *bh;
	size_t m, n;
	authority_host(url, h + 2, &uh, &m);
	authority_host(base_url, b + 2, &bh, &n);
	return n && n == m && !strncasecmp(uh, bh, n);
}

int offers_remote_image(const linked_file *f, const char *who,
			const char *base_url, const char *path, diags_t *d)
{
	if (!f->remote)
		return 0;
	if (on_own_host(f->name, base_url))
		return 1; /* the site's own address */
	diag_warning(d, REMOTE_IMAGE, path, f->line, f->col,
		     "%s shows a picture from another site (%.*s%s): each "
		     "visitor's browser asks that site for it, which so learns "
		     "who opens the page, and the picture may change after "
		     "review; save it with the site (in an institution's page "
		     "bundle) and show it from there%s", who, DIAG_QUOTE(f->name),
		     offers_more(f->more, who));
	return 1;
}

int offers_page_name(const char *name)
{
	static const char *const pages[] = {".html", ".htm", ".xhtml", ".md",
					    ".php", ".asp", ".aspx", NULL};
	size_t n = strlen(name);
	for (size_t k = 0; pages[k]; k++) {
		size_t e = strlen(pages[k]);
		if (n > e && !strcasecmp(name + n - e, pages[k]))
			return 1;
	}
	return 0;
}

const char *offers_own_record(const char *name)
{
	if (!strcmp(name, "index.md"))
		return "to link this page, write ./";
	size_t n = strlen(name);
	if (n > 9 && !strncmp(name, "index.", 6) && !strcmp(name + n - 3, ".md") &&
	    !memchr(name + 6, '.', n - 9))
		return "to link this page in another language, write that "
		       "page's folder's address from this page's folder";
	return NULL;
}

int offers_email_like(const char *name)
{
	const char *at = strchr(name, '@');
	return at && at > name && strchr(at + 1, '.') && !strchr(at + 1, '@');
}

void offers_check_free_links(const char *html, const fm_doc *doc,
			     const char *path, const char *kind,
			     const char *base_url, diags_t *d)
{
	linked_file *links;
	size_t n = offers_linked_files(html, doc, kind, &links);
	for (size_t i = 0; i < n; i++) {
		const char *name = links[i].name;
		int line = links[i].line, col = links[i].col;
		char *shown = diag_quote(name);
		const char *more = offers_more(links[i].more, "the body");
		if (offers_remote_image(&links[i], "the body", base_url, path, d))
			;
		else if (links[i].broken)
			diag_error(d, path, line, col, "the body links to '%s', %s%s",
				   shown, links[i].broken, more);
		else if (offers_page_name(name))
			diag_error(d, path, line, col, "the body links to '%s' as a "
				   "page beside this one, and the site has none "
				   "there: %s%s", shown, offers_page_hint(name), more);
		else if (offers_email_like(name))
			diag_error(d, path, line, col, "the body links to '%s' as a "
				   "file beside the page, but it is an e-mail "
				   "address: write mailto:%s%s", shown, shown, more);
		else
			diag_error(d, path, line, col, "the body links to '%s' as a "
				   "file beside the page, but a %s has no files: "
				   "link a file of an institution's page bundle by "
				   "its address from this page, or a web address "
				   "whole (https://%s)%s", shown, kind, shown, more);
		free(shown);
		free(links[i].name);
		free(links[i].broken);
	}
	free(links);
}

const char *offers_more(size_t n, const char *who)
{
	static _Thread_local char tail[120];
	if (!n)
		return "";
	snprintf(tail, sizeof tail, "; %zu more link%s to it in %s", n,
		 n == 1 ? "" : "s", who);
	return tail;
}

const char *offers_page_hint(const char *name)
{
	static _Thread_local char hint[400];
	snprintf(hint, sizeof hint, "to link another page of the site, write "
		 "its folder's address from this page's folder (../ climbs "
		 "one folder: ../<slug>/ from an institution to another); for a "
		 "web address, write it whole (https://%.*s%s)", DIAG_QUOTE(name));
	return hint;
}

/* Every file the body links by a bare name (offers_linked_files): one
 * the bundle holds, of a kind it publishes, is wanted; any other would
 * be a broken link on the page (a file not there, one refused, a record
 * that is no bundle, a web address written without https://): an error
 * at the link. */
static void want_linked(item_ctx *c, const char *html, const fm_doc *doc,
			const char *who)
{
	linked_file *links;
	size_t n = offers_linked_files(html, doc, NULL, &links), hinted = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = links[i].name;
		int line = links[i].line, col = links[i].col;
		char *shown = diag_quote(name);
		const char *more = offers_more(links[i].more, who);
		const char *problem = bundle_name_problem(name);
		int listed = listed_file(c->bundle, name) >= 0;
		if (offers_remote_image(&links[i], who, c->cfg->base_url, c->f.path,
					c->f.d))
			;
		else if (links[i].broken)
			diag_error(c->f.d, c->f.path, line, col,
				   "%s links to '%s', %s%s", who, shown,
				   links[i].broken, more);
		else if (offers_own_record(name))
			diag_error(c->f.d, c->f.path, line, col,
				   "%s links to '%s', a record of this page, "
				   "which is never published: %s%s", who, shown,
				   offers_own_record(name), more);
		else if (listed && !problem)
			want(c, name);
		else if (listed)
			diag_error(c->f.d, c->f.path, line, col,
				   "%s links to '%s', which %s%s", who, shown,
				   problem, more);
		else if (offers_page_name(name))
			diag_error(c->f.d, c->f.path, line, col,
				   "%s links to '%s' as a page beside this "
				   "one, and the site has none there: %s%s", who,
				   shown, offers_page_hint(name), more);
		else if (offers_email_like(name))
			diag_error(c->f.d, c->f.path, line, col,
				   "%s links to '%s' as a file beside the "
				   "page, but it is an e-mail address: write "
				   "mailto:%s%s", who, shown, shown, more);
		else if (!offers_published_kind(name))
			diag_error(c->f.d, c->f.path, line, col,
				   "%s links to '%s' as a file beside the "
				   "page, and there is none: for a web address, "
				   "write it whole (https://%s); for a file, put "
				   "it in the record's page bundle%s", who, shown, shown,
				   more);
		else if (!c->bundle)
			diag_error(c->f.d, c->f.path, line, col,
				   "%s links to '%s' as a file beside the "
				   "page, but only a page bundle has files: move "
				   "this record to content/institutions/%s/index.md "
				   "and put %s beside it%s", who, shown,
				   c->in ? c->in->slug : "<slug>", shown, more);
		else if (sfs_list_refused(c->bundle, name))
			; /* told at the file, where it was refused */
		else {
			buf_t msg = BUF_INIT;
			buf_printf(&msg, "%s links to '%s', which is not "
				   "in the page bundle %s", who, shown, c->bundle_shown);
			/* the bundle's files and the nearest, for the first
			 * FIELD_LINK_HINTS: 40,000 links to no file of a
			 * bundle of 10,000 took 74 s */
			if (hinted++ < FIELD_LINK_HINTS)
				put_bundle_files(&msg, c, name);
			buf_puts(&msg, more);
			diag_error(c->f.d, c->f.path, line, col, "%s",
				   buf_cstr(&msg));
			buf_free(&msg);
		}
		free(shown);
		free(links[i].name);
		free(links[i].broken);
	}
	free(links);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "180 KB", "3.2 MB" (1024-based, as file managers show sizes). */
static void put_size(buf_t *b, size_t n)
{
	if (n < 1024)
		buf_printf(b, "%zu bytes", n);
	else if (n < 1048576)
		buf_printf(b, "%.0f KB", ceil(n / 1024.0));
	else
		buf_printf(b, "%.1f MB", n / 1048576.0);
}

/* The kinds a bundle file's first bytes tell (file formats' signatures:
 * PDF 1.7 section 7.5.2, PNG section 5.2, JFIF's SOI, GIF89a, RIFF,
 * ISO BMFF's ftyp box, Ogg's capture pattern, EBML, ZIP's local header,
 * OLE2): the extensions of each, and a name for messages. */
typedef struct signature {
	const char *exts;   /* " pdf " ... */
	const char *name;   /* "a PDF document" */
	const char *ext;    /* the usual extension */
	const char *magic;
	size_t at, len;
} signature;

static const signature signatures[] = {
	{" pdf ", "a PDF document", "pdf", "%PDF-", 0, 5},
	{" png ", "a PNG image", "png", "\x89PNG\r\n\x1a\n", 0, 8},
	{" jpg jpeg ", "a JPEG image", "jpg", "\xFF\xD8\xFF", 0, 3},
	{" gif ", "a GIF image", "gif", "GIF8", 0, 4},
	{" webp ", "a WebP image", "webp", "WEBP", 8, 4},
	{" wav ", "a WAV sound", "wav", "WAVE", 8, 4},
	{" flac ", "a FLAC sound", "flac", "fLaC", 0, 4},
	{" avif mp4 m4v m4a ", "an MP4 or AVIF file", "mp4", "ftyp", 4, 4},
	{" ogg oga ogv opus ", "an Ogg file", "ogg", "OggS", 0, 4},
	{" webm ", "a WebM video", "webm", "\x1A\x45\xDF\xA3", 0, 4},
	{" docx xlsx pptx ", "an Office Open XML file", "docx", "PK\x03\x04", 0, 4},
	{" odt ods odp ", "an OpenDocument file", "odt", "PK\x03\x04", 0, 4},
	{" epub ", "an EPUB book", "epub", "PK\x03\x04", 0, 4},
	{" zip ", "a ZIP archive", "zip", "PK\x03\x04", 0, 4},
	{" doc xls ppt ", "an old Microsoft Office file", "doc",
	 "\xD0\xCF\x11\xE0", 0, 4},
	{" rtf ", "an RTF document", "rtf", "{\\rtf", 0, 5},
};

/* Whether data (n bytes) starts as s says. */
static int has_signature(const signature *s, const char *data, size_t n)
{
	return n >= s->at + s->len && !memcmp(data + s->at, s->magic, s->len);
}

/* The first signature data has, or NULL. */
static const signature *sniffed(const char *data, size_t n)
{
	for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++)
		if (has_signature(&signatures[i], data, n))
			return &signatures[i];
	return NULL;
}

/* The extension of name, lower case, into ext (cap bytes); "" if none. */
static const char *extension(const char *name, char *ext, size_t cap)
{
	const char *dot = strrchr(name, '.');
	snprintf(ext, cap, "%s", dot && strlen(dot + 1) < cap ? dot + 1 : "");
	for (char *p = ext; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return ext;
}

/* The signature of name's extension, or NULL for a kind without one
 * (text, CSV, SVG, MP3...). */
static const signature *declared(const char *name)
{
	char ext[12], word[16];
	if (!*extension(name, ext, sizeof ext))
		return NULL;
	snprintf(word, sizeof word, " %s ", ext);
	for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++)
		if (strstr(signatures[i].exts, word))
			return &signatures[i];
	return NULL;
}


/* What a file whose first bytes match its kind's signature still is not,
 * read deeper (ISO BMFF's brand: an AVIF image or an MP4; an
 * OpenDocument's or EPUB's mimetype entry, the first of its ZIP; text
 * without NUL bytes or another kind's signature; an MP3's ID3 tag or
 * frame sync): a sentence tail, or NULL when it is its kind. */
static const char *deeper_kind(const char *ext, const char *data, size_t n)
{
	if (!strcmp(ext, "avif") || !strcmp(ext, "mp4") || !strcmp(ext, "m4v") ||
	    !strcmp(ext, "m4a")) {
		int avif = n >= 12 && (!memcmp(data + 8, "avif", 4) ||
				       !memcmp(data + 8, "avis", 4));
		if (!strcmp(ext, "avif") && !avif)
			return "holds an MP4 file, not an AVIF image: give it the "
			       "extension of its kind (.mp4)";
		if (strcmp(ext, "avif") && avif)
			return "holds an AVIF image, not an MP4 file: give it the "
			       "extension of its kind (.avif)";
		return NULL;
	}
	static const struct {
		const char *ext, *mimetype;
	} zips[] = {{"odt", "application/vnd.oasis.opendocument.text"},
		    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
		    {"odp", "application/vnd.oasis.opendocument.presentation"},
		    {"epub", "application/epub+zip"}};
	for (size_t i = 0; i < sizeof zips / sizeof *zips; i++) {
		if (strcmp(ext, zips[i].ext))
			continue;
		size_t m = strlen(zips[i].mimetype);
		size_t extra = n >= 30 ? (unsigned char)data[28] |
					 (size_t)(unsigned char)data[29] << 8 : 0;
		int ok = n >= 38 + extra + m && !memcmp(data + 26, "\x08\x00", 2) &&
			 !memcmp(data + 30, "mimetype", 8) &&
			 !memcmp(data + 38 + extra, zips[i].mimetype, m);
		return ok ? NULL : "is a ZIP archive but not of that kind (its "
				   "first entry, mimetype, does not name it): save "
				   "it again from its program, or give it the "
				   "extension of its kind";
	}
	if (!strcmp(ext, "txt") || !strcmp(ext, "csv") || !strcmp(ext, "ics") ||
	    !strcmp(ext, "vcf")) {
		if (sniffed(data, n))
			return "holds another kind of file, not text: give it the "
			       "extension of its kind";
		if (memchr(data, '\0', n))
			return "is not text (it holds NUL bytes): save it again as "
			       "text, or give it the extension of its kind";
		return NULL;
	}
	/* an ID3 tag, or a frame sync: MP3's (11 bits), or ADTS's (12 bits,
	 * then layer 00: ISO/IEC 13818-7) */
	static const struct {
		const char *ext, *name;
		unsigned char mask, sync;
	} synced[] = {{"mp3", "MP3", 0xE0, 0xE0}, {"aac", "AAC", 0xF6, 0xF0}};
	for (size_t i = 0; i < sizeof synced / sizeof *synced; i++) {
		if (strcmp(ext, synced[i].ext))
			continue;
		int ok = (n >= 3 && !memcmp(data, "ID3", 3)) ||
			 (n >= 4 && !strcmp(ext, "aac") && !memcmp(data, "ADIF", 4)) ||
			 (n >= 2 && (unsigned char)data[0] == 0xFF &&
			  ((unsigned char)data[1] & synced[i].mask) == synced[i].sync);
		if (ok)
			return NULL;
		return !strcmp(ext, "mp3") ?
			"is not an MP3 sound: its bytes are not that kind's; save it "
			"again as MP3, or give it the extension of its kind" :
			"is not an AAC sound: its bytes are not that kind's; save it "
			"again as AAC, or give it the extension of its kind";
	}
	return NULL;
}

/* A bundle file whose bytes are not the kind its extension names: a
 * browser would be sent it as that kind, and show a broken picture or
 * refuse the download. An error at rel; -1, or 0 when they are. */
/* The length of the ID3v2 tag data starts with (its 10-byte header and a
 * syncsafe size, ID3v2.4 section 3.1), or 0 when there is none. */
static size_t id3_length(const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	if (n < 10 || memcmp(p, "ID3", 3) || (p[6] | p[7] | p[8] | p[9]) & 0x80)
		return 0;
	size_t size = (size_t)p[6] << 21 | (size_t)p[7] << 14 | (size_t)p[8] << 7 | p[9];
	return 10 + size <= n ? 10 + size : 0;
}

static int wrong_kind(item_ctx *c, const char *rel, const char *name,
		      const buf_t *data)
{
	char ext[12];
	const char *deeper = deeper_kind(extension(name, ext, sizeof ext),
					 data->ptr, data->len);
	const signature *want = declared(name);
	/* a FLAC may start with an ID3v2 tag */
	size_t tag = !strcmp(ext, "flac") ? id3_length(data->ptr, data->len) : 0;
	if (tag && has_signature(want, data->ptr + tag, data->len - tag))
		return 0;
	if ((!want || has_signature(want, data->ptr, data->len)) && deeper) {
		diag_error(c->f.d, rel, 1, 1, "%s %s", name, deeper);
		return -1;
	}
	if (!want || has_signature(want, data->ptr, data->len))
		return 0;
	const signature *got = sniffed(data->ptr, data->len);
	if (got)
		diag_error(c->f.d, rel, 1, 1, "%s holds %s, not %s: give it the "
			   "extension of its kind (.%s)", name, got->name,
			   want->name, got->ext);
	else
		diag_error(c->f.d, rel, 1, 1, "%s is not %s: its bytes are not "
			   "that kind's%s; save it again as %s, or give it the "
			   "extension of its kind", name, want->name,
			   data->len ? "" : " (it is empty)", want->name);
	return -1;
}

static int raster_size(const unsigned char *p, size_t n, int *w, int *h);

/* Whether a raster picture (PNG, JPEG, GIF, WebP, by its first bytes) is
 * whole: its size can be read, and it ends as its format ends (PNG's
 * IEND chunk, JPEG's EOI marker, GIF's trailer, as long as its RIFF
 * header says for WebP). A sentence tail saying what is missing, or
 * NULL when it is whole or no such picture. */
static const char *raster_cut_short(const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	int w, h;
	if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8)) {
		if (raster_size(p, n, &w, &h) < 0)
			return "its header (IHDR) gives no size";
		/* bytes after the end are shown past, as browsers do */
		if (n < 20 || !memmem(p + 16, n - 16, "IEND\xAE\x42\x60\x82", 8))
			return "it does not end with PNG's IEND chunk";
	} else if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
		if (raster_size(p, n, &w, &h) < 0)
			return "it has no frame header (SOF) giving its size";
		size_t k = n;
		while (k > 2 && p[k - 1] != 0xD9)
			k--; /* some programs pad the end */
		if (k <= 2 || p[k - 2] != 0xFF || n - k > 4096)
			return "it does not end with JPEG's end marker (EOI)";
	} else if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6))) {
		/* its end (a trailer byte) cannot be told from bytes after
		 * it: only the header is checked */
		if (n < 14 || raster_size(p, n, &w, &h) < 0)
			return "its header gives no size";
	} else if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)) {
		unsigned long riff = (unsigned long)p[4] | (unsigned long)p[5] << 8 |
				     (unsigned long)p[6] << 16 | (unsigned long)p[7] << 24;
		if (raster_size(p, n, &w, &h) < 0)
			return "its header gives no size";
		if (riff + 8 > n)
			return "it is shorter than its RIFF header says";
	}
	return NULL;
}

/* Whether name is an SVG file, by its extension. */
static int is_svg(const char *name)
{
	size_t n = strlen(name);
	return n >= 4 && !strcasecmp(name + n - 4, ".svg");
}

/* An SVG's problems (svgcheck.h), each an error at its place in rel:
 * SVG_FILE_PROBLEMS of them, then how many more. 0 for a plain picture,
 * else -1. */
#define SVG_FILE_PROBLEMS 10
static int svg_refused(item_ctx *c, const char *rel, const char *name,
		       const buf_t *data)
{
	svg_problem p[SVG_FILE_PROBLEMS];
	size_t n = svg_problems(data->ptr, data->len, p, SVG_FILE_PROBLEMS);
	for (size_t i = 0; i < n && i < SVG_FILE_PROBLEMS; i++) {
		char more[64] = "";
		if (i + 1 == SVG_FILE_PROBLEMS && n > SVG_FILE_PROBLEMS)
			snprintf(more, sizeof more, " (and %zu more in this file)",
				 n - SVG_FILE_PROBLEMS);
		if (p[i].kind == SVG_ILL_FORMED)
			diag_error(c->f.d, rel, p[i].line, p[i].col,
				   "%s %s: a browser may read such a file "
				   "otherwise than this check does, and run what "
				   "it holds; save it again as UTF-8 SVG, or give "
				   "it as PNG or JPEG", name, p[i].what);
		else
			diag_error(c->f.d, rel, p[i].line, p[i].col,
				   "%s holds %s: opened on its own, on the site's "
				   "address, the picture could run it or fetch "
				   "what it names; export the picture as plain SVG "
				   "without it, or give it as PNG or JPEG%s", name,
				   p[i].what, more);
	}
	return n ? -1 : 0;
}

static void read_bundle_file(item_ctx *c, const sfs_root *root,
			     const char *name)
{
	institution *in = c->in;
	int i = listed_file(c->bundle, name);
	char *rel = xasprintf("%s/%s", in->bundle, name);
	buf_t data = BUF_INIT;
	int rc = sfs_read_entry(root, c->bundle, (size_t)i, rel, rel, SFS_BUNDLE,
				&data, c->f.d);
	if (rc == SFS_IO)
		diag_error(c->f.d, rel, 1, 1, "cannot read %s: %s; make it "
			   "readable or remove it from the record", name,
			   strerror(errno));
	if (rc == SFS_OK && is_svg(name) && svg_refused(c, rel, name, &data) < 0)
		rc = SFS_REFUSED;
	if (rc == SFS_OK && wrong_kind(c, rel, name, &data) < 0)
		rc = SFS_REFUSED;
	const char *cut = rc == SFS_OK ? raster_cut_short(data.ptr, data.len) : NULL;
	if (cut) {
		diag_error(c->f.d, rel, 1, 1, "%s is cut short or damaged: %s; a "
			   "browser would show a broken or partial picture; save it "
			   "again from its program", name, cut);
		rc = SFS_REFUSED;
	}
	if (rc == SFS_OK && data.len > c->cfg->max_file_size) {
		buf_t msg = BUF_INIT;
		buf_printf(&msg, "%s is ", name);
		put_size(&msg, data.len);
		buf_puts(&msg, ", more than site.yml's max_file_size (");
		put_size(&msg, c->cfg->max_file_size);
		buf_puts(&msg, "): students on slow connections may not get it; "
			 "make it smaller, or raise max_file_size");
		diag_warning(c->f.d, LARGE_FILE, rel, 1, 1, "%s", buf_cstr(&msg));
		buf_free(&msg);
	}
	if (rc == SFS_OK) {
		bundle_file *f = &in->files[in->nfiles++];
		f->name = xstrdup(name);
		f->size = data.len;
		f->data = data.len ? buf_detach(&data) : xstrdup("");
	}
	buf_free(&data);
	free(rel);
}

void offers_finish(item_ctx *c, const sfs_root *root, const char *body_html,
		   const fm_doc *doc)
{
	institution *in = c->in;
	collect_types(in);
	if (body_html && doc)
		want_linked(c, body_html, doc, "the body");
	if (!c->bundle)
		return;
	if (!c->wanted.n)
		return;
	qsort(c->wanted.v, c->wanted.n, sizeof *c->wanted.v, cmp_str);
	in->files = xcalloc(c->wanted.n, sizeof *in->files);
	for (size_t i = 0; i < c->wanted.n; i++)
		read_bundle_file(c, root, c->wanted.v[i]);
	const bundle_file *photo = in->photo.file ?
		inst_file(in, in->photo.file) : NULL;
	if (photo)
		image_size(photo->data, photo->size, &in->photo.width,
			   &in->photo.height);
}

/* ---- files: kinds and image sizes -------------------------------------- */

const char *file_kind_key(const char *name)
{
	static const struct {
		const char *ext, *key;
	} kinds[] = {
		{"pdf", "file_kind_pdf"}, {"doc", "file_kind_word"},
		{"docx", "file_kind_word"}, {"odt", "file_kind_odt"},
		{"rtf", "file_kind_rtf"}, {"txt", "file_kind_text"},
		{"xlsx", "file_kind_spreadsheet"},
		{"ods", "file_kind_spreadsheet"}, {"png", "file_kind_png"},
		{"jpg", "file_kind_jpeg"}, {"jpeg", "file_kind_jpeg"},
		{"webp", "file_kind_webp"}, {"gif", "file_kind_gif"},
		{"svg", "file_kind_svg"}, {"zip", "file_kind_zip"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof kinds / sizeof *kinds; i++)
		if (!strcasecmp(dot + 1, kinds[i].ext))
			return kinds[i].key;
	return "file_kind_other";
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)be16(p) << 16 | be16(p + 2);
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static unsigned long le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | le16(p);
}

static int set_size(unsigned long w, unsigned long h, int *width, int *height)
{
	if (!w || !h || w > 100000 || h > 100000)
		return -1;
	*width = (int)w;
	*height = (int)h;
	return 0;
}

/* JPEG: walk the markers to the first start of frame (ITU T.81, B.2). */
static int jpeg_size(const unsigned char *p, size_t n, int *w, int *h)
{
	size_t i = 2;
	while (i + 9 < n) {
		if (p[i] != 0xFF)
			return -1;
		unsigned m = p[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		size_t len = be16(p + i + 2);
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
			return set_size(be16(p + i + 7), be16(p + i + 5), w, h);
		if (len < 2)
			return -1;
		i += 2 + len;
	}
	return -1;
}

/* WebP: a RIFF file with a VP8, VP8L or VP8X chunk first. */
static int webp_size(const unsigned char *p, size_t n, int *w, int *h)
{
	if (n < 30)
		return -1;
	if (!memcmp(p + 12, "VP8 ", 4) && p[23] == 0x9D && p[24] == 0x01 &&
	    p[25] == 0x2A)
		return set_size(le16(p + 26) & 0x3FFF, le16(p + 28) & 0x3FFF, w, h);
	if (!memcmp(p + 12, "VP8L", 4) && p[20] == 0x2F) {
		unsigned long b = (unsigned long)p[21] | (unsigned long)p[22] << 8 |
				  (unsigned long)p[23] << 16 |
				  (unsigned long)p[24] << 24;
		return set_size((b & 0x3FFF) + 1, ((b >> 14) & 0x3FFF) + 1, w, h);
	}
	if (!memcmp(p + 12, "VP8X", 4))
		return set_size(le24(p + 24) + 1, le24(p + 27) + 1, w, h);
	return -1;
}

/* The number after name=" in the <svg> tag (px or no unit), or 0. */
static double svg_length(const char *tag, const char *name)
{
	char *pat = xasprintf(" %s=\"", name);
	const char *at = strstr(tag, pat);
	double x = 0;
	if (at) {
		char *end = NULL;
		x = strtod(at + strlen(pat), &end);
		if (*end != '"' && strncmp(end, "px\"", 3))
			x = 0;
	}
	free(pat);
	return x;
}

static int svg_size(const char *data, size_t n, int *w, int *h)
{
	char *text = xstrndup(data, n < 4096 ? n : 4096);
	char *tag = strstr(text, "<svg");
	int rc = -1;
	if (tag) {
		char *close = strchr(tag, '>');
		if (close)
			*close = '\0';
		for (char *p = tag; *p; p++)
			if (*p == '\n' || *p == '\t' || *p == '\r')
				*p = ' ';
		double sw = svg_length(tag, "width"), sh = svg_length(tag, "height");
		const char *vb = strstr(tag, " viewBox=\"");
		double x, y, vw, vh;
		if ((!(sw > 0) || !(sh > 0)) && vb &&
		    sscanf(vb + 10, "%lf %lf %lf %lf", &x, &y, &vw, &vh) == 4) {
			sw = vw;
			sh = vh;
		}
		if (sw >= 1 && sh >= 1 && sw <= 100000 && sh <= 100000)
			rc = set_size((unsigned long)lround(sw),
				      (unsigned long)lround(sh), w, h);
	}
	free(text);
	return rc;
}

/* image_size for the raster kinds alone: -1 for anything else. */
static int raster_size(const unsigned char *p, size_t n, int *width, int *height)
{
	if (n >= 24 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8) &&
	    !memcmp(p + 12, "IHDR", 4))
		return set_size(be32(p + 16), be32(p + 20), width, height);
	if (n >= 10 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
		return set_size(le16(p + 6), le16(p + 8), width, height);
	if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8)
		return jpeg_size(p, n, width, height);
	if (n >= 16 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
		return webp_size(p, n, width, height);
	return -1;
}

int image_size(const char *data, size_t n, int *width, int *height)
{
	const unsigned char *p = (const unsigned char *)data;
	if (raster_size(p, n, width, height) == 0)
		return 0;
	/* a raster picture without a size is no SVG either */
	if ((n >= 4 && !memcmp(p, "\x89PNG", 4)) || (n >= 4 && !memcmp(p, "GIF8", 4)) ||
	    (n >= 2 && p[0] == 0xFF && p[1] == 0xD8) ||
	    (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)))
		return -1;
	return svg_size(data, n, width, height);
}
