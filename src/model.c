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

/* The sub-type of t made of its AM_M_EXT fields, and for each of its
 * fields the index in t.  NULL when t has none. */
static am_type_t *ext_type(apr_pool_t *p, const am_type_t *t, int **idx)
{
    am_type_t *x;
    am_field_t *f;
    int i, n = 0;

    for (i = 0; i < t->nfields; i++) {
        n += (t->fields[i].member == AM_M_EXT);
    }
    if (n == 0) {
        return NULL;
    }
    x = apr_pcalloc(p, sizeof(*x));
    f = apr_palloc(p, n * sizeof(*f));
    *idx = apr_palloc(p, n * sizeof(int));
    x->name = t->name;
    x->ns = t->ns;
    x->fields = f;
    for (i = 0; i < t->nfields; i++) {
        if (t->fields[i].member == AM_M_EXT) {
            f[x->nfields] = t->fields[i];
            /* Stored data is ours: no input rule applies to it again. */
            f[x->nfields].flags &= ~(AM_F_REQUIRED | AM_F_NONNULL);
            (*idx)[x->nfields] = i;
            x->nfields++;
        }
    }
    return x;
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

am_err_t *am_model_from_obj(apr_pool_t *p, const am_obj_t *o, am_appt_t *a,
                            const am_tz_t *tz)
{
    const am_type_t *t = o->type;
    am_type_t *xt;
    am_obj_t *xo = NULL;
    int *xidx = NULL;
    int i, j, ext_changed = 0;

    xt = ext_type(p, t, &xidx);
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];
        const am_value_t *v = &o->v[i];
        int null = !v->set || v->null;

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
        case AM_M_EXT:
            if (!xo) {
                xo = ext_decode(p, xt, a->ext, tz);
            }
            for (j = 0; j < xt->nfields; j++) {
                if (xidx[j] == i) {
                    xo->v[j] = *v;
                    ext_changed = 1;
                }
            }
            break;
        default:
            break;
        }
    }
    if (ext_changed) {
        a->ext = am_json_encode(p, xo, tz, NULL);
    }
    return NULL;
}

am_obj_t *am_model_to_obj(apr_pool_t *p, const am_type_t *t,
                          const am_appt_t *a, const am_tz_t *tz)
{
    am_obj_t *o = am_obj_make(p, t);
    am_obj_t *xo = NULL;
    am_type_t *xt = NULL;
    int *xidx = NULL;
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
            if (!xt) {
                xt = ext_type(p, t, &xidx);
                xo = ext_decode(p, xt, a->ext, tz);
            }
            for (j = 0; j < xt->nfields; j++) {
                if (xidx[j] == i) {
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
