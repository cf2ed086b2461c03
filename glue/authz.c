/* Licensed under the Apache License, Version 2.0.
 *
 * authz.c: the appointments-permission authz provider.
 *
 *   Require appointments-permission FUNCTION[:PERMISSION] ...
 *
 * is granted when the function and permission that the requested route
 * needs is among those listed (functions by name or GUID, the permission
 * Start unless given).  The route is the one header_parser resolved, so
 * the provider and the handler agree on it.  Without an authenticated
 * user the answer is AUTHZ_DENIED_NO_USER whatever the path: httpd asks
 * for credentials (401) before anything about the target is known.
 *
 * A path that names no route (404, 405, 400 from routing) is granted when
 * the line grants something this location's dialect has: a user with a
 * grant here learns what is wrong with the request, anyone else gets 403.
 *
 * The provider is registered AP_AUTH_INTERNAL_PER_URI: its answer depends
 * on the URI (the route), so an internal redirect or subrequest to another
 * route of the same location is checked again.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_request.h"
#include "mod_auth.h"
#include "ap_provider.h"
#include "apr_strings.h"

#include "login.h"
#include "perm.h"
#include "glue.h"

APLOG_USE_MODULE(appointments);

#define AM_AUTHZ_NAME "appointments-permission"

static const char *grants_text(apr_pool_t *p, const apr_array_header_t *gs)
{
    const char *s = "";
    int i;

    for (i = 0; i < gs->nelts; i++) {
        const am_grant_t *g = &APR_ARRAY_IDX(gs, i, am_grant_t);
        s = apr_pstrcat(p, s, i ? " " : "", g->function->name, ":",
                        am_permission_name(g->permission), NULL);
    }
    return s;
}

static authz_status perm_check(request_rec *r, const char *require_line,
                               const void *parsed)
{
    const apr_array_header_t *grants = parsed;
    const am_dialect_t *d;
    const am_route_t *route;

    if (!r->user) {
        return AUTHZ_DENIED_NO_USER;
    }
    if (!grants) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, 
                      "Require " AM_AUTHZ_NAME " %s: not parsed",
                      require_line);
        return AUTHZ_GENERAL_ERROR;
    }
    d = am_glue_dialect(r);
    if (!d) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, 
                      "Require " AM_AUTHZ_NAME " is used for %s, which no"
                      " AppointmentsApi serves: denied", r->uri);
        return AUTHZ_DENIED;
    }
    route = am_glue_route(r);
    if (route && am_login_route_op(route)) {
        /* A login route: public under AuthType appointments-token
         * (glue/authn.c lets it through before authorization); elsewhere
         * no grant names it. */
        return AUTHZ_DENIED;
    }
    if (!route) {
        if (am_grants_any_route(r->pool, grants, d)) {
            return AUTHZ_GRANTED;
        }
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, 
                      "user %s: %s %s names no route of %s and the grants"
                      " (%s) hold none of its functions", r->user,
                      r->method, r->uri, d->name,
                      grants_text(r->pool, grants));
        return AUTHZ_DENIED;
    }
    if (route->flags & AM_ROUTE_DESCRIBE) {
        /* The API's descriptions: the read grant of any of its
         * functions. */
        if (am_grants_any_read(r->pool, grants, d)) {
            return AUTHZ_GRANTED;
        }
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "user %s: %s %s needs the read grant of a function"
                      " of %s, not among %s", r->user, r->method, r->uri,
                      d->name, grants_text(r->pool, grants));
        return AUTHZ_DENIED;
    }
    if (am_grants_allow(r->pool, grants, route->function,
                        route->permission)) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "user %s: %s %s needs %s:%s: granted", r->user,
                      r->method, r->uri, route->function,
                      route->permission ? route->permission : AM_PERM_START);
        return AUTHZ_GRANTED;
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, 
                  "user %s: %s %s needs %s:%s, not among %s", r->user,
                  r->method, r->uri, route->function,
                  route->permission ? route->permission : AM_PERM_START,
                  grants_text(r->pool, grants));
    return AUTHZ_DENIED;
}

static const char *perm_parse(cmd_parms *cmd, const char *require_line,
                              const void **parsed)
{
    apr_array_header_t *grants = NULL;
    const char *err = am_grants_parse(cmd->pool, require_line, &grants);

    if (err) {
        return apr_psprintf(cmd->pool, "Require " AM_AUTHZ_NAME ": %s",
                            err);
    }
    *parsed = grants;
    return NULL;
}

static const authz_provider am_authz_provider = {
    &perm_check,
    &perm_parse,
};

void am_authz_register(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, AM_AUTHZ_NAME,
                              AUTHZ_PROVIDER_VERSION, &am_authz_provider,
                              AP_AUTH_INTERNAL_PER_URI);
}
