/* archetype.c - what a new record starts from.
 *
 * An archetype is a whole record with {{name}} where the name goes. The
 * built-in ones fill in nothing an editor could mistake for data: every
 * field to fill is empty, so the checker names each one until it is
 * filled, and an institution starts as a draft so that it is not
 * published half-written. */
#include "scaffold.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/fs.h"
#include "../util/safefs.h"

static const char *const kind_names[RECORD_KINDS] = {"institution", "network",
						     "page"};
static const char *const kind_folders[RECORD_KINDS] = {"institutions",
						       "networks", "pages"};

static const char builtin_institution[] =
	"---\n"
	"# A new partner institution. Fill in every field marked REQUIRED, then\n"
	"# delete the line \"draft: true\": until then partnermap build and check\n"
	"# leave this file out.\n"
	"name: {{name}}\n"
	"country:        # REQUIRED: ISO 3166-1 alpha-2 code, e.g. UG\n"
	"city:           # REQUIRED: the city, as visitors would write it\n"
	"location: []    # REQUIRED: [latitude, longitude] in degrees (WGS 84)\n"
	"networks: []    # REQUIRED: slugs of content/networks/*.md\n"
	"exchanges: []   # REQUIRED: undergraduate, postgraduate, or both\n"
	"electives: []   # optional: clinical, research, observership, or offers:\n"
	"#  - type: clinical           # clinical, research or observership\n"
	"#    disciplines: [surgery]   # slugs of site.yml's disciplines\n"
	"#    levels: [undergraduate]  # undergraduate, postgraduate\n"
	"#    languages: [en]          # BCP 47 language tags\n"
	"#    duration: 4-8            # weeks: a number or a range\n"
	"#    capacity: 6              # places a year\n"
	"#    months: [Jan, Feb, Sep]  # when it is offered\n"
	"#    apply_by: 12 weeks       # a date YYYY-MM-DD, or weeks ahead\n"
	"#    fee: {amount: 250, currency: EUR}  # or: fee: waived\n"
	"#    requirements: \"What a student needs, in Markdown.\"\n"
	"#    forms: [{file: application.pdf, title: Application form}]\n"
	"#    contact: {name: , role: , email: }\n"
	"# website:      # optional: the institution's http(s) address\n"
	"# email:        # optional: the exchange office's e-mail address\n"
	"# joined:       # optional: the date it joined, YYYY-MM-DD\n"
	"# local_name:   # optional: its name in its own language and script\n"
	"# professions: []               # optional: medicine, nursing ...\n"
	"# languages_of_instruction: []  # optional: BCP 47 tags, e.g. [en]\n"
	"# housing:      # optional: where visiting students can stay\n"
	"# photo: {file: photo.jpg, alt: }  # optional: a file beside index.md\n"
	"# updated:      # optional: the day the partner last confirmed this\n"
	"draft: true\n"
	"---\n"
	"Describe the institution for visiting students: what it teaches, the\n"
	"electives it offers and how to apply. Forms and a photo go beside the\n"
	"record in a page bundle: `content/institutions/<slug>/index.md`.\n";

static const char builtin_network[] =
	"---\n"
	"# A new network. Fill in the field marked REQUIRED; institutions join\n"
	"# it by naming this file's slug in their networks list.\n"
	"name: {{name}}\n"
	"kind:           # REQUIRED: global or regional\n"
	"# colour: \"#rrggbb\"  # optional, in quotes: its colour on the map\n"
	"description:    # optional: one sentence for the legend and its page\n"
	"---\n"
	"What the network is for, who may join and whom to ask.\n";

static const char builtin_page[] =
	"---\n"
	"title: {{name}}\n"
	"# menu: 1       # optional: its place in the site's menu, a whole number\n"
	"---\n"
	"Write the page here, in Markdown.\n";

const char *record_kind_name(record_kind k)
{
	return kind_names[k];
}

const char *record_kind_folder(record_kind k)
{
	return kind_folders[k];
}

int record_kind_from_name(const char *word)
{
	for (int k = 0; k < RECORD_KINDS; k++)
		if (!strcmp(word, kind_names[k]))
			return k;
	return -1;
}

const char *archetype_builtin(record_kind k)
{
	switch (k) {
	case RECORD_INSTITUTION:
		return builtin_institution;
	case RECORD_NETWORK:
		return builtin_network;
	default:
		return builtin_page;
	}
}

/* 1 when rel under dir was read into out, 0 when there is no such file,
 * -1 (with an error or fatal in d) when it is there but unreadable or
 * refused. dir is a folder nobody vouches for (the site, or a theme in
 * it): the archetype is read through util/safefs.h, so a link out of it,
 * a named pipe or a device is refused as build refuses them. */
static int read_if_there(const char *dir, const char *rel, const char *shown,
			 buf_t *out, diags_t *d)
{
	sfs_root root;
	sfs_root_init(&root, dir, "site folder");
	int rc = sfs_read(&root, rel, shown, SFS_ARCHETYPE, out, d);
	int e = errno;
	sfs_root_free(&root);
	if (rc == SFS_OK)
		return 1;
	if (rc == SFS_REFUSED)
		return -1;
	if (e == ENOENT || e == ENOTDIR)
		return 0;
	fatal_at(d, shown, "cannot read the archetype: %s; make it readable, or remove it to use the next one",
		 strerror(e));
	return -1;
}

/* theme_dir as a path under site_dir ("themes/default"), or NULL when the
 * theme is not the site's own (an installed one). */
static const char *in_site(const char *site_dir, const char *theme_dir)
{
	size_t n = strlen(site_dir);
	if (strncmp(theme_dir, site_dir, n))
		return NULL;
	if (n && site_dir[n - 1] == '/') /* fs_join added no '/' */
		return theme_dir + n;
	return theme_dir[n] == '/' ? theme_dir + n + 1 : NULL;
}

int archetype_find(const char *site_dir, const char *theme_dir,
		   const char *theme_shown, record_kind k, buf_t *out,
		   char **shown, diags_t *d)
{
	char *rel = xasprintf("archetypes/%s.md", kind_names[k]);
	*shown = xstrdup(rel);
	int rc = read_if_there(site_dir, rel, *shown, out, d);
	if (rc == 0 && theme_dir) {
		free(*shown);
		*shown = fs_join(theme_shown, rel);
		const char *sub = in_site(site_dir, theme_dir);
		if (sub) {
			/* the site's own theme: confined to the site, as build */
			char *srel = fs_join(sub, rel);
			rc = read_if_there(site_dir, srel, *shown, out, d);
			free(srel);
		} else {
			char *path = fs_join(theme_dir, rel);
			if (fs_read(path, out) == 0)
				rc = 1;
			else if (errno != ENOENT && errno != ENOTDIR) {
				fatal_at(d, *shown, "cannot read the archetype: %s; make it readable, or remove it to use the next one",
					 strerror(errno));
				rc = -1;
			}
			free(path);
		}
	}
	free(rel);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		free(*shown);
		*shown = xasprintf("(built-in %s archetype)", kind_names[k]);
		buf_puts(out, archetype_builtin(k));
	}
	return 0;
}

char *archetype_fill(const char *text, const char *name)
{
	static const char *const marks[] = {"{{name}}", "{{ name }}"};
	char *quoted = yaml_quote(name);
	buf_t b = BUF_INIT;
	const char *p = text;
	while (*p) {
		size_t skip = 0;
		for (size_t i = 0; i < 2 && !skip; i++)
			if (!strncmp(p, marks[i], strlen(marks[i])))
				skip = strlen(marks[i]);
		if (skip) {
			buf_puts(&b, quoted);
			p += skip;
		} else {
			buf_putc(&b, *p++);
		}
	}
	free(quoted);
	buf_cstr(&b);
	return buf_detach(&b);
}

/* The code point starting at s (valid UTF-8) and its length in bytes. */
static unsigned decode(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if (s[0] < 0xE0) {
		*n = 2;
		return (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu);
	}
	if (s[0] < 0xF0) {
		*n = 3;
		return (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 |
		       (s[2] & 0x3Fu);
	}
	*n = 4;
	return (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 |
	       (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
}

/* Characters a YAML double-quoted scalar must not hold as they are:
 * those outside YAML 1.2's printable set (section 5.1, as libyaml reads
 * it), and the line breaks libyaml would fold into a space (NEL, U+2028,
 * U+2029: YAML 1.1 breaks). */
static int needs_escape(unsigned c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
	       c == 0x2028 || c == 0x2029 || c == 0xFEFF || c == 0xFFFE ||
	       c == 0xFFFF;
}

char *yaml_quote(const char *s)
{
	buf_t b = BUF_INIT;
	buf_putc(&b, '"');
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n;
		unsigned c = decode(p, &n);
		if (c == '"' || c == '\\') {
			buf_putc(&b, '\\');
			buf_putc(&b, (int)c);
		} else if (c == '\t')
			buf_puts(&b, "\\t");
		else if (c == '\n')
			buf_puts(&b, "\\n");
		else if (c == '\r')
			buf_puts(&b, "\\r");
		else if (needs_escape(c))
			buf_printf(&b, "\\u%04X", c);
		else
			buf_put(&b, p, n);
		p += n;
	}
	buf_putc(&b, '"');
	return buf_detach(&b);
}
