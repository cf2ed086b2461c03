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

/* Xelion: errorCode, message, info ("resource=METHOD /path"). */
char *am_xelion_error_body(apr_pool_t *p, const am_err_t *e, am_fmt_e fmt,
                           const char *method, const char *path,
                           apr_size_t *len);

#endif /* AM_ERRSHAPE_H */
