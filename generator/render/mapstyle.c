/* mapstyle.c - the theme's map rules, assets/map.css: the one file that
 * colours every map. Pages link it as an asset; map.svg carries a copy in
 * a <style> element, so its text must be something XML 1.0 can hold. */
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../load/frontmatter.h"
#include "../util/fs.h"
#include "../util/safefs.h"

#define MAP_CSS "map.css"

/* A code point XML 1.0 (section 2.2, Char) cannot hold, even escaped:
 * C0 controls other than tab, newline and return, and U+FFFE, U+FFFF.
 * s is valid UTF-8. The offset of the first, or n. */
static size_t xml_forbidden_at(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' && u[i] != '\r') {
			*cp = u[i];
			return i;
		}
		if (u[i] == 0xEF && i + 2 < n && u[i + 1] == 0xBF &&
		    (u[i + 2] == 0xBE || u[i + 2] == 0xBF)) {
			*cp = 0xFFF0u | (u[i + 2] & 0x0Fu);
			return i;
		}
	}
	return n;
}

/* 0 when css (after any BOM) is text map.svg can carry; else an error at
 * the first bad byte. */
static int check_text(const char *css, size_t n, const char *shown,
		      diags_t *d)
{
	int line, col;
	unsigned cp = 0;
	size_t bad = fm_utf8_invalid_at(css, n);
	if (bad < n && css[bad] == '\0') {
		fm_pos_at(css, bad, &line, &col);
		diag_error(d, shown, line, col,
			   "map.css contains a NUL byte; delete it");
		return -1;
	}
	if (bad < n) {
		fm_pos_at(css, bad, &line, &col);
		diag_error(d, shown, line, col,
			   "map.css is not valid UTF-8 (byte 0x%02X); save it "
			   "as UTF-8", (unsigned)(unsigned char)css[bad]);
		return -1;
	}
	bad = xml_forbidden_at(css, n, &cp);
	if (bad < n) {
		fm_pos_at(css, bad, &line, &col);
		diag_error(d, shown, line, col,
			   "map.css contains the character U+%04X, which "
			   "map.svg (XML) cannot hold; delete it", cp);
		return -1;
	}
	return 0;
}

int map_style_load(const sfs_root *root, const char *assets_rel,
		   const char *assets_shown, char **css, diags_t *d)
{
	char *rel = fs_join(assets_rel, MAP_CSS);
	char *shown = fs_join(assets_shown, MAP_CSS);
	buf_t b = BUF_INIT;
	int rc = 0;
	*css = NULL;
	int got = sfs_read(root, rel, shown, SFS_ASSET, &b, d);
	if (got == SFS_REFUSED) {
		rc = -1;
	} else if (got == SFS_IO) {
		if (errno == ENOENT)
			diag_warning(d, THEME_NO_MAP_CSS, shown, 1, 1,
				     "the theme has no map.css, so map.svg has no "
				     "colours of its own (it shows black when "
				     "opened alone); copy themes/default/assets/"
				     "map.css into the theme and edit it");
		else {
			diag_fatal(d, shown, "cannot read: %s", strerror(errno));
			rc = -1;
		}
	} else {
		size_t skip = b.len >= 3 && !memcmp(b.ptr, "\xEF\xBB\xBF", 3) ? 3 : 0;
		if (check_text(b.ptr + skip, b.len - skip, shown, d) < 0)
			rc = -1;
		else
			*css = xstrndup(b.ptr + skip, b.len - skip);
	}
	buf_free(&b);
	free(rel);
	free(shown);
	return rc;
}
