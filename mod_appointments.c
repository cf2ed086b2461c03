/* Licensed under the Apache License, Version 2.0.
 *
 * mod_appointments.c: the module, its hooks and its handler.
 *
 * The request pipeline is the core's (src/serve.c).  This file turns a
 * request_rec into the core's request, calls the pipeline and sends the
 * core's response back; the rest of the httpd side is in glue/ (glue.h):
 *
 *   translate_name, map_to_storage  a mount serves no files: httpd's
 *                  walk of the file system (a stat of every directory of
 *                  the path, .htaccess) is skipped for it, as mod_proxy
 *                  does
 *   header_parser  resolves the route once (before authn/authz); the
 *                  appointments-permission authz provider (glue/authz.c)
 *                  and the handler both use it (glue/config.c)
 *   handler        am_req_t and am_in_t from the request, am_serve, the
 *                  am_resp_t sent (glue/io.c)
 *   insert_error_filter  errors that httpd answers itself get the
 *                  dialect's error body (glue/io.c)
 *   access_checker_ex  lets a CORS preflight from a listed origin (and
 *                  open descriptions) through without a user, after
 *                  httpd's user-less Require lines (glue/cors.c)
 *   login routes   served by glue/authn.c (AuthType appointments-token)
 *   check_config   every route of every dialect names a known function,
 *                  every home of a kind of appointment a route
 *   dbd post_connect  pragmas, schema migration and prepared statements
 *                  on every new database connection
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_optional.h"
#include "apr_strings.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include "codec.h"
#include "datetime.h"
#include "describe.h"
#include "login.h"
#include "perm.h"
#include "route.h"
#include "serve.h"
#include "store.h"
#include "glue.h"

#define AM_HANDLER            "appointments"
#define AM_DEFAULT_MAX_OCC    5000

/* A mount's requests name no file: translate_name (the <Location>
 * configuration is merged by then) notes the path of a request to a
 * mount (before mod_rewrite runs), and map_to_storage answers OK for it
 * when the path is still the same (no module rewrote it), so that the core's directory and file walk
 * do not run.  <Directory> sections and .htaccess files then do not
 * apply to a mount, and without r->finfo no file handler serves one. */
#define AM_NOTE_NO_FILES "appointments-no-files"

static int am_translate(request_rec *r)
{
    if (am_glue_conf(r)) {
        apr_table_setn(r->notes, AM_NOTE_NO_FILES, r->uri);
    }
    return DECLINED;
}

static int am_map_to_storage(request_rec *r)
{
    const char *uri = apr_table_get(r->notes, AM_NOTE_NO_FILES);

    return (uri && r->uri && !strcmp(uri, r->uri)) ? OK : DECLINED;
}

/* Runs after the per-directory configuration is merged and before
 * authentication and authorization: the route is known to both. */
static int am_header_parser(request_rec *r)
{
    const am_dir_conf_t *c = am_glue_conf(r);

    if (c) {
        am_glue_resolve(r, c);
        am_cors_headers(r, c->cors);
    }
    return DECLINED;
}


/* Whether r's conditional headers are to be evaluated: not for a
 * subrequest (they are the main request's, about another resource), nor
 * where httpd says no 304 may be made (no_local_copy). */
static const char *conditional(request_rec *r, const char *name)
{
    if (r->main || r->no_local_copy) {
        return NULL;
    }
    return apr_table_get(r->headers_in, name);
}

static void log_answer(request_rec *r, const am_resp_t *rs)
{
    const am_err_t *e = rs->err;

    if (!e || rs->answered) {
        return;
    }
    if (e->status >= 500 && e->status != 503) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s %s: %s", r->method,
                      r->uri, rs->detail);
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "%s %s: %d %s",
                      r->method, r->uri, e->status, rs->detail);
    }
}

/* am_req_t.may: whether r's user may use the route `method path' of the
 * same mount (glue/access.c). */
static int may_route(void *ctx, const char *method, const char *path)
{
    return am_access_route(ctx, method, path);
}

/* Requests that need no user: a CORS preflight from a listed origin
 * (browsers send it without credentials; the pipeline answers it with 204
 * and Allow) and the API's descriptions (openapi.json, Help) where
 * AppointmentsDescriptionAccess open says so.  Answering OK here makes
 * httpd skip authentication and the user's authorization.  The hook runs
 * after mod_authz_core's check of the Require lines that need no user, so
 * a location's `Require ip' (or `Require all denied') still refuses them.
 * Anything else: httpd's authentication and authorization decide. */
static int am_open_access(request_rec *r)
{
    const am_dir_conf_t *c = am_glue_conf(r);
    const am_route_t *route;

    if (!c) {
        return DECLINED;
    }
    if (am_cors_is_preflight(r, c->cors)) {
        return OK;
    }
    if (c->describe_open == 1) {
        route = am_glue_resolve(r, c)->route;
        if (route && (route->flags & AM_ROUTE_DESCRIBE)) {
            return OK;
        }
    }
    return DECLINED;
}

static int am_handler(request_rec *r)
{
    const am_dir_conf_t *c;
    am_req_conf_t *rc;
    am_req_t rq;
    am_in_t in;
    am_io_t io;
    am_resp_t rs;

    if (!r->handler || strcmp(r->handler, AM_HANDLER)) {
        return DECLINED;
    }
    if (!(c = am_glue_conf(r))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SetHandler"
                      " appointments without AppointmentsApi for %s",
                      r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    rc = am_glue_resolve(r, c);
    if (!rc->err && am_login_route_op(rc->route)) {
        /* Logging in: glue/authn.c (JSON whatever Accept says, as the
         * original services answer). */
        return am_authn_login(r, am_login_route_op(rc->route));
    }

    memset(&rq, 0, sizeof(rq));
    rq.pool = r->pool;
    rq.dialect = c->dialect;
    rq.route = rc->route;
    rq.method = r->method;
    rq.path = rc->path;
    rq.mount = c->base;
    rq.base_url = am_glue_mount_url(r, c);
    rq.params = rc->params;
    rq.tz = c->tz ? c->tz : am_config_system_tz();
    rq.user = r->user;
    am_identity_of(r, &c->ident, &rq.employee_id, &rq.display_name);
    if (!rq.employee_id && r->ap_auth_type
        && !strcmp(r->ap_auth_type, AM_FEEDKEY_AUTH_TYPE)) {
        const char *emp = apr_table_get(r->notes, AM_FEEDKEY_NOTE_EMPLOYEE);

        rq.employee_id = emp ? apr_atoi64(emp) : 0;
    }
    rq.max_occurrences = c->max_occurrences ? c->max_occurrences
                                            : AM_DEFAULT_MAX_OCC;
    rq.default_duration_min = c->default_duration;
    rq.prevent_double_booking = c->prevent_double_booking;
    rq.may = may_route;
    rq.may_ctx = r;
    rq.feed_days_back = c->feed_days_back;
    rq.feed_days_ahead = c->feed_days_ahead;

    am_io_of(r, &io);
    memset(&in, 0, sizeof(in));
    in.accept = apr_table_get(r->headers_in, "Accept");
    in.content_type = apr_table_get(r->headers_in, "Content-Type");
    in.args = r->args;
    in.if_match = conditional(r, "If-Match");
    in.if_none_match = conditional(r, "If-None-Match");
    in.if_modified_since = conditional(r, "If-Modified-Since");
    in.uri = r->uri;
    in.route_err = rc->err;
    in.max_body = c->max_body;
    in.cache_scope = r->main ? NULL
                     : apr_psprintf(r->pool, "%pp", (void *)r->server);
    in.io = &io;

    am_serve(&rq, &in, &rs);
    if (rs.status == HTTP_NO_CONTENT && r->method_number == M_OPTIONS) {
        am_cors_preflight(r, c->cors, rs.headers);
    }
    log_answer(r, &rs);
    return am_io_send(r, &rs);
}

/* ------------------------------------------------------------- set-up */

static apr_status_t am_dbd_post_connect(apr_pool_t *p, dbd_cfg_t *cfg,
                                        ap_dbd_t *dbd)
{
    am_err_t *e;

    if (!am_config_used(cfg->server, 0)) {
        return APR_SUCCESS;
    }
    e = am_store_connect(p, dbd->driver, dbd->handle, dbd->prepared);
    if (e) {
        /* mod_dbd ignores this hook's result: the handler sees the
         * store is not ready and tries again, answering 503 meanwhile. */
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, cfg->server, "database"
                     " set-up failed: %s", e->message);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

static int am_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                         apr_pool_t *ptemp)
{
    am_codec_init();
    am_dialects_init(pconf);
    /* The descriptions walk the initialised tables. */
    am_describe_init(pconf);
    am_config_init(ptemp);
    return OK;
}

/* Every route of every dialect must name a function and permission of
 * the registry (src/perm.c): anything else is a programming error that
 * would leave the route unreachable. */
static int am_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    char *names = apr_pstrdup(ptemp, am_dialect_names(ptemp));
    char *last = NULL, *n;
    const char *herr = am_homes_check(ptemp);

    if (herr) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "%s; fix the dialect's"
                     " homes", herr);
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    for (n = apr_strtok(names, ", ", &last); n;
         n = apr_strtok(NULL, ", ", &last)) {
        const am_dialect_t *d = am_dialect_find(n);
        const char *err = d ? am_perm_check_dialect(ptemp, d) : NULL;

        if (err) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "%s; add it to"
                         " src/perm.c or fix the route table", err);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

static int am_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    const char *err = am_io_init();

    if (err) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "%s", err);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (am_config_used(s, 1)) {
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, "time zone %s by"
                     " default", am_tz_name(am_config_system_tz()));
    }
    return OK;
}

static void am_child_init(apr_pool_t *p, server_rec *s)
{
    am_config_child_init(p, s);
}

static void am_register_hooks(apr_pool_t *p)
{
    static const char *const after_authz[] = { "mod_authz_core.c", NULL };
    /* The path is noted before mod_rewrite can change it ([PT]). */
    static const char *const before_rewrite[] = { "mod_rewrite.c", NULL };

    ap_hook_pre_config(am_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(am_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(am_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(am_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(am_translate, NULL, before_rewrite,
                           APR_HOOK_FIRST);
    ap_hook_map_to_storage(am_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_header_parser(am_header_parser, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_check_access_ex(am_open_access, after_authz, NULL,
                            APR_HOOK_LAST, AP_AUTH_INTERNAL_PER_URI);
    ap_hook_handler(am_handler, NULL, NULL, APR_HOOK_MIDDLE);
    am_io_register(p);
    am_authz_register(p);
    am_feedkey_register(p);
    am_authn_register(p);
    APR_OPTIONAL_HOOK(dbd, post_connect, am_dbd_post_connect, NULL, NULL,
                      APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(appointments) = {
    STANDARD20_MODULE_STUFF,
    am_config_create_dir,
    am_config_merge_dir,
    am_config_create_srv,
    am_config_merge_srv,
    am_config_cmds,
    am_register_hooks,
    AP_MODULE_FLAG_NONE
};
