/* diag_names.h - the name of every warning partnermap gives.
 *
 * A warning is always added under one of these names (diag_warning takes
 * the ID, as in diag_warning(d, UNKNOWN_KEY, ...), so a warning without a
 * name, or with one missing here, does not compile). To add a check, add
 * a row here; its name then shows in --list-checks. The name is
 * shown after the message, "... [unknown-key]", the way compilers show
 * their -W names; site.yml's checks: turns each one into an error or
 * ignores it; --strict makes every one an error; the JSON, GitHub and
 * GitLab reports carry it. The names are part of the interface: one may
 * be added, but never renamed or reused for something else.
 *
 * X(ID, "name", "what it means, one line") */
#ifndef PM_DIAG_NAMES_H
#define PM_DIAG_NAMES_H

#define PM_CHECKS(X)                                                          \
	X(UNKNOWN_KEY, "unknown-key",                                         \
	  "a key partnermap does not read, in site.yml or a record (a typo?)") \
	X(UNKNOWN_CHECK, "unknown-check",                                     \
	  "a name under checks: in site.yml that is no check of partnermap")  \
	X(LISTED_TWICE, "listed-twice",                                       \
	  "a network, exchange or elective listed twice in one record")       \
	X(EMPTY_COLOUR, "empty-colour",                                       \
	  "a network's colour is empty (an unquoted # starts a comment)")     \
	X(EMPTY_NETWORK, "empty-network",                                     \
	  "no institution belongs to a network")                              \
	X(DUPLICATE_NAME, "duplicate-name",                                   \
	  "two institutions in different cities have the same name")          \
	X(IGNORED_FILE, "ignored-file",                                       \
	  "a file in a content folder that is not a record is left out")      \
	X(LOCATION_OUTSIDE_COUNTRY, "location-outside-country",               \
	  "a location falls in another country than the record's country")    \
	X(LOCATION_AT_SEA, "location-at-sea",                                 \
	  "a location lies more than 50 km outside any country")              \
	X(LOCATION_BEYOND_MAP, "location-beyond-map",                         \
	  "a location lies beyond what the projection shows (Mercator: 85°)") \
	X(POINTS_UNKNOWN_SLUG, "points-unknown-slug",                         \
	  "a record of map.points names no institution")                      \
	X(POINTS_EMPTY_RECORD, "points-empty-record",                         \
	  "a record of map.points has no point; it is skipped")               \
	X(POINTS_DUPLICATE_SLUG, "points-duplicate-slug",                     \
	  "two records of map.points give the same slug; the first is used")  \
	X(BASEMAP_NO_PRJ, "basemap-no-prj",                                   \
	  "a shapefile has no .prj: WGS 84 longitude/latitude is assumed")    \
	X(BASEMAP_DATUM, "basemap-datum",                                     \
	  "no datum transformation from a shapefile's CRS to WGS 84 found")   \
	X(BASEMAP_ENCODING, "basemap-encoding",                               \
	  "the basemap's .cpg names an encoding that is not known")           \
	X(BASEMAP_EMPTY_SHAPE, "basemap-empty-shape",                         \
	  "a basemap record has no shape, or no ring with an area")           \
	X(BASEMAP_NAME_CONTROLS, "basemap-name-controls",                     \
	  "a shapefile text field held control or bidi control characters")   \
	X(THEME_NO_MAP_CSS, "theme-no-map-css",                               \
	  "the theme has no assets/map.css, so map.svg has no colours")       \
	X(LARGE_FILE, "large-file",                                           \
	  "a file of a page bundle is larger than site.yml's max_file_size")  \
	X(MISSING_TRANSLATION, "missing-translation",                         \
	  "a translation file lacks a text or plural form: English is shown") \
	X(UNKNOWN_LANGUAGE, "unknown-language",                               \
	  "no translation file for site.yml's language: pages are in English") \
	X(REMOTE_IMAGE, "remote-image",                                       \
	  "a body shows a picture from another site, which learns who reads it") \
	X(UNKNOWN_VARIABLE, "unknown-variable",                               \
	  "a translated text names a {{variable}} its English text lacks: it shows nothing") \
	X(RAW_HTML, "raw-html",                                               \
	  "a body or Markdown value holds raw HTML, which pages leave out")   \
	X(RUNAWAY_QUOTE, "runaway-quote",                                     \
	  "a quoted value runs on over lines that read as keys or list items (quote not closed?)") \
	X(COMMENT_IN_VALUE, "comment-in-value",                               \
	  "a text value is cut short at ' #' and a digit, which start a YAML comment (\"No. #1\")")

/* CHECK_NONE: an error that is always one, and has no name. */
typedef enum check_id {
	CHECK_NONE = 0,
#define PM_CHECK_ENUM(id, name, what) CHECK_##id,
	PM_CHECKS(PM_CHECK_ENUM)
#undef PM_CHECK_ENUM
	CHECK_COUNT
} check_id;

/* The name of a check ("unknown-key"); NULL for CHECK_NONE or a value
 * out of range. */
const char *diag_check_name(check_id id);
/* Its one-line description; NULL as above. */
const char *diag_check_what(check_id id);
/* The check called name, or CHECK_NONE. */
check_id diag_check_by_name(const char *name);

#endif
