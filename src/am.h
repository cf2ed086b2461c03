/* Licensed under the Apache License, Version 2.0.
 *
 * am.h: common definitions of the mod_appointments core.
 *
 * The core (everything under src/) knows APR, APR-util, json-c, libxml2
 * and libical, and nothing of httpd's request structure.  Errors are values:
 * an am_err_t carries its HTTP status, a message and the names of the
 * fields that were wrong; each dialect renders it in its own shape.
 */
#ifndef AM_H
#define AM_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_strings.h>

/* The module's version (debian/changelog names the same). */
#define AM_VERSION "0.1.0"

/* One bad field of a request, in the ModelState style: key is the field's
 * path ("Start", "RecurrenceInfo.DayNumber", "Reasons[0].ReasonId"). */
typedef struct am_fielderr {
    const char *key;
    const char *msg;
} am_fielderr_t;

typedef struct am_err {
    int status;                 /* HTTP status to answer with */
    int code;                   /* dialect-specific code (Xelion errorCode), 0 = default */
    int why;                    /* AM_WHY_*: a reason dialects tell apart */
    const char *message;        /* human-readable summary */
    apr_array_header_t *fields; /* of am_fielderr_t; NULL or empty when none */
    const char *allow;          /* for 405: the Allow header value */
    int retry_after;            /* for 503: seconds, 0 = no header */
} am_err_t;

/* Reasons of 400s that a dialect may answer with codes of its own
 * (Xelion: 10200 empty payload, 10203 bad id). */
#define AM_WHY_NONE        0
#define AM_WHY_EMPTY_BODY  1    /* no request body, or only white space */
#define AM_WHY_BAD_PARAM   2    /* a path parameter is not a valid value */

am_err_t *am_err_make(apr_pool_t *p, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds one field error to e (creating the array on first use). */
void am_err_field(apr_pool_t *p, am_err_t *e, const char *key,
                  const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds a field error to *err, made on first use as a 400 "The request
 * is invalid."; code (when not 0) becomes the error's dialect code unless
 * an earlier problem gave it one. */
void am_err_add(apr_pool_t *p, am_err_t **err, int code, const char *key,
                const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* True when e carries at least one field error. */
int am_err_has_fields(const am_err_t *e);

#endif /* AM_H */
