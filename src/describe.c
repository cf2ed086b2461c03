/* Licensed under the Apache License, Version 2.0.
 *
 * describe.c: openapi.json and the Help pages of every mount, walked out
 * of the same route and field tables that serve the requests (see
 * describe.h).  Nothing here is written per route or per type: a row
 * added to a table shows up in both documents.
 */
#include <stdlib.h>
#include <string.h>
#include <json.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <apr_hash.h>
#include <apr_lib.h>

#include "describe.h"
#include "codec.h"
#include "feed.h"
#include "perm.h"

#define OPENAPI_VERSION "3.0.3"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
/* The instant of the samples: the one of the seed pages' samples. */
#define SAMPLE_TIME "2026-05-26T23:13:00.1670516+02:00"
#define SAMPLE_TZ   "Europe/Amsterdam"

/* ------------------------------------------------------- the routes */

static am_err_t *serve(am_req_t *rq, am_resp_t *rs, int which)
{
    apr_size_t len = 0;
    const char *etag = NULL;
    const char *doc = am_describe_get(rq->dialect, which, &len, &etag);

    if (!doc) {
        return am_err_make(rq->pool, 404, "This API has no description.");
    }
    rs->raw = doc;
    rs->raw_len = len;
    rs->raw_etag = etag;
    return NULL;
}

static am_err_t *serve_openapi(am_req_t *rq, am_resp_t *rs)
{
    return serve(rq, rs, AM_DESCRIBE_OPENAPI);
}

static am_err_t *serve_help(am_req_t *rq, am_resp_t *rs)
{
    return serve(rq, rs, AM_DESCRIBE_HELP);
}

const am_route_t am_describe_routes[] = {
    { "GET", "openapi.json", serve_openapi, NULL, NULL, NULL, NULL,
      .doc = "The OpenAPI 3 document of this API, made at start-up from"
             " the route and field tables that serve it.",
      .answer = AM_ANSWER_RAW, .out_media = "application/json",
      .flags = AM_ROUTE_NOSTORE | AM_ROUTE_DESCRIBE },
    { "GET", "Help", serve_help, NULL, NULL, NULL, NULL,
      .doc = "These help pages: every route with its parameters, members"
             " and samples, made from the same tables.",
      .answer = AM_ANSWER_RAW, .out_media = "text/html",
      .flags = AM_ROUTE_NOSTORE | AM_ROUTE_DESCRIBE },
};

const int am_describe_nroutes =
    (int)(sizeof(am_describe_routes) / sizeof(am_describe_routes[0]));

/* ------------------------------------------------- built at start-up */

typedef struct built {
    const am_dialect_t *d;
    const char *doc[2];
    apr_size_t len[2];
    const char *etag[2];
} built_t;

#define MAX_DIALECTS 16
static built_t built[MAX_DIALECTS];
static int nbuilt;

/* A strong entity-tag of the bytes: FNV-1a, 64 bits, and the length. */
static const char *etag_of(apr_pool_t *p, const char *s, apr_size_t n,
                           const char *kind)
{
    apr_uint64_t h = APR_UINT64_C(14695981039346656037);
    apr_size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= APR_UINT64_C(1099511628211);
    }
    return apr_psprintf(p, "\"%s-%016" APR_UINT64_T_HEX_FMT "-%"
                        APR_SIZE_T_FMT "\"", kind, h, n);
}

void am_describe_init(apr_pool_t *p)
{
    const am_dialect_t *const *all = am_dialect_all();
    int i;

    am_routes_shared(am_describe_routes, am_describe_nroutes);
    nbuilt = 0;
    for (i = 0; all[i] && nbuilt < MAX_DIALECTS; i++) {
        built_t *b = &built[nbuilt++];

        b->d = all[i];
        b->doc[0] = am_describe_openapi(p, all[i], &b->len[0]);
        b->etag[0] = etag_of(p, b->doc[0], b->len[0], "openapi");
        b->doc[1] = am_describe_help(p, all[i], &b->len[1]);
        b->etag[1] = etag_of(p, b->doc[1], b->len[1], "help");
    }
}

const char *am_describe_get(const am_dialect_t *d, int which,
                            apr_size_t *len, const char **etag)
{
    int i;

    for (i = 0; i < nbuilt; i++) {
        if (built[i].d == d && which >= 0 && which <= 1) {
            *len = built[i].len[which];
            *etag = built[i].etag[which];
            return built[i].doc[which];
        }
    }
    return NULL;
}

/* ----------------------------------------------------------- helpers */

const char *am_describe_path(apr_pool_t *p, const char *pattern)
{
    char *out = apr_palloc(p, strlen(pattern) + 2), *o = out;
    const char *s;

    *o++ = '/';
    for (s = pattern; *s; s++) {
        if (*s == ':') {
            /* {name:kind} -> {name} */
            while (*s && *s != '}') {
                s++;
            }
            if (!*s) {
                break;
            }
        }
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

const char *am_describe_route_id(apr_pool_t *p, const am_route_t *r)
{
    const char *path = am_describe_path(p, r->pattern) + 1;
    char *id = apr_pstrcat(p, r->method, "-", path, NULL), *o = id;
    const char *s;

    for (s = id; *s; s++) {
        if (*s == '/') {
            *o++ = '-';
        }
        else if (*s == '{') {
            continue;
        }
        else if (*s == '}') {
            continue;
        }
        else if (apr_isalnum(*s) || *s == '-' || *s == '_') {
            *o++ = *s;
        }
        else {
            *o++ = '_';
        }
    }
    *o = '\0';
    return id;
}

/* The path parameters of a pattern, in order: name and kind (0 id, 1
 * uint, 2 guid). */
typedef struct pparam {
    const char *name;
    int kind;
} pparam_t;

static apr_array_header_t *path_params(apr_pool_t *p, const char *pattern)
{
    apr_array_header_t *a = apr_array_make(p, 2, sizeof(pparam_t));
    const char *s = pattern;

    while ((s = strchr(s, '{'))) {
        const char *e = strchr(s, '}');
        const char *c;
        pparam_t *pp;

        if (!e) {
            break;
        }
        pp = apr_array_push(a);
        c = memchr(s, ':', (apr_size_t)(e - s));
        pp->name = apr_pstrmemdup(p, s + 1,
                                  (apr_size_t)((c ? c : e) - s - 1));
        pp->kind = !c ? 0 : !strncmp(c, ":uint}", 6) ? 1
                 : !strncmp(c, ":guid}", 6) ? 2 : 0;
        s = e + 1;
    }
    return a;
}

/* The doc of parameter name in r's list, or NULL. */
static const am_param_t *param_of(const am_route_t *r, const char *name)
{
    const am_param_t *q;

    for (q = r->query; q && q->name; q++) {
        if (!strcmp(q->name, name)) {
            return q;
        }
    }
    return NULL;
}

static int is_path_param(const apr_array_header_t *pps, const char *name)
{
    int i;

    for (i = 0; i < pps->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(pps, i, pparam_t).name, name)) {
            return 1;
        }
    }
    return 0;
}

/* The calendar feeds are rows of the dialects' tables served by one
 * generic mechanism (feed.h): what that mechanism answers is said here,
 * once, for every feed row that does not say it itself. */
static const am_param_t feed_params[] = {
    { "from", AM_T_STRING, 0, 0, "First day of the window (YYYY-MM-DD in"
      " the server's time zone); by default AppointmentsFeedWindow days"
      " before today." },
    { "until", AM_T_STRING, 0, 0, "Last day of the window (inclusive); by"
      " default AppointmentsFeedWindow days after today." },
    { "key", AM_T_STRING, 0, 0, "A secret feed key (POST on the feed"
      " issues one), for calendar programs that send no credentials." },
    { NULL }
};

static const am_route_t *effective(apr_pool_t *p, const am_route_t *r)
{
    am_route_t *e;

    if (r->answer) {
        return r;
    }
    if (r->flags & AM_ROUTE_FEED) {
        e = apr_pmemdup(p, r, sizeof(*r));
        e->doc = e->doc ? e->doc : "The calendar as a feed for calendar"
                 " programs: text/calendar whatever Accept says, series as"
                 " RRULE with their exceptions, 304 on unchanged polls"
                 " (ETag, Last-Modified).";
        e->answer = AM_ANSWER_RAW;
        e->out_media = "text/calendar";
        e->query = e->query ? e->query : feed_params;
        return e;
    }
    if (r->handler == am_feed_key_issue) {
        e = apr_pmemdup(p, r, sizeof(*r));
        e->doc = e->doc ? e->doc : "Issues a secret URL of this feed to"
                 " the user, for calendar programs that cannot send"
                 " credentials.";
        e->out = &am_feed_key_type;
        e->answer = AM_ANSWER_ONE;
        e->status = 201;
        return e;
    }
    if (r->handler == am_feed_key_revoke) {
        e = apr_pmemdup(p, r, sizeof(*r));
        e->doc = e->doc ? e->doc : "Revokes the user's secret URLs of this"
                 " feed.";
        e->answer = AM_ANSWER_NONE;
        e->status = 204;
        return e;
    }
    return r;
}

/* A route that needs no credentials: a login, or one that names no
 * function (and is no description, which needs a read grant). */
static int is_public(const am_route_t *r)
{
    return r->login || (!r->function
                        && !(r->flags & (AM_ROUTE_DESCRIBE
                                         | AM_ROUTE_TARGET)));
}

/* "Requires 'Start' permission for function ClientGroupCalendar
 * {6D8B...}", as the API's own pages say it. */
static const char *needs_text(apr_pool_t *p, const am_route_t *r)
{
    const am_function_t *f;

    if (r->login) {
        return "Needs no credentials: this route logs in.";
    }
    if (is_public(r)) {
        return "Needs no credentials.";
    }
    if (r->flags & AM_ROUTE_TARGET) {
        return apr_psprintf(p, "Requires '%s' permission for the function"
                            " of the appointment's own calendar (its home"
                            " route's); any function of this API lets the"
                            " request in.",
                            r->permission ? r->permission : AM_PERM_START);
    }
    if (r->flags & AM_ROUTE_DESCRIBE) {
        return "Requires the read permission ('Start') of any function"
               " of this API, or none where the server says so"
               " (AppointmentsDescriptionAccess open).";
    }
    f = r->function ? am_function_find(p, r->function) : NULL;
    if (!f) {
        return NULL;
    }
    return apr_psprintf(p, "Requires '%s' permission for function %s {%s}",
                        r->permission ? r->permission : AM_PERM_START,
                        f->name, f->guid);
}

static int success_status(const am_route_t *r)
{
    if (r->status) {
        return r->status;
    }
    return r->answer == AM_ANSWER_NONE ? 204 : 200;
}

/* The time zone of the samples. */
static const am_tz_t *sample_tz(void)
{
    const am_tz_t *tz = am_tz_get(SAMPLE_TZ);

    return tz ? tz : am_tz_get("UTC");
}

/* ----------------------------------------------------------- samples */

static am_time_t sample_time(void)
{
    am_time_t t = 0;

    am_time_parse_iso(SAMPLE_TIME, am_tz_get("UTC"), &t);
    return t;
}

static void sample_value(apr_pool_t *p, const am_field_t *f,
                         am_ftype_e type, int *counter, int depth,
                         am_value_t *v);

static am_obj_t *sample_obj(apr_pool_t *p, const am_type_t *t, int depth)
{
    am_obj_t *o = am_obj_make(p, t);
    int counter = 1, i;

    for (i = 0; i < t->nfields; i++) {
        sample_value(p, &t->fields[i], t->fields[i].type, &counter, depth,
                     &o->v[i]);
    }
    return o;
}

/* A sample integer: the counter, within the field's range. */
static apr_int64_t sample_int(const am_field_t *f, int n)
{
    apr_int64_t v = n;

    if (f->min || f->max) {
        if (v < f->min) {
            v = f->min;
        }
        if (v > f->max) {
            v = f->max > 0 ? 1 : f->min;
            if (v < f->min) {
                v = f->min;
            }
        }
    }
    return v;
}

static void sample_value(apr_pool_t *p, const am_field_t *f,
                         am_ftype_e type, int *counter, int depth,
                         am_value_t *v)
{
    int i;

    v->set = 1;
    v->null = 0;
    switch (type) {
    case AM_T_INT32:
    case AM_T_INT64:
        v->u.i = sample_int(f, (*counter)++);
        break;
    case AM_T_BOOL:
        (*counter)++;
        v->u.i = 1;
        break;
    case AM_T_STRING: {
        char *s;
        if (f->en && f->en->nitems) {
            /* A string enumeration: its first name. */
            (*counter)++;
            v->u.s = f->en->items[0].name;
            break;
        }
        s = apr_psprintf(p, "sample string %d", (*counter)++);
        /* Within the field's length (in characters: ASCII here). */
        if (f->max > 0 && (apr_int64_t)strlen(s) > f->max) {
            s[f->max] = '\0';
        }
        v->u.s = s;
        break;
    }
    case AM_T_DATETIME:
    case AM_T_XDATETIME:
        (*counter)++;
        v->u.t = sample_time();
        break;
    case AM_T_ENUM:
        v->u.i = (f->en && f->en->nitems) ? f->en->items[0].value : 0;
        break;
    case AM_T_FLAGS: {
        /* The smallest single flag (Sunday of WeekDays). */
        apr_int64_t best = 0;
        for (i = 0; f->en && i < f->en->nitems; i++) {
            int x = f->en->items[i].value;
            if (x > 0 && !(x & (x - 1)) && (!best || x < best)) {
                best = x;
            }
        }
        v->u.i = best;
        break;
    }
    case AM_T_GUID: {
        /* Fixed, so that the documents (and their ETags) do not change
         * between starts. */
        unsigned h = 2166136261u;
        const char *c;
        for (c = f->name; *c; c++) {
            h = (h ^ (unsigned char)*c) * 16777619u;
        }
        v->u.s = apr_psprintf(p, "%08x-%04x-4%03x-8%03x-%012x", h,
                              (unsigned)(h >> 16) & 0xffff,
                              (unsigned)(*counter) & 0xfff,
                              (unsigned)(h >> 4) & 0xfff,
                              (unsigned)(*counter));
        (*counter)++;
        break;
    }
    case AM_T_DECIMAL:
        v->u.s = apr_psprintf(p, "%d.0", (*counter)++);
        break;
    case AM_T_OBJECT:
        if (!f->sub || depth >= 8) {
            v->null = 1;
            break;
        }
        v->u.o = sample_obj(p, f->sub, depth + 1);
        break;
    case AM_T_ARRAY: {
        /* Two items, counted afresh, as ASP.NET's samples show them. */
        int n = (f->max > 0 && f->max < 2) ? (int)f->max : 2, c = 1;
        v->u.a = apr_array_make(p, 2, sizeof(am_value_t));
        if (f->elem == AM_T_OBJECT && (!f->sub || depth >= 8)) {
            break;
        }
        for (i = 0; i < n; i++) {
            am_value_t *item = apr_array_push(v->u.a);
            memset(item, 0, sizeof(*item));
            sample_value(p, f, f->elem, &c, depth + 1, item);
        }
        break;
    }
    case AM_T_ANY:
        v->u.s = apr_psprintf(p, "\"sample value %d\"", (*counter)++);
        break;
    default:
        v->null = 1;
        break;
    }
}

am_obj_t *am_describe_sample(apr_pool_t *p, const am_type_t *t)
{
    return sample_obj(p, t, 0);
}

/* The JSON sample of t (or a list of two of them), as the codec writes
 * it. */
static json_object *sample_json(apr_pool_t *p, const am_type_t *t,
                                const am_type_t *alt, int list)
{
    const am_tz_t *tz = sample_tz();
    apr_size_t len = 0;
    char *s;

    if (list) {
        apr_array_header_t *a = apr_array_make(p, 2, sizeof(am_obj_t *));
        APR_ARRAY_PUSH(a, am_obj_t *) = am_describe_sample(p, t);
        APR_ARRAY_PUSH(a, am_obj_t *) = am_describe_sample(p, alt ? alt : t);
        s = am_json_encode_list(p, a, tz, &len);
    }
    else {
        s = am_json_encode(p, am_describe_sample(p, t), tz, &len);
    }
    return json_tokener_parse(s);
}

/* Drops the read-only members from the JSON sample jo of type t (and
 * from its nested objects): a request's sample shows what to send. */
static void strip_readonly(json_object *jo, const am_type_t *t)
{
    int i;

    if (!jo || !t || !json_object_is_type(jo, json_type_object)) {
        return;
    }
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];
        json_object *m = NULL;

        if (!json_object_object_get_ex(jo, f->name, &m)) {
            continue;
        }
        if (f->flags & AM_F_READONLY) {
            json_object_object_del(jo, f->name);
        }
        else if (f->type == AM_T_OBJECT) {
            strip_readonly(m, f->sub);
        }
        else if (f->type == AM_T_ARRAY && f->elem == AM_T_OBJECT
                 && json_object_is_type(m, json_type_array)) {
            size_t k;
            for (k = 0; k < json_object_array_length(m); k++) {
                strip_readonly(json_object_array_get_idx(m, k), f->sub);
            }
        }
    }
}

/* The XML sample, indented. */
static const char *sample_xml(apr_pool_t *p, const am_type_t *t,
                              const am_type_t *alt, int list)
{
    const am_tz_t *tz = sample_tz();
    apr_size_t len = 0;
    char *s;
    xmlDocPtr doc;
    xmlChar *mem = NULL;
    int n = 0;
    const char *out;

    if (list) {
        apr_array_header_t *a = apr_array_make(p, 2, sizeof(am_obj_t *));
        APR_ARRAY_PUSH(a, am_obj_t *) = am_describe_sample(p, t);
        APR_ARRAY_PUSH(a, am_obj_t *) = am_describe_sample(p, alt ? alt : t);
        s = am_xml_encode_list(p, t, a, tz, &len);
    }
    else {
        s = am_xml_encode(p, am_describe_sample(p, t), tz, &len);
    }
    if (!s) {
        return NULL;
    }
    /* Our own document: parsed only to indent it. */
    doc = xmlReadMemory(s, (int)len, NULL, "UTF-8", XML_PARSE_NONET
                        | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
                        | XML_PARSE_NOBLANKS);
    if (!doc) {
        return s;
    }
    xmlDocDumpFormatMemoryEnc(doc, &mem, &n, "UTF-8", 1);
    xmlFreeDoc(doc);
    if (!mem) {
        return s;
    }
    out = apr_pstrmemdup(p, (const char *)mem, (apr_size_t)n);
    xmlFree(mem);
    /* Without the XML declaration, as the API's pages show samples. */
    if (!strncmp(out, "<?xml", 5) && strchr(out, '\n')) {
        out = strchr(out, '\n') + 1;
    }
    return out;
}

static const char *pretty(apr_pool_t *p, json_object *jo)
{
    const char *s = json_object_to_json_string_ext(jo,
        JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
        | JSON_C_TO_STRING_NOSLASHESCAPE);

    return apr_pstrdup(p, s ? s : "null");
}

/* ------------------------------------------------ what routes reach */

/* The types (in a stable order) and enums that the routes of d reach. */
typedef struct reach {
    apr_pool_t *p;
    const am_dialect_t *d;
    apr_array_header_t *types;  /* const am_type_t * */
    apr_array_header_t *enums;  /* const am_enum_t * */
    apr_array_header_t *enum_first; /* the first field using each enum */
    apr_hash_t *type_names;     /* am_type_t * -> unique name */
    apr_hash_t *enum_names;     /* am_enum_t * -> unique name */
    apr_hash_t *taken;          /* name -> "" */
} reach_t;

static const char *unique_name(reach_t *rc, const char *base)
{
    const char *name = base;
    int n = 2;

    while (apr_hash_get(rc->taken, name, APR_HASH_KEY_STRING)) {
        name = apr_psprintf(rc->p, "%s_%d", base, n++);
    }
    apr_hash_set(rc->taken, name, APR_HASH_KEY_STRING, "");
    return name;
}

static void reach_type(reach_t *rc, const am_type_t *t)
{
    int i;

    if (!t || apr_hash_get(rc->type_names, &t, sizeof(t))) {
        return;
    }
    {
        const am_type_t **k = apr_palloc(rc->p, sizeof(*k));
        *k = t;
        apr_hash_set(rc->type_names, k, sizeof(*k),
                     unique_name(rc, t->name));
    }
    APR_ARRAY_PUSH(rc->types, const am_type_t *) = t;
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];

        if (f->en && (f->type == AM_T_ENUM || f->type == AM_T_FLAGS
                      || (f->type == AM_T_ARRAY && (f->elem == AM_T_ENUM
                                                    || f->elem
                                                       == AM_T_FLAGS)))
            && !apr_hash_get(rc->enum_names, &f->en, sizeof(f->en))) {
            const am_enum_t **k = apr_palloc(rc->p, sizeof(*k));
            *k = f->en;
            apr_hash_set(rc->enum_names, k, sizeof(*k),
                         unique_name(rc, f->en->name ? f->en->name
                                                     : f->name));
            APR_ARRAY_PUSH(rc->enums, const am_enum_t *) = f->en;
            APR_ARRAY_PUSH(rc->enum_first, const am_field_t *) = f;
        }
        if (f->sub) {
            reach_type(rc, f->sub);
        }
    }
}

static reach_t *reach_make(apr_pool_t *p, const am_dialect_t *d)
{
    reach_t *rc = apr_pcalloc(p, sizeof(*rc));
    int i;

    rc->p = p;
    rc->d = d;
    rc->types = apr_array_make(p, 16, sizeof(const am_type_t *));
    rc->enums = apr_array_make(p, 8, sizeof(const am_enum_t *));
    rc->enum_first = apr_array_make(p, 8, sizeof(const am_field_t *));
    rc->type_names = apr_hash_make(p);
    rc->enum_names = apr_hash_make(p);
    rc->taken = apr_hash_make(p);
    for (i = 0; i < am_route_count(d); i++) {
        const am_route_t *r = effective(p, am_route_at(d, i));
        reach_type(rc, r->in);
        reach_type(rc, r->out);
        reach_type(rc, r->out_alt);
    }
    return rc;
}

/* What field f means: its own doc, else the dialect's glossary's. */
static const char *field_doc(const reach_t *rc, const am_field_t *f)
{
    const am_member_doc_t *m;

    if (f->doc) {
        return f->doc;
    }
    for (m = rc->d->member_docs; m && m->name; m++) {
        if (!strcmp(m->name, f->name)) {
            return m->doc;
        }
    }
    return NULL;
}

static const char *type_name(const reach_t *rc, const am_type_t *t)
{
    const char *n = apr_hash_get(rc->type_names, &t, sizeof(t));

    return n ? n : t->name;
}

static const char *enum_name(const reach_t *rc, const am_enum_t *en)
{
    const char *n = apr_hash_get(rc->enum_names, &en, sizeof(en));

    return n ? n : "Enum";
}

/* The enum's items as "0 = Created, 1 = Completed". */
static const char *enum_text(apr_pool_t *p, const am_enum_t *en)
{
    const char *s = "";
    int i;

    for (i = 0; i < en->nitems; i++) {
        s = apr_psprintf(p, "%s%s%d = %s", s, i ? ", " : "",
                         en->items[i].value, en->items[i].name);
    }
    return s;
}

/* ================================================= the OpenAPI document */

static void jset(json_object *o, const char *k, json_object *v)
{
    json_object_object_add(o, k, v);
}

static void jstr(json_object *o, const char *k, const char *v)
{
    if (v) {
        json_object_object_add(o, k, json_object_new_string(v));
    }
}

static json_object *jobj(void)
{
    return json_object_new_object();
}

/* ref_to with a pool (apr_pstrcat needs one). */
static json_object *ref_p(apr_pool_t *p, const char *kind, const char *name)
{
    json_object *o = jobj();

    jstr(o, "$ref", apr_pstrcat(p, "#/components/", kind, "/", name,
                                NULL));
    return o;
}

/* The schema of a scalar (or object) value of field f with type `type'. */
static json_object *value_schema(apr_pool_t *p, const reach_t *rc,
                                 const am_field_t *f, am_ftype_e type,
                                 int item)
{
    json_object *s = jobj();

    switch (type) {
    case AM_T_INT32:
    case AM_T_INT64:
        jstr(s, "type", "integer");
        jstr(s, "format", type == AM_T_INT32 ? "int32" : "int64");
        if (!item && (f->min || f->max)) {
            jset(s, "minimum", json_object_new_int64(f->min));
            jset(s, "maximum", json_object_new_int64(f->max));
        }
        break;
    case AM_T_BOOL:
        jstr(s, "type", "boolean");
        break;
    case AM_T_STRING:
        jstr(s, "type", "string");
        if (f->en) {
            /* A string enumeration: its names. */
            json_object *names = json_object_new_array();
            int i;
            for (i = 0; i < f->en->nitems; i++) {
                json_object_array_add(names, json_object_new_string(
                                      f->en->items[i].name));
            }
            jset(s, "enum", names);
        }
        else if (!item && (f->min || f->max)) {
            jset(s, "minLength", json_object_new_int64(f->min));
            jset(s, "maxLength", json_object_new_int64(f->max));
        }
        break;
    case AM_T_DATETIME:
        jstr(s, "type", "string");
        jstr(s, "format", "date-time");
        break;
    case AM_T_XDATETIME:
        jstr(s, "type", "string");
        jstr(s, "pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"
                           ":[0-9]{2}$");
        jstr(s, "description", "YYYY-MM-DD HH:MM:SS in the server's time"
                               " zone");
        break;
    case AM_T_GUID:
        jstr(s, "type", "string");
        jstr(s, "format", "uuid");
        break;
    case AM_T_DECIMAL:
        jstr(s, "type", "number");
        jstr(s, "description", "a decimal of at most 28 digits, kept"
                               " exactly");
        break;
    case AM_T_ENUM:
    case AM_T_FLAGS:
        json_object_put(s);
        return f->en ? ref_p(p, "schemas", enum_name(rc, f->en))
                     : json_object_new_object();
    case AM_T_OBJECT:
        json_object_put(s);
        return f->sub ? ref_p(p, "schemas", type_name(rc, f->sub))
                      : json_object_new_object();
    case AM_T_ANY:
        jstr(s, "description", "any JSON value");
        break;
    default:
        break;
    }
    return s;
}

static json_object *xml_obj(const char *name, const char *ns)
{
    json_object *x = jobj();

    jstr(x, "name", name);
    jstr(x, "namespace", ns);
    return x;
}

/* The member namespace of f in type t: its own or the type's. */
static const char *member_ns(const am_type_t *t, const am_field_t *f)
{
    return f->ns ? f->ns : t->ns;
}

static json_object *field_schema(apr_pool_t *p, const reach_t *rc,
                                 const am_type_t *t, const am_field_t *f)
{
    json_object *s, *x;
    const char *ns = member_ns(t, f);
    const char *notes = field_doc(rc, f);

    if (f->type == AM_T_ARRAY) {
        json_object *items = value_schema(p, rc, f, f->elem, 1);
        const char *ins = f->elem_ns ? f->elem_ns
                        : (f->elem == AM_T_OBJECT && f->sub) ? f->sub->ns
                        : ns;
        s = jobj();
        jstr(s, "type", "array");
        if (f->elem_name) {
            json_object *ix = xml_obj(f->elem_name, ins);
            if (json_object_object_get_ex(items, "$ref", NULL)) {
                /* $ref takes no siblings in OpenAPI 3.0. */
                json_object *w = jobj();
                json_object *all = json_object_new_array();
                jstr(w, "type", f->elem == AM_T_OBJECT ? "object"
                                                       : "integer");
                json_object_array_add(all, items);
                jset(w, "allOf", all);
                items = w;
            }
            jset(items, "xml", ix);
        }
        jset(s, "items", items);
        if (f->min || f->max) {
            jset(s, "minItems", json_object_new_int64(f->min));
            jset(s, "maxItems", json_object_new_int64(f->max));
        }
        x = xml_obj(NULL, ns);
        jset(x, "wrapped", json_object_new_boolean(1));
        jset(s, "xml", x);
    }
    else {
        json_object *v = value_schema(p, rc, f, f->type, 0);
        if (json_object_object_get_ex(v, "$ref", NULL)) {
            /* A reference with siblings (nullable, readOnly, xml): the
             * type beside allOf, as OpenAPI 3.0 wants it. */
            json_object *all = json_object_new_array();
            s = jobj();
            jstr(s, "type", f->type == AM_T_OBJECT ? "object" : "integer");
            json_object_array_add(all, v);
            jset(s, "allOf", all);
        }
        else {
            s = v;
        }
        if (f->type != AM_T_ANY && ns && (!t->ns || strcmp(ns, t->ns))) {
            jset(s, "xml", xml_obj(NULL, ns));
        }
    }
    if (!(f->flags & (AM_F_NONNULL | AM_F_VALUE)) && f->type != AM_T_ANY) {
        jset(s, "nullable", json_object_new_boolean(1));
    }
    if (f->flags & AM_F_READONLY) {
        jset(s, "readOnly", json_object_new_boolean(1));
    }
    if (f->flags & AM_F_OMIT_NULL) {
        notes = apr_pstrcat(p, notes ? notes : "", notes ? " " : "",
                            "Left out of answers when not set.", NULL);
    }
#ifdef AM_F_SET
    if (f->flags & AM_F_SET) {
        notes = apr_pstrcat(p, notes ? notes : "", notes ? " " : "",
                            "A set: a change adds and removes items by"
                            " their key.", NULL);
    }
#endif
#ifdef AM_F_DERIVED
    if (f->flags & AM_F_DERIVED) {
        notes = apr_pstrcat(p, notes ? notes : "", notes ? " " : "",
                            "An instruction: read on input, derived on"
                            " output.", NULL);
    }
#endif
#ifdef AM_F_FIXED
    if (f->flags & AM_F_FIXED) {
        notes = apr_pstrcat(p, notes ? notes : "", notes ? " " : "",
                            "Set when created; no change sets it.", NULL);
    }
#endif
    if (notes) {
        json_object *d0 = NULL;
        if (json_object_object_get_ex(s, "description", &d0)) {
            notes = apr_pstrcat(p, json_object_get_string(d0), ". ",
                                notes, NULL);
        }
        jstr(s, "description", notes);
    }
    return s;
}

static json_object *type_schema(apr_pool_t *p, const reach_t *rc,
                                const am_type_t *t)
{
    json_object *s = jobj(), *props = jobj(), *req = NULL;
    int i;

    jstr(s, "type", "object");
    jstr(s, "title", t->name);
    jstr(s, "description", t->doc);
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];

        jset(props, f->name, field_schema(p, rc, t, f));
        if (f->flags & AM_F_REQUIRED) {
            if (!req) {
                req = json_object_new_array();
            }
            json_object_array_add(req, json_object_new_string(f->name));
        }
    }
    if (req) {
        jset(s, "required", req);
    }
    jset(s, "properties", props);
    jset(s, "xml", xml_obj(t->name, t->ns));
    return s;
}

static json_object *enum_schema(apr_pool_t *p, const reach_t *rc,
                                const am_enum_t *en, const am_field_t *f)
{
    json_object *s = jobj(), *vals, *names;
    int i;

    jstr(s, "type", "integer");
    jstr(s, "format", "int32");
    jstr(s, "title", enum_name(rc, en));
    if (f->type == AM_T_FLAGS) {
        int all = 0;
        for (i = 0; i < en->nitems; i++) {
            all |= en->items[i].value;
        }
        jset(s, "minimum", json_object_new_int(0));
        jset(s, "maximum", json_object_new_int(all));
        jstr(s, "description", apr_psprintf(p, "Flags: %s; a value is the"
             " sum of its flags. JSON: the number; XML: the names"
             " separated by spaces.", enum_text(p, en)));
    }
    else {
        vals = json_object_new_array();
        for (i = 0; i < en->nitems; i++) {
            json_object_array_add(vals,
                                  json_object_new_int(en->items[i].value));
        }
        jset(s, "enum", vals);
        jstr(s, "description", apr_psprintf(p, "%s. JSON: the number;"
             " XML: the name.", enum_text(p, en)));
    }
    names = json_object_new_array();
    for (i = 0; i < en->nitems; i++) {
        json_object_array_add(names,
                              json_object_new_string(en->items[i].name));
    }
    jset(s, "x-enum-varnames", names);
    return s;
}

/* The dialect's error body for e in JSON, parsed; NULL when it has none. */
static json_object *error_json(apr_pool_t *p, const am_dialect_t *d,
                               const am_err_t *e, const char *method,
                               const char *path)
{
    apr_size_t len = 0;
    char *s = d->error_body ? d->error_body(p, d, e, AM_FMT_JSON, method,
                                            path, &len) : NULL;

    return s ? json_tokener_parse(s) : NULL;
}

/* A schema for the JSON value v, from its shape: the error shape of a
 * dialect is what its error_body renders, and nothing else says it. */
static json_object *shape_schema(json_object *v, int depth)
{
    json_object *s = jobj();

    switch (json_object_get_type(v)) {
    case json_type_int:
        jstr(s, "type", "integer");
        break;
    case json_type_double:
        jstr(s, "type", "number");
        break;
    case json_type_boolean:
        jstr(s, "type", "boolean");
        break;
    case json_type_string:
        jstr(s, "type", "string");
        break;
    case json_type_array:
        jstr(s, "type", "array");
        jset(s, "items", json_object_array_length(v)
             ? shape_schema(json_object_array_get_idx(v, 0), depth + 1)
             : jobj());
        break;
    case json_type_object:
        jstr(s, "type", "object");
        if (depth == 0) {
            json_object *props = jobj();
            json_object_object_foreach(v, k, m) {
                jset(props, k, shape_schema(m, depth + 1));
            }
            jset(s, "properties", props);
        }
        else {
            /* A map (ModelState: field path -> messages). */
            json_object *first = NULL;
            json_object_object_foreach(v, k, m) {
                (void)k;
                if (!first) {
                    first = m;
                }
            }
            jset(s, "additionalProperties",
                 first ? shape_schema(first, depth + 1) : jobj());
        }
        break;
    default:
        break;
    }
    return s;
}

/* The local name of the root element of an XML text. */
static const char *xml_root(apr_pool_t *p, const char *s)
{
    const char *b, *e;

    for (b = s; (b = strchr(b, '<')); b++) {
        if (b[1] != '?' && b[1] != '!') {
            break;
        }
    }
    if (!b) {
        return NULL;
    }
    b++;
    for (e = b; *e && !apr_isspace(*e) && *e != '>' && *e != '/'; e++) {
    }
    return apr_pstrmemdup(p, b, (apr_size_t)(e - b));
}

typedef struct err_case {
    int status;
    const char *name;
    const char *message;
} err_case_t;

static const err_case_t err_cases[] = {
    { 400, "BadRequest", "The request is invalid." },
    { 401, "Unauthorized", "Authorization has been denied for this"
      " request." },
    { 403, "Forbidden", "Authorization has been denied for this request." },
    { 404, "NotFound", "No appointment with id 1 exists." },
    { 406, "NotAcceptable", "None of the media types in Accept can be"
      " produced; use application/json or application/xml." },
    { 412, "PreconditionFailed", "The appointment has been changed since"
      " it was read." },
    { 413, "PayloadTooLarge", "The request body is too large." },
    { 415, "UnsupportedMediaType", "The request's Content-Type is not"
      " supported." },
    { 503, "ServiceUnavailable", "The database is busy; try again." },
};
#define NERR ((int)(sizeof(err_cases) / sizeof(err_cases[0])))

static am_err_t *sample_err(apr_pool_t *p, const err_case_t *c)
{
    am_err_t *e = am_err_make(p, c->status, "%s", c->message);

    if (c->status == 400) {
        am_err_field(p, e, "Start", "The Start field is required.");
    }
    return e;
}

/* components.responses: one per error status, in the dialect's shape. */
static json_object *error_responses(apr_pool_t *p, const am_dialect_t *d,
                                    json_object *schemas)
{
    json_object *resps = jobj();
    json_object *shape = NULL;
    const char *root = NULL;
    int i;

    for (i = 0; i < NERR; i++) {
        am_err_t *e = sample_err(p, &err_cases[i]);
        json_object *ex = error_json(p, d, e, "GET", "appointments/1");
        json_object *r = jobj(), *content = jobj(), *mt = jobj();

        if (!shape && ex) {
            apr_size_t xl = 0;
            char *xs = d->error_body(p, d, e, AM_FMT_XML, "GET",
                                     "appointments/1", &xl);
            shape = shape_schema(ex, 0);
            jstr(shape, "description", "The error shape of this API, as"
                 " it answers every error (JSON; XML with the same"
                 " members when XML is negotiated).");
            root = xs ? xml_root(p, xs) : NULL;
            if (root) {
                jset(shape, "xml", xml_obj(root, NULL));
            }
            jset(schemas, "Error", shape);
        }
        jstr(r, "description", apr_psprintf(p, "%d: %s", e->status,
                                            e->message));
        jset(mt, "schema", ref_p(p, "schemas", "Error"));
        if (ex) {
            jset(mt, "example", ex);
        }
        jset(content, "application/json", mt);
        if (d->body_formats & AM_FMT_XML) {
            json_object *mx = jobj();
            apr_size_t xl = 0;
            char *xs = d->error_body(p, d, e, AM_FMT_XML, "GET",
                                     "appointments/1", &xl);
            jset(mx, "schema", ref_p(p, "schemas", "Error"));
            if (xs) {
                jstr(mx, "example", xs);
            }
            jset(content, "application/xml", mx);
        }
        jset(r, "content", content);
        jset(resps, err_cases[i].name, r);
    }
    return resps;
}

static const char *err_name(int status)
{
    int i;

    for (i = 0; i < NERR; i++) {
        if (err_cases[i].status == status) {
            return err_cases[i].name;
        }
    }
    return NULL;
}

static void add_error(apr_pool_t *p, json_object *resps, int status)
{
    jset(resps, apr_psprintf(p, "%d", status),
         ref_p(p, "responses", err_name(status)));
}

/* The media types of bodies in dialect d's formats. */
/* Adds the seed samples of type t in format fmt to the examples map ex
 * (created on first use): JSON ones as values, XML ones as text. */
static json_object *seed_examples(const am_type_t *t, am_fmt_e fmt)
{
    json_object *ex = NULL;
    int i;

    for (i = 0; t && am_seed_samples[i].file; i++) {
        const am_seed_sample_t *sd = &am_seed_samples[i];
        json_object *e, *v;
        char *key, *dot;

        if (sd->fmt != fmt || strcasecmp(sd->type, t->name)) {
            continue;
        }
        v = fmt == AM_FMT_JSON ? json_tokener_parse(sd->text)
                               : json_object_new_string(sd->text);
        if (!v) {
            continue;
        }
        e = jobj();
        jstr(e, "summary", "The sample of the API's documentation page");
        jset(e, "value", v);
        if (!ex) {
            ex = jobj();
        }
        key = strdup(sd->file);
        if (key && (dot = strrchr(key, '.'))) {
            *dot = '\0';
        }
        jset(ex, key ? key : "seed", e);
        free(key);
    }
    return ex;
}

/* example, or examples when seeds add theirs to the generated one. */
static void set_examples(json_object *mt, json_object *generated,
                         const am_type_t *t, am_fmt_e fmt, int list)
{
    json_object *seeds = list ? NULL : seed_examples(t, fmt);

    if (!seeds) {
        if (generated) {
            jset(mt, "example", generated);
        }
        return;
    }
    if (generated) {
        json_object *all = jobj(), *g = jobj();
        jstr(g, "summary", "Made from the field tables");
        jset(g, "value", generated);
        jset(all, "generated", g);
        json_object_object_foreach(seeds, k, v) {
            jset(all, k, json_object_get(v));
        }
        json_object_put(seeds);
        seeds = all;
    }
    jset(mt, "examples", seeds);
}

static void body_content(apr_pool_t *p, const reach_t *rc, unsigned fmts,
                         json_object *content, json_object *schema,
                         const am_type_t *t, const am_type_t *alt,
                         int list, int ical, int request)
{
    if (fmts & AM_FMT_JSON) {
        json_object *ex = t ? sample_json(p, t, alt, list) : NULL;
        if (request && !list) {
            strip_readonly(ex, t);
        }
        const char *jt[] = { "application/json", "text/json" };
        int i;
        for (i = 0; i < 2; i++) {
            json_object *mt = jobj();
            json_object_get(schema);
            jset(mt, "schema", schema);
            set_examples(mt, ex ? (i ? json_object_get(ex) : ex) : NULL, t,
                         AM_FMT_JSON, list);
            jset(content, jt[i], mt);
        }
    }
    if (fmts & AM_FMT_XML) {
        const char *ex = t ? sample_xml(p, t, alt, list) : NULL;
        const char *xt[] = { "application/xml", "text/xml" };
        int i;
        for (i = 0; i < 2; i++) {
            json_object *mt = jobj();
            json_object_get(schema);
            jset(mt, "schema", schema);
            set_examples(mt, ex ? json_object_new_string(ex) : NULL, t,
                         AM_FMT_XML, list);
            jset(content, xt[i], mt);
        }
    }
    if (fmts & AM_FMT_FORM) {
        json_object *mt = jobj();
        json_object_get(schema);
        jset(mt, "schema", schema);
        jset(content, "application/x-www-form-urlencoded", mt);
    }
    if (ical) {
        json_object *mt = jobj(), *s = jobj();
        jstr(s, "type", "string");
        jstr(s, "description", "iCalendar (RFC 5545): VEVENTs, series with"
             " RRULE and their exceptions");
        jset(mt, "schema", s);
        jset(content, "text/calendar", mt);
    }
    json_object_put(schema);
}

/* The schema of a query parameter: the value schema of a field of its
 * type and range (value_schema), or an array of them. */
static json_object *param_schema(apr_pool_t *p, const reach_t *rc,
                                 const am_param_t *q)
{
    am_field_t f = { .name = q->name, .type = q->type, .min = q->min,
                     .max = q->max };
    json_object *s;

    if (q->type == AM_T_ARRAY) {
        am_param_t item = *q;

        item.type = q->elem;
        s = jobj();
        jstr(s, "type", "array");
        jset(s, "items", param_schema(p, rc, &item));
        return s;
    }
    return value_schema(p, rc, &f, q->type, 0);
}

static json_object *operation(apr_pool_t *p, const reach_t *rc,
                              const am_dialect_t *d, const am_route_t *r,
                              apr_hash_t *tags, apr_array_header_t *tagl)
{
    json_object *op = jobj(), *params = json_object_new_array();
    json_object *resps = jobj(), *ok = jobj(), *tl;
    apr_array_header_t *pps = path_params(p, r->pattern);
    const char *needs = needs_text(p, r);
    const char *tag = apr_pstrdup(p, r->pattern);
    const am_param_t *q;
    char *slash;
    int i, st = success_status(r), has_input = 0;

    if ((slash = strchr(tag, '/'))) {
        *slash = '\0';
    }
    if (r->flags & AM_ROUTE_DESCRIBE) {
        tag = "Help";
    }
    if (!apr_hash_get(tags, tag, APR_HASH_KEY_STRING)) {
        apr_hash_set(tags, tag, APR_HASH_KEY_STRING, tag);
        APR_ARRAY_PUSH(tagl, const char *) = tag;
    }
    tl = json_object_new_array();
    json_object_array_add(tl, json_object_new_string(tag));
    jset(op, "tags", tl);
    jstr(op, "summary", r->doc ? r->doc
                       : apr_pstrcat(p, r->method, " ", r->pattern, NULL));
    jstr(op, "description", needs);
    jstr(op, "operationId", am_describe_route_id(p, r));

    for (i = 0; i < pps->nelts; i++) {
        const pparam_t *pp = &APR_ARRAY_IDX(pps, i, pparam_t);
        const am_param_t *doc = param_of(r, pp->name);
        json_object *pj = jobj(), *s = jobj();

        jstr(pj, "name", pp->name);
        jstr(pj, "in", "path");
        jset(pj, "required", json_object_new_boolean(1));
        jstr(pj, "description", doc ? doc->doc : NULL);
        if (pp->kind == 2) {
            jstr(s, "type", "string");
            jstr(s, "format", "uuid");
        }
        else {
            jstr(s, "type", "integer");
            jstr(s, "format", "int64");
            jset(s, "minimum", json_object_new_int(pp->kind == 1 ? 0 : 1));
        }
        jset(pj, "schema", s);
        json_object_array_add(params, pj);
        has_input = 1;
    }
    for (q = r->query; q && q->name; q++) {
        json_object *pj;

        if (!q->type || is_path_param(pps, q->name)) {
            continue;
        }
        pj = jobj();
        jstr(pj, "name", q->name);
        jstr(pj, "in", "query");
        jset(pj, "required",
             json_object_new_boolean(!!(q->flags & AM_F_REQUIRED)));
        jstr(pj, "description", q->type == AM_T_ARRAY
             ? apr_pstrcat(p, q->doc ? q->doc : "", q->doc ? " " : "",
                           "Given as ", q->name, "[0]=..&", q->name,
                           "[1]=.. or as ", q->name, "=..&", q->name,
                           "=..", NULL)
             : q->doc);
        if (q->type == AM_T_ARRAY) {
            jstr(pj, "style", "form");
            jset(pj, "explode", json_object_new_boolean(1));
        }
        jset(pj, "schema", param_schema(p, rc, q));
        json_object_array_add(params, pj);
        has_input = 1;
    }
    if (json_object_array_length(params)) {
        jset(op, "parameters", params);
    }
    else {
        json_object_put(params);
    }

    if (r->in) {
        json_object *rb = jobj(), *content = jobj();
        jset(rb, "required", json_object_new_boolean(1));
        jstr(rb, "description", apr_pstrcat(p, "The ", r->in->name,
                                            " instance", NULL));
        body_content(p, rc, d->body_formats, content,
                     ref_p(p, "schemas", type_name(rc, r->in)), r->in,
                     NULL, 0, 0, 1);
        jset(rb, "content", content);
        jset(op, "requestBody", rb);
        has_input = 1;
    }

    /* The answer. */
    switch (r->answer) {
    case AM_ANSWER_ONE:
    case AM_ANSWER_LIST: {
        json_object *content = jobj(), *schema;
        int list = r->answer == AM_ANSWER_LIST;
        jstr(ok, "description", apr_psprintf(p, "%s%s", list
             ? "A collection of " : "The ", r->out ? r->out->name : "?"));
        if (list) {
            json_object *items;
            schema = jobj();
            jstr(schema, "type", "array");
            if (r->out_alt) {
                json_object *one = json_object_new_array();
                items = jobj();
                json_object_array_add(one, ref_p(p, "schemas",
                                                 type_name(rc, r->out)));
                json_object_array_add(one, ref_p(p, "schemas",
                                                 type_name(rc,
                                                           r->out_alt)));
                jset(items, "oneOf", one);
            }
            else {
                items = ref_p(p, "schemas", type_name(rc, r->out));
            }
            jset(schema, "items", items);
            jset(schema, "xml", xml_obj(apr_pstrcat(p, "ArrayOf",
                                                    r->out->name, NULL),
                                        r->out->ns));
            jset(json_object_object_get(schema, "xml"), "wrapped",
                 json_object_new_boolean(1));
        }
        else {
            schema = ref_p(p, "schemas", type_name(rc, r->out));
        }
        body_content(p, rc, AM_FMT_JSON | (d->body_formats & AM_FMT_XML
                                           ? AM_FMT_XML : 0),
                     content, schema, r->out, r->out_alt, list,
                     !!(r->flags & AM_ROUTE_ICAL), 0);
        jset(ok, "content", content);
        if (!list && !strcmp(r->method, "GET")) {
            json_object *h = jobj(), *et = jobj(), *s = jobj();
            jstr(et, "description", "The appointment's version (strong);"
                 " send it in If-None-Match (304) or If-Match (412 when"
                 " changed)");
            jstr(s, "type", "string");
            jset(et, "schema", s);
            jset(h, "ETag", et);
            jset(ok, "headers", h);
        }
        break;
    }
    case AM_ANSWER_RAW: {
        json_object *content = jobj(), *mt = jobj(), *s = jobj(), *h, *et;
        jstr(ok, "description", r->doc);
        jstr(s, "type", strstr(r->out_media, "json") ? "object" : "string");
        jset(mt, "schema", s);
        jset(content, r->out_media, mt);
        jset(ok, "content", content);
        h = jobj();
        et = jobj();
        s = jobj();
        jstr(et, "description", "Strong; If-None-Match answers 304");
        jstr(s, "type", "string");
        jset(et, "schema", s);
        jset(h, "ETag", et);
        jset(ok, "headers", h);
        break;
    }
    case AM_ANSWER_NONE:
        jstr(ok, "description", "No content");
        break;
    default:
        jstr(ok, "description", "Success");
        break;
    }
    jset(resps, apr_psprintf(p, "%d", st), ok);
    if (r->flags & AM_ROUTE_DESCRIBE) {
        jset(resps, "304", jobj());
        jstr(json_object_object_get(resps, "304"), "description",
             "Not modified (If-None-Match)");
    }
    if (has_input) {
        add_error(p, resps, 400);
    }
    if (!is_public(r)) {
        add_error(p, resps, 401);
        add_error(p, resps, 403);
    }
    if (pps->nelts) {
        add_error(p, resps, 404);
    }
    if (!(r->flags & AM_ROUTE_DESCRIBE)) {
        add_error(p, resps, 406);
    }
    if (strcmp(r->method, "GET") && !(r->flags & AM_ROUTE_NOSTORE)
        && !is_public(r)) {
        add_error(p, resps, 412);
    }
    if (r->in) {
        add_error(p, resps, 413);
        add_error(p, resps, 415);
    }
    if (!(r->flags & AM_ROUTE_NOSTORE)) {
        add_error(p, resps, 503);
    }
    jset(op, "responses", resps);
    if (is_public(r)) {
        jset(op, "security", json_object_new_array());
    }
    return op;
}

/* securitySchemes and the top-level security requirement. */
static void security(apr_pool_t *p, const am_dialect_t *d,
                     json_object *schemes, json_object *req)
{
    json_object *basic = jobj(), *alt;
    int i;

    jstr(basic, "type", "http");
    jstr(basic, "scheme", "basic");
    jstr(basic, "description", "HTTP Basic, or whatever authentication the"
         " server's configuration puts in front of the API (the users'"
         " grants come from Require appointments-permission)");
    jset(schemes, "basic", basic);
    alt = jobj();
    jset(alt, "basic", json_object_new_array());
    json_object_array_add(req, alt);

    for (i = 0; i < am_route_count(d); i++) {
        const am_route_t *r = effective(p, am_route_at(d, i));
        json_object *s = jobj();
        const char *name;

        if (!r->login) {
            continue;
        }
        if (!strcasecmp(r->login, "Bearer")) {
            json_object *flows = jobj(), *pw = jobj();
            name = "token";
            jstr(s, "type", "oauth2");
            jstr(s, "description", apr_pstrcat(p, "OAuth 2.0 password"
                 " grant at POST ", r->pattern, "; then Authorization:"
                 " Bearer <access_token>", NULL));
            jstr(pw, "tokenUrl", r->pattern);
            jset(pw, "scopes", jobj());
            jset(flows, "password", pw);
            jset(s, "flows", flows);
        }
        else {
            name = apr_pstrcat(p, r->login, "-session", NULL);
            jstr(s, "type", "apiKey");
            jstr(s, "in", "header");
            jstr(s, "name", "Authorization");
            jstr(s, "description", apr_pstrcat(p, "A session from ",
                 r->method, " ", r->pattern, ": Authorization: ",
                 r->login, " <token>", NULL));
        }
        if (json_object_object_get_ex(schemes, name, NULL)) {
            json_object_put(s);
            continue;
        }
        jset(schemes, name, s);
        alt = jobj();
        jset(alt, name, json_object_new_array());
        json_object_array_add(req, alt);
    }
}

char *am_describe_openapi(apr_pool_t *p, const am_dialect_t *d,
                          apr_size_t *len)
{
    reach_t *rc = reach_make(p, d);
    json_object *doc = jobj(), *info = jobj(), *lic = jobj();
    json_object *servers = json_object_new_array(), *srv = jobj();
    json_object *paths = jobj(), *comps = jobj(), *schemas = jobj();
    json_object *schemes = jobj(), *sreq = json_object_new_array();
    json_object *tags_j = json_object_new_array();
    apr_hash_t *tags = apr_hash_make(p);
    apr_array_header_t *tagl = apr_array_make(p, 8, sizeof(const char *));
    const char *s;
    size_t n = 0;
    char *out;
    int i;

    jstr(doc, "openapi", OPENAPI_VERSION);
    jstr(info, "title", d->title ? d->title : d->name);
    jstr(info, "version", AM_VERSION);
    jstr(info, "description", apr_pstrcat(p, d->doc ? d->doc : "",
         d->doc ? "\n\n" : "", "Served by mod_appointments (AppointmentsApi ",
         d->name, "). This document is made at start-up from the route"
         " and field tables that serve the requests; the samples are"
         " written by the same codecs. Paths are relative to the"
         " location the API is mounted on.", NULL));
    jstr(lic, "name", "Apache-2.0");
    jstr(lic, "url", "https://www.apache.org/licenses/LICENSE-2.0");
    jset(info, "license", lic);
    jset(doc, "info", info);
    jstr(srv, "url", ".");
    jstr(srv, "description", "The location this document is served from");
    json_object_array_add(servers, srv);
    jset(doc, "servers", servers);

    security(p, d, schemes, sreq);
    jset(doc, "security", sreq);

    for (i = 0; i < am_route_count(d); i++) {
        const am_route_t *r = effective(p, am_route_at(d, i));
        const char *path = am_describe_path(p, r->pattern);
        json_object *item = NULL;
        char *m = apr_pstrdup(p, r->method);

        if (!json_object_object_get_ex(paths, path, &item)) {
            item = jobj();
            jset(paths, path, item);
        }
        for (char *c = m; *c; c++) {
            *c = (char)apr_tolower(*c);
        }
        jset(item, m, operation(p, rc, d, r, tags, tagl));
    }
    for (i = 0; i < tagl->nelts; i++) {
        json_object *t = jobj();
        const char *name = APR_ARRAY_IDX(tagl, i, const char *);
        jstr(t, "name", name);
        jstr(t, "description", !strcmp(name, "Help")
             ? "The API's descriptions of itself"
             : apr_pstrcat(p, "The routes under ", name, NULL));
        json_object_array_add(tags_j, t);
    }
    jset(doc, "tags", tags_j);
    jset(doc, "paths", paths);

    for (i = 0; i < rc->types->nelts; i++) {
        const am_type_t *t = APR_ARRAY_IDX(rc->types, i, const am_type_t *);
        jset(schemas, type_name(rc, t), type_schema(p, rc, t));
    }
    for (i = 0; i < rc->enums->nelts; i++) {
        const am_enum_t *en = APR_ARRAY_IDX(rc->enums, i, const am_enum_t *);
        jset(schemas, enum_name(rc, en),
             enum_schema(p, rc, en,
                         APR_ARRAY_IDX(rc->enum_first, i,
                                       const am_field_t *)));
    }
    jset(comps, "responses", error_responses(p, d, schemas));
    jset(comps, "schemas", schemas);
    jset(comps, "securitySchemes", schemes);
    jset(doc, "components", comps);

    s = json_object_to_json_string_length(doc, JSON_C_TO_STRING_PRETTY
                                          | JSON_C_TO_STRING_SPACED
                                          | JSON_C_TO_STRING_NOSLASHESCAPE,
                                          &n);
    out = apr_pstrmemdup(p, s, n);
    json_object_put(doc);
    if (len) {
        *len = n;
    }
    return out;
}

/* ====================================================== the Help pages */

typedef struct sb {
    apr_pool_t *p;
    apr_array_header_t *a;      /* of char */
} sb_t;

static void sb_put(sb_t *b, const char *s, apr_size_t n)
{
    char *d = apr_array_push(b->a);
    apr_size_t i;

    /* apr_array_push adds one element: add the rest likewise. */
    if (n == 0) {
        b->a->nelts--;
        return;
    }
    *d = s[0];
    for (i = 1; i < n; i++) {
        *(char *)apr_array_push(b->a) = s[i];
    }
}

static void sb_puts(sb_t *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sb_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(sb_t *b, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = apr_pvsprintf(b->p, fmt, ap);
    va_end(ap);
    sb_puts(b, s);
}

/* Text as HTML character data or attribute value. */
static void sb_esc(sb_t *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '&': sb_puts(b, "&amp;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        default: sb_put(b, s, 1); break;
        }
    }
}

static const char *model_anchor(apr_pool_t *p, const char *name)
{
    return apr_pstrcat(p, "model-", name, NULL);
}

/* The "Type" column: ASP.NET's words for simple types, a link for the
 * API's own. */
static void help_type(sb_t *b, const reach_t *rc, const am_field_t *f,
                      am_ftype_e type)
{
    const char *name = NULL;

    switch (type) {
    case AM_T_INT32:
    case AM_T_INT64:
        sb_puts(b, "integer");
        return;
    case AM_T_BOOL:
        sb_puts(b, "boolean");
        return;
    case AM_T_STRING:
        sb_puts(b, "string");
        return;
    case AM_T_DATETIME:
        sb_puts(b, "date");
        return;
    case AM_T_XDATETIME:
        sb_puts(b, "date (YYYY-MM-DD HH:MM:SS)");
        return;
    case AM_T_GUID:
        sb_puts(b, "globally unique identifier");
        return;
    case AM_T_DECIMAL:
        sb_puts(b, "decimal number");
        return;
    case AM_T_ANY:
        sb_puts(b, "any JSON value");
        return;
    case AM_T_ENUM:
    case AM_T_FLAGS:
        name = f->en ? enum_name(rc, f->en) : NULL;
        break;
    case AM_T_OBJECT:
        name = f->sub ? type_name(rc, f->sub) : NULL;
        break;
    case AM_T_ARRAY:
        sb_puts(b, "Collection of ");
        help_type(b, rc, f, f->elem);
        return;
    default:
        break;
    }
    if (name) {
        sb_printf(b, "<a href=\"#%s\">", model_anchor(b->p, name));
        sb_esc(b, name);
        sb_puts(b, "</a>");
    }
}

/* The "Additional information" column. */
static void help_info(sb_t *b, const am_field_t *f)
{
    int any = 0;

#define SEP() do { if (any++) sb_puts(b, "<br>"); } while (0)
    if (f->flags & AM_F_REQUIRED) {
        SEP();
        sb_puts(b, "Required");
    }
    if (f->flags & AM_F_READONLY) {
        SEP();
        sb_puts(b, "Read only: ignored on input, set by the server");
    }
    if ((f->min || f->max) && f->max == APR_INT64_MAX) {
        /* An id: only its lower end says something. */
        if (f->min > 0) {
            SEP();
            sb_printf(b, "Range: %" APR_INT64_T_FMT " or more", f->min);
        }
    }
    else if (f->min || f->max) {
        SEP();
        sb_printf(b, "%s: inclusive between %" APR_INT64_T_FMT " and %"
                  APR_INT64_T_FMT, f->type == AM_T_STRING ? "String length"
                  : f->type == AM_T_ARRAY ? "Count" : "Range", f->min,
                  f->max);
    }
    if (!(f->flags & (AM_F_NONNULL | AM_F_VALUE)) && f->type != AM_T_ANY
        && f->type != AM_T_STRING && f->type != AM_T_OBJECT
        && f->type != AM_T_ARRAY) {
        SEP();
        sb_puts(b, "Nullable");
    }
    if (f->flags & AM_F_OMIT_NULL) {
        SEP();
        sb_puts(b, "Left out of answers when not set");
    }
    if (f->type == AM_T_STRING && f->en) {
        int i;
        SEP();
        sb_puts(b, "One of: ");
        for (i = 0; i < f->en->nitems; i++) {
            sb_puts(b, i ? ", " : "");
            sb_esc(b, f->en->items[i].name);
        }
    }
#ifdef AM_F_SET
    if (f->flags & AM_F_SET) {
        SEP();
        sb_puts(b, "A set: a change adds and removes items by their key");
    }
#endif
#ifdef AM_F_DERIVED
    if (f->flags & AM_F_DERIVED) {
        SEP();
        sb_puts(b, "An instruction: read on input, derived on output");
    }
#endif
#ifdef AM_F_FIXED
    if (f->flags & AM_F_FIXED) {
        SEP();
        sb_puts(b, "Set when created; no change sets it");
    }
#endif
    if (!any) {
        sb_puts(b, "None.");
    }
#undef SEP
}

static void help_members(sb_t *b, const reach_t *rc, const am_type_t *t)
{
    int i;

    sb_puts(b, "<table class=\"help-page-table\"><thead><tr><th>Name</th>"
            "<th>Description</th><th>Type</th><th>Additional information"
            "</th></tr></thead><tbody>\n");
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];

        sb_puts(b, "<tr><td class=\"parameter-name\">");
        sb_esc(b, f->name);
        sb_puts(b, "</td><td class=\"parameter-documentation\">");
        sb_esc(b, field_doc(rc, f));
        sb_puts(b, "</td><td class=\"parameter-type\">");
        help_type(b, rc, f, f->type);
        sb_puts(b, "</td><td class=\"parameter-annotations\">");
        help_info(b, f);
        sb_puts(b, "</td></tr>\n");
    }
    sb_puts(b, "</tbody></table>\n");
}

static void help_samples(sb_t *b, const am_dialect_t *d, unsigned fmts,
                         const am_type_t *t, const am_type_t *alt, int list)
{
    if (fmts & AM_FMT_JSON) {
        json_object *jo = sample_json(b->p, t, alt, list);
        sb_puts(b, "<h4>application/json, text/json</h4>\n"
                "<div class=\"sample-header\">Sample:</div>\n"
                "<pre class=\"wrapped\">");
        sb_esc(b, pretty(b->p, jo));
        json_object_put(jo);
        sb_puts(b, "</pre>\n");
    }
    if (fmts & AM_FMT_XML) {
        sb_puts(b, "<h4>application/xml, text/xml</h4>\n"
                "<div class=\"sample-header\">Sample:</div>\n"
                "<pre class=\"wrapped\">");
        sb_esc(b, sample_xml(b->p, t, alt, list));
        sb_puts(b, "</pre>\n");
    }
    if (!list) {
        int i;
        for (i = 0; am_seed_samples[i].file; i++) {
            const am_seed_sample_t *sd = &am_seed_samples[i];
            if (strcasecmp(sd->type, t->name) || !(fmts & sd->fmt)) {
                continue;
            }
            sb_printf(b, "<h4>%s: the sample of the API's documentation"
                      " page</h4>\n<pre class=\"wrapped\">",
                      sd->fmt == AM_FMT_XML ? "application/xml, text/xml"
                      : "application/json, text/json");
            sb_esc(b, sd->text);
            sb_puts(b, "</pre>\n");
        }
    }
    if (fmts & AM_FMT_FORM) {
        sb_puts(b, "<h4>application/x-www-form-urlencoded</h4>\n"
                "<p>The members above as form fields"
                " (Name=value&amp;...).</p>\n");
    }
}

static const char *param_type_text(const am_param_t *q, am_ftype_e type)
{
    switch (type) {
    case AM_T_INT32:
    case AM_T_INT64:
        return "integer";
    case AM_T_DATETIME:
        return "date";
    case AM_T_XDATETIME:
        return "date (YYYY-MM-DD HH:MM:SS)";
    case AM_T_GUID:
        return "globally unique identifier";
    default:
        return "string";
    }
}

static void help_params(sb_t *b, const am_route_t *r)
{
    apr_array_header_t *pps = path_params(b->p, r->pattern);
    const am_param_t *q;
    int i, n = 0;

    sb_puts(b, "<h3>URI Parameters</h3>\n");
    for (q = r->query; q && q->name; q++) {
        n += q->type != 0;
    }
    if (!pps->nelts && !n) {
        sb_puts(b, "<p>None.</p>\n");
        return;
    }
    sb_puts(b, "<table class=\"help-page-table\"><thead><tr><th>Name</th>"
            "<th>Description</th><th>Type</th><th>Additional information"
            "</th></tr></thead><tbody>\n");
    for (i = 0; i < pps->nelts; i++) {
        const pparam_t *pp = &APR_ARRAY_IDX(pps, i, pparam_t);
        const am_param_t *doc = param_of(r, pp->name);

        sb_puts(b, "<tr><td class=\"parameter-name\">");
        sb_esc(b, pp->name);
        sb_puts(b, "</td><td class=\"parameter-documentation\">");
        sb_esc(b, doc ? doc->doc : NULL);
        sb_printf(b, "</td><td class=\"parameter-type\">%s</td>"
                  "<td class=\"parameter-annotations\">Required%s</td>"
                  "</tr>\n", pp->kind == 2 ? "globally unique identifier"
                  : "integer", pp->kind == 1 ? "<br>Range: 0 or more"
                  : pp->kind == 0 ? "<br>Range: 1 or more" : "");
    }
    for (q = r->query; q && q->name; q++) {
        if (!q->type || is_path_param(pps, q->name)) {
            continue;
        }
        sb_puts(b, "<tr><td class=\"parameter-name\">");
        sb_esc(b, q->name);
        sb_puts(b, "</td><td class=\"parameter-documentation\">");
        sb_esc(b, q->doc);
        if (q->type == AM_T_ARRAY) {
            sb_printf(b, " (%s[0]=..&amp;%s[1]=..)", q->name, q->name);
        }
        sb_puts(b, "</td><td class=\"parameter-type\">");
        if (q->type == AM_T_ARRAY) {
            sb_puts(b, "Collection of ");
            sb_puts(b, param_type_text(NULL, q->elem));
        }
        else {
            sb_puts(b, param_type_text(NULL, q->type));
        }
        sb_puts(b, "</td><td class=\"parameter-annotations\">");
        if (q->min || q->max) {
            sb_printf(b, "%sRange: inclusive between %" APR_INT64_T_FMT
                      " and %" APR_INT64_T_FMT, (q->flags & AM_F_REQUIRED)
                      ? "Required<br>" : "", q->min, q->max);
        }
        else {
            sb_puts(b, (q->flags & AM_F_REQUIRED) ? "Required" : "None.");
        }
        sb_puts(b, "</td></tr>\n");
    }
    sb_puts(b, "</tbody></table>\n");
}

static void help_route(sb_t *b, const reach_t *rc, const am_dialect_t *d,
                       const am_route_t *r)
{
    const char *needs = needs_text(b->p, r);
    unsigned out_fmts = AM_FMT_JSON | (d->body_formats & AM_FMT_XML);

    sb_printf(b, "<section class=\"route\" id=\"%s\">\n<h2>",
              am_describe_route_id(b->p, r));
    sb_esc(b, r->method);
    sb_puts(b, " ");
    sb_esc(b, am_describe_path(b->p, r->pattern) + 1);
    sb_puts(b, "</h2>\n<p>");
    sb_esc(b, r->doc ? r->doc : "");
    sb_puts(b, "</p>\n");
    if (needs) {
        sb_puts(b, "<p class=\"needs\">");
        sb_esc(b, needs);
        sb_puts(b, "</p>\n");
    }
    sb_puts(b, "<h2 class=\"sub\">Request Information</h2>\n");
    help_params(b, r);
    sb_puts(b, "<h3>Body Parameters</h3>\n");
    if (r->in) {
        sb_puts(b, "<p>The ");
        sb_esc(b, r->in->name);
        sb_puts(b, " instance</p>\n<p class=\"type-name\"><a href=\"#");
        sb_puts(b, model_anchor(b->p, type_name(rc, r->in)));
        sb_puts(b, "\">");
        sb_esc(b, type_name(rc, r->in));
        sb_puts(b, "</a></p>\n");
        help_members(b, rc, r->in);
        sb_puts(b, "<h3>Request Formats</h3>\n");
        help_samples(b, d, d->body_formats, r->in, NULL, 0);
    }
    else {
        sb_puts(b, "<p>None.</p>\n");
    }
    sb_puts(b, "<h2 class=\"sub\">Response Information</h2>\n"
            "<h3>Resource Description</h3>\n");
    switch (r->answer) {
    case AM_ANSWER_ONE:
    case AM_ANSWER_LIST:
        sb_printf(b, "<p>Status %d: %s", success_status(r),
                  r->answer == AM_ANSWER_LIST ? "Collection of " : "");
        sb_printf(b, "<a href=\"#%s\">", model_anchor(b->p,
                  type_name(rc, r->out)));
        sb_esc(b, type_name(rc, r->out));
        sb_puts(b, "</a>");
        if (r->out_alt) {
            sb_printf(b, " and <a href=\"#%s\">", model_anchor(b->p,
                      type_name(rc, r->out_alt)));
            sb_esc(b, type_name(rc, r->out_alt));
            sb_puts(b, "</a>");
        }
        sb_puts(b, "</p>\n");
        help_members(b, rc, r->out);
        sb_puts(b, "<h3>Response Formats</h3>\n");
        help_samples(b, d, out_fmts, r->out, r->out_alt,
                     r->answer == AM_ANSWER_LIST);
        if (r->flags & AM_ROUTE_ICAL) {
            sb_puts(b, "<h4>text/calendar</h4>\n<p>The same appointments"
                    " as iCalendar (RFC 5545).</p>\n");
        }
        break;
    case AM_ANSWER_NONE:
        sb_printf(b, "<p>Status %d, no body.</p>\n", success_status(r));
        break;
    case AM_ANSWER_RAW:
        sb_printf(b, "<p>Status %d: %s, with a strong ETag"
                  " (If-None-Match answers 304).</p>\n",
                  success_status(r), r->out_media);
        break;
    default:
        sb_puts(b, "<p>Not described.</p>\n");
        break;
    }
    sb_puts(b, "<p><a href=\"#index\">Back to the index</a></p>\n"
            "</section>\n");
}

static void help_errors(sb_t *b, const am_dialect_t *d)
{
    am_err_t *e = sample_err(b->p, &err_cases[0]);
    apr_size_t len = 0;
    char *s;

    sb_puts(b, "<section id=\"errors\">\n<h2>Errors</h2>\n<p>Every error"
            " comes in this shape, in the negotiated format: bad input is"
            " a 400 that names every bad member, 401 and 403 when"
            " credentials or grants are missing, 404, 405, 406, 412"
            " (If-Match), 413, 415 and 503 (busy database).</p>\n");
    if (!d->error_body) {
        sb_puts(b, "</section>\n");
        return;
    }
    s = d->error_body(b->p, d, e, AM_FMT_JSON, "POST", "appointments",
                      &len);
    if (s) {
        json_object *jo = json_tokener_parse(s);
        sb_puts(b, "<h4>application/json</h4>\n<pre class=\"wrapped\">");
        sb_esc(b, jo ? pretty(b->p, jo) : s);
        json_object_put(jo);
        sb_puts(b, "</pre>\n");
    }
    if (d->body_formats & AM_FMT_XML) {
        s = d->error_body(b->p, d, e, AM_FMT_XML, "POST", "appointments",
                          &len);
        if (s) {
            sb_puts(b, "<h4>application/xml</h4>\n<pre class=\"wrapped\">");
            sb_esc(b, s);
            sb_puts(b, "</pre>\n");
        }
    }
    sb_puts(b, "</section>\n");
}

static void help_models(sb_t *b, const reach_t *rc)
{
    int i, j;

    sb_puts(b, "<section id=\"models\">\n<h2>Resource Models</h2>\n");
    for (i = 0; i < rc->types->nelts; i++) {
        const am_type_t *t = APR_ARRAY_IDX(rc->types, i, const am_type_t *);
        const char *name = type_name(rc, t);

        sb_printf(b, "<div class=\"model\" id=\"%s\">\n<h3>",
                  model_anchor(b->p, name));
        sb_esc(b, name);
        sb_puts(b, "</h3>\n");
        if (t->doc) {
            sb_puts(b, "<p>");
            sb_esc(b, t->doc);
            sb_puts(b, "</p>\n");
        }
        sb_puts(b, "<p class=\"xml-name\">XML: <code>");
        sb_esc(b, t->name);
        sb_puts(b, "</code> in <code>");
        sb_esc(b, t->ns ? t->ns : "(no namespace)");
        sb_puts(b, "</code></p>\n");
        help_members(b, rc, t);
        sb_puts(b, "</div>\n");
    }
    for (i = 0; i < rc->enums->nelts; i++) {
        const am_enum_t *en = APR_ARRAY_IDX(rc->enums, i, const am_enum_t *);
        const am_field_t *f = APR_ARRAY_IDX(rc->enum_first, i,
                                            const am_field_t *);
        const char *name = enum_name(rc, en);

        sb_printf(b, "<div class=\"model\" id=\"%s\">\n<h3>",
                  model_anchor(b->p, name));
        sb_esc(b, name);
        sb_printf(b, "</h3>\n<p>%s: a number in JSON, the name in XML%s."
                  "</p>\n", f->type == AM_T_FLAGS ? "Flags" : "Enumeration",
                  f->type == AM_T_FLAGS ? " (several separated by spaces);"
                  " a value is the sum of its flags" : "");
        sb_puts(b, "<table class=\"help-page-table\"><thead><tr>"
                "<th>Name</th><th>Value</th></tr></thead><tbody>\n");
        for (j = 0; j < en->nitems; j++) {
            sb_puts(b, "<tr><td class=\"enum-name\">");
            sb_esc(b, en->items[j].name);
            sb_printf(b, "</td><td class=\"enum-value\">%d</td></tr>\n",
                      en->items[j].value);
        }
        sb_puts(b, "</tbody></table>\n</div>\n");
    }
    sb_puts(b, "</section>\n");
}

/* The index group of a route: the first segment of its path. */
static const char *route_group(apr_pool_t *p, const am_route_t *r)
{
    char *g, *slash;

    if (r->flags & AM_ROUTE_DESCRIBE) {
        return "Help";
    }
    g = apr_pstrdup(p, r->pattern);
    if ((slash = strchr(g, '/'))) {
        *slash = '\0';
    }
    return g;
}

static const char help_css[] =
    "body{font-family:\"Segoe UI\",Helvetica,Arial,sans-serif;margin:0;"
    "color:#222;background:#fff;line-height:1.4}"
    "header{background:#1a4f7a;color:#fff;padding:1em 2em}"
    "header h1{margin:0;font-weight:400}"
    "main{padding:0 2em 2em 2em;max-width:70em}"
    "h2{font-weight:400;color:#1a4f7a;border-bottom:1px solid #ccc;"
    "margin-top:2em}"
    "h2.sub{font-size:1.2em;border:0;margin-top:1em}"
    "h3{font-weight:600;font-size:1em}"
    "table.help-page-table{border-collapse:collapse;width:100%;"
    "margin-bottom:1em}"
    "table.help-page-table th,table.help-page-table td{border:1px solid"
    " #ddd;padding:.3em .6em;text-align:left;vertical-align:top}"
    "table.help-page-table th{background:#f0f3f6}"
    "td.api-name{font-weight:600;width:50%;overflow-wrap:anywhere}"
    "td.parameter-name{font-weight:600}"
    "pre.wrapped{background:#f6f8fa;border:1px solid #ddd;padding:.6em;"
    "white-space:pre-wrap;word-break:break-all;font-size:.85em}"
    "p.needs{font-style:italic}"
    "a{color:#1a6ba8}";

char *am_describe_help(apr_pool_t *p, const am_dialect_t *d,
                       apr_size_t *len)
{
    reach_t *rc = reach_make(p, d);
    sb_t b;
    const char *title = d->title ? d->title : d->name;
    apr_array_header_t *groups;
    int i, k;

    b.p = p;
    b.a = apr_array_make(p, 65536, 1);
    sb_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
            "<meta charset=\"utf-8\">\n<title>");
    sb_esc(&b, title);
    sb_puts(&b, " - Help</title>\n<style>");
    sb_puts(&b, help_css);
    sb_puts(&b, "</style>\n</head>\n<body>\n<header><h1>");
    sb_esc(&b, title);
    sb_puts(&b, "</h1></header>\n<main>\n<section id=\"introduction\">\n"
            "<h2>Introduction</h2>\n<p>");
    sb_esc(&b, d->doc);
    sb_puts(&b, "</p>\n<p>Paths are relative to the location of this page."
            " Request and answer bodies are JSON (application/json,"
            " text/json)");
    if (d->body_formats & AM_FMT_XML) {
        sb_puts(&b, " or DataContract XML (application/xml, text/xml),"
                " as Accept and Content-Type say");
    }
    sb_puts(&b, ". The machine-readable description of the same routes is"
            " <a href=\"openapi.json\">openapi.json</a>. Both are made"
            " from the tables that serve the requests.</p>\n</section>\n");

    /* The index, by the first segment of the path (ASP.NET's
     * controllers), in the order the tables first name them. */
    sb_puts(&b, "<section id=\"index\">\n");
    groups = apr_array_make(p, 8, sizeof(const char *));
    for (i = 0; i < am_route_count(d); i++) {
        const char *g = route_group(p, effective(p, am_route_at(d, i)));
        int j, seen = 0;

        for (j = 0; j < groups->nelts; j++) {
            seen |= !strcmp(APR_ARRAY_IDX(groups, j, const char *), g);
        }
        if (!seen) {
            APR_ARRAY_PUSH(groups, const char *) = g;
        }
    }
    for (k = 0; k < groups->nelts; k++) {
        const char *group = APR_ARRAY_IDX(groups, k, const char *);

        sb_puts(&b, "<h2>");
        sb_esc(&b, group);
        sb_puts(&b, "</h2>\n<table class=\"help-page-table\"><thead>"
                "<tr><th>API</th><th>Description</th></tr></thead>"
                "<tbody>\n");
        for (i = 0; i < am_route_count(d); i++) {
            const am_route_t *r = effective(p, am_route_at(d, i));

            if (strcmp(route_group(p, r), group)) {
                continue;
            }
            sb_printf(&b, "<tr><td class=\"api-name\"><a href=\"#%s\">",
                      am_describe_route_id(p, r));
            sb_esc(&b, r->method);
            sb_puts(&b, " ");
            sb_esc(&b, am_describe_path(p, r->pattern) + 1);
            sb_puts(&b, "</a></td><td class=\"api-documentation\">");
            sb_esc(&b, r->doc);
            sb_puts(&b, "</td></tr>\n");
        }
        sb_puts(&b, "</tbody></table>\n");
    }
    sb_puts(&b, "</section>\n");

    for (i = 0; i < am_route_count(d); i++) {
        help_route(&b, rc, d, effective(p, am_route_at(d, i)));
    }
    help_errors(&b, d);
    help_models(&b, rc);
    sb_puts(&b, "</main>\n</body>\n</html>\n");
    if (len) {
        *len = (apr_size_t)b.a->nelts;
    }
    *(char *)apr_array_push(b.a) = '\0';
    return b.a->elts;
}
