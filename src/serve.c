/* Licensed under the Apache License, Version 2.0.
 *
 * serve.c: the request pipeline (serve.h).
 */
#include <string.h>
#include <apr_escape.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_date.h>
#include <apr_sha1.h>

#include "serve.h"
#include "codec.h"
#include "codec_ical.h"
#include "cond.h"
#include "form.h"

#define AM_DEFAULT_MAX_BODY   (1024 * 1024)

const char *am_clean_text(apr_pool_t *p, const char *s)
{
    const char *c;

    if (am_utf8_valid(s, strlen(s))) {
        for (c = s; *c && !apr_iscntrl(*c); c++) {
        }
        if (!*c) {
            return s;
        }
    }
    return apr_pescape_path(p, s, 1);
}

static int is_get(const char *method)
{
    return !strcmp(method, "GET") || !strcmp(method, "HEAD");
}

/* e in the dialect's error shape: in XML when fmt is XML, else in JSON.
 * ctype is the negotiated media type (may be NULL). */
static char *error_body(apr_pool_t *p, const am_dialect_t *d,
                        const am_err_t *e, am_fmt_e fmt, const char *ctype,
                        const char *method, const char *uri,
                        const char **out_ctype, apr_size_t *len)
{
    if (fmt != AM_FMT_XML) {
        fmt = AM_FMT_JSON;
        ctype = (ctype && strstr(ctype, "json")) ? ctype
                                                 : "application/json";
    }
    else if (!ctype) {
        ctype = "application/xml";
    }
    *out_ctype = apr_pstrcat(p, ctype, "; charset=utf-8", NULL);
    return d->error_body(p, d, e, fmt, method, am_clean_text(p, uri), len);
}

char *am_serve_error_body(apr_pool_t *p, const am_dialect_t *d,
                          const am_err_t *e, const char *accept,
                          const char *method, const char *uri,
                          const char **ctype, apr_size_t *len)
{
    const char *nctype = NULL;
    am_fmt_e fmt = am_negotiate_accept(accept, AM_FMT_JSON | AM_FMT_XML,
                                       &nctype);

    return error_body(p, d, e, fmt, nctype, method, uri, ctype, len);
}

/* Answers with e: a 5xx other than 503 says no more than that (the
 * glue logs rs->detail), a 405 has Allow, a 503 Retry-After. */
static void answer_error(am_req_t *rq, const am_in_t *in, am_resp_t *rs,
                         am_err_t *e, am_fmt_e fmt, const char *ctype)
{
    apr_pool_t *p = rq->pool;

    if (e->status == AM_ANSWERED) {
        rs->answered = 1;
        rs->err = e;
        rs->detail = e->message;
        return;
    }
    rs->detail = e->message;
    if (e->status >= 500 && e->status != 503) {
        e->message = "An error has occurred.";
        e->fields = NULL;
    }
    rs->err = e;
    rs->status = e->status;
    apr_table_clear(rs->headers);
    if (e->allow) {
        apr_table_setn(rs->headers, "Allow", e->allow);
    }
    if (e->retry_after > 0) {
        apr_table_setn(rs->headers, "Retry-After",
                       apr_itoa(p, e->retry_after));
    }
    /* The body's format follows Accept, as a 200's does. */
    apr_table_mergen(rs->headers, "Vary", "Accept");
    rs->body = error_body(p, rq->dialect, e, fmt, ctype, rq->method,
                          in->uri, &rs->ctype, &rs->len);
}

/* The request body decoded by the route's field table. */
static am_err_t *decode_body(am_req_t *rq, const am_in_t *in,
                             am_obj_t **out)
{
    apr_pool_t *p = rq->pool;
    const am_type_t *t = rq->route->in;
    am_fmt_e fmt = am_negotiate_ctype(in->content_type,
                                      rq->dialect->body_formats);
    apr_off_t max = in->max_body ? in->max_body : AM_DEFAULT_MAX_BODY;
    char *buf = NULL;
    apr_size_t len = 0;
    am_err_t *e;

    if (fmt == AM_FMT_NONE) {
        return am_err_make(p, 415, "The request entity's media type"
                           " '%s' is not supported for this resource.",
                           in->content_type
                           ? am_clean_text(p, in->content_type) : "(none)");
    }
    if ((e = in->io->read_body(in->io->ctx, max, &buf, &len))) {
        return e;
    }
    if (len == 0) {
        e = am_err_invalid(p);
        am_err_field(p, e, "", "The request body is empty.");
        e->why = AM_WHY_EMPTY_BODY;
        return e;
    }
    switch (fmt) {
    case AM_FMT_XML:
        return am_xml_decode(p, t, buf, len, rq->tz, 0, out);
    case AM_FMT_JSON:
        return am_json_decode(p, t, buf, len, rq->tz, 0, out);
    case AM_FMT_FORM:
        return am_form_decode(p, t, buf, len, rq->tz, 0, out);
    default:
        return am_err_make(p, 415, "This resource does not accept form"
                           " bodies.");
    }
}

/* Everything up to and including the operation. */
/* The key of the request's answer in the store's answer cache
 * (store.h): what a GET of one appointment is made of besides the
 * database.  The scope (the server) and the mount give the
 * configuration; the path, query, negotiated format, base URL (the host
 * the links are built from) and who asks (the user and the identity the
 * glue derived) the rest.  NULL when the request is not answered from
 * the cache: not a GET, a feed, a route with a body, a subrequest. */
static const char *cache_key(const am_req_t *rq, const am_in_t *in,
                             am_fmt_e fmt, const char *ctype, int feed)
{
    if (!in->cache_scope || !is_get(rq->method) || feed || !rq->route
        || rq->route->in) {
        return NULL;
    }
    return apr_psprintf(rq->pool, "%s|%s|%s|%s|%s|%d|%s|%s|%s|%"
                        APR_INT64_T_FMT "|%s", in->cache_scope,
                        rq->dialect->name, rq->mount ? rq->mount : "",
                        rq->path, in->args ? in->args : "", (int)fmt,
                        ctype ? ctype : "",
                        rq->base_url ? rq->base_url : "",
                        rq->user ? rq->user : "", rq->employee_id,
                        rq->display_name ? rq->display_name : "");
}

/* With key (cache_key), an answer kept in the cache is *hit and the
 * route's handler does not run. */
static am_err_t *operate(am_req_t *rq, const am_in_t *in, am_resp_t *rs,
                         const char *key, const am_cached_t **hit)
{
    am_err_t *e;

    if ((e = am_query_parse(rq->pool, in->args, &rq->query))) {
        return e;
    }
    if (rq->route->in) {
        if ((e = decode_body(rq, in, &rq->body))) {
            return e;
        }
    }
    else if ((e = in->io->discard_body(in->io->ctx))) {
        return e;
    }
    if (!(rq->route->flags & AM_ROUTE_NOSTORE)
        && (e = in->io->open_store(in->io->ctx, rq->store))) {
        return e;
    }
    if (key && am_store_cache_check(rq->store)
        && (*hit = am_store_cache_get(rq->store, key))) {
        /* Who may read what is asked again: the access check of every
         * appointment the answer was made of. */
        if ((e = am_store_cache_allow(rq->store, *hit))) {
            *hit = NULL;
            return e;
        }
        rs->version = (*hit)->version;
        return NULL;
    }
    if ((e = rq->route->handler(rq, rs))) {
        if (!is_get(rq->method)
            && am_cond_missing(rq->if_match, e->status) != e->status) {
            /* If-Match (even "*") on a change of something that does not
             * exist: the precondition fails (RFC 9110, 13.1.1), wherever
             * the handler found it missing. */
            e = am_err_make(rq->pool, 412, "The appointment has been"
                            " changed since it was read (it no longer"
                            " exists).");
        }
        return e;
    }
    return NULL;
}

static char *encode(am_req_t *rq, const am_resp_t *rs, am_fmt_e fmt,
                    apr_size_t *len)
{
    apr_pool_t *p = rq->pool;

    if (fmt == AM_FMT_ICAL) {
        return am_ical_encode(p, rs->appts, rq->tz, len);
    }
    if (rs->obj) {
        return (fmt == AM_FMT_XML) ? am_xml_encode(p, rs->obj, rq->tz, len)
                                   : am_json_encode(p, rs->obj, rq->tz, len);
    }
    if (rs->list) {
        return (fmt == AM_FMT_XML)
               ? am_xml_encode_list(p, rs->list_type, rs->list, rq->tz, len)
               : am_json_encode_list(p, rs->list, rq->tz, len);
    }
    return NULL;
}

/* A route's row says what it answers (route.h: out, out_alt, answer),
 * and the descriptions say it to clients: an answer of another type is
 * a bug of the table or the handler, answered as such (as a route
 * marked AM_ROUTE_ICAL that gives no appointments is). */
static am_err_t *answer_as_described(am_req_t *rq, const am_resp_t *rs)
{
    const am_route_t *r = rq->route;
    const am_type_t *got = NULL;
    int i;

    if (!r->out || (r->answer != AM_ANSWER_ONE
                    && r->answer != AM_ANSWER_LIST)) {
        return NULL;
    }
    if (r->answer == AM_ANSWER_ONE && rs->obj) {
        got = rs->obj->type;
    }
    else if (r->answer == AM_ANSWER_LIST && rs->list) {
        got = rs->list_type;
        for (i = 0; got == r->out && i < rs->list->nelts; i++) {
            const am_obj_t *o = APR_ARRAY_IDX(rs->list, i, const am_obj_t *);
            if (o && o->type != r->out && o->type != r->out_alt) {
                got = o->type;
            }
        }
    }
    else if (rs->status == 204 || (!rs->obj && !rs->list)) {
        return NULL;
    }
    if (got == r->out || (got && got == r->out_alt)) {
        return NULL;
    }
    return am_err_make(rq->pool, 500, "route %s %s answers %s, but its row"
                       " says %s %s", r->method, r->pattern,
                       got ? got->name : (rs->obj ? "an object" : "a list"),
                       r->answer == AM_ANSWER_LIST ? "a list of" : "one",
                       r->out->name);
}

/* The answer of an AM_ANSWER_RAW route: its body in its media type, its
 * strong ETag; If-None-Match that names it is a 304 (also with the
 * "-gzip" mod_deflate adds to the tags of what it compresses, as
 * Debian's deflate.conf does for text/html). */
static void answer_raw(am_req_t *rq, const am_in_t *in, am_resp_t *rs)
{
    apr_pool_t *p = rq->pool;

    if (rs->raw_etag) {
        apr_size_t n = strlen(rs->raw_etag);
        const char *gz = apr_pstrcat(p, apr_pstrmemdup(p, rs->raw_etag,
                                     n - 1), "-gzip\"", NULL);

        apr_table_setn(rs->headers, "ETag", rs->raw_etag);
        if (is_get(rq->method)
            && (am_cond_none_match(p, in->if_none_match, rs->raw_etag)
                || am_cond_none_match(p, in->if_none_match, gz))) {
            rs->status = 304;
            return;
        }
    }
    rs->body = rs->raw;
    rs->len = rs->raw_len;
    rs->ctype = apr_pstrcat(p, rq->route->out_media ? rq->route->out_media
                            : "application/octet-stream",
                            "; charset=utf-8", NULL);
}

/* A feed (AM_ROUTE_FEED): the calendar as text/calendar, with a strong
 * ETag (a digest of the body: the same bytes, the same tag) and
 * Last-Modified (the latest change of its appointments), so that a
 * calendar program polling it gets 304 while nothing changed:
 * If-None-Match decides when it is there, else If-Modified-Since
 * (RFC 9110, 13.2.2). */
static void answer_feed(am_req_t *rq, const am_in_t *in, am_resp_t *rs)
{
    apr_pool_t *p = rq->pool;
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    char hex[2 * 16 + 1];
    apr_sha1_ctx_t sha;
    apr_time_t lm = 0;
    const char *etag;
    char *body;
    apr_size_t len = 0;
    int i, fresh = 0;

    body = am_ical_encode_named(p, rs->appts ? rs->appts
                                : apr_array_make(p, 1, sizeof(void *)),
                                rq->tz, rs->cal_name, &len);
    apr_sha1_init(&sha);
    apr_sha1_update_binary(&sha, (const unsigned char *)body,
                           (unsigned int)len);
    apr_sha1_final(digest, &sha);
    for (i = 0; i < 16; i++) {
        apr_snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
    etag = apr_psprintf(p, "\"f%s-ics\"", hex);
    apr_table_setn(rs->headers, "ETag", etag);
    if (rs->last_modified > 0) {
        char date[APR_RFC822_DATE_LEN];

        /* Whole seconds, as the header has them. */
        lm = apr_time_from_sec(apr_time_sec(rs->last_modified / 10));
        apr_rfc822_date(date, lm);
        apr_table_set(rs->headers, "Last-Modified", date);
    }
    /* A feed may be reached by a secret URL: no shared caches. */
    apr_table_setn(rs->headers, "Cache-Control", "private, no-cache");
    if (in->if_none_match) {
        fresh = am_cond_none_match(p, in->if_none_match, etag);
    }
    else if (in->if_modified_since && lm > 0) {
        apr_time_t since = apr_date_parse_http(in->if_modified_since);

        fresh = since != APR_DATE_BAD && lm <= since;
    }
    if (fresh) {
        rs->status = 304;
        return;
    }
    rs->status = 200;
    rs->body = body;
    rs->len = len;
    rs->ctype = "text/calendar; charset=utf-8";
}

void am_serve(am_req_t *rq, const am_in_t *in, am_resp_t *rs)
{
    apr_pool_t *p = rq->pool;
    const char *ctype = NULL;
    const char *etag = NULL;
    const char *key;
    const am_cached_t *hit = NULL;
    am_fmt_e fmt;
    am_err_t *e;
    int cond, feed;

    memset(rs, 0, sizeof(*rs));
    rs->status = 200;
    rs->headers = apr_table_make(p, 4);

    /* What a GET returns can also be had as iCalendar, where the route
     * gives appointments (known once the operation ran). */
    feed = !in->route_err && rq->route
           && (rq->route->flags & AM_ROUTE_FEED);
    fmt = am_negotiate_accept(in->accept, AM_FMT_JSON | AM_FMT_XML
                              | (is_get(rq->method) && !feed ? AM_FMT_ICAL
                                                             : 0),
                              &ctype);
    if (in->route_err && in->route_err->allow
        && !strcmp(rq->method, "OPTIONS")) {
        /* OPTIONS: the methods the routes of this path take (routing
         * found them, just not OPTIONS among them). */
        rs->status = 204;
        apr_table_setn(rs->headers, "Allow",
                       apr_pstrcat(p, in->route_err->allow, ", OPTIONS",
                                   NULL));
        if (in->io && in->io->discard_body) {
            in->io->discard_body(in->io->ctx);
        }
        return;
    }
    if (feed && fmt == AM_FMT_NONE) {
        /* A feed answers text/calendar whatever Accept says (calendar
         * programs send none, or odd ones; RFC 9110, 12.5.1 lets a
         * server disregard it); fmt is the format of its errors. */
        fmt = AM_FMT_JSON;
        ctype = NULL;
    }
    if (in->route_err) {
        answer_error(rq, in, rs, in->route_err, fmt, ctype);
        return;
    }
    if (rq->route->answer == AM_ANSWER_RAW && fmt != AM_FMT_XML) {
        /* A document of its own media type: Accept only shapes errors. */
        fmt = AM_FMT_JSON;
        ctype = NULL;
    }
    if (fmt == AM_FMT_NONE) {
        e = am_err_make(p, 406, "None of the media types in Accept can be"
                        " produced; use application/json or"
                        " application/xml.");
        answer_error(rq, in, rs, e, AM_FMT_JSON, NULL);
        return;
    }
    if (fmt == AM_FMT_ICAL && !(rq->route->flags & AM_ROUTE_ICAL)) {
        e = am_err_make(p, 406, "This resource has no text/calendar form;"
                        " use application/json or application/xml.");
        answer_error(rq, in, rs, e, AM_FMT_JSON, NULL);
        return;
    }
    rq->if_match = am_cond_if_match(p, in->if_match);
    if (!rq->store) {
        rq->store = apr_pcalloc(p, sizeof(*rq->store));
    }
    key = cache_key(rq, in, fmt, ctype, feed);
    if ((e = operate(rq, in, rs, key, &hit))) {
        answer_error(rq, in, rs, e, fmt, ctype);
        return;
    }
    if (rs->raw) {
        answer_raw(rq, in, rs);
        return;
    }
    if ((e = answer_as_described(rq, rs))) {
        answer_error(rq, in, rs, e, AM_FMT_JSON, NULL);
        return;
    }
    /* Only an answer made of the appointment alone is kept (no headers
     * of the handler's own). */
    if (!apr_is_empty_table(rs->headers)) {
        key = NULL;
    }
    if (feed) {
        answer_feed(rq, in, rs);
        return;
    }
    if (fmt == AM_FMT_ICAL && !rs->appts && !hit) {
        e = am_err_make(p, 500, "route %s %s is marked AM_ROUTE_ICAL but"
                        " gave no appointments", rq->route->method,
                        rq->route->pattern);
        answer_error(rq, in, rs, e, AM_FMT_JSON, NULL);
        return;
    }
    if (rs->version > 0) {
        etag = am_etag_make(p, rs->version, fmt);
    }
    /* A read of one appointment: its preconditions are answered now that
     * the operation found the current version.  Changes had their
     * If-Match checked by the store. */
    if (etag && is_get(rq->method)
        && (cond = am_cond_read(p, rq->if_match, in->if_none_match,
                                rs->version, etag))) {
        if (cond == 412) {
            e = am_err_make(p, 412, "The appointment has been changed since"
                            " it was read (version %" APR_INT64_T_FMT " is"
                            " not one that If-Match names).", rs->version);
            answer_error(rq, in, rs, e, fmt, ctype);
            return;
        }
        /* 304 with the fields a 200 would have that describe the
         * representation (RFC 9110, 15.4.5). */
        rs->status = 304;
        rs->obj = NULL;
        rs->list = NULL;
        apr_table_setn(rs->headers, "ETag", etag);
        apr_table_mergen(rs->headers, "Vary", "Accept");
        return;
    }
    if (rs->location) {
        apr_table_setn(rs->headers, "Location",
                       apr_pstrcat(p, rq->base_url ? rq->base_url : "", "/",
                                   rs->location, NULL));
    }
    if (etag) {
        apr_table_setn(rs->headers, "ETag", etag);
    }
    if (hit) {
        rs->body = (char *)hit->body;
        rs->len = hit->len;
    }
    else {
        int keep = key && rs->version > 0 && rs->status == 200
                   && !rs->location;

        rs->body = encode(rq, rs, fmt, &rs->len);
        if (keep && rs->body) {
            am_cached_t c;

            c.body = rs->body;
            c.len = rs->len;
            c.version = rs->version;
            am_store_cache_put(rq->store, key, &c);
        }
    }
    apr_table_mergen(rs->headers, "Vary", "Accept");
    if (rs->body) {
        if (!ctype) {
            ctype = (fmt == AM_FMT_XML) ? "application/xml"
                                        : "application/json";
        }
        rs->ctype = apr_pstrcat(p, ctype, "; charset=utf-8", NULL);
    }
}
