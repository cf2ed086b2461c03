/* Licensed under the Apache License, Version 2.0.
 *
 * ops.h: the generic operations of a route, driven by its view: which
 * kinds of appointment the route sees, its owner relation, the path
 * parameter that names one, and where one lives.  A dialect's handler
 * decodes and presents in its own types and leaves reading by kind and
 * owner, server stamping, replacing with server-owned fields kept, and
 * deleting to these.  Changes with retry are am_store_change (store.h),
 * patch operations src/patch.c, range lists src/page.c.
 */
#ifndef AM_OPS_H
#define AM_OPS_H

#include "route.h"

/* The kinds a view sees: AM_VIEW_KIND(AM_KIND_TEAM) | ...; 0 = any. */
#define AM_VIEW_KIND(k)  (1u << (k))

typedef struct am_view {
    int kind;                   /* what a create makes */
    unsigned kinds;             /* what it reads and changes (AM_VIEW_KIND
                                 * bits); 0 = any kind */
    const char *id_param;       /* the path parameter that names one */
    const char *owner_rel;      /* NULL, or only the appointments linked
                                 * by this relation to the user's employee
                                 * id (403 for a user who is none) */
    const char *path;           /* printf format of one's path by id, for
                                 * Location (NULL: none) */
} am_view_t;

/* Appointment id as the view sees it: of one of its kinds and, with an
 * owner relation, the user's own; anything else does not exist (404, as
 * a missing one; the pipeline makes that a 412 under If-Match). */
am_err_t *am_op_read(am_req_t *rq, const am_view_t *v, apr_int64_t id,
                     am_appt_t **out);

/* Whether a is the user's own as the view's owner relation says (1 for
 * a view without one). */
int am_op_owns(const am_req_t *rq, const am_view_t *v, const am_appt_t *a);

/* The id the view's path parameter gives. */
apr_int64_t am_op_id(am_req_t *rq, const am_view_t *v);

/* Stores new appointment a: stamped with its creator, linked to its
 * owner (the user, with an owner relation), Location set from the
 * view's path. */
am_err_t *am_op_create(am_req_t *rq, am_resp_t *rs, const am_view_t *v,
                       am_appt_t *a);

/* A replacement of stored appointment old: a new appointment with what
 * the server owns (id, uid, creator, status and who set it, reason,
 * creation time, dialect data) kept, and the relations of old (the
 * dialect's mapping replaces those its type has). */
am_appt_t *am_op_replacement(apr_pool_t *p, const am_appt_t *old);

/* Deletes the appointment the path names, as the view sees it, under the
 * request's If-Match: 204. */
am_err_t *am_op_delete(am_req_t *rq, am_resp_t *rs, const am_view_t *v);

#endif /* AM_OPS_H */
