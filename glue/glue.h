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

/* One AppointmentsApi of a server, in configuration order: its dialect
 * and a path that reaches it (the <Location> path; the literal start of
 * a <LocationMatch> pattern, or NULL when it has none). */
typedef struct am_mount {
    const am_dialect_t *dialect;
    const char *uri;
} am_mount_t;

/* The mounts of r's server (its own first, then the main server's). */
const apr_array_header_t *am_glue_mounts(request_rec *r);

/* The employee id of r's user (0 = not known) under the identity
 * directives of r's location. */
apr_int64_t am_glue_employee(request_rec *r);

/* The access check of the store (store.h, am_access_fn) for requests of
 * dialect d, glue/access.c: appointments whose home is another API need
 * the grant of their home route too, asked of httpd by a subrequest. */
void *am_access_ctx(request_rec *r, const am_dialect_t *d);
am_err_t *am_access_check(void *ctx, const am_appt_t *a, int op);

/* CORS (glue/cors.c).  origins: AppointmentsCorsOrigins of the location
 * (const char *; NULL or empty: none). */
/* NULL when o is an origin as the directive takes it, else a message. */
const char *am_cors_origin_check(apr_pool_t *p, const char *o);
/* Whether r is a preflight (OPTIONS with Access-Control-Request-Method)
 * from a listed origin: answered without authentication. */
int am_cors_is_preflight(request_rec *r, const apr_array_header_t *origins);
/* Vary: Origin and, for a listed origin, the CORS headers of every answer
 * (err_headers_out); in header_parser. */
void am_cors_headers(request_rec *r, const apr_array_header_t *origins);
/* Answers OPTIONS: 204 with Allow (allow plus OPTIONS) and, for a
 * preflight, the Access-Control-Allow-* headers. */
int am_cors_options(request_rec *r, const apr_array_header_t *origins,
                    const char *allow);

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
