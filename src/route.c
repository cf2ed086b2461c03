/* Licensed under the Apache License, Version 2.0.
 *
 * route.c: route matching, query strings and typed arguments.
 */
#include <string.h>
#include <apr_lib.h>

#include "route.h"
#include "feed.h"

/* Every dialect this build speaks. */
extern const am_dialect_t am_dialect_plancare2;
extern const am_dialect_t am_dialect_patient;
extern const am_dialect_t am_dialect_xelion;

static const am_dialect_t *const am_dialects[] = {
    &am_dialect_plancare2,
    &am_dialect_patient,
    &am_dialect_xelion,
    NULL
};

const am_dialect_t *const *am_dialect_all(void)
{
    return am_dialects;
}

/* Set at start-up, read-only afterwards. */
static const am_route_t *shared_routes = NULL;
static int nshared = 0;

void am_routes_shared(const am_route_t *routes, int n)
{
    shared_routes = routes;
    nshared = n;
}

int am_route_count(const am_dialect_t *d)
{
    return d->nroutes + nshared;
}

const am_route_t *am_route_at(const am_dialect_t *d, int i)
{
    return i < d->nroutes ? &d->routes[i]
                          : &shared_routes[i - d->nroutes];
}

const am_dialect_t *am_dialect_find(const char *name)
{
    int i;

    for (i = 0; am_dialects[i]; i++) {
        if (!strcasecmp(am_dialects[i]->name, name)) {
            return am_dialects[i];
        }
    }
    return NULL;
}

const char *am_dialect_names(apr_pool_t *p)
{
    const char *s = "";
    int i;

    for (i = 0; am_dialects[i]; i++) {
        s = apr_pstrcat(p, s, i ? ", " : "", am_dialects[i]->name, NULL);
    }
    return s;
}

void am_dialects_init(apr_pool_t *p)
{
    int i, j;

    /* The types every dialect shares. */
    am_type_init(p, &am_feed_key_type);
    am_model_type_init(p, &am_feed_key_type);

    for (i = 0; am_dialects[i]; i++) {
        for (j = 0; am_dialects[i]->types && am_dialects[i]->types[j]; j++) {
            am_type_init(p, am_dialects[i]->types[j]);
            am_model_type_init(p, am_dialects[i]->types[j]);
        }
    }
}

const am_home_t *am_home_of(int kind, const am_dialect_t **d)
{
    int i, j;

    for (i = 0; am_dialects[i]; i++) {
        for (j = 0; j < am_dialects[i]->nhomes; j++) {
            if (am_dialects[i]->homes[j].kind == kind) {
                if (d) {
                    *d = am_dialects[i];
                }
                return &am_dialects[i]->homes[j];
            }
        }
    }
    return NULL;
}

const char *am_home_path(apr_pool_t *p, const am_home_t *h,
                         const am_appt_t *a, int op, const char **method)
{
    const char *pat = op == AM_ACCESS_CHANGE ? h->change_path : h->read_path;
    const char *s = "", *at;

    *method = op == AM_ACCESS_CHANGE ? h->change_method : h->read_method;
    while ((at = strchr(pat, '{'))) {
        const char *val;
        apr_size_t n;

        s = apr_pstrcat(p, s, apr_pstrmemdup(p, pat, (apr_size_t)(at - pat)),
                        NULL);
        if (!strncmp(at, "{id}", 4)) {
            val = apr_psprintf(p, "%" APR_INT64_T_FMT, a->id);
            n = 4;
        }
        else if (!strncmp(at, "{uid}", 5)) {
            val = a->uid ? a->uid : "";
            n = 5;
        }
        else {
            val = "{";
            n = 1;
        }
        s = apr_pstrcat(p, s, val, NULL);
        pat = at + n;
    }
    return apr_pstrcat(p, s, pat, NULL);
}

const char *am_homes_check(apr_pool_t *p)
{
    int i, j, op;

    for (i = 0; am_dialects[i]; i++) {
        const am_dialect_t *d = am_dialects[i];

        for (j = 0; j < d->nhomes; j++) {
            const am_home_t *h = &d->homes[j];
            const am_dialect_t *first = NULL;
            am_appt_t a;

            if (am_home_of(h->kind, &first) != h) {
                return apr_psprintf(p, "appointments of kind %d have two"
                                    " homes (%s and %s)", h->kind,
                                    first->name, d->name);
            }
            memset(&a, 0, sizeof(a));
            a.id = 1;
            a.uid = "00000000-0000-0000-0000-000000000001";
            for (op = AM_ACCESS_READ; op <= AM_ACCESS_CHANGE; op++) {
                const char *method;
                const char *path = am_home_path(p, h, &a, op, &method);
                const am_route_t *r = NULL;

                if (am_route_match(p, d, method, path, &r,
                                   apr_table_make(p, 2)) || !r) {
                    return apr_psprintf(p, "the home of kind %d in %s, %s"
                                        " %s, names no route", h->kind,
                                        d->name, method, path);
                }
            }
        }
    }
    return NULL;
}

am_err_t *am_err_invalid(apr_pool_t *p)
{
    return am_err_make(p, 400, "The request is invalid.");
}

/* Strict decimal integer within [min, max]: digits only (one leading '-'
 * when min < 0), no spaces, no '+'. */
static int parse_int64(const char *s, apr_int64_t min, apr_int64_t max,
                       apr_int64_t *out)
{
    const char *d = s;
    apr_uint64_t v = 0, lim;
    int neg = 0;

    if (*d == '-') {
        neg = 1;
        d++;
    }
    if (!*d) {
        return -1;
    }
    lim = neg ? (apr_uint64_t)APR_INT64_MAX + 1 : (apr_uint64_t)APR_INT64_MAX;
    for (; *d; d++) {
        if (*d < '0' || *d > '9') {
            return -1;
        }
        if (v > (lim - (apr_uint64_t)(*d - '0')) / 10) {
            return -1;
        }
        v = v * 10 + (apr_uint64_t)(*d - '0');
    }
    if (neg) {
        *out = (v == (apr_uint64_t)APR_INT64_MAX + 1)
               ? APR_INT64_MIN : -(apr_int64_t)v;
    }
    else {
        *out = (apr_int64_t)v;
    }
    return (*out < min || *out > max) ? -1 : 0;
}

/* Compares one path segment (seg, n bytes) with a pattern segment.
 * Returns 1 when it matches, 0 when not, -1 when it is a parameter whose
 * value is invalid. */
static int match_segment(apr_pool_t *p, const char *pat, apr_size_t plen,
                         const char *seg, apr_size_t n, apr_table_t *params)
{
    const char *close = (plen >= 2 && pat[0] == '{')
                        ? memchr(pat, '}', plen) : NULL;

    if (close && close != pat + plen - 1) {
        /* "{id}.ics": the segment must end in the suffix; the parameter
         * is what comes before it. */
        apr_size_t slen = (apr_size_t)(pat + plen - (close + 1));

        if (n <= slen || strncasecmp(seg + n - slen, close + 1, slen)) {
            return 0;
        }
        n -= slen;
        plen -= slen;
    }
    if (plen >= 2 && pat[0] == '{' && pat[plen - 1] == '}') {
        const char *colon = memchr(pat, ':', plen);
        const char *name = apr_pstrmemdup(p, pat + 1,
            (colon ? (apr_size_t)(colon - pat) : plen - 1) - 1);
        const char *val = apr_pstrmemdup(p, seg, n);
        apr_int64_t iv;

        if (n == 0) {
            return 0;
        }
        if (colon && !strncmp(colon, ":guid}", 6)) {
            const char *g = am_guid_parse(p, val);
            if (!g) {
                return -1;
            }
            apr_table_setn(params, name, g);
        }
        else {
            /* {name:uint} admits 0 (an occurrence index); {name} is an
             * id, 1 or more. */
            apr_int64_t min = (colon && !strncmp(colon, ":uint}", 6)) ? 0 : 1;
            if (parse_int64(val, min, APR_INT64_MAX, &iv)) {
                return -1;
            }
            apr_table_setn(params, name, val);
        }
        return 1;
    }
    return plen == n && !strncasecmp(pat, seg, n);
}

/* Matches path against pattern.  1 match, 0 no match, -1 matches but a
 * parameter is invalid (*bad names it). */
static int match_pattern(apr_pool_t *p, const char *pattern,
                         const char *path, apr_table_t *params,
                         const char **bad)
{
    const char *pp = pattern, *sp = path;
    int invalid = 0;

    for (;;) {
        const char *pe = strchr(pp, '/');
        const char *se = strchr(sp, '/');
        apr_size_t plen = pe ? (apr_size_t)(pe - pp) : strlen(pp);
        apr_size_t slen = se ? (apr_size_t)(se - sp) : strlen(sp);
        int m = match_segment(p, pp, plen, sp, slen, params);

        if (m == 0) {
            return 0;
        }
        if (m < 0 && !invalid) {
            const char *close = memchr(pp, '}', plen);
            const char *colon = memchr(pp, ':', plen);
            const char *stop = (colon && colon < close) ? colon : close;

            invalid = 1;
            *bad = apr_pstrmemdup(p, pp + 1, (apr_size_t)(stop - pp) - 1);
        }
        if (!pe || !se) {
            /* Both must end together (a trailing '/' is tolerated). */
            if (!pe && (!se || se[1] == '\0')) {
                return invalid ? -1 : 1;
            }
            return 0;
        }
        pp = pe + 1;
        sp = se + 1;
    }
}

am_err_t *am_route_match(apr_pool_t *p, const am_dialect_t *d,
                         const char *method, const char *path,
                         const am_route_t **out, apr_table_t *params)
{
    const char *allow = NULL, *bad = NULL;
    int i, path_known = 0, path_bad = 0;

    if (!strcmp(method, "HEAD")) {
        method = "GET";
    }
    while (*path == '/') {
        path++;
    }
    for (i = 0; i < am_route_count(d); i++) {
        const am_route_t *r = am_route_at(d, i);
        apr_table_t *tmp = apr_table_make(p, 2);
        int m = match_pattern(p, r->pattern, path, tmp, &bad);

        if (m == 0) {
            continue;
        }
        if (strcmp(r->method, method)) {
            /* Only a valid match of another method makes the path a
             * known one (405): DELETE x/{id} says nothing of GET x/abc. */
            if (m < 0) {
                continue;
            }
            path_known = 1;
            if (!allow || !strstr(allow, r->method)) {
                allow = allow ? apr_pstrcat(p, allow, ", ", r->method, NULL)
                              : r->method;
            }
            continue;
        }
        if (m < 0) {
            path_bad = 1;
            continue;
        }
        *out = r;
        apr_table_overlap(params, tmp, APR_OVERLAP_TABLES_SET);
        return NULL;
    }
    if (path_bad && !path_known) {
        am_err_t *e = am_err_invalid(p);
        am_err_field(p, e, bad, "The value is not valid for %s.", bad);
        e->why = AM_WHY_BAD_PARAM;
        return e;
    }
    if (path_known) {
        am_err_t *e = am_err_make(p, 405, "The requested resource does not"
                                  " support http method '%s'.", method);
        if (!strstr(allow, "GET") || strstr(allow, "HEAD")) {
            e->allow = allow;
        }
        else {
            e->allow = apr_pstrcat(p, allow, ", HEAD", NULL);
        }
        return e;
    }
    return am_err_make(p, 404, "No HTTP resource was found that matches"
                       " the request URI.");
}

const char *am_route_path(apr_pool_t *p, const am_route_t *route,
                          apr_table_t *params)
{
    const char *pat = route->pattern, *out = "";

    while (*pat) {
        const char *open = strchr(pat, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        const char *colon, *name, *val;

        if (!open || !close) {
            return apr_pstrcat(p, out, pat, NULL);
        }
        colon = memchr(open, ':', (apr_size_t)(close - open));
        name = apr_pstrmemdup(p, open + 1, (apr_size_t)((colon ? colon : close)
                                                      - open - 1));
        val = apr_table_get(params, name);
        if (val && (!colon || strncmp(colon, ":guid}", 6))) {
            apr_int64_t v;

            if (parse_int64(val, 0, APR_INT64_MAX, &v) == 0) {
                val = apr_psprintf(p, "%" APR_INT64_T_FMT, v);
            }
        }
        out = apr_pstrcat(p, out, apr_pstrmemdup(p, pat,
                                                 (apr_size_t)(open - pat)),
                          val ? val : "", NULL);
        pat = close + 1;
    }
    return out;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = apr_tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decodes %XX and '+' of s[0..n); NULL on a malformed escape or NUL. */
static char *url_decode(apr_pool_t *p, const char *s, apr_size_t n)
{
    char *out = apr_palloc(p, n + 1), *o = out;
    apr_size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        }
        else if (s[i] == '%') {
            int hi, lo;
            if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0
                || (lo = hexval(s[i + 2])) < 0 || (hi | lo) == 0) {
                return NULL;
            }
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        }
        else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

am_err_t *am_query_parse(apr_pool_t *p, const char *args, apr_table_t **out)
{
    apr_table_t *t = apr_table_make(p, 8);
    const char *s = args;

    *out = t;
    while (s && *s) {
        const char *amp = strchr(s, '&');
        apr_size_t n = amp ? (apr_size_t)(amp - s) : strlen(s);
        const char *eq = memchr(s, '=', n);
        char *k, *v;

        if (n > 0) {
            k = url_decode(p, s, eq ? (apr_size_t)(eq - s) : n);
            v = eq ? url_decode(p, eq + 1, n - (apr_size_t)(eq - s) - 1)
                   : apr_pstrdup(p, "");
            if (!k || !v) {
                return am_err_make(p, 400, "The query string is malformed.");
            }
            if (*k) {
                apr_table_addn(t, k, v);
            }
        }
        s = amp ? amp + 1 : NULL;
    }
    return NULL;
}

static void arg_error(am_req_t *rq, am_err_t **err, const char *name,
                      const char *msg)
{
    if (!*err) {
        *err = am_err_invalid(rq->pool);
    }
    am_err_field(rq->pool, *err, name, "%s", msg);
}

int am_arg_int64(am_req_t *rq, const char *name, apr_int64_t min,
                 apr_int64_t max, int required, apr_int64_t *out,
                 am_err_t **err)
{
    const char *v = apr_table_get(rq->query, name);

    if (!v || !*v) {
        if (required) {
            arg_error(rq, err, name, apr_psprintf(rq->pool,
                      "The %s parameter is required.", name));
            return -1;
        }
        return 0;
    }
    if (parse_int64(v, min, max, out)) {
        arg_error(rq, err, name, apr_psprintf(rq->pool,
                  "The value '%s' is not valid for %s.", v, name));
        return -1;
    }
    return 1;
}

int am_arg_time(am_req_t *rq, const char *name, int required,
                am_time_t *out, am_err_t **err)
{
    const char *v = apr_table_get(rq->query, name);

    if (!v || !*v) {
        if (required) {
            arg_error(rq, err, name, apr_psprintf(rq->pool,
                      "The %s parameter is required.", name));
            return -1;
        }
        return 0;
    }
    if (am_time_parse_iso(v, rq->tz, out)) {
        arg_error(rq, err, name, apr_psprintf(rq->pool,
                  "The value '%s' is not valid for %s.", v, name));
        return -1;
    }
    return 1;
}

apr_int64_t am_param_int64(am_req_t *rq, const char *name)
{
    const char *v = apr_table_get(rq->params, name);

    return v ? apr_strtoi64(v, NULL, 10) : 0;
}

const char *am_req_who(const am_req_t *rq)
{
    return rq->display_name ? rq->display_name : rq->user;
}

void am_stamp_created(const am_req_t *rq, am_appt_t *a)
{
    a->created_by_id = rq->employee_id;
    a->created_by_name = am_req_who(rq);
}

void am_stamp_status(const am_req_t *rq, am_appt_t *a)
{
    a->status_by_id = rq->employee_id;
    a->status_by_name = am_req_who(rq);
}
