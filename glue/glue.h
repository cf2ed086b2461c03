/* Licensed under the Apache License, Version 2.0.
 *
 * glue.h: what the httpd-side files of mod_appointments share.
 *
 *   glue/config.c    directives, their merge, and the per-request state
 *                    (the route resolved once, in header_parser)
 *   glue/io.c        the request's body, its store (mod_dbd), the
 *                    response sent, and the error filter
 *   glue/authz.c     the appointments-permission authz provider
 *   glue/identity.c  the authenticated user as an employee id and name
 *   glue/access.c    permissions follow the appointment: the store's
 *                    access check (a subrequest to the home route)
 *   glue/cors.c      OPTIONS and cross-origin requests
 *   mod_appointments.c  the module: hooks and the handler, which turns a
 *                    request_rec into the core's request (src/serve.h) and
 *                    the core's response back
 */
#ifndef AM_GLUE_H
#define AM_GLUE_H

#include "httpd.h"
#include "http_config.h"
#include "apr_hash.h"

#include "datetime.h"
#include "route.h"
#include "serve.h"

extern module AP_MODULE_DECLARE_DATA appointments_module;

/* ------------------------------------------------ glue/identity.c */

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

/* ------------------------------------------------- glue/authn.c */

/* AuthType appointments-token and the login routes (login.h). */
#define AM_AUTH_TYPE "appointments-token"

/* Notes (r->notes) that the error filter (glue/io.c) reads for an error
 * httpd answers itself: the dialect code (Xelion's errorCode) and the
 * message. */
#define AM_NOTE_ERROR_CODE    "appointments-error-code"
#define AM_NOTE_ERROR_MESSAGE "appointments-error-message"

typedef struct am_authn_conf {
    apr_array_header_t *providers;  /* AppointmentsAuthProvider names;
                                     * NULL = unset ("file") */
    int basic, basic_set;           /* AppointmentsAuthBasic */
    apr_int64_t lifetime;           /* AppointmentsTokenLifetime, s */
    int lifetime_set;
    apr_int64_t renewal;            /* AppointmentsRenewalLifetime, s */
    int renewal_set;
    apr_int64_t idle;               /* AppointmentsTokenIdle, s */
    int idle_set;
    int fail_delay, fail_delay_set; /* AppointmentsLoginFailDelay, ms */
    const char *employment_header;  /* AppointmentsEmploymentHeader */
    int employment_header_set;
    const char *realm;              /* AppointmentsTokenRealm */
} am_authn_conf_t;

void am_authn_merge(am_authn_conf_t *c, const am_authn_conf_t *base,
                    const am_authn_conf_t *add);

/* The directives (in am_config_cmds); cmd->info is the offset of the
 * am_authn_conf_t in am_dir_conf_t. */
const char *am_authn_set_provider(cmd_parms *cmd, void *dconf,
                                  const char *arg);
const char *am_authn_set_basic(cmd_parms *cmd, void *dconf, int flag);
const char *am_authn_set_lifetime(cmd_parms *cmd, void *dconf,
                                  const char *arg);
const char *am_authn_set_renewal(cmd_parms *cmd, void *dconf,
                                 const char *arg);
const char *am_authn_set_idle(cmd_parms *cmd, void *dconf, const char *arg);
const char *am_authn_set_fail_delay(cmd_parms *cmd, void *dconf,
                                    const char *arg);
const char *am_authn_set_realm(cmd_parms *cmd, void *dconf,
                               const char *arg);
const char *am_authn_set_employment_header(cmd_parms *cmd, void *dconf,
                                           const char *arg);

#define AM_AUTHN_CMDS(off) \
    AP_INIT_ITERATE("AppointmentsAuthProvider", am_authn_set_provider, \
                    (void *)(off), RSRC_CONF | ACCESS_CONF, \
                    "authn providers that check the passwords of logins" \
                    " (as AuthBasicProvider; default file)"), \
    AP_INIT_FLAG("AppointmentsAuthBasic", am_authn_set_basic, \
                 (void *)(off), RSRC_CONF | ACCESS_CONF, \
                 "On: AuthType " AM_AUTH_TYPE " accepts HTTP Basic as" \
                 " well (default Off)"), \
    AP_INIT_TAKE1("AppointmentsTokenLifetime", am_authn_set_lifetime, \
                  (void *)(off), RSRC_CONF | ACCESS_CONF, \
                  "Seconds a login token is good for (default 3600)"), \
    AP_INIT_TAKE1("AppointmentsRenewalLifetime", am_authn_set_renewal, \
                  (void *)(off), RSRC_CONF | ACCESS_CONF, \
                  "Seconds a renewal (refresh) token is good for; 0: none" \
                  " issued (default 604800)"), \
    AP_INIT_TAKE1("AppointmentsTokenIdle", am_authn_set_idle, \
                  (void *)(off), RSRC_CONF | ACCESS_CONF, \
                  "Seconds without use after which a session ends; 0:" \
                  " no idle limit (default 0)"), \
    AP_INIT_TAKE1("AppointmentsLoginFailDelay", am_authn_set_fail_delay, \
                  (void *)(off), RSRC_CONF | ACCESS_CONF, \
                  "Milliseconds after its start a failed login is" \
                  " answered (default 500)"), \
    AP_INIT_TAKE1("AppointmentsTokenRealm", am_authn_set_realm, \
                  (void *)(off), RSRC_CONF | ACCESS_CONF, \
                  "Locations with the same realm accept each other's" \
                  " tokens (default: the location)"), \
    AP_INIT_TAKE1("AppointmentsEmploymentHeader", \
                  am_authn_set_employment_header, (void *)(off), \
                  RSRC_CONF | ACCESS_CONF, \
                  "A request header that may name the employment a" \
                  " token acts for, or Off (default Off)")

struct am_login_op;

/* Serves a login route (the handler calls it). */
int am_authn_login(request_rec *r, const struct am_login_op *op);

/* Registers the AuthType's hooks. */
void am_authn_register(apr_pool_t *p);

/* The request notes in which glue/authn.c leaves, for am_identity_of,
 * the employment of the request's token (also read from the main request
 * by its subrequests) and the one the AppointmentsEmploymentHeader names
 * where the location allows it (read from the request that carries it
 * only). */
#define AM_NOTE_EMPLOYMENT        "appointments-employment"
#define AM_NOTE_EMPLOYMENT_HEADER "appointments-employment-header"

/* -------------------------------------------------- glue/config.c */

typedef struct am_dir_conf {
    const am_dialect_t *dialect;
    const char *base;           /* the <Location> AppointmentsApi is in */
    ap_regex_t *base_re;        /* or its pattern (<LocationMatch>,
                                 * <Location ~>): the mount is what it
                                 * matches of the request's path */
    const am_tz_t *tz;          /* NULL = the system's */
    apr_off_t max_body;         /* 0 = unset */
    int max_occurrences;        /* 0 = unset */
    int default_duration;       /* minutes; 0 = unset */
    int prevent_double_booking; /* with prevent_double_booking_set */
    int prevent_double_booking_set;
    am_identity_conf_t ident;   /* NULL members = unset */
    int describe_open;          /* AppointmentsDescriptionAccess: 1 open,
                                 * -1 grant, 0 unset (= grant) */
    apr_array_header_t *cors;   /* AppointmentsCorsOrigins (const char *);
                                 * NULL = unset */
    int feed_days_back;         /* AppointmentsFeedWindow; 0 = unset */
    int feed_days_ahead;
    am_authn_conf_t authn;      /* logging in (glue/authn.c) */
} am_dir_conf_t;

typedef struct am_srv_conf {
    int used;                   /* AppointmentsApi appears in this server */
    apr_array_header_t *mounts; /* am_mount_t: this server's, then those
                                 * of the main server (for a vhost) */
    am_gate_t *gate;            /* the child process's SQLite write gate
                                 * (am_store_t.gate), the same for every
                                 * server; set at child init */
} am_srv_conf_t;

/* One AppointmentsApi of a server, in configuration order: its dialect
 * and a path that reaches it (the <Location> path; the literal start of
 * a <LocationMatch> pattern, or NULL when it has none). */
typedef struct am_mount {
    const am_dialect_t *dialect;
    const char *uri;
} am_mount_t;

/* The route of a request, resolved once (am_glue_resolve). */
typedef struct am_req_conf {
    const am_route_t *route;
    am_err_t *err;              /* 404/405/400 from routing */
    apr_table_t *params;
    const char *path;           /* below the mount point */
} am_req_conf_t;

extern const command_rec am_config_cmds[];
void *am_config_create_dir(apr_pool_t *p, char *dir);
void *am_config_merge_dir(apr_pool_t *p, void *basev, void *addv);
void *am_config_create_srv(apr_pool_t *p, server_rec *s);
void *am_config_merge_srv(apr_pool_t *p, void *basev, void *addv);

/* Once at start-up (pre_config): the system's time zone, the default of
 * AppointmentsTimeZone. */
void am_config_init(apr_pool_t *ptemp);
const am_tz_t *am_config_system_tz(void);

/* Whether AppointmentsApi is used in server s (or, with all, in any
 * virtual host of the server s is the main one of). */
int am_config_used(server_rec *s, int all);

/* At child init: the process's SQLite write gate, given to every
 * server's configuration. */
void am_config_child_init(apr_pool_t *p, server_rec *s);

/* The configuration of r's location when it serves an AppointmentsApi,
 * else NULL. */
const am_dir_conf_t *am_glue_conf(request_rec *r);

/* r's route, resolved once per request (header_parser, or the first
 * caller for subrequests); c is am_glue_conf(r), not NULL. */
am_req_conf_t *am_glue_resolve(request_rec *r, const am_dir_conf_t *c);

/* The dialect of r's location (AppointmentsApi), or NULL when r is not
 * served by the module. */
const am_dialect_t *am_glue_dialect(request_rec *r);

/* The route r asks for; NULL when the path names no route of the dialect
 * (the handler answers 404, 405 or 400) or r has no dialect. */
const am_route_t *am_glue_route(request_rec *r);

/* The absolute URL of the mount point, without a trailing '/': for a
 * pattern, what it matched of the request's path, as the client wrote
 * it. */
const char *am_glue_mount_url(request_rec *r, const am_dir_conf_t *c);

/* The mounts of r's server (its own first, then the main server's). */
const apr_array_header_t *am_glue_mounts(request_rec *r);

/* The employee id of r's user (0 = not known) under the identity
 * directives of r's location. */
apr_int64_t am_glue_employee(request_rec *r);

/* ---------------------------------------------------- glue/access.c */

/* The store's access check (store.h, am_access_fn) for requests of
 * dialect d: appointments whose home is another API need the grant of
 * their home route too, asked of httpd by a subrequest. */
void *am_access_ctx(request_rec *r, const am_dialect_t *d);
am_err_t *am_access_check(void *ctx, const am_appt_t *a, int op);
/* The kinds whose home is d (bit 1 << kind): the check allows them. */
unsigned am_access_own(const am_dialect_t *d);
/* Whether r's user may `method path' (path below r's mount, as r reached
 * it): a subrequest, as for a home route, that must end with 200 at a
 * route of the same API for the same user (am_req_t.may). */
int am_access_route(request_rec *r, const char *method, const char *path);

/* ------------------------------------------------------ glue/cors.c */

/* origins: AppointmentsCorsOrigins of the location (const char *; NULL
 * or empty: none). */
/* NULL when o is an origin as the directive takes it, else a message. */
const char *am_cors_origin_check(apr_pool_t *p, const char *o);
/* Whether r is a preflight (OPTIONS with Access-Control-Request-Method)
 * from a listed origin: answered without authentication. */
int am_cors_is_preflight(request_rec *r, const apr_array_header_t *origins);
/* Vary: Origin and, for a listed origin, the CORS headers of every answer
 * (err_headers_out); in header_parser. */
void am_cors_headers(request_rec *r, const apr_array_header_t *origins);
/* The preflight's own headers, added to headers (of the 204 the
 * pipeline made, whose Allow they repeat). */
void am_cors_preflight(request_rec *r, const apr_array_header_t *origins,
                       apr_table_t *headers);
/* -------------------------------------------------- glue/feedkey.c */

/* Registers the authentication of feeds by secret key: r->ap_auth_type
 * of a request it authenticated, and the note with the employee id the
 * key was issued with (the handler's identity when the login's own
 * source, such as AppointmentsEmployeeIdVar, is absent). */
#define AM_FEEDKEY_AUTH_TYPE     "FeedKey"
#define AM_FEEDKEY_NOTE_EMPLOYEE "appointments-feed-employee"
void am_feedkey_register(apr_pool_t *p);

/* ------------------------------------------------------ glue/io.c */

/* After the configuration is read (post_config): finds mod_dbd; an
 * error message when it is not loaded. */
const char *am_io_init(void);

/* The pipeline's way to r's body and store. */
void am_io_of(request_rec *r, am_io_t *io);

/* Sends rs (status, headers, body) as r's response: OK, or
 * AP_FILTER_ERROR when the server has answered already. */
int am_io_send(request_rec *r, const am_resp_t *rs);

/* The error filter: errors that httpd answers itself get the dialect's
 * error body (registered in the module's hooks). */
void am_io_register(apr_pool_t *p);

/* The same body reader and store as the pipeline's, for glue/authn.c. */
am_err_t *am_io_read_body(request_rec *r, apr_off_t max, char **buf,
                          apr_size_t *len);
am_err_t *am_io_store(request_rec *r, am_store_t *s);

/* ---------------------------------------------------- glue/authz.c */

/* Registers the appointments-permission authz provider. */
void am_authz_register(apr_pool_t *p);

#endif /* AM_GLUE_H */
