/* reuse.h - skip rendering the pages whose inputs did not change since the
 * last build into the same output folder.
 *
 * A page's inputs are summed up in a fingerprint (SHA-256, util/digest.h):
 *
 *   shared   site.yml, every file of the site's themes/ and i18n/ folders
 *            and of the installed theme, the name, size, times and inode
 *            of every file in the basemap's and the point file's folders,
 *            the partnermap program itself (its size, times and inode)
 *            and its version;
 *   summary  what every page shows of the whole site, from the model once
 *            render_prepare made it: counts, the networks (every field,
 *            their order, counts and shapes), the menu's pages, the assets'
 *            fingerprinted names, which basemap countries have partners and
 *            their names, and the outlines' simplification, which every
 *            partner's location moves (geo_map_drawn);
 *   members  per institution, two digests: "full", the bytes of its
 *            record (site.h, digest_file) and its bundle's files; "head",
 *            the bytes of its front matter alone (digest_head) and its
 *            bundle's file names and sizes. Both also hold its slug, path,
 *            location, basemap feature, country and marker network.
 *
 * A unit is a set of files that one job writes, named by a key:
 *
 *   institutions/<slug>/   a page's folder, with every file below it
 *   countries/<code>/index.html, countries/<code>/page/<n>/index.html,
 *   networks/<slug>/…, electives/<type>/…
 *                          one page of a listing: its first page and each
 *                          numbered page is a unit of its own
 *   electives/<type>/partners.csv   an elective's CSV
 *   countries/<code>/ + RENDER_UNIT_SCRIPTS ("*.js")
 *                          a country's scripts of the clustered home page
 *                          (list-<n>.js, zoom.js: render/clusters.c)
 *   countries/ + RENDER_UNIT_SCRIPTS   facets.js and search.js
 *   index.html, map.svg, feed.xml, partners.geojson, partners.csv,
 *   sitemap.xml, 404.html  one file each ("site files")
 *
 * Its fingerprint is shared + summary + the key + the members it shows:
 * an institution's page its own "full" digest; every other unit the
 * "head" digests of the institutions it lists, in page order (those on
 * a listing's page, with how many the whole listing has; those offering
 * an elective for its CSV; everyone for the site files, none for
 * 404.html). What each page of a listing shows of all the listing's
 * members (its map as drawn; a country's count per network) joins the
 * fingerprint as the page is about to be rendered (render_reuse's
 * shown), kept or not, so the manifest holds it too. The map's digest is
 * named by the digest of what it is drawn from (its markers' inputs,
 * with the shared and summary digests) in two more units of each
 * listing, its first page's file + "#in" and + "#map", which own no
 * file: while the inputs are the last build's, the map's digest is the
 * manifest's and the map is not drawn; when they changed, the map is
 * drawn, and an edit it does not show (a member inside a cluster of
 * markers renamed) keeps every page but the one listing the member. No page but an institution's shows a body or
 * anything made from one (render/views.c: body_html is VIEW_FULL's alone),
 * so an edit of a body renders that one page. The feed adds the build's
 * date when no record has a joined date (it shows it then). Free pages
 * are always rendered (they are few, and read their own files).
 *
 * The manifest, the hidden file .<OUT_DIR's name>.partnermap-manifest
 * beside OUT_DIR (never in it: it is not published, and serve never serves
 * it), holds each unit's fingerprint and every file of the output with its
 * size, modification and change times and inode, as the last successful
 * build left them. A unit is kept, not rendered, only when its
 * fingerprint is the one in the manifest AND each file of the manifest
 * that the unit owns (there must be one) is still, in OUT_DIR, a regular file reached without a link,
 * with the same size, times and inode. So a file someone changed since
 * (even with the same size and a forged modification time: the change
 * time cannot be set) is rendered again, and a manifest copied from
 * elsewhere matches nothing. It also holds each folder of OUT_DIR that the
 * last in-place commit left as it found it and that had not changed for
 * UPD_SETTLE_S seconds, with its inode and times taken before it was
 * read: the next commit takes such a folder's listing from the files
 * below it in the manifest instead of reading it (update.h, upd_listed),
 * as long as the folder still has that identity. Such a folder is also
 * looked at once per build, as the first kept file below it needs it
 * (fstatat, not following a link): a folder still, the files below it are
 * stat'ed by their path through it (one call each, where a path checked
 * name by name takes three), and the commit takes its stat from there
 * instead of taking another, unless it moved a file into it. A missing,
 * unreadable, truncated or malformed manifest, a link in its place, or
 * --clean: every page is rendered. The
 * manifest is written after a build succeeded, and only then.
 *
 * pieces  A file of one piece per institution (render/splice.h:
 *         partners.geojson, partners.csv, an elective's CSV, search.js)
 *         that is rendered again is written through a splice: the piece of
 *         each member whose "head" digest is in the last build's table of
 *         the file is copied from the last build's file. The tables are the
 *         hidden file .<OUT_DIR's name>.partnermap-pieces beside the
 *         manifest (reuse.c, "pieces"), written with it after a build that
 *         wrote such a file; each holds the identity of its file as the
 *         commit left it (as the manifest's lines do) and a digest of the
 *         shared and summary digests and the file's name, and is followed
 *         only while both are this build's. Kept files keep their tables. */
#ifndef PM_REUSE_H
#define PM_REUSE_H

#include "../render/render.h"

/* The suffix of the manifest's name beside OUT_DIR: ".output" +
 * REUSE_MANIFEST_SUFFIX. */
#define REUSE_MANIFEST_SUFFIX ".partnermap-manifest"
/* The suffix of the pieces' tables beside OUT_DIR (reuse.c, "pieces"). */
#define REUSE_PIECES_SUFFIX ".partnermap-pieces"

typedef struct reuse_inputs {
	const char *site_dir;   /* the site folder */
	const char *out_dir;    /* OUT_DIR as stage_open resolved it
				   (stage.final): its last part a name, never
				   "." or "..", so the manifest is beside it */
	const char *theme_dir;  /* the installed theme's folder, or NULL */
	const char *basemap;    /* site.yml's map.basemap, relative to site_dir */
	const char *points;     /* site.yml's map.points, or NULL */
	const char *version;
	int fresh;              /* --clean: do not read the last manifest */
} reuse_inputs;

typedef struct reuse reuse;

/* Read the last manifest (unless in->fresh) and digest the shared inputs.
 * Never fails: whatever cannot be read makes every page render. Free with
 * reuse_free. */
reuse *reuse_open(const reuse_inputs *in);

/* Fingerprint every unit, from r after render_prepare. Sets r->reuse so
 * that the pages ask reuse_keep. */
void reuse_prepare(reuse *u, render_ctx *r);

/* After stage_commit of st succeeded: write the manifest for what OUT_DIR
 * now holds, from st->found when the commit gave it (stage.h: the walk of
 * an in-place commit, or the stat of each file as a build that swapped a
 * whole site in wrote it), else by walking OUT_DIR. 0; or -1 with errno
 * after a failure, which removes the manifest (the next build renders
 * every page): the site itself is in place, so the caller only says so.
 * After an in-place build that changed no file of OUT_DIR, the last
 * manifest is still true, and a failure keeps it and returns 0. */
int reuse_save(reuse *u, const stage *st);

/* The number of units kept by the build (for tests and measurements). */
size_t reuse_kept(const reuse *u);
/* The number of files the manifest of the last build lists (0 without
 * one): about as many as this build writes (stage_reserve). */
size_t reuse_old_files(const reuse *u);
/* When a manifest was there but not read (util/fs.h, fs_open_plain):
 * another user's or writable by its group or others, a symbolic link,
 * not a regular file or too large: planted, perhaps, and every page was
 * rendered. The errno of the refusal (fs_plain_refusal tells why), or 0
 * when it was read or missing. */
int reuse_refused(const reuse *u);

/* The same of the pieces' tables: every piece was made. */
int reuse_pieces_refused(const reuse *u);
/* 1 when the manifest (the pieces' tables) began as one of this format
 * but was cut short or changed since a build wrote it, and was not used:
 * every page was rendered (every piece made). A manifest of another
 * format, from another version, is not damaged. */
int reuse_damaged(const reuse *u);
int reuse_pieces_damaged(const reuse *u);
/* Why reuse_save could not write the pieces' tables it had (an errno),
 * or 0: the next build makes every piece again. */
int reuse_pieces_errno(const reuse *u);

void reuse_free(reuse *u);

#endif
