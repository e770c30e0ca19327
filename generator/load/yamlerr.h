/* yamlerr.h - libyaml's syntax errors in plain words.
 *
 * libyaml names a problem in the terms of the YAML grammar ("mapping
 * values are not allowed in this context", "could not find expected
 * ':'"), and often where it noticed it rather than where it is: a missing
 * space after a colon shows on the next line. The mistakes editors make
 * most (a tab in the indentation, a colon inside a value, "city:Kampala",
 * an unclosed quote or list, a list item out of line, a missing "- ")
 * are recognised from libyaml's problem and the text around it, and get
 * the line where they are and the fix. */
#ifndef PM_YAMLERR_H
#define PM_YAMLERR_H

#include <stddef.h>

#include "../util/buf.h"

/* A libyaml parser error: its problem and context strings (either may be
 * NULL) and their marks, as 1-based lines and columns (code points) in
 * the text given to libyaml. */
typedef struct yaml_problem {
	const char *problem;
	const char *context;
	int line, col;         /* problem_mark */
	int ctx_line, ctx_col; /* context_mark */
	int line0;             /* the text's first line is line line0 + 1 of
				  its file (front matter starts on line 2) */
} yaml_problem;

/* When p is a mistake known here, append the message (what is wrong and
 * how to fix it, often with the corrected line) to msg, set *line and
 * *col to where it is in the file (1-based) and return 1. Otherwise
 * return 0 and leave all three alone. text[0..len) is the YAML libyaml
 * read. */
int yaml_explain(const char *text, size_t len, const yaml_problem *p,
		 int *line, int *col, buf_t *msg);

/* s[0..n) as a YAML quoted value, appended to b: in double quotes, or in
 * single quotes when s holds a double quote and no single one nor a
 * control character, so that it reads as typed (YAML 1.2, sections 7.3.1
 * and 7.3.2); in double quotes a control character is its escape (\t,
 * \x01), so that a message shows it. */
void yaml_put_quoted(buf_t *b, const char *s, size_t n);
/* s[0..n) as an item of a [list] that reads back as that text, appended
 * to b: as it is, or (yaml_put_quoted) in quotes when it starts with an
 * indicator, holds a bracket, a comma, ": " or " #", or would read as
 * null or a boolean (YAML 1.2, sections 7.3.3 and 10.3.2). */
void yaml_put_item(buf_t *b, const char *s, size_t n);

#endif
