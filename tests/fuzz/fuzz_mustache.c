/* fuzz_mustache.c - libFuzzer target: any bytes as a template, rendered
 * with a small fixed view. Compiling and rendering must never crash, leak
 * or run away (the engine's budgets bound the work). */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "render/mustache.h"
#include "util/buf.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char view_json[] =
	"{\"a\":\"<x>\",\"b\":[1,2,{\"c\":true}],\"d\":{\"e\":\"f\"},\"n\":0}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diags_t d = DIAGS_INIT;
	mst_set *set = mst_set_new();
	cJSON *view = cJSON_Parse(view_json);
	/* The same bytes serve as the page and as a partial named "p". */
	mst_set_add(set, "page", "fuzz.mustache", (const char *)data, size, &d);
	mst_set_add(set, "p", "p.mustache", (const char *)data, size, &d);
	mst_set_check(set, &d);
	buf_t out = BUF_INIT;
	mst_render(set, "page", view, &out);
	buf_free(&out);
	cJSON_Delete(view);
	mst_set_free(set);
	diags_free(&d);
	return 0;
}
