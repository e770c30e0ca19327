/* media.h - media types by file extension: what `serve` sends each file
 * as, and which kinds of file a page bundle publishes. One table, so a
 * kind a bundle publishes always has its type. */
#ifndef PM_MEDIA_H
#define PM_MEDIA_H

typedef struct media_kind {
	const char *ext;  /* lower case, without the dot: "pdf" */
	const char *type; /* its media type (IANA's registry), with the
			     charset for text: "text/csv; charset=utf-8" */
	int bundle;       /* 1: a page bundle publishes it (a document, image,
			     sound, video or archive a browser shows, plays
			     or downloads); 0: the site's own kinds */
} media_kind;

/* Every kind known, ending with an entry whose ext is NULL. Static. */
extern const media_kind media_kinds[];

/* The media type of a file by its name's extension (after the last '.'
 * of its last '/'-part, in any case), or NULL when the extension is
 * unknown or missing. Points into media_kinds. */
const char *media_type(const char *name);

/* 1 when a page bundle publishes a file so named (media_kind.bundle),
 * else 0. */
int media_bundle_kind(const char *name);

/* The extensions a page bundle publishes, in media_kinds' order, each
 * with its dot, apart by spaces: ".pdf .doc ...". Static, made once;
 * safe from any thread. */
const char *media_bundle_extensions(void);

#endif
