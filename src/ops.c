/* Licensed under the Apache License, Version 2.0.
 *
 * ops.c: the generic operations of a route (ops.h).
 */
#include <string.h>

#include "ops.h"

static am_err_t *no_employee(am_req_t *rq)
{
    return am_err_make(rq->pool, 403, "The logged-on user is not known as"
                       " an employee.");
}

static const char *me(am_req_t *rq)
{
    return apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, rq->employee_id);
}

apr_int64_t am_op_id(am_req_t *rq, const am_view_t *v)
{
    return am_param_int64(rq, v->id_param);
}

int am_op_owns(const am_req_t *rq, const am_view_t *v, const am_appt_t *a)
{
    int i;

    for (i = 0; v->owner_rel && a->links && i < a->links->nelts; i++) {
        const am_link_t *l = &APR_ARRAY_IDX(a->links, i, am_link_t);

        if (!strcmp(l->rel, v->owner_rel)
            && apr_strtoi64(l->ref, NULL, 10) == rq->employee_id) {
            return 1;
        }
    }
    return !v->owner_rel;
}

am_err_t *am_op_read(am_req_t *rq, const am_view_t *v, apr_int64_t id,
                     am_appt_t **out)
{
    am_err_t *e;

    if (v->owner_rel && !rq->employee_id) {
        return no_employee(rq);
    }
    if ((e = am_store_get(rq->store, id, AM_KIND_ANY, out))) {
        return e;
    }
    if ((v->kinds && !(v->kinds & AM_VIEW_KIND((*out)->kind)))
        || !am_op_owns(rq, v, *out)) {
        *out = NULL;
        return am_err_make(rq->pool, 404, "No appointment with id %"
                           APR_INT64_T_FMT " exists.", id);
    }
    return NULL;
}

am_err_t *am_op_create(am_req_t *rq, am_resp_t *rs, const am_view_t *v,
                       am_appt_t *a)
{
    am_err_t *e;

    if (v->owner_rel) {
        if (!rq->employee_id) {
            return no_employee(rq);
        }
        am_appt_add_link(rq->pool, a, v->owner_rel, me(rq));
    }
    am_stamp_created(rq, a);
    if ((e = am_store_create(rq->store, a))) {
        return e;
    }
    if (v->path) {
        rs->location = apr_psprintf(rq->pool, v->path, a->id);
    }
    return NULL;
}

am_appt_t *am_op_replacement(apr_pool_t *p, const am_appt_t *old)
{
    am_appt_t *a = am_appt_make(p, old->kind);

    a->id = old->id;
    a->uid = old->uid;
    a->ext = old->ext;
    a->created_by_id = old->created_by_id;
    a->created_by_name = old->created_by_name;
    a->status = old->status;
    a->status_by_id = old->status_by_id;
    a->status_by_name = old->status_by_name;
    a->reason = old->reason;
    a->created_at = old->created_at;
    apr_array_cat(a->links, old->links);
    return a;
}

am_err_t *am_op_delete(am_req_t *rq, am_resp_t *rs, const am_view_t *v)
{
    am_appt_t *a = NULL;
    am_err_t *e;

    if (v->kinds || v->owner_rel) {
        if ((e = am_op_read(rq, v, am_op_id(rq, v), &a))) {
            return e;
        }
        e = am_store_delete(rq->store, a->id, a->kind, rq->if_match);
    }
    else {
        e = am_store_delete(rq->store, am_op_id(rq, v), AM_KIND_ANY,
                            rq->if_match);
    }
    if (!e) {
        rs->status = 204;
    }
    return e;
}
