/* text.c - small text helpers the renderers share. */
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"};

char *text_date_label(const char *iso)
{
	int y, m, d;
	char tail;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return NULL;
	return xasprintf("%d %s %d", d, month_names[m - 1], y);
}

void text_put_fixed(buf_t *out, double v, int decimals)
{
	/* Scale to an integer and print digits ourselves: %f follows the
	 * locale's decimal separator. */
	if (!isfinite(v)) {
		buf_putc(out, '0');
		return;
	}
	long long scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	if (fabs(v) * (double)scale >= 0x1p62) {
		/* past what llround can hold; whole numbers only, no
		 * separator for the locale to change */
		buf_printf(out, "%.0f", v);
		return;
	}
	long long q = llround(fabs(v) * (double)scale);
	if (v < 0 && q != 0)
		buf_putc(out, '-');
	buf_put_uint(out, (unsigned long long)(q / scale));
	long long frac = q % scale;
	if (frac == 0)
		return;
	char digits[24];
	int n = 0;
	for (long long s = scale / 10; s > 0; s /= 10)
		digits[n++] = (char)('0' + (frac / s) % 10);
	while (n > 0 && digits[n - 1] == '0')
		n--;
	buf_putc(out, '.');
	buf_put(out, digits, (size_t)n);
}

char *text_coordinates(double lat, double lon)
{
	buf_t b = BUF_INIT;
	text_put_fixed(&b, fabs(lat), 4);
	buf_puts(&b, lat < 0 ? "° S, " : "° N, ");
	text_put_fixed(&b, fabs(lon), 4);
	buf_puts(&b, lon < 0 ? "° W" : "° E");
	return buf_detach(&b);
}

char *text_url_label(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	return xstrndup(p, n);
}

char *text_capitalise(const char *s)
{
	char *c = xstrdup(s);
	if (c[0] >= 'a' && c[0] <= 'z')
		c[0] = (char)(c[0] - 32);
	return c;
}

char *text_file_href(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_t b = BUF_INIT;
	buf_puts(&b, "./");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			buf_putc(&b, (char)*p);
		} else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	return buf_detach(&b);
}

char *text_mailto(const char *addr)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, "mailto:");
	const char *at = strrchr(addr, '@');
	for (const char *p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c && strchr("-._~!$'()*+,;:", c)) ||
		    p == at)
			buf_putc(&b, c);
		else
			buf_printf(&b, "%%%02X", c);
	}
	return buf_detach(&b);
}

/* What text_json_for_script replaces, and by what. */
static const struct {
	const char *from, *to;
} script_escapes[] = {
	{"<", "\\u003c"}, {">", "\\u003e"}, {"&", "\\u0026"},
	{"\xE2\x80\xA8", "\\u2028"}, {"\xE2\x80\xA9", "\\u2029"},
};

void text_json_for_script(buf_t *out, const char *json)
{
	size_t n = sizeof script_escapes / sizeof script_escapes[0];
	while (*json) {
		/* the run of bytes that start no escape, copied at once */
		size_t plain = strcspn(json, "<>&\xE2");
		buf_put(out, json, plain);
		json += plain;
		if (!*json)
			break;
		size_t k = 0, len = 0;
		while (k < n && strncmp(json, script_escapes[k].from,
					len = strlen(script_escapes[k].from)))
			k++;
		if (k < n) {
			buf_puts(out, script_escapes[k].to);
			json += len;
		} else
			buf_putc(out, *json++);
	}
}

char *text_osm_url(double lat, double lon)
{
	static const char *const part[] = {
		"https://www.openstreetmap.org/?mlat=", "&mlon=", "#map=12/", "/"};
	buf_t b = BUF_INIT;
	for (int k = 0; k < 4; k++) {
		buf_puts(&b, part[k]);
		text_put_fixed(&b, k % 2 ? lon : lat, 5);
	}
	return buf_detach(&b);
}
