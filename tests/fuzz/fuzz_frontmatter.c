/* fuzz_frontmatter.c - libFuzzer target: any bytes as a content file.
 * Whatever the input, fm_parse must return, report through diagnostics and
 * free everything (run under ASan + UBSan). */
#include <stddef.h>
#include <stdint.h>

#include "load/frontmatter.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diags_t d = DIAGS_INIT;
	fm_doc doc;
	fm_parse((const char *)data, size, "fuzz.md", &doc, &d);
	fm_doc_free(&doc);
	diags_free(&d);
	return 0;
}
