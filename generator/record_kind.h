/* record_kind.h - the kinds of record a site's content/ holds, shared by
 * the model (site.h: what a translation file translates) and partnermap
 * new (scaffold/scaffold.h: what it makes). */
#ifndef PM_RECORD_KIND_H
#define PM_RECORD_KIND_H

typedef enum record_kind {
	RECORD_INSTITUTION, /* content/institutions/ */
	RECORD_NETWORK,     /* content/networks/ */
	RECORD_PAGE,        /* content/pages/ */
	RECORD_KINDS
} record_kind;

#endif
