/* Licensed under the Apache License, Version 2.0.
 *
 * feed.c: the calendar feeds of every dialect (feed.h).
 */
#include <stdlib.h>
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "feed.h"
#include "datetime.h"
#include "recur.h"
#include "store.h"
#include "token.h"

/* Midnight (in tz) starting the day of civil date c plus days. */
static am_time_t day_start(const am_tz_t *tz, const am_civil_t *c,
                           int days)
{
    am_civil_t d;
    am_time_t noon;

    /* Whole days from noon UTC of the date: no zone offset reaches. */
    memset(&d, 0, sizeof(d));
    d.year = c->year;
    d.month = c->month;
    d.day = c->day;
    d.hour = 12;
    noon = am_civil_to_time(&d, 0) + (am_time_t)days * AM_TICKS_PER_DAY;
    am_time_to_civil(noon, 0, &d);
    d.hour = 0;
    return am_tz_from_local(tz, &d);
}

/* A date YYYY-MM-DD (a real one, years 1 to 9999). */
static int parse_date(const char *s, am_civil_t *c)
{
    am_civil_t back;
    int i;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    for (i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && !apr_isdigit(s[i])) {
            return -1;
        }
    }
    memset(c, 0, sizeof(*c));
    c->year = atoi(s);
    c->month = atoi(s + 5);
    c->day = atoi(s + 8);
    c->hour = 12;
    if (c->year < 1 || c->month < 1 || c->month > 12 || c->day < 1
        || c->day > 31) {
        return -1;
    }
    am_time_to_civil(am_civil_to_time(c, 0), 0, &back);
    return (back.year == c->year && back.month == c->month
            && back.day == c->day) ? 0 : -1;
}

am_err_t *am_feed_window(am_req_t *rq, am_time_t now, am_time_t *from,
                         am_time_t *until)
{
    const char *f = apr_table_get(rq->query, "from");
    const char *u = apr_table_get(rq->query, "until");
    am_civil_t today, cf, cu;
    am_err_t *e = NULL;
    int back = rq->feed_days_back > 0 ? rq->feed_days_back
                                      : AM_FEED_DAYS_BACK;
    int ahead = rq->feed_days_ahead > 0 ? rq->feed_days_ahead
                                        : AM_FEED_DAYS_AHEAD;

    am_tz_to_local(rq->tz, now, &today, NULL);
    *from = day_start(rq->tz, &today, -back);
    *until = day_start(rq->tz, &today, ahead + 1);
    if (f) {
        if (parse_date(f, &cf)) {
            e = am_err_invalid(rq->pool);
            am_err_field(rq->pool, e, "from", "The value '%s' is not a date"
                         " (YYYY-MM-DD).", f);
        }
        else {
            *from = day_start(rq->tz, &cf, 0);
        }
    }
    if (u) {
        if (parse_date(u, &cu)) {
            if (!e) {
                e = am_err_invalid(rq->pool);
            }
            am_err_field(rq->pool, e, "until", "The value '%s' is not a date"
                         " (YYYY-MM-DD).", u);
        }
        else {
            /* until is the last day of the window. */
            *until = day_start(rq->tz, &cu, 1);
        }
    }
    if (!e && *until <= *from) {
        e = am_err_invalid(rq->pool);
        am_err_field(rq->pool, e, "until", "until must not be before from.");
    }
    return e;
}

/* Whether the calendar ref is one the server knows, and its name in the
 * directory: the directory names it, the window listed some of its
 * appointments, or an appointment (at any time) is linked to it. */
static am_err_t *known(am_req_t *rq, const am_feed_t *f, const char *ref,
                       int listed, const char **name, int *yes)
{
    am_err_t *e;
    int i;

    *yes = 0;
    *name = NULL;
    if (f->dir_kind) {
        if ((e = am_store_dir_get(rq->store, f->dir_kind, ref, name))) {
            return e;
        }
        if (*name) {
            *yes = 1;
            return NULL;
        }
    }
    if (listed || !f->param) {
        /* The user's own calendar exists, empty or not. */
        *yes = 1;
        return NULL;
    }
    for (i = 0; i < f->nqueries; i++) {
        apr_array_header_t *found = NULL;
        am_query_t q;

        memset(&q, 0, sizeof(q));
        q.kind = f->queries[i].kind;
        q.rel = f->queries[i].rel;
        q.refs = &ref;
        q.nrefs = 1;
        q.from = AM_TIME_MIN;
        q.until = AM_TIME_MAX;
        q.limit = 1;
        if ((e = am_store_list(rq->store, &q, &found))) {
            return e;
        }
        if (found->nelts) {
            *yes = 1;
            return NULL;
        }
    }
    return NULL;
}

am_err_t *am_feed_get(am_req_t *rq, am_resp_t *rs)
{
    const am_feed_t *f = rq->route->data;
    const char *ref, *name = NULL;
    apr_array_header_t *out;
    am_time_t from, until, lm = 0;
    am_err_t *e;
    int i, j, total = 0, yes;

    if (f->param) {
        ref = apr_table_get(rq->params, f->param);
        if (*ref && strspn(ref, "0123456789") == strlen(ref)) {
            /* An id: its canonical text ("007" is 7), as links keep it. */
            ref = apr_psprintf(rq->pool, "%" APR_INT64_T_FMT,
                               am_param_int64(rq, f->param));
        }
    }
    else if (rq->employee_id > 0) {
        ref = apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, rq->employee_id);
    }
    else {
        return am_err_make(rq->pool, 403, "The logged-on user is not known"
                           " as an employee.");
    }
    if ((e = am_feed_window(rq, (am_time_t)apr_time_now() * 10, &from,
                            &until))) {
        return e;
    }
    out = apr_array_make(rq->pool, 16, sizeof(am_appt_t *));
    for (i = 0; i < f->nqueries; i++) {
        apr_array_header_t *found = NULL;
        am_query_t q;

        memset(&q, 0, sizeof(q));
        q.kind = f->queries[i].kind;
        q.rel = f->queries[i].rel;
        q.refs = &ref;
        q.nrefs = 1;
        q.from = from;
        q.until = until;
        if ((e = am_store_list(rq->store, &q, &found))) {
            return e;
        }
        for (j = 0; j < found->nelts; j++) {
            am_appt_t *a = APR_ARRAY_IDX(found, j, am_appt_t *);
            int n = 1;

            if (a->rule) {
                am_rule_t *rule = NULL;
                apr_array_header_t *occ = NULL;

                if ((e = am_rule_parse(rq->pool, a->rule, &rule))
                    || (e = am_rule_occurrences(rq->pool, rule, rq->tz, from,
                                                until, rq->max_occurrences,
                                                1, a->exceptions, &occ))) {
                    return e;
                }
                /* A series is in the feed when it has an occurrence (or a
                 * changed or deleted one) in the window, as in lists. */
                n = occ->nelts;
            }
            if (n == 0) {
                continue;
            }
            total += n;
            if (rq->max_occurrences > 0 && total > rq->max_occurrences) {
                e = am_err_invalid(rq->pool);
                am_err_field(rq->pool, e, "until", "The window holds more"
                             " than %d occurrences; choose a shorter one"
                             " (from, until).", rq->max_occurrences);
                return e;
            }
            if (a->updated_at > lm) {
                lm = a->updated_at;
            }
            APR_ARRAY_PUSH(out, am_appt_t *) = a;
        }
    }
    if ((e = known(rq, f, ref, out->nelts > 0, &name, &yes))) {
        return e;
    }
    if (!yes) {
        return am_err_make(rq->pool, 404, "No calendar %s exists.", ref);
    }
    rs->appts = out;
    rs->last_modified = lm;
    rs->cal_name = name ? name : apr_pstrcat(rq->pool, f->label, " ", ref,
                                             NULL);
    return NULL;
}

/* ------------------------------------------------------------ keys */

static const am_field_t feed_key_fields[] = {
    { .name = "url", .type = AM_T_STRING },
    { .name = "key", .type = AM_T_STRING },
};

am_type_t am_feed_key_type = {
    "FeedKey", "urn:mod-appointments:feeds", feed_key_fields,
    (int)(sizeof(feed_key_fields) / sizeof(feed_key_fields[0])), NULL
};

static am_err_t *anonymous(am_req_t *rq)
{
    return am_err_make(rq->pool, 403, "Feed keys belong to an authenticated"
                       " user.");
}

am_err_t *am_feed_key_issue(am_req_t *rq, am_resp_t *rs)
{
    am_session_t x;
    const char *token, *scope;
    am_obj_t *o;
    am_err_t *e;

    if (!rq->user) {
        return anonymous(rq);
    }
    /* Only for a calendar that the feed shows (the user's own for the
     * employee feed): as its GET would answer. */
    if ((e = am_feed_get(rq, rs))) {
        return e;
    }
    rs->appts = NULL;
    rs->cal_name = NULL;
    rs->last_modified = 0;
    if ((e = am_token_new(rq->pool, &token))) {
        return e;
    }
    scope = am_route_path(rq->pool, rq->route, rq->params);
    memset(&x, 0, sizeof(x));
    x.kind = AM_SESSION_FEED;
    x.token_hash = am_token_hash(rq->pool, token, strlen(token));
    x.user = rq->user;
    x.employment = rq->employee_id;
    x.realm = rq->mount;
    x.dialect = rq->dialect->name;
    x.scope = scope;
    if ((e = am_store_session_create(rq->store, &x,
                                     (am_time_t)apr_time_now() * 10))) {
        return e;
    }
    o = am_obj_make(rq->pool, &am_feed_key_type);
    am_obj_set_str(o, "url", apr_pstrcat(rq->pool, rq->base_url, "/", scope,
                                         "?key=", token, NULL));
    am_obj_set_str(o, "key", token);
    rs->obj = o;
    rs->status = 201;
    /* A secret: kept by no cache. */
    apr_table_setn(rs->headers, "Cache-Control", "no-store");
    return NULL;
}

am_err_t *am_feed_key_revoke(am_req_t *rq, am_resp_t *rs)
{
    am_session_filter_t f;
    am_err_t *e;
    int n = 0;

    if (!rq->user) {
        return anonymous(rq);
    }
    memset(&f, 0, sizeof(f));
    f.user = rq->user;
    f.kind = AM_SESSION_FEED;
    f.realm = rq->mount;
    f.scope = am_route_path(rq->pool, rq->route, rq->params);
    if ((e = am_store_session_delete_where(rq->store, &f, &n))) {
        return e;
    }
    if (n == 0) {
        return am_err_make(rq->pool, 404, "You hold no key of this feed.");
    }
    rs->status = 204;
    return NULL;
}
