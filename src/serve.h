/* Licensed under the Apache License, Version 2.0.
 *
 * serve.h: the request pipeline.
 *
 *   negotiate   Accept -> the response format (406)
 *   route       the glue's routing error, if any (404, 405, 400)
 *   decode      query (400); body: Content-Type (415), size (413),
 *               decoded by the route's field table (400 listing every bad
 *               field); or the body discarded
 *   store       the store on the request's database connection (503)
 *   operation   the route's handler fills an am_resp_t (or fails)
 *   conditions  a 404 of a change under If-Match is a 412; a read's
 *               If-Match and If-None-Match give 412 or 304 (cond.h)
 *   encode      the answer (or the error in the dialect's shape) in the
 *               negotiated format, with ETag, Location and Vary
 *
 * The glue (httpd) fills an am_req_t (who, where, the configuration) and
 * an am_in_t (the request's headers and how to read its body and reach
 * its store), calls am_serve and sends the am_resp_t it made.
 */
#ifndef AM_SERVE_H
#define AM_SERVE_H

#include "route.h"

/* How the pipeline reaches the server's side of a request. */
typedef struct am_io {
    void *ctx;
    /* Reads the whole body, at most max bytes: NULL, or 413, 400, or an
     * error of status AM_ANSWERED (the server has answered already). */
    am_err_t *(*read_body)(void *ctx, apr_off_t max, char **buf,
                           apr_size_t *len);
    /* Reads and drops a body the route does not take. */
    am_err_t *(*discard_body)(void *ctx);
    /* The store on the request's database connection (503 when there is
     * none or it is not ready). */
    am_err_t *(*open_store)(void *ctx, am_store_t *s);
} am_io_t;

/* An error's status meaning: the server has answered already (an input
 * filter's error); send nothing more. */
#define AM_ANSWERED (-1)

/* The request's headers as the pipeline needs them. */
typedef struct am_in {
    const char *accept;         /* Accept, or NULL */
    const char *content_type;   /* Content-Type, or NULL */
    const char *args;           /* the query string, or NULL */
    const char *if_match;       /* NULL: none, or not to be evaluated (a
                                 * subrequest) */
    const char *if_none_match;  /* likewise */
    const char *if_modified_since;  /* likewise (feeds) */
    const char *uri;            /* the request's path, for error bodies */
    am_err_t *route_err;        /* from am_route_match, or NULL */
    apr_off_t max_body;         /* AppointmentsMaxBody */
    const char *cache_scope;    /* NULL: not answered from the store's
                                 * answer cache (a subrequest); else what
                                 * besides the request's own determinants
                                 * tells its configuration apart (the
                                 * server) */
    const am_io_t *io;
} am_in_t;

/* Serves rq (pool, dialect, route, method, path, base_url, params, tz,
 * user and configuration filled in) into *rs. */
void am_serve(am_req_t *rq, const am_in_t *in, am_resp_t *rs);

/* e in the dialect d's error shape, for a request with Accept accept
 * (JSON unless XML is asked for): *ctype (with charset) and the body.
 * Also for the errors the server answers itself (401, 403, 413). */
char *am_serve_error_body(apr_pool_t *p, const am_dialect_t *d,
                          const am_err_t *e, const char *accept,
                          const char *method, const char *uri,
                          const char **ctype, apr_size_t *len);

/* s as it may stand in a response body: itself when it is UTF-8 without
 * control characters, else %-escaped (request paths and header values
 * can hold any bytes; JSON and XML bodies cannot). */
const char *am_clean_text(apr_pool_t *p, const char *s);

#endif /* AM_SERVE_H */
