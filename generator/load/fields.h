/* fields.h - reading typed values out of front matter, shared by site.yml
 * (config.c) and the content records (records.c): text, booleans,
 * numbers and lists with messages that point at the value, "did you mean"
 * hints, and the shape checks for URLs, e-mail addresses and dates. */
#ifndef PM_FIELDS_H
#define PM_FIELDS_H

#include <stddef.h>

#include "../site.h"
#include "../util/buf.h"
#include "../util/diag.h"
#include "frontmatter.h"

/* Where a file's messages go. */
typedef struct field_ctx {
	const char *path; /* as messages show it */
	diags_t *d;
	int json;         /* the values are JSON's (fm_doc.json): messages
			     speak of JSON, not YAML */
} field_ctx;

/* ---- typed values: each reports a wrong type at the value ------------- */

/* Any scalar as trimmed text (a YAML "NO" is the text "NO", not false).
 * *out is NULL for an empty value (null, or only blanks). A list or a
 * mapping is an error. Returns 0 or -1; *out is freed and replaced. */
int field_text(field_ctx *c, const fm_node *v, char **out);
/* Like field_text, but empty is an error too ("name is empty"). */
int field_required_text(field_ctx *c, const fm_node *v, char **out);
int field_bool(field_ctx *c, const fm_node *v, int *out);
int field_number(field_ctx *c, const fm_node *v, double *out);

/* A list of scalars, or one scalar standing for a one-element list.
 * Sets *items and *n to view the values (no copy); null gives n = 0. A
 * mapping is an error: -1. A list or mapping as an item is an error at
 * the item, which is marked said (fm_node.said: every reader passes it
 * over), and the list is read: its other items are still checked. */
int field_list(field_ctx *c, const fm_node *v, const fm_node **items,
	       size_t *n);

/* ---- "did you mean" ---------------------------------------------------- */

typedef struct hint {
	const char *word;  /* what was written */
	const char *best;  /* the closest offer so far, or NULL */
	int best_dist;
} hint_t;

void hint_init(hint_t *h, const char *word);
/* Consider cand: kept when within a small edit distance (case-insensitive)
 * and closer than every earlier offer. */
void hint_offer(hint_t *h, const char *cand);
/* Append "; did you mean X?" to b when there is a hint. */
void hint_put(const hint_t *h, buf_t *b);
/* The closest of a NULL-ended list, or NULL. */
const char *hint_from(const char *word, const char *const *cands);

/* ---- shapes ------------------------------------------------------------ */

/* 0 when url is http:// or https:// with a host name (and optional port),
 * no user name or password, and holds no white space, control or
 * invisible characters (util/chars.h); otherwise -1 and *why says what is
 * wrong ("no host name" ...). */
int check_http_url(const char *url, const char **why);
/* What an editor probably meant by a URL written without its scheme
 * ("www.mak.ac.ug", "//chs.mak.ac.ug/about"): https:// in front, and a
 * "/" after a bare host, when that passes check_http_url and the host is
 * a dotted name ending in a top-level name of letters. NULL otherwise
 * (a URL with any scheme, "TBD", an address). Caller frees. */
char *url_suggestion(const char *s);
/* Report, at v, that url (v's text, trimmed) is not an http(s) URL
 * because of why (from check_http_url):
 *   website must be an http(s) URL (why); did you mean https://...?
 * with url_suggestion's guess when there is one, else ending with
 * otherwise (such as ", such as https://www.example.org/", or ""). */
void field_bad_url(field_ctx *c, const fm_node *v, const char *url,
		   const char *why, const char *otherwise);
/* url (checked by check_http_url) as RFC 3986 writes it: every byte after
 * the host that a URI may not hold as it is (a quote, <, >, a space, a
 * second #, non-ASCII, a % not starting %XX ...) percent-encoded, so the
 * URL is the same in an attribute, a CSV cell or a feed. Fresh string. */
char *url_normalise(const char *url);

/* 0 when s is a plain e-mail address: RFC 5322's addr-spec in its
 * dot-atom form (section 3.4.1), local@domain, with
 *   - a local part of at most 64 letters, digits and ! # $ ' * + - / = ^
 *     _ ` { | } ~, dots between them; no %, ? or & (they let one address
 *     smuggle others, or a subject and body, into a mailto: link), no
 *     spaces, quotes, comments or angle brackets;
 *   - a domain of two or more ASCII labels (international ones in their
 *     xn-- form), ending in a top-level name.
 * Otherwise -1, with what is wrong appended to why ("no spaces"). */
int check_email(const char *s, buf_t *why);
/* What the editor probably meant, when s is an address wrapped in
 * something (mailto:, "Name <...>", ?subject=..., %40 for @) and the
 * address inside passes check_email; else NULL. Caller frees. */
char *email_suggestion(const char *s);
/* The years a date of a site may fall in: no partnership, offer or
 * update is older or that far ahead, and a year outside is a typing
 * slip (0001-01-01, 20225-01-01 cut short). */
#define PM_DATE_YEAR_MIN 1900
#define PM_DATE_YEAR_MAX 2200

/* 0 when s is YYYY-MM-DD and a real calendar date within
 * PM_DATE_YEAR_MIN..PM_DATE_YEAR_MAX. -1 for the wrong shape, -2 for a
 * date that does not exist (2019-02-30), -3 for a year outside. */
int check_date(const char *s);
/* The YYYY-MM-DD date an editor surely meant by s into out, when check_date
 * refuses s: "2026-9-5", "15/09/2026" or "15.09.2026" (a day past 12
 * first), "09/15/2026" (a day past 12 second), "2026-09-15T10:00" (a
 * time after the date). 1 when out holds a real date, 0 when s is none of
 * these or could be two dates ("05/06/2026"). */
int field_date_meant(const char *s, char out[11]);
/* What check_date found (rc, not 0) wrong with text, the value v of key
 * `key`, as an error at v. forms: how the value may be written ("a date
 * written YYYY-MM-DD"), for the wrong shape. */
void field_date_error(field_ctx *c, const fm_node *v, const char *key,
		      const char *text, int rc, const char *forms);
/* The length of the plain decimal number s starts with: digits, then
 * optionally a point and digits ("12", "2.50"); 0 when s does not start
 * with a digit. *decimals (may be NULL): the digits after the point.
 * Numbers an editor writes are read in this one form: no sign, blank,
 * exponent (1e3), hexadecimal (0x10), octal (0o10) or binary prefix,
 * which YAML would otherwise read as numbers a reader of the page does
 * not see. */
size_t field_decimal_len(const char *s, int *decimals);
/* The length of the number s starts with as an editor may type it: an
 * optional sign, digits, then optionally point ('.', or ',' for a
 * decimal comma) and digits ("-6.26"; "-6,26" with ','); 0 when s does
 * not start with one. For reading what was meant, not for a value. */
size_t field_signed_len(const char *s, char point);
/* 1 when s is a whole number in decimal digits, nothing else ("12");
 * with sign set, a leading '-' is allowed ("-3"). */
int field_is_whole(const char *s, int sign);
/* s without the leading zeros of its numbers ("010" is "10", "04-08
 * weeks" is "4-8 weeks", "-007" is "-7"; the digits after a point are
 * kept: "0.05"), as a fresh string; NULL when no number of s has one. */
char *field_without_leading_zeros(const char *s);
/* Whether the field reading a value would take text as it is (1) or
 * not (0): what field_number_fits asks of the fix it would suggest. */
typedef int (*field_fits)(const char *text);
/* An error at v, a number an editor wrote, when it reads as something
 * they did not mean, saying what to write (what names the value):
 *   - thousands commas, where a number ends at the first comma (text in
 *     a block, two values inside { } or [ ], which the front matter
 *     reader refuses):
 *       capacity '1,000' has a thousands separator, which a number may
 *       not hold; write 1000, without the comma
 *   - a leading zero, which YAML readers take for different numbers
 *     (YAML 1.1, yaml.org/type/int.html: 010 is octal, 8; YAML 1.2's
 *     core schema: 10), so it is refused rather than guessed:
 *       page_size '010' has a leading zero, which YAML readers disagree
 *       on (YAML 1.1 reads 010 as the octal number 8, YAML 1.2 as 10);
 *       write 10
 *     (in JSON front matter, which allows no leading zero (RFC 8259,
 *     section 6), it says so instead of speaking of YAML);
 *     and, in a number with a decimal point, which both read alike, to
 *     keep every number written one way:
 *       latitude '09.5' has a leading zero, which numbers are written
 *       without (a whole number with one is read two ways by YAML);
 *       write 9.5
 * The fix is given only when fits (NULL: any) takes it; when it does not
 * ("00" for a capacity of at least 1, "10,000,000" above its most),
 * nothing is said here and the field's reader gives its own error, which
 * names the values it allows. -1 after the error, else 0 (a list or
 * mapping is left to the reader). */
int field_number_fits(field_ctx *c, const fm_node *v, const char *what,
		      field_fits fits);
/* A number written in quotes where a number goes (v a string holding a
 * plain decimal number, "20" or "-1.29", which YAML reads as text):
 * told at v, "WHAT '20' is text in quotes: write the number without
 * them", and -1; else 0. A number the field would refuse without its
 * quotes (fits, when not NULL, says no) is told what the field takes in
 * the same message, so that one fix ends both: "capacity '00' is text in
 * quotes, and 0 is not RULE either: write one such number, without the
 * quotes". rule: what the field takes ("a whole number from 1 to
 * 10000"). For fields that take numbers alone (not months: "3" and
 * "March" are both words there). */
int field_number_quoted(field_ctx *c, const fm_node *v, const char *what,
			field_fits fits, const char *rule);
/* field_number_fits with every fix taken (fits NULL). */
int field_number_written(field_ctx *c, const fm_node *v, const char *what);
/* 0 when s matches ^[a-z0-9]+(-[a-z0-9]+)*$ */
int check_slug(const char *s);
/* The slug a translation file's name translates: name is "<slug>.<lang>"
 * (a file name without its ".md", or a word of front matter naming a
 * record), slug as check_slug takes it and lang as check_language_tag
 * does ("africa.fr" -> "africa"). A fresh string, or NULL when name has
 * not that shape. */
char *translation_slug(const char *name);

/* 0 when s has the shape of a BCP 47 language tag (RFC 5646, section
 * 2.1): a primary language of 2 or 3 letters, then subtags of 1 to 8
 * letters and digits after single dashes ("en", "pt-BR", "zh-Hant"; not
 * "zzq0" or "en--GB"). -1 otherwise. */
int check_language_tag(const char *s);
/* When tag's language is one of ISO 639's codes for what is no language
 * a text is written in, what it stands for, as a static phrase: "no
 * linguistic content" (zxx), "several languages" (mul), "a language
 * without a code" (mis), "an undetermined language" (und); CLDR names
 * them all. Else NULL. */
const char *language_is_none(const char *tag);
/* Write the tag s (of check_language_tag's shape) in place in the case
 * RFC 5646 section 2.1.1 recommends: "pt-br" -> "pt-BR", "ZH-hant-tw" ->
 * "zh-Hant-TW", "EN-x-Latn" -> "en-x-latn". Every subtag is lower case
 * but a two-letter one (a region: upper case) or a four-letter one (a
 * script: first letter upper case) that is neither first nor after a
 * singleton (an extension or private use). Only the case changes: a
 * deprecated subtag ("iw") stays as written, unlike ICU's
 * uloc_toLanguageTag round trip, which would also rename the language's
 * folder ("he"). */
void language_tag_case(char *s);
/* The tag a locale's name such as "en_US" or "pt_br" stands for, in
 * language_tag_case's case ("en-US", "pt-BR"), into out (n bytes): 0
 * when tag is no language tag but would be one with dashes for its
 * underscores; else -1. */
int language_tag_of_locale(const char *tag, char *out, size_t n);

/* ---- lists of fixed words ---------------------------------------------- */

/* Most words a message lists: past them, "or one of N more". */
#define FIELD_WORDS_LISTED 24
/* Most unknown words of one list told one by one (field_words). */
#define FIELD_UNKNOWN_TOLD 10
/* Most broken links of one text told with a hint (the nearest name of the
 * site, or of the page bundle): each hint is a search of all of them. */
#define FIELD_LINK_HINTS 100

/* "a, b or c" for the NULL-ended words; past FIELD_WORDS_LISTED of them,
 * "a, b, ..., l or one of N more" (a site.yml may list thousands); each
 * word cut as a message quotes a value (DIAG_QUOTE). */
void field_join_words(buf_t *b, const char *const *words);
/* Index of word in words (ASCII case ignored), or -1. */
int field_word_index(const char *word, const char *const *words);
/* Items of one list that repeat an earlier one: the first
 * FIELD_UNKNOWN_TOLD are told one by one; one warning at the next tells
 * how many more there are (a list of the same word a thousand times
 * would print a thousand lines). */
typedef struct field_twice {
	size_t n;              /* repeats so far */
	const fm_node *first;  /* the first of them not told on its own */
	int first_line;        /* the line of the item it repeats */
	char *word;            /* its word (owned) */
} field_twice;
#define FIELD_TWICE_INIT {0, NULL, 0, NULL}
/* The warning listed-twice at dup, the later of two items of one list
 * that say the same `what` 'word': "discipline 'x' is listed twice (first
 * at line 4): delete this one", while t has told fewer than
 * FIELD_UNKNOWN_TOLD; past them, counted in t. first_line is the earlier
 * item's line in the same file. */
void field_listed_twice(field_ctx *c, field_twice *t, const fm_node *dup,
			int first_line, const char *what, const char *word);
/* The one warning for the repeats t did not tell, if any: "network 'x'
 * and N more from here on in this list are listed twice too: delete
 * them" (the one alone as field_listed_twice tells it); t is emptied. */
void field_twice_end(field_ctx *c, field_twice *t, const char *what);
/* The items of one list (from field_list) grouped by what they say,
 * blanks at the ends and ASCII case aside, for field_repeats: sorted
 * once, so that a list of thousands is not compared item by item with
 * every earlier one (quadratic: seconds for one record). */
typedef struct field_same {
	const fm_node *items;
	size_t n;
	size_t *ord;     /* the scalar items' indices, by text, then index */
	size_t *group;   /* for each item, where its group starts in ord (or
			    (size_t)-1 for a non-scalar or an empty
			    one, told as empty) */
	size_t *cursor;  /* for each group start, the first member that may
			    still be the first said and not marked said */
	field_twice twice; /* the repeats told */
} field_same;
void field_same_init(field_same *s, const fm_node *items, size_t n);
/* Say the repeats not told (field_twice_end, of `what` as field_repeats
 * was asked) and free s. */
void field_same_end(field_ctx *c, field_same *s, const char *what);
/* Whether items[i] (s's, taken in order) says what an earlier item not
 * marked said says: then 1, after the listed-twice warning at it
 * (field_listed_twice); else 0. Items are asked about in increasing i,
 * each once. */
int field_repeats(field_ctx *c, field_same *s, size_t i, const char *what);

/* Unknown words of one list: the first FIELD_UNKNOWN_TOLD are told one by
 * one; one error at the next tells how many more there are (a list of
 * thousands of wrong words would print megabytes). */
typedef struct field_untold {
	size_t unknown;        /* unknown words so far */
	const fm_node *first;  /* the first of them not told on its own */
} field_untold;
#define FIELD_UNTOLD_INIT {0, NULL}
/* Count an unknown word at item: 1 when it is to be told on its own. */
int field_untold_take(field_untold *u, const fm_node *item);
/* The one error for the words not told, if any: "'x' and N more …
 * are no known <what> either". */
void field_untold_end(field_ctx *c, const field_untold *u, const char *what);
/* An error at `at`: unknown <what> 'word' (expected a, b or c); did you
 * mean b? */
void field_unknown_word(field_ctx *c, const fm_node *at, const char *what,
			const char *word, const char *const *words);
/* One word drawn from words (NULL-ended; ASCII case ignored): its index
 * in words, or -1 after an error at v (an empty value, or an unknown
 * <what> as field_unknown_word says it). */
int field_word(field_ctx *c, const fm_node *v, const char *const *words,
	       const char *what);
/* A list drawn from words (NULL-ended, any length), read into out in
 * the order of words, so that every page lists them the same way. An
 * unknown word is an error at it (the first FIELD_UNKNOWN_TOLD; one error
 * at the next says how many more there are), a word listed twice a listed-twice
 * warning. Returns how many items were written, right or wrong (1 for a
 * value that is no list, which was reported). */
size_t field_words(field_ctx *c, const fm_node *v, strlist *out,
		   const char *const *words, const char *what);

/* An e-mail address (check_email) into *out (NULL when empty); a wrong
 * one is an error at v naming v's key ("email" for a list item), with
 * email_suggestion's guess. 0, or -1 after an error. */
int field_email(field_ctx *c, const fm_node *v, char **out);

/* Strip blanks (space, tab, CR, LF) at both ends, in place. */
void trim_in_place(char *s);

/* A name made of words joined by sep, as a label: the first letter in
 * upper case (ASCII), each sep a space. "tropical-medicine" with '-' is
 * "Tropical medicine", "sample_note" with '_' is "Sample note". A fresh
 * string the caller frees. */
char *label_of_name(const char *name, char sep);

#endif
