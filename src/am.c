/* Licensed under the Apache License, Version 2.0. */
#include <stdarg.h>
#include "am.h"

am_err_t *am_err_make(apr_pool_t *p, int status, const char *fmt, ...)
{
    am_err_t *e = apr_pcalloc(p, sizeof(*e));
    va_list ap;

    va_start(ap, fmt);
    e->message = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    e->status = status;
    return e;
}

void am_err_field(apr_pool_t *p, am_err_t *e, const char *key,
                  const char *fmt, ...)
{
    am_fielderr_t *fe;
    va_list ap;

    if (!e->fields) {
        e->fields = apr_array_make(p, 4, sizeof(am_fielderr_t));
    }
    fe = apr_array_push(e->fields);
    fe->key = apr_pstrdup(p, key);
    va_start(ap, fmt);
    fe->msg = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
}

void am_err_add(apr_pool_t *p, am_err_t **err, int code, const char *key,
                const char *fmt, ...)
{
    va_list ap;
    const char *msg;

    va_start(ap, fmt);
    msg = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    if (!*err) {
        *err = am_err_make(p, 400, "The request is invalid.");
    }
    if (!(*err)->code) {
        (*err)->code = code;
    }
    am_err_field(p, *err, key, "%s", msg);
}

int am_err_has_fields(const am_err_t *e)
{
    return e && e->fields && e->fields->nelts > 0;
}
