/* Licensed under the Apache License, Version 2.0.
 *
 * route.h: dialects, their route tables, and the request as the core sees
 * it.
 *
 * A dialect is data: its routes (method, path pattern, handler, the
 * function and permission the route needs, the body type), the types it
 * speaks, and how it renders errors.  The glue resolves the route once per
 * request (before authorization); the pipeline (serve.h) decodes the body,
 * opens the store and calls the handler with an am_req_t; the handler
 * fills in an am_resp_t or returns an error.
 */
#ifndef AM_ROUTE_H
#define AM_ROUTE_H

#include "am.h"
#include "fields.h"
#include "model.h"
#include "negotiate.h"
#include "store.h"

typedef struct am_route am_route_t;
typedef struct am_dialect am_dialect_t;

typedef struct am_req {
    apr_pool_t *pool;
    const am_dialect_t *dialect;
    const am_route_t *route;
    const char *method;
    const char *path;           /* below the mount point, no leading '/' */
    const char *mount;          /* the mount point's path (the <Location>
                                 * of AppointmentsApi) */
    const char *base_url;       /* absolute URL of the mount point without
                                 * a trailing '/' ("https://host/api/v1/
                                 * master"), for links in answers; "" when
                                 * not known */
    apr_table_t *params;        /* path parameters by name */
    apr_table_t *query;         /* query arguments, decoded */
    am_obj_t *body;             /* decoded body (route->in), or NULL */
    const am_tz_t *tz;
    am_store_t *store;
    const char *user;           /* authenticated user, or NULL */
    apr_int64_t employee_id;    /* the user's employee id; 0 = not known
                                 * (AppointmentsUserMap,
                                 * AppointmentsEmployeeIdVar) */
    const char *display_name;   /* the user's name for CreatedByName and
                                 * StatusChangedByName: mapped, else user;
                                 * NULL when anonymous */
    const am_ifmatch_t *if_match;   /* If-Match (cond.h); NULL = none.
                                     * The store checks it on changes,
                                     * the pipeline on reads. */
    int max_occurrences;        /* AppointmentsMaxOccurrences */
    int default_duration_min;   /* AppointmentsDefaultDuration; 0 = the
                                 * dialect's default */
    int prevent_double_booking; /* AppointmentsPreventDoubleBooking On */
    int feed_days_back;         /* AppointmentsFeedWindow: the default */
    int feed_days_ahead;        /*   window of a feed, in days */

    /* Whether the user may use the route `method path' (path below the
     * mount) of this location, as httpd's authorization of a subrequest
     * answers it: the admin's Require lines decide for a route whose
     * function depends on its target (route function NULL).  NULL: no
     * such check is possible (everything allowed). */
    int (*may)(void *ctx, const char *method, const char *path);
    void *may_ctx;
} am_req_t;

/* What a route's handler answers with; the pipeline (serve.h) turns it
 * into the response's status, headers and body in the negotiated
 * format. */
typedef struct am_resp {
    int status;                 /* 200 unless set */
    am_obj_t *obj;              /* a single object, or */
    apr_array_header_t *list;   /* a list of am_obj_t * */
    const am_type_t *list_type; /* the item type of list */
    apr_array_header_t *appts;  /* the answer's appointments (am_appt_t *)
                                 * for text/calendar; NULL when the route
                                 * has no iCalendar form (406) */
    apr_int64_t version;        /* version for a strong ETag; 0 = none */
    am_time_t last_modified;    /* Last-Modified of a feed; 0 = none */
    const char *cal_name;       /* the calendar's name in text/calendar
                                 * (X-WR-CALNAME), or NULL */
    const char *location;       /* Location, relative to the mount */
    apr_table_t *headers;       /* response headers: a handler may add its
                                 * own; the pipeline adds ETag, Location
                                 * (absolute), Allow, Retry-After, Vary */

    /* Set by the pipeline. */
    const char *ctype;          /* media type of body (with charset) */
    const char *body;           /* NULL = none */
    apr_size_t len;
    const am_err_t *err;        /* the error answered, or NULL */
    const char *detail;         /* its message as made, for the log (a
                                 * 5xx body says less) */
    int answered;               /* the server has answered already (an
                                 * input filter's error): send nothing */

    /* AM_ANSWER_RAW routes: the body the handler made itself, in the
     * route's out_media, with its strong ETag (quoted). */
    const char *raw;
    apr_size_t raw_len;
    const char *raw_etag;
} am_resp_t;

typedef am_err_t *(*am_handler_fn)(am_req_t *rq, am_resp_t *rs);

/* A query (or path) parameter of a route, for the descriptions
 * (src/describe.c): name, type and whether it must be given. */
typedef struct am_param {
    const char *name;           /* NULL ends a list */
    am_ftype_e type;            /* AM_T_INT64, AM_T_DATETIME, AM_T_GUID,
                                 * AM_T_STRING, AM_T_XDATETIME, or
                                 * AM_T_ARRAY of elem (clientIds[0]=..) */
    am_ftype_e elem;
    unsigned flags;             /* AM_F_REQUIRED */
    const char *doc;            /* what it means */
    apr_int64_t min, max;       /* integers: range; both 0 = natural */
} am_param_t;

/* What a route answers (am_route.answer). */
#define AM_ANSWER_ONE    1      /* one object of type out */
#define AM_ANSWER_LIST   2      /* a collection of out (JSON array, XML
                                 * ArrayOf{out}); items may also be of
                                 * type out_alt */
#define AM_ANSWER_NONE   3      /* no body */
#define AM_ANSWER_RAW    4      /* a body of media type out_media that the
                                 * handler makes itself (am_resp_t.raw) */

/* Route flags (am_route.flags; AM_ROUTE_ICAL below) */
#define AM_ROUTE_NOSTORE  0x10u /* the handler needs no database */
#define AM_ROUTE_DESCRIBE 0x20u /* a self-description of the mount: needs
                                 * the read grant of any of its functions
                                 * (glue/authz.c), or none
                                 * (AppointmentsDescriptionAccess open) */
#define AM_ROUTE_TARGET   0x40u /* the function is the target's (completing
                                 * an appointment of any calendar; the row
                                 * names none): any of the API's grants
                                 * lets the request in, and the handler
                                 * asks about the target (am_req_t.may) */

struct am_route {
    const char *method;         /* "GET", "POST", "PATCH", "DELETE" */
    const char *pattern;        /* "ClientAppointments/ContractAppointments/{id}";
                                 * {name} is an integer 1..2^63-1,
                                 * {name:uint} an integer 0..2^63-1,
                                 * {name:guid} a GUID; a parameter may be
                                 * followed by a literal suffix in its
                                 * segment ("{id}.ics"); literal segments
                                 * and suffixes match case-insensitively */
    am_handler_fn handler;
    const char *function;       /* the function the route needs; NULL
                                 * only for the login routes (login.h),
                                 * which are public, and for routes
                                 * flagged AM_ROUTE_TARGET (their
                                 * target's) */
    const char *permission;     /* and the permission on it */
    const am_type_t *in;        /* body type, NULL = no body */
    const void *data;           /* the dialect's own data for the handler
                                 * (e.g. which calendar the route serves) */
    unsigned flags;             /* AM_ROUTE_* */
    /* What the descriptions (openapi.json, Help) say of the route; rows
     * give them by designator (.doc = ..). */
    const char *doc;            /* one line: what the route does */
    const am_type_t *out;       /* the answer's type (item type of a list) */
    int answer;                 /* AM_ANSWER_*; 0 = not described */
    int status;                 /* the status of success; 0 = 200 */
    const am_param_t *query;    /* query parameters, ended by a NULL name;
                                 * path parameters come from the pattern,
                                 * and may be listed here for their doc */
    const am_type_t *out_alt;   /* AM_ANSWER_LIST: another item type */
    const char *out_media;      /* AM_ANSWER_RAW: its media type */
    const char *login;          /* a login route: the Authorization
                                 * scheme of the tokens it issues
                                 * ("Bearer": an OAuth 2.0 password grant
                                 * token endpoint; another word, e.g.
                                 * "xelion": a session login whose answer
                                 * carries the token); it needs no
                                 * credentials.  NULL = not a login. */
};

/* A GET whose answer can also be had as text/calendar (its handler sets
 * am_resp_t.appts); other routes answer such an Accept with 406. */
#define AM_ROUTE_ICAL  1u
/* A calendar feed (feed.h): a GET answered as text/calendar whatever
 * Accept says (its errors follow Accept), with a strong ETag of its
 * bytes and Last-Modified. */
#define AM_ROUTE_FEED  2u

/* A function that a route may need: its name and GUID. */
typedef struct am_function {
    const char *name;
    const char *guid;           /* upper-case, without braces */
} am_function_t;

/* What a member means, by its wire name, in every type of a dialect that
 * has it (a field's own doc wins): the descriptions' glossary. */
typedef struct am_member_doc {
    const char *name;           /* NULL ends a list */
    const char *doc;
} am_member_doc_t;
/* The home of one kind of appointment: the API it belongs to (the
 * dialect that lists it in homes) and that API's routes for one
 * appointment of the kind.  Reaching an appointment through a route of
 * another API needs, besides that route's grant, the grant the home route
 * needs for the operation: the glue asks httpd, with a subrequest to the
 * home route at a mount of the home API, for the same user.  In a path
 * "{id}" stands for the appointment's id, "{uid}" for its uid. */
typedef struct am_home {
    int kind;                   /* am_kind_e */
    const char *read_method;    /* reading it: "GET" */
    const char *read_path;      /*   "appointments/{id}" */
    const char *change_method;  /* changing it: "DELETE" */
    const char *change_path;
    int own_employee;           /* readable only by the employee it is
                                 * linked to (rel "employee"), as the
                                 * home calendar answers */
} am_home_t;

struct am_dialect {
    const char *name;           /* the AppointmentsApi argument */
    const am_route_t *routes;
    int nroutes;
    am_type_t *const *types;    /* NULL-terminated: initialised at start-up */
    const char *model_param;    /* ModelState key prefix ("appointment") */
    unsigned body_formats;      /* AM_FMT_* accepted as request bodies */
    /* Renders e as a body in fmt (JSON or XML).  method and path name the
     * request (Xelion's "info"). */
    char *(*error_body)(apr_pool_t *p, const am_dialect_t *d,
                        const am_err_t *e, am_fmt_e fmt, const char *method,
                        const char *path, apr_size_t *len);
    const am_home_t *homes;     /* the kinds of appointment this API owns */
    int nhomes;
    /* For the descriptions (src/describe.c). */
    const char *title;          /* "PlanCare2 calendar API" */
    const char *doc;            /* a paragraph on the API */
    const am_member_doc_t *member_docs; /* NULL = none */
};

/* The routes a mount of d serves: d's own (d->routes), then the ones
 * every dialect shares (openapi.json, Help: src/describe.c), in the
 * order am_route_match tries them.  i from 0 to am_route_count(d) - 1. */
int am_route_count(const am_dialect_t *d);

/* The routes every dialect shares (the descriptions: src/describe.c adds
 * them in am_describe_init), once at start-up before any request;
 * am_route_match tries them after the dialect's own. */
void am_routes_shared(const am_route_t *routes, int n);
const am_route_t *am_route_at(const am_dialect_t *d, int i);

/* Every dialect this build speaks, ending with NULL. */
const am_dialect_t *const *am_dialect_all(void);

/* The home of appointments of kind (and its dialect in *d), or NULL. */
const am_home_t *am_home_of(int kind, const am_dialect_t **d);

/* The method and path (below the mount) of a's home route for op
 * (AM_ACCESS_READ or AM_ACCESS_CHANGE). */
const char *am_home_path(apr_pool_t *p, const am_home_t *h,
                         const am_appt_t *a, int op, const char **method);

/* Checks at start-up that every home path names a route of its dialect
 * with its method, and that no kind has two homes.  Returns NULL, or a
 * message. */
const char *am_homes_check(apr_pool_t *p);

/* The dialect with this name, or NULL. */
const am_dialect_t *am_dialect_find(const char *name);
/* Names of all dialects, for messages: "plancare2, patient, xelion". */
const char *am_dialect_names(apr_pool_t *p);
/* Once at start-up: initialises every dialect's types. */
void am_dialects_init(apr_pool_t *p);

/* Finds the route for method and path (HEAD counts as GET).  404 when no
 * pattern matches the path; 405 (with e->allow) when patterns match but
 * not with this method; 400 when the path matches but a parameter is not
 * a valid value.  Path parameters are added to params. */
am_err_t *am_route_match(apr_pool_t *p, const am_dialect_t *d,
                         const char *method, const char *path,
                         const am_route_t **out, apr_table_t *params);

/* The canonical path of a matched route: its pattern with each
 * parameter's value (integers without leading zeros, GUIDs as
 * am_route_match made them), literal segments as the pattern spells
 * them ("Feeds/Clients/5151.ics" for "feeds/clients/05151.ICS"). */
const char *am_route_path(apr_pool_t *p, const am_route_t *route,
                          apr_table_t *params);

/* Parses a query string (may be NULL) into a table, decoding %XX and '+'.
 * Malformed escapes or NUL bytes are a 400. */
am_err_t *am_query_parse(apr_pool_t *p, const char *args,
                         apr_table_t **out);

/* Typed access to query arguments; a bad value adds a field error named
 * after the argument to err (created on first use, status 400).
 * Returns 1 when present and valid, 0 when absent (and not required), -1
 * on error. */
int am_arg_int64(am_req_t *rq, const char *name, apr_int64_t min,
                 apr_int64_t max, int required, apr_int64_t *out,
                 am_err_t **err);
int am_arg_time(am_req_t *rq, const char *name, int required,
                am_time_t *out, am_err_t **err);

/* The path parameter name as an integer (already validated by
 * am_route_match). */
apr_int64_t am_param_int64(am_req_t *rq, const char *name);

/* Server stamping: who creates a (CreatedById, CreatedByName), and who
 * changes its status (StatusChangedById, StatusChangedByName): the
 * request's employee id and display name (the user name unless
 * mapped). */
void am_stamp_created(const am_req_t *rq, am_appt_t *a);
/* The name stamping writes: the display name, else the user name. */
const char *am_req_who(const am_req_t *rq);
void am_stamp_status(const am_req_t *rq, am_appt_t *a);

/* An error listing invalid fields: status 400, "The request is
 * invalid." */
am_err_t *am_err_invalid(apr_pool_t *p);

#endif /* AM_ROUTE_H */
