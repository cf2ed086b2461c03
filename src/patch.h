/* Licensed under the Apache License, Version 2.0.
 *
 * patch.h: JSON patch operations on an object of a field table, the
 * generic change behind a PATCH: each operation {"op", "path", "value"}
 * names a member by its wire name ("/subject") and
 *
 *   replace  sets a member that is not read-only (the value read with
 *            the member's own field, as a body member is: types, ranges,
 *            nulls); for an OBJECT member a scalar value sets the
 *            member's AM_F_KEY field ("/comment" with "text")
 *   add      puts an item into an AM_F_SET array, unless one with the
 *   remove   same key is there / takes it out; the key is the path's
 *            last segment ("/calendars/1658218"), or the value: a
 *            scalar key, or an item object.  Keys that are integers
 *            compare by value ("007" is 7).
 *
 * A change starts from the object as answered, less its AM_F_DERIVED
 * members (am_patch_base), so that after the operations the object says
 * what the whole appointment is to be, and the dialect writes it as it
 * writes a created one.
 */
#ifndef AM_PATCH_H
#define AM_PATCH_H

#include "am.h"
#include "fields.h"

/* Clears o's AM_F_DERIVED members. */
void am_patch_base(am_obj_t *o);

/* What a dialect says of an item of a set that an operation names
 * (added or removed): its key in canonical form, or NULL after adding
 * the problem to *err (keyed key: the path's or the value's). */
typedef const char *(*am_patch_item_fn)(apr_pool_t *p,
                                        const am_field_t *set,
                                        const am_obj_t *item,
                                        const char *key, am_err_t **err);

/* Applies the operations (an array of objects with "op", "path" and
 * "value", the value an AM_T_ANY member) to o, in order.  Problems are
 * added to *err (400), keyed "operations[i]" / ".op" / ".path" /
 * ".value"; o is then partly changed (work on a copy).  item may be
 * NULL (keys as given). */
void am_patch_apply(apr_pool_t *p, am_obj_t *o,
                    const apr_array_header_t *ops, const am_tz_t *tz,
                    am_patch_item_fn item, am_err_t **err);

#endif /* AM_PATCH_H */
