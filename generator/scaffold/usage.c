/* usage.c - the message for a bad command line, shared by the commands of
 * scaffold.h. */
#include "scaffold.h"

#include <stdarg.h>
#include <stdio.h>

#include "../build.h"

int scaffold_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("partnermap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'partnermap %s --help'.\n", cmd);
	return EXIT_USAGE;
}
