/* offers.h - an institution's elective offers and the fields that tell a
 * visiting student more (professions, languages, housing, photo, when
 * the information was last confirmed), the files of its page bundle,
 * and site.yml's disciplines: vocabulary.
 *
 * Every key is a row of a table in offers.c (keys_offer, keys_fee,
 * keys_contact, keys_form, keys_photo, keys_discipline: load/keys.h), so
 * the checks, hints, JSON Schema and field reference follow them. Nested
 * rows read through key_reader.item with an item_ctx. */
#ifndef PM_OFFERS_H
#define PM_OFFERS_H

#include "../site.h"
#include "../util/safefs.h"
#include "fields.h"
#include "keys.h"

/* One record (or site.yml) whose nested mappings are being read. */
typedef struct item_ctx {
	field_ctx f;
	const site_config *cfg;      /* the disciplines, max_file_size */
	institution *in;             /* NULL in site.yml */
	const sfs_listing *bundle;   /* the page bundle's entries, or NULL
					for a record <slug>.md */
	const char *bundle_shown;    /* "content/institutions/<slug>/" */
	strlist wanted;              /* bundle files the record names */
} item_ctx;

/* 1 when name ends in the extension of a kind of file a page bundle
 * publishes (util/media.h: documents, images, sound, video, ZIP), in any
 * case, else 0. */
int offers_published_kind(const char *name);

/* 1 when a body link's bare name is a web page's (.html, .md, .php...),
 * which a page bundle never publishes: the editor meant a page. */
int offers_page_name(const char *name);
/* When a body link's bare name is a page bundle's record or one of its
 * translations (index.md, index.fr.md), which are never published: what
 * to write instead, as a sentence tail; else NULL. */
const char *offers_own_record(const char *name);
/* 1 when a body link's bare name is an e-mail address (a@b.org), which
 * a link writes mailto:a@b.org. */
int offers_email_like(const char *name);
/* A free page's or a network's body html, whose file at path (doc) is a
 * "page" or a "network" (kind): it has no files beside it, so every link
 * offers_linked_files finds would be broken; each is an error at itself
 * in d, saying what to write. */
void offers_check_free_links(const char *html, const fm_doc *doc,
			     const char *path, const char *kind,
			     const char *base_url, diags_t *d);
/* Why a link's address addr (as the rendered body writes it: a '\' as
 * %5C) that holds a backslash is wrong, as a fresh sentence tail for
 * "the body links to '<addr>', ..." that gives the address with '/' for
 * each; NULL when it holds none. A backslash is no folder separator on
 * the web (RFC 3986), though browsers read it as one and servers not. */
char *offers_backslashed(const char *addr);
/* "; <n> more links to it in <who>" ("the body", "housing"), the end of
 * a message told at the first of a body's links to one target, which
 * has n more; "" for n 0. In a buffer of the calling thread's, good
 * until its next call (a static "" for 0). */
const char *offers_more(size_t n, const char *who);
/* What to write instead of a link to such a name: a sentence tail, in a
 * buffer of the calling thread's, good until its next call. */
const char *offers_page_hint(const char *name);

/* The files the rendered body html links by a bare name (no scheme or
 * folder; a leading ./, a query or a fragment left off; its address
 * decoded: '&amp;' and cmark's percent-encoding), and the links relative
 * to the page that no file could answer (linked_file.broken: why, told
 * for an institution's page, or for a free page's or network's when
 * free_kind names it, "page" or "network"), each with where doc's body
 * writes it (else the body's start), into *out (the caller frees each
 * name, broken and the array). Their count. */
size_t offers_linked_files(const char *html, const fm_doc *doc,
			   const char *free_kind, linked_file **out);

/* The links of the rendered body html to the site's own pages, which
 * offers_linked_files passes over: rooted (/map/networks/), climbing
 * (../<slug>/) or, when base_url is not NULL, full addresses on its host
 * (https://<host>/map/networks/, http: or //<host> too), decoded as
 * offers_linked_files decodes, without query or fragment, in the order
 * it finds links. A fresh NULL-ended array of fresh strings in *out (NULL
 * when none); their count. */
size_t offers_site_links(const char *html, const char *base_url, char ***out);

/* The distinct addresses of v[0..n) (offers_site_links's), each kept at
 * the place of its first, in their order: v is compacted in place, each
 * later equal string freed and the places after the last kept set NULL;
 * more[k] (room for n) is how many equal ones followed the k-th kept.
 * Their count. Linear in n. */
size_t offers_distinct_links(char **v, size_t n, size_t *more);

/* What Markdown doc (a body, or a Markdown value) holds that no page
 * shows as written, parsed once for both, each told at its place in path
 * (or at *at for all, when not NULL), saying that `who` ("the body",
 * "requirements") holds it; past FIELD_UNKNOWN_TOLD of each, one message
 * tells the rest:
 *   - raw HTML, which markdown_to_html leaves out (cmark's safe mode;
 *     CommonMark 0.30, sections 4.6 and 6.6): a raw-html warning at each
 *     element or HTML block, saying what Markdown does the same; comments
 *     and closing tags are not told;
 *   - numeric character references (section 6.2: "&#x202E;", "&#1;"),
 *     outside code and raw HTML and not escaped, that name a character
 *     no page may hold: one the loader refuses written as it is (a
 *     control character or noncharacter, a bidi control: util/chars.h),
 *     or none at all (0, a surrogate, past U+10FFFF), which cmark shows
 *     as U+FFFD: an error each. */
void offers_check_text(const fm_doc *doc, const char *path, const char *who,
		       const srcpos *at, diags_t *d);
/* offers_check_text for Markdown value v, at their places when the file
 * writes its text as it is (offers_value_doc), else at v. */
void offers_check_value_refs(const fm_node *v, const char *path, diags_t *d);

/* A Markdown value v (housing:, an offer's requirements:) as a body to
 * place links in, into *out (borrowing v's text): its text where the
 * file writes it as it is (on one line, or a literal block line by
 * line), else empty, so that every link is told at the value. */
void offers_value_doc(const fm_node *v, fm_doc *out);

/* Where doc's body writes each of the link destinations addr[0..n)
 * (decoded, as offers_site_links gives them, in the order the body has
 * them; a repeated one at its next place), outside code, into line[i]
 * and col[i] (the body's start when not found). */
void offers_place_links(const fm_doc *doc, char *const *addr, size_t n,
			int *line, int *col);

/* A linked_file that is a picture from another site (remote set; not on
 * base_url's host): a REMOTE_IMAGE warning at it, in path, that says
 * who ("the body", "housing") shows it, and 1; 1 and nothing said for a
 * picture at the site's own address; else 0, and nothing said. */
int offers_remote_image(const linked_file *f, const char *who,
			const char *base_url, const char *path, diags_t *d);

/* The language tag meant by name, written where a tag goes, with why it
 * is not that tag in *why (a static clause whose subject is name): a
 * language's English name ("French", "portuguese": fr, pt), a
 * three-letter ISO 639-2 code of a language BCP 47 writes with two
 * letters ("fre", "deu-CH": fr, de-CH; RFC 5646 section 2.2.1), or a
 * language subtag or whole tag the IANA registry marks deprecated ("iw",
 * "iw-IL", "art-lojban": he, he-IL, jbo; section 3.1.6). Matched without
 * regard to case; a code's other subtags are kept as written. A fresh
 * string (the caller frees it), or NULL (*why untouched). */
char *offers_language_tag_for(const char *name, const char **why);

/* The types of elective offer, in display order, NULL-ended. */
extern const char *const offer_types[];

/* The months' English names, January first, NULL-ended. */
extern const char *const offer_month_names[];

/* The readers of the institution's rows (records.c's table), through
 * key_reader.item with the institution as into. */
void offers_read_electives(item_ctx *c, const fm_node *v, void *into);
void offers_read_professions(item_ctx *c, const fm_node *v, void *into);
void offers_read_instruction(item_ctx *c, const fm_node *v, void *into);
void offers_read_housing(item_ctx *c, const fm_node *v, void *into);
void offers_read_photo(item_ctx *c, const fm_node *v, void *into);
void offers_read_updated(item_ctx *c, const fm_node *v, void *into);

/* site.yml: disciplines: and max_file_size: (rows of keys_site). */
void offers_read_disciplines(field_ctx *c, const fm_node *v,
			     site_config *cfg);
void offers_read_max_file_size(field_ctx *c, const fm_node *v,
			       site_config *cfg);
/* Fill what site.yml left out: the built-in vocabulary of disciplines
 * and the default max_file_size (PM_DEFAULT_MAX_FILE_SIZE). */
void offers_defaults(site_config *cfg);

/* The name of discipline slug in cfg, or slug itself when it has none. */
const char *offers_discipline_name(const site_config *cfg, const char *slug);

/* The digits after the point an amount in the ISO 4217 currency `code`
 * ("EUR") has: its minor unit (2 for EUR, 0 for JPY, 3 for BHD), from
 * ICU's currency data; 2 for a code ICU does not know. */
int offers_currency_digits(const char *code);

/* After the record's keys were read: the types of in->offers into
 * in->electives; then every bundle file in c->wanted (and every file of
 * the bundle the body links to by a bare name) read through root into
 * in->files (util/safefs.h, SFS_BUNDLE), each larger than
 * cfg->max_file_size a large-file warning. body_html is the record's
 * rendered body, or NULL, and doc the front matter and body it was read
 * from: a body link by a bare name to a file the bundle lacks or does
 * not publish, or from a record that is no bundle, is an error at the
 * link. Then the photo's size from its header. */
void offers_finish(item_ctx *c, const sfs_root *root, const char *body_html,
		   const fm_doc *doc);

/* width and height in pixels of the PNG, GIF, JPEG, WebP or SVG image in
 * data (read from its header: PNG's IHDR, JPEG's SOF, WebP's VP8/VP8L/
 * VP8X, SVG's width and height or viewBox). 0, or -1 when they cannot
 * be told. */
int image_size(const char *data, size_t n, int *width, int *height);

/* The translation key naming the kind of file a name's ending tells
 * ("form.PDF" -> "file_kind_pdf", "a.docx" -> "file_kind_word"), for
 * "Application form (PDF, 180 KB)"; "file_kind_other" when not known.
 * Every key is in each themes/default/i18n/<lang>.yml. A static string. */
const char *file_kind_key(const char *name);

#endif
