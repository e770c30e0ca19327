/* i18n.c - translation files, plural forms, dates and numbers (i18n.h). */
#include "i18n.h"

#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/unumsys.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>

#include "../load/fields.h"
#include "../load/frontmatter.h"
#include "../util/buf.h"
#include "../util/fs.h"

/* The default theme's en.yml, compiled in (build/gen, see the Makefile). */
static const char en_builtin[] =
#include "i18n_en.h"
	;
#define EN_BUILTIN_SHOWN "themes/default/i18n/en.yml"

/* CLDR's plural categories, in its order. */
#define FORMS 6
#define OTHER 5
static const char *const category[FORMS] = {
	"zero", "one", "two", "few", "many", "other"};

/* A line and column of a translation file. */
typedef struct where {
	int line, col;
} where;

typedef struct entry {
	char *key;
	int plural;
	char *form[FORMS];  /* a plain text is form[OTHER] */
	int given;          /* set by a file of the site's language */
	char *path;         /* the file that gave it */
	where key_at;       /* its key there */
	where form_key[FORMS], form_at[FORMS]; /* each form's key and value
						  (a plain text: the key's) */
	char **vars;        /* the {{variables}} its English texts name, */
	size_t nvars;       /* in the order they first came */
} entry;

struct i18n {
	entry *v;
	size_t n, cap;
	char *lang;         /* BCP 47, for <html lang> */
	char locale[ULOC_FULLNAME_CAPACITY];
	char digits[32];    /* CLDR numbering system: "latn", "arab" */
	int rtl;
	unsigned cats;      /* bit k: the language uses category[k] */
	UPluralRules *rules;
	UNumberFormat *num;
	UDateFormat *date;
	char *month[2][12]; /* standalone month names: [0] full, [1] short */
	const mst_set *set;
	pthread_mutex_t lock; /* ICU's formatters are not shared lightly */
};

/* ---- the table ------------------------------------------------------ */

static entry *find(const i18n *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].key, key))
			return &t->v[i];
	return NULL;
}

static void entry_clear(entry *e)
{
	for (int k = 0; k < FORMS; k++) {
		free(e->form[k]);
		e->form[k] = NULL;
	}
	free(e->path);
	e->path = NULL;
}

static int category_of(const char *word)
{
	for (int k = 0; k < FORMS; k++)
		if (!strcmp(category[k], word))
			return k;
	return -1;
}

/* The plural forms of map v into e; -1 after an error. */
static int read_forms(entry *e, const fm_node *v, const char *path, diags_t *d)
{
	int rc = 0;
	for (size_t i = 0; i < v->n; i++) {
		const fm_node *f = &v->kids[i];
		int k = category_of(f->key);
		if (k < 0) {
			diag_error(d, path, f->key_line, f->key_col,
				   "'%s' is no plural category: write zero, one, "
				   "two, few, many or other", f->key);
			rc = -1;
		} else if (!fm_is_scalar(f) || f->type == FM_NULL) {
			diag_error(d, path, f->line, f->col,
				   "the '%s' form of '%s' must be a text", f->key,
				   v->key);
			rc = -1;
		} else {
			free(e->form[k]);
			e->form[k] = xstrdup(f->text);
			e->form_key[k] = (where){f->key_line, f->key_col};
			e->form_at[k] = (where){f->line, f->col};
		}
	}
	if (rc == 0 && !e->form[OTHER]) {
		diag_error(d, path, v->key_line, v->key_col,
			   "'%s' has no 'other' form, which every language "
			   "needs: add other: with the text for most numbers",
			   v->key);
		rc = -1;
	}
	return rc;
}

/* The next Mustache tag of text from p on that names a value: a
 * variable ({{x}}, {{{x}}}, {{&x}}) or a section's start ({{#x}}, {{^x}}),
 * not its end, a comment, a partial or a change of delimiters. Its name
 * (blanks trimmed) in *name, *nlen; the tag as written in *tag, *tlen.
 * NULL when there is none; else where to go on. */
static const char *next_variable(const char *p, const char **name, size_t *nlen,
				 const char **tag, size_t *tlen)
{
	for (const char *open; (open = strstr(p, "{{"));) {
		int triple = open[2] == '{';
		const char *in = open + 2 + triple;
		const char *close = strstr(in, triple ? "}}}" : "}}");
		if (!close)
			return NULL;
		p = close + 2 + triple;
		char sigil = *in;
		if (strchr("!>=/", sigil))
			continue;
		if (strchr("&#^", sigil))
			in++;
		while (in < close && (*in == ' ' || *in == '\t'))
			in++;
		const char *end = close;
		while (end > in && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == in)
			continue;
		*name = in;
		*nlen = (size_t)(end - in);
		*tag = open;
		*tlen = (size_t)(p - open);
		return p;
	}
	return NULL;
}

static int has_variable(const entry *e, const char *name, size_t n)
{
	for (size_t i = 0; i < e->nvars; i++)
		if (strlen(e->vars[i]) == n && !memcmp(e->vars[i], name, n))
			return 1;
	return 0;
}

/* The variables of e's forms into e->vars (an English text), each once. */
static void learn_variables(entry *e)
{
	for (int k = 0; k < FORMS; k++) {
		const char *p = e->form[k], *name, *tag;
		size_t n, tn;
		while (p && (p = next_variable(p, &name, &n, &tag, &tn))) {
			if (has_variable(e, name, n))
				continue;
			e->vars = xreallocarray(e->vars, e->nvars + 1, sizeof *e->vars);
			e->vars[e->nvars++] = xstrndup(name, n);
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether a translation of e may name the variable name (n bytes): one
 * its English texts name, or another field of an object they name
 * ({{elective.label}} where English has {{elective.count}}). */
static int may_name(const entry *e, const char *name, size_t n)
{
	if (has_variable(e, name, n))
		return 1;
	const char *dot = memchr(name, '.', n);
	for (size_t i = 0; dot && i < e->nvars; i++)
		if (!strncmp(e->vars[i], name, (size_t)(dot - name) + 1))
			return 1;
	return 0;
}

/* A translated text's variables (form k of e) that e's English texts
 * never name (nor an object of theirs): each a typo that shows nothing,
 * or a value the English text does without. One warning at the form,
 * naming the first three. */
static void check_variables(const entry *e, int k, diags_t *d)
{
	const char *p = e->form[k], *name, *tag;
	size_t n, tn, unknown = 0;
	buf_t told = BUF_INIT;
	while (p && (p = next_variable(p, &name, &n, &tag, &tn))) {
		if (may_name(e, name, n))
			continue;
		/* told in one warning per text: a text of many names is
		 * told in time that grows with it alone */
		if (unknown++ < 3)
			buf_printf(&told, "%s%.*s", unknown > 1 ? ", " : "",
				   (int)(tn > 80 ? 80 : tn), tag);
	}
	if (!unknown)
		return;
	if (unknown > 3)
		buf_printf(&told, " and %zu more", unknown - 3);
	char **sorted = xcalloc(e->nvars + 1, sizeof *sorted);
	for (size_t i = 0; i < e->nvars; i++)
		sorted[i] = e->vars[i];
	qsort(sorted, e->nvars, sizeof *sorted, cmp_str);
	buf_t has = BUF_INIT;
	for (size_t i = 0; i < e->nvars; i++)
		buf_printf(&has, "%s{{%s}}", i ? " " : "", sorted[i]);
	free(sorted);
	diag_warning(d, UNKNOWN_VARIABLE, e->path, e->form_at[k].line,
		     e->form_at[k].col, "the text of '%s' names %s, which its "
		     "English text does not: a name the page does not give shows "
		     "nothing (a typo?); %s%s", e->key, buf_cstr(&told),
		     has.len ? "the names it has are " : "it has no names",
		     buf_cstr(&has));
	buf_free(&has);
	buf_free(&told);
}

/* One key of a file. base: an English file, which may add keys. */
static void apply_value(i18n *t, const fm_node *v, const char *path, int base,
			diags_t *d)
{
	entry *e = find(t, v->key);
	if (!e && !base) {
		/* the nearest key of the English texts, for a typo (hme) */
		hint_t h;
		hint_init(&h, v->key);
		for (size_t i = 0; i < t->n; i++)
			hint_offer(&h, t->v[i].key);
		buf_t msg = BUF_INIT;
		buf_printf(&msg, "unknown key '%s' (ignored): the English file "
			   "has no such text, so no template shows it", v->key);
		hint_put(&h, &msg);
		diag_warning(d, UNKNOWN_KEY, path, v->key_line, v->key_col, "%s",
			     buf_cstr(&msg));
		buf_free(&msg);
		return;
	}
	if (v->type != FM_MAP && (!fm_is_scalar(v) || v->type == FM_NULL)) {
		diag_error(d, path, v->line, v->col,
			   "'%s' must be a text, or plural forms such as "
			   "one: and other:, not %s", v->key, fm_type_name(v->type));
		return;
	}
	entry fresh = {0};
	fresh.plural = v->type == FM_MAP;
	fresh.key_at = (where){v->key_line, v->key_col};
	fresh.form_key[OTHER] = fresh.key_at;
	fresh.form_at[OTHER] = (where){v->line, v->col};
	if (fresh.plural ? read_forms(&fresh, v, path, d) < 0 :
			   (fresh.form[OTHER] = xstrdup(v->text)) == NULL) {
		entry_clear(&fresh);
		return;
	}
	if (!e) {
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 64;
			t->v = xrealloc(t->v, t->cap * sizeof *t->v);
		}
		e = &t->v[t->n++];
		memset(e, 0, sizeof *e);
		e->key = xstrdup(v->key);
	}
	entry_clear(e);
	memcpy(e->form, fresh.form, sizeof e->form);
	memcpy(e->form_key, fresh.form_key, sizeof e->form_key);
	memcpy(e->form_at, fresh.form_at, sizeof e->form_at);
	e->plural = fresh.plural;
	e->given = !base;
	e->path = xstrdup(path);
	e->key_at = fresh.key_at;
	if (base)
		learn_variables(e);
}

static int apply_text(i18n *t, const char *text, size_t len, const char *path,
		      int base, diags_t *d)
{
	fm_node root = {0};
	int rc = fm_parse_yaml(text, len, path, &root, d);
	if (rc == 0)
		rc = fm_check_duplicates(&root, path, d);
	if (rc == 0)
		for (size_t i = 0; i < root.n; i++)
			apply_value(t, &root.kids[i], path, base, d);
	fm_node_free(&root);
	return rc;
}

/* A translation file: 1 applied, 0 absent, -1 unusable (reported). */
static int apply_file(i18n *t, const sfs_root *root, const char *dir_rel,
		      const char *dir_shown, const char *lang, int base,
		      char **shown_out, diags_t *d)
{
	if (!root) /* no folder to read: linked away, told once */
		return 0;
	char *name = xasprintf("i18n/%s.yml", lang);
	char *rel = *dir_rel ? fs_join(dir_rel, name) : xstrdup(name);
	char *shown = *dir_shown ? fs_join(dir_shown, name) : xstrdup(name);
	buf_t text = BUF_INIT;
	int rc = sfs_read(root, rel, shown, SFS_I18N, &text, d);
	if (rc == SFS_IO && (errno == ENOENT || errno == ENOTDIR))
		rc = 0;
	else if (rc == SFS_IO) {
		diag_error(d, shown, 1, 1, "cannot read the translations: %s",
			   strerror(errno));
		rc = -1;
	} else if (rc == SFS_OK)
		rc = apply_text(t, text.ptr, text.len, shown, base, d) < 0 ? -1 : 1;
	else
		rc = -1;
	buf_free(&text);
	free(rel);
	free(name);
	if (rc == 1 && shown_out && !*shown_out)
		*shown_out = shown;
	else
		free(shown);
	return rc;
}

/* ---- ICU ------------------------------------------------------------ */

static void open_months(i18n *t);

static void open_icu(i18n *t, const char *date_pattern)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t got = 0;
	uloc_forLanguageTag(t->lang, t->locale, sizeof t->locale, &got, &err);
	if (U_FAILURE(err) || !t->locale[0])
		strcpy(t->locale, "en");
	t->rtl = uloc_isRightToLeft(t->locale) != 0;
	err = U_ZERO_ERROR;
	t->rules = uplrules_open(t->locale, &err);
	if (U_FAILURE(err))
		t->rules = NULL;
	UEnumeration *words = t->rules ? uplrules_getKeywords(t->rules, &err) : NULL;
	const char *w;
	while (words && U_SUCCESS(err) && (w = uenum_next(words, NULL, &err))) {
		int k = category_of(w);
		if (k >= 0)
			t->cats |= 1u << k;
	}
	uenum_close(words);
	t->cats |= 1u << OTHER;
	err = U_ZERO_ERROR;
	UNumberingSystem *ns = unumsys_open(t->locale, &err);
	const char *name = U_SUCCESS(err) ? unumsys_getName(ns) : NULL;
	snprintf(t->digits, sizeof t->digits, "%s", name ? name : "latn");
	unumsys_close(ns);
	err = U_ZERO_ERROR;
	t->num = unum_open(UNUM_DECIMAL, NULL, 0, t->locale, NULL, &err);
	if (U_FAILURE(err))
		t->num = NULL;

	UChar pattern[128], utc[] = {'U', 'T', 'C', 0};
	err = U_ZERO_ERROR;
	u_strFromUTF8(pattern, 128, NULL, date_pattern, -1, &err);
	if (U_FAILURE(err) || !pattern[0]) {
		/* no pattern: the language's own for day, month name, year */
		UChar skeleton[] = {'y', 'M', 'M', 'M', 'M', 'd', 0};
		err = U_ZERO_ERROR;
		UDateTimePatternGenerator *g = udatpg_open(t->locale, &err);
		udatpg_getBestPattern(g, skeleton, -1, pattern, 128, &err);
		udatpg_close(g);
	}
	t->date = U_SUCCESS(err) ? udat_open(UDAT_PATTERN, UDAT_PATTERN, t->locale,
					     utc, -1, pattern, -1, &err) : NULL;
	if (U_FAILURE(err))
		t->date = NULL;
	open_months(t);
}

static char *from_uchars(const UChar *s, int32_t len);

/* The language's standalone month names, full and short (CLDR's
 * "stand-alone" wide and abbreviated forms, as a month stands alone in a
 * list or a calendar row); a name ICU cannot give stays NULL. */
static void open_months(i18n *t)
{
	static const UDateFormatSymbolType kind[2] = {
		UDAT_STANDALONE_MONTHS, UDAT_STANDALONE_SHORT_MONTHS};
	UChar utc[] = {'U', 'T', 'C', 0}, name[64];
	UErrorCode err = U_ZERO_ERROR;
	UDateFormat *f = udat_open(UDAT_DEFAULT, UDAT_DEFAULT, t->locale, utc,
				   -1, NULL, 0, &err);
	for (int k = 0; k < 2 && U_SUCCESS(err); k++)
		for (int m = 0; m < 12; m++) {
			UErrorCode e = U_ZERO_ERROR;
			int32_t len = udat_getSymbols(f, kind[k], m, name, 64, &e);
			if (U_SUCCESS(e) && len > 0 && len < 64)
				t->month[k][m] = from_uchars(name, len);
		}
	if (f)
		udat_close(f);
}

/* ICU's UTF-16 result as a fresh UTF-8 string, or NULL. */
static char *from_uchars(const UChar *s, int32_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need = 0;
	u_strToUTF8(NULL, 0, &need, s, len, &err);
	char *out = xmalloc((size_t)need + 1);
	err = U_ZERO_ERROR;
	u_strToUTF8(out, need + 1, NULL, s, len, &err);
	if (U_FAILURE(err)) {
		free(out);
		return NULL;
	}
	return out;
}

char *i18n_number(const i18n *t, double n)
{
	UChar buf[64];
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = -1;
	pthread_mutex_lock((pthread_mutex_t *)&t->lock);
	if (t->num)
		len = unum_formatDouble(t->num, n, buf, 64, NULL, &err);
	pthread_mutex_unlock((pthread_mutex_t *)&t->lock);
	char *out = len >= 0 && U_SUCCESS(err) ? from_uchars(buf, len) : NULL;
	return out ? out : xasprintf("%.0f", n);
}

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (the
 * well-known civil-day count: 400-year eras of 146,097 days). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

char *i18n_date(const i18n *t, const char *iso)
{
	int y, m, d;
	char tail;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31 || !t->date)
		return NULL;
	UDate at = (UDate)days_from_civil(y, m, d) * 86400000.0;
	UChar buf[128];
	UErrorCode err = U_ZERO_ERROR;
	pthread_mutex_lock((pthread_mutex_t *)&t->lock);
	int32_t len = udat_format(t->date, at, buf, 128, NULL, &err);
	pthread_mutex_unlock((pthread_mutex_t *)&t->lock);
	return U_SUCCESS(err) ? from_uchars(buf, len) : NULL;
}

const char *i18n_month(const i18n *t, int month, int abbr)
{
	static const char *const english[2][12] = {
		{"January", "February", "March", "April", "May", "June", "July",
		 "August", "September", "October", "November", "December"},
		{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		 "Oct", "Nov", "Dec"}};
	if (month < 1 || month > 12)
		return NULL;
	int k = abbr != 0;
	const char *name = t ? t->month[k][month - 1] : NULL;
	return name ? name : english[k][month - 1];
}

char *i18n_decimal(const i18n *t, double x, int frac)
{
	UChar buf[64];
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = -1;
	UNumberFormat *f = t ? unum_open(UNUM_DECIMAL, NULL, 0, t->locale,
					 NULL, &err) : NULL;
	if (f) {
		unum_setAttribute(f, UNUM_GROUPING_USED, 0);
		unum_setAttribute(f, UNUM_MIN_FRACTION_DIGITS, frac);
		unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, frac);
		unum_setAttribute(f, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFEVEN);
		len = unum_formatDouble(f, x, buf, 64, NULL, &err);
		unum_close(f);
	}
	char *out = len >= 0 && U_SUCCESS(err) ? from_uchars(buf, len) : NULL;
	return out ? out : xasprintf("%.*f", frac, x);
}

static int select_category(const i18n *t, double n)
{
	UChar buf[16];
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = -1;
	pthread_mutex_lock((pthread_mutex_t *)&t->lock);
	if (t->rules)
		len = uplrules_select(t->rules, n, buf, 16, &err);
	pthread_mutex_unlock((pthread_mutex_t *)&t->lock);
	char word[16];
	if (len < 0 || len >= 16 || U_FAILURE(err))
		return OTHER;
	u_UCharsToChars(buf, word, len);
	word[len] = '\0';
	int k = category_of(word);
	return k < 0 ? OTHER : k;
}

/* tag's name in the locale display (a locale ID), or the tag. */
static char *display_name(const char *tag, const char *display)
{
	char id[ULOC_FULLNAME_CAPACITY];
	UChar name[128];
	char out[384];
	UErrorCode e = U_ZERO_ERROR;
	int32_t parsed = 0;
	uloc_forLanguageTag(tag, id, (int32_t)sizeof id, &parsed, &e);
	if (U_FAILURE(e) || parsed != (int32_t)strlen(tag))
		return xstrdup(tag);
	int32_t n = uloc_getDisplayName(id, display ? display : id, name, 128,
					&e);
	int32_t len = 0;
	u_strToUTF8(out, (int32_t)sizeof out, &len, name, n, &e);
	/* ICU echoes what it does not know ("xx" -> "xx") */
	if (U_FAILURE(e) || len <= 0 || len >= (int32_t)sizeof out ||
	    !strcmp(out, id))
		return xstrdup(tag);
	return xstrdup(out);
}

int i18n_tag_rtl(const char *tag)
{
	char id[ULOC_FULLNAME_CAPACITY];
	UErrorCode e = U_ZERO_ERROR;
	int32_t parsed = 0;
	uloc_forLanguageTag(tag, id, (int32_t)sizeof id, &parsed, &e);
	return U_SUCCESS(e) && uloc_isRightToLeft(id);
}

char *i18n_language_autonym(const char *tag)
{
	return display_name(tag, NULL);
}

char *i18n_language_name(const i18n *t, const char *tag)
{
	return display_name(tag, t ? i18n_lang(t) : "en");
}

char *i18n_categories(const i18n *t)
{
	buf_t b = BUF_INIT;
	for (int k = 0; k < FORMS; k++)
		if (t->cats & (1u << k)) {
			if (b.len)
				buf_putc(&b, ' ');
			buf_puts(&b, category[k]);
		}
	return buf_detach(&b);
}

/* ---- texts as templates ------------------------------------------- */

/* Text with & < > " outside Mustache tags written as entities. */
static char *escape_text(const char *s)
{
	buf_t b = BUF_INIT;
	while (*s) {
		const char *open = strstr(s, "{{");
		size_t plain = open ? (size_t)(open - s) : strlen(s);
		for (size_t i = 0; i < plain; i++) {
			const char *rep = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" :
					  s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;" : NULL;
			if (rep)
				buf_puts(&b, rep);
			else
				buf_putc(&b, s[i]);
		}
		s += plain;
		if (!open)
			break;
		const char *close = strstr(s + 2, "}}");
		size_t tag = close ? (size_t)(close - s) + 2 : strlen(s);
		while (close && s[tag] == '}')
			tag++;
		buf_put(&b, s, tag);
		s += tag;
	}
	return buf_detach(&b);
}

/* Rendered HTML text back to plain text: the entities Mustache writes. */
static char *unescape_text(const char *s)
{
	static const char *const ent[][2] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
		{"&#39;", "'"}};
	buf_t b = BUF_INIT;
	while (*s) {
		size_t plain = strcspn(s, "&"); /* copied at once */
		buf_put(&b, s, plain);
		s += plain;
		if (!*s)
			break;
		size_t k = 0, n = sizeof ent / sizeof ent[0];
		while (*s == '&' && k < n && strncmp(s, ent[k][0], strlen(ent[k][0])))
			k++;
		if (*s == '&' && k < n) {
			buf_puts(&b, ent[k][1]);
			s += strlen(ent[k][0]);
		} else
			buf_putc(&b, *s++);
	}
	return buf_detach(&b);
}

static char *template_name(const entry *e, int form)
{
	return e->plural ? xasprintf("i18n.%s.%s", e->key, category[form]) :
			   xasprintf("i18n.%s", e->key);
}

/* Each text into the set; a text that does not compile is an error at
 * its key's value. */
static void compile(const i18n *t, mst_set *set, diags_t *d)
{
	for (size_t i = 0; i < t->n; i++) {
		const entry *e = &t->v[i];
		for (int k = 0; k < FORMS; k++) {
			if (!e->form[k])
				continue;
			char *name = template_name(e, k);
			char *src = escape_text(e->form[k]);
			diags_t scratch = {0};
			where at = e->form_at[k];
			int added = mst_set_add(set, name, e->path, src, strlen(src),
						&scratch) == 0;
			/* a translation's names, once it is a template */
			if (added && e->given)
				check_variables(e, k, d);
			if (!added) {
				diag_error(d, e->path, at.line, at.col,
					   "the text of '%s' is not a valid template: "
					   "%s", e->key, scratch.n ? scratch.v[0].msg : "?");
				/* one whose tags do not pair is there, naming
				 * its partials */
				if (!mst_set_has(set, name))
					mst_set_add(set, name, e->path, "", 0, d);
			}
			/* positions inside a YAML value do not map onto the
			 * file: what a later check or render finds in the text
			 * (a missing partial, a limit) is put at the value */
			mst_set_place(set, name, at.line, at.col);
			diags_free(&scratch);
			free(src);
			free(name);
		}
	}
}

static char *render(const i18n *t, const char *name, const cJSON *view)
{
	buf_t out = BUF_INIT;
	if (mst_render(t->set, name, view, &out) != 0) {
		buf_free(&out);
		return NULL;
	}
	char *plain = unescape_text(buf_cstr(&out));
	buf_free(&out);
	return plain;
}

char *i18n_text(const i18n *t, const char *key, const cJSON *view)
{
	char *name = xasprintf("i18n.%s", key);
	char *s = render(t, name, view);
	free(name);
	return s ? s : xstrdup(key);
}

char *i18n_plural(const i18n *t, const char *key, double n, const cJSON *view)
{
	const entry *e = find(t, key);
	if (!e || !e->plural)
		return xstrdup(key);
	int k = select_category(t, n);
	if (!e->form[k])
		k = OTHER;
	cJSON *v = view ? cJSON_Duplicate(view, 1) : cJSON_CreateObject();
	char *num = i18n_number(t, n);
	cJSON_AddStringToObject(v, "count", num);
	free(num);
	char *name = template_name(e, k);
	char *s = render(t, name, v);
	free(name);
	cJSON_Delete(v);
	return s ? s : xstrdup(key);
}

/* ---- loading -------------------------------------------------------- */

/* The language's file in the theme, else the site's: `tag`, then its
 * primary subtag ("pt-BR", then "pt"). 1 when one was found. */
static int apply_language(i18n *t, const i18n_source *src, const char *tag,
			  char **first, diags_t *d)
{
	int found = 0;
	for (int own = 0; own < 2; own++) {
		const sfs_root *root = own ? src->site_root : src->theme_root;
		const char *rel = own ? "" : src->theme_rel;
		const char *shown = own ? "" : src->theme_shown;
		int rc = apply_file(t, root, rel, shown, tag, 0, first, d);
		size_t primary = strcspn(tag, "-_");
		if (rc == 0 && tag[primary]) {
			char *p = xstrndup(tag, primary);
			rc = apply_file(t, root, rel, shown, p, 0, first, d);
			free(p);
		}
		found |= rc != 0;
	}
	return found;
}

/* Warn about what the language's files leave out: keys, and plural forms
 * the language's rules need. */
static void report_missing(const i18n *t, const char *file, diags_t *d)
{
	char *cats = i18n_categories(t);
	for (size_t i = 0; i < t->n; i++) {
		const entry *e = &t->v[i];
		if (!e->given) {
			diag_warning(d, MISSING_TRANSLATION, file, 1, 1,
				     "no translation of '%s': the English text is "
				     "shown; add %s: to this file", e->key, e->key);
			continue;
		}
		for (int k = 0; e->plural && k < FORMS; k++) {
			int needed = (t->cats & (1u << k)) != 0;
			if (needed && !e->form[k])
				diag_warning(d, MISSING_TRANSLATION, e->path,
					     e->key_at.line, e->key_at.col,
					     "'%s' has no '%s' form, which "
					     "%s needs: the 'other' form is shown; "
					     "add %s:", e->key, category[k], t->lang,
					     category[k]);
			else if (!needed && e->form[k])
				diag_warning(d, UNKNOWN_KEY, e->path,
					     e->form_key[k].line, e->form_key[k].col,
					     "'%s' has a '%s' form, which %s "
					     "never uses (ignored): its forms are %s",
					     e->key, category[k], t->lang, cats);
		}
	}
	free(cats);
}

static int is_english(const char *tag)
{
	return !strncasecmp(tag, "en", 2) && (!tag[2] || tag[2] == '-' || tag[2] == '_');
}

i18n *i18n_load(const i18n_source *src, mst_set *set, diags_t *d)
{
	i18n *t = xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
	t->set = set;
	apply_text(t, en_builtin, sizeof en_builtin - 1, EN_BUILTIN_SHOWN, 1, d);
	apply_file(t, src->theme_root, src->theme_rel, src->theme_shown, "en", 1,
		   NULL, d);
	const char *lang = src->lang ? src->lang : "en";
	char *first = NULL;
	if (is_english(lang)) {
		apply_file(t, src->site_root, "", "", "en", 1, NULL, d);
		t->lang = xstrdup(lang);
	} else if (apply_language(t, src, lang, &first, d)) {
		t->lang = xstrdup(lang);
	} else if (src->words_refused) {
		t->lang = xstrdup("en");
	} else {
		diag_warning(d, UNKNOWN_LANGUAGE, src->lang_at.path,
			     src->lang_at.line, src->lang_at.col,
			     "no translation for language '%s' (neither %s/i18n/%s.yml "
			     "nor i18n/%s.yml): the pages are in English; %s "
			     "en, fr, es, pt or ar, or add i18n/%s.yml to "
			     "the site, with the keys of %s", lang,
			     src->theme_shown, lang, lang,
			     src->in_list ? "list languages that have one:" :
			     "write language:", lang, EN_BUILTIN_SHOWN);
		t->lang = xstrdup("en");
	}
	const entry *pattern = find(t, "date_pattern");
	open_icu(t, pattern && !pattern->plural ? pattern->form[OTHER] : "");
	if (first)
		report_missing(t, first, d);
	free(first);
	compile(t, set, d);
	return t;
}

void i18n_free(i18n *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		entry_clear(&t->v[i]);
		free(t->v[i].key);
		for (size_t k = 0; k < t->v[i].nvars; k++)
			free(t->v[i].vars[k]);
		free(t->v[i].vars);
	}
	free(t->v);
	free(t->lang);
	if (t->rules)
		uplrules_close(t->rules);
	if (t->num)
		unum_close(t->num);
	if (t->date)
		udat_close(t->date);
	for (int k = 0; k < 2; k++)
		for (int m = 0; m < 12; m++)
			free(t->month[k][m]);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

const char *i18n_lang(const i18n *t)
{
	return t->lang;
}

int i18n_rtl(const i18n *t)
{
	return t->rtl;
}

const char *i18n_digits(const i18n *t)
{
	return t->digits;
}
