/* Licensed under the Apache License, Version 2.0.
 *
 * cond.c: conditional requests (cond.h).
 */
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "cond.h"

int am_ifmatch_met(const am_ifmatch_t *c, apr_int64_t version)
{
    int i;

    if (!c) {
        return 1;
    }
    if (version <= 0) {
        return 0;
    }
    if (c->any) {
        return 1;
    }
    for (i = 0; i < c->nversions; i++) {
        if (c->versions[i] == version) {
            return 1;
        }
    }
    return 0;
}

const char *am_etag_make(apr_pool_t *p, apr_int64_t version, am_fmt_e fmt)
{
    return apr_psprintf(p, "\"v%" APR_INT64_T_FMT "-%s\"", version,
                        fmt == AM_FMT_XML ? "xml"
                        : fmt == AM_FMT_ICAL ? "ics" : "json");
}

apr_size_t am_etag_unsuffixed(const char *tag, apr_size_t len)
{
    static const char *const suffixes[] = { "-gzip", "-br", NULL };
    int i;

    for (i = 0; suffixes[i]; i++) {
        apr_size_t n = strlen(suffixes[i]);

        if (len > n && !memcmp(tag + len - n, suffixes[i], n)) {
            return len - n;
        }
    }
    return len;
}

apr_int64_t am_etag_version(const char *tag, apr_size_t len)
{
    apr_int64_t v = 0;
    apr_size_t i;
    const char *rest;
    apr_size_t rlen;

    len = am_etag_unsuffixed(tag, len);
    if (len < 2 || tag[0] != 'v' || tag[1] < '1' || tag[1] > '9') {
        return 0;
    }
    for (i = 1; i < len && apr_isdigit(tag[i]); i++) {
        if (v > (APR_INT64_MAX - 9) / 10) {
            return 0;
        }
        v = v * 10 + (tag[i] - '0');
    }
    rest = tag + i;
    rlen = len - i;
    if ((rlen == 5 && !memcmp(rest, "-json", 5))
        || (rlen == 4 && (!memcmp(rest, "-xml", 4)
                          || !memcmp(rest, "-ics", 4)))) {
        return v;
    }
    return 0;
}

/* One entity-tag of an If-Match or If-None-Match list (RFC 9110, 8.8.3):
 * the opaque tag between the quotes, and whether it is weak (W/). */
typedef struct am_etag {
    const char *tag;
    apr_size_t len;
    int weak;
} am_etag_t;

/* Parses a conditional header: "*" (*star set, no tags) or a list of
 * entity-tags into *tags (am_etag_t; empty elements and whitespace
 * allowed, as in any list).  Returns 0, or -1 when h is neither. */
static int etag_list(apr_pool_t *p, const char *h, int *star,
                     apr_array_header_t **tags)
{
    *star = 0;
    *tags = apr_array_make(p, 2, sizeof(am_etag_t));
    for (;;) {
        am_etag_t *t;
        const char *q;

        while (*h == ' ' || *h == '\t' || *h == ',') {
            h++;
        }
        if (!*h) {
            break;
        }
        if (*h == '*') {
            /* "*" stands alone (13.1.1, 13.1.2). */
            for (q = h + 1; *q == ' ' || *q == '\t'; q++) {
            }
            if (*q || (*tags)->nelts) {
                return -1;
            }
            *star = 1;
            return 0;
        }
        t = apr_array_push(*tags);
        t->weak = 0;
        if (h[0] == 'W' && h[1] == '/') {
            t->weak = 1;
            h += 2;
        }
        if (*h != '"' || !(q = strchr(h + 1, '"'))) {
            return -1;
        }
        t->tag = h + 1;
        t->len = (apr_size_t)(q - t->tag);
        for (h = q + 1; *h == ' ' || *h == '\t'; h++) {
        }
        if (*h && *h != ',') {
            return -1;
        }
    }
    return (*tags)->nelts ? 0 : -1;
}

const am_ifmatch_t *am_cond_if_match(apr_pool_t *p, const char *h)
{
    am_ifmatch_t *c;
    apr_array_header_t *tags;
    apr_int64_t *vs;
    int star, i;

    if (!h) {
        return NULL;
    }
    c = apr_pcalloc(p, sizeof(*c));
    if (etag_list(p, h, &star, &tags) != 0) {
        return c;
    }
    if (star) {
        c->any = 1;
        return c;
    }
    vs = apr_palloc(p, sizeof(*vs) * (apr_size_t)tags->nelts);
    for (i = 0; i < tags->nelts; i++) {
        const am_etag_t *t = &APR_ARRAY_IDX(tags, i, am_etag_t);
        apr_int64_t v = t->weak ? 0 : am_etag_version(t->tag, t->len);

        if (v > 0) {
            vs[c->nversions++] = v;
        }
    }
    c->versions = vs;
    return c;
}

int am_cond_none_match(apr_pool_t *p, const char *h, const char *etag)
{
    apr_size_t elen;
    apr_array_header_t *tags;
    int star, i;

    if (!h || !etag || etag_list(p, h, &star, &tags) != 0) {
        return 0;
    }
    if (star) {
        return 1;
    }
    elen = strlen(etag) - 2;
    for (i = 0; i < tags->nelts; i++) {
        const am_etag_t *t = &APR_ARRAY_IDX(tags, i, am_etag_t);

        if (am_etag_unsuffixed(t->tag, t->len) == elen
            && !memcmp(t->tag, etag + 1, elen)) {
            return 1;
        }
    }
    return 0;
}

int am_cond_read(apr_pool_t *p, const am_ifmatch_t *if_match,
                 const char *if_none_match, apr_int64_t version,
                 const char *etag)
{
    if (!am_ifmatch_met(if_match, version)) {
        return 412;
    }
    if (am_cond_none_match(p, if_none_match, etag)) {
        return 304;
    }
    return 0;
}

int am_cond_missing(const am_ifmatch_t *if_match, int status)
{
    return (status == 404 && if_match) ? 412 : status;
}
