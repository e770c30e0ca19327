/* text_unicode.h - Unicode text for search and order: NFC, the search
 * fold and collation by language.
 *
 * Normalisation and the fold are utf8proc's (its Unicode version is
 * text_unicode_version()); collation is ICU's, with the tailoring of the
 * site's language. Nothing here keeps global state: a collator belongs to
 * its caller. */
#ifndef PM_TEXT_UNICODE_H
#define PM_TEXT_UNICODE_H

#include <stddef.h>

#include "buf.h"

/* Whether tag's language (a BCP 47 tag, RFC 5646: "fr", "pt-BR") is one
 * CLDR names, in ICU's data: 1 for "de" or "lg", 0 for "xml" or "old",
 * which ICU gives back as they came. */
int text_language_known(const char *tag);

/* The ISO 639 code of the language CLDR (through ICU) names `name`
 * (UTF-8), in English or in that language itself, case folded (Unicode
 * full case folding): "Français" and "FRENCH" give "fr", "Deutsch" "de",
 * "Kiswahili" "sw". Copied into out (n bytes): 0, or -1 when no language
 * has that name. Looks at each of ICU's ISO 639 languages: for messages,
 * not for every record. */
int text_language_named(const char *name, char *out, size_t n);

/* Whether s[0..n) (UTF-8) starts with a digit: a decimal digit of any
 * script (general category Nd: "1", Arabic-Indic "١", Thai "๑",
 * fullwidth "１") or an Ethiopic digit ("፩", U+1369-U+1371, category
 * No), as a number is written in the scripts of the site's records. 0
 * for anything else, an empty or a cut sequence too. */
int text_starts_with_digit(const char *s, size_t n);

/* The Unicode version of the tables that NFC and the fold use, "15.0.0". */
const char *text_unicode_version(void);

/* s (UTF-8) in Normalization Form C (Unicode UAX #15), as a fresh string
 * the caller frees; a copy of s when s is not valid UTF-8. NULL gives
 * NULL. */
char *text_nfc(const char *s);

/* Append s (UTF-8) folded for search. The fold, which the default theme's
 * app.js repeats letter for letter on what a visitor types:
 *
 *   1. NFKD (compatibility decomposition: "ﬁ" -> "fi", "²" -> "2");
 *   2. each code point to its lower case (UnicodeData's simple mapping,
 *      which is what JavaScript's toLowerCase does on one code point once
 *      NFKD has split İ into I and a combining dot), then NFKD again;
 *   3. nonspacing marks (general category Mn: accents, Arabic harakat,
 *      Hebrew points, the dakuten of kana, Thai and Indic vowel signs that
 *      sit above or below) and format characters (Cf: soft hyphen, ZWJ,
 *      direction marks) dropped;
 *   4. the letters that carry their mark inside and so do not decompose
 *      replaced through text_fold_pairs (đ -> d, ł -> l, ø -> o, æ -> ae,
 *      ß -> ss, ı -> i, þ -> th, ς -> σ ...);
 *   5. punctuation (P*), separators (Z*) and controls (Cc) become one space;
 *      runs of spaces become one, and none leads or trails.
 *
 * "Trường Đại học Y Hà Nội" -> "truong dai hoc y ha noi". Invalid UTF-8
 * is appended unchanged. A code point newer than text_unicode_version()
 * (unassigned here) is kept as it is. */
void text_fold(buf_t *out, const char *s);

/* The letters of step 4 as "from:to" pairs separated by single spaces,
 * "đ:d ð:d ħ:h ..." (every from is one code point, lower case; no from or
 * to holds a space or a colon). The build hands it to the page so the
 * browser folds with the same table. */
const char *text_fold_pairs(void);

/* A collator: the Unicode Collation Algorithm (UTS #10) with the CLDR
 * tailoring of a language, through ICU. */
typedef struct text_collator text_collator;

/* The collator for a BCP 47 language tag ("en", "sv", "pt-BR"); a tag ICU
 * has no tailoring for falls back to the root order (CLDR's DUCET), so
 * the result is never NULL. Free with text_collator_free. */
text_collator *text_collator_new(const char *language);
void text_collator_free(text_collator *c);

/* The sort key of s (UTF-8): a fresh NUL-terminated byte string that
 * compares with strcmp as s compares under the collator (an invalid
 * UTF-8 sequence counts as U+FFFD). Caller frees. */
char *text_sort_key(const text_collator *c, const char *s);

/* <0, 0 or >0 as a sorts before, with or after b (the same answer as
 * comparing their sort keys). */
int text_collate(const text_collator *c, const char *a, const char *b);

#endif
