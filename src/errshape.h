/* Licensed under the Apache License, Version 2.0.
 *
 * errshape.h: error bodies in the shapes the dialects' clients expect.
 */
#ifndef AM_ERRSHAPE_H
#define AM_ERRSHAPE_H

#include <apr_lib.h>
#include "am.h"
#include "negotiate.h"

/* ASP.NET Web API HttpError: Message, and ModelState with the field keys
 * prefixed by the action's parameter name (prefix, may be NULL). */
char *am_aspnet_error_body(apr_pool_t *p, const char *prefix,
                           const am_err_t *e, am_fmt_e fmt,
                           apr_size_t *len);

/* A dialect's error codes: the code of an error that has none of its
 * own by its reason (am_err_t.why), else by its status; the tables end
 * with a { 0, 0 } row. */
typedef struct am_code {
    int key;                    /* AM_WHY_* or an HTTP status */
    int code;
} am_code_t;

typedef struct am_codes {
    const am_code_t *by_why;
    const am_code_t *by_status;
    int client;                 /* any other 4xx */
    int server;                 /* any other 5xx */
} am_codes_t;

/* The code of e by the dialect's table. */
int am_error_code(const am_codes_t *codes, const am_err_t *e);

/* Xelion's shape: errorCode (from codes), message, info ("resource=METHOD
 * /path"). */
char *am_xelion_error_body(apr_pool_t *p, const am_codes_t *codes,
                           const am_err_t *e, am_fmt_e fmt,
                           const char *method, const char *path,
                           apr_size_t *len);

#endif /* AM_ERRSHAPE_H */
