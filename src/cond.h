/* Licensed under the Apache License, Version 2.0.
 *
 * cond.h: conditional requests (RFC 9110, 13): the ETags of our
 * representations, If-Match and If-None-Match parsed and evaluated, and
 * the 304 / 412 decisions of a read.
 *
 * An ETag names a version and a format: "v12-json", "v12-xml",
 * "v12-ics".  If-Match on a change goes to the store as an am_ifmatch_t
 * (every format's tag of a version names it); the store checks it in the
 * writer's transaction.
 */
#ifndef AM_COND_H
#define AM_COND_H

#include <apr_pools.h>
#include "negotiate.h"

/* An If-Match precondition on a change (RFC 9110, 13.1.1); NULL where a
 * function takes one means no precondition.  any ("*"): met by any
 * current version, so the appointment must exist.  Otherwise met when the
 * stored version is one of versions[0 .. nversions) (the strong entity
 * tags of the list that name a version; none: never met). */
typedef struct am_ifmatch {
    int any;
    int nversions;
    const apr_int64_t *versions;
} am_ifmatch_t;

/* Whether an appointment whose stored version is version (0: there is
 * none) meets c.  A NULL c is always met. */
int am_ifmatch_met(const am_ifmatch_t *c, apr_int64_t version);

/* The strong ETag (quoted) of version in fmt: "\"v12-json\"". */
const char *am_etag_make(apr_pool_t *p, apr_int64_t version, am_fmt_e fmt);

/* The length of an opaque tag without the suffix a compressing output
 * filter appended to the ETag it sent: mod_deflate's "-gzip"
 * (DeflateAlterETag AddSuffix, its default) and mod_brotli's "-br"
 * (BrotliAlterETag AddSuffix).  Clients send the tag back as they got
 * it; "v3-xml-gzip" names what "v3-xml" names. */
apr_size_t am_etag_unsuffixed(const char *tag, apr_size_t len);

/* The version an opaque tag (between the quotes) of ours names, in any of
 * the formats, also with a compressing filter's suffix ("v12-xml-gzip",
 * "v12-json-br"), or 0. */
apr_int64_t am_etag_version(const char *tag, apr_size_t len);

/* If-Match header h as a precondition, NULL when h is NULL.  "*" is met
 * by any version; a list by the versions its strong entity-tags name (W/
 * tags never match with If-Match, RFC 9110, 13.1.1); a header that is
 * neither names nothing and is never met. */
const am_ifmatch_t *am_cond_if_match(apr_pool_t *p, const char *h);

/* Whether If-None-Match header h (may be NULL) is false for the
 * representation whose strong ETag is etag (quoted): "*", or a list that
 * holds etag by weak comparison (W/"x" matches "x"; RFC 9110, 13.1.2),
 * also as a compressing filter suffixed it ("x-gzip", "x-br": the same
 * content, compressed).  A header that is neither is ignored (0). */
int am_cond_none_match(apr_pool_t *p, const char *h, const char *etag);

/* The outcome of a read's preconditions, If-Match first, then
 * If-None-Match (RFC 9110, 13.2.2), for the representation of version
 * whose ETag is etag: 0 (answer it), 412 or 304. */
int am_cond_read(apr_pool_t *p, const am_ifmatch_t *if_match,
                 const char *if_none_match, apr_int64_t version,
                 const char *etag);

/* The status a change answers with when it found nothing to change
 * (404) under an If-Match precondition (even "*"): the precondition
 * fails (412, RFC 9110, 13.1.1).  Other statuses are returned as they
 * are. */
int am_cond_missing(const am_ifmatch_t *if_match, int status);

#endif /* AM_COND_H */
