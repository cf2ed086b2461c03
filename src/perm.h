/* Licensed under the Apache License, Version 2.0.
 *
 * perm.h: the functions and permissions routes need, grants as httpd's
 * configuration writes them ("Require appointments-permission F[:P] ..."),
 * and the map from user names to employees.
 *
 * A function is a named part of the product (PlanCare2's "functions":
 * ClientGroupCalendar, TeamCalendar, ...) with a fixed GUID.  A permission
 * is what one may do with it: Start, Edit or Approve.  Each route of a
 * dialect names the function and the permission it needs (am_route_t's
 * function and permission, by the names below); a grant names the same
 * pair.  A request is allowed when the route's pair is among the grants:
 * permissions do not imply one another.
 */
#ifndef AM_PERM_H
#define AM_PERM_H

#include <apr_hash.h>
#include "route.h"

/* Function names, for route tables. */
#define AM_FN_CLIENT_GROUP_CALENDAR "ClientGroupCalendar"
#define AM_FN_TEAM_CALENDAR         "TeamCalendar"
#define AM_FN_EMPLOYEE_CALENDAR     "EmployeeCalendar"
#define AM_FN_PATIENT_CALENDAR      "PatientCalendar"
#define AM_FN_XELION_CALENDAR       "XelionCalendar"

/* Permission names, for route tables. */
#define AM_PERM_START   "Start"
#define AM_PERM_EDIT    "Edit"
#define AM_PERM_APPROVE "Approve"

/* One function and permission: granted, or needed by a route. */
typedef struct am_grant {
    const am_function_t *function;
    int permission;             /* index: 0 Start, 1 Edit, 2 Approve */
} am_grant_t;

/* Every function the module knows, ending with { NULL, NULL }. */
extern const am_function_t am_functions[];

/* The function named by its name (any case) or GUID (any case, braces
 * optional), or NULL. */
const am_function_t *am_function_find(apr_pool_t *p, const char *name);

/* The permission's index (any case), or -1. */
int am_permission_find(const char *name);
/* The name of permission i, or NULL. */
const char *am_permission_name(int i);

/* For messages: "ClientGroupCalendar {6D8B...}, TeamCalendar {...}" and
 * "Start, Edit, Approve". */
const char *am_function_names(apr_pool_t *p);
const char *am_permission_names(apr_pool_t *p);

/* Parses one grant "F", "F:P", "{GUID}:P" (P defaults to Start).
 * Returns NULL, or a message naming what is wrong. */
const char *am_grant_parse(apr_pool_t *p, const char *word, am_grant_t *out);

/* Parses a require line: one or more grants separated by white space,
 * into an array of am_grant_t.  Returns NULL, or a message. */
const char *am_grants_parse(apr_pool_t *p, const char *line,
                            apr_array_header_t **out);

/* True when grants hold function f (name or GUID) with permission perm
 * (name; NULL means Start). */
int am_grants_allow(apr_pool_t *p, const apr_array_header_t *grants,
                    const char *f, const char *perm);

/* True when grants hold any function and permission one of d's routes
 * needs. */
int am_grants_any_route(apr_pool_t *p, const apr_array_header_t *grants,
                        const am_dialect_t *d);

/* True when grants hold the function and permission of any GET route of
 * d: the read grant that the descriptions (openapi.json, Help) need. */
int am_grants_any_read(apr_pool_t *p, const apr_array_header_t *grants,
                       const am_dialect_t *d);

/* Checks that every route of d names a known function and permission.
 * Returns NULL, or a message naming the route. */
const char *am_perm_check_dialect(apr_pool_t *p, const am_dialect_t *d);

/* ----------------------------------------------------------- identity */

/* A user's employee: id (> 0) and display name (NULL = the user name). */
typedef struct am_employee {
    apr_int64_t id;
    const char *name;
} am_employee_t;

/* Parses a user map: one user a line, "user employee-id [display name]";
 * blank lines and lines starting with '#' are skipped; the display name
 * is the rest of the line, trimmed.  Into a hash of am_employee_t by
 * user name.  Returns NULL, or a message with the line number
 * ("line 3: ..."). */
const char *am_usermap_parse(apr_pool_t *p, const char *text,
                             apr_size_t len, apr_hash_t **out);

/* Reads and parses the user map at path.  Returns NULL, or a message. */
const char *am_usermap_read(apr_pool_t *p, const char *path,
                            apr_hash_t **out);

/* An employee id from text (an environment variable's value): a decimal
 * integer 1..2^63-1, surrounding white space allowed.  0 when not. */
apr_int64_t am_employee_id_parse(const char *s);

#endif /* AM_PERM_H */
