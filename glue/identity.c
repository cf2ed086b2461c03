/* Licensed under the Apache License, Version 2.0.
 *
 * identity.c: who writes.  The authenticated user (r->user) becomes an
 * employee id and a display name for CreatedById/CreatedByName and
 * StatusChangedById/StatusChangedByName, and for the routes that mean
 * "the logged-on employee".
 *
 * Sources, first found wins for each of the two:
 *   0. the employment of the login session (a token of AuthType
 *      appointments-token; the employmentId header where allowed);
 *   1. environment variables an authentication module sets
 *      (AppointmentsEmployeeIdVar, AppointmentsDisplayNameVar; e.g.
 *      mod_auth_openidc's OIDC_CLAIM_*, mod_authnz_ldap's AUTHENTICATE_*);
 *   2. the AppointmentsUserMap file ("user employee-id display name");
 *   3. employee id 0 (not known), display name the user name.
 * Request headers are never a source: a client could set them.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"

#include "fields.h"
#include "perm.h"
#include "glue.h"

APLOG_USE_MODULE(appointments);

/* The employment the request's employment header or token gave
 * (glue/authn.c's notes); 0 = none. */
static apr_int64_t employment_of(request_rec *r)
{
    const request_rec *q;
    const char *h = apr_table_get(r->notes, AM_NOTE_EMPLOYMENT_HEADER);

    if (h) {
        return am_employee_id_parse(h);
    }
    for (q = r; q; q = q->prev ? q->prev : q->main) {
        const char *v = apr_table_get(q->notes, AM_NOTE_EMPLOYMENT);

        if (v) {
            return am_employee_id_parse(v);
        }
    }
    return 0;
}

void am_identity_of(request_rec *r, const am_identity_conf_t *ic,
                    apr_int64_t *employee_id, const char **display_name)
{
    const am_employee_t *e = NULL;
    const char *v;

    *employee_id = 0;
    *display_name = NULL;
    if (!r->user) {
        return;
    }
    /* 0. The employment of the token's session (glue/authn.c). */
    *employee_id = employment_of(r);
    if (*employee_id <= 0 && ic->employee_var
        && (v = apr_table_get(r->subprocess_env, ic->employee_var))) {
        *employee_id = am_employee_id_parse(v);
        if (*employee_id <= 0) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, 
                          "user %s: %s is '%s', not an employee id (a"
                          " number from 1); ignored", r->user,
                          ic->employee_var, v);
        }
    }
    if (ic->name_var
        && (v = apr_table_get(r->subprocess_env, ic->name_var)) && *v) {
        if (am_utf8_valid(v, strlen(v))) {
            *display_name = v;
        }
        else {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, 
                          "user %s: %s is not valid UTF-8; ignored",
                          r->user, ic->name_var);
        }
    }
    if (ic->usermap) {
        e = apr_hash_get(ic->usermap, r->user, APR_HASH_KEY_STRING);
    }
    if (e) {
        if (*employee_id <= 0) {
            *employee_id = e->id;
        }
        if (!*display_name && e->name) {
            *display_name = e->name;
        }
    }
    if (*employee_id < 0) {
        *employee_id = 0;
    }
    if (!*display_name) {
        *display_name = r->user;
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "user %s is employee %"
                  APR_INT64_T_FMT " (%s)", r->user, *employee_id,
                  *display_name);
}
