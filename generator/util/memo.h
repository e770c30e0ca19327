/* memo.h - a table of strings worked out from other strings (a collation
 * key from a name, a folded search text from a record's words), kept so
 * that the work is done once for as long as the table lives: partnermap
 * serve keeps one from a build to the next (render.h, render_ctx.memo).
 * Not thread-safe: one thread at a time. */
#ifndef PM_MEMO_H
#define PM_MEMO_H

#include <stddef.h>

typedef struct str_memo str_memo;

str_memo *str_memo_new(void);
void str_memo_free(str_memo *m);
/* The value kept for key, or NULL; valid until str_memo_free. */
const char *str_memo_get(const str_memo *m, const char *key);
/* Keep a copy of value under key (replacing an older one) and return the
 * copy. */
const char *str_memo_put(str_memo *m, const char *key, const char *value);
/* How many keys it holds. */
size_t str_memo_count(const str_memo *m);

#endif
