/* text.h - small text helpers the renderers share. */
#ifndef PM_TEXT_H
#define PM_TEXT_H

#include "../util/buf.h"

/* "2019-04-01" -> "1 April 2019"; NULL/invalid -> NULL. Caller frees. */
char *text_date_label(const char *iso);
/* Append a number with up to `decimals` decimals, no trailing zeros,
 * independent of the locale. */
void text_put_fixed(buf_t *out, double v, int decimals);
/* "0.3383° N, 32.5761° E" */
char *text_coordinates(double lat, double lon);
/* "https://www.example.org/x/" -> "www.example.org/x" for display. */
char *text_url_label(const char *url);

/* s with its first letter, when ASCII a-z, in upper case ("clinical" ->
 * "Clinical"). Caller frees. */
char *text_capitalise(const char *s);
/* A link to a file beside the page: "./" and the name as one path segment,
 * every byte but RFC 3986's unreserved ones percent-encoded, so no name
 * reads as a scheme, query or fragment ("Form é.pdf" ->
 * "./Form%20%C3%A9.pdf"). Caller frees. */
char *text_file_href(const char *name);
/* The mailto: URL (RFC 6068) for an address the loader accepted: every
 * byte but the unreserved ones, "!$'()*+,;:" and the "@" before the domain
 * percent-encoded, so "a#b/c@example.org" gives
 * "mailto:a%23b%2Fc@example.org" and nothing in the address can add a
 * recipient, subject or body. Caller frees. */
char *text_mailto(const char *addr);

/* Append JSON text (as cJSON prints it) so that it can stand inside an
 * HTML <script> element: "<", ">" and "&" become \u003c, \u003e and
 * \u0026, U+2028 and U+2029 become \u2028 and \u2029. JSON allows those
 * characters only inside strings, where the escapes mean the same
 * (RFC 8259 section 7), so the value is unchanged while no "</script>",
 * "<!--" or "]]>" can end or confuse the element (HTML, "Restrictions for
 * contents of script elements") and no line separator can break an older
 * JavaScript parser. */
void text_json_for_script(buf_t *out, const char *json);

/* The OpenStreetMap address showing a point at zoom 12, with a marker:
 * "https://www.openstreetmap.org/?mlat=0.3383&mlon=32.5761#map=12/0.3383/32.5761"
 * (coordinates in WGS 84 degrees, five decimals at most, ~1 m). Caller
 * frees. */
char *text_osm_url(double lat, double lon);

#endif
