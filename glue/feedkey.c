/* Licensed under the Apache License, Version 2.0.
 *
 * feedkey.c: authentication by a secret feed key.
 *
 * Calendar programs that subscribe to a feed often cannot send
 * credentials; a user who can obtains a secret feed URL (POST on the
 * feed, src/feed.c) that carries a key: GET .../Feeds/...ics?key=...
 * This check_authn hook runs before the location's own authentication
 * (mod_auth_basic and the like) and only for a GET or HEAD of a feed
 * route with a key argument: a key that names a live feed key of this
 * mount and of this very feed (its canonical path) authenticates the
 * request as the user it was issued to (r->user), and httpd's
 * authorization then checks that user's grants (Require ...) as on any
 * request, so that a user who loses the grant loses the feed.  Any
 * other key is a 401; everything else is left to the other modules.
 */
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_request.h"
#include "mod_auth.h"
#include "apr_strings.h"

#include "glue.h"
#include "store.h"
#include "token.h"

APLOG_USE_MODULE(appointments);

/* A key's last use is written at most once an hour. */
#define AM_FEEDKEY_TOUCH (3600LL * AM_TICKS_PER_SEC)

static int feedkey_authn(request_rec *r)
{
    const am_dir_conf_t *c = am_glue_conf(r);
    const am_route_t *route;
    am_req_conf_t *rc;
    apr_table_t *query = NULL;
    am_session_t *x = NULL;
    am_store_t store;
    am_io_t io;
    const char *key;
    am_time_t now;
    am_err_t *e;

    if (r->method_number != M_GET || !c || !r->args
        || !(rc = am_glue_resolve(r, c)) || !(route = rc->route)
        || !(route->flags & AM_ROUTE_FEED)
        || am_query_parse(r->pool, r->args, &query)
        || !(key = apr_table_get(query, "key"))) {
        return DECLINED;
    }
    if (!am_token_wellformed(key, strlen(key))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "malformed feed key"
                      " for %s", r->uri);
        return HTTP_UNAUTHORIZED;
    }
    am_io_of(r, &io);
    if ((e = io.open_store(io.ctx, &store))) {
        return e->status;
    }
    now = (am_time_t)apr_time_now() * 10;
    if ((e = am_store_session_get(&store, am_token_hash(r->pool, key,
                                                        strlen(key)), &x))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "feed key lookup: %s",
                      e->message);
        return e->status == 503 ? HTTP_SERVICE_UNAVAILABLE
                                : HTTP_INTERNAL_SERVER_ERROR;
    }
    if (!x || x->kind != AM_SESSION_FEED || !am_session_alive(x, now)
        || !x->realm || strcmp(x->realm, c->base) || !x->scope
        || strcmp(x->scope, am_route_path(r->pool, route, rc->params))) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "feed key not valid"
                      " for %s", r->uri);
        return HTTP_UNAUTHORIZED;
    }
    /* A failed touch costs nothing but the date of the last use. */
    am_store_session_touch(&store, x->id, now, AM_FEEDKEY_TOUCH);
    r->user = apr_pstrdup(r->pool, x->user);
    r->ap_auth_type = AM_FEEDKEY_AUTH_TYPE;
    if (x->employment > 0) {
        /* The employee the user was when the key was issued: the identity
         * directives may read it from the login (AppointmentsEmployeeIdVar),
         * which a key request does not have. */
        apr_table_setn(r->notes, AM_FEEDKEY_NOTE_EMPLOYEE,
                       apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                    x->employment));
    }
    return OK;
}

void am_feedkey_register(apr_pool_t *p)
{
    ap_hook_check_authn(feedkey_authn, NULL, NULL, APR_HOOK_FIRST,
                        AP_AUTH_INTERNAL_PER_CONF);
}
