/* Licensed under the Apache License, Version 2.0.
 *
 * form.h: application/x-www-form-urlencoded bodies, the third codec,
 * driven by the same field tables as JSON and XML (fields.h).
 */
#ifndef AM_FORM_H
#define AM_FORM_H

#include "am.h"
#include "fields.h"

/* Parses a form body (Field=value&Reasons[0].ReasonId=...) into an
 * object of type t, with the value rules of the JSON codec
 * (am_value_from_text in its JSON mode, then am_value_check) and the same
 * field error keys ("Reasons[0].ReasonId"):
 *  - names are matched ignoring case, as ASP.NET's model binding does;
 *    unknown names are ignored;
 *  - nested members as "Child.Member" (or jQuery's "Child[Member]");
 *    collections of objects as "Items[0].Member" (indexes from 0 without
 *    gaps, in any order), collections of scalars as repeated "Items=..",
 *    "Items[]=.." or "Items[0]=..";
 *  - an empty value is an empty string for a string member and null for
 *    any other (so required members must have a value);
 *  - a member given twice, a malformed %-escape, a NUL byte or invalid
 *    UTF-8 is an error; required members missing (unless
 *    AM_DEC_PARTIAL, codec.h), read-only members accepted and ignored.
 * Returns NULL and sets *out, or an error (status 400, "The request is
 * invalid." with field errors, or a syntax message).  tz is for
 * date-times without offset. */
am_err_t *am_form_decode(apr_pool_t *p, const am_type_t *t,
                         const char *buf, apr_size_t len,
                         const am_tz_t *tz, unsigned flags, am_obj_t **out);

#endif /* AM_FORM_H */
