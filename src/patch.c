/* Licensed under the Apache License, Version 2.0.
 *
 * patch.c: JSON patch operations on an object of a field table
 * (patch.h).
 */
#include <string.h>

#include "patch.h"
#include "codec.h"

#define OP_ADD      0x01
#define OP_REMOVE   0x02
#define OP_REPLACE  0x04

void am_patch_base(am_obj_t *o)
{
    int i;

    for (i = 0; i < o->type->nfields; i++) {
        if (o->type->fields[i].flags & AM_F_DERIVED) {
            memset(&o->v[i], 0, sizeof(o->v[i]));
        }
    }
}

/* The first non-blank character of JSON text s. */
static char json_first(const char *s)
{
    while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
    }
    return s ? *s : '\0';
}

/* The scalar AM_F_KEY field of t (the one a key in a path sets). */
static int scalar_key_field(const am_type_t *t)
{
    int i;

    for (i = 0; t && i < t->nfields; i++) {
        if ((t->fields[i].flags & AM_F_KEY)
            && t->fields[i].type != AM_T_OBJECT) {
            return i;
        }
    }
    return -1;
}

/* The key of an item: its AM_F_KEY members, looked into when they are
 * objects; NULL when it has none. */
static const char *item_key(const am_obj_t *o)
{
    int i;

    for (i = 0; o && i < o->type->nfields; i++) {
        const am_value_t *v = &o->v[i];

        if (!(o->type->fields[i].flags & AM_F_KEY) || !v->set || v->null) {
            continue;
        }
        if (o->type->fields[i].type == AM_T_OBJECT) {
            const char *k = item_key(v->u.o);

            if (k) {
                return k;
            }
            continue;
        }
        if (o->type->fields[i].type == AM_T_STRING) {
            return v->u.s;
        }
    }
    return NULL;
}

static int key_eq(const char *a, const char *b)
{
    apr_int64_t x, y;

    if (!a || !b) {
        return 0;
    }
    if (!am_int_parse(a, &x) && !am_int_parse(b, &y)) {
        return x == y;
    }
    return !strcmp(a, b);
}

/* A new item of type t whose scalar key is key. */
static am_obj_t *keyed_item(apr_pool_t *p, const am_type_t *t,
                            const char *key)
{
    am_obj_t *o = am_obj_make(p, t);
    int k = scalar_key_field(t);

    if (k >= 0) {
        o->v[k].set = 1;
        o->v[k].u.s = key;
    }
    return o;
}

/* add / remove of an item of the set member f (value v of o). */
static void apply_set(apr_pool_t *p, const am_field_t *f, am_value_t *mv,
                      unsigned op, const char *sub, const am_value_t *val,
                      const am_tz_t *tz, am_patch_item_fn check,
                      const char *key, am_err_t **err)
{
    const char *vkey = apr_pstrcat(p, key, ".value", NULL);
    am_obj_t *item = NULL;
    const char *k;
    int i, j;

    if (sub) {
        item = keyed_item(p, f->sub, sub);
    }
    else if (!val->set || val->null) {
        am_err_add(p, err, 0, vkey, "The item to %s is required, as the value or in"
             " the path (/%s/<%s>).", op == OP_ADD ? "add" : "remove",
             f->name, scalar_key_field(f->sub) >= 0
             ? f->sub->fields[scalar_key_field(f->sub)].name : "key");
        return;
    }
    else {
        am_value_t cv;
        const char *msg;

        if (json_first(val->u.s) == '{') {
            am_field_t of = *f;

            of.type = AM_T_OBJECT;
            of.flags = 0;
            msg = am_json_value(p, &of, val->u.s, tz, &cv);
            item = msg ? NULL : cv.u.o;
        }
        else {
            int kf = scalar_key_field(f->sub);

            msg = kf < 0 ? "This member takes objects."
                  : am_json_value(p, &f->sub->fields[kf], val->u.s, tz, &cv);
            item = msg ? NULL : keyed_item(p, f->sub, cv.u.s);
        }
        if (msg) {
            am_err_add(p, err, 0, vkey, "%s", msg);
            return;
        }
    }
    k = check ? check(p, f, item, sub ? apr_pstrcat(p, key, ".path", NULL)
                                      : vkey, err)
              : item_key(item);
    if (check && !k) {
        return;
    }
    if (!mv->set || mv->null || !mv->u.a) {
        mv->set = 1;
        mv->null = 0;
        mv->u.a = apr_array_make(p, 2, sizeof(am_value_t));
    }
    for (i = 0, j = 0; i < mv->u.a->nelts; i++) {
        am_value_t *it = &APR_ARRAY_IDX(mv->u.a, i, am_value_t);
        int same = it->set && !it->null && k && key_eq(item_key(it->u.o), k);

        if (same && op == OP_ADD) {
            return;                 /* a set: there already */
        }
        if (!same) {
            APR_ARRAY_IDX(mv->u.a, j, am_value_t) = *it;
            j++;
        }
    }
    mv->u.a->nelts = j;
    if (op == OP_ADD) {
        am_value_t *it;

        if (f->max > 0 && mv->u.a->nelts >= f->max) {
            am_err_add(p, err, 0, key, "An appointment has at most %d %s.",
                 (int)f->max, f->name);
            return;
        }
        it = apr_array_push(mv->u.a);
        memset(it, 0, sizeof(*it));
        it->set = 1;
        it->u.o = item;
    }
}

static void apply_replace(apr_pool_t *p, const am_field_t *f,
                          am_value_t *mv, const am_value_t *val,
                          const am_tz_t *tz, const char *key,
                          am_err_t **err)
{
    const char *vkey = apr_pstrcat(p, key, ".value", NULL);
    const char *msg;
    am_value_t cv;
    am_field_t rf = *f;

    if (!val->set) {
        am_err_add(p, err, 0, vkey, "A value is required to replace %s.", f->name);
        return;
    }
    rf.flags &= ~AM_F_REQUIRED;
    if (f->type == AM_T_OBJECT && !val->null
        && json_first(val->u.s) != '{' && scalar_key_field(f->sub) >= 0) {
        /* A scalar for the whole object: its key member. */
        int kf = scalar_key_field(f->sub);

        if ((msg = am_json_value(p, &f->sub->fields[kf], val->u.s, tz,
                                 &cv))) {
            am_err_add(p, err, 0, vkey, "%s", msg);
            return;
        }
        mv->set = 1;
        mv->null = 0;
        mv->u.o = am_obj_make(p, f->sub);
        mv->u.o->v[kf] = cv;
        return;
    }
    if ((msg = am_json_value(p, &rf, val->null ? "null" : val->u.s, tz,
                             &cv))) {
        am_err_add(p, err, 0, vkey, "%s", msg);
        return;
    }
    *mv = cv;
}

/* Applies operation i to o. */
static void apply_op(apr_pool_t *p, am_obj_t *o, const am_obj_t *op, int i,
                     const am_tz_t *tz, am_patch_item_fn check,
                     am_err_t **err)
{
    const char *key = apr_psprintf(p, "operations[%d]", i);
    const char *okey = apr_pstrcat(p, key, ".op", NULL);
    const char *pkey = apr_pstrcat(p, key, ".path", NULL);
    const am_value_t *opv = am_obj_get((am_obj_t *)op, "op");
    const am_value_t *pathv = am_obj_get((am_obj_t *)op, "path");
    const am_value_t *val = am_obj_get((am_obj_t *)op, "value");
    const am_field_t *f;
    const char *path, *slash, *member, *sub = NULL;
    unsigned code, allowed;
    int fi;

    if (!opv->set || opv->null || !pathv->set || pathv->null) {
        am_err_add(p, err, 0, key, "An operation needs op and path.");
        return;
    }
    if (!strcmp(opv->u.s, "add")) {
        code = OP_ADD;
    }
    else if (!strcmp(opv->u.s, "remove")) {
        code = OP_REMOVE;
    }
    else if (!strcmp(opv->u.s, "replace")) {
        code = OP_REPLACE;
    }
    else {
        am_err_add(p, err, 0, okey, "The operation '%s' is not supported (add,"
             " remove or replace).", opv->u.s);
        return;
    }
    path = pathv->u.s;
    if (path[0] != '/') {
        am_err_add(p, err, 0, pkey, "The path '%s' must start with '/'.", path);
        return;
    }
    slash = strchr(path + 1, '/');
    member = slash ? apr_pstrmemdup(p, path + 1,
                                    (apr_size_t)(slash - path - 1))
                   : path + 1;
    sub = slash ? slash + 1 : NULL;
    fi = am_type_field(o->type, member);
    f = fi >= 0 ? &o->type->fields[fi] : NULL;
    if (!f || (f->flags & (AM_F_READONLY | AM_F_FIXED))) {
        am_err_add(p, err, 0, pkey, "'%s' is not a member of %s that can be"
             " changed.", path, o->type->name);
        return;
    }
    allowed = (f->flags & AM_F_SET) ? (OP_ADD | OP_REMOVE) : OP_REPLACE;
    if (!(allowed & code)) {
        am_err_add(p, err, 0, okey, "The operation '%s' is not allowed on /%s (%s).",
             opv->u.s, f->name, allowed == OP_REPLACE ? "replace"
                                                      : "add, remove");
        return;
    }
    if (f->flags & AM_F_SET) {
        if (sub && (!*sub || strchr(sub, '/'))) {
            am_err_add(p, err, 0, pkey, "The path '%s' is not /%s or /%s/<key>.",
                 path, f->name, f->name);
            return;
        }
        apply_set(p, f, &o->v[fi], code, sub, val, tz, check, key, err);
        return;
    }
    if (sub) {
        am_err_add(p, err, 0, pkey, "'%s' is not a member of %s that can be changed"
             " (/%s has no members).", path, o->type->name, f->name);
        return;
    }
    apply_replace(p, f, &o->v[fi], val, tz, key, err);
}

void am_patch_apply(apr_pool_t *p, am_obj_t *o,
                    const apr_array_header_t *ops, const am_tz_t *tz,
                    am_patch_item_fn check, am_err_t **err)
{
    int i;

    for (i = 0; ops && i < ops->nelts; i++) {
        const am_value_t *item = &APR_ARRAY_IDX(ops, i, am_value_t);

        if (!item->set || item->null || !item->u.o) {
            am_err_add(p, err, 0, apr_psprintf(p, "operations[%d]", i),
                 "An operation must be an object.");
            continue;
        }
        apply_op(p, o, item->u.o, i, tz, check, err);
    }
}
