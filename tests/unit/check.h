/* check.h - assertions for the unit tests that say what came out when they
 * fail, where a bare assert_true would only say "false". Include after
 * cmocka.h.
 *
 * Each macro names the expression it checks and prints the values it saw,
 * then fails the test at the caller's file and line (cmocka's _fail, as its
 * own assert_* macros do). Strings are borrowed, never freed; a NULL string
 * fails as "(null)". Numbers are compared as double: exact for integers up
 * to 2^53, which is every count and size a test deals with. */
#ifndef PM_TEST_CHECK_H
#define PM_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/diag.h"

/* Longest part of a haystack printed on failure, in bytes. */
#define CHECK_SHOW 1200

/* Print s (at most CHECK_SHOW bytes of it) after label. */
static inline void check_show(const char *label, const char *s)
{
	if (!s) {
		print_error("%s(null)\n", label);
		return;
	}
	size_t len = strlen(s);
	if (len <= CHECK_SHOW)
		print_error("%s\"%s\"\n", label, s);
	else
		print_error("%s\"%.*s\"... (%zu bytes in all)\n", label,
			    CHECK_SHOW, s, len);
}

/* ---- strings ----------------------------------------------------------- */

/* Fail at file:line saying that expr, whose value is s, <what> "<arg>". */
static inline void check_string_fail(const char *expr, const char *what,
				     const char *arg, const char *s,
				     const char *file, int line)
{
	print_error("%s %s \"%s\"\n", expr, what, arg ? arg : "(null)");
	check_show("  it is: ", s);
	_fail(file, line);
}

/* haystack contains needle. */
#define assert_contains(hay, needle) \
	check_contains((hay), (needle), #hay, __FILE__, __LINE__)

static inline void check_contains(const char *hay, const char *needle,
				  const char *expr, const char *file, int line)
{
	if (!(hay && needle && strstr(hay, needle)))
		check_string_fail(expr, "does not contain", needle, hay, file, line);
}

/* s, a fresh string the caller owns, equals want; s is freed either way,
 * so a call that returns one can be checked in one line. */
#define assert_string_equal_free(s, want) \
	check_string_free((s), (want), #s, __FILE__, __LINE__)

static inline void check_string_free(char *s, const char *want,
				     const char *expr, const char *file,
				     int line)
{
	if (s && want && !strcmp(s, want)) {
		free(s);
		return;
	}
	print_error("%s is not \"%s\"\n", expr, want ? want : "(null)");
	check_show("  it is: ", s);
	free(s);
	_fail(file, line);
}

/* haystack does not contain needle; on failure, shows where it is. */
#define assert_not_contains(hay, needle) \
	check_not_contains((hay), (needle), #hay, __FILE__, __LINE__)

static inline void check_not_contains(const char *hay, const char *needle,
				      const char *expr, const char *file,
				      int line)
{
	const char *at = hay && needle ? strstr(hay, needle) : NULL;
	if (hay && needle && !at)
		return;
	if (!at) {
		print_error("%s: cannot look for \"%s\" in it\n", expr,
			    needle ? needle : "(null)");
		check_show("  it is: ", hay);
	} else {
		size_t off = (size_t)(at - hay);
		size_t from = off > 60 ? off - 60 : 0;
		size_t n = strlen(needle) + (off - from) + 60;
		print_error("%s contains \"%s\" at byte %zu:\n  \"%.*s\"\n",
			    expr, needle, off, (int)n, hay + from);
	}
	_fail(file, line);
}

/* s begins with prefix. */
#define assert_starts_with(s, prefix) \
	check_starts_with((s), (prefix), #s, __FILE__, __LINE__)

static inline void check_starts_with(const char *s, const char *prefix,
				     const char *expr, const char *file,
				     int line)
{
	if (!(s && prefix && !strncmp(s, prefix, strlen(prefix))))
		check_string_fail(expr, "does not begin with", prefix, s, file,
				  line);
}

/* ---- numbers ----------------------------------------------------------- */

/* x in the fewest digits that read back as x: 0.3, not 0.29999999999999999
 * (buf holds at least 32 bytes). */
static inline const char *check_num(double x, char *buf)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, x);
		if (!isfinite(x) || strtod(buf, NULL) == x)
			break;
	}
	return buf;
}

enum check_op { CHECK_EQ, CHECK_LT, CHECK_LE, CHECK_GT, CHECK_GE };

static inline void check_cmp(double a, double b, enum check_op op,
			     const char *ea, const char *eb,
			     const char *file, int line)
{
	static const char *const sym[] = {"==", "<", "<=", ">", ">="};
	int ok = op == CHECK_EQ ? a == b : op == CHECK_LT ? a < b :
		 op == CHECK_LE ? a <= b : op == CHECK_GT ? a > b : a >= b;
	if (ok)
		return;
	char na[32], nb[32];
	print_error("expected %s %s %s, but %s %s %s is false\n", ea, sym[op],
		    eb, check_num(a, na), sym[op], check_num(b, nb));
	_fail(file, line);
}

/* a == b exactly, for doubles (cmocka's assert_int_equal is for integers). */
#define assert_double_eq(a, b) \
	check_cmp((a), (b), CHECK_EQ, #a, #b, __FILE__, __LINE__)
#define assert_lt(a, b) check_cmp((a), (b), CHECK_LT, #a, #b, __FILE__, __LINE__)
#define assert_le(a, b) check_cmp((a), (b), CHECK_LE, #a, #b, __FILE__, __LINE__)
#define assert_gt(a, b) check_cmp((a), (b), CHECK_GT, #a, #b, __FILE__, __LINE__)
#define assert_ge(a, b) check_cmp((a), (b), CHECK_GE, #a, #b, __FILE__, __LINE__)

/* |a - b| < tol. */
#define assert_near(a, b, tol) \
	check_near((a), (b), (tol), #a, #b, __FILE__, __LINE__)

static inline void check_near(double a, double b, double tol, const char *ea,
			      const char *eb, const char *file, int line)
{
	if (fabs(a - b) < tol)
		return;
	char na[32], nb[32];
	print_error("expected %s within %g of %s, but %s and %s are %g apart\n",
		    ea, tol, eb, check_num(a, na), check_num(b, nb), fabs(a - b));
	_fail(file, line);
}

/* x is neither infinite nor NaN. */
#define assert_finite(x) check_finite((x), #x, __FILE__, __LINE__)

static inline void check_finite(double x, const char *expr, const char *file,
				int line)
{
	if (isfinite(x))
		return;
	print_error("expected %s to be finite, but it is %g\n", expr, x);
	_fail(file, line);
}

/* ---- diagnostics and files --------------------------------------------- */

/* d holds a diagnostic of level lv whose message contains needle; on
 * failure, prints every diagnostic d holds. */
#define assert_has_diag(d, lv, needle) \
	check_diag((d), (lv), (needle), __FILE__, __LINE__)

static inline void check_diag(const diags_t *d, diag_level lv,
			      const char *needle, const char *file, int line)
{
	static const char *const name[] = {"warning", "error", "fatal"};
	if (diags_has(d, lv, needle))
		return;
	print_error("no %s containing \"%s\" among %zu diagnostic(s):\n",
		    name[lv], needle, d->n);
	for (size_t i = 0; i < d->n; i++)
		print_error("  %s:%d:%d: %s: %s\n",
			    d->v[i].path ? d->v[i].path : "(no path)",
			    d->v[i].line, d->v[i].col, name[d->v[i].level],
			    d->v[i].msg);
	_fail(file, line);
}

/* The file or folder at path exists (present = 1) or does not (0). */
#define assert_exists(path) check_exists((path), 1, __FILE__, __LINE__)
#define assert_not_exists(path) check_exists((path), 0, __FILE__, __LINE__)

static inline void check_exists(const char *path, int present,
				const char *file, int line)
{
	if ((access(path, F_OK) == 0) == present)
		return;
	print_error("%s %s\n", path, present ? "does not exist" :
		    "exists, but should not");
	_fail(file, line);
}

#endif
