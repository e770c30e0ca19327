/* text_unicode.c - NFC, the search fold and collation (text_unicode.h). */
#include "text_unicode.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <utf8proc.h>

int text_language_known(const char *tag)
{
	/* the ending of a backup copy before a language CLDR happens to
	 * name: about.bak.md is no page in Bakoko */
	if (!strcasecmp(tag, "bak"))
		return 0;
	char id[ULOC_FULLNAME_CAPACITY], lang[ULOC_LANG_CAPACITY];
	UChar name[128];
	char out[384];
	UErrorCode e = U_ZERO_ERROR;
	int32_t parsed = 0, len = 0;
	uloc_forLanguageTag(tag, id, (int32_t)sizeof id, &parsed, &e);
	if (U_FAILURE(e) || parsed != (int32_t)strlen(tag))
		return 0;
	uloc_getLanguage(id, lang, (int32_t)sizeof lang, &e);
	if (U_FAILURE(e) || !*lang)
		return 0;
	int32_t n = uloc_getDisplayLanguage(id, "en", name, 128, &e);
	u_strToUTF8(out, (int32_t)sizeof out, &len, name, n, &e);
	/* ICU echoes a language it has no name for ("xml" -> "xml") */
	return U_SUCCESS(e) && len > 0 && len < (int32_t)sizeof out &&
	       strcmp(out, lang) != 0;
}

/* Whether the display name of language lang in locale `in` is, case
 * folded, the UTF-16 text want. */
static int display_is(const char *lang, const char *in, const UChar *want)
{
	UChar name[128];
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = uloc_getDisplayLanguage(lang, in, name, 128, &e);
	return U_SUCCESS(e) && n > 0 && n < 128 &&
	       u_strCaseCompare(name, n, want, -1, U_FOLD_CASE_DEFAULT, &e) == 0 &&
	       U_SUCCESS(e);
}

int text_language_named(const char *name, char *out, size_t n)
{
	UChar want[128];
	UErrorCode e = U_ZERO_ERROR;
	int32_t len = 0;
	u_strFromUTF8(want, 128, &len, name, -1, &e);
	if (U_FAILURE(e) || len <= 0 || len >= 128)
		return -1;
	for (const char *const *lang = uloc_getISOLanguages(); lang && *lang;
	     lang++)
		if (text_language_known(*lang) && (display_is(*lang, "en", want) ||
						   display_is(*lang, *lang, want))) {
			if (strlen(*lang) >= n)
				return -1;
			memcpy(out, *lang, strlen(*lang) + 1);
			return 0;
		}
	return -1;
}

int text_starts_with_digit(const char *s, size_t n)
{
	if (!n)
		return 0;
	if ((unsigned char)s[0] < 0x80)
		return s[0] >= '0' && s[0] <= '9';
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      (utf8proc_ssize_t)n, &cp);
	if (k <= 0)
		return 0;
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND ||
	       (cp >= 0x1369 && cp <= 0x1371);
}

const char *text_unicode_version(void)
{
	return utf8proc_unicode_version();
}

char *text_nfc(const char *s)
{
	if (!s)
		return NULL;
	/* ASCII is its own NFC (no ASCII character decomposes or composes,
	 * UAX #15): most records are, and utf8proc's round trip through
	 * code points was a twentieth of a build. */
	const char *p = s;
	while (*p && !((unsigned char)*p & 0x80))
		p++;
	if (!*p)
		return xstrdup(s);
	char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
	if (!nfc)
		return xstrdup(s);
	/* utf8proc allocates with malloc; hand back the project's own copy
	 * so every string of the model is freed the same way. */
	char *copy = xstrdup(nfc);
	free(nfc);
	return copy;
}

/* ---- the search fold ----------------------------------------------------- */

/* Latin letters with a stroke, bar or hook drawn through them, ligatures
 * and the letters of Old English and Icelandic: none has a decomposition,
 * so step 3 cannot reach them. Each goes to the letters it is written
 * with in ASCII; Greek final sigma goes to σ, as Unicode's case folding
 * takes it. All lower case: step 2 came first. */
static const char fold_pairs[] =
	"đ:d ð:d ħ:h ı:i ȷ:j ł:l ø:o ŧ:t ƀ:b ƶ:z ǥ:g ɨ:i ʉ:u "
	"æ:ae œ:oe ß:ss þ:th ς:σ";

const char *text_fold_pairs(void)
{
	return fold_pairs;
}

/* The replacement of the one code point cp under fold_pairs, or NULL. */
static const char *fold_pair(utf8proc_int32_t cp, size_t *len)
{
	utf8proc_uint8_t key[8];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, key);
	if (n <= 1)
		return NULL; /* every from is outside ASCII */
	for (const char *p = fold_pairs; *p;) {
		const char *colon = strchr(p, ':');
		const char *end = strchr(colon, ' ');
		if (!end)
			end = colon + strlen(colon);
		if (colon - p == n && !memcmp(p, key, (size_t)n)) {
			*len = (size_t)(end - colon - 1);
			return colon + 1;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* What step 3 and 5 do with a code point of category cat. */
enum { KEEP, DROP, SPACE };

static int fold_class(utf8proc_category_t cat)
{
	switch (cat) {
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_CF:
		return DROP;
	case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return SPACE;
	default:
		return KEEP;
	}
}

/* s in NFKD, malloc'd by utf8proc, or NULL when s is not valid UTF-8. */
static utf8proc_uint8_t *nfkd(const utf8proc_uint8_t *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map(s, 0, &out, UTF8PROC_NULLTERM |
					  UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
					  UTF8PROC_COMPAT);
	return n < 0 ? NULL : out;
}

/* Steps 1 and 2: NFKD, lower case, NFKD; NULL for invalid UTF-8. */
static utf8proc_uint8_t *decompose_lower(const char *s)
{
	utf8proc_uint8_t *d = nfkd((const utf8proc_uint8_t *)s);
	if (!d)
		return NULL;
	buf_t low = BUF_INIT;
	utf8proc_int32_t cp;
	for (utf8proc_ssize_t i = 0, n; d[i]; i += n) {
		n = utf8proc_iterate(d + i, -1, &cp);
		utf8proc_uint8_t enc[4];
		buf_put(&low, enc, (size_t)utf8proc_encode_char(utf8proc_tolower(cp), enc));
	}
	free(d);
	d = nfkd((const utf8proc_uint8_t *)buf_cstr(&low));
	buf_free(&low);
	return d;
}

void text_fold(buf_t *out, const char *s)
{
	utf8proc_uint8_t *d = decompose_lower(s);
	if (!d) {
		buf_puts(out, s);
		return;
	}
	size_t start = out->len;
	int space = 0; /* a space is owed before the next kept character */
	utf8proc_int32_t cp;
	for (utf8proc_ssize_t i = 0, n; d[i]; i += n) {
		n = utf8proc_iterate(d + i, -1, &cp);
		int what = fold_class(utf8proc_category(cp));
		if (what == DROP)
			continue;
		if (what == SPACE) {
			space = out->len > start;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = 0;
		size_t len;
		const char *to = fold_pair(cp, &len);
		if (to)
			buf_put(out, to, len);
		else
			buf_put(out, d + i, (size_t)n);
	}
	free(d);
}

/* ---- collation ----------------------------------------------------------- */

struct text_collator {
	UCollator *ucol;
};

text_collator *text_collator_new(const char *language)
{
	char locale[ULOC_FULLNAME_CAPACITY] = "";
	UErrorCode e = U_ZERO_ERROR;
	if (language)
		uloc_forLanguageTag(language, locale, sizeof locale, NULL, &e);
	if (U_FAILURE(e))
		locale[0] = '\0';
	text_collator *c = xcalloc(1, sizeof *c);
	e = U_ZERO_ERROR;
	c->ucol = ucol_open(locale, &e);
	if (U_FAILURE(e)) {
		e = U_ZERO_ERROR;
		c->ucol = ucol_open("", &e); /* the root order */
	}
	return c;
}

void text_collator_free(text_collator *c)
{
	if (!c)
		return;
	if (c->ucol)
		ucol_close(c->ucol);
	free(c);
}

/* s as UTF-16 (invalid sequences as U+FFFD), *len units, caller frees. */
static UChar *utf16(const char *s, int32_t *len)
{
	UErrorCode e = U_ZERO_ERROR;
	u_strFromUTF8WithSub(NULL, 0, len, s, -1, 0xFFFD, NULL, &e);
	UChar *u = xcalloc((size_t)*len + 1, sizeof *u);
	e = U_ZERO_ERROR;
	u_strFromUTF8WithSub(u, *len + 1, len, s, -1, 0xFFFD, NULL, &e);
	if (U_FAILURE(e))
		*len = 0;
	return u;
}

char *text_sort_key(const text_collator *c, const char *s)
{
	int32_t len;
	UChar *u = utf16(s ? s : "", &len);
	uint8_t first[64];
	int32_t need = c->ucol ? ucol_getSortKey(c->ucol, u, len, first,
						 sizeof first) : 0;
	char *key;
	if (need <= 0) {
		key = xstrdup(""); /* no collator: everything ties */
	} else if ((size_t)need <= sizeof first) {
		key = xstrndup((const char *)first, (size_t)need);
	} else {
		key = xmalloc((size_t)need);
		ucol_getSortKey(c->ucol, u, len, (uint8_t *)key, need);
	}
	free(u);
	return key;
}

int text_collate(const text_collator *c, const char *a, const char *b)
{
	char *ka = text_sort_key(c, a), *kb = text_sort_key(c, b);
	int r = strcmp(ka, kb);
	free(ka);
	free(kb);
	return r;
}
