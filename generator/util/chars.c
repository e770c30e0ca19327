/* chars.c - finding and leaving out characters unsafe in the output. */
#include "chars.h"

#include <stdio.h>
#include <string.h>

size_t chars_decode(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c = u[0], lo = 0x80, hi = 0xBF;
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		lo = c == 0xE0 ? 0xA0 : lo; /* overlong */
		hi = c == 0xED ? 0x9F : hi; /* surrogates */
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		lo = c == 0xF0 ? 0x90 : lo; /* overlong */
		hi = c == 0xF4 ? 0x8F : hi; /* above U+10FFFF */
		c &= 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (n < len || u[1] < lo || u[1] > hi) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = c << 6 | (u[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* Unicode's noncharacters (section 23.7): U+FDD0..U+FDEF and the last
 * two code points of each plane. */
static int is_noncharacter(unsigned cp)
{
	return (cp >= 0xFDD0 && cp <= 0xFDEF) ||
	       (cp <= 0x10FFFF && (cp & 0xFFFE) == 0xFFFE);
}

int chars_is_control(unsigned cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	return (cp >= 0x7F && cp <= 0x9F) || is_noncharacter(cp);
}

const char *chars_control_what(unsigned cp)
{
	return is_noncharacter(cp) ? "a noncharacter" : "a control character";
}

int chars_is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int chars_is_unsafe(unsigned cp)
{
	return chars_is_control(cp) || chars_is_bidi_control(cp);
}

int chars_is_invisible(unsigned cp)
{
	return chars_is_unsafe(cp) || cp == 0x00AD || cp == 0x061C ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) ||
	       cp == 0xFEFF;
}

int chars_is_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c;
		size_t len = chars_decode(s + i, n - i, &c);
		/* a lone 0xFFFD: a byte that starts no valid sequence */
		if (c == 0xFFFD && len == 1)
			return 0;
		i += len;
	}
	return 1;
}

size_t chars_find(const char *s, size_t n, int (*is)(unsigned), unsigned *cp)
{
	size_t i = 0;
	while (i < n) {
		unsigned c;
		size_t len = chars_decode(s + i, n - i, &c);
		if (is(c)) {
			if (cp)
				*cp = c;
			return i;
		}
		i += len;
	}
	return n;
}

size_t chars_put_without(buf_t *b, const char *s, size_t n,
			 int (*drop)(unsigned))
{
	size_t start = 0, i = 0, dropped = 0;
	while (i < n) {
		unsigned c;
		size_t len = chars_decode(s + i, n - i, &c);
		if (drop(c) || (c == 0xFFFD && len == 1)) {
			buf_put(b, s + start, i - start);
			start = i + len;
			dropped++;
		}
		i += len;
	}
	buf_put(b, s + start, n - start);
	return dropped;
}

char *chars_strip_unsafe(const char *s)
{
	size_t n = strlen(s);
	if (chars_find(s, n, chars_is_unsafe, NULL) == n)
		return NULL;
	buf_t b = BUF_INIT;
	chars_put_without(&b, s, n, chars_is_unsafe);
	return buf_detach(&b);
}

const char *chars_name(unsigned cp, char *out, size_t size)
{
	static const struct {
		unsigned cp;
		const char *name;
	} names[] = {
		{0x00AD, "SOFT HYPHEN"},
		{0x061C, "ARABIC LETTER MARK"},
		{0x200B, "ZERO WIDTH SPACE"},
		{0x200C, "ZERO WIDTH NON-JOINER"},
		{0x200D, "ZERO WIDTH JOINER"},
		{0x200E, "LEFT-TO-RIGHT MARK"},
		{0x200F, "RIGHT-TO-LEFT MARK"},
		{0x202A, "LEFT-TO-RIGHT EMBEDDING"},
		{0x202B, "RIGHT-TO-LEFT EMBEDDING"},
		{0x202C, "POP DIRECTIONAL FORMATTING"},
		{0x202D, "LEFT-TO-RIGHT OVERRIDE"},
		{0x202E, "RIGHT-TO-LEFT OVERRIDE"},
		{0x2060, "WORD JOINER"},
		{0x2066, "LEFT-TO-RIGHT ISOLATE"},
		{0x2067, "RIGHT-TO-LEFT ISOLATE"},
		{0x2068, "FIRST STRONG ISOLATE"},
		{0x2069, "POP DIRECTIONAL ISOLATE"},
		{0xFEFF, "ZERO WIDTH NO-BREAK SPACE"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].cp == cp) {
			snprintf(out, size, "U+%04X (%s)", cp, names[i].name);
			return out;
		}
	snprintf(out, size, "U+%04X", cp);
	return out;
}

const char *chars_unseen_space(const char *s, size_t n, size_t *k,
			       unsigned *cp)
{
	*k = n ? chars_decode(s, n, cp) : 0;
	if (!*k)
		return NULL;
	if (*cp == 0xA0)
		return "no-break space";
	if (*cp == 0x202F)
		return "narrow no-break space";
	if (*cp == 0x3000)
		return "ideographic space";
	if (*cp == 0x1680 || (*cp >= 0x2000 && *cp <= 0x200A) || *cp == 0x205F)
		return "space character";
	/* no space to Unicode either (Cf), but pasted as one, unseen */
	if (*cp == 0x200B)
		return "zero-width space";
	if (*cp == 0x200C)
		return "zero-width non-joiner";
	if (*cp == 0x200D)
		return "zero-width joiner";
	if (*cp == 0x2060)
		return "word joiner";
	if (*cp == 0xAD)
		return "soft hyphen";
	if (*cp == 0x180E || (*cp >= 0x2061 && *cp <= 0x2064))
		return "invisible character";
	return NULL;
}

int chars_zero_width(unsigned cp)
{
	return cp == 0xFEFF || cp == 0xAD || cp == 0x180E ||
	       (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064);
}
