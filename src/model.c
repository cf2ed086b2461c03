/* Licensed under the Apache License, Version 2.0.
 *
 * model.c: the canonical appointment and its generic mapping to and from
 * wire objects, driven by the members of the field tables.
 */
#include <string.h>

#include "model.h"
#include "codec.h"

am_appt_t *am_appt_make(apr_pool_t *p, int kind)
{
    am_appt_t *a = apr_pcalloc(p, sizeof(*a));

    a->kind = kind;
    a->links = apr_array_make(p, 2, sizeof(am_link_t));
    a->exceptions = apr_array_make(p, 0, sizeof(am_exception_t));
    return a;
}

void am_appt_add_link(apr_pool_t *p, am_appt_t *a, const char *rel,
                      const char *ref)
{
    am_link_t *l = apr_array_push(a->links);

    l->rel = rel;
    l->ref = ref;
}

const char *am_appt_link(const am_appt_t *a, const char *rel)
{
    int i;

    for (i = 0; a->links && i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        if (!strcmp(l->rel, rel)) {
            return l->ref;
        }
    }
    return NULL;
}

static void drop_links(am_appt_t *a, const char *rel)
{
    int i, j = 0;

    for (i = 0; i < a->links->nelts; i++) {
        am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);
        if (strcmp(l->rel, rel)) {
            APR_ARRAY_IDX(a->links, j, am_link_t) = *l;
            j++;
        }
    }
    a->links->nelts = j;
}

/* A link's ref from a scalar value of type ft, or NULL for null. */
static const char *link_ref(apr_pool_t *p, am_ftype_e ft,
                            const am_value_t *v)
{
    if (!v->set || v->null) {
        return NULL;
    }
    switch (ft) {
    case AM_T_INT32:
    case AM_T_INT64:
        return apr_psprintf(p, "%" APR_INT64_T_FMT, v->u.i);
    case AM_T_STRING:
    case AM_T_GUID:
        return v->u.s;
    default:
        return NULL;
    }
}

/* The value of a link ref for a scalar field type. */
static void link_value(am_ftype_e ft, const char *ref, am_value_t *v)
{
    v->set = 1;
    if (ft == AM_T_INT32 || ft == AM_T_INT64) {
        v->u.i = apr_strtoi64(ref, NULL, 10);
    }
    else {
        v->u.s = ref;
    }
}

/* What the model derives from a type's table: the sub-type made of its
 * AM_M_EXT fields (for reading the stored ext) and the one made of the
 * writable ones (for writing it), each with the fields' indexes in the
 * type.  all is NULL when the type has no ext field. */
typedef struct ext_info {
    am_type_t *all;
    int *all_idx;
    am_type_t *w;
    int *w_idx;
} ext_info_t;

static am_type_t *sub_type(apr_pool_t *p, const am_type_t *t, int writable,
                           int **idx)
{
    am_type_t *x;
    am_field_t *f;
    int i, n = 0;

    for (i = 0; i < t->nfields; i++) {
        n += (t->fields[i].member == AM_M_EXT
              && !(writable && (t->fields[i].flags & AM_F_READONLY)));
    }
    x = apr_pcalloc(p, sizeof(*x));
    f = apr_palloc(p, (n ? n : 1) * sizeof(*f));
    *idx = apr_palloc(p, (n ? n : 1) * sizeof(int));
    x->name = t->name;
    x->ns = t->ns;
    x->fields = f;
    for (i = 0; i < t->nfields; i++) {
        if (t->fields[i].member == AM_M_EXT
            && !(writable && (t->fields[i].flags & AM_F_READONLY))) {
            f[x->nfields] = t->fields[i];
            /* Stored data is ours: no input rule applies to it again. */
            f[x->nfields].flags &= ~(AM_F_REQUIRED | AM_F_NONNULL);
            /* ... and stored data says what was set: no defaults. */
            f[x->nfields].flags &= ~AM_F_VALUE;
            (*idx)[x->nfields] = i;
            x->nfields++;
        }
    }
    return x;
}

static const ext_info_t *ext_info_make(apr_pool_t *p, const am_type_t *t)
{
    ext_info_t *x = apr_pcalloc(p, sizeof(*x));
    int i, n = 0;

    for (i = 0; i < t->nfields; i++) {
        n += (t->fields[i].member == AM_M_EXT);
    }
    if (n > 0) {
        x->all = sub_type(p, t, 0, &x->all_idx);
        x->w = sub_type(p, t, 1, &x->w_idx);
    }
    return x;
}

void am_model_type_init(apr_pool_t *p, am_type_t *t)
{
    if (!t->derived) {
        t->derived = ext_info_make(p, t);
    }
}

static const ext_info_t *ext_info(apr_pool_t *p, const am_type_t *t)
{
    return t->derived ? t->derived : ext_info_make(p, t);
}

/* Decodes stored ext text with the ext type; an empty object when there
 * is none or it does not decode (it was written by another type). */
static am_obj_t *ext_decode(apr_pool_t *p, const am_type_t *xt,
                            const char *ext, const am_tz_t *tz)
{
    am_obj_t *xo = NULL;

    if (ext && *ext
        && am_json_decode(p, xt, ext, strlen(ext), tz, AM_DEC_PARTIAL,
                          &xo) == NULL) {
        return xo;
    }
    return am_obj_make(p, xt);
}

/* The top-level members of a JSON object text that this module wrote
 * (ext): for each, the key (unescaped only as far as the field names
 * need: they are plain ASCII) and the exact text of its value, so that
 * numbers such as 28-digit decimals are never re-read through a binary
 * type.  Returns an array of two-string pairs, or NULL when the text is
 * not such an object. */
typedef struct ext_member {
    const char *key;
    const char *value;
} ext_member_t;

static const char *skip_ws(const char *c)
{
    while (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
        c++;
    }
    return c;
}

/* The end of the JSON string starting at c (at its opening quote). */
static const char *skip_string(const char *c)
{
    for (c++; *c && *c != '"'; c++) {
        if (*c == '\\' && c[1]) {
            c++;
        }
    }
    return *c == '"' ? c + 1 : NULL;
}

/* The end of the JSON value starting at c. */
static const char *skip_value(const char *c)
{
    int depth = 0;

    do {
        if (*c == '"') {
            if (!(c = skip_string(c))) {
                return NULL;
            }
            continue;
        }
        if (*c == '{' || *c == '[') {
            depth++;
        }
        else if (*c == '}' || *c == ']') {
            if (depth == 0) {
                return c;
            }
            depth--;
        }
        else if (*c == ',' && depth == 0) {
            return c;
        }
        else if (!*c) {
            return NULL;
        }
        c++;
    } while (depth > 0 || (*c != ',' && *c != '}' && *c != ']'
                           && *c != '\0'));
    return c;
}

static apr_array_header_t *ext_members(apr_pool_t *p, const char *text)
{
    apr_array_header_t *m = apr_array_make(p, 8, sizeof(ext_member_t));
    const char *c = skip_ws(text ? text : "");

    if (*c != '{') {
        return NULL;
    }
    c = skip_ws(c + 1);
    while (*c == '"') {
        const char *k = c, *ke = skip_string(c), *v, *ve;
        ext_member_t *em;

        if (!ke || *(c = skip_ws(ke)) != ':') {
            return NULL;
        }
        v = skip_ws(c + 1);
        if (!(ve = skip_value(v))) {
            return NULL;
        }
        em = apr_array_push(m);
        em->key = apr_pstrmemdup(p, k + 1, (apr_size_t)(ke - k - 2));
        em->value = apr_pstrmemdup(p, v, (apr_size_t)(ve - v));
        c = skip_ws(ve);
        if (*c == ',') {
            c = skip_ws(c + 1);
        }
    }
    return *c == '}' ? m : NULL;
}

const char *am_ext_merge(apr_pool_t *p, const char *old,
                         const am_obj_t *xo, const am_tz_t *tz,
                         unsigned flags)
{
    const am_type_t *xt = xo->type;
    apr_array_header_t *mine, *base;
    const char *out = "{";
    int i, j, changed = 0;

    for (j = 0; j < xt->nfields && !changed; j++) {
        changed = xo->v[j].set || (flags & AM_MODEL_REPLACE);
    }
    if (!changed) {
        return old;
    }
    mine = ext_members(p, am_json_encode(p, xo, tz, NULL));
    base = ext_members(p, old);
    /* Members of the old text that xo does not write stay. */
    for (i = 0; base && i < base->nelts; i++) {
        const ext_member_t *b = &APR_ARRAY_IDX(base, i, ext_member_t);
        int ours = 0;

        for (j = 0; j < xt->nfields && !ours; j++) {
            ours = !strcmp(xt->fields[j].name, b->key)
                   && (xo->v[j].set || (flags & AM_MODEL_REPLACE));
        }
        if (!ours) {
            out = apr_pstrcat(p, out, out[1] ? "," : "", "\"", b->key,
                              "\":", b->value, NULL);
        }
    }
    for (i = 0; mine && i < mine->nelts; i++) {
        const ext_member_t *m = &APR_ARRAY_IDX(mine, i, ext_member_t);
        int k = am_type_field(xt, m->key);

        if (k >= 0 && xo->v[k].set) {
            out = apr_pstrcat(p, out, out[1] ? "," : "", "\"", m->key,
                              "\":", m->value, NULL);
        }
    }
    return apr_pstrcat(p, out, "}", NULL);
}

/* The writable ext members of o merged into the stored text. */
static const char *ext_merge(apr_pool_t *p, const am_obj_t *o,
                             const ext_info_t *x, const char *old,
                             const am_tz_t *tz, unsigned flags)
{
    am_obj_t *xo = am_obj_make(p, x->w);
    int j;

    for (j = 0; j < x->w->nfields; j++) {
        xo->v[j] = o->v[x->w_idx[j]];
    }
    return am_ext_merge(p, old, xo, tz, flags);
}

am_err_t *am_model_from_obj_ex(apr_pool_t *p, const am_obj_t *o,
                               am_appt_t *a, const am_tz_t *tz,
                               unsigned flags)
{
    const am_type_t *t = o->type;
    const ext_info_t *x = ext_info(p, t);
    int i, j;

    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];
        const am_value_t *v = &o->v[i];
        int null = !v->set || v->null;

        if (!v->set && (flags & AM_MODEL_REPLACE) && f->member == AM_M_LINK
            && !(f->flags & AM_F_READONLY)) {
            /* A whole-object change that leaves a relation out clears
             * it; relations o's type does not map stay. */
            drop_links(a, f->rel);
            continue;
        }
        if (!v->set || (f->flags & AM_F_READONLY)) {
            continue;
        }
        switch (f->member) {
        case AM_M_START:
            if (!null) {
                a->start = v->u.t;
            }
            break;
        case AM_M_END:
            if (!null) {
                a->end = v->u.t;
            }
            break;
        case AM_M_TITLE:
            a->title = null ? NULL : v->u.s;
            break;
        case AM_M_LOCATION:
            a->location = null ? NULL : v->u.s;
            break;
        case AM_M_REMARKS:
            a->remarks = null ? NULL : v->u.s;
            break;
        case AM_M_REASON:
            a->reason = null ? NULL : v->u.s;
            break;
        case AM_M_ALL_DAY:
            a->all_day = null ? 0 : (v->u.i != 0);
            break;
        case AM_M_MOVES_TO_NEXT_DAY:
            a->moves_to_next_day = null ? 0 : (v->u.i != 0);
            break;
        case AM_M_STATUS:
            a->status = null ? 0 : (int)v->u.i;
            break;
        case AM_M_APPT_TYPE:
            a->appt_type = null ? 0 : (int)v->u.i;
            break;
        case AM_M_CREATED_BY_ID:
            a->created_by_id = null ? 0 : v->u.i;
            break;
        case AM_M_CREATED_BY_NAME:
            a->created_by_name = null ? NULL : v->u.s;
            break;
        case AM_M_STATUS_BY_ID:
            a->status_by_id = null ? 0 : v->u.i;
            break;
        case AM_M_STATUS_BY_NAME:
            a->status_by_name = null ? NULL : v->u.s;
            break;
        case AM_M_LINK:
            drop_links(a, f->rel);
            if (null) {
                break;
            }
            if (f->type == AM_T_ARRAY) {
                for (j = 0; j < v->u.a->nelts; j++) {
                    const char *ref = link_ref(p, f->elem,
                        &APR_ARRAY_IDX(v->u.a, j, am_value_t));
                    if (ref) {
                        am_appt_add_link(p, a, f->rel, ref);
                    }
                }
            }
            else {
                const char *ref = link_ref(p, f->type, v);
                if (ref) {
                    am_appt_add_link(p, a, f->rel, ref);
                }
            }
            break;
        default:
            break;
        }
    }
    if (x->all) {
        /* With nothing stored before, the text holds exactly the
         * writable members o sets: the memo is those values. */
        int fresh = !a->ext || !*a->ext;

        a->ext = ext_merge(p, o, x, a->ext, tz, flags);
        a->ext_memo = NULL;
        if (fresh) {
            a->ext_memo = am_obj_make(p, x->all);
            for (j = 0; j < x->all->nfields; j++) {
                if (!(t->fields[x->all_idx[j]].flags & AM_F_READONLY)) {
                    a->ext_memo->v[j] = o->v[x->all_idx[j]];
                }
            }
            a->ext_memo_type = t;
            a->ext_memo_text = a->ext;
        }
    }
    return NULL;
}

am_err_t *am_model_from_obj(apr_pool_t *p, const am_obj_t *o, am_appt_t *a,
                            const am_tz_t *tz)
{
    return am_model_from_obj_ex(p, o, a, tz, 0);
}

am_obj_t *am_model_to_obj(apr_pool_t *p, const am_type_t *t,
                          const am_appt_t *a, const am_tz_t *tz)
{
    am_obj_t *o = am_obj_make(p, t);
    am_obj_t *xo = NULL;
    const ext_info_t *x = NULL;
    int i, j;

    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];
        am_value_t *v = &o->v[i];

        switch (f->member) {
        case AM_M_ID:
            if (a->id) {
                v->set = 1;
                v->u.i = a->id;
            }
            break;
        case AM_M_START:
            v->set = 1;
            v->u.t = a->start;
            break;
        case AM_M_END:
            v->set = 1;
            v->u.t = a->end;
            break;
        case AM_M_TITLE:
            v->set = (a->title != NULL);
            v->u.s = a->title;
            break;
        case AM_M_LOCATION:
            v->set = (a->location != NULL);
            v->u.s = a->location;
            break;
        case AM_M_REMARKS:
            v->set = (a->remarks != NULL);
            v->u.s = a->remarks;
            break;
        case AM_M_REASON:
            v->set = (a->reason != NULL);
            v->u.s = a->reason;
            break;
        case AM_M_ALL_DAY:
            v->set = 1;
            v->u.i = a->all_day;
            break;
        case AM_M_MOVES_TO_NEXT_DAY:
            v->set = 1;
            v->u.i = a->moves_to_next_day;
            break;
        case AM_M_STATUS:
            v->set = 1;
            v->u.i = a->status;
            break;
        case AM_M_APPT_TYPE:
            v->set = 1;
            v->u.i = a->appt_type;
            break;
        case AM_M_CREATED_BY_ID:
            v->set = (a->created_by_id != 0);
            v->u.i = a->created_by_id;
            break;
        case AM_M_CREATED_BY_NAME:
            v->set = (a->created_by_name != NULL);
            v->u.s = a->created_by_name;
            break;
        case AM_M_STATUS_BY_ID:
            v->set = (a->status_by_id != 0);
            v->u.i = a->status_by_id;
            break;
        case AM_M_STATUS_BY_NAME:
            v->set = (a->status_by_name != NULL);
            v->u.s = a->status_by_name;
            break;
        case AM_M_LINK:
            if (f->type == AM_T_ARRAY) {
                v->set = 1;
                v->u.a = apr_array_make(p, 2, sizeof(am_value_t));
                for (j = 0; j < a->links->nelts; j++) {
                    const am_link_t *l = &APR_ARRAY_IDX(a->links, j,
                                                        am_link_t);
                    if (!strcmp(l->rel, f->rel)) {
                        am_value_t *ev = apr_array_push(v->u.a);
                        memset(ev, 0, sizeof(*ev));
                        link_value(f->elem, l->ref, ev);
                    }
                }
            }
            else {
                const char *ref = am_appt_link(a, f->rel);
                if (ref) {
                    link_value(f->type, ref, v);
                }
            }
            break;
        case AM_M_EXT:
            if (!x) {
                x = ext_info(p, t);
                xo = (a->ext_memo && a->ext_memo_type == t
                      && a->ext_memo_text == a->ext)
                     ? a->ext_memo : ext_decode(p, x->all, a->ext, tz);
            }
            for (j = 0; j < x->all->nfields; j++) {
                if (x->all_idx[j] == i) {
                    *v = xo->v[j];
                }
            }
            break;
        default:
            break;
        }
    }
    return o;
}
