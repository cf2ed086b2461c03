/* Licensed under the Apache License, Version 2.0.
 *
 * page.c: a range list with expansion and paging (page.h).
 */
#include <stdlib.h>
#include <string.h>

#include "page.h"

static int key_cmp(am_time_t s1, apr_int64_t i1, int x1,
                   am_time_t s2, apr_int64_t i2, int x2)
{
    if (s1 != s2) {
        return s1 < s2 ? -1 : 1;
    }
    if (i1 != i2) {
        return i1 < i2 ? -1 : 1;
    }
    return x1 < x2 ? -1 : x1 > x2;
}

static int entry_cmp(const void *a, const void *b)
{
    const am_entry_t *x = a, *y = b;

    return key_cmp(x->start, x->id, x->index, y->start, y->id, y->index);
}

int am_cursor_parse(apr_pool_t *p, const char *s, am_cursor_t *c)
{
    const char *parts[3], *u1, *u2;
    apr_int64_t v[3];
    int i;

    if (!s || !*s) {
        return 0;
    }
    if (!(u1 = strchr(s, '_')) || !(u2 = strchr(u1 + 1, '_'))
        || strchr(u2 + 1, '_')) {
        return -1;
    }
    parts[0] = apr_pstrmemdup(p, s, (apr_size_t)(u1 - s));
    parts[1] = apr_pstrmemdup(p, u1 + 1, (apr_size_t)(u2 - u1 - 1));
    parts[2] = u2 + 1;
    for (i = 0; i < 3; i++) {
        const char *d = parts[i] + (i == 0 && parts[i][0] == '-');

        if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 19
            || am_int_parse(parts[i], &v[i])) {
            return -1;
        }
    }
    if (v[0] < AM_TIME_MIN || v[0] > AM_TIME_MAX || v[1] < 1 || v[2] < 0
        || v[2] > 100000000) {
        return -1;
    }
    c->start = v[0];
    c->id = v[1];
    c->index = (int)v[2];
    return 1;
}

/* Adds the occurrences of series a (rule) in [from, until) to entries.
 * More than max is cut at the start of the last one expanded, which
 * lowers *horizon: entries from there on belong to a later page. */
static am_err_t *add_occurrences(apr_pool_t *p, const am_tz_t *tz,
                                 const am_appt_t *a, const am_rule_t *rule,
                                 am_time_t from, am_time_t until, int max,
                                 am_time_t *horizon,
                                 apr_array_header_t *entries)
{
    apr_array_header_t *occ = NULL, *merged = NULL;
    am_time_t upto = until;
    am_err_t *e;
    int i;

    e = am_rule_expand(p, rule, tz, from, until, max, 1, &occ);
    if (e) {
        if (e->status != 400 || !occ || occ->nelts < max || max < 2) {
            return e;
        }
        upto = APR_ARRAY_IDX(occ, occ->nelts - 1, am_occurrence_t).start;
        if (upto < *horizon) {
            *horizon = upto;
        }
    }
    if ((e = am_occ_merge(p, occ, a->exceptions, am_rule_count(rule, tz),
                          from, upto, 1, &merged))) {
        return e;
    }
    for (i = 0; i < merged->nelts; i++) {
        const am_occurrence_t *o = &APR_ARRAY_IDX(merged, i,
                                                  am_occurrence_t);
        am_entry_t *x = apr_array_push(entries);

        x->start = o->start;
        x->end = o->end;
        x->id = a->id;
        x->index = o->index;
        x->a = a;
        x->rule = rule;
        x->exc = o->exc;
    }
    return NULL;
}

am_err_t *am_page_list(apr_pool_t *p, am_store_t *s, const am_query_t *q,
                       const am_tz_t *tz, const am_cursor_t *cursor,
                       int limit, int max, am_page_t *out)
{
    apr_array_header_t *found = NULL, *entries;
    am_time_t horizon = AM_TIME_MAX;
    am_query_t lq = *q;
    am_err_t *e;
    int i, n, kept;

    /* A later page starts at its cursor: what started before it was
     * listed already. */
    if (cursor && cursor->start > lq.from) {
        lq.from = cursor->start;
    }
    if ((e = am_store_list(s, &lq, &found))) {
        return e;
    }
    if (max < limit + 1) {
        max = limit + 1;
    }
    entries = apr_array_make(p, found->nelts + 1, sizeof(am_entry_t));
    for (i = 0; i < found->nelts; i++) {
        const am_appt_t *a = APR_ARRAY_IDX(found, i, const am_appt_t *);
        am_rule_t *rule = NULL;

        if (a->rule && *a->rule && (e = am_rule_parse(p, a->rule, &rule))) {
            return e;
        }
        if (!rule) {
            am_entry_t *x = apr_array_push(entries);

            memset(x, 0, sizeof(*x));
            x->start = a->start;
            x->end = a->end;
            x->id = a->id;
            x->a = a;
            continue;
        }
        /* A series (the list has its exceptions). */
        if ((e = add_occurrences(p, tz, a, rule, lq.from, lq.until, max,
                                 &horizon, entries))) {
            return e;
        }
    }
    /* What is on this page and later ones: after the cursor and before
     * the horizon of a series cut short. */
    for (i = 0, kept = 0; i < entries->nelts; i++) {
        am_entry_t *x = &APR_ARRAY_IDX(entries, i, am_entry_t);

        if (x->start >= horizon && horizon < AM_TIME_MAX) {
            continue;
        }
        if (cursor && key_cmp(x->start, x->id, x->index, cursor->start,
                              cursor->id, cursor->index) <= 0) {
            continue;
        }
        APR_ARRAY_IDX(entries, kept, am_entry_t) = *x;
        kept++;
    }
    entries->nelts = kept;
    qsort(entries->elts, (size_t)entries->nelts, sizeof(am_entry_t),
          entry_cmp);
    n = kept < limit ? kept : limit;

    out->next = NULL;
    if (n > 0 && (kept > limit || horizon < AM_TIME_MAX)) {
        const am_entry_t *last = &APR_ARRAY_IDX(entries, n - 1, am_entry_t);

        out->next = apr_psprintf(p, "%" APR_INT64_T_FMT "_%" APR_INT64_T_FMT
                                 "_%d", last->start, last->id, last->index);
    }
    entries->nelts = n;
    out->entries = entries;
    out->appts = apr_array_make(p, n ? n : 1, sizeof(am_appt_t *));
    for (i = 0; i < n; i++) {
        const am_entry_t *x = &APR_ARRAY_IDX(entries, i, am_entry_t);
        int j, seen = 0;

        for (j = 0; j < out->appts->nelts && !seen; j++) {
            seen = APR_ARRAY_IDX(out->appts, j, const am_appt_t *)->id
                   == x->id;
        }
        if (!seen) {
            APR_ARRAY_PUSH(out->appts, const am_appt_t *) = x->a;
        }
    }
    return NULL;
}
