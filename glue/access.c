/* Licensed under the Apache License, Version 2.0.
 *
 * access.c: permissions follow the appointment.  The three APIs share one
 * store and one id space, so a route of one API can reach an appointment
 * made through another (a Xelion appointment through a PlanCare2 client
 * calendar route, a team appointment through Xelion's appointments/{oid},
 * a Xelion series as the ParentId of an occurrence).  Reaching it needs,
 * besides the route's own grant (checked by httpd before the handler),
 * the grant that the appointment's home route (route.h, am_home_t) needs
 * for the operation.  That grant is not computed here: as mod_dav checks
 * the destination of a COPY, a subrequest to the home route at a mount of
 * the home API asks httpd, for the same user, with the Require lines the
 * admin wrote there.
 *
 *   not readable (the home read route is denied, or the home API is not
 *   mounted in this server, or the user is not the employee of an
 *   employee appointment)        404, as if it did not exist
 *   readable, not changeable     403
 *
 * The store asks (store.h, am_store_t.access) on every read, change and
 * list, whichever route called it.  Appointments of the route's own API
 * need nothing more: its route tables and handlers keep its kinds apart.
 * The answer of a home route is kept for the request per kind and
 * operation, so a list asks httpd at most once per kind.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_request.h"
#include "apr_strings.h"

#include "store.h"
#include "route.h"
#include "glue.h"

APLOG_USE_MODULE(appointments);

#define AM_NKINDS 8

typedef struct am_access {
    request_rec *r;
    const am_dialect_t *dialect;        /* the route's */
    signed char seen[AM_NKINDS][2];     /* 0 not asked, 1 granted,
                                         * -1 denied, by kind and op */
    apr_int64_t employee[AM_NKINDS];    /* the user's employee id at the
                                         * home of a kind (read) */
} am_access_t;

void *am_access_ctx(request_rec *r, const am_dialect_t *d)
{
    am_access_t *x = apr_pcalloc(r->pool, sizeof(*x));

    x->r = r;
    x->dialect = d;
    return x;
}

/* Asks httpd whether r's user may `method uri`: a subrequest runs the
 * authentication and authorization of that location (never its handler).
 * Granted when it ends with 200, reaches the expected API, and is the
 * same user.  *employee gets the user's employee id there. */
static int home_grants(request_rec *r, const am_dialect_t *hd,
                       const char *method, const char *uri,
                       apr_int64_t *employee)
{
    request_rec *rr = ap_sub_req_method_uri(method, uri, r, NULL);
    int ok = rr->status == HTTP_OK && am_glue_dialect(rr) == hd
             && am_glue_route(rr) != NULL
             && rr->user && r->user && !strcmp(rr->user, r->user);

    if (ok && employee) {
        *employee = am_glue_employee(rr);
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "user %s: the home route"
                  " %s %s answers %d%s", r->user ? r->user : "-", method,
                  uri, rr->status, ok ? ": granted" : ": denied");
    ap_destroy_sub_req(rr);
    return ok;
}

/* Whether the home of a grants op; 0 also when the home API is mounted
 * nowhere in this server. */
static int allowed(am_access_t *x, const am_home_t *h,
                   const am_dialect_t *hd, const am_appt_t *a, int op)
{
    const apr_array_header_t *mounts;
    const char *method, *path;
    int i, k = (a->kind >= 0 && a->kind < AM_NKINDS) ? a->kind : 0;

    if (k && x->seen[k][op]) {
        return x->seen[k][op] > 0;
    }
    path = am_home_path(x->r->pool, h, a, op, &method);
    mounts = am_glue_mounts(x->r);
    for (i = 0; i < mounts->nelts; i++) {
        const am_mount_t *m = &APR_ARRAY_IDX(mounts, i, am_mount_t);
        const char *uri;
        apr_size_t n;

        if (m->dialect != hd || !m->uri) {
            continue;
        }
        n = strlen(m->uri);
        uri = apr_pstrcat(x->r->pool, m->uri,
                          (n && m->uri[n - 1] == '/') ? "" : "/", path,
                          NULL);
        /* The first mount of the home API: the admin's grants for it. */
        if (k) {
            x->seen[k][op] = home_grants(x->r, hd, method, uri,
                                         &x->employee[k]) ? 1 : -1;
            return x->seen[k][op] > 0;
        }
        return home_grants(x->r, hd, method, uri, NULL);
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, x->r, "appointment %"
                  APR_INT64_T_FMT " belongs to the %s API, which no"
                  " AppointmentsApi of this server serves: not reachable"
                  " from %s", a->id, hd->name, x->dialect->name);
    if (k) {
        x->seen[k][op] = -1;
    }
    return 0;
}

unsigned am_access_own(const am_dialect_t *d)
{
    unsigned own = 0;
    int i;

    for (i = 0; d && i < d->nhomes; i++) {
        if (d->homes[i].kind > 0 && d->homes[i].kind < 32) {
            own |= 1u << d->homes[i].kind;
        }
    }
    return own;
}

am_err_t *am_access_check(void *ctx, const am_appt_t *a, int op)
{
    am_access_t *x = ctx;
    const am_dialect_t *hd = NULL;
    const am_home_t *h = am_home_of(a->kind, &hd);
    apr_pool_t *p = x->r->pool;

    if (h && hd == x->dialect) {
        return NULL;
    }
    if (!h || !allowed(x, h, hd, a, AM_ACCESS_READ)) {
        return am_err_make(p, 404, "No appointment with id %"
                           APR_INT64_T_FMT " exists.", a->id);
    }
    if (h->own_employee) {
        const char *owner = am_appt_link(a, "employee");
        apr_int64_t me = (a->kind > 0 && a->kind < AM_NKINDS)
                         ? x->employee[a->kind] : 0;

        if (!me || !owner || apr_strtoi64(owner, NULL, 10) != me) {
            return am_err_make(p, 404, "No appointment with id %"
                               APR_INT64_T_FMT " exists.", a->id);
        }
    }
    if (op == AM_ACCESS_CHANGE && !allowed(x, h, hd, a, AM_ACCESS_CHANGE)) {
        return am_err_make(p, 403, "Authorization has been denied for this"
                           " request.");
    }
    return NULL;
}
