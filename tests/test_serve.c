/* Licensed under the Apache License, Version 2.0.
 *
 * test_serve.c: the request pipeline (src/serve.c) with a dialect and a
 * server side of its own: negotiation (406 before anything is read), the
 * routing error, the body (415, empty, decoded), the operation, the
 * preconditions (404 -> 412 on changes under If-Match; 304 and 412 on
 * reads) and the encoded answer with ETag, Location and Vary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include "serve.h"
#include "codec.h"

static apr_pool_t *pool;

static const am_field_t thing_fields[] = {
    { .name = "Name", .type = AM_T_STRING },
};
static am_type_t thing = { "Thing", "urn:test", thing_fields, 1, NULL,
                           NULL };

/* What the handlers and the server side saw. */
static int handler_calls, body_reads, discards, stores;
static int handler_status;          /* the status a handler fails with */
static const char *body_text;       /* the request body */

static am_err_t *h_get(am_req_t *rq, am_resp_t *rs)
{
    handler_calls++;
    if (handler_status) {
        return am_err_make(rq->pool, handler_status, "failed: secret");
    }
    rs->obj = am_obj_make(rq->pool, &thing);
    am_obj_set_str(rs->obj, "Name", "one");
    rs->appts = apr_array_make(rq->pool, 1, sizeof(am_appt_t *));
    rs->version = 4;
    return NULL;
}

static am_err_t *h_post(am_req_t *rq, am_resp_t *rs)
{
    handler_calls++;
    if (handler_status) {
        return am_err_make(rq->pool, handler_status, "failed");
    }
    rs->status = 201;
    rs->obj = rq->body;
    rs->location = "Things/7";
    rs->version = 1;
    return NULL;
}

static const am_route_t routes[] = {
    { "GET", "Things/{id}", h_get, "F", "Start", NULL, NULL, AM_ROUTE_ICAL },
    { "GET", "Plain/{id}", h_get, "F", "Start", NULL },
    { "POST", "Things", h_post, "F", "Start", &thing },
    { "DELETE", "Things/{id}", h_post, "F", "Start", NULL },
};

static char *test_error_body(apr_pool_t *p, const am_dialect_t *d,
                             const am_err_t *e, am_fmt_e fmt,
                             const char *method, const char *path,
                             apr_size_t *len)
{
    char *s = apr_psprintf(p, "%s %d %s %s %s",
                           fmt == AM_FMT_XML ? "xml" : "json", e->status,
                           e->message, method, path);

    *len = strlen(s);
    return s;
}

static const am_dialect_t dialect = {
    "test", routes, 4, NULL, "thing", AM_FMT_JSON | AM_FMT_XML,
    test_error_body
};

static am_err_t *io_read(void *ctx, apr_off_t max, char **buf,
                         apr_size_t *len)
{
    body_reads++;
    if ((apr_off_t)strlen(body_text) > max) {
        return am_err_make(pool, 413, "too large");
    }
    *buf = apr_pstrdup(pool, body_text);
    *len = strlen(body_text);
    return NULL;
}

static am_err_t *io_discard(void *ctx)
{
    discards++;
    return NULL;
}

static am_err_t *io_store(void *ctx, am_store_t *s)
{
    stores++;
    s->pool = pool;
    return NULL;
}

static const am_io_t io = { NULL, io_read, io_discard, io_store };

/* Serves method path with the headers in (accept, content type, ...). */
static am_resp_t *serve(const char *method, const char *path, am_in_t *in)
{
    am_req_t *rq = apr_pcalloc(pool, sizeof(*rq));
    am_resp_t *rs = apr_pcalloc(pool, sizeof(*rs));

    handler_calls = body_reads = discards = stores = 0;
    rq->pool = pool;
    rq->dialect = &dialect;
    rq->method = method;
    rq->path = path;
    rq->base_url = "https://example.org/api";
    rq->params = apr_table_make(pool, 2);
    rq->tz = am_tz_get("UTC");
    in->uri = apr_pstrcat(pool, "/api/", path, NULL);
    in->io = &io;
    in->route_err = am_route_match(pool, &dialect, method, path, &rq->route,
                                   rq->params);
    am_serve(rq, in, rs);
    return rs;
}

static void test_read(void **state)
{
    am_in_t in;
    am_resp_t *rs;

    memset(&in, 0, sizeof(in));
    rs = serve("GET", "Things/1", &in);
    assert_int_equal(rs->status, 200);
    assert_int_equal(handler_calls, 1);
    assert_int_equal(discards, 1);
    assert_int_equal(stores, 1);
    assert_string_equal(rs->body, "{\"Name\":\"one\"}");
    assert_string_equal(rs->ctype, "application/json; charset=utf-8");
    assert_string_equal(apr_table_get(rs->headers, "ETag"), "\"v4-json\"");
    assert_string_equal(apr_table_get(rs->headers, "Vary"), "Accept");
    assert_null(rs->err);

    /* the client's own name of the type */
    in.accept = "text/json";
    rs = serve("GET", "Things/1", &in);
    assert_string_equal(rs->ctype, "text/json; charset=utf-8");
}

/* Nothing acceptable: 406 before the body is read or the store opened;
 * text/calendar only where the route has that form. */
static void test_not_acceptable(void **state)
{
    am_in_t in;
    am_resp_t *rs;

    memset(&in, 0, sizeof(in));
    in.accept = "text/html";
    rs = serve("GET", "Things/1", &in);
    assert_int_equal(rs->status, 406);
    assert_int_equal(handler_calls + discards + stores, 0);
    assert_string_equal(rs->ctype, "application/json; charset=utf-8");

    in.accept = "text/calendar";
    rs = serve("GET", "Plain/1", &in);
    assert_int_equal(rs->status, 406);
    assert_int_equal(handler_calls + discards + stores, 0);
    rs = serve("GET", "Things/1", &in);
    assert_int_equal(rs->status, 200);
    assert_string_equal(rs->ctype, "text/calendar; charset=utf-8");
    assert_string_equal(apr_table_get(rs->headers, "ETag"), "\"v4-ics\"");
    /* a write has no calendar form */
    in.content_type = "application/json";
    body_text = "{\"Name\":\"x\"}";
    rs = serve("POST", "Things", &in);
    assert_int_equal(rs->status, 406);
    assert_int_equal(handler_calls + body_reads, 0);
}

/* The routing error wins over Accept, in the format asked for. */
static void test_route_error(void **state)
{
    am_in_t in;
    am_resp_t *rs;

    memset(&in, 0, sizeof(in));
    in.accept = "application/xml";
    rs = serve("PUT", "Things/1", &in);
    assert_int_equal(rs->status, 405);
    assert_non_null(apr_table_get(rs->headers, "Allow"));
    assert_int_equal(strncmp(rs->body, "xml 405", 7), 0);
    assert_string_equal(rs->ctype, "application/xml; charset=utf-8");
    rs = serve("GET", "Nothing", &in);
    assert_int_equal(rs->status, 404);
    assert_int_equal(handler_calls + discards + stores, 0);
}

/* OPTIONS: 204 with Allow (the path's methods and OPTIONS), no body, no
 * handler, no store; a path of no route stays 404. */
static void test_options(void **state)
{
    am_in_t in;
    am_resp_t *rs;

    memset(&in, 0, sizeof(in));
    rs = serve("OPTIONS", "Things/1", &in);
    assert_int_equal(rs->status, 204);
    assert_non_null(strstr(apr_table_get(rs->headers, "Allow"), "GET"));
    assert_non_null(strstr(apr_table_get(rs->headers, "Allow"), "OPTIONS"));
    assert_null(rs->body);
    assert_null(rs->err);
    assert_int_equal(handler_calls + stores, 0);
    rs = serve("OPTIONS", "Nothing", &in);
    assert_int_equal(rs->status, 404);
}

static void test_body(void **state)
{
    am_in_t in;
    am_resp_t *rs;

    memset(&in, 0, sizeof(in));
    body_text = "{\"Name\":\"new\"}";
    rs = serve("POST", "Things", &in);
    assert_int_equal(rs->status, 415);
    assert_int_equal(body_reads, 0);

    in.content_type = "application/json; charset=utf-8";
    rs = serve("POST", "Things", &in);
    assert_int_equal(rs->status, 201);
    assert_int_equal(body_reads, 1);
    assert_string_equal(rs->body, "{\"Name\":\"new\"}");
    assert_string_equal(apr_table_get(rs->headers, "Location"),
                        "https://example.org/api/Things/7");
    assert_string_equal(apr_table_get(rs->headers, "ETag"), "\"v1-json\"");

    body_text = "";
    rs = serve("POST", "Things", &in);
    assert_int_equal(rs->status, 400);
    assert_int_equal(rs->err->why, AM_WHY_EMPTY_BODY);
    assert_int_equal(handler_calls, 0);

    body_text = "{\"Name\":[1]}";
    rs = serve("POST", "Things", &in);
    assert_int_equal(rs->status, 400);
    assert_true(am_err_has_fields(rs->err));
    assert_int_equal(handler_calls + stores, 0);

    in.max_body = 4;
    body_text = "{\"Name\":\"new\"}";
    rs = serve("POST", "Things", &in);
    assert_int_equal(rs->status, 413);
}

/* A change that found nothing under If-Match: 412; a read's
 * preconditions: 412 and 304. */
static void test_conditions(void **state)
{
    am_in_t in;
    am_resp_t *rs;

    memset(&in, 0, sizeof(in));
    handler_status = 404;
    rs = serve("DELETE", "Things/1", &in);
    assert_int_equal(rs->status, 404);
    in.if_match = "*";
    rs = serve("DELETE", "Things/1", &in);
    assert_int_equal(rs->status, 412);
    /* a read of something missing stays a 404 */
    rs = serve("GET", "Things/1", &in);
    assert_int_equal(rs->status, 404);
    handler_status = 0;

    in.if_match = "\"v3-json\"";
    rs = serve("GET", "Things/1", &in);
    assert_int_equal(rs->status, 412);
    in.if_match = "\"v4-xml\"";
    rs = serve("GET", "Things/1", &in);
    assert_int_equal(rs->status, 200);
    in.if_none_match = "\"v4-json\"";
    rs = serve("HEAD", "Things/1", &in);
    assert_int_equal(rs->status, 304);
    assert_null(rs->body);
    assert_string_equal(apr_table_get(rs->headers, "ETag"), "\"v4-json\"");
    assert_string_equal(apr_table_get(rs->headers, "Vary"), "Accept");
    /* another representation's tag */
    in.accept = "application/xml";
    rs = serve("GET", "Things/1", &in);
    assert_int_equal(rs->status, 200);
}

/* A 5xx says no more than that; the log gets the detail. */
static void test_server_error(void **state)
{
    am_in_t in;
    am_resp_t *rs;

    memset(&in, 0, sizeof(in));
    handler_status = 500;
    rs = serve("GET", "Things/1", &in);
    handler_status = 0;
    assert_int_equal(rs->status, 500);
    assert_null(strstr(rs->body, "secret"));
    assert_string_equal(rs->detail, "failed: secret");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_not_acceptable),
        cmocka_unit_test(test_route_error),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_body),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_server_error),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    am_type_init(pool, &thing);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
