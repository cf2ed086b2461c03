/* Licensed under the Apache License, Version 2.0.
 *
 * test_codec_json.c: the JSON codec (src/codec_json.c) against the seed
 * samples and hostile input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <json-c/json_object_iterator.h>

#include "test_types.h"

static apr_pool_t *pool;
static const am_tz_t *utc, *ams;

static int setup(void **state)
{
    apr_pool_create(&pool, NULL);
    return 0;
}

static int teardown(void **state)
{
    apr_pool_destroy(pool);
    return 0;
}

/* Decodes text as type t; fails the test on error. */
static am_obj_t *decode_ok(const am_type_t *t, const char *text,
                           apr_size_t len, unsigned flags)
{
    am_obj_t *o = NULL;
    am_err_t *e = am_json_decode(pool, t, text, len, ams, flags, &o);

    if (e) {
        tt_print_err(e);
        fail_msg("decode failed: %s", e->message);
    }
    assert_non_null(o);
    return o;
}

static am_obj_t *decode_str_ok(const am_type_t *t, const char *text)
{
    return decode_ok(t, text, strlen(text), 0);
}

/* Decodes text, expecting an error; returns it. */
static am_err_t *decode_err(const am_type_t *t, const char *text,
                            apr_size_t len)
{
    am_obj_t *o = (am_obj_t *)1;
    am_err_t *e = am_json_decode(pool, t, text, len, ams, 0, &o);

    if (!e) {
        fail_msg("decode of %.80s succeeded", text);
    }
    assert_int_equal(e->status, 400);
    assert_null(o);
    return e;
}

static am_err_t *decode_str_err(const am_type_t *t, const char *text)
{
    return decode_err(t, text, strlen(text));
}

/* An error without field errors whose message contains what. */
static void expect_syntax(const am_type_t *t, const char *text,
                          apr_size_t len, const char *what)
{
    am_err_t *e = decode_err(t, text, len);

    if (am_err_has_fields(e)) {
        tt_print_err(e);
        fail_msg("expected a syntax error");
    }
    if (what && !strstr(e->message, what)) {
        fail_msg("message '%s' lacks '%s'", e->message, what);
    }
}

/* expect_syntax for a string literal (which may hold a NUL) */
#define SYNTAX(t, lit, what) expect_syntax(t, lit, sizeof(lit) - 1, what)

/* An error with a field error at key (whose message contains what). */
static void expect_field(const am_err_t *e, const char *key,
                         const char *what)
{
    const char *msg = tt_field_msg(e, key);

    if (!msg) {
        tt_print_err(e);
        fail_msg("no field error for %s", key);
    }
    if (what && !strstr(msg, what)) {
        fail_msg("message for %s '%s' lacks '%s'", key, msg, what);
    }
}

static am_value_t *item(am_value_t *arr, int i)
{
    assert_true(arr->set && !arr->null);
    return &APR_ARRAY_IDX(arr->u.a, i, am_value_t);
}

/* ---------------------------------------------------------- the seeds */

static void test_seed000(void **state)
{
    apr_size_t len;
    char *text = tt_read(pool, "seed000_OccurrenceAppointment.json", &len);
    am_obj_t *o = decode_ok(&tt_occurrence, text, len, 0);

    assert_int_equal(tt_get(o, "Id")->u.i, 1);
    assert_true(tt_get(o, "Start")->u.t
                == tt_time("2026-05-26T21:13:00.1670516Z"));
    assert_true(tt_get(o, "End")->u.t == tt_get(o, "Start")->u.t);
    assert_string_equal(tt_get(o, "Title")->u.s, "sample string 4");
    assert_string_equal(tt_get(o, "Location")->u.s, "sample string 5");
    assert_int_equal(tt_get(o, "ParentId")->u.i, 6);
    assert_int_equal(tt_get(o, "OccurrenceIndex")->u.i, 7);
    assert_int_equal(tt_get(o, "Type")->u.i, 0);
    /* read-only fields are kept when valid (the model ignores them) */
    assert_string_equal(tt_get(o, "Reason")->u.s, "sample string 8");
    assert_int_equal(tt_get(o, "Status")->u.i, 0);
    assert_int_equal(tt_get(o, "CreatedById")->u.i, 12);
    assert_string_equal(tt_get(o, "Remarks")->u.s, "sample string 13");
}

static void test_seed001(void **state)
{
    apr_size_t len;
    char *text = tt_read(pool, "seed001_ChangeOfTeamAppointment.json", &len);
    am_obj_t *o = decode_ok(&tt_team, text, len, 0);
    am_obj_t *ri, *c0, *c1, *o0, *o1;
    am_value_t *ids = tt_get(o, "ClientIds");

    assert_int_equal(tt_get(o, "TeamCalendarId")->u.i, 1);
    assert_string_equal(tt_get(o, "TeamCalendar")->u.s, "sample string 2");
    assert_int_equal(ids->u.a->nelts, 2);
    assert_int_equal(item(ids, 0)->u.i, 1);
    assert_int_equal(item(ids, 1)->u.i, 2);
    assert_int_equal(tt_get(o, "ShowInGroupCalendar")->u.i, 1);
    assert_int_equal(tt_get(o, "Clients")->u.a->nelts, 2);
    c0 = item(tt_get(o, "Clients"), 0)->u.o;
    c1 = item(tt_get(o, "Clients"), 1)->u.o;       /* {"$ref": "2"} */
    assert_int_equal(tt_get(c0, "Id")->u.i, 1);
    assert_int_equal(tt_get(c1, "Id")->u.i, 1);
    assert_string_equal(tt_get(c1, "Name")->u.s, "sample string 2");
    assert_true(tt_get(o, "Start")->u.t
                == tt_time("2026-05-26T19:02:03.284509Z"));
    assert_int_equal(tt_get(o, "MovesToNextDay")->u.i, 1);
    ri = tt_get(o, "RecurrenceInfo")->u.o;
    assert_int_equal(tt_get(ri, "Interval")->u.i, 0);
    assert_int_equal(tt_get(ri, "WeekDays")->u.i, 1);
    assert_int_equal(tt_get(ri, "DayNumber")->u.i, 1);
    o0 = item(tt_get(o, "RecurrenceOccurrences"), 0)->u.o;
    o1 = item(tt_get(o, "RecurrenceOccurrences"), 1)->u.o;
    assert_int_equal(tt_get(o0, "OccurrenceIndex")->u.i, 7);
    assert_int_equal(tt_get(o1, "OccurrenceIndex")->u.i, 7);
    assert_string_equal(tt_get(o, "ContractInfo")->u.s, "sample string 18");
    assert_int_equal(tt_get(o, "ShiftId")->u.i, 1);
}

static void test_seed002(void **state)
{
    apr_size_t len;
    char *text = tt_read(pool, "seed002_ContractAppointment.json", &len);
    am_obj_t *o = decode_ok(&tt_contract, text, len, 0);
    am_value_t *occ = tt_get(o, "RecurrenceOccurrences");
    am_obj_t *ri, *o0, *o1;

    assert_int_equal(tt_get(o, "ClientId")->u.i, 6);
    assert_int_equal(tt_get(o, "ContractId")->u.i, 1);
    assert_int_equal(tt_get(o, "ProductId")->u.i, 2);
    assert_string_equal(tt_get(o, "ProjectId")->u.s, "sample string 4");
    assert_true(tt_get(o, "Start")->u.t
                == tt_time("2026-05-26T21:18:26.2915874Z"));
    assert_string_equal(tt_get(o, "Title")->u.s, "sample string 11");
    assert_int_equal(tt_get(o, "Id")->u.i, 18);
    assert_int_equal(tt_get(o, "IsAllDay")->u.i, 1);
    ri = tt_get(o, "RecurrenceInfo")->u.o;
    assert_int_equal(tt_get(ri, "Interval")->u.i, 0);          /* Daily */
    assert_int_equal(tt_get(ri, "Range")->u.i, 0);
    assert_int_equal(tt_get(ri, "WeekDays")->u.i, 1);
    assert_int_equal(tt_get(ri, "Periodicity")->u.i, 1);
    assert_true(tt_get(ri, "RecurrenceStart")->u.t
                == tt_get(o, "Start")->u.t);
    /* {"$ref": "3"} resolved */
    assert_int_equal(occ->u.a->nelts, 2);
    o0 = item(occ, 0)->u.o;
    o1 = item(occ, 1)->u.o;
    assert_int_equal(tt_get(o0, "OccurrenceIndex")->u.i, 7);
    assert_int_equal(tt_get(o1, "OccurrenceIndex")->u.i, 7);
    assert_int_equal(tt_get(o1, "ParentId")->u.i, 6);
    assert_string_equal(tt_get(o1, "Title")->u.s, "sample string 4");
    assert_true(tt_get(o1, "Start")->u.t == tt_get(o, "Start")->u.t);
    assert_int_equal(tt_get(o, "Type")->u.i, 0);
    assert_int_equal(tt_get(o, "ShiftId")->u.i, 1);
}

/* ---------------------------------------------------------- round trip */

/* Compares the keys of two json-c objects in order, "$id" left out of
 * want; recurses into objects and arrays of objects (a "$ref" object of
 * want stands for the object it names, so it is not compared). */
static void compare_keys(json_object *want, json_object *got,
                         const char *where)
{
    struct json_object_iterator wi = json_object_iter_begin(want);
    struct json_object_iterator we = json_object_iter_end(want);
    struct json_object_iterator gi = json_object_iter_begin(got);
    struct json_object_iterator ge = json_object_iter_end(got);

    if (json_object_object_get_ex(want, "$ref", NULL)) {
        return;
    }
    for (;;) {
        const char *wk, *gk;
        json_object *wv, *gv;

        while (!json_object_iter_equal(&wi, &we)
               && !strcmp(json_object_iter_peek_name(&wi), "$id")) {
            json_object_iter_next(&wi);
        }
        if (json_object_iter_equal(&wi, &we)) {
            if (!json_object_iter_equal(&gi, &ge)) {
                fail_msg("%s: extra key %s", where,
                         json_object_iter_peek_name(&gi));
            }
            return;
        }
        if (json_object_iter_equal(&gi, &ge)) {
            fail_msg("%s: missing key %s", where,
                     json_object_iter_peek_name(&wi));
        }
        wk = json_object_iter_peek_name(&wi);
        gk = json_object_iter_peek_name(&gi);
        if (strcmp(wk, gk)) {
            fail_msg("%s: key %s where %s was expected", where, gk, wk);
        }
        wv = json_object_iter_peek_value(&wi);
        gv = json_object_iter_peek_value(&gi);
        if (json_object_is_type(wv, json_type_object)) {
            assert_true(json_object_is_type(gv, json_type_object));
            compare_keys(wv, gv, wk);
        }
        else if (json_object_is_type(wv, json_type_array)) {
            size_t i;

            assert_true(json_object_is_type(gv, json_type_array));
            assert_int_equal(json_object_array_length(wv),
                             json_object_array_length(gv));
            for (i = 0; i < json_object_array_length(wv); i++) {
                json_object *wx = json_object_array_get_idx(wv, i);
                json_object *gx = json_object_array_get_idx(gv, i);

                if (json_object_is_type(wx, json_type_object)) {
                    compare_keys(wx, gx, wk);
                }
                else if (!json_object_equal(wx, gx)) {
                    fail_msg("%s[%zu] differs", wk, i);
                }
            }
        }
        else if (!json_object_equal(wv, gv)) {
            fail_msg("%s: value %s, expected %s", wk,
                     json_object_to_json_string(gv),
                     json_object_to_json_string(wv));
        }
        json_object_iter_next(&wi);
        json_object_iter_next(&gi);
    }
}

static void round_trip(const am_type_t *t, const char *seed)
{
    apr_size_t len, olen = 0;
    char *text = tt_read(pool, seed, &len);
    am_obj_t *o = decode_ok(t, text, len, 0);
    char *out = am_json_encode(pool, o, ams, &olen);
    json_object *want = json_tokener_parse(text);
    json_object *got = json_tokener_parse(out);

    assert_non_null(want);
    assert_non_null(got);
    assert_int_equal(strlen(out), olen);
    /* compact: no whitespace outside strings (the samples have none in
     * their strings but spaces) */
    assert_null(strchr(out, '\n'));
    assert_null(strstr(out, "\": "));
    assert_null(strstr(out, ", \""));
    compare_keys(want, got, seed);
    json_object_put(want);
    json_object_put(got);
}

static void test_round_trip(void **state)
{
    round_trip(&tt_occurrence, "seed000_OccurrenceAppointment.json");
    round_trip(&tt_team, "seed001_ChangeOfTeamAppointment.json");
    round_trip(&tt_contract, "seed002_ContractAppointment.json");
}

static void test_seed002_output(void **state)
{
    apr_size_t len;
    char *text = tt_read(pool, "seed002_ContractAppointment.json", &len);
    am_obj_t *o = decode_ok(&tt_contract, text, len, 0);
    char *out = am_json_encode(pool, o, ams, NULL);

    assert_non_null(strstr(out, "{\"ContractId\":1,\"ProductId\":2,"
                           "\"ProductName\":\"sample string 3\","));
    assert_non_null(strstr(out, "\"Start\":\"2026-05-26T23:18:26.2915874"
                           "+02:00\""));
    assert_non_null(strstr(out, "\"RecurrenceInfo\":{\"OccurrenceCount\":1,"
                           "\"Periodicity\":1,\"Range\":0,\"Interval\":0,"
                           "\"WeekDays\":1,"));
    assert_non_null(strstr(out, "\"MovesToNextDay\":true,"));
    assert_non_null(strstr(out, ",\"Type\":0,\"ShiftId\":1}"));
    /* in UTC the same instant */
    out = am_json_encode(pool, o, utc, NULL);
    assert_non_null(strstr(out, "\"Start\":\"2026-05-26T21:18:26.2915874"
                           "+00:00\""));
}

/* ------------------------------------------------------------ encoding */

static void test_encode_values(void **state)
{
    am_obj_t *o = am_obj_make(pool, &tt_probe);
    am_obj_t *child = am_obj_make(pool, &tt_probe);
    apr_array_header_t *names = apr_array_make(pool, 2, sizeof(am_value_t));
    am_value_t *v;
    apr_size_t len;
    char *out;

    am_obj_set_str(o, "Amount", "12.50");
    am_obj_set_str(o, "Guid", "0f8fad5b-d9cb-469f-a165-70867728950e");
    am_obj_set_int(o, "Big", APR_INT64_MIN);
    am_obj_set_int(o, "Flag", 0);
    am_obj_set_int(o, "Days", 62);
    am_obj_set_time(o, "XWhen", tt_time("2017-02-25T10:50:00Z"));
    am_obj_set_str(o, "Text", "a\"b\\c/d\n\x01\xc3\xa9\xff");
    v = apr_array_push(names);
    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->u.s = "x";
    v = apr_array_push(names);
    memset(v, 0, sizeof(*v));
    v->set = 1;
    v->null = 1;
    v = am_obj_get(o, "Names");
    v->set = 1;
    v->u.a = names;
    am_obj_set_str(child, "Short", "ab");
    v = am_obj_get(o, "Child");
    v->set = 1;
    v->u.o = child;

    out = am_json_encode(pool, o, ams, &len);
    assert_int_equal(strlen(out), len);
    assert_non_null(strstr(out, "{\"Guid\":\"0f8fad5b-d9cb-469f-a165-"
                           "70867728950e\",\"Amount\":12.50,\"Short\":null,"
                           "\"Count\":null,\"Small\":null,"
                           "\"Big\":-9223372036854775808,\"Flag\":false,"
                           "\"Days\":62,\"Kind\":null,\"When\":null,"
                           "\"XWhen\":\"2017-02-25 11:50:00\","
                           "\"Names\":[\"x\",null],\"Tags\":null,"));
    assert_non_null(strstr(out, "\"Child\":{\"Guid\":null,\"Amount\":null,"
                           "\"Short\":\"ab\","));
    /* escaping: quotes, backslash, newline, control; no slash escape;
     * invalid UTF-8 replaced */
    assert_non_null(strstr(out, "\"Text\":\"a\\\"b\\\\c/d\\n\\u0001"
                           "\xc3\xa9\xef\xbf\xbd\"}"));
}

static void test_encode_list(void **state)
{
    apr_array_header_t *objs = apr_array_make(pool, 2, sizeof(am_obj_t *));
    am_obj_t *a = am_obj_make(pool, &tt_named_entity);
    am_obj_t *b = am_obj_make(pool, &tt_named_entity);
    char *out;
    apr_size_t len;

    am_obj_set_int(a, "Id", 1);
    am_obj_set_str(a, "Name", "A");
    am_obj_set_int(b, "Id", 2);
    APR_ARRAY_PUSH(objs, am_obj_t *) = a;
    APR_ARRAY_PUSH(objs, am_obj_t *) = b;
    out = am_json_encode_list(pool, objs, ams, &len);
    assert_string_equal(out, "[{\"Id\":1,\"Name\":\"A\"},"
                        "{\"Id\":2,\"Name\":null}]");
    assert_int_equal(len, strlen(out));
    apr_array_clear(objs);
    assert_string_equal(am_json_encode_list(pool, objs, ams, NULL), "[]");
}

/* ----------------------------------------------------- decoding rules */

static void test_decode_values(void **state)
{
    am_obj_t *o;

    o = decode_str_ok(&tt_probe,
        "{\"Guid\":\"{0F8FAD5B-D9CB-469F-A165-70867728950E}\","
        " \"Amount\": 12.50, \"Count\": \"7\", \"Small\": -0,"
        " \"Big\": -9223372036854775808, \"Flag\": \"true\","
        " \"Days\": \"Monday, Wednesday\", \"Kind\": \"weekly\","
        " \"When\": \"2026-05-26T23:13:00+02:00\","
        " \"XWhen\": \"2017-02-25 11:50:00\","
        " \"Names\": [\"a\", null, \"\\u00e9\\ud83d\\ude00\"],"
        " \"Tags\": [1, \"2\"], \"Text\": \"  kept  \","
        " \"unknown\": {\"deep\": [1, 2, {\"x\": null}]}}");
    assert_string_equal(tt_get(o, "Guid")->u.s,
                        "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_string_equal(tt_get(o, "Amount")->u.s, "12.50");
    assert_int_equal(tt_get(o, "Count")->u.i, 7);
    assert_int_equal(tt_get(o, "Small")->u.i, 0);
    assert_true(tt_get(o, "Big")->u.i == APR_INT64_MIN);
    assert_int_equal(tt_get(o, "Flag")->u.i, 1);
    assert_int_equal(tt_get(o, "Days")->u.i, 10);
    assert_int_equal(tt_get(o, "Kind")->u.i, 1);
    assert_true(tt_get(o, "When")->u.t == tt_time("2026-05-26T21:13:00Z"));
    /* Xelion times are wall time in the configured zone (CET in Feb) */
    assert_true(tt_get(o, "XWhen")->u.t == tt_time("2017-02-25T10:50:00Z"));
    assert_string_equal(item(tt_get(o, "Names"), 0)->u.s, "a");
    assert_true(item(tt_get(o, "Names"), 1)->null);
    assert_string_equal(item(tt_get(o, "Names"), 2)->u.s,
                        "\xc3\xa9\xf0\x9f\x98\x80");
    assert_int_equal(item(tt_get(o, "Tags"), 1)->u.i, 2);
    assert_string_equal(tt_get(o, "Text")->u.s, "  kept  ");
    assert_false(tt_get(o, "Hidden")->set);

    /* decimals keep their digits; strings too; big ones fit */
    o = decode_str_ok(&tt_probe, "{\"Amount\": \"-0012.340\"}");
    assert_string_equal(tt_get(o, "Amount")->u.s, "-12.340");
    o = decode_str_ok(&tt_probe, "{\"Amount\": 99999999999999999999.5}");
    assert_string_equal(tt_get(o, "Amount")->u.s, "99999999999999999999.5");
    o = decode_str_ok(&tt_probe, "{\"Amount\": 5.0}");
    assert_string_equal(tt_get(o, "Amount")->u.s, "5.0");

    /* nulls, numbers as enums, flags, case-insensitive member names */
    o = decode_str_ok(&tt_probe, "{\"Kind\": 3, \"days\": 127,"
                      " \"Child\": null, \"Text\": null}");
    assert_int_equal(tt_get(o, "Kind")->u.i, 3);
    assert_int_equal(tt_get(o, "Days")->u.i, 127);
    assert_true(tt_get(o, "Child")->set && tt_get(o, "Child")->null);
    assert_true(tt_get(o, "Text")->null);

    /* a number for a string member: its source text (as Json.NET);
     * an escaped backslash before "u0000" is no NUL */
    o = decode_str_ok(&tt_probe, "{\"Text\": 1.50, \"Names\": [-7],"
                      " \"x\\\\u0000\": 1}");
    assert_string_equal(tt_get(o, "Text")->u.s, "1.50");
    assert_string_equal(item(tt_get(o, "Names"), 0)->u.s, "-7");

    /* a UTF-8 byte order mark and surrounding whitespace are fine */
    o = decode_str_ok(&tt_probe, "\xEF\xBB\xBF \n{\"Small\": 5}\r\n\t ");
    assert_int_equal(tt_get(o, "Small")->u.i, 5);

    /* read-only: a bad value is ignored, not an error */
    o = decode_str_ok(&tt_probe, "{\"Hidden\": \"not a number\"}");
    assert_false(tt_get(o, "Hidden")->set);
    o = decode_str_ok(&tt_probe, "{\"Hidden\": 4}");
    assert_int_equal(tt_get(o, "Hidden")->u.i, 4);
    o = decode_str_ok(&tt_team, "{\"Start\": \"2026-01-01T10:00:00Z\","
                      " \"End\": \"2026-01-01T11:00:00Z\", \"Title\": \"t\","
                      " \"MovesToNextDay\": false, \"IsAllDay\": false,"
                      " \"Clients\": [{\"Id\": \"x\"}], \"Status\": 99}");
    assert_false(tt_get(o, "Clients")->set);
    assert_false(tt_get(o, "Status")->set);
    /* partial: no required check */
    o = decode_ok(&tt_occurrence, "{}", 2, AM_DEC_PARTIAL);
    assert_false(tt_get(o, "Id")->set);
}

static void test_syntax_errors(void **state)
{
    apr_size_t len;
    char *seed = tt_read(pool, "seed002_ContractAppointment.json", &len);
    char *deep;
    int i;

    /* truncated */
    expect_syntax(&tt_contract, seed, len - 10, "not valid JSON");
    expect_syntax(&tt_contract, seed, len / 2, "not valid JSON");
    SYNTAX(&tt_probe, "{\"Small\": 1", "unexpected end");
    /* trailing garbage */
    SYNTAX(&tt_probe, "{\"Small\": 1} x", "line 1, position 14");
    SYNTAX(&tt_probe, "{\"Small\": 1}{}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": 1}\0", "NUL");
    /* duplicate keys, also nested and in ignored members */
    SYNTAX(&tt_probe, "{\"Text\": \"a\", \"Text\": \"b\"}",
                  "duplicate key \"Text\"");
    SYNTAX(&tt_probe, "{\"Child\": {\"Small\": 1, \"Small\": 1}}",
                  "duplicate key \"Small\"");
    SYNTAX(&tt_probe, "{\"x\": [{\"a\": 1, \"b\": 2, \"a\": 3}]}",
                  "duplicate key");
    SYNTAX(&tt_probe, "{\"Text\": 1, \"T\\u0065xt\": 2}",
                  "duplicate key");
    /* deep nesting */
    deep = apr_palloc(pool, 2100);
    strcpy(deep, "{\"x\":");
    for (i = 0; i < 1000; i++) {
        strcat(deep, "[");
    }
    for (i = 0; i < 1000; i++) {
        strcat(deep, "]");
    }
    strcat(deep, "}");
    expect_syntax(&tt_probe, deep, strlen(deep), "nesting");
    /* invalid UTF-8: overlong, surrogate, stray byte, in keys too */
    SYNTAX(&tt_probe, "{\"Text\": \"\xc0\xaf\"}", "UTF-8");
    SYNTAX(&tt_probe, "{\"Text\": \"\xed\xa0\x80\"}", "UTF-8");
    SYNTAX(&tt_probe, "{\"Text\": \"a\xff\"}", "UTF-8");
    SYNTAX(&tt_probe, "{\"\xff\": 1}", "UTF-8");
    /* what json-c accepts and JSON does not */
    SYNTAX(&tt_probe, "{\"Small\": NaN}", "'N'");
    SYNTAX(&tt_probe, "{\"Small\": Infinity}", "'I'");
    SYNTAX(&tt_probe, "{\"Small\": -Infinity}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": 5.}", NULL);
    SYNTAX(&tt_probe, "{\"x\": [1, NaN]}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": 01}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": .5}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": +5}", NULL);
    SYNTAX(&tt_probe, "{'Small': 5}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": 5,}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": /*c*/ 5}", NULL);
    SYNTAX(&tt_probe, "{\"Small\": True}", NULL);
    /* not an object, nothing */
    SYNTAX(&tt_probe, "[{\"Small\": 5}]", "JSON object");
    SYNTAX(&tt_probe, "\"x\"", "JSON object");
    SYNTAX(&tt_probe, "null", NULL);
    SYNTAX(&tt_probe, "", "empty");
    SYNTAX(&tt_probe, " \r\n", "empty");
    /* $id problems */
    SYNTAX(&tt_probe, "{\"Child\": {\"$id\": \"1\"}, \"Children\":"
                  " [{\"$id\": \"1\"}]}", "used twice");
    SYNTAX(&tt_probe, "{\"$id\": 1}", "$id");
    /* json-c cuts a key at an escaped NUL: "Text\u0000x" is no "Text" */
    SYNTAX(&tt_probe, "{\"Text\\u0000x\": \"a\"}", "U+0000");
    SYNTAX(&tt_probe, "{\"x\": {\"\\u0000\": 1}}", "U+0000");
}

static void test_field_errors(void **state)
{
    am_err_t *e;

    /* "\u0000", overflow, wrong types: every one reported */
    e = decode_str_err(&tt_probe,
        "{\"Text\": \"a\\u0000b\", \"Big\": 99999999999999999999,"
        " \"Small\": 3000000000, \"Count\": 1.5, \"Flag\": \"yes\","
        " \"Kind\": \"Fortnightly\", \"Days\": 128, \"When\": 5,"
        " \"Guid\": \"xyz\", \"Amount\": 1e5, \"Short\": \"a\","
        " \"Child\": [], \"Names\": {}, \"Tags\": [1, null, 2.5],"
        " \"NonNull\": null, \"XWhen\": \"2017-02-25T11:50:00\"}");
    assert_string_equal(e->message, "The request is invalid.");
    expect_field(e, "Text", "U+0000");
    expect_field(e, "Big", "too large or too small");
    expect_field(e, "Small", "Int32");
    expect_field(e, "Count", "1.5");
    expect_field(e, "Flag", "yes");
    expect_field(e, "Kind", "Fortnightly");
    expect_field(e, "Days", "128");
    expect_field(e, "When", "not a number");
    expect_field(e, "Guid", "32 digits");
    expect_field(e, "Amount", "1e5");
    expect_field(e, "Short", "minimum length of 2");
    expect_field(e, "Child", "object");
    expect_field(e, "Names", "collection");
    expect_field(e, "Tags[1]", "null");
    expect_field(e, "Tags[2]", "2.5");
    expect_field(e, "NonNull", "null");
    expect_field(e, "XWhen", NULL);
    assert_int_equal(e->fields->nelts, 17);

    e = decode_str_err(&tt_probe, "{\"Big\": -99999999999999999999}");
    expect_field(e, "Big", NULL);
    e = decode_str_err(&tt_probe, "{\"Big\": 9223372036854775808}");
    expect_field(e, "Big", NULL);
    e = decode_str_err(&tt_probe, "{\"Big\": 5.0}");
    expect_field(e, "Big", NULL);
    e = decode_str_err(&tt_probe, "{\"Big\": 1e3}");
    expect_field(e, "Big", NULL);
    e = decode_str_err(&tt_probe, "{\"Big\": true}");
    expect_field(e, "Big", "boolean");
    e = decode_str_err(&tt_probe, "{\"Text\": true}");
    expect_field(e, "Text", "boolean");
    e = decode_str_err(&tt_probe, "{\"When\": 5}");
    expect_field(e, "When", "number");
    e = decode_str_err(&tt_probe, "{\"Flag\": 1}");
    expect_field(e, "Flag", NULL);
    e = decode_str_err(&tt_probe, "{\"Tags\": [1, 2, 3, 4]}");
    expect_field(e, "Tags", "maximum length of 3");
    e = decode_str_err(&tt_probe, "{\"Count\": 0}");
    expect_field(e, "Count", "between 1 and 10");
    e = decode_str_err(&tt_probe, "{\"Text\": \"a\", \"text\": \"b\"}");
    expect_field(e, "Text", "more than once");
    /* nested paths */
    e = decode_str_err(&tt_probe, "{\"Child\": {\"Child\": {\"Small\": \"x\"}},"
                       " \"Children\": [{}, {\"Count\": 99}]}");
    expect_field(e, "Child.Child.Small", NULL);
    expect_field(e, "Children[1].Count", NULL);
}

static void test_required(void **state)
{
    static const char *const req[] = {
        "Id", "Start", "End", "Title", "ParentId", "OccurrenceIndex", "Type"
    };
    am_err_t *e = decode_str_err(&tt_occurrence, "{\"Location\": \"x\"}");
    size_t i;

    assert_int_equal(e->fields->nelts, 7);
    for (i = 0; i < sizeof(req) / sizeof(*req); i++) {
        expect_field(e, req[i], "field is required.");
    }
    assert_string_equal(tt_field_msg(e, "Title"),
                        "The Title field is required.");
    /* null and blank count as missing; errors of several kinds together */
    e = decode_str_err(&tt_occurrence,
        "{\"Id\": null, \"Start\": \"2026-05-26T23:13:00+02:00\","
        " \"End\": \"nope\", \"Title\": \"   \", \"ParentId\": 1,"
        " \"OccurrenceIndex\": 0, \"Type\": 0}");
    assert_int_equal(e->fields->nelts, 3);
    expect_field(e, "Id", "required");
    expect_field(e, "End", "nope");
    expect_field(e, "Title", "required");
    /* nested required fields, seed 002 with its RecurrenceOccurrences
     * items missing theirs */
    e = decode_str_err(&tt_contract,
        "{\"ContractId\": 1, \"ProductId\": 1, \"ClientId\": 1,"
        " \"Start\": \"2026-05-26T23:13:00+02:00\","
        " \"End\": \"2026-05-26T23:13:00+02:00\", \"Title\": \"t\","
        " \"MovesToNextDay\": true, \"IsAllDay\": false,"
        " \"RecurrenceInfo\": {\"DayNumber\": 32},"
        " \"RecurrenceOccurrences\": [{\"$id\": \"9\", \"Id\": 1,"
        "  \"Start\": \"2026-05-26T23:13:00+02:00\","
        "  \"End\": \"2026-05-26T23:13:00+02:00\", \"Title\": \"o\","
        "  \"ParentId\": 1, \"OccurrenceIndex\": 0, \"Type\": 0},"
        "  {\"Start\": \"x\"}]}");
    expect_field(e, "RecurrenceInfo.DayNumber", "between 1 and 31");
    expect_field(e, "RecurrenceOccurrences[1].Start", NULL);
    expect_field(e, "RecurrenceOccurrences[1].Id", "required");
    assert_null(tt_field_msg(e, "RecurrenceOccurrences[0].Id"));
}

static void test_refs(void **state)
{
    am_err_t *e;
    am_obj_t *o;
    char *big;
    int i;
    clock_t t0;

    /* dangling */
    e = decode_str_err(&tt_probe, "{\"Children\": [{\"$id\": \"1\"},"
                       " {\"$ref\": \"2\"}]}");
    expect_field(e, "Children[1]", "Unresolved reference '2'");
    /* a $ref object with other members */
    e = decode_str_err(&tt_probe, "{\"Children\": [{\"$id\": \"1\"},"
                       " {\"$ref\": \"1\", \"Small\": 1}]}");
    expect_field(e, "Children[1]", "$ref");
    e = decode_str_err(&tt_probe, "{\"Child\": {\"$ref\": 1}}");
    expect_field(e, "Child", "string");
    /* circular */
    e = decode_str_err(&tt_probe, "{\"$id\": \"1\", \"Child\":"
                       " {\"$ref\": \"1\"}}");
    expect_field(e, "Child", "Circular");
    /* a reference to an invalid object is an error there too */
    e = decode_str_err(&tt_probe, "{\"Children\": [{\"$id\": \"1\","
                       " \"Small\": \"x\"}, {\"$ref\": \"1\"}]}");
    expect_field(e, "Children[0].Small", NULL);
    expect_field(e, "Children[1]", "invalid");
    /* forward reference and reference into an ignored member work */
    o = decode_str_ok(&tt_probe, "{\"Child\": {\"$ref\": \"7\"},"
                      " \"x\": {\"$id\": \"7\", \"Small\": 70}}");
    assert_int_equal(tt_get(tt_get(o, "Child")->u.o, "Small")->u.i, 70);

    /* refs that double at each level decode in linear time: 300 levels
     * of [{$ref prev}, {$ref prev}] would be 2^300 without memoising */
    big = apr_palloc(pool, 300 * 120 + 100);
    strcpy(big, "{\"Children\": [{\"$id\": \"0\", \"Small\": 1}");
    for (i = 1; i < 300; i++) {
        sprintf(big + strlen(big), ", {\"$id\": \"%d\", \"Children\":"
                " [{\"$ref\": \"%d\"}, {\"$ref\": \"%d\"}]}", i, i - 1,
                i - 1);
    }
    strcat(big, "]}");
    t0 = clock();
    o = decode_str_ok(&tt_probe, big);
    assert_true(clock() - t0 < 2 * CLOCKS_PER_SEC);
    assert_int_equal(tt_get(o, "Children")->u.a->nelts, 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed000),
        cmocka_unit_test(test_seed001),
        cmocka_unit_test(test_seed002),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_seed002_output),
        cmocka_unit_test(test_encode_values),
        cmocka_unit_test(test_encode_list),
        cmocka_unit_test(test_decode_values),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_field_errors),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_refs),
    };
    apr_pool_t *init;
    int rc;

    apr_initialize();
    apr_pool_create(&init, NULL);
    utc = am_tz_get("UTC");
    ams = am_tz_get("Europe/Amsterdam");
    if (!utc || !ams) {
        fprintf(stderr, "time zones unavailable\n");
        return 1;
    }
    tt_init_types(init);
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_pool_destroy(init);
    apr_terminate();
    return rc;
}
