/* usage.c - the message for a bad command line, shared by the commands of
 * scaffold.h. */
#include "scaffold.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../build.h"
#include "../util/fs.h"

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

int scaffold_path_usable(const char *cmd, const char *opt, const char *path)
{
	char *why = path ? fs_dotdot_problem(path, opt) : NULL;
	if (!why)
		return 0;
	scaffold_usage_error(cmd, "%s '%s': %s", opt, path, why);
	free(why);
	return EXIT_USAGE;
}
