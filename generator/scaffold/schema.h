/* schema.h - `partnermap schema`: the tables of keys (load/keys.h) for
 * editors and tools, generated, never written by hand:
 *
 *   - a JSON Schema (draft 2020-12) of a kind's front matter or of
 *     site.yml, for editors (red squiggles, completion, hover help) and
 *     CI validators;
 *   - the README's field reference, as Markdown tables;
 *   - Front Matter CMS content types (frontmatter.json), which
 *     `partnermap init` writes into a new site.
 *
 * Nothing here keeps state between calls. */
#ifndef PM_SCHEMA_H
#define PM_SCHEMA_H

#include <cjson/cJSON.h>

#include "../load/keys.h"

/* The JSON Schema URI every schema here names in "$schema". */
#define SCHEMA_DIALECT "https://json-schema.org/draft/2020-12/schema"

/* The JSON Schema of one document kind (t is keys_site or a record
 * kind's table): an object with every key of t under "properties", each
 * with "description" (the help text) and "examples" (the example), the
 * required keys under "required" (an institution's location included:
 * it is required unless site.yml's map.points gives locations, which
 * the schema cannot see), and "additionalProperties": false, so that an
 * editor marks a misspelt key as the build warns about it. The schema
 * can be stricter than the tool where the tool is lenient (the tool
 * reads "Undergraduate" as undergraduate; the schema wants the words as
 * pages show them); like the tool, it takes a lone item for a
 * list of one. Caller frees with cJSON_Delete. */
cJSON *schema_of(const key_table *t);

/* Every kind in one schema: each kind's schema under "$defs" (by its
 * kind name: site, institution, network, page), and "oneOf" referring to
 * all of them, so a document is valid when it is valid as one kind.
 * Caller frees with cJSON_Delete. */
cJSON *schema_all(void);

/* The field reference in Markdown: for t (NULL: every document, site.yml
 * with its map: keys first), a "####" heading per table and a table of
 * key, type, required, meaning and example. The README holds this text
 * between <!-- fields:begin --> and <!-- fields:end --> (make
 * readme-fields rewrites it). Fresh string. */
char *schema_markdown(const key_table *t);

/* Front Matter CMS settings (frontmatter.json): a content type per
 * record kind ("frontMatter.taxonomy.contentTypes", one field per key
 * with its title, description, type, choices and whether it is
 * required) and the content folders that use them
 * ("frontMatter.content.pageFolders"). Fresh string, JSON with a final
 * newline. */
char *schema_frontmatter_cms(void);

/* partnermap schema [KIND] [--markdown | --front-matter-cms] [-o FILE].
 * argv[0] is "schema". Prints to stdout or writes FILE. Returns an EXIT_*
 * code of build.h: 0 printed, 2 bad command line, 3 FILE could not be
 * written. */
int cmd_schema(int argc, char **argv);

#endif
