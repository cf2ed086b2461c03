/* Licensed under the Apache License, Version 2.0.
 *
 * test_fields.c: the field-table type system (src/fields.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_types.h"

static apr_pool_t *pool;

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

/* ------------------------------------------------------- type init */

static void test_xml_order_contract(void **state)
{
    static const char *const want[] = {
        "CreatedById", "CreatedByName", "End", "FriendlyRecurrenceInfo",
        "Id", "IsAllDay", "Location", "MovesToNextDay", "Reason",
        "RecurrenceInfo", "RecurrenceOccurrences", "Remarks", "ShiftId",
        "Start", "Status", "StatusChangedById", "StatusChangedByName",
        "Title", "Type",
        "ClientId", "ClientName", "ContractOfServiceId", "EmployeeId",
        "EmployeeName", "EmploymentId",
        "CareTrajectId", "ContractId", "ContractLineId", "DOTLocationId",
        "ProductId", "ProductName", "ProjectId", "ProjectName", "WorkTypeId"
    };
    int *first;
    int i;

    am_type_init(pool, &tt_contract);
    assert_non_null(tt_contract.xml_order);
    assert_int_equal(tt_contract.nfields, (int)(sizeof(want) / sizeof(*want)));
    for (i = 0; i < tt_contract.nfields; i++) {
        assert_string_equal(tt_contract.fields[tt_contract.xml_order[i]].name,
                            want[i]);
    }
    /* sub types too, and idempotent */
    assert_non_null(tt_recurrence.xml_order);
    assert_non_null(tt_occurrence.xml_order);
    assert_string_equal(tt_recurrence.fields[tt_recurrence.xml_order[0]].name,
                        "DayNumber");
    first = tt_contract.xml_order;
    am_type_init(pool, &tt_contract);
    assert_ptr_equal(first, tt_contract.xml_order);
}

static void test_xml_order_recursive_and_runtime(void **state)
{
    am_type_t rt = { "Runtime", "urn:x", tt_named_entity_fields, 2, NULL };
    const int *order;

    am_type_init(pool, &tt_probe);       /* recursive type terminates */
    assert_non_null(tt_probe.xml_order);
    assert_string_equal(tt_probe.fields[tt_probe.xml_order[0]].name,
                        "Amount");
    /* without init: computed on the fly, the type left alone */
    order = am_type_xml_order(pool, &rt);
    assert_null(rt.xml_order);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1);
}

/* ------------------------------------------------------------ objects */

static void test_obj(void **state)
{
    am_obj_t *o = am_obj_make(pool, &tt_occurrence);
    int i;

    for (i = 0; i < tt_occurrence.nfields; i++) {
        assert_false(o->v[i].set);
    }
    assert_int_equal(am_type_field(&tt_occurrence, "Title"), 3);
    assert_int_equal(am_type_field(&tt_occurrence, "title"), -1);
    assert_int_equal(am_type_field(&tt_occurrence, "Nope"), -1);

    am_obj_set_int(o, "Id", 42);
    am_obj_set_str(o, "Title", "x");
    am_obj_set_time(o, "Start", 1234);
    am_obj_set_null(o, "Location");
    am_obj_set_str(o, "Remarks", NULL);
    assert_true(tt_get(o, "Id")->set);
    assert_int_equal(tt_get(o, "Id")->u.i, 42);
    assert_string_equal(tt_get(o, "Title")->u.s, "x");
    assert_int_equal(tt_get(o, "Start")->u.t, 1234);
    assert_true(tt_get(o, "Location")->set && tt_get(o, "Location")->null);
    assert_true(tt_get(o, "Remarks")->null);
    assert_false(tt_get(o, "Type")->set);
}

/* -------------------------------------------------------------- enums */

static void test_enums(void **state)
{
    apr_int64_t v = -5;

    assert_string_equal(am_enum_name(&tt_interval, 2), "Monthly");
    assert_null(am_enum_name(&tt_interval, 4));
    assert_int_equal(am_enum_value(&tt_interval, "Yearly", &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(am_enum_value(&tt_interval, "yearly", &v), -1);
    assert_int_equal(am_enum_value(&tt_interval, "", &v), -1);
}

static void test_flags(void **state)
{
    static const am_enum_item_t combined_first_items[] = {
        { "EveryDay", 127 }, { "WorkDays", 62 }, { "WeekendDays", 65 },
        { "Sunday", 1 }, { "Monday", 2 }, { "Tuesday", 4 },
        { "Wednesday", 8 }, { "Thursday", 16 }, { "Friday", 32 },
        { "Saturday", 64 }
    };
    static const am_enum_t combined_first = TT_ENUM(combined_first_items);
    static const am_enum_item_t with_zero_items[] = {
        { "None", 0 }, { "A", 1 }, { "B", 2 }
    };
    static const am_enum_t with_zero = TT_ENUM(with_zero_items);
    const am_enum_t *ens[2] = { &tt_week_days, &combined_first };
    int i;

    for (i = 0; i < 2; i++) {
        const am_enum_t *en = ens[i];

        assert_string_equal(am_flags_names(pool, en, 62, " "), "WorkDays");
        assert_string_equal(am_flags_names(pool, en, 1, " "), "Sunday");
        assert_string_equal(am_flags_names(pool, en, 127, " "), "EveryDay");
        assert_string_equal(am_flags_names(pool, en, 65, " "),
                            "WeekendDays");
        assert_string_equal(am_flags_names(pool, en, 10, " "),
                            "Monday Wednesday");
        assert_string_equal(am_flags_names(pool, en, 63, " "),
                            "Sunday WorkDays");
        assert_string_equal(am_flags_names(pool, en, 10, ", "),
                            "Monday, Wednesday");
        assert_string_equal(am_flags_names(pool, en, 0, " "), "");
        assert_null(am_flags_names(pool, en, 128, " "));
        assert_null(am_flags_names(pool, en, -1, " "));
        assert_true(am_flags_valid(en, 0));
        assert_true(am_flags_valid(en, 127));
        assert_true(am_flags_valid(en, 10));
        assert_false(am_flags_valid(en, 128));
        assert_false(am_flags_valid(en, 255));
        assert_false(am_flags_valid(en, -1));
    }
    assert_string_equal(am_flags_names(pool, &with_zero, 0, " "), "None");
    assert_string_equal(am_flags_names(pool, &with_zero, 3, " "), "A B");
}

/* -------------------------------------------------------------- UTF-8 */

static void test_utf8(void **state)
{
    static const struct {
        const char *s;
        apr_size_t len;
        int valid;
    } cases[] = {
        { "", 0, 1 },
        { "abc", 3, 1 },
        { "\xc3\xa9", 2, 1 },                   /* é */
        { "\xe2\x82\xac", 3, 1 },               /* € */
        { "\xf0\x9f\x98\x80", 4, 1 },           /* U+1F600 */
        { "\xf4\x8f\xbf\xbf", 4, 1 },           /* U+10FFFF */
        { "\xef\xbf\xbf", 3, 1 },               /* U+FFFF */
        { "\xed\x9f\xbf", 3, 1 },               /* U+D7FF */
        { "\xee\x80\x80", 3, 1 },               /* U+E000 */
        { "\xc3", 1, 0 },                       /* truncated */
        { "\xe2\x82", 2, 0 },                   /* truncated */
        { "\xc0\xaf", 2, 0 },                   /* overlong '/' */
        { "\xc1\xbf", 2, 0 },                   /* overlong */
        { "\xe0\x80\xaf", 3, 0 },               /* overlong */
        { "\xe0\x9f\xbf", 3, 0 },               /* overlong */
        { "\xf0\x80\x80\xaf", 4, 0 },           /* overlong */
        { "\xf0\x8f\xbf\xbf", 4, 0 },           /* overlong */
        { "\xed\xa0\x80", 3, 0 },               /* U+D800 */
        { "\xed\xbf\xbf", 3, 0 },               /* U+DFFF */
        { "\xf4\x90\x80\x80", 4, 0 },           /* U+110000 */
        { "\xf5\x80\x80\x80", 4, 0 },
        { "\xff", 1, 0 },
        { "\x80", 1, 0 },
        { "a\xc3\xa9\x80", 4, 0 },              /* stray continuation */
        { "a\0b", 3, 0 },                       /* NUL */
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        if (am_utf8_valid(cases[i].s, cases[i].len) != cases[i].valid) {
            fail_msg("case %zu: expected valid=%d", i, cases[i].valid);
        }
    }
    assert_int_equal(am_utf8_prefix("ab\xc3\xa9\xff", 5), 4);
    assert_int_equal(am_utf8_prefix("a\0b", 3), 1);
    assert_int_equal(am_utf8_len(""), 0);
    assert_int_equal(am_utf8_len("\xc3\xa9"), 1);
    assert_int_equal(am_utf8_len("a\xe2\x82\xac\xf0\x9f\x98\x80"), 3);
    assert_int_equal(am_utf8_len("sample string 4"), 15);
}

/* --------------------------------------------------------------- GUID */

static void test_guid(void **state)
{
    static const char *const canon = "0f8fad5b-d9cb-469f-a165-70867728950e";
    static const char *const good[] = {
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "0F8FAD5B-D9CB-469F-A165-70867728950E",
        "0f8fad5bd9cb469fa16570867728950e",             /* N */
        "0F8FAD5BD9CB469FA16570867728950E",
        "{0f8fad5b-d9cb-469f-a165-70867728950e}",       /* B */
        "{0F8FAD5B-D9CB-469F-A165-70867728950E}",
        "(0f8fad5b-d9cb-469f-a165-70867728950e)",       /* P */
        "  0f8fad5b-d9cb-469f-a165-70867728950e \n",    /* trimmed */
    };
    static const char *const bad[] = {
        "",
        "0f8fad5b-d9cb-469f-a165-70867728950",          /* short */
        "0f8fad5b-d9cb-469f-a165-70867728950ee",        /* long */
        "0f8fad5bd9cb469fa16570867728950",              /* 31 */
        "0f8fad5bd9cb469fa16570867728950e0",            /* 33 */
        "0f8fad5b-d9cb-469f-a165-70867728950g",         /* not hex */
        "0f8fad5bd-9cb-469f-a165-70867728950e",         /* hyphen moved */
        "0f8fad5b-d9cb-469f-a16570867728950e-",
        "{0f8fad5b-d9cb-469f-a165-70867728950e)",       /* mismatched */
        "(0f8fad5b-d9cb-469f-a165-70867728950e}",
        "{0f8fad5bd9cb469fa16570867728950e}",           /* braces on N */
        "[0f8fad5b-d9cb-469f-a165-70867728950e]",
        "0f8fad5b d9cb 469f a165 70867728950e",
        "0x0f8fad5b-d9cb-469f-a165-70867728950e",
    };
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
        const char *g = am_guid_parse(pool, good[i]);

        if (!g || strcmp(g, canon)) {
            fail_msg("good GUID %zu: got %s", i, g ? g : "NULL");
        }
    }
    for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        if (am_guid_parse(pool, bad[i])) {
            fail_msg("bad GUID %zu accepted: %s", i, bad[i]);
        }
    }
    assert_null(am_guid_parse(pool, NULL));
}

/* ------------------------------------------------------------ decimal */

static void test_decimal(void **state)
{
    static const struct {
        const char *in;
        const char *out;            /* NULL: refused */
    } cases[] = {
        { "5", "5" },
        { "-12.50", "-12.50" },
        { "5.0", "5.0" },
        { "+5.0", "5.0" },
        { "0", "0" },
        { "-0", "-0" },
        { "0.5", "0.5" },
        { "007", "7" },
        { "-007.10", "-7.10" },
        { "000", "0" },
        { "1234567890123456789012345678", "1234567890123456789012345678" },
        { "12345678901234567890123456789", NULL },        /* 29 digits */
        { "1.234567890123456789012345678", "1.234567890123456789012345678" },
        { "1.2345678901234567890123456789", NULL },
        { "0.0000000000000000000000000001", "0.0000000000000000000000000001" },
        { "0.00000000000000000000000000001", NULL },      /* scale 29 */
        { "00000000000000000000000000000001", "1" },
        { "79228162514264337593543950335", NULL },
        { "1e5", NULL },
        { "1E5", NULL },
        { ".5", NULL },
        { "5.", NULL },
        { "", NULL },
        { "-", NULL },
        { "+", NULL },
        { "--5", NULL },
        { "+-5", NULL },
        { " 5", NULL },
        { "5 ", NULL },
        { "1,5", NULL },
        { "1.2.3", NULL },
        { "NaN", NULL },
        { "Infinity", NULL },
        { "0x10", NULL },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const char *got = am_decimal_parse(pool, cases[i].in);

        if (cases[i].out ? (!got || strcmp(got, cases[i].out)) : got != NULL) {
            fail_msg("decimal '%s': got %s, want %s", cases[i].in,
                     got ? got : "NULL", cases[i].out ? cases[i].out : "NULL");
        }
    }
    assert_null(am_decimal_parse(pool, NULL));
}

/* ------------------------------------------------------------ integers */

static void test_int_parse(void **state)
{
    apr_int64_t v = 0;

    assert_int_equal(am_int_parse("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(am_int_parse("-0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(am_int_parse("+42", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(am_int_parse("007", &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(am_int_parse("9223372036854775807", &v), 0);
    assert_true(v == APR_INT64_MAX);
    assert_int_equal(am_int_parse("-9223372036854775808", &v), 0);
    assert_true(v == APR_INT64_MIN);
    assert_int_equal(am_int_parse("9223372036854775808", &v), 1);
    assert_int_equal(am_int_parse("-9223372036854775809", &v), 1);
    assert_int_equal(am_int_parse("99999999999999999999", &v), 1);
    assert_int_equal(am_int_parse("18446744073709551616", &v), 1);
    assert_int_equal(am_int_parse("99999999999999999999x", &v), -1);
    assert_int_equal(am_int_parse("", &v), -1);
    assert_int_equal(am_int_parse("-", &v), -1);
    assert_int_equal(am_int_parse(" 5", &v), -1);
    assert_int_equal(am_int_parse("5 ", &v), -1);
    assert_int_equal(am_int_parse("5.0", &v), -1);
    assert_int_equal(am_int_parse("1e3", &v), -1);
    assert_int_equal(am_int_parse(NULL, &v), -1);
}

/* -------------------------------------------------------------- paths */

static void test_path(void **state)
{
    am_path_t a = { NULL, "RecurrenceOccurrences", 0 };
    am_path_t b = { &a, NULL, 1 };
    am_path_t c = { &b, "Start", 0 };
    am_path_t d = { NULL, "RecurrenceInfo", 0 };
    am_path_t e = { &d, "DayNumber", 0 };
    am_path_t f = { &b, NULL, 12 };

    assert_string_equal(am_path_str(pool, &a), "RecurrenceOccurrences");
    assert_string_equal(am_path_str(pool, &b), "RecurrenceOccurrences[1]");
    assert_string_equal(am_path_str(pool, &c),
                        "RecurrenceOccurrences[1].Start");
    assert_string_equal(am_path_str(pool, &e), "RecurrenceInfo.DayNumber");
    assert_string_equal(am_path_str(pool, &f),
                        "RecurrenceOccurrences[1][12]");
    assert_string_equal(am_path_str(pool, NULL), "");
}

/* ----------------------------------------------------- value reading */

static const am_field_t *probe_field(const char *name)
{
    int i = am_type_field(&tt_probe, name);

    assert_true(i >= 0);
    return &tt_probe.fields[i];
}

static const char *read_check(const char *field, const char *text, int mode,
                              am_value_t *v)
{
    const am_field_t *f = probe_field(field);
    const char *msg;

    memset(v, 0, sizeof(*v));
    msg = am_value_from_text(pool, f, f->type, text, mode,
                             am_tz_get("UTC"), v);
    if (!msg) {
        msg = am_value_check(pool, f, f->type, 0, v);
    }
    return msg;
}

static void test_value_from_text(void **state)
{
    am_value_t v;
    const char *msg;

    /* integers: whitespace allowed around, range checked */
    assert_null(read_check("Count", " 7 ", AM_TEXT_XML, &v));
    assert_int_equal(v.u.i, 7);
    msg = read_check("Count", "11", AM_TEXT_XML, &v);
    assert_non_null(msg);
    assert_string_equal(msg, "The field Count must be between 1 and 10.");
    msg = read_check("Small", "3000000000", AM_TEXT_JSON, &v);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "too large or too small"));
    msg = read_check("Big", "99999999999999999999", AM_TEXT_JSON, &v);
    assert_non_null(strstr(msg, "Int64"));
    assert_non_null(read_check("Big", "1.5", AM_TEXT_JSON, &v));
    assert_non_null(read_check("Big", "", AM_TEXT_JSON, &v));

    /* booleans */
    assert_null(read_check("Flag", "True", AM_TEXT_JSON, &v));
    assert_int_equal(v.u.i, 1);
    assert_non_null(read_check("Flag", "True", AM_TEXT_XML, &v));
    assert_null(read_check("Flag", " 0 ", AM_TEXT_XML, &v));
    assert_int_equal(v.u.i, 0);
    assert_non_null(read_check("Flag", "1", AM_TEXT_JSON, &v));
    assert_non_null(read_check("Flag", "yes", AM_TEXT_XML, &v));

    /* enums: names (JSON any case), numbers (JSON only) */
    assert_null(read_check("Kind", "weekly", AM_TEXT_JSON, &v));
    assert_int_equal(v.u.i, 1);
    assert_null(read_check("Kind", "Weekly", AM_TEXT_XML, &v));
    assert_int_equal(v.u.i, 1);
    assert_non_null(read_check("Kind", "weekly", AM_TEXT_XML, &v));
    assert_null(read_check("Kind", "2", AM_TEXT_JSON, &v));
    assert_int_equal(v.u.i, 2);
    assert_non_null(read_check("Kind", "2", AM_TEXT_XML, &v));
    msg = read_check("Kind", "9", AM_TEXT_JSON, &v);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "Daily, Weekly, Monthly, Yearly"));

    /* flags */
    assert_null(read_check("Days", "Monday, wednesday", AM_TEXT_JSON, &v));
    assert_int_equal(v.u.i, 10);
    assert_null(read_check("Days", "Monday Wednesday", AM_TEXT_XML, &v));
    assert_int_equal(v.u.i, 10);
    assert_null(read_check("Days", "WorkDays Sunday", AM_TEXT_XML, &v));
    assert_int_equal(v.u.i, 63);
    assert_null(read_check("Days", "", AM_TEXT_XML, &v));
    assert_int_equal(v.u.i, 0);
    assert_non_null(read_check("Days", "Monday,", AM_TEXT_JSON, &v));
    assert_non_null(read_check("Days", "Monday, Funday", AM_TEXT_JSON, &v));
    assert_non_null(read_check("Days", "monday", AM_TEXT_XML, &v));
    assert_non_null(read_check("Days", "128", AM_TEXT_JSON, &v));
    assert_null(read_check("Days", "127", AM_TEXT_JSON, &v));

    /* strings: kept as given, length in characters */
    assert_null(read_check("Short", " \xc3\xa9\xc3\xa9 ", AM_TEXT_XML, &v));
    assert_string_equal(v.u.s, " \xc3\xa9\xc3\xa9 ");
    assert_null(read_check("Short", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                           AM_TEXT_JSON, &v));
    msg = read_check("Short", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x",
                     AM_TEXT_JSON, &v);
    assert_non_null(msg);
    assert_string_equal(msg, "The field Short must be a string with a"
                        " minimum length of 2 and a maximum length of 5.");
    assert_non_null(read_check("Short", "a", AM_TEXT_JSON, &v));

    /* GUID, decimal, dates */
    assert_null(read_check("Guid", "{0F8FAD5B-D9CB-469F-A165-70867728950E}",
                           AM_TEXT_JSON, &v));
    assert_string_equal(v.u.s, "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_non_null(read_check("Guid", "nope", AM_TEXT_JSON, &v));
    assert_null(read_check("Amount", " 12.50 ", AM_TEXT_XML, &v));
    assert_string_equal(v.u.s, "12.50");
    assert_non_null(read_check("Amount", "1e3", AM_TEXT_JSON, &v));
    assert_null(read_check("When", "2026-05-26T23:13:00.1670516+02:00",
                           AM_TEXT_JSON, &v));
    assert_true(v.u.t == tt_time("2026-05-26T21:13:00.1670516Z"));
    assert_non_null(read_check("When", "2026-02-30T10:00:00Z", AM_TEXT_JSON,
                               &v));
    assert_null(read_check("XWhen", "2017-02-25 11:50:00", AM_TEXT_JSON, &v));
    assert_true(v.u.t == tt_time("2017-02-25T11:50:00Z"));
    assert_non_null(read_check("XWhen", "2017-02-25T11:50:00", AM_TEXT_JSON,
                               &v));
}

static void test_required_blank_string(void **state)
{
    const am_field_t *f = &tt_occurrence.fields[3];       /* Title */
    am_value_t v;

    assert_string_equal(f->name, "Title");
    memset(&v, 0, sizeof(v));
    v.set = 1;
    v.u.s = "  ";
    assert_string_equal(am_value_check(pool, f, AM_T_STRING, 0, &v),
                        "The Title field is required.");
    v.u.s = "x";
    assert_null(am_value_check(pool, f, AM_T_STRING, 0, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_order_contract),
        cmocka_unit_test(test_xml_order_recursive_and_runtime),
        cmocka_unit_test(test_obj),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_guid),
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_int_parse),
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_value_from_text),
        cmocka_unit_test(test_required_blank_string),
    };
    int rc;

    apr_initialize();
    rc = cmocka_run_group_tests(tests, setup, teardown);
    apr_terminate();
    return rc;
}
