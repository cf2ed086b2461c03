/* Licensed under the Apache License, Version 2.0.
 *
 * describe.h: each mount describes itself, from the tables that serve it.
 *
 * At start-up (am_dialects_init) every dialect's route table (route.h)
 * and the field tables its routes name (fields.h) are walked once into
 *   - an OpenAPI 3 document (GET {mount}/openapi.json): every route with
 *     its parameters, body and answer schemas (types, required, nullable,
 *     read-only, ranges, enums, XML names and namespaces), the dialect's
 *     error shape (rendered by the dialect's own error_body), the security
 *     schemes (HTTP Basic, and the login routes the table holds), and
 *     samples of every body made by the codecs that serve them;
 *   - HTML help pages in the manner of ASP.NET Web API's (GET
 *     {mount}/Help): an index of the routes, then per route its URI
 *     parameters, body and answer members with type and additional
 *     information, and JSON and XML samples; self-contained.
 * Both routes are added to every dialect by the route mechanism itself
 * (am_route_at), not by rows in the dialects' tables.
 */
#ifndef AM_DESCRIBE_H
#define AM_DESCRIBE_H

#include "route.h"

/* The samples of the APIs' own documentation pages (t/data/seed*),
 * compiled in by scripts/embed-seeds: examples of the wire type named
 * `type' (any case) in the descriptions, beside the generated ones.
 * Ends with a NULL file. */
typedef struct am_seed_sample {
    const char *file;           /* "seed000_OccurrenceAppointment.json" */
    const char *type;           /* "OccurrenceAppointment" */
    am_fmt_e fmt;               /* AM_FMT_JSON or AM_FMT_XML */
    const char *text;
} am_seed_sample_t;

extern const am_seed_sample_t am_seed_samples[];

/* The routes every mount serves besides its dialect's own. */
extern const am_route_t am_describe_routes[];
extern const int am_describe_nroutes;

/* Builds the descriptions of every dialect (am_dialect_all) into p and
 * adds the description routes to every dialect (am_routes_shared).
 * Called once at start-up after am_dialects_init (the types are
 * initialised); the results are read-only afterwards. */
void am_describe_init(apr_pool_t *p);

/* What am_describe_init built for d: which 0 = openapi.json, 1 = Help.
 * Sets *len and *etag (a quoted strong entity-tag of the bytes).  NULL
 * when d was not described (am_describe_init not called). */
#define AM_DESCRIBE_OPENAPI 0
#define AM_DESCRIBE_HELP    1
const char *am_describe_get(const am_dialect_t *d, int which,
                            apr_size_t *len, const char **etag);

/* The generators themselves (am_describe_init calls them). */
char *am_describe_openapi(apr_pool_t *p, const am_dialect_t *d,
                          apr_size_t *len);
char *am_describe_help(apr_pool_t *p, const am_dialect_t *d,
                       apr_size_t *len);

/* A sample object of type t in the manner of ASP.NET's help pages
 * ("sample string 4", integers counting the members, the first enum
 * value, a fixed instant), with every member set; nested objects and
 * collections (two items) filled the same way. */
am_obj_t *am_describe_sample(apr_pool_t *p, const am_type_t *t);

/* The OpenAPI path of a route pattern: "/" + the pattern with
 * "{name:uint}" and "{name:guid}" as "{name}". */
const char *am_describe_path(apr_pool_t *p, const char *pattern);

/* The ASP.NET help id of a route: "POST-ClientAppointments-
 * ContractAppointments_appointmentId" style (method, then the pattern
 * with '/' as '-' and braces dropped). */
const char *am_describe_route_id(apr_pool_t *p, const am_route_t *r);

#endif /* AM_DESCRIBE_H */
