/* Licensed under the Apache License, Version 2.0.
 *
 * cors.c: OPTIONS and cross-origin requests (CORS) from browser clients.
 *
 * OPTIONS on a path of an API answers 204 with Allow (the methods its
 * routes take there, and OPTIONS: src/serve.c).  Browsers ask it without credentials
 * before a cross-origin request that carries them (a "preflight": OPTIONS
 * with Origin and Access-Control-Request-Method); for the origins an admin
 * lists with AppointmentsCorsOrigins (none by default) the preflight is
 * answered without authentication, and every answer to a request from such
 * an origin, errors included, carries Access-Control-Allow-Origin and
 * Access-Control-Allow-Credentials.  Requests from other origins get no
 * CORS headers (the browser then keeps the answer from the page), and
 * their preflights are ordinary OPTIONS requests (401 without
 * credentials).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "glue.h"

APLOG_USE_MODULE(appointments);

/* What a page may send and read besides the CORS-safelisted headers. */
#define AM_CORS_ALLOW_HEADERS "Authorization, Content-Type, Accept," \
                              " If-Match, If-None-Match"
#define AM_CORS_EXPOSE_HEADERS "ETag, Location, Retry-After, Allow," \
                               " WWW-Authenticate"
#define AM_CORS_MAX_AGE "600"

const char *am_cors_origin_check(apr_pool_t *p, const char *o)
{
    const char *h;
    apr_uri_t u;

    if (strncasecmp(o, "http://", 7) && strncasecmp(o, "https://", 8)) {
        return apr_psprintf(p, "'%s' is not an origin (scheme://host or"
                            " scheme://host:port, http or https)", o);
    }
    h = strstr(o, "://") + 3;
    if (!*h || apr_uri_parse(p, o, &u) != APR_SUCCESS || !u.hostname
        || (u.path && *u.path) || u.query || u.fragment || u.user
        || o[strlen(o) - 1] == '/') {
        return apr_psprintf(p, "'%s' is not an origin (scheme://host or"
                            " scheme://host:port, without a path)", o);
    }
    return NULL;
}

/* The request's Origin when it is one of origins, else NULL.  Origins
 * compare in any case (scheme and host do; browsers send them in lower
 * case). */
static const char *listed_origin(request_rec *r,
                                 const apr_array_header_t *origins)
{
    const char *o = apr_table_get(r->headers_in, "Origin");
    int i;

    if (!o || !origins) {
        return NULL;
    }
    for (i = 0; i < origins->nelts; i++) {
        if (!strcasecmp(APR_ARRAY_IDX(origins, i, const char *), o)) {
            return o;
        }
    }
    return NULL;
}

int am_cors_is_preflight(request_rec *r, const apr_array_header_t *origins)
{
    return r->method_number == M_OPTIONS && !r->main
           && apr_table_get(r->headers_in, "Access-Control-Request-Method")
           && listed_origin(r, origins);
}

void am_cors_headers(request_rec *r, const apr_array_header_t *origins)
{
    const char *o;

    if (!origins || !origins->nelts || r->main) {
        return;
    }
    /* The answer depends on Origin wherever origins are listed. */
    apr_table_mergen(r->err_headers_out, "Vary", "Origin");
    if (!(o = listed_origin(r, origins))) {
        return;
    }
    /* err_headers_out: on every answer, also httpd's own 401 and 403. */
    apr_table_setn(r->err_headers_out, "Access-Control-Allow-Origin", o);
    apr_table_setn(r->err_headers_out, "Access-Control-Allow-Credentials",
                   "true");
    if (r->method_number != M_OPTIONS) {
        apr_table_setn(r->err_headers_out, "Access-Control-Expose-Headers",
                       AM_CORS_EXPOSE_HEADERS);
    }
}

void am_cors_preflight(request_rec *r, const apr_array_header_t *origins,
                       apr_table_t *headers)
{
    const char *allow = apr_table_get(headers, "Allow");

    if (!allow || !am_cors_is_preflight(r, origins)) {
        return;
    }
    apr_table_setn(headers, "Access-Control-Allow-Methods", allow);
    apr_table_setn(headers, "Access-Control-Allow-Headers",
                   AM_CORS_ALLOW_HEADERS);
    apr_table_setn(headers, "Access-Control-Max-Age", AM_CORS_MAX_AGE);
}
