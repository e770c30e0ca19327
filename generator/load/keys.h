/* keys.h - the keys of every kind of document, one table per kind:
 * site.yml (and its map: mapping), an institution, a network, a page.
 *
 * A row says what a key holds, whether it must be there, which function
 * reads it, a one-line help text and an example. The tables are the one
 * place a key is spelled: they drive the readers' dispatch (config.c,
 * records.c), the "did you mean" hints for unknown keys, the checks for
 * required keys, the fields `partnermap new` asks an editor to fill in,
 * and everything `partnermap schema` prints (a JSON Schema, the README's
 * field reference, Front Matter CMS content types). A key added to a
 * table is known to all of them at once.
 *
 * The tables themselves live beside their readers (keys_site and
 * keys_map in config.c, the record kinds in records.c); keys.c holds what
 * works on any table. Everything here is static and read-only. */
#ifndef PM_KEYS_H
#define PM_KEYS_H

#include <stddef.h>

#include "../site.h"
#include "fields.h"
#include "frontmatter.h"

/* What a key holds. The name of each (key_type_name) is what the field
 * reference shows; the JSON Schema of each is in scaffold/schema.c. */
typedef enum key_type {
	KT_TEXT,     /* one line of text (any scalar, read as text) */
	KT_URL,      /* an http(s) URL (fields.h: check_http_url) */
	KT_EMAIL,    /* one plain e-mail address (fields.h: check_email) */
	KT_DATE,     /* a calendar date, YYYY-MM-DD */
	KT_COUNTRY,  /* an ISO 3166-1 alpha-2 country code */
	KT_LOCATION, /* [latitude, longitude] in degrees, WGS 84 */
	KT_SLUGS,    /* a list of network slugs (content/networks/<slug>.md) */
	KT_WORDS,    /* a list of words drawn from the row's values */
	KT_WORD,     /* one word of the row's values */
	KT_BOOL,     /* true or false */
	KT_INT,      /* a whole number within [min, max] */
	KT_NUMBER,   /* a number within [min, max] (KEY_MIN_EXCLUSIVE: (min, max]) */
	KT_COLOUR,   /* "#rrggbb" */
	KT_LANGUAGE, /* a language tag such as en or pt-BR (BCP 47) */
	KT_FOLDER,   /* the name of a folder (a theme), not a path */
	KT_PATH,     /* a file inside the site folder, relative to it */
	KT_MAPPING,  /* a mapping whose keys are the row's sub-table; with
			values, also one of those words ("fee: waived") */
	KT_ITEMS,    /* a list of mappings of the row's sub-table; an item
			may also be a scalar, standing for the sub-table's
			first key ("electives: [clinical]", "forms: [a.pdf]") */
	KT_TEXTS,    /* a list of lines of text */
	KT_LANGUAGES,/* a list of language tags (BCP 47, RFC 5646) */
	KT_TERMS,    /* a list of slugs of site.yml's disciplines: */
	KT_MARKDOWN, /* Markdown, rendered safely as the body is */
	KT_WEEKS,    /* weeks: a whole number or a range "4-8", in [min, max] */
	KT_MONTHS,   /* a list of months: 1-12 or English names ("Sept") */
	KT_DEADLINE, /* a date YYYY-MM-DD, or "N weeks" ahead */
	KT_CURRENCY, /* an ISO 4217 alphabetic code (load/currencies.h) */
	KT_FILE,     /* the name of a file beside the record (a page bundle) */
	KT_SIZE,     /* a size in bytes: a number, or "500 KB", "5 MB" */
	KT_LIST      /* a list of mappings of the row's sub-table, and only
			that (no short form): site.yml's countries: */
} key_type;

/* Row flags. */
#define KEY_REQUIRED 1u       /* absent: an error */
#define KEY_UNLESS_POINTS 2u  /* with KEY_REQUIRED: not required when
				 site.yml's map.points can give it */
#define KEY_MIN_EXCLUSIVE 4u  /* KT_NUMBER: min itself is not allowed */

struct rec_ctx; /* one record being read (records.c) */
struct item_ctx; /* one nested mapping being read (offers.h) */

/* The function that reads a key's value into the model. One member is
 * set, the one of the table's kind (an institution's row may use item
 * instead, for keys read by offers.c); none when the key is read before
 * the dispatch (an institution's draft). */
typedef struct key_reader {
	void (*site)(field_ctx *c, const fm_node *v, site_config *cfg);
	void (*map)(field_ctx *c, const fm_node *v, map_config *map);
	void (*inst)(struct rec_ctx *c, const fm_node *v, institution *in);
	void (*net)(struct rec_ctx *c, const fm_node *v, network *net);
	void (*page)(struct rec_ctx *c, const fm_node *v, page *pg);
	/* a nested table (an offer, a fee, a form ...): into is the struct
	 * the table's kind names (offers.h) */
	void (*item)(struct item_ctx *c, const fm_node *v, void *into);
} key_reader;

/* What a row without a reader function holds, when it goes straight
 * into a member of the struct its table fills (the site_config, the
 * map_config, an offer, a contact ...): keys_store reads every such row
 * the same way, at byte offset `at` (offsetof) of that struct. */
typedef enum key_store {
	KS_NONE,     /* a reader function reads it, or its caller by hand */
	KS_TEXT,     /* char *: a line of text (fields.h: field_text; with
			KEY_REQUIRED, field_required_text: never empty) */
	KS_EMAIL,    /* char *: one e-mail address (fields.h: field_email) */
	KS_BOOL,     /* int: 1 or 0 (fields.h: field_bool) */
	KS_MARKDOWN  /* char *: the value's Markdown as safe HTML, rendered
			as the body is (load.h: markdown_to_html) */
} key_store;

struct key_table;

/* One key. Strings are static. */
typedef struct key_spec {
	const char *key;
	key_type type;
	unsigned flags;            /* KEY_* */
	const char *const *values; /* KT_WORD, KT_WORDS: the words allowed,
				      NULL-ended, in the order pages list them;
				      KT_MAPPING: words written in its place */
	key_reader read;
	key_store store;           /* with no reader: how keys_store reads it */
	size_t at;                 /* KS_*: offsetof the member it fills */
	const char *help;          /* one line, lower case, no final stop:
				      it also ends messages, in parentheses */
	const char *example;       /* a value as YAML writes it: the reader
				      accepts it (tests/unit/test_keys.c) */
	const char *dflt;          /* YAML: what an absent key means, or NULL */
	double min, max;           /* KT_INT, KT_NUMBER */
	const struct key_table *sub; /* KT_MAPPING, KT_LIST: the keys inside */
	const char *const *aliases; /* NULL-ended names editors write for this
				      key ("homepage" for website), or NULL:
				      an unknown key that is one gets the hint */
} key_spec;

/* The keys of one kind of document, in the order messages, the field
 * reference and `partnermap new` list them. */
typedef struct key_table {
	const char *kind;   /* "site", "map", "institution", "network", "page" */
	const char *title;  /* "Institution", for headings and schema titles */
	const char *where;  /* where such a document is written:
			       "content/institutions/<slug>.md", "site.yml",
			       "site.yml, under map:" */
	const char *folder; /* records: the content folder ("content/networks");
			       NULL for site.yml and map */
	const char *about;  /* one sentence on the document */
	const char *noun;   /* how messages call a key: "field" or "key" */
	const key_spec *keys;
	size_t n;
} key_table;

/* In a key_table's initialiser: its rows, an array of key_spec, and how
 * many there are. */
#define KEY_ROWS(rows) .keys = (rows), .n = sizeof(rows) / sizeof *(rows)

/* In a key_spec's initialiser: the row is read by keys_store, as `how`
 * (a key_store) into member of the struct type its table fills. */
#define KEY_MEMBER(how, type, member) .store = (how), .at = offsetof(type, member)

extern const key_table keys_site, keys_map, keys_checks; /* config.c */
extern const key_table keys_country, keys_country_basemap; /* config.c */
extern const key_table keys_institution, keys_network, keys_page; /* records.c */
extern const key_table keys_offer, keys_fee, keys_contact, keys_form,
	keys_photo, keys_discipline; /* offers.c */

/* The tables of the documents an editor writes, in the order the field
 * reference shows them: site, institution, network, page (map is reached
 * through site's map row). NULL-ended. */
extern const key_table *const keys_documents[];

/* The table of a document kind ("site", "institution", "network",
 * "page"; also "map"), or NULL. */
const key_table *keys_table(const char *kind);

/* Whether some table reads key as one text (KT_TEXT, KT_MARKDOWN), not
 * a list: "housing", "name". */
int keys_one_text(const char *key);

/* Whether key[0..n) is a key or an alias of any table, of any kind of
 * document or nested mapping (not case-folded): what a line under a
 * value may mean as a key of its own (yamlerr.c). */
int keys_known_anywhere(const char *key, size_t n);

/* Whether key's value is text to some table (KT_TEXT, KT_TEXTS,
 * KT_MARKDOWN), or key is in none, and may be anything: 0 when every
 * table that has it reads a word, a code, a number, a date, an address or
 * a list of such (frontmatter.c: a '#' and a digit after such a value is
 * a note, not text cut short). */
int keys_text_anywhere(const char *key);

/* The row of key in t (an exact, case-sensitive match, as keys are read),
 * or NULL. */
const key_spec *keys_find(const key_table *t, const char *key);

/* The row whose aliases hold key (ASCII case ignored), or NULL. */
const key_spec *keys_alias_of(const key_table *t, const char *key);

/* Warn, at the key, that v's key is not one of t's:
 *   unknown key 'websit' (ignored); did you mean website?
 * The hint is the closest key by spelling, else the key an alias stands
 * for; there is none when nothing is close. */
void keys_unknown(field_ctx *c, const fm_node *v, const key_table *t);
/* keys_unknown for v, a key of map: when a key above it in map has no
 * value, and v's key is one of that key's own (photo: then file: lined
 * up under it), the warning says so, and to indent it:
 *   'file' is a key of photo, on line 8, which has no value: indent it
 *   under photo
 * an error (not an unknown-key warning, which checks: may silence): the
 * value meant would be lost. */
void keys_unknown_in(field_ctx *c, const fm_node *map, const fm_node *v,
		     const key_table *t);

/* An error at line:col for every row of t flagged KEY_REQUIRED (but not
 * KEY_UNLESS_POINTS, which its reader's caller checks) that map lacks,
 * in table order: see keys_missing. */
void keys_require(field_ctx *c, const fm_node *map, const key_table *t,
		  int line, int col);

/* Report that k is absent from map, at line:col, as an error:
 *   missing required field 'city' (the city, as visitors would write it);
 *   add a line such as city: Kampala
 * using t's noun, k's help and k's example; or, when a quoted value of
 * map ran on over a line "city:" (fm_node.took_in), naming that value
 * and its line, the cause to fix. */
void keys_missing(field_ctx *c, const fm_node *map, const key_table *t,
		  const key_spec *k, int line, int col);

/* Read v into the member k->store and k->at name in into (the struct
 * k's table fills; the text is malloc'd and owned by it), reporting a
 * wrong value to c as the field_* readers do. 1 when k is such a row,
 * 0 (nothing read) when k->store is KS_NONE. */
int keys_store(field_ctx *c, const fm_node *v, const key_spec *k, void *into);

/* 1 when k's reader takes an empty value ("key:" with nothing after it,
 * null) as if the key were left out; 0 when that is an error or a
 * warning (a required key, a boolean, a colour: "colour: #0072b2"
 * unquoted is a YAML comment). tests/unit/test_keys.c holds every reader
 * to this. */
int key_accepts_null(const key_spec *k);

/* "text", "URL", "list of network slugs" ... as the field reference
 * names a type (the values of KT_WORD and KT_WORDS are not included). */
const char *key_type_name(key_type t);

#endif
