/* i18n.h - the words a site shows, in its language.
 *
 * A theme ships one translation file per language, i18n/<lang>.yml: a
 * mapping from a key to a text, or to a mapping of plural forms (CLDR's
 * categories zero, one, two, few, many, other) for a text that goes with
 * a number. A site may override any key in its own i18n/<lang>.yml. A text
 * is plain text (never HTML) and may hold Mustache tags such as {{name}},
 * filled from where the text is used.
 *
 * English is the base: the default theme's en.yml is compiled in (a theme
 * without i18n/ still works), a theme's own en.yml overrides it, and every
 * key of it must be in every other language's file; a missing key or
 * plural form is a warning [missing-translation] and the English text (or the
 * language's "other" form) is shown. A language without a file is a
 * warning [unknown-language] and the site is built in English.
 *
 * Every text becomes a template of the theme's set: "i18n.<key>" for a
 * plain text, which templates include as a partial ({{>i18n.home}}), and
 * "i18n.<key>.<category>" for each plural form, which the C code picks.
 * Literal text is HTML-escaped as it is compiled (& < > "), so a partial
 * is safe in an element or a double-quoted attribute.
 *
 * Plural categories come from CLDR's plural rules, dates and numbers from
 * CLDR's patterns and digits, both through ICU with an explicit locale and
 * time zone (UTC): nothing depends on the machine's locales, LANG, LC_ALL
 * or TZ. An i18n may be used from several threads at once. */
#ifndef PM_I18N_H
#define PM_I18N_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "../site.h"
#include "../util/diag.h"
#include "../util/safefs.h"
#include "mustache.h"

typedef struct i18n i18n;

/* Where the translations come from. */
typedef struct i18n_source {
	const sfs_root *theme_root; /* the theme's files are read from here */
	const char *theme_rel;      /* the theme folder under theme_root
				       ("" for the root itself) */
	const char *theme_shown;    /* as messages name it: "themes/default" */
	const sfs_root *site_root;  /* the site's own i18n/<lang>.yml; NULL:
				       none read (its folder was refused) */
	const char *lang;           /* site.yml's language: "fr", "pt-BR" */
	srcpos lang_at;             /* where site.yml writes it */
	int in_list;                /* written in languages:, not language: */
	int words_refused;          /* an i18n folder could not be read (told):
				       no warning that its language has none */
} i18n_source;

/* Load the texts of src->lang and add them to set as templates (above).
 * Problems go to d at the file's path:line:col: unreadable or malformed
 * YAML, a value that is neither text nor plural forms, a text that does
 * not compile as Mustache are errors; missing keys and unknown languages
 * warnings. Returns the table (never NULL; free with i18n_free), built in
 * English where the language's texts were unusable. */
i18n *i18n_load(const i18n_source *src, mst_set *set, diags_t *d);
void i18n_free(i18n *t);

/* The language the pages are in, as a BCP 47 tag for <html lang>: the
 * site's, or "en" when it has no translation. */
const char *i18n_lang(const i18n *t);
/* 1 when the language is written right to left (ICU's
 * uloc_isRightToLeft: ar, fa, he, ur ...). */
int i18n_rtl(const i18n *t);

/* The CLDR numbering system i18n_number writes digits in ("latn",
 * "arab"), for a script that formats numbers the same way (Intl's
 * numberingSystem). */
const char *i18n_digits(const i18n *t);

/* Text `key` rendered with view (may be NULL), as plain text (entities
 * decoded). A key no file has gives the key itself. Caller frees. */
char *i18n_text(const i18n *t, const char *key, const cJSON *view);
/* The plural form of `key` that the number n takes in the language
 * (CLDR rules through upluralrules_select), rendered with view plus
 * "count": n formatted as i18n_number does. Plain text; caller frees. */
char *i18n_plural(const i18n *t, const char *key, double n, const cJSON *view);
/* A whole number in the language's digits and grouping (unum): "1,234",
 * "1 234" (fr, narrow no-break space), "١٬٢٣٤" (ar). Caller frees. */
char *i18n_number(const i18n *t, double n);
/* An ISO 8601 date "YYYY-MM-DD" as the language writes it, through the
 * pattern of the key date_pattern (ICU date pattern syntax), "1 April
 * 2019", "1 de abril de 2019"; NULL for anything else. Caller frees. */
char *i18n_date(const i18n *t, const char *iso);
/* A BCP 47 language tag's name in the language t shows (English when t
 * is NULL), from ICU's locale data (uloc_getDisplayName): "pt-BR" ->
 * "Portuguese (Brazil)" (en), "portugais (Brésil)" (fr). The tag itself
 * when ICU does not read all of it or knows no name for it. Caller
 * frees. */
char *i18n_language_name(const i18n *t, const char *tag);
/* The language's name in itself ("de" -> "Deutsch", "fr" -> "français"),
 * from ICU's locale data; the tag itself when ICU knows no name. Caller
 * frees. */
char *i18n_language_autonym(const char *tag);
/* 1 when the language of a BCP 47 tag is written right to left (CLDR's
 * script direction, uloc_isRightToLeft: he, fa, yi), else 0. */
int i18n_tag_rtl(const char *tag);

/* The name of month 1-12 as the language writes it standing alone
 * (CLDR's stand-alone forms through ICU's date format symbols): full
 * ("January", "janvier", "يناير") or, when abbr, short ("Jan", "janv.").
 * English when t is NULL or ICU has none; NULL for a month out of range.
 * The string is t's (or static): do not free. */
const char *i18n_month(const i18n *t, int month, int abbr);
/* x with exactly frac digits after the language's decimal separator and
 * no grouping, in its digits: "3.2" (en), "3,2" (fr), "٣٫٢" (ar). For
 * sizes and measures shown beside a unit. English digits when t is NULL.
 * Caller frees. */
char *i18n_decimal(const i18n *t, double x, int frac);

/* The plural categories the language uses, in CLDR's order, as a
 * space-separated list such as "one other" (en) or "zero one two few many
 * other" (ar). Caller frees. */
char *i18n_categories(const i18n *t);

#endif
