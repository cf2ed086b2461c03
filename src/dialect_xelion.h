/* Licensed under the Apache License, Version 2.0.
 *
 * dialect_xelion.h: the Xelion appointments API (AppointmentsApi xelion),
 * for the route registry and the unit tests.
 *
 * The mapping functions work on a canonical appointment without the
 * store, so that the tests can drive them directly; the route handlers
 * of dialect_xelion.c add reading and writing.
 */
#ifndef AM_DIALECT_XELION_H
#define AM_DIALECT_XELION_H

#include "route.h"

extern const am_dialect_t am_dialect_xelion;

/* Xelion's errorCode values (seeds/INDEX.md). */
#define AM_XEL_UNAUTHORIZED 10000   /* 401 */
#define AM_XEL_NOT_FOUND  10100     /* 404 */
#define AM_XEL_FORBIDDEN  10101     /* 403 */
#define AM_XEL_EMPTY      10200     /* 400: empty payload */
#define AM_XEL_INVALID    10202     /* 400: invalid payload */
#define AM_XEL_BAD_ID     10203     /* 400: bad id or object type */
#define AM_XEL_SERVER     11000     /* 500 */

/* Relations of the canonical appointment (am_link_t.rel). */
#define AM_XEL_REL_CALENDAR     "calendar"
#define AM_XEL_REL_PARTICIPANT  "participant"

/* Wire types. */
extern am_type_t am_xel_ref;            /* {"oid", "objectType"} */
extern am_type_t am_xel_participant;    /* {"person": ref} or a ref */
extern am_type_t am_xel_comment;        /* {"content", "oid", "objectType"} */
extern am_type_t am_xel_link;           /* {"rel", "href", "method"} */
extern am_type_t am_xel_appointment;    /* XCCAppointment, as answered */
extern am_type_t am_xel_appointment_in; /* XCCAppointment, as created */
extern am_type_t am_xel_item;           /* {"object", "links"} */
extern am_type_t am_xel_meta;           /* {"links"} */
extern am_type_t am_xel_list;           /* {"data", "meta"} */
extern am_type_t am_xel_operation;      /* {"op", "path", "value"} */
extern am_type_t am_xel_patch;          /* {"operations": [...]} */

/* Fills a (a new appointment) from a decoded XCCAppointment body
 * (am_xel_appointment_in).  400 with errorCode 10202 (10203 for an
 * objectType that is not XCCAppointment or an oid that is not a
 * number). */
am_err_t *am_xel_from_body(apr_pool_t *p, const am_tz_t *tz,
                           const am_obj_t *body, am_appt_t *a);

/* Applies the operations of a decoded PATCH body (am_xel_patch) to a,
 * all or nothing: on an error a is unchanged.  400 with errorCode 10200
 * (no operations), 10202 (an unknown path, an operation not allowed on
 * its path, a value of the wrong type, an inconsistent result) or 10203
 * (an oid that is not a number, an objectType that does not fit); 500
 * when the stored recurrence rule cannot be read. */
am_err_t *am_xel_patch_apply(apr_pool_t *p, const am_tz_t *tz,
                             const am_obj_t *patch, am_appt_t *a);

/* The XCCAppointment object of a (any kind).  NULL when a's stored
 * recurrence rule cannot be read. */
am_obj_t *am_xel_present(apr_pool_t *p, const am_tz_t *tz,
                         const am_appt_t *a);

#endif /* AM_DIALECT_XELION_H */
