/* chars.h - characters that must never reach the published site as they
 * are, and UTF-8 decoding to find them.
 *
 * Two kinds:
 *
 *   control characters   C0 (U+0000-U+001F) except tab, line feed and
 *                        carriage return, DEL (U+007F) and C1
 *                        (U+0080-U+009F). XML 1.0 (section 2.2, "Char")
 *                        forbids most of C0 even written as &#1;, so one
 *                        makes map.svg, sitemap.xml or feed.xml unreadable;
 *                        HTML (WHATWG, "control-character-in-input-stream")
 *                        calls all of them a parse error.
 *   bidi controls        Unicode's explicit directional embeddings,
 *                        overrides and isolates (U+202A-U+202E,
 *                        U+2066-U+2069; UAX #9, section 2). One reorders
 *                        the text after it ("Invoice\u202Egnp.exe" shows
 *                        as "Invoiceexe.png"), even past the value it came
 *                        in, until the end of the paragraph.
 *
 * Identifiers (e-mail addresses, URLs) must also be free of the invisible
 * characters that make one address look like another: the bidi controls,
 * the marks U+200E, U+200F and U+061C, the zero-width characters
 * U+200B-U+200D and U+2060-U+2064, U+FEFF and the soft hyphen U+00AD. */
#ifndef PM_CHARS_H
#define PM_CHARS_H

#include <stddef.h>

#include "buf.h"

/* Decode the UTF-8 sequence at s (n > 0 bytes left): returns its length
 * and sets *cp. A byte that starts no valid sequence gives length 1 and
 * *cp = 0xFFFD, so a scan always moves on. */
size_t chars_decode(const char *s, size_t n, unsigned *cp);

/* The name of the Unicode space character (Zs) at s[0..n) that is not
 * the ASCII space, or of an invisible format character (Cf: U+200B-200D,
 * U+2060-2064, U+00AD, U+180E), and its length in *k; NULL when there is
 * none there.
 * YAML's blanks are space and tab alone (YAML 1.2, 5.5). */
const char *chars_unseen_space(const char *s, size_t n, size_t *k,
			       unsigned *cp);

/* Whether cp is one of chars_unseen_space's that take no room at all
 * (Cf) or the byte order mark: to be deleted, not made a plain space. */
int chars_zero_width(unsigned cp);

/* 1 when s[0..n) is all valid UTF-8 (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF), else 0. */
int chars_is_utf8(const char *s, size_t n);

/* C0 but tab and line ends, DEL and C1, and Unicode's noncharacters
 * (U+FDD0..U+FDEF and the last two of each plane: section 23.7). XML 1.0
 * excludes U+FFFE and U+FFFF from its Char production (an escape such as
 * "\uFFFE" decodes to one, and libxml2 then writes an ill-formed map and
 * feed); HTML calls every noncharacter a parse error. None may be in a
 * page, map or feed. */
int chars_is_control(unsigned cp);
/* How a message names a code point chars_is_control takes: "a control
 * character" or "a noncharacter". */
const char *chars_control_what(unsigned cp);
int chars_is_bidi_control(unsigned cp);
/* A control or a bidi control: what no page, map or feed may hold. */
int chars_is_unsafe(unsigned cp);
/* Characters no identifier may hold (see above), controls included. */
int chars_is_invisible(unsigned cp);

/* Offset of the first code point of s[0..n) for which is(cp) is true, or
 * n when there is none; *cp (when not NULL) gets that code point. */
size_t chars_find(const char *s, size_t n, int (*is)(unsigned), unsigned *cp);

/* Append s[0..n) to b leaving out every code point for which drop(cp) is
 * true, and every byte that starts no valid UTF-8 sequence (RFC 3629;
 * cmark writes U+FFFE and U+FFFF as the lone bytes 0xFE and 0xFF).
 * Returns how many code points and bytes were left out. */
size_t chars_put_without(buf_t *b, const char *s, size_t n,
			 int (*drop)(unsigned));

/* A fresh copy of s without the unsafe characters (chars_is_unsafe), or
 * NULL when s has none (so callers copy only when they must). */
char *chars_strip_unsafe(const char *s);

/* How a message names a character: "U+202E (RIGHT-TO-LEFT OVERRIDE)",
 * or "U+0001" for those without a short name here. Writes into out,
 * which has room for size bytes (48 are always enough). */
const char *chars_name(unsigned cp, char *out, size_t size);

#endif
