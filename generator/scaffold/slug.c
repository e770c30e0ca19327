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
 * Standard, section 3.12). A final consonant is k, t, p, l, n, m or ng
 * before a consonant and at the end (RR section 2: 울산 Ulsan); before a
 * vowel (the next syllable's silent ㅇ) it is said as that syllable's
 * first sound (한국어 hangugeo), a final ㅎ there silent (좋아 joa). The
 * changes of sound between syllables are written (RR section 3, 1):
 * k, t, p before ㄴ or ㅁ become ng, n, m (국민 gungmin); ㄹ after another
 * consonant than ㄴ or ㄹ is n (종로 Jongno, 독립 dongnip); ㄴ and ㄹ
 * side by side are ll (신라 Silla, 별내 Byeollae); ㄷ and ㅌ before 이
 * are j and ch (같이 gachi); ㅎ before ㄱ, ㄷ or ㅈ makes k, t, ch (좋고
 * joko). As RR says of nouns, a ㄱ, ㄷ or ㅂ before ㅎ keeps its h
 * (묵호 Mukho). Words whose sound changes by their meaning (신문로
 * Sinmunno, 알약 allyak) are spelt by the rules alone. */
#define HANGUL_FIRST 0xAC00
#define HANGUL_LAST 0xD7A3

/* initials, vowels and finals as their indices count them */
enum { I_G = 0, I_N = 2, I_D = 3, I_R = 5, I_M = 6, I_NONE = 11, I_J = 12,
       I_H = 18 };
enum { V_I = 20 };
enum { F_N = 4, F_NH = 6, F_D = 7, F_L = 8, F_LH = 15, F_T = 25, F_H = 27 };

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

/* A final said before ㄴ, ㅁ or (made n) ㄹ: k, t, p made nasal. */
static const char *nasal(int final)
{
	const char *coda = hangul_final[final][0];
	return !strcmp(coda, "k") ? "ng" : !strcmp(coda, "t") ? "n" :
	       !strcmp(coda, "p") ? "m" : coda;
}

/* How the final of a syllable and the initial of the next are written,
 * the next (initial, vowel) given, or next_initial < 0 at a word's end:
 * *final_out, and *initial_out (NULL: the next initial as it is). */
static void hangul_join(int final, int next_initial, int next_vowel,
			const char **final_out, const char **initial_out)
{
	*initial_out = NULL;
	*final_out = hangul_final[final][0];
	if (!final || next_initial < 0)
		return;
	int l_like = final == F_L || final == F_LH;
	if (next_initial == I_NONE) {
		*final_out = hangul_final[final][1];
		if (next_vowel == V_I && (final == F_D || final == F_T)) {
			*final_out = "";
			*initial_out = final == F_D ? "j" : "ch";
		}
	} else if (next_initial == I_H && final == F_D && next_vowel == V_I) {
		*final_out = "";
		*initial_out = "ch";
	} else if ((final == F_H || final == F_NH || final == F_LH) &&
		   (next_initial == I_G || next_initial == I_D ||
		    next_initial == I_J)) {
		*final_out = final == F_NH ? "n" : final == F_LH ? "l" : "";
		*initial_out = next_initial == I_G ? "k" :
			       next_initial == I_D ? "t" : "ch";
	} else if (next_initial == I_R) {
		if (final == F_N || l_like) {
			*final_out = "l";
			*initial_out = "l";
		} else {
			*final_out = nasal(final);
			*initial_out = "n";
		}
	} else if (next_initial == I_N && l_like) {
		*final_out = "l";
		*initial_out = "l";
	} else if (next_initial == I_N || next_initial == I_M) {
		*final_out = nasal(final);
	}
}

/* name (valid UTF-8) with each Hangul syllable in the Revised
 * Romanization, everything else as it is: a fresh string. */
static char *romanise_hangul(const char *name)
{
	buf_t b = BUF_INIT;
	int32_t n = (int32_t)strlen(name);
	const char *initial_out = NULL; /* set by the syllable before */
	for (int32_t i = 0; i < n;) {
		int32_t at = i;
		UChar32 c;
		U8_NEXT(name, i, n, c);
		if (!is_hangul(c)) {
			buf_put(&b, name + at, (size_t)(i - at));
			initial_out = NULL;
			continue;
		}
		int s = (int)(c - HANGUL_FIRST);
		int initial = s / 588, vowel = s % 588 / 28, final = s % 28;
		int next_initial = -1, next_vowel = -1;
		if (i < n) {
			int32_t j = i;
			UChar32 next;
			U8_NEXT(name, j, n, next);
			if (is_hangul(next)) {
				next_initial = (int)(next - HANGUL_FIRST) / 588;
				next_vowel = (int)(next - HANGUL_FIRST) % 588 / 28;
			}
		}
		buf_puts(&b, initial_out ? initial_out : hangul_initial[initial]);
		buf_puts(&b, hangul_vowel[vowel]);
		const char *final_out;
		hangul_join(final, next_initial, next_vowel, &final_out,
			    &initial_out);
		buf_puts(&b, final_out);
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
