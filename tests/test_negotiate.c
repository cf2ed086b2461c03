/* Licensed under the Apache License, Version 2.0.
 *
 * test_negotiate.c: cmocka tests of Accept and Content-Type handling
 * (src/negotiate.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "negotiate.h"

#define JX   (AM_FMT_JSON | AM_FMT_XML)
#define JXI  (AM_FMT_JSON | AM_FMT_XML | AM_FMT_ICAL)
#define JXF  (AM_FMT_JSON | AM_FMT_XML | AM_FMT_FORM)

typedef struct accept_case {
    const char *accept;
    unsigned allowed;
    am_fmt_e fmt;
    const char *ctype;      /* NULL when fmt is AM_FMT_NONE */
} accept_case_t;

static const accept_case_t accept_cases[] = {
    /* no preference */
    { NULL, JX, AM_FMT_JSON, "application/json" },
    { "", JX, AM_FMT_JSON, "application/json" },
    { "   ", JX, AM_FMT_JSON, "application/json" },
    { "*/*", JX, AM_FMT_JSON, "application/json" },
    { "*/*", AM_FMT_XML, AM_FMT_XML, "application/xml" },
    { NULL, AM_FMT_XML, AM_FMT_XML, "application/xml" },
    { "*/*", AM_FMT_NONE, AM_FMT_NONE, NULL },
    /* single types */
    { "application/json", JX, AM_FMT_JSON, "application/json" },
    { "application/xml", JX, AM_FMT_XML, "application/xml" },
    { "text/xml", JX, AM_FMT_XML, "text/xml" },
    { "text/json", JX, AM_FMT_JSON, "text/json" },
    { "APPLICATION/XML", JX, AM_FMT_XML, "application/xml" },
    { "Text/Xml", JX, AM_FMT_XML, "text/xml" },
    { "application/json; charset=utf-8", JX, AM_FMT_JSON,
      "application/json" },
    { "text/html", JX, AM_FMT_NONE, NULL },
    { "application/json", AM_FMT_XML, AM_FMT_NONE, NULL },
    { "application/problem+json", JX, AM_FMT_NONE, NULL },
    /* q-values */
    { "application/xml;q=0.9, application/json;q=0.8", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q=0.8, application/xml;q=0.9", JX, AM_FMT_XML,
      "application/xml" },
    { "application/xml, application/json", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json, application/xml", JX, AM_FMT_JSON,
      "application/json" },
    { "text/xml, application/json", JX, AM_FMT_XML, "text/xml" },
    { "application/json;q=0", JX, AM_FMT_NONE, NULL },
    { "application/json;q=0.000", JX, AM_FMT_NONE, NULL },
    { "application/json;q=1.000", JX, AM_FMT_JSON, "application/json" },
    { "application/json;q=0.", JX, AM_FMT_NONE, NULL },
    { "application/json;q=1.", JX, AM_FMT_JSON, "application/json" },
    { "application/json;level=1;q=0.2, application/xml;q=0.3", JX,
      AM_FMT_XML, "application/xml" },
    { "application/json;q=0.3;ext=1, application/xml;q=0.2", JX,
      AM_FMT_JSON, "application/json" },
    { "application/json;Q=0.1, application/xml;q=0.2", JX, AM_FMT_XML,
      "application/xml" },
    /* wildcards */
    { "*/*;q=0.1", JX, AM_FMT_JSON, "application/json" },
    { "application/*", JX, AM_FMT_JSON, "application/json" },
    { "text/*", JX, AM_FMT_JSON, "text/json" },
    { "text/*;q=0.5, application/xml;q=0.4", JX, AM_FMT_JSON, "text/json" },
    { "text/html, */*;q=0.1", JX, AM_FMT_JSON, "application/json" },
    { "application/json;q=0, */*", JX, AM_FMT_XML, "application/xml" },
    { "application/*, application/xml;q=0", JX, AM_FMT_JSON,
      "application/json" },
    { "application/*;q=0.2, application/xml", JX, AM_FMT_XML,
      "application/xml" },
    { "*/*, application/xml", JX, AM_FMT_XML, "application/xml" },
    { "application/*, text/xml", JX, AM_FMT_XML, "text/xml" },
    { "*/*;q=0", JX, AM_FMT_NONE, NULL },
    { "*/json", JX, AM_FMT_NONE, NULL },
    { "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      JX, AM_FMT_XML, "application/xml" },
    /* whitespace and empty list elements */
    { "  application/xml ;  q=0.5 , application/json ; q=0.4 ", JX,
      AM_FMT_XML, "application/xml" },
    { "application/xml;q = 0.5, application/json;q=0.4", JX, AM_FMT_XML,
      "application/xml" },
    { "\tapplication/xml\t,\tapplication/json", JX, AM_FMT_XML,
      "application/xml" },
    { ", ,application/xml,,", JX, AM_FMT_XML, "application/xml" },
    /* malformed entries are skipped */
    { "application/json;q=abc, application/xml", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q=1.5, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q=0.1234, text/xml", JX, AM_FMT_XML, "text/xml" },
    { "application/json;q=1.001, application/xml", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q=.5, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q=-1, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q=\"0.5\", application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;q=, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application /json, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application/, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "/json, application/xml;q=0.1", JX, AM_FMT_XML, "application/xml" },
    { "application/json junk, application/xml;q=0.1", JX, AM_FMT_XML,
      "application/xml" },
    { "application/json;charset=\"a, b\";q=0.1, application/xml;q=0.2", JX,
      AM_FMT_XML, "application/xml" },
    { "application/json;q=0.9;x=\"unterminated, application/xml", JX,
      AM_FMT_JSON, "application/json" },
    { "garbage", JX, AM_FMT_JSON, "application/json" },
    { ";;;", JX, AM_FMT_JSON, "application/json" },
    /* iCalendar */
    { "text/calendar", JX, AM_FMT_NONE, NULL },
    { "text/calendar", JXI, AM_FMT_ICAL, "text/calendar" },
    { "text/calendar, application/json", JXI, AM_FMT_ICAL,
      "text/calendar" },
    { "text/calendar;q=0.5, application/json", JXI, AM_FMT_JSON,
      "application/json" },
    { "*/*", JXI, AM_FMT_JSON, "application/json" },
    { "text/*, text/json;q=0, text/xml;q=0", JXI, AM_FMT_ICAL,
      "text/calendar" },
};

static void test_accept_table(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof(accept_cases) / sizeof(accept_cases[0]); i++) {
        const accept_case_t *tc = &accept_cases[i];
        const char *ctype = "unset";
        char *copy = NULL;
        am_fmt_e fmt;

        /* An exactly sized copy, so that valgrind sees any over-read. */
        if (tc->accept) {
            copy = malloc(strlen(tc->accept) + 1);
            assert_non_null(copy);
            strcpy(copy, tc->accept);
        }
        fmt = am_negotiate_accept(copy, tc->allowed, &ctype);
        if (fmt != tc->fmt
            || (tc->ctype == NULL ? ctype != NULL
                : (ctype == NULL || strcmp(ctype, tc->ctype) != 0))) {
            print_error("accept case %zu \"%s\" (allowed %u): got %d %s, "
                        "expected %d %s\n", i,
                        tc->accept ? tc->accept : "(null)", tc->allowed,
                        (int)fmt, ctype ? ctype : "(null)", (int)tc->fmt,
                        tc->ctype ? tc->ctype : "(null)");
            failures++;
        }
        free(copy);
    }
    assert_int_equal(failures, 0);
    assert_true(sizeof(accept_cases) / sizeof(accept_cases[0]) >= 20);
}

static void test_accept_null_ctype(void **state)
{
    (void)state;
    /* ctype may be NULL when the caller only wants the format. */
    assert_int_equal(am_negotiate_accept("application/xml", JX, NULL),
                     AM_FMT_XML);
    assert_int_equal(am_negotiate_accept(NULL, JX, NULL), AM_FMT_JSON);
    assert_int_equal(am_negotiate_accept("text/html", JX, NULL),
                     AM_FMT_NONE);
}

typedef struct ctype_case {
    const char *ctype;
    unsigned allowed;
    am_fmt_e fmt;
} ctype_case_t;

static const ctype_case_t ctype_cases[] = {
    { NULL, JX, AM_FMT_NONE },
    { "", JX, AM_FMT_NONE },
    { "application/json", JX, AM_FMT_JSON },
    { "text/json", JX, AM_FMT_JSON },
    { "Application/JSON", JX, AM_FMT_JSON },
    { "application/json; charset=utf-8", JX, AM_FMT_JSON },
    { "application/json;charset=UTF-8", JX, AM_FMT_JSON },
    { "application/json; charset=\"utf-8\"", JX, AM_FMT_JSON },
    { "application/json; CHARSET=us-ascii", JX, AM_FMT_JSON },
    { "application/json; charset=latin1", JX, AM_FMT_NONE },
    { "application/json; charset=iso-8859-1", JX, AM_FMT_NONE },
    { "application/json; charset=utf-16", JX, AM_FMT_NONE },
    { "application/json; charset=utf-8; charset=latin1", JX, AM_FMT_NONE },
    { "application/json; charset=\"utf-8", JX, AM_FMT_NONE },
    { "application/json; charset", JX, AM_FMT_NONE },
    { "application/json; charset=", JX, AM_FMT_NONE },
    { "application/json; version=2", JX, AM_FMT_JSON },
    { "application/json;", JX, AM_FMT_JSON },
    { " application/json ", JX, AM_FMT_JSON },
    { "application/json, text/xml", JX, AM_FMT_NONE },
    { "application/json garbage", JX, AM_FMT_NONE },
    { "application/ json", JX, AM_FMT_NONE },
    { "application/json", AM_FMT_XML, AM_FMT_NONE },
    { "application/xml", JX, AM_FMT_XML },
    { "text/xml; charset=us-ascii", JX, AM_FMT_XML },
    { "text/plain", JX, AM_FMT_NONE },
    { "text/html; charset=utf-8", JX, AM_FMT_NONE },
    { "application/*", JX, AM_FMT_NONE },
    { "*/*", JX, AM_FMT_NONE },
    { "application/x-www-form-urlencoded", JX, AM_FMT_NONE },
    { "application/x-www-form-urlencoded", JXF, AM_FMT_FORM },
    { "application/x-www-form-urlencoded; charset=utf-8", JXF,
      AM_FMT_FORM },
    { "multipart/form-data; boundary=x", JXF, AM_FMT_NONE },
    { "application/problem+json", JX, AM_FMT_NONE },
    { "application/jsonx", JX, AM_FMT_NONE },
    { "application/jso", JX, AM_FMT_NONE },
};

static void test_ctype_table(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof(ctype_cases) / sizeof(ctype_cases[0]); i++) {
        const ctype_case_t *tc = &ctype_cases[i];
        char *copy = NULL;
        am_fmt_e fmt;

        if (tc->ctype) {
            copy = malloc(strlen(tc->ctype) + 1);
            assert_non_null(copy);
            strcpy(copy, tc->ctype);
        }
        fmt = am_negotiate_ctype(copy, tc->allowed);
        if (fmt != tc->fmt) {
            print_error("ctype case %zu \"%s\" (allowed %u): got %d, "
                        "expected %d\n", i,
                        tc->ctype ? tc->ctype : "(null)", tc->allowed,
                        (int)fmt, (int)tc->fmt);
            failures++;
        }
        free(copy);
    }
    assert_int_equal(failures, 0);
    assert_true(sizeof(ctype_cases) / sizeof(ctype_cases[0]) >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_table),
        cmocka_unit_test(test_accept_null_ctype),
        cmocka_unit_test(test_ctype_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
