/* slug.c - a file name from an institution's name, in any script.
 *
 * The transliteration is ICU's: a hand-written table would miss most of
 * the scripts partner names are written in. */
#include "scaffold.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "../util/chars.h"

/* Any script to Latin, Latin to ASCII (đ -> d, ß -> ss, ı -> i), lower
 * case; then drop what would split a word: apostrophes (King's), and the
 * letters and marks ICU's romanisations leave outside ASCII (the ʿ of
 * Arabic ʿayn, the ǝ of Ethiopic). Lower comes after Latin-ASCII so that
 * İ becomes i, not i with a combining dot. */
static const char translit_id[] =
	"Any-Latin; Latin-ASCII; Lower; "
	"[[:Letter:][:Mark:]['\\u2019] - [a-z0-9]] Any-Remove";

/* name as UTF-16 in a fresh array of room units, len of them used, or
 * NULL when name is not valid UTF-8. */
static UChar *to_utf16(const char *name, int32_t room, int32_t *len)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar *u = xcalloc((size_t)room, sizeof *u);
	u_strFromUTF8(u, room, len, name, -1, &e);
	if (U_FAILURE(e)) {
		free(u);
		return NULL;
	}
	return u;
}

/* u[0..len) as fresh UTF-8, or NULL. */
static char *to_utf8(const UChar *u, int32_t len)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = 0;
	u_strToUTF8(NULL, 0, &n, u, len, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return NULL;
	e = U_ZERO_ERROR;
	char *out = xmalloc((size_t)n + 1);
	u_strToUTF8(out, n + 1, &n, u, len, &e);
	if (U_FAILURE(e)) {
		free(out);
		return NULL;
	}
	return out;
}

/* ---- Hangul: the Revised Romanization of Korean ------------------------
 *
 * ICU's Hangul-Latin spells each letter alone (ISO/TR 11941: 대학교
 * daehaggyo); South Korea's standard, the Revised Romanization of Korean
 * (Ministry of Culture and Tourism, 2000), which its universities spell
 * their names by, writes what is said: daehakgyo. A precomposed syllable
 * (Unicode's Hangul Syllables block, U+AC00..U+D7A3) is its initial (19),
 * vowel (21) and final (28, the first none) by arithmetic (The Unicode
 * Standard, section 3.12). Its rules here: a final consonant is k, t, p,
 * l, n, m or ng before a consonant and at the end (RR section 2, note
 * 1: 울산 Ulsan); before a vowel (the next syllable's silent ㅇ) it is
 * said as that syllable's first sound, g, d, b, r... (한국어 hangugeo),
 * a final ㅎ there silent (좋아 joa); ㄹㄹ is ll (실라 silla). The
 * changes of sound between other consonants (종로 Jongno) are not made:
 * the slug keeps each letter's own sound there. */
#define HANGUL_FIRST 0xAC00
#define HANGUL_LAST 0xD7A3
#define HANGUL_NONE 11 /* the initial ㅇ: no sound */
#define HANGUL_RIEUL 5 /* the initial ㄹ */
#define HANGUL_FINAL_RIEUL 8

static const char *const hangul_initial[19] = {
	"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j",
	"jj", "ch", "k", "t", "p", "h"};
static const char *const hangul_vowel[21] = {
	"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe",
	"yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"};
/* a final before a consonant or at the end, and before a vowel */
static const char *const hangul_final[28][2] = {
	{"", ""}, {"k", "g"}, {"k", "kk"}, {"k", "ks"}, {"n", "n"},
	{"n", "nj"}, {"n", "n"}, {"t", "d"}, {"l", "r"}, {"k", "lg"},
	{"m", "lm"}, {"l", "lb"}, {"l", "ls"}, {"l", "lt"}, {"p", "lp"},
	{"l", "r"}, {"m", "m"}, {"p", "b"}, {"p", "ps"}, {"t", "s"},
	{"t", "ss"}, {"ng", "ng"}, {"t", "j"}, {"t", "ch"}, {"k", "k"},
	{"t", "t"}, {"p", "p"}, {"t", ""}};

static int is_hangul(UChar32 c)
{
	return c >= HANGUL_FIRST && c <= HANGUL_LAST;
}

/* name (valid UTF-8) with each Hangul syllable in the Revised
 * Romanization, everything else as it is: a fresh string. */
static char *romanise_hangul(const char *name)
{
	buf_t b = BUF_INIT;
	int32_t n = (int32_t)strlen(name);
	int last_final = 0; /* of the syllable just before, or 0 */
	for (int32_t i = 0; i < n;) {
		int32_t at = i;
		UChar32 c;
		U8_NEXT(name, i, n, c);
		if (!is_hangul(c)) {
			buf_put(&b, name + at, (size_t)(i - at));
			last_final = 0;
			continue;
		}
		int s = (int)(c - HANGUL_FIRST);
		int initial = s / 588, vowel = s % 588 / 28, final = s % 28;
		UChar32 next = -1;
		if (i < n) {
			int32_t j = i;
			U8_NEXT(name, j, n, next);
		}
		int before_vowel = is_hangul(next) &&
			(int)(next - HANGUL_FIRST) / 588 == HANGUL_NONE;
		buf_puts(&b, initial == HANGUL_RIEUL &&
			 last_final == HANGUL_FINAL_RIEUL ? "l" :
			 hangul_initial[initial]);
		buf_puts(&b, hangul_vowel[vowel]);
		buf_puts(&b, hangul_final[final][before_vowel]);
		last_final = final;
	}
	return buf_detach(&b);
}

/* The transliterated name (ASCII, though other bytes may remain), or NULL. */
static char *transliterate(const char *name)
{
	int32_t units = 0;
	UErrorCode e = U_ZERO_ERROR;
	u_strFromUTF8(NULL, 0, &units, name, -1, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return NULL;
	UParseError pe;
	UChar id[sizeof translit_id];
	u_uastrcpy(id, translit_id);
	e = U_ZERO_ERROR;
	UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0,
					  &pe, &e);
	if (U_FAILURE(e))
		return NULL;
	char *out = NULL;
	/* romanising grows the text (a Han character becomes a syllable, an
	 * Arabic ligature a phrase): start roomy, and start over if short */
	for (int32_t room = units * 8 + 16; room > 0 && room <= (1 << 24);
	     room *= 4) {
		int32_t len;
		UChar *u = to_utf16(name, room, &len);
		if (!u)
			break;
		int32_t limit = len;
		e = U_ZERO_ERROR;
		utrans_transUChars(t, u, &len, room, 0, &limit, &e);
		if (U_SUCCESS(e))
			out = to_utf8(u, len);
		free(u);
		if (e != U_BUFFER_OVERFLOW_ERROR)
			break;
	}
	utrans_close(t);
	return out;
}

static int is_slug_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

char *slug_from_name(const char *name)
{
	if (!chars_is_utf8(name, strlen(name)))
		return NULL;
	char *korean = romanise_hangul(name);
	char *ascii = transliterate(korean);
	free(korean);
	if (!ascii)
		return NULL;
	size_t n = 0;
	for (const char *p = ascii; *p; p++) {
		if (is_slug_char(*p))
			ascii[n++] = *p;
		else if (n && ascii[n - 1] != '-')
			ascii[n++] = '-';
	}
	if (n && ascii[n - 1] == '-')
		n--;
	if (n > SLUG_MAX) {
		/* cut before the word that crosses the limit */
		size_t cut = SLUG_MAX;
		while (cut > 0 && ascii[cut] != '-')
			cut--;
		n = cut ? cut : SLUG_MAX;
		while (n && ascii[n - 1] == '-')
			n--;
	}
	ascii[n] = '\0';
	if (!n) {
		free(ascii);
		return NULL;
	}
	return ascii;
}

int slug_scripts(const char *name)
{
	int got = 0;
	int32_t n = (int32_t)strlen(name);
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		U8_NEXT(name, i, n, c);
		if (c < 0)
			return 0;
		UErrorCode e = U_ZERO_ERROR;
		UScriptCode sc = uscript_getScript(c, &e);
		if (U_FAILURE(e))
			continue;
		if (sc == USCRIPT_HAN)
			got |= SLUG_HAN;
		else if (sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA)
			got |= SLUG_KANA;
	}
	return got;
}
