/* Licensed under the Apache License, Version 2.0.
 *
 * test_describe.c: the descriptions walk the tables.  Every route of
 * every dialect (and the shared ones) is one operation of its OpenAPI
 * document and nothing else is; types, required, nullable, read-only,
 * enums and XML names come from the field tables; login routes make
 * security schemes; the samples are counted as ASP.NET's help pages
 * count them (seed 000 is such a sample); the Help page has a section
 * per route.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <json.h>
#include <apr_general.h>
#include "codec.h"
#include "describe.h"
#include "route.h"

static apr_pool_t *pool;

static json_object *openapi_of(const am_dialect_t *d)
{
    apr_size_t len = 0;
    char *s = am_describe_openapi(pool, d, &len);
    json_object *jo;

    assert_non_null(s);
    jo = json_tokener_parse(s);
    assert_non_null(jo);
    return jo;
}

static json_object *get(json_object *o, const char *path)
{
    char *p = apr_pstrdup(pool, path), *last = NULL, *k;

    for (k = apr_strtok(p, "/", &last); k && o;
         k = apr_strtok(NULL, "/", &last)) {
        json_object *n = NULL;
        if (!json_object_object_get_ex(o, k, &n)) {
            return NULL;
        }
        o = n;
    }
    return o;
}

static void test_routes_are_operations(void **state)
{
    const am_dialect_t *const *all = am_dialect_all();
    int i, j;

    for (i = 0; all[i]; i++) {
        const am_dialect_t *d = all[i];
        json_object *doc = openapi_of(d), *paths = get(doc, "paths");
        int nops = 0;

        assert_non_null(paths);
        for (j = 0; j < am_route_count(d); j++) {
            const am_route_t *r = am_route_at(d, j);
            char *m = apr_pstrdup(pool, r->method), *c;
            json_object *item = NULL, *op = NULL;

            for (c = m; *c; c++) {
                *c = (char)(*c - 'A' + 'a');
            }
            assert_true(json_object_object_get_ex(paths,
                am_describe_path(pool, r->pattern), &item));
            assert_true(json_object_object_get_ex(item, m, &op));
            assert_string_equal(json_object_get_string(get(op,
                                "operationId")),
                                am_describe_route_id(pool, r));
        }
        {
            json_object_object_foreach(paths, k, v) {
                (void)k;
                nops += json_object_object_length(v);
            }
        }
        assert_int_equal(nops, am_route_count(d));
        assert_int_equal(am_route_count(d), d->nroutes + 2);
        json_object_put(doc);
    }
}

static void test_schemas_from_tables(void **state)
{
    json_object *doc = openapi_of(am_dialect_find("plancare2"));
    json_object *occ = get(doc, "components/schemas/OccurrenceAppointment");
    json_object *req, *x;
    int found = 0;
    size_t i;

    assert_non_null(occ);
    assert_string_equal(json_object_get_string(get(occ, "xml/name")),
                        "OccurrenceAppointment");
    assert_string_equal(json_object_get_string(get(occ, "xml/namespace")),
        "http://schemas.datacontract.org/2004/07/"
        "DHS.PlanCare.Web.Api.Interface.Calendar");
    req = get(occ, "required");
    for (i = 0; req && i < json_object_array_length(req); i++) {
        found += !strcmp(json_object_get_string(
                         json_object_array_get_idx(req, i)), "ParentId");
    }
    assert_int_equal(found, 1);
    /* Id: REQUIRED | NONNULL -> not nullable; Location: nullable. */
    assert_null(get(occ, "properties/Id/nullable"));
    assert_true(json_object_get_boolean(get(occ,
                "properties/Location/nullable")));
    assert_true(json_object_get_boolean(get(occ,
                "properties/Reason/readOnly")));
    assert_string_equal(json_object_get_string(get(occ,
                        "properties/Start/format")), "date-time");
    /* The enum, by its name, with its values. */
    x = get(doc, "components/schemas/OccurrenceType/enum");
    assert_non_null(x);
    assert_int_equal(json_object_array_length(x), 3);
    assert_int_equal(json_object_get_int(json_object_array_get_idx(x, 2)),
                     2);
    /* A member in another namespace says so (TeamAppointment base). */
    assert_string_equal(json_object_get_string(get(doc,
        "components/schemas/TeamAppointment/properties/Start/xml/"
        "namespace")), "http://schemas.datacontract.org/2004/07/"
        "DHS.PlanCare.Web.Api.Interface.Calendar");
    /* Collections: the item element's name and namespace. */
    assert_string_equal(json_object_get_string(get(doc,
        "components/schemas/TeamAppointment/properties/ClientIds/items/"
        "xml/name")), "long");
    /* The seed samples are examples of their type, verbatim. */
    {
        json_object *item = NULL, *ex;
        assert_true(json_object_object_get_ex(get(doc, "paths"),
            "/ClientAppointments/OccurrenceAppointments", &item));
        ex = get(item, "post/requestBody/content/application~json");
        assert_null(ex);    /* '/' in media types: walk by hand */
        ex = get(item, "post/requestBody/content");
        assert_true(json_object_object_get_ex(ex, "application/json", &ex));
        assert_non_null(get(ex, "examples/generated/value"));
        assert_string_equal(json_object_get_string(get(ex,
            "examples/seed000_OccurrenceAppointment/value/Title")),
            "sample string 4");
        ex = get(item, "post/requestBody/content");
        assert_true(json_object_object_get_ex(ex, "application/xml", &ex));
        assert_non_null(strstr(json_object_get_string(get(ex,
            "examples/seed000_OccurrenceAppointment/value")),
            "<OccurrenceAppointment xmlns:i="));
    }
    /* The error shape is the dialect's own (ASP.NET HttpError). */
    assert_non_null(get(doc, "components/schemas/Error/properties/"
                             "ModelState"));
    json_object_put(doc);

    doc = openapi_of(am_dialect_find("xelion"));
    assert_non_null(get(doc, "components/schemas/Error/properties/"
                             "errorCode"));
    /* Two tables named XCCAppointment keep two schemas. */
    assert_non_null(get(doc, "components/schemas/XCCAppointment"));
    assert_non_null(get(doc, "components/schemas/XCCAppointment_2"));
    json_object_put(doc);
}

/* A dialect with login routes, as the login routes of the real dialects
 * are rows like these. */
static am_err_t *h_none(am_req_t *rq, am_resp_t *rs)
{
    return NULL;
}

static const am_route_t login_routes[] = {
    { "POST", "token", h_none, NULL, NULL, NULL, NULL,
      .doc = "Logs in.", .answer = AM_ANSWER_NONE, .login = "Bearer" },
    { "POST", "me/login", h_none, NULL, NULL, NULL, NULL,
      .doc = "Logs in.", .answer = AM_ANSWER_NONE, .login = "xelion" },
    { "GET", "things/{id}", h_none, "ClientGroupCalendar", "Start", NULL,
      NULL, .doc = "A thing." },
    { "POST", "token/revoke", h_none, NULL, NULL, NULL, NULL,
      .doc = "Ends a session." },
};

static const am_dialect_t login_dialect = {
    "logintest", login_routes, 4, NULL, "model", AM_FMT_JSON, NULL,
    .title = "Login test"
};

static void test_login_schemes(void **state)
{
    json_object *doc = openapi_of(&login_dialect);
    json_object *sec = get(doc, "security");

    assert_string_equal(json_object_get_string(get(doc,
        "components/securitySchemes/basic/scheme")), "basic");
    assert_string_equal(json_object_get_string(get(doc,
        "components/securitySchemes/token/flows/password/tokenUrl")),
        "token");
    assert_string_equal(json_object_get_string(get(doc,
        "components/securitySchemes/xelion-session/name")),
        "Authorization");
    assert_int_equal(json_object_array_length(sec), 3);
    /* The login route itself needs nothing; the others do. */
    {
        json_object *item = NULL;
        assert_true(json_object_object_get_ex(get(doc, "paths"), "/token",
                                              &item));
        assert_non_null(get(item, "post/security"));
        assert_int_equal(json_object_array_length(get(item,
                         "post/security")), 0);
        assert_true(json_object_object_get_ex(get(doc, "paths"),
                                              "/things/{id}", &item));
        assert_null(get(item, "get/security"));
        /* A route that names no function needs no credentials either. */
        assert_true(json_object_object_get_ex(get(doc, "paths"),
                                              "/token/revoke", &item));
        assert_int_equal(json_object_array_length(get(item,
                         "post/security")), 0);
        assert_null(get(item, "post/responses/401"));
    }
    json_object_put(doc);
}

/* The sample of OccurrenceAppointment is seed 000's sample: the same
 * members with the same numbers (dates aside). */
static void test_sample_is_seed(void **state)
{
    const am_type_t *t = NULL;
    const am_dialect_t *d = am_dialect_find("plancare2");
    FILE *f = fopen("../t/data/seed000_OccurrenceAppointment.json", "rb");
    char buf[8192];
    size_t n;
    apr_size_t len = 0;
    json_object *seed, *ours;
    int i;

    for (i = 0; i < d->nroutes; i++) {
        if (d->routes[i].in
            && !strcmp(d->routes[i].in->name, "OccurrenceAppointment")) {
            t = d->routes[i].in;
        }
    }
    assert_non_null(t);
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    seed = json_tokener_parse(buf);
    ours = json_tokener_parse(am_json_encode(pool, am_describe_sample(pool,
                              t), am_tz_get("UTC"), &len));
    assert_non_null(seed);
    assert_non_null(ours);
    {
        json_object_object_foreach(seed, k, v) {
            json_object *o = NULL;
            if (!strcmp(k, "Start") || !strcmp(k, "End")) {
                continue;
            }
            assert_true(json_object_object_get_ex(ours, k, &o));
            assert_string_equal(json_object_to_json_string(o),
                                json_object_to_json_string(v));
        }
    }
    json_object_put(seed);
    json_object_put(ours);
}

static void test_help(void **state)
{
    const am_dialect_t *d = am_dialect_find("patient");
    apr_size_t len = 0;
    char *h = am_describe_help(pool, d, &len);
    int i;

    assert_int_equal(strlen(h), len);
    assert_non_null(strstr(h, "<!DOCTYPE html>"));
    for (i = 0; i < am_route_count(d); i++) {
        const am_route_t *r = am_route_at(d, i);
        assert_non_null(strstr(h, apr_psprintf(pool, "<section class=\""
            "route\" id=\"%s\">", am_describe_route_id(pool, r))));
    }
    /* Members with their additional information. */
    assert_non_null(strstr(h, "String length: inclusive between 0 and"
                              " 250"));
    assert_null(strstr(h, "http://"
                          "cdn"));
    assert_null(strstr(h, "<script"));
}

static void test_built_once(void **state)
{
    const am_dialect_t *d = am_dialect_find("xelion");
    apr_size_t l1 = 0, l2 = 0;
    const char *e1 = NULL, *e2 = NULL;
    const char *a = am_describe_get(d, AM_DESCRIBE_OPENAPI, &l1, &e1);
    const char *b = am_describe_get(d, AM_DESCRIBE_HELP, &l2, &e2);

    assert_non_null(a);
    assert_non_null(b);
    assert_string_not_equal(e1, e2);
    assert_int_equal(e1[0], '"');
    /* The same tables give the same bytes. */
    assert_memory_equal(a, am_describe_openapi(pool, d, &l2), l1);
    assert_null(am_describe_get(&login_dialect, 0, &l1, &e1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_are_operations),
        cmocka_unit_test(test_schemas_from_tables),
        cmocka_unit_test(test_login_schemes),
        cmocka_unit_test(test_sample_is_seed),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_built_once),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    am_codec_init();
    am_dialects_init(pool);
    am_describe_init(pool);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
