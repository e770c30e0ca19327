/* scaffold.h - starting records and sites: `partnermap new` and
 * `partnermap init`, and the pieces they are made of.
 *
 *   slug.c       a slug from a name in any script (ICU transliteration)
 *   archetype.c  the archetypes a new record is made from, and filling in
 *                the name as a quoted YAML string
 *   new.c        partnermap new KIND NAME
 *   init.c       partnermap init DIR
 *   schema.c     partnermap schema: the tables of keys as a JSON Schema,
 *                Markdown and Front Matter CMS content types (schema.h)
 *   usage.c      the message for a bad command line
 *
 * Nothing here keeps state between calls. */
#ifndef PM_SCAFFOLD_H
#define PM_SCAFFOLD_H

#include <stddef.h>

#include "../record_kind.h"
#include "../util/buf.h"
#include "../util/diag.h"

/* An I/O failure about a whole file or folder, at line 1, column 1 as the
 * project writes file-level problems (exit 3). */
#define fatal_at(d, path, ...) \
	diags_add((d), DIAG_FATAL, CHECK_NONE, (path), 1, 1, __VA_ARGS__)

/* ---- slugs ------------------------------------------------------------- */

/* Longest slug slug_from_name makes, in bytes: a file name stays short
 * enough to read, and far below the 255 bytes a file system allows. */
#define SLUG_MAX 80
/* Longest slug `new --slug` accepts, in bytes. */
#define SLUG_GIVEN_MAX 200

/* The slug for name (UTF-8): every script transliterated to Latin, then
 * to ASCII, in lower case (ICU's "Any-Latin; Latin-ASCII; Lower": đ -> d,
 * ı and İ -> i, ß -> ss, ø -> o, æ -> ae, ł -> l, Thai, Amharic, Arabic,
 * Bengali, Cyrillic, Greek, Han ... by ICU's romanisations); apostrophes
 * and letters ICU leaves outside ASCII are dropped, and every other run of
 * characters that is not a-z or 0-9 becomes one '-'. A slug longer than
 * SLUG_MAX is cut at the last '-' before that length.
 *
 * The result satisfies the loader's rule (check_slug in load/fields.h:
 * ^[a-z0-9]+(-[a-z0-9]+)*$). Returns a fresh string the caller frees, or
 * NULL when nothing is left (a name of punctuation only), when name is
 * not valid UTF-8, or when ICU fails. The romanisations are ICU's, so a
 * new ICU release may spell a few non-Latin names differently. */
char *slug_from_name(const char *name);

/* The scripts of name that slug_from_name reads in one language's way
 * (ICU's script property, UAX #24): SLUG_HAN for Han characters, read as
 * Mandarin; SLUG_KANA for Hiragana or Katakana, which make a name
 * Japanese. 0 for neither, or for text that is not UTF-8. */
#define SLUG_HAN 1
#define SLUG_KANA 2
int slug_scripts(const char *name);

/* ---- archetypes -------------------------------------------------------- */

/* "institution", "network", "page". */
const char *record_kind_name(record_kind k);
/* The content folder of a kind: "institutions", "networks", "pages". */
const char *record_kind_folder(record_kind k);
/* The kind named word, or -1. */
int record_kind_from_name(const char *word);

/* The archetype compiled into partnermap for kind k: a whole record,
 * YAML front matter and Markdown body, with {{name}} where the name goes.
 * Static text; never NULL. */
const char *archetype_builtin(record_kind k);

/* Where a kind's archetype comes from, first found wins:
 *   1. <site_dir>/archetypes/<kind>.md
 *   2. <theme_dir>/archetypes/<kind>.md (theme_dir: the theme the build
 *      uses, see build.c; NULL to skip)
 *   3. the built-in one.
 * Appends the text to out and sets *shown to how messages name it
 * ("archetypes/institution.md", "themes/default/archetypes/network.md",
 * or "(built-in institution archetype)"; theme_shown names the theme
 * folder for messages). An archetype of the site (1, or 2 when the theme
 * is the site's own) is read through util/safefs.h confined to site_dir:
 * a link out of the site, a named pipe or a device is a DIAG_ERROR in d
 * and -1. A file that exists but cannot be read is a DIAG_FATAL in d and
 * -1; otherwise 0. *shown is a fresh string. */
int archetype_find(const char *site_dir, const char *theme_dir,
		   const char *theme_shown, record_kind k, buf_t *out,
		   char **shown, diags_t *d);

/* text with every "{{name}}" (also written "{{ name }}") replaced by
 * yaml_quote(name). Returns a fresh string. */
char *archetype_fill(const char *text, const char *name);

/* s (valid UTF-8) as a YAML double-quoted scalar, quotes included, which
 * is also a valid JSON string: '"' and '\' are escaped, and so is every
 * character YAML does not allow unescaped or would fold into a space (C0
 * and C1 controls, DEL, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF), as \t,
 * \n, \r or \uXXXX. A colon, '#', quote or
 * leading '-' in a name therefore stays text. Returns a fresh string. */
char *yaml_quote(const char *s);

/* ---- the commands ------------------------------------------------------ */

/* A bad command line of `partnermap CMD`: prints "partnermap: ", the
 * message made from fmt (printf) and a line pointing to
 * `partnermap CMD --help` on stderr, and returns EXIT_USAGE (2) for the
 * command to return. */
int scaffold_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A path named on the command line of `partnermap CMD` by opt ("-o",
 * "-C", "init"), checked before anything is made: when it goes through
 * a folder that does not exist ("x/../out" without x), the usage error
 * fs_dotdot_problem words, "partnermap: -o 'x/../out': there is no folder
 * 'x', so 'x/..' leads nowhere: write -o out, or create x first", and
 * EXIT_USAGE; else 0. A NULL path is 0. */
int scaffold_path_usable(const char *cmd, const char *opt, const char *path);
/* scaffold_path_usable for a file the command writes (--report, schema
 * -o), and, when path is relative, none of the folders on its way may be
 * a symbolic link: a checkout a merge request brings can hold one leading
 * out of it, and CI names such files relative to the checkout. (A link at
 * the file's own name is replaced when it is written, util/fs.h,
 * fs_replace.) Nor, relative or absolute, may a folder or link on its
 * way be another user's in a folder anyone may write, such as /tmp
 * (publish/stage.h, stage_planted_way). The usage error and EXIT_USAGE,
 * or 0. */
int scaffold_file_usable(const char *cmd, const char *opt, const char *path);
/* scaffold_path_usable for a folder the command writes (build -o), and,
 * when path is relative, none of the folders on its way may be a
 * symbolic link, as for scaffold_file_usable: "-o public/site" with
 * public/ committed as a link to a folder of the runner's. (OUT_DIR itself
 * a link is refused by the build, publish/stage.h.) The usage error and
 * EXIT_USAGE, or 0. */
int scaffold_folder_usable(const char *cmd, const char *opt, const char *path);
/* Write text to the file at path that a command was told to write
 * (--report, schema -o) in one step, as a new file renamed into place
 * (util/fs.h, fs_replace): a link at path, which a merge request can
 * commit where CI writes, is replaced, never written through; the way
 * to it is checked again first (stage_planted_way; opt names the option
 * for the message). 0; or, after "partnermap: error: cannot write WHAT
 * 'PATH': ..." on stderr (the path written out as diag_visible does),
 * EXIT_FAILURE_IO. */
int scaffold_write_file(const char *what, const char *opt, const char *path,
			const char *text);
/* For a file the command writes (--report, schema -o; opt names it): a
 * usage error and EXIT_USAGE when it would be where a build keeps its own
 * files, else 0. That is: named as the files kept beside an output folder
 * (".OUT.partnermap-..."); the output folder out itself (NULL: none
 * given); inside out, or inside any folder partnermap wrote (one holding
 * its marker), whose next build removes what it did not write; a file
 * the build of the site at site_dir reads (NULL: none), site.yml or one
 * in content/, i18n/, themes/, archetypes/ or geodata/. Checked on the
 * real paths, of folders made or still to make ("out/." is "out"). */
int scaffold_file_outside_output(const char *cmd, const char *opt,
				 const char *path, const char *out,
				 const char *site_dir);

/* partnermap new KIND NAME [-C SITE_DIR] [--slug SLUG] [-q]. argv[0] is
 * "new". datadir is the installed data folder (<prefix>/share/partnermap),
 * where an installed theme's archetypes are found. Prints what it wrote
 * on stdout and every problem on stderr. Returns an EXIT_* code of
 * build.h: 0 written; 1 nothing written because the slug is taken, the
 * folder has no site.yml or the archetype does not make a readable
 * record; 2 bad command line; 3 I/O failure (nothing left behind). */
int cmd_new(int argc, char **argv, const char *datadir);

/* The script that fetches the basemap, relative to a checkout's top
 * (make basemap runs it): a datadir that holds it is a checkout, not an
 * install, and init says to fetch the basemap, not to install. */
#define PM_BASEMAP_FETCH "geodata/fetch-basemap.sh"

/* partnermap init DIR [-q]. argv[0] is "init". Writes a site that builds
 * at once with the installed default theme; the basemap is copied from
 * <datadir>/geodata. Returns an EXIT_* code: 0 written, 1 DIR exists and
 * is not empty, 2 bad command line, 3 I/O failure or an incomplete
 * install (nothing is left behind). */
int cmd_init(int argc, char **argv, const char *datadir);

#endif
