/* Licensed under the Apache License, Version 2.0.
 *
 * test_cond.c: conditional requests (src/cond.c): our ETags, If-Match
 * and If-None-Match parsed and evaluated (RFC 9110, 13), and the 304 /
 * 412 decisions of a read and of a change that found nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include "cond.h"

static apr_pool_t *pool;

static void test_etag(void **state)
{
    assert_string_equal(am_etag_make(pool, 12, AM_FMT_JSON), "\"v12-json\"");
    assert_string_equal(am_etag_make(pool, 12, AM_FMT_XML), "\"v12-xml\"");
    assert_string_equal(am_etag_make(pool, 7, AM_FMT_ICAL), "\"v7-ics\"");

    assert_int_equal(am_etag_version("v12-json", 8), 12);
    assert_int_equal(am_etag_version("v12-xml", 7), 12);
    assert_int_equal(am_etag_version("v3-ics", 6), 3);
    /* only our forms name a version */
    assert_int_equal(am_etag_version("v12-yaml", 8), 0);
    assert_int_equal(am_etag_version("v012-json", 9), 0);
    assert_int_equal(am_etag_version("v0-json", 7), 0);
    assert_int_equal(am_etag_version("12-json", 7), 0);
    assert_int_equal(am_etag_version("v12", 3), 0);
    assert_int_equal(am_etag_version("v", 1), 0);
    /* the length counts, not the NUL */
    assert_int_equal(am_etag_version("v12-jsonX", 8), 12);
    /* no overflow */
    assert_int_equal(am_etag_version("v99999999999999999999-json", 26), 0);
    assert_int_equal(am_etag_version("v922337203685477580-json", 24),
                     APR_INT64_C(922337203685477580));
}

/* The suffixes of httpd's compressing filters (mod_deflate "-gzip",
 * mod_brotli "-br"): the suffixed tag names the same version. */
static void test_etag_filter_suffix(void **state)
{
    const am_ifmatch_t *c;

    assert_int_equal(am_etag_unsuffixed("v3-xml-gzip", 11), 6);
    assert_int_equal(am_etag_unsuffixed("v3-json-br", 10), 7);
    assert_int_equal(am_etag_unsuffixed("v3-json", 7), 7);
    assert_int_equal(am_etag_unsuffixed("-gzip", 5), 5);
    assert_int_equal(am_etag_version("v3-xml-gzip", 11), 3);
    assert_int_equal(am_etag_version("v3-json-br", 10), 3);
    assert_int_equal(am_etag_version("v3-ics-gzip", 11), 3);
    /* one suffix, after one of our forms */
    assert_int_equal(am_etag_version("v3-xml-gzip-gzip", 16), 0);
    assert_int_equal(am_etag_version("v3-gzip", 7), 0);
    assert_int_equal(am_etag_version("abc-gzip", 8), 0);
    assert_int_equal(am_etag_version("v3-xml-deflate", 14), 0);

    c = am_cond_if_match(pool, "\"v3-xml-gzip\"");
    assert_true(am_ifmatch_met(c, 3));
    assert_false(am_ifmatch_met(c, 4));
    c = am_cond_if_match(pool, "W/\"v3-xml-gzip\"");
    assert_false(am_ifmatch_met(c, 3));

    assert_true(am_cond_none_match(pool, "\"v3-xml-gzip\"", "\"v3-xml\""));
    assert_true(am_cond_none_match(pool, "W/\"v3-json-br\"",
                                   "\"v3-json\""));
    assert_false(am_cond_none_match(pool, "\"v3-xml-gzip\"",
                                    "\"v3-json\""));
    assert_false(am_cond_none_match(pool, "\"v2-xml-gzip\"", "\"v3-xml\""));
    assert_int_equal(am_cond_read(pool, NULL, "\"v3-xml-gzip\"", 3,
                                  "\"v3-xml\""), 304);
}

static void test_if_match_parse(void **state)
{
    const am_ifmatch_t *c;

    assert_null(am_cond_if_match(pool, NULL));

    c = am_cond_if_match(pool, "*");
    assert_true(c->any);
    c = am_cond_if_match(pool, "  * ");
    assert_true(c->any);

    c = am_cond_if_match(pool, "\"v3-json\"");
    assert_false(c->any);
    assert_int_equal(c->nversions, 1);
    assert_int_equal(c->versions[0], 3);

    /* a list, with empty elements; any format's tag; W/ never matches;
     * foreign tags name nothing */
    c = am_cond_if_match(pool, " , \"v3-xml\",W/\"v4-json\" ,\"abc\","
                         "\"v5-ics\",");
    assert_false(c->any);
    assert_int_equal(c->nversions, 2);
    assert_int_equal(c->versions[0], 3);
    assert_int_equal(c->versions[1], 5);

    /* malformed: a precondition that is never met */
    c = am_cond_if_match(pool, "v3-json");
    assert_non_null(c);
    assert_false(c->any);
    assert_int_equal(c->nversions, 0);
    c = am_cond_if_match(pool, "*, \"v3-json\"");
    assert_false(c->any);
    assert_int_equal(c->nversions, 0);
    c = am_cond_if_match(pool, "\"v3-json\" x");
    assert_int_equal(c->nversions, 0);
    c = am_cond_if_match(pool, "\"v3-json");
    assert_int_equal(c->nversions, 0);
    c = am_cond_if_match(pool, "");
    assert_int_equal(c->nversions, 0);
    assert_false(c->any);
}

static void test_if_match_met(void **state)
{
    assert_true(am_ifmatch_met(NULL, 0));
    assert_true(am_ifmatch_met(NULL, 9));
    assert_true(am_ifmatch_met(am_cond_if_match(pool, "*"), 9));
    assert_false(am_ifmatch_met(am_cond_if_match(pool, "*"), 0));
    assert_true(am_ifmatch_met(am_cond_if_match(pool, "\"v8-json\", "
                                                "\"v9-xml\""), 9));
    assert_false(am_ifmatch_met(am_cond_if_match(pool, "\"v8-json\""), 9));
    assert_false(am_ifmatch_met(am_cond_if_match(pool, "W/\"v9-json\""),
                                9));
    assert_false(am_ifmatch_met(am_cond_if_match(pool, "junk"), 9));
}

static void test_if_none_match(void **state)
{
    const char *etag = "\"v4-json\"";

    assert_false(am_cond_none_match(pool, NULL, etag));
    assert_true(am_cond_none_match(pool, "*", etag));
    assert_true(am_cond_none_match(pool, "\"v4-json\"", etag));
    /* weak comparison */
    assert_true(am_cond_none_match(pool, "W/\"v4-json\"", etag));
    assert_true(am_cond_none_match(pool, "\"x\", \"v4-json\"", etag));
    /* another format's tag is another representation */
    assert_false(am_cond_none_match(pool, "\"v4-xml\"", etag));
    assert_false(am_cond_none_match(pool, "\"v3-json\"", etag));
    assert_false(am_cond_none_match(pool, "\"v4-jso\"", etag));
    /* malformed: ignored */
    assert_false(am_cond_none_match(pool, "v4-json", etag));
    assert_false(am_cond_none_match(pool, "\"v4-json\", *", etag));
}

/* A read: If-Match first (412), then If-None-Match (304). */
static void test_read(void **state)
{
    const char *etag = am_etag_make(pool, 4, AM_FMT_XML);

    assert_int_equal(am_cond_read(pool, NULL, NULL, 4, etag), 0);
    assert_int_equal(am_cond_read(pool, am_cond_if_match(pool, "\"v4-json\""),
                                  NULL, 4, etag), 0);
    assert_int_equal(am_cond_read(pool, am_cond_if_match(pool, "\"v3-json\""),
                                  NULL, 4, etag), 412);
    assert_int_equal(am_cond_read(pool, NULL, "\"v4-xml\"", 4, etag), 304);
    assert_int_equal(am_cond_read(pool, NULL, "\"v4-json\"", 4, etag), 0);
    assert_int_equal(am_cond_read(pool, NULL, "*", 4, etag), 304);
    /* If-Match fails first, whatever If-None-Match says */
    assert_int_equal(am_cond_read(pool, am_cond_if_match(pool, "\"v3-xml\""),
                                  "\"v4-xml\"", 4, etag), 412);
    assert_int_equal(am_cond_read(pool, am_cond_if_match(pool, "*"),
                                  "\"v4-xml\"", 4, etag), 304);
}

/* A change that found nothing under If-Match: the precondition fails. */
static void test_missing(void **state)
{
    assert_int_equal(am_cond_missing(NULL, 404), 404);
    assert_int_equal(am_cond_missing(am_cond_if_match(pool, "*"), 404), 412);
    assert_int_equal(am_cond_missing(am_cond_if_match(pool, "\"v1-json\""),
                                     404), 412);
    assert_int_equal(am_cond_missing(am_cond_if_match(pool, "*"), 400), 400);
    assert_int_equal(am_cond_missing(am_cond_if_match(pool, "*"), 409), 409);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etag),
        cmocka_unit_test(test_etag_filter_suffix),
        cmocka_unit_test(test_if_match_parse),
        cmocka_unit_test(test_if_match_met),
        cmocka_unit_test(test_if_none_match),
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_missing),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
