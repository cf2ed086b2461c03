/* Licensed under the Apache License, Version 2.0.
 *
 * test_model.c: the mapping between wire objects and the canonical
 * appointment: core members, links, and ext merged so that members other
 * dialects wrote survive, digits exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include "codec.h"
#include "dialect_plancare2.h"
#include "dialect_patient.h"

static apr_pool_t *pool;
static const am_tz_t *ams;

static am_obj_t *seed002(void)
{
    char buf[8192];
    FILE *f = fopen("../t/data/seed002_ContractAppointment.json", "r");
    size_t n;
    am_obj_t *o = NULL;

    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    assert_null(am_json_decode(pool, &am_pc2_contract, buf, n, ams, 0, &o));
    return o;
}

static void test_core_and_links(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);
    am_obj_t *o = seed002(), *back;

    assert_null(am_model_from_obj(pool, o, a, ams));
    assert_string_equal(a->title, "sample string 11");
    assert_string_equal(a->location, "sample string 19");
    assert_int_equal(a->all_day, 1);
    assert_string_equal(am_appt_link(a, "client"), "6");
    assert_string_equal(am_appt_link(a, "employee"), "1");
    /* Read-only members are not taken from the body. */
    assert_null(a->created_by_name);
    assert_null(a->reason);

    a->id = 42;
    back = am_model_to_obj(pool, &am_pc2_contract, a, ams);
    assert_int_equal(am_obj_get(back, "Id")->u.i, 42);
    assert_int_equal(am_obj_get(back, "ClientId")->u.i, 6);
    assert_int_equal(am_obj_get(back, "ContractId")->u.i, 1);
    assert_string_equal(am_obj_get(back, "ProductName")->u.s,
                        "sample string 3");
    assert_int_equal(am_obj_get(back, "Start")->u.t,
                     am_obj_get(o, "Start")->u.t);
}

static void test_ext_merge(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);
    am_obj_t *o = seed002();

    /* Members another dialect wrote, one a 28-digit decimal. */
    a->ext = "{\"userStatus\":\"online\","
             "\"PaidAmount\":1234567890123456789012345678,"
             "\"ProductName\":\"old\"}";
    assert_null(am_model_from_obj(pool, o, a, ams));
    assert_non_null(strstr(a->ext, "\"userStatus\":\"online\""));
    assert_non_null(strstr(a->ext,
                           "\"PaidAmount\":1234567890123456789012345678"));
    assert_non_null(strstr(a->ext, "\"ProductName\":\"sample string 3\""));
    assert_null(strstr(a->ext, "\"old\""));
    assert_non_null(strstr(a->ext, "\"ContractId\":1"));

    /* A whole-object change clears this type's members it leaves out,
     * and keeps the others'. */
    am_obj_get(o, "ProductName")->set = 0;
    assert_null(am_model_from_obj_ex(pool, o, a, ams, AM_MODEL_REPLACE));
    assert_null(strstr(a->ext, "ProductName"));
    assert_non_null(strstr(a->ext, "\"userStatus\":\"online\""));

    /* A merge that sets nothing of ext leaves the text alone. */
    {
        am_obj_t *empty = am_obj_make(pool, &am_pc2_contract);
        const char *before = a->ext;
        assert_null(am_model_from_obj(pool, empty, a, ams));
        assert_ptr_equal(a->ext, before);
    }
}

/* A whole-object change replaces the relations its type maps (clearing
 * those it leaves out) and keeps the others: those of another dialect,
 * and those its type only reads (the employee calendar's owner). */
static void test_replace_links(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_XELION);
    am_obj_t *o = seed002();
    am_obj_t *emp;
    int i, n;

    am_appt_add_link(pool, a, "calendar", "555");
    am_appt_add_link(pool, a, "participant", "777");
    am_appt_add_link(pool, a, "client", "9");
    am_appt_add_link(pool, a, "employee", "3");
    am_obj_get(o, "EmployeeId")->set = 0;
    assert_null(am_model_from_obj_ex(pool, o, a, ams, AM_MODEL_REPLACE));
    assert_string_equal(am_appt_link(a, "client"), "6");
    assert_null(am_appt_link(a, "employee"));
    assert_string_equal(am_appt_link(a, "calendar"), "555");
    assert_string_equal(am_appt_link(a, "participant"), "777");
    for (i = 0, n = 0; i < a->links->nelts; i++) {
        n += !strcmp(APR_ARRAY_IDX(a->links, i, am_link_t).rel, "client");
    }
    assert_int_equal(n, 1);
    assert_int_equal(a->links->nelts, 3);

    /* Without AM_MODEL_REPLACE a relation left out stays. */
    am_appt_add_link(pool, a, "employee", "3");
    assert_null(am_model_from_obj(pool, o, a, ams));
    assert_string_equal(am_appt_link(a, "employee"), "3");

    /* A read-only relation is not the body's to clear. */
    a = am_appt_make(pool, AM_KIND_EMPLOYEE);
    am_appt_add_link(pool, a, "employee", "1");
    emp = am_obj_make(pool, &am_pc2_change_employee);
    am_obj_set_str(emp, "Title", "mine");
    assert_null(am_model_from_obj_ex(pool, emp, a, ams, AM_MODEL_REPLACE));
    assert_string_equal(am_appt_link(a, "employee"), "1");
    assert_int_equal(a->links->nelts, 1);
}

/* am_ext_merge, as the Xelion dialect calls it: its members replace
 * theirs, other dialects' members keep their exact text. */
static void test_ext_merge_direct(void **state)
{
    static const am_field_t fields[] = {
        { .name = "userStatus", .type = AM_T_STRING, .member = AM_M_EXT },
        { .name = "internal", .type = AM_T_BOOL, .member = AM_M_EXT },
    };
    static am_type_t t = { "Ext", "urn:x", fields, 2, NULL };
    am_obj_t *xo = am_obj_make(pool, &t);
    const char *out;

    am_obj_set_str(xo, "userStatus", "online");
    out = am_ext_merge(pool, "{\"PaidAmount\":1234567890123456789012345678,"
                       "\"userStatus\":\"offline\",\"Note\":\"a,\\\"b}\"}",
                       xo, ams, 0);
    assert_non_null(strstr(out, "\"PaidAmount\":1234567890123456789012345678"));
    assert_non_null(strstr(out, "\"Note\":\"a,\\\"b}\""));
    assert_non_null(strstr(out, "\"userStatus\":\"online\""));
    assert_null(strstr(out, "offline"));
    assert_null(strstr(out, "internal"));
    /* Nothing set, nothing changed. */
    assert_string_equal(am_ext_merge(pool, "{\"a\":1}", am_obj_make(pool, &t),
                                     ams, 0), "{\"a\":1}");
}

/* A write's answer takes its ext members from what the write decoded
 * (the memo), not from decoding the text it stored: both give the same
 * answer, in JSON and in XML. */
static void answer_same(const am_type_t *t, const char *body, int xml)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);
    am_obj_t *o = NULL, *fast, *slow;
    int i;
    am_err_t *e = xml ? am_xml_decode(pool, t, body, strlen(body), ams, 0, &o)
                      : am_json_decode(pool, t, body, strlen(body), ams, 0,
                                       &o);

    if (e) {
        const char *why = e->fields && e->fields->nelts
            ? APR_ARRAY_IDX(e->fields, 0, am_fielderr_t).key : "";
        fail_msg("%s: %s %s", t->name, e->message, why);
    }
    assert_null(am_model_from_obj(pool, o, a, ams));
    for (i = 0; i < t->nfields && t->fields[i].member != AM_M_EXT; i++) {
    }
    if (i == t->nfields) {
        assert_null(a->ext_memo);       /* the type has no ext member */
        return;
    }
    assert_non_null(a->ext_memo);
    assert_ptr_equal(a->ext_memo_text, a->ext);
    fast = am_model_to_obj(pool, t, a, ams);
    a->ext_memo = NULL;
    slow = am_model_to_obj(pool, t, a, ams);
    assert_string_equal(am_json_encode(pool, fast, ams, NULL),
                        am_json_encode(pool, slow, ams, NULL));
    assert_string_equal(am_xml_encode(pool, fast, ams, NULL),
                        am_xml_encode(pool, slow, ams, NULL));
}

static char *slurp(const char *name)
{
    static char buf[16384];
    char path[256];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "../t/data/%s", name);
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return apr_pstrdup(pool, buf);
}

static void test_answer_from_memo(void **state)
{
    am_appt_t *a = am_appt_make(pool, AM_KIND_CONTRACT);
    am_obj_t *o = seed002();

    answer_same(&am_pc2_contract, slurp("seed002_ContractAppointment.json"), 0);
    answer_same(&am_pc2_contract, slurp("seed002_ContractAppointment.xml"), 1);
    answer_same(&am_pc2_occurrence,
                slurp("seed000_OccurrenceAppointment.json"), 0);
    answer_same(&am_pc2_change_team,
                slurp("seed001_ChangeOfTeamAppointment.json"), 0);
    answer_same(&am_patient_appointment,
                slurp("seed003_AppointmentModel.json"), 0);
    /* Explicit nulls, empty texts, digits beyond a double. */
    answer_same(&am_pc2_contract,
                "{\"ClientId\":6,\"ContractId\":1,\"ProductId\":2,"
                "\"IsAllDay\":false,"
                "\"MovesToNextDay\":false,\"Title\":\"t\","
                "\"Start\":\"2026-05-26T08:00:00Z\","
                "\"End\":\"2026-05-26T09:00:00-06:00\","
                "\"ProductName\":null,\"ProjectId\":\"\","
                "\"ProjectName\":\"\\u00e9\\\"q\\\"\"}", 0);
    answer_same(&am_patient_appointment,
                "{\"UserId\":\"84EF7A81-C643-4B8E-85E5-1FF52FC35F3D\","
                "\"AccountId\":\"3faed728-f67f-4bc0-888f-a8410d31c7df\","
                "\"Reason\":\"r\",\"ParentId\":null,"
                "\"AppointmentOn\":\"2026-02-03T21:04:03.1544841-06:00\","
                "\"PaidAmount\":12345678901234567890.1234567,"
                "\"Note\":null,\"Reasons\":[]}", 0);

    /* A write over stored members decodes the merged text. */
    a->ext = "{\"userStatus\":\"online\"}";
    assert_null(am_model_from_obj(pool, o, a, ams));
    assert_null(a->ext_memo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_and_links),
        cmocka_unit_test(test_ext_merge),
        cmocka_unit_test(test_answer_from_memo),
        cmocka_unit_test(test_ext_merge_direct),
        cmocka_unit_test(test_replace_links),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    am_codec_init();
    am_dialects_init(pool);
    ams = am_tz_get("Europe/Amsterdam");
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
