/* Licensed under the Apache License, Version 2.0.
 *
 * glue.h: what the httpd-side files of mod_appointments share.
 *
 * mod_appointments.c owns the configuration and the per-request state
 * (the route resolved once, in header_parser); glue/authz.c is the
 * appointments-permission authz provider; glue/identity.c turns the
 * authenticated user into an employee id and display name.
 */
#ifndef AM_GLUE_H
#define AM_GLUE_H

#include "httpd.h"
#include "http_config.h"
#include "apr_hash.h"

#include "route.h"

/* The dialect of r's location (AppointmentsApi), or NULL when r is not
 * served by the module. */
const am_dialect_t *am_glue_dialect(request_rec *r);

/* The route r asks for, resolved once per request (header_parser, or the
 * first caller for subrequests); NULL when the path names no route of the
 * dialect (the handler answers 404, 405 or 400) or r has no dialect. */
const am_route_t *am_glue_route(request_rec *r);

/* The path of r's mount point (the <Location> of AppointmentsApi) and
 * the path parameters of its route; NULL when r has no dialect. */
const char *am_glue_mount(request_rec *r);
apr_table_t *am_glue_params(request_rec *r);

/* The store on r's database connection (503 when there is none). */
am_err_t *am_glue_store(request_rec *r, am_store_t *s);

/* Registers the authentication of feeds by secret key (glue/feedkey.c):
 * r->ap_auth_type of a request it authenticates, and the note with the
 * employee id the key was issued with. */
#define AM_FEEDKEY_AUTH_TYPE     "FeedKey"
#define AM_FEEDKEY_NOTE_EMPLOYEE "appointments-feed-employee"
void am_feedkey_register(apr_pool_t *p);

/* Registers the appointments-permission authz provider (glue/authz.c). */
void am_authz_register(apr_pool_t *p);

/* Where the identity of a user comes from: AppointmentsUserMap,
 * AppointmentsEmployeeIdVar, AppointmentsDisplayNameVar. */
typedef struct am_identity_conf {
    apr_hash_t *usermap;        /* am_employee_t by user name, or NULL */
    const char *employee_var;   /* environment variable, or NULL */
    const char *name_var;       /* environment variable, or NULL */
} am_identity_conf_t;

/* The employee id (0 = not known) and display name (the user name unless
 * mapped; NULL when anonymous) of r's authenticated user. */
void am_identity_of(request_rec *r, const am_identity_conf_t *ic,
                    apr_int64_t *employee_id, const char **display_name);

#endif /* AM_GLUE_H */
