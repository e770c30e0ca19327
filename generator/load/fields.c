/* fields.c - typed values out of front matter, hints and shape checks. */
#define _GNU_SOURCE /* qsort_r */
#include "fields.h"

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "yamlerr.h"
#include "../util/chars.h"
#include "../util/text_unicode.h"

/* ---- typed values ------------------------------------------------------ */

/* How a message names the value: its key when it has one. */
static const char *value_name(const fm_node *v)
{
	return v->key ? v->key : "this value";
}

void trim_in_place(char *s)
{
	size_t start = 0, end = strlen(s);
	while (start < end && strchr(" \t\r\n", s[start]))
		start++;
	while (end > start && strchr(" \t\r\n", s[end - 1]))
		end--;
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
}

char *label_of_name(const char *name, char sep)
{
	char *label = xstrdup(name);
	label[0] = (char)toupper((unsigned char)label[0]);
	for (char *p = label; *p; p++)
		if (*p == sep)
			*p = ' ';
	return label;
}

/* Escapes such as "\x01" or "\u202E" can smuggle in characters that
 * have no place in a page: controls make the SVG and feeds invalid XML
 * and can drive a terminal; a bidi control reorders what is shown after
 * it (util/chars.h). */
static int check_text_chars(field_ctx *c, const fm_node *v)
{
	unsigned cp;
	size_t n = strlen(v->text);
	if (chars_find(v->text, n, chars_is_control, &cp) < n) {
		diag_error(c->d, c->path, v->line, v->col,
			   "%s contains %s (U+%04X); remove it (it would make "
			   "the map and feeds unreadable)", value_name(v),
			   chars_control_what(cp), cp);
		return -1;
	}
	if (chars_find(v->text, n, chars_is_bidi_control, &cp) < n) {
		char name[48];
		diag_error(c->d, c->path, v->line, v->col,
			   "%s contains %s, which reorders the text shown after "
			   "it; remove it (right-to-left text needs no such "
			   "character)", value_name(v), chars_name(cp, name, sizeof name));
		return -1;
	}
	return 0;
}

int field_text(field_ctx *c, const fm_node *v, char **out)
{
	free(*out);
	*out = NULL;
	if (v->said) /* its mistake is told (fm_node.said) */
		return -1;
	if (!fm_is_scalar(v)) {
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be text, not %s", value_name(v),
			   fm_type_name(v->type));
		return -1;
	}
	if (v->type == FM_NULL)
		return 0;
	if (check_text_chars(c, v) < 0)
		return -1;
	/* NFC (UAX #15): a name saved decomposed (e + U+0301) is the same
	 * text as one saved composed, in pages, search, order and exports. */
	char *s = text_nfc(v->text);
	trim_in_place(s);
	if (*s)
		*out = s;
	else
		free(s);
	return 0;
}

int field_required_text(field_ctx *c, const fm_node *v, char **out)
{
	if (field_text(c, v, out) < 0)
		return -1;
	if (*out)
		return 0;
	diag_error(c->d, c->path, v->line, v->col,
		   "%s is empty: write its value", value_name(v));
	return -1;
}

/* 0 when v is of type t; else -1, after the error "<key> must be <what>,
 * not <its type>". */
static int of_type(field_ctx *c, const fm_node *v, fm_type t,
		   const char *what)
{
	if (v->said)
		return -1;
	if (v->type == t)
		return 0;
	diag_error(c->d, c->path, v->line, v->col, "%s must be %s, not %s",
		   value_name(v), what, fm_type_name(v->type));
	return -1;
}

int field_bool(field_ctx *c, const fm_node *v, int *out)
{
	/* on, off, y, n: YAML 1.1's other booleans, which YAML 1.2 and
	 * this reader take for text: told the word to write */
	if (!v->said && fm_is_scalar(v) && v->type != FM_BOOL &&
	    v->type != FM_NULL) {
		static const char *const yes[] = {"on", "y", NULL};
		static const char *const no[] = {"off", "n", NULL};
		const char *meant = NULL;
		/* "true" in quotes: text, which a boolean's words are not */
		static const char *const words[][2] = {
			{"true", "true"}, {"yes", "true"}, {"false", "false"},
			{"no", "false"}};
		for (size_t i = 0; i < sizeof words / sizeof *words; i++)
			if (v->type == FM_STRING && !strcasecmp(v->text, words[i][0])) {
				diag_error(c->d, c->path, v->line, v->col,
					   "%s '%s' is text in quotes: write %s "
					   "without them", value_name(v), v->text,
					   words[i][1]);
				return -1;
			}
		for (size_t i = 0; yes[i] && !meant; i++)
			if (!strcasecmp(v->text, yes[i]))
				meant = "true";
		for (size_t i = 0; no[i] && !meant; i++)
			if (!strcasecmp(v->text, no[i]))
				meant = "false";
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be true or false, not '%s'%s%s", value_name(v),
			   v->text, meant ? ": write " : "", meant ? meant : "");
		return -1;
	}
	if (of_type(c, v, FM_BOOL, "true or false") < 0)
		return -1;
	*out = v->truth;
	return 0;
}

size_t field_signed_len(const char *s, char point)
{
	size_t i = *s == '-' || *s == '+', d = strspn(s + i, "0123456789");
	if (!d)
		return 0;
	i += d;
	if (s[i] == point && (d = strspn(s + i + 1, "0123456789")))
		i += 1 + d;
	return i;
}

int field_number(field_ctx *c, const fm_node *v, double *out)
{
	/* "0,5", "-6,26": a number as much of the world writes it */
	if (!v->said && v->type == FM_STRING && v->plain && strchr(v->text, ',') &&
	    field_signed_len(v->text, ',') == strlen(v->text)) {
		/* the number with its point is not offered: the field may
		 * refuse it (simplify: 1,5 is out of its range) */
		diag_error(c->d, c->path, v->line, v->col, "%s must be a number "
			   "written with a decimal point, not a comma: '%s' is "
			   "text", value_name(v), v->text);
		return -1;
	}
	if (of_type(c, v, FM_NUMBER, "a number") < 0)
		return -1;
	*out = v->num;
	return 0;
}

int field_list(field_ctx *c, const fm_node *v, const fm_node **items,
	       size_t *n)
{
	*items = NULL;
	*n = 0;
	if (v->said)
		return -1;
	if (v->type == FM_NULL)
		return 0;
	if (fm_is_scalar(v) && v->plain && v->type == FM_STRING &&
	    strchr(v->text, ',')) {
		/* "networks: global, africa": one text, and no item of a
		 * list partnermap reads holds a comma */
		buf_t fix = BUF_INIT;
		for (const char *p = v->text; *p;) {
			size_t k = strcspn(p, ","), a = 0, e = k;
			while (a < e && strchr(" \t", p[a]))
				a++;
			while (e > a && strchr(" \t", p[e - 1]))
				e--;
			if (e > a) {
				buf_puts(&fix, fix.len ? ", " : "");
				/* "research" in quotes already: as typed */
				if (e - a >= 2 && strchr("\"'", p[a]) &&
				    p[e - 1] == p[a] &&
				    !memchr(p + a + 1, p[a], e - a - 2))
					buf_put(&fix, p + a, e - a);
				else
					yaml_put_item(&fix, p + a, e - a);
			}
			p += k + (p[k] == ',');
		}
		if (fix.len > DIAG_QUOTE_MAX)
			/* a value of a hundred items is not repeated */
			diag_error(c->d, c->path, v->line, v->col, "%s is one text "
				   "with commas, not a list: put its items in "
				   "brackets, such as %s: [a, b]", value_name(v),
				   value_name(v));
		else
			diag_error(c->d, c->path, v->line, v->col, "%s is one text "
				   "with commas, not a list: write %s: [%s]",
				   value_name(v), value_name(v), buf_cstr(&fix));
		buf_free(&fix);
		return -1;
	}
	if (fm_is_scalar(v)) { /* "exchanges: undergraduate" */
		*items = v;
		*n = 1;
		return 0;
	}
	if (v->type == FM_MAP) {
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be a list, not a mapping", value_name(v));
		return -1;
	}
	/* a list or mapping as an item is told, and marked said so that
	 * the readers pass it over: the other items are still checked */
	for (size_t i = 0; i < v->n; i++) {
		fm_node *item = &v->kids[i];
		if (!fm_is_scalar(item) && !item->said) {
			diag_error(c->d, c->path, item->line, item->col,
				   "the items of %s must be text, not %s",
				   value_name(v), fm_type_name(item->type));
			item->said = 1;
		}
	}
	*items = v->kids;
	*n = v->n;
	return 0;
}

/* ---- hints: Levenshtein distance, case-insensitive -------------------- */

#define HINT_MAX_LEN 64

/* The Levenshtein distance of a[0..la) and b[0..lb) (ASCII case aside)
 * when it is at most k, else k + 1. Only the cells within k of the
 * diagonal are computed, and the rows stop once none is within k
 * (Ukkonen, "Algorithms for approximate string matching", 1985): a hint
 * over thousands of names for each of thousands of broken links took a
 * minute with the whole table. la and lb are at most HINT_MAX_LEN. */
static int edit_distance_within(const char *a, size_t la, const char *b,
				size_t lb, int k)
{
	const int big = k + 1;
	if ((la > lb ? la - lb : lb - la) > (size_t)k)
		return big;
	if (k == 0)
		return la == lb && !strncasecmp(a, b, la) ? 0 : big;
	int row[HINT_MAX_LEN + 1]; /* row i - 1, then row i, of the table */
	for (size_t j = 0; j <= lb; j++)
		row[j] = j <= (size_t)k ? (int)j : big;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > (size_t)k ? i - (size_t)k : 1;
		size_t hi = i + (size_t)k < lb ? i + (size_t)k : lb;
		int diag = row[lo - 1];
		/* the cell left of the band: column 0 while it is in reach */
		int left = lo == 1 && i <= (size_t)k ? (int)i : big;
		row[lo - 1] = left;
		int least = left;
		for (size_t j = lo; j <= hi; j++) {
			int up = row[j];
			int same = tolower((unsigned char)a[i - 1]) ==
				   tolower((unsigned char)b[j - 1]);
			int best = diag + !same;
			if (up + 1 < best)
				best = up + 1;
			if (left + 1 < best)
				best = left + 1;
			if (best > big)
				best = big;
			diag = up;
			row[j] = left = best;
			if (best < least)
				least = best;
		}
		if (least > k)
			return big;
	}
	return row[lb] <= k ? row[lb] : big;
}

void hint_init(hint_t *h, const char *word)
{
	h->word = word;
	h->best = NULL;
	h->best_dist = 0;
}

void hint_offer(hint_t *h, const char *cand)
{
	size_t lw = strlen(h->word), lc = strlen(cand);
	if (lw > HINT_MAX_LEN || lc > HINT_MAX_LEN)
		return;
	/* short words are close to everything: allow less slack */
	int limit = lw <= 3 ? 1 : 2;
	/* only a nearer name than the best so far replaces it */
	if (h->best && h->best_dist - 1 < limit)
		limit = h->best_dist - 1;
	if (limit < 0)
		return;
	int dist = edit_distance_within(h->word, lw, cand, lc, limit);
	if (dist > limit)
		return;
	h->best = cand;
	h->best_dist = dist;
}

void hint_put(const hint_t *h, buf_t *b)
{
	if (h->best)
		buf_printf(b, "; did you mean %s?", h->best);
}

const char *hint_from(const char *word, const char *const *cands)
{
	hint_t h;
	hint_init(&h, word);
	for (; *cands; cands++)
		hint_offer(&h, *cands);
	return h.best;
}

/* ---- shapes ------------------------------------------------------------ */

static int is_host_byte(unsigned char c)
{
	return isalnum(c) || c == '-' || c >= 0x80; /* 0x80+: IDN in UTF-8 */
}

/* A dotted name: labels of host bytes, none empty (one final dot ok). */
static int check_dotted(const char *s, size_t n)
{
	if (!n || s[0] == '.')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i + 1 < n && s[i + 1] == '.')
				return -1;
		} else if (!is_host_byte((unsigned char)s[i])) {
			return -1;
		}
	}
	return 0;
}

static int check_port(const char *s, size_t n)
{
	if (!n || n > 5)
		return -1;
	long port = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		port = port * 10 + (s[i] - '0');
	}
	return port >= 1 && port <= 65535 ? 0 : -1;
}

/* host[:port] or [v6]:port */
static int check_authority(const char *s, size_t n, const char **why)
{
	if (memchr(s, '@', n)) {
		*why = "no user name or password before the host";
		return -1;
	}
	size_t host_end;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1) {
			*why = "a bad [IPv6] host";
			return -1;
		}
		for (const char *p = s + 1; p < close; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.') {
				*why = "a bad [IPv6] host";
				return -1;
			}
		host_end = (size_t)(close - s) + 1;
	} else {
		const char *colon = memchr(s, ':', n);
		host_end = colon ? (size_t)(colon - s) : n;
		if (check_dotted(s, host_end) < 0) {
			*why = host_end ? "a bad host name" : "no host name";
			return -1;
		}
	}
	if (host_end < n &&
	    (s[host_end] != ':' ||
	     check_port(s + host_end + 1, n - host_end - 1) < 0)) {
		*why = "a bad port";
		return -1;
	}
	return 0;
}

int check_http_url(const char *url, const char **why)
{
	size_t skip;
	if (!strncasecmp(url, "https://", 8))
		skip = 8;
	else if (!strncasecmp(url, "http://", 7))
		skip = 7;
	else {
		*why = "it must start with http:// or https://";
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7F) {
			*why = "no spaces or control characters";
			return -1;
		}
	size_t n = strlen(url);
	if (chars_find(url, n, chars_is_invisible, NULL) < n) {
		*why = "no invisible characters such as direction marks, "
		       "overrides or zero-width spaces";
		return -1;
	}
	const char *auth = url + skip;
	size_t k = strcspn(auth, "/?#\\");
	if (auth[k] == '\\') {
		*why = "no backslashes in the host";
		return -1;
	}
	return check_authority(auth, k, why);
}

/* 1 when the host of s[0..n) (a port after ':' aside) is two or more
 * labels and the last one is two or more letters. */
static int has_top_level_name(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	if (colon)
		n = (size_t)(colon - s);
	if (n && s[n - 1] == '.')
		n--;
	size_t last = n;
	while (last > 0 && s[last - 1] != '.')
		last--;
	if (last == 0 || n - last < 2)
		return 0;
	for (size_t i = last; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return 0;
	return 1;
}

char *url_suggestion(const char *s)
{
	if (strstr(s, "://"))
		return NULL;
	const char *rest = !strncmp(s, "//", 2) ? s + 2 : s;
	size_t host = strcspn(rest, "/?#");
	if (!has_top_level_name(rest, host))
		return NULL;
	char *guess = xasprintf("https://%s%s", rest, rest[host] ? "" : "/");
	const char *why;
	if (check_http_url(guess, &why) == 0)
		return guess;
	free(guess);
	return NULL;
}

void field_bad_url(field_ctx *c, const fm_node *v, const char *url,
		   const char *why, const char *otherwise)
{
	char *guess = url_suggestion(url);
	if (guess)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be an http(s) URL (%s); did you mean %s?",
			   value_name(v), why, guess);
	else
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be an http(s) URL (%s)%s", value_name(v), why,
			   otherwise);
	free(guess);
}

/* May the byte c stand as it is after a URL's authority (RFC 3986,
 * section 3.3-3.5: unreserved, sub-delims, ":", "@", "/", "?")? */
static int url_keeps(unsigned char c)
{
	return isalnum(c) || strchr("-._~!$&'()*+,;=:@/?", c);
}

char *url_normalise(const char *url)
{
	const char *auth = strstr(url, "://");
	size_t start = auth ? (size_t)(auth - url) + 3 : 0;
	start += strcspn(url + start, "/?#");
	buf_t b = BUF_INIT;
	buf_put(&b, url, start);
	int fragment = 0;
	for (const unsigned char *p = (const unsigned char *)url + start; *p; p++) {
		if (*p == '#' && !fragment) {
			fragment = 1;
			buf_putc(&b, '#');
		} else if (url_keeps(*p) ||
			   (*p == '%' && isxdigit(p[1]) && isxdigit(p[2])))
			buf_putc(&b, *p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return buf_detach(&b);
}

/* ---- e-mail addresses: RFC 5322's addr-spec, its dot-atom form only ---- */

/* atext (RFC 5322, section 3.2.3) less "%", "?" and "&": with those an
 * address can smuggle a second recipient or a prefilled message into a
 * mailto: link (RFC 6068), and no real mailbox needs them. */
static int local_char(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$'*+-/=^_`{|}~", c));
}

/* Why the non-ASCII character at s (n bytes left) cannot be in an
 * address: "no invisible characters (<its name>)" when it is one, else
 * otherwise. */
static void bad_non_ascii(const char *s, size_t n, const char *otherwise,
			  buf_t *why)
{
	unsigned cp;
	char name[48];
	chars_decode(s, n, &cp);
	if (chars_is_invisible(cp))
		buf_printf(why, "no invisible characters (%s)",
			   chars_name(cp, name, sizeof name));
	else
		buf_puts(why, otherwise);
}

/* Why byte c cannot be in the local part, in the words of a message. */
static void bad_local_char(const char *at, buf_t *why)
{
	unsigned char c = (unsigned char)*at;
	if (c == ' ' || c == '\t')
		buf_puts(why, "no spaces");
	else if (c == '"' || c == '\'')
		buf_puts(why, "no quotes");
	else if (c == '(' || c == ')')
		buf_puts(why, "no comments in parentheses");
	else if (c == '<' || c == '>')
		buf_puts(why, "only the address, without a name or angle brackets");
	else if (c >= 0x80)
		bad_non_ascii(at, strlen(at), "only ASCII letters, digits and "
			      ". _ + - before the @", why);
	else if (c < ' ' || c == 0x7F)
		buf_printf(why, "no control characters (U+%04X)", c);
	else
		buf_printf(why, "'%c' is not allowed before the @", c);
}

/* Lengths of an address's parts, in bytes (RFC 5321, section 4.5.3.1:
 * local part 64, domain 255 less the two brackets a path adds; RFC 1035,
 * section 2.3.4: a label 63). */
#define MAIL_LOCAL_MAX 64
#define MAIL_DOMAIN_MAX 253
#define MAIL_LABEL_MAX 63

static int check_local(const char *s, size_t n, buf_t *why)
{
	if (n == 0) {
		buf_puts(why, "nothing before the @");
		return -1;
	}
	if (n > MAIL_LOCAL_MAX) {
		buf_puts(why, "more than " PM_STR(MAIL_LOCAL_MAX)
			 " characters before the @");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i == 0 || i + 1 == n || s[i + 1] == '.') {
				buf_puts(why, "a dot cannot start or end the name "
					 "or follow another dot");
				return -1;
			}
		} else if (!local_char((unsigned char)s[i])) {
			bad_local_char(s + i, why);
			return -1;
		}
	}
	return 0;
}

/* A DNS host name in ASCII: labels of letters, digits and inner hyphens,
 * at most MAIL_LABEL_MAX each, at least two, and a top-level label of
 * letters (or an xn-- one). */
static int check_mail_domain(const char *s, buf_t *why)
{
	size_t n = strlen(s), labels = 0, last = 0;
	if (n == 0 || n > MAIL_DOMAIN_MAX) {
		buf_puts(why, n ? "the domain is too long" : "no domain after the @");
		return -1;
	}
	for (size_t i = 0; i <= n; i++) {
		if (i < n && (unsigned char)s[i] >= 0x80) {
			bad_non_ascii(s + i, n - i, "write an international "
				      "domain in its ASCII form (xn--...)", why);
			return -1;
		}
		if (i < n && s[i] != '.') {
			if (!isalnum((unsigned char)s[i]) && s[i] != '-') {
				if (s[i] == '@')
					buf_puts(why, "more than one @");
				else
					buf_printf(why, "'%c' is not allowed in "
						   "the domain", s[i]);
				return -1;
			}
			continue;
		}
		size_t len = i - last;
		if (len == 0 || len > MAIL_LABEL_MAX || s[last] == '-' ||
		    s[i - 1] == '-') {
			buf_puts(why, "the domain must be names such as "
				 "example.org, without empty parts or "
				 "hyphens at their ends");
			return -1;
		}
		labels++;
		if (i == n) {
			int alpha = len >= 2;
			for (size_t k = last; alpha && k < i; k++)
				alpha = isalpha((unsigned char)s[k]);
			if (!alpha && strncasecmp(s + last, "xn--", 4)) {
				buf_puts(why, "the domain must end in a top-level "
					 "name such as .org");
				return -1;
			}
		}
		last = i + 1;
	}
	if (labels < 2) {
		buf_puts(why, "the domain needs a dot, as in example.org");
		return -1;
	}
	return 0;
}

int check_email(const char *s, buf_t *why)
{
	if (strpbrk(s, "<>")) {
		buf_puts(why, "only the address, without a name or angle brackets");
		return -1;
	}
	const char *at = strchr(s, '@');
	if (!at) {
		buf_puts(why, "no @");
		return -1;
	}
	if (strchr(at + 1, '@')) {
		buf_puts(why, "more than one @");
		return -1;
	}
	if (check_local(s, (size_t)(at - s), why) < 0)
		return -1;
	return check_mail_domain(at + 1, why);
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10);
}

char *email_suggestion(const char *written)
{
	buf_t b = BUF_INIT;
	const char *s = written;
	if (!strncasecmp(s, "mailto:", 7))
		s += 7;
	const char *lt = strchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t from = 0, to = strlen(s);
	if (lt && gt) {
		from = (size_t)(lt - s) + 1;
		to = (size_t)(gt - s);
	}
	for (size_t i = from; i < to && s[i] != '?'; i++) {
		if (s[i] == '%' && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			buf_putc(&b, hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else
			buf_putc(&b, s[i]);
	}
	char *guess = buf_detach(&b);
	trim_in_place(guess);
	buf_t why = BUF_INIT;
	int ok = strcmp(guess, written) && check_email(guess, &why) == 0;
	buf_free(&why);
	if (ok)
		return guess;
	free(guess);
	return NULL;
}

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"};

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* check_date of the first ten characters of s, copied to out, when a
 * 'T' or a blank follows them. */
static int check_date_prefix(const char *s, char out[11])
{
	if (s[10] != 'T' && s[10] != ' ')
		return -1;
	memcpy(out, s, 10);
	out[10] = '\0';
	return check_date(out);
}

int check_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	for (size_t i = 0; i < sizeof shape; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i])
				    : s[i] != shape[i])
			return -1;
	}
	int year = atoi(s), month = atoi(s + 5), day = atoi(s + 8);
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return -2;
	if (year < PM_DATE_YEAR_MIN || year > PM_DATE_YEAR_MAX)
		return -3;
	return 0;
}

static size_t digits_len(const char *s);

/* Up to three numbers of s split by '/', '.', '-' or a blank, into n;
 * their digit counts into len. How many were read, or -1 when s holds
 * anything else or more. */
static int date_parts(const char *s, int n[3], int len[3])
{
	int k = 0;
	while (*s && k < 3) {
		size_t d = digits_len(s);
		if (!d || d > 4)
			return -1;
		n[k] = atoi(s);
		len[k++] = (int)d;
		s += d;
		if (*s && strchr("/.- ", *s) && s[1])
			s++;
		else if (*s)
			return -1;
	}
	return *s ? -1 : k;
}

/* The month an English name or its first three letters name at s
 * ("March", "mar"), any case, with *len its length; 0 when none. */
static int month_word(const char *s, size_t *len)
{
	size_t n = 0;
	while (isalpha((unsigned char)s[n]))
		n++;
	for (int m = 0; n >= 3 && m < 12; m++)
		if ((n == 3 || n == strlen(month_names[m]) ||
		     (m == 8 && n == 4)) && /* "Sept" */
		    !strncasecmp(s, month_names[m], n)) {
			*len = n;
			return m + 1;
		}
	return 0;
}

/* A date with its month in words: "March 1, 2019", "1 March 2019",
 * "Mar 1 2019" (day 1 to 31, a four-digit year), or, with no day (*d
 * 0), "March 2019". 1 with *y, *m and *d set, else 0. */
static int date_in_words(const char *s, int *y, int *m, int *d)
{
	int num[2], got = 0, month = 0;
	size_t len;
	*d = 0;
	while (*s) {
		if (*s == ' ' || *s == ',' || *s == '\t') {
			s++;
			continue;
		}
		size_t k = digits_len(s);
		if (k && got < 2 && (k == 4 || k <= 2)) {
			num[got++] = atoi(s);
			s += k;
			s += !strncasecmp(s, "st", 2) || !strncasecmp(s, "nd", 2) ||
			     !strncasecmp(s, "rd", 2) || !strncasecmp(s, "th", 2) ? 2 : 0;
		} else if (!strncasecmp(s, "of ", 3)) { /* "1st of March" */
			s += 2;
		} else if (!month && (month = month_word(s, &len)) != 0) {
			s += len;
			s += *s == '.';
		} else
			return 0;
	}
	if (!month || !got || num[got - 1] < 1000)
		return 0; /* the year comes last */
	*y = num[got - 1];
	*m = month;
	if (got == 2)
		*d = num[0];
	return got == 1 || (num[0] >= 1 && num[0] <= 31);
}

int field_date_meant(const char *s, char out[11])
{
	int n[3], len[3], y, m, d;
	if (strlen(s) > 10 && check_date_prefix(s, out) == 0)
		return 1; /* a time after the date: "2026-09-15T10:00" */
	if (date_in_words(s, &y, &m, &d)) {
		char date[32];
		if (!d || snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d) != 10)
			return 0;
		memcpy(out, date, 11);
		return check_date(out) == 0;
	}
	if (date_parts(s, n, len) != 3)
		return 0;
	if (len[0] == 4) { /* 2026-9-5 */
		y = n[0], m = n[1], d = n[2];
	} else if (len[2] == 4 && n[0] > 12 && n[1] <= 12) { /* 15/09/2026 */
		y = n[2], m = n[1], d = n[0];
	} else if (len[2] == 4 && n[1] > 12 && n[0] <= 12) { /* 09/15/2026 */
		y = n[2], m = n[0], d = n[1];
	} else
		return 0; /* 05/06/2026: the 5th of June or May the 6th */
	char date[32];
	int len_out = snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	if (len_out != 10)
		return 0;
	memcpy(out, date, 11);
	return check_date(out) == 0;
}

/* Why text, of the shape YYYY-MM-DD, is no real date, and what to check:
 * "(February 2026 has 28 days): check the day and the month". */
static void why_not_real(buf_t *b, const char *text)
{
	int year = atoi(text), month = atoi(text + 5);
	if (year < 1)
		buf_puts(b, "(there is no year 0000): write the year in full, "
			 "such as 2025");
	else if (month < 1 || month > 12)
		buf_printf(b, "(there is no month %02d): write the year, then "
			   "the month (01 to 12), then the day", month);
	else
		buf_printf(b, "(%s %d has %d days): check the day and the month",
			   month_names[month - 1], year,
			   days_in_month(year, month));
}

/* The year and month of a date written without its day: "March 2019",
 * "2019-03", "2019/3". 1 with "YYYY-MM" in out, else 0. */
static int month_meant(const char *s, char out[8])
{
	int y, m, d, n[3], len[3];
	if (date_in_words(s, &y, &m, &d)) {
		if (d)
			return 0;
	} else if (date_parts(s, n, len) == 2 && len[0] == 4 && len[1] <= 2) {
		y = n[0];
		m = n[1];
	} else if (date_parts(s, n, len) == 2 && len[0] <= 2 && len[1] == 4) {
		m = n[0]; /* "03/2019": the month first, the year in full */
		y = n[1];
	} else
		return 0;
	if (m < 1 || m > 12 || y < PM_DATE_YEAR_MIN || y > PM_DATE_YEAR_MAX)
		return 0;
	snprintf(out, 8, "%04d-%02d", y, m);
	return 1;
}

void field_date_error(field_ctx *c, const fm_node *v, const char *key,
		      const char *text, int rc, const char *forms)
{
	char meant[11], month[8];
	buf_t why = BUF_INIT;
	if (rc == -1 && field_date_meant(text, meant))
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be %s, not '%s': write %s: %s", key, forms,
			   text, key, meant);
	else if (rc == -1 && month_meant(text, month))
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be %s, not '%s': write the day too, such as "
			   "%s: %s-01 for the first of the month", key, forms,
			   text, key, month);
	else if (rc == -1)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s must be %s, not '%s': write the year, the month "
			   "and the day, in that order, such as %s: 2025-09-01",
			   key, forms, text, key);
	else if (rc == -2) {
		why_not_real(&why, text);
		diag_error(c->d, c->path, v->line, v->col,
			   "%s: %s is not a real date %s", key, text,
			   buf_cstr(&why));
	} else
		diag_error(c->d, c->path, v->line, v->col,
			   "%s: %s is not in the years %d to %d: check the "
			   "year, written in full, such as 2025-09-01", key,
			   text, PM_DATE_YEAR_MIN, PM_DATE_YEAR_MAX);
	buf_free(&why);
}

static size_t digits_len(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

size_t field_decimal_len(const char *s, int *decimals)
{
	size_t n = digits_len(s), frac = 0;
	if (n && s[n] == '.' && (frac = digits_len(s + n + 1)) > 0)
		n += 1 + frac;
	if (decimals)
		*decimals = (int)frac;
	return n;
}

int field_is_whole(const char *s, int sign)
{
	if (sign && *s == '-')
		s++;
	size_t n = digits_len(s);
	return n > 0 && s[n] == '\0';
}

char *field_without_leading_zeros(const char *s)
{
	buf_t b = BUF_INIT;
	int found = 0, dropped = 0;
	for (size_t i = 0; s[i]; i++) {
		/* a number starts after anything but a digit, a point, or a
		 * comma or space that follows a digit ("1 000" and "1,000" are
		 * one number with separators, not a 1 and a 000) */
		int starts = i == 0 || dropped ||
			     (!strchr("0123456789.", s[i - 1]) &&
			      !(strchr(", ", s[i - 1]) && i >= 2 &&
				s[i - 2] >= '0' && s[i - 2] <= '9'));
		dropped = starts && s[i] == '0' && s[i + 1] >= '0' &&
			  s[i + 1] <= '9';
		if (dropped) {
			found = 1;
			continue; /* "0007": every 0 but the last goes */
		}
		buf_putc(&b, s[i]);
	}
	if (!found) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* s without its thousands commas when it is a number written with them,
 * "1,000" or "12,500.50" (one to three digits, then groups of three after
 * commas, then a fraction); else NULL. Fresh string. */
static char *without_thousands(const char *s)
{
	size_t lead = digits_len(s);
	if (!lead || lead > 3 || s[lead] != ',')
		return NULL;
	buf_t b = BUF_INIT;
	buf_printf(&b, "%.*s", (int)lead, s);
	for (s += lead; *s == ','; s += 4) {
		if (digits_len(s + 1) != 3) {
			buf_free(&b);
			return NULL;
		}
		buf_printf(&b, "%.3s", s + 1);
	}
	int dec;
	if (*s && (*s != '.' || field_decimal_len(s - 1, &dec) != strlen(s - 1))) {
		buf_free(&b);
		return NULL;
	}
	buf_puts(&b, s);
	return buf_detach(&b);
}

/* How a number YAML read was written when not in decimal digits, for a
 * message: "has an exponent" (1e3), "is hexadecimal" (0x10), "is octal"
 * (0o10), "is binary" (0b10), "has underscores" (1_000), "has a plus
 * sign" (+5); NULL for plain decimal ("-12.5", or "010", which
 * field_number_fits tells apart). */
static const char *number_form(const char *t)
{
	const char *d = *t == '-' || *t == '+' ? t + 1 : t;
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		return "is hexadecimal";
	if (d[0] == '0' && (d[1] == 'o' || d[1] == 'O'))
		return "is octal";
	if (d[0] == '0' && (d[1] == 'b' || d[1] == 'B'))
		return "is binary";
	if (strchr(t, '_'))
		return "has underscores";
	if (strpbrk(t, "eE"))
		return "has an exponent";
	if (*t == '+')
		return "has a plus sign";
	return NULL;
}

/* t when it is a whole number in hexadecimal, octal or binary as YAML
 * 1.2's core schema writes them ("0x1F", "-0o17", "0b101"; at most 15
 * hex digits): number_form's words for it, its value in *value; else
 * NULL. */
static const char *radix_number(const char *t, long long *value)
{
	const char *d = *t == '-' || *t == '+' ? t + 1 : t;
	if (d[0] != '0' || !d[1])
		return NULL;
	int base = (d[1] == 'x' || d[1] == 'X') ? 16 :
		   (d[1] == 'o' || d[1] == 'O') ? 8 :
		   (d[1] == 'b' || d[1] == 'B') ? 2 : 0;
	const char *digits = base == 16 ? "0123456789abcdefABCDEF" :
			     base == 8 ? "01234567" : "01";
	size_t n = base ? strspn(d + 2, digits) : 0;
	if (!n || d[2 + n] || n > (base == 16 ? 15 : base == 8 ? 20 : 60))
		return NULL;
	long long x = (long long)strtoull(d + 2, NULL, base);
	*value = *t == '-' ? -x : x;
	return number_form(t);
}

/* What YAML 1.1 reads t, a whole number written with a leading zero
 * ("010", "-09"), as, when YAML 1.2's core schema reads it otherwise:
 * "the octal number 8" for 010 (yaml.org/type/int.html: 0 then octal
 * digits), "text" for 09 (no int form of YAML 1.1 has it); into out, and
 * 1. 0 when both read the same number ("02", "00", "-01"). */
static int yaml11_reads(const char *t, char *out, size_t n)
{
	const char *d = *t == '-' || *t == '+' ? t + 1 : t;
	size_t len = strspn(d, "0123456789");
	if (d[0] != '0' || len < 2 || d[len] || len > 18)
		return 0;
	if (strpbrk(d, "89")) {
		snprintf(out, n, "text");
		return 1;
	}
	long long octal = strtoll(d, NULL, 8), dec = strtoll(d, NULL, 10);
	if (octal == dec)
		return 0;
	snprintf(out, n, "the octal number %s%lld", *t == '-' ? "-" : "",
		 octal);
	return 1;
}

/* x as the fewest decimal digits that read back as x ("1000", "14.69"),
 * with at most six after the point (as many as degrees need to a tenth
 * of a metre): 0 then, else -1 (1e-10 has no such form to offer). */
static int decimal_of(double x, char *out, size_t n)
{
	for (int digits = 0; digits <= 6; digits++) {
		snprintf(out, n, "%.*f", digits, x);
		if (strtod(out, NULL) == x)
			return 0;
	}
	return -1;
}

int field_number_fits(field_ctx *c, const fm_node *v, const char *what,
		      field_fits fits)
{
	if (v->said)
		return -1;
	if (!fm_is_scalar(v))
		return 0;
	/* 1e3, 0x10: a number to YAML, which the page would show as
	 * written; told with the decimal it is, when the field takes it */
	const char *form = v->type == FM_NUMBER ? number_form(v->text) : NULL;
	char decimal[64];
	/* 0x10, 0o10, 0b10: numbers to YAML 1.2's core schema, text to its
	 * JSON schema, which this reader follows: told the decimal too */
	long long radix_value;
	const char *radix = v->type == FM_STRING ?
		radix_number(v->text, &radix_value) : NULL;
	if (radix) {
		snprintf(decimal, sizeof decimal, "%lld", radix_value);
		if (fits && !fits(decimal))
			return 0;
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' %s: numbers are written in plain decimal "
			   "digits; write %s", what, v->text, radix, decimal);
		return -1;
	}
	if (form && isfinite(v->num) && fabs(v->num) < 1e15 &&
	    decimal_of(v->num, decimal, sizeof decimal) == 0) {
		if (fits && !fits(decimal))
			return 0;
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' %s: numbers are written in plain decimal "
			   "digits; write %s", what, v->text, form, decimal);
		return -1;
	}
	char *meant = without_thousands(v->text);
	int comma = meant != NULL;
	if (!meant)
		meant = field_without_leading_zeros(v->text);
	if (meant && fits && !fits(meant)) {
		free(meant);
		return 0;
	}
	if (comma)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' has a thousands separator, which a number "
			   "may not hold; write %s, without the comma", what,
			   v->text, meant);
	else if (meant && c->json)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' has a leading zero, which a JSON number "
			   "may not have; write %s", what, v->text, meant);
	else if (meant && strchr(v->text, '.'))
		/* 09.5 reads as 9.5 in YAML 1.1 and 1.2 alike: refused only
		 * so that every number is written one way */
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' has a leading zero, which numbers are "
			   "written without (a whole number with one is read "
			   "two ways by YAML); write %s", what, v->text, meant);
	else if (meant && v->type == FM_NUMBER &&
		 yaml11_reads(v->text, decimal, sizeof decimal))
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' has a leading zero, which YAML readers "
			   "disagree on (YAML 1.1 reads %s as %s, YAML 1.2 as "
			   "%s%s); write %s", what, v->text, v->text, decimal,
			   strpbrk(v->text, "89") ? "the number " : "", meant,
			   meant);
	else if (meant) /* text ("04-08 weeks"), or a number both YAML
			 * readers read alike ("02", "00"): one way to write */
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' has a leading zero, which numbers are "
			   "written without; write %s", what, v->text, meant);
	int rc = meant ? -1 : 0;
	free(meant);
	return rc;
}

/* Whether s is a decimal number as partnermap reads one ("-1.29", "12",
 * ".5"): what only quotes make text. */
static int plain_decimal(const char *s)
{
	if (!s)
		return 0;
	size_t i = *s == '+' || *s == '-';
	size_t digits = strspn(s + i, "0123456789");
	i += digits;
	if (s[i] == '.') {
		size_t frac = strspn(s + i + 1, "0123456789");
		digits += frac;
		i += 1 + frac;
	}
	return digits && !s[i];
}

int field_number_quoted(field_ctx *c, const fm_node *v, const char *what,
			field_fits fits, const char *rule)
{
	if (v->said || v->type != FM_STRING || !plain_decimal(v->text))
		return 0;
	/* "06": the number as it is written, in one step */
	char *meant = field_without_leading_zeros(v->text);
	const char *number = meant ? meant : v->text;
	if (fits && !fits(number))
		/* '00' for a capacity of at least 1: written without the
		 * quotes, it would be refused in turn */
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' is text in quotes, and %s is not %s either: "
			   "write one such number, without the quotes", what,
			   v->text, number, rule);
	else if (meant)
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' is text in quotes: write %s, without them "
			   "and without the leading zero", what, v->text, meant);
	else
		diag_error(c->d, c->path, v->line, v->col,
			   "%s '%s' is text in quotes: write the number without "
			   "them", what, v->text);
	free(meant);
	return -1;
}

int field_number_written(field_ctx *c, const fm_node *v, const char *what)
{
	return field_number_fits(c, v, what, NULL);
}

int check_slug(const char *s)
{
	int prev_dash = 1; /* no leading dash */
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s == '-') {
			if (prev_dash)
				return -1;
			prev_dash = 1;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) {
			prev_dash = 0;
		} else {
			return -1;
		}
	}
	return prev_dash ? -1 : 0;
}

/* ---- lists of fixed words ---------------------------------------------- */

void field_join_words(buf_t *b, const char *const *words)
{
	size_t n = 0;
	while (words[n])
		n++;
	size_t shown = n > FIELD_WORDS_LISTED ? FIELD_WORDS_LISTED : n;
	for (size_t i = 0; i < shown; i++)
		buf_printf(b, "%s%.*s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ",
			   DIAG_QUOTE(words[i]));
	if (shown < n)
		buf_printf(b, " or one of %zu more", n - shown);
}

int field_word_index(const char *word, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (!strcasecmp(word, words[i]))
			return i;
	return -1;
}

void field_unknown_word(field_ctx *c, const fm_node *at, const char *what,
			const char *word, const char *const *words)
{
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "unknown %s '%.*s%s' (expected ", what, DIAG_QUOTE(word));
	field_join_words(&msg, words);
	buf_puts(&msg, ")");
	const char *best = hint_from(word, words);
	if (best)
		buf_printf(&msg, "; did you mean %s?", best);
	diag_error(c->d, c->path, at->line, at->col, "%s", buf_cstr(&msg));
	buf_free(&msg);
}

int field_word(field_ctx *c, const fm_node *v, const char *const *words,
	       const char *what)
{
	char *word = NULL;
	if (field_text(c, v, &word) < 0)
		return -1;
	if (!word) { /* empty: the words it may be */
		buf_t msg = BUF_INIT;
		buf_printf(&msg, "%s is empty: write ", value_name(v));
		field_join_words(&msg, words);
		diag_error(c->d, c->path, v->line, v->col, "%s", buf_cstr(&msg));
		buf_free(&msg);
		return -1;
	}
	int k = field_word_index(word, words);
	if (k < 0)
		field_unknown_word(c, v, what, word, words);
	free(word);
	return k;
}

/* The listed-twice warning at dup, one item of a list. */
static void say_twice(field_ctx *c, const fm_node *dup, int first_line,
		      const char *what, const char *word)
{
	diag_warning(c->d, LISTED_TWICE, c->path, dup->line, dup->col,
		     "%s '%.*s%s' is listed twice (first at line %d): delete "
		     "this one", what, DIAG_QUOTE(word), first_line);
}

void field_listed_twice(field_ctx *c, field_twice *t, const fm_node *dup,
			int first_line, const char *what, const char *word)
{
	if (t->n++ < FIELD_UNKNOWN_TOLD)
		say_twice(c, dup, first_line, what, word);
	else if (!t->first) {
		t->first = dup;
		t->first_line = first_line;
		t->word = xstrdup(word);
	}
}

void field_twice_end(field_ctx *c, field_twice *t, const char *what)
{
	size_t more = t->first ? t->n - FIELD_UNKNOWN_TOLD - 1 : 0;
	if (t->first && !more) /* the eleventh alone */
		say_twice(c, t->first, t->first_line, what, t->word);
	else if (t->first)
		diag_warning(c->d, LISTED_TWICE, c->path, t->first->line,
			     t->first->col, "%s '%.*s%s' and %zu more from here "
			     "on in this list are listed twice too: delete them",
			     what, DIAG_QUOTE(t->word), more);
	free(t->word);
	*t = (field_twice)FIELD_TWICE_INIT;
}

/* a and b equal once blanks at both ends are left out, ASCII case
 * ignored */
static int same_trimmed(const char *a, const char *b)
{
	a += strspn(a, " \t\r\n");
	b += strspn(b, " \t\r\n");
	size_t n = strlen(a), m = strlen(b);
	while (n && strchr(" \t\r\n", a[n - 1]))
		n--;
	while (m && strchr(" \t\r\n", b[m - 1]))
		m--;
	return n == m && !strncasecmp(a, b, n);
}

/* An item's text without its blanks at both ends: its start, into *n
 * its length. */
static const char *trimmed(const char *s, size_t *n)
{
	s += strspn(s, " \t\r\n");
	size_t m = strlen(s);
	while (m && strchr(" \t\r\n", s[m - 1]))
		m--;
	*n = m;
	return s;
}

/* qsort_r's order of field_same.ord: by trimmed text, ASCII case
 * ignored, then by index. */
static int cmp_same(const void *a, const void *b, void *arg)
{
	const fm_node *items = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	size_t n, m;
	const char *x = trimmed(items[i].text, &n), *y = trimmed(items[j].text, &m);
	int c = strncasecmp(x, y, n < m ? n : m);
	if (!c && n != m)
		c = n < m ? -1 : 1;
	return c ? c : i < j ? -1 : i > j;
}

void field_same_init(field_same *s, const fm_node *items, size_t n)
{
	s->items = items;
	s->n = n;
	s->twice = (field_twice)FIELD_TWICE_INIT;
	s->ord = xcalloc(n + 1, sizeof *s->ord);
	s->group = xcalloc(n + 1, sizeof *s->group);
	s->cursor = xcalloc(n + 1, sizeof *s->cursor);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		s->group[i] = (size_t)-1;
		/* an empty item is told as empty (field_required_text),
		 * never also as a repeat of another empty one */
		size_t len = 0;
		if (fm_is_scalar(&items[i]) && items[i].text &&
		    (trimmed(items[i].text, &len), len))
			s->ord[m++] = i;
	}
	qsort_r(s->ord, m, sizeof *s->ord, cmp_same, (void *)items);
	for (size_t k = 0, start = 0; k < m; k++) {
		if (k && !same_trimmed(items[s->ord[k]].text, items[s->ord[k - 1]].text))
			start = k;
		s->group[s->ord[k]] = start;
		s->cursor[start] = start;
	}
}

void field_same_end(field_ctx *c, field_same *s, const char *what)
{
	field_twice_end(c, &s->twice, what);
	free(s->ord);
	free(s->group);
	free(s->cursor);
	memset(s, 0, sizeof *s);
}

int field_repeats(field_ctx *c, field_same *s, size_t i, const char *what)
{
	const fm_node *items = s->items;
	if (i >= s->n || s->group[i] == (size_t)-1 || items[i].said)
		return 0;
	/* the group's members before i, in index order: those marked said
	 * (told already) are passed for good, since a mark stays */
	size_t *at = &s->cursor[s->group[i]];
	while (s->ord[*at] < i && items[s->ord[*at]].said)
		(*at)++;
	size_t k = s->ord[*at];
	if (k >= i)
		return 0;
	char *word = xstrdup(items[i].text);
	trim_in_place(word);
	field_listed_twice(c, &s->twice, &items[i], items[k].line, what, word);
	free(word);
	return 1;
}

int field_untold_take(field_untold *u, const fm_node *item)
{
	if (u->unknown++ < FIELD_UNKNOWN_TOLD)
		return 1;
	if (!u->first)
		u->first = item;
	return 0;
}

void field_untold_end(field_ctx *c, const field_untold *u, const char *what)
{
	if (!u->first) /* one error for the rest: each with its list and
			* hint is megabytes and minutes when thousands are
			* wrong */
		return;
	size_t more = u->unknown - FIELD_UNKNOWN_TOLD - 1;
	if (!more) /* the eleventh alone */
		diag_error(c->d, c->path, u->first->line, u->first->col,
			   "'%.*s%s' is no known %s either: fix it as the "
			   "errors above say", DIAG_QUOTE(u->first->text), what);
	else
		diag_error(c->d, c->path, u->first->line, u->first->col,
			   "'%.*s%s' and %zu more word%s from here on in this "
			   "list are no known %s either: fix them as the "
			   "errors above say", DIAG_QUOTE(u->first->text), more,
			   more == 1 ? "" : "s", what);
}

size_t field_words(field_ctx *c, const fm_node *v, strlist *out,
		   const char *const *words, const char *what)
{
	const fm_node *items;
	size_t n;
	strlist_free(out);
	if (field_list(c, v, &items, &n) < 0)
		return 1; /* reported */
	size_t nwords = 0;
	while (words[nwords])
		nwords++;
	/* seen[k]: 1 + the index of the item that first named word k */
	size_t *seen = xcalloc(nwords + 1, sizeof *seen);
	field_untold untold = FIELD_UNTOLD_INIT;
	field_twice twice = FIELD_TWICE_INIT;
	for (size_t i = 0; i < n; i++) {
		char *word = NULL;
		if (field_required_text(c, &items[i], &word) < 0)
			continue;
		int k = field_word_index(word, words);
		if (k < 0 && field_untold_take(&untold, &items[i]))
			field_unknown_word(c, &items[i], what, word, words);
		else if (k < 0)
			;
		else if (seen[k])
			field_listed_twice(c, &twice, &items[i],
					   items[seen[k] - 1].line, what, word);
		else
			seen[k] = i + 1;
		free(word);
	}
	field_untold_end(c, &untold, what);
	field_twice_end(c, &twice, what);
	/* room for the words given, not the whole vocabulary: a site's
	 * disciplines run to dozens, an offer names two or three */
	const char **given = xcalloc(nwords + 1, sizeof *given);
	size_t ngiven = 0;
	for (size_t k = 0; k < nwords; k++)
		if (seen[k])
			given[ngiven++] = words[k];
	strlist_pack(out, given, ngiven);
	free(given);
	free(seen);
	return n;
}

/* Values quoted in a message: past this many characters, the rest is
 * left out (a 5,000-character paste is not echoed whole). */
#define QUOTE_MAX 120

/* s as a message quotes it: at most QUOTE_MAX code points, then "...".
 * Fresh. */
static char *quoted(const char *s)
{
	size_t at = 0, chars = 0, n = strlen(s);
	while (at < n && chars < QUOTE_MAX) {
		unsigned cp;
		at += chars_decode(s + at, n - at, &cp);
		chars++;
	}
	return at < n ? xasprintf("%.*s...", (int)at, s) : xstrdup(s);
}

int field_email(field_ctx *c, const fm_node *v, char **out)
{
	if (field_text(c, v, out) < 0)
		return -1;
	if (!*out)
		return 0;
	buf_t why = BUF_INIT;
	if (check_email(*out, &why) == 0) {
		buf_free(&why);
		return 0;
	}
	char *guess = email_suggestion(*out);
	char *shown = quoted(*out);
	buf_t msg = BUF_INIT;
	buf_printf(&msg, "%s '%s' does not look like an e-mail address (%s): "
		   "write one plain address such as name@example.org, without "
		   "%%, ?, &, spaces, quotes or comments", v->key ? v->key : "email",
		   shown, buf_cstr(&why));
	free(shown);
	if (guess)
		buf_printf(&msg, "; did you mean %s?", guess);
	diag_error(c->d, c->path, v->line, v->col, "%s", buf_cstr(&msg));
	free(guess);
	buf_free(&msg);
	buf_free(&why);
	return -1;
}

char *translation_slug(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || check_language_tag(dot + 1) < 0)
		return NULL;
	char *base = xstrndup(name, (size_t)(dot - name));
	if (check_slug(base) == 0)
		return base;
	free(base);
	return NULL;
}

int check_language_tag(const char *s)
{
	size_t primary = 0;
	while (isalpha((unsigned char)s[primary]))
		primary++;
	/* "zzq0": the primary language ends at a dash or the end */
	if (primary < 2 || primary > 3 || (s[primary] && s[primary] != '-'))
		return -1;
	for (const char *p = s + primary; *p;) {
		p++; /* the dash */
		size_t n = 0;
		while (isalnum((unsigned char)p[n]))
			n++;
		if (n < 1 || n > 8 || (p[n] && p[n] != '-'))
			return -1;
		p += n;
	}
	return 0;
}

const char *language_is_none(const char *tag)
{
	static const char *const codes[][2] = {
		{"zxx", "no linguistic content"}, {"mul", "several languages"},
		{"mis", "a language without a code"},
		{"und", "an undetermined language"}};
	size_t n = strcspn(tag, "-_");
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (n == strlen(codes[i][0]) && !strncasecmp(tag, codes[i][0], n))
			return codes[i][1];
	return NULL;
}

int language_tag_of_locale(const char *tag, char *out, size_t n)
{
	if (!strchr(tag, '_') || strlen(tag) >= n || check_language_tag(tag) == 0)
		return -1;
	memcpy(out, tag, strlen(tag) + 1);
	for (char *u = strchr(out, '_'); u; u = strchr(u, '_'))
		*u = '-';
	if (check_language_tag(out) < 0)
		return -1;
	language_tag_case(out);
	return 0;
}

void language_tag_case(char *s)
{
	int after_singleton = 0;
	for (char *sub = s; *sub; ) {
		size_t n = strcspn(sub, "-");
		int first = sub == s;
		for (size_t i = 0; i < n; i++) {
			int up = !first && !after_singleton &&
				 (n == 2 || (n == 4 && i == 0));
			sub[i] = (char)(up ? toupper((unsigned char)sub[i]) :
					tolower((unsigned char)sub[i]));
		}
		if (n == 1)
			after_singleton = 1;
		sub += n + (sub[n] == '-');
	}
}
