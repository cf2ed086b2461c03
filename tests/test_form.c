/* Licensed under the Apache License, Version 2.0.
 *
 * test_form.c: the application/x-www-form-urlencoded codec (src/form.c)
 * with the patient dialect's AppointmentModel (seed 003) and the Probe
 * type: names, collections, the same values and field errors as the
 * JSON codec, hostile input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_types.h"
#include "form.h"
#include "dialect_patient.h"

static apr_pool_t *pool;
static const am_tz_t *ams;

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

/* Seed 003's sample as a form, the way a browser or HttpClient's
 * FormUrlEncodedContent sends it ('+' of the offsets escaped). */
static const char seed_form[] =
    "EncounterTypeId=bcbcf9ba-a364-4229-ad2f-41c79776b29b"
    "&EncounterTypeModeDurationId=8dc019bc-baf1-4f25-a22f-e9669673db84"
    "&ProviderId=35892d05-0086-4366-930b-3fa374cac51e"
    "&UserId=84ef7a81-c643-4b8e-85e5-1ff52fc35f3d"
    "&PatientId=a25ad686-2f86-43e7-b238-9251e37e2c50"
    "&SpecialityId=f4a534e5-bc8e-4887-9316-050fd40db73d"
    "&AppointmentOn=2026-02-03T21%3A04%3A03.1544841-06%3A00"
    "&SecondaryAppointmentOn=2026-02-03T21:04:03.1544841-06:00"
    "&Reason=sample+string+3"
    "&Note=sample%20string%204"
    "&ParentId=ac738354-8370-4ef3-87ff-230048575027"
    "&ReferredParentId=3b82bbc1-ad2e-465d-bbb8-d076a1f091c0"
    "&PaidAmount=5.0"
    "&AccountId=3faed728-f67f-4bc0-888f-a8410d31c7df"
    "&ServiceId=34584373-414b-43f7-aaba-0a4453f6cd8f"
    "&MethodId=1"
    "&IsCustomFormFlow=sample+string+7"
    "&DocIds=sample+string+8"
    "&Reasons%5B0%5D.ReasonId=7b0d7dbd-2e54-48b9-a80d-fb468fda994e"
    "&Reasons[1].ReasonId=7b0d7dbd-2e54-48b9-a80d-fb468fda994e";

static am_obj_t *form_ok(const am_type_t *t, const char *text,
                         unsigned flags)
{
    am_obj_t *o = NULL;
    am_err_t *e = am_form_decode(pool, t, text, strlen(text), ams, flags,
                                 &o);

    if (e) {
        tt_print_err(e);
        fail_msg("form decode failed: %s", e->message);
    }
    assert_non_null(o);
    return o;
}

static am_err_t *form_err(const am_type_t *t, const char *text,
                          apr_size_t len)
{
    am_obj_t *o = (am_obj_t *)1;
    am_err_t *e = am_form_decode(pool, t, text, len, ams, 0, &o);

    if (!e) {
        fail_msg("form decode of '%s' succeeded", text);
    }
    assert_int_equal(e->status, 400);
    assert_null(o);
    return e;
}

static am_err_t *form_err_str(const am_type_t *t, const char *text)
{
    return form_err(t, text, strlen(text));
}

/* The body of the seed with the member name replaced by value (or left
 * out when value is NULL). */
static const char *seed_with(const char *name, const char *value)
{
    char *copy = apr_pstrdup(pool, seed_form), *last = NULL, *pair;
    const char *out = "";
    apr_size_t n = strlen(name);

    for (pair = apr_strtok(copy, "&", &last); pair;
         pair = apr_strtok(NULL, "&", &last)) {
        if (!strncmp(pair, name, n) && pair[n] == '=') {
            if (value) {
                out = apr_pstrcat(pool, out, *out ? "&" : "", name, "=",
                                  value, NULL);
            }
            continue;
        }
        out = apr_pstrcat(pool, out, *out ? "&" : "", pair, NULL);
    }
    return out;
}

static const char *str_of(am_obj_t *o, const char *name)
{
    am_value_t *v = tt_get(o, name);

    assert_true(v->set);
    assert_false(v->null);
    return v->u.s;
}

/* ------------------------------------------------------------- tests */

/* The seed sample as a form decodes to exactly what its JSON does. */
static void test_seed_form_equals_json(void **state)
{
    apr_size_t len;
    char *json = tt_read(pool, "seed003_AppointmentModel.json", &len);
    am_obj_t *j = NULL, *f = form_ok(&am_patient_appointment, seed_form, 0);
    apr_array_header_t *rs;
    int i;

    assert_null(am_json_decode(pool, &am_patient_appointment, json, len,
                               ams, 0, &j));
    for (i = 0; i < am_patient_appointment.nfields; i++) {
        const am_field_t *fd = &am_patient_appointment.fields[i];
        const am_value_t *a = &j->v[i], *b = &f->v[i];

        assert_int_equal(a->set, b->set);
        assert_int_equal(a->null, b->null);
        if (!a->set || a->null) {
            continue;
        }
        switch (fd->type) {
        case AM_T_GUID:
        case AM_T_STRING:
        case AM_T_DECIMAL:
            assert_string_equal(a->u.s, b->u.s);
            break;
        case AM_T_DATETIME:
            assert_int_equal(a->u.t, b->u.t);
            break;
        case AM_T_INT32:
            assert_int_equal(a->u.i, b->u.i);
            break;
        case AM_T_ARRAY:
            assert_int_equal(a->u.a->nelts, b->u.a->nelts);
            break;
        default:
            break;
        }
    }
    assert_string_equal(str_of(f, "Reason"), "sample string 3");
    assert_string_equal(str_of(f, "Note"), "sample string 4");
    assert_string_equal(str_of(f, "PaidAmount"), "5.0");
    assert_int_equal(tt_get(f, "MethodId")->u.i, 1);
    assert_int_equal(tt_get(f, "AppointmentOn")->u.t,
                     tt_time("2026-02-04T03:04:03.1544841Z"));
    rs = tt_get(f, "Reasons")->u.a;
    assert_int_equal(rs->nelts, 2);
    for (i = 0; i < 2; i++) {
        am_obj_t *r = APR_ARRAY_IDX(rs, i, am_value_t).u.o;

        assert_string_equal(str_of(r, "ReasonId"),
                            "7b0d7dbd-2e54-48b9-a80d-fb468fda994e");
    }
    /* read-only members are accepted (a bad value is no error) and not
     * taken into the appointment */
    f = form_ok(&am_patient_appointment,
                apr_pstrcat(pool, seed_form, "&Id=not-a-guid&Status=2"
                            "&CreatedBy=mallory&CancelReason=x", NULL), 0);
    assert_false(tt_get(f, "Id")->set);
    {
        am_appt_t *a = am_appt_make(pool, AM_KIND_PATIENT);

        assert_null(am_model_from_obj(pool, f, a, ams));
        assert_null(a->created_by_name);
        assert_null(a->reason);
        assert_int_equal(a->status, 0);
        assert_string_equal(a->title, "sample string 3");
        assert_string_equal(a->remarks, "sample string 4");
        assert_string_equal(am_appt_link(a, "patient"),
                            "a25ad686-2f86-43e7-b238-9251e37e2c50");
        assert_string_equal(am_appt_link(a, "provider"),
                            "35892d05-0086-4366-930b-3fa374cac51e");
        assert_non_null(strstr(a->ext, "\"PaidAmount\":5.0"));
    }
}

/* Names ignore case; jQuery's bracket forms; items in any order. */
static void test_names(void **state)
{
    am_obj_t *o = form_ok(&am_patient_appointment,
        apr_pstrcat(pool, seed_with("Reasons[1].ReasonId", NULL),
                    "&reasons[2][reasonid]=AAAAAAAA-BBBB-CCCC-DDDD-"
                    "EEEEEEEEEEEE&REASONS[1].REASONID=%7B00000000-0000-"
                    "0000-0000-000000000001%7D&unknown[x=1&Other.=2", NULL),
        0);
    apr_array_header_t *rs = tt_get(o, "Reasons")->u.a;

    assert_int_equal(rs->nelts, 3);
    assert_string_equal(str_of(APR_ARRAY_IDX(rs, 1, am_value_t).u.o,
                               "ReasonId"),
                        "00000000-0000-0000-0000-000000000001");
    assert_string_equal(str_of(APR_ARRAY_IDX(rs, 2, am_value_t).u.o,
                               "ReasonId"),
                        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

    /* the forms .NET's Guid.Parse takes */
    o = form_ok(&am_patient_appointment,
                seed_with("UserId", "84EF7A81C6434B8E85E51FF52FC35F3D"), 0);
    assert_string_equal(str_of(o, "UserId"),
                        "84ef7a81-c643-4b8e-85e5-1ff52fc35f3d");
    o = form_ok(&am_patient_appointment,
                seed_with("UserId",
                          "(84EF7A81-C643-4B8E-85E5-1FF52FC35F3D)"), 0);
    assert_string_equal(str_of(o, "UserId"),
                        "84ef7a81-c643-4b8e-85e5-1ff52fc35f3d");
}

/* Lengths count characters, not bytes. */
static void test_lengths(void **state)
{
    const char *e2 = "%C3%A9";      /* U+00E9, two bytes */
    char *r250 = "", *n1000 = "", *n1001;
    am_err_t *e;
    am_obj_t *o;
    int i;

    for (i = 0; i < 250; i++) {
        r250 = apr_pstrcat(pool, r250, e2, NULL);
    }
    for (i = 0; i < 1000; i++) {
        n1000 = apr_pstrcat(pool, n1000, e2, NULL);
    }
    o = form_ok(&am_patient_appointment,
                seed_with("Reason", r250), 0);
    assert_int_equal(strlen(str_of(o, "Reason")), 500);
    o = form_ok(&am_patient_appointment, seed_with("Note", n1000), 0);
    assert_int_equal(am_utf8_len(str_of(o, "Note")), 1000);

    e = form_err_str(&am_patient_appointment,
                     seed_with("Reason", apr_pstrcat(pool, r250, "x",
                                                     NULL)));
    assert_non_null(tt_field_msg(e, "Reason"));
    assert_non_null(strstr(tt_field_msg(e, "Reason"), "250"));
    n1001 = apr_pstrcat(pool, n1000, "%F0%9F%98%80", NULL);
    e = form_err_str(&am_patient_appointment, seed_with("Note", n1001));
    assert_non_null(tt_field_msg(e, "Note"));
    assert_int_equal(e->fields->nelts, 1);

    /* an empty Note is fine, an empty Reason is not (required) */
    o = form_ok(&am_patient_appointment, seed_with("Note", ""), 0);
    assert_string_equal(str_of(o, "Note"), "");
    e = form_err_str(&am_patient_appointment, seed_with("Reason", "+"));
    assert_string_equal(tt_field_msg(e, "Reason"),
                        "The Reason field is required.");
}

static void test_required(void **state)
{
    am_err_t *e = form_err_str(&am_patient_appointment,
                               "Note=x&PatientId=");
    static const char *const req[] = {
        "UserId", "AccountId", "AppointmentOn", "Reason"
    };
    int i;

    assert_int_equal(e->fields->nelts, 4);
    for (i = 0; i < 4; i++) {
        assert_non_null(tt_field_msg(e, req[i]));
    }
    /* empty values of required non-strings are missing values */
    e = form_err_str(&am_patient_appointment,
                     seed_with("UserId", ""));
    assert_string_equal(tt_field_msg(e, "UserId"),
                        "The UserId field is required.");
    e = form_err_str(&am_patient_appointment,
                     seed_with("AppointmentOn", ""));
    assert_non_null(tt_field_msg(e, "AppointmentOn"));
    /* optional ones are null */
    assert_true(tt_get(form_ok(&am_patient_appointment,
                               seed_with("ProviderId", ""), 0),
                       "ProviderId")->null);
    /* partial decoding does not ask for them */
    form_ok(&am_patient_appointment, "Note=x", AM_DEC_PARTIAL);
}

static void test_values(void **state)
{
    am_err_t *e;
    am_obj_t *o;

    o = form_ok(&am_patient_appointment,
                seed_with("PaidAmount", "12345678901234567890.12345678"),
                0);
    assert_string_equal(str_of(o, "PaidAmount"),
                        "12345678901234567890.12345678");
    o = form_ok(&am_patient_appointment, seed_with("PaidAmount", "-0.10"),
                0);
    assert_string_equal(str_of(o, "PaidAmount"), "-0.10");
    o = form_ok(&am_patient_appointment,
                seed_with("MethodId", "-2147483648"), 0);
    assert_int_equal(tt_get(o, "MethodId")->u.i, -2147483648LL);

    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool,
                                 seed_with("PaidAmount", "1e3"),
                                 NULL));
    assert_non_null(tt_field_msg(e, "PaidAmount"));
    e = form_err_str(&am_patient_appointment,
                     seed_with("MethodId", "2147483648"));
    assert_non_null(tt_field_msg(e, "MethodId"));
    e = form_err_str(&am_patient_appointment,
                     seed_with("MethodId", "1.5"));
    assert_non_null(tt_field_msg(e, "MethodId"));
    e = form_err_str(&am_patient_appointment,
                     seed_with("ServiceId", "34584373-414b-43f7-aaba"));
    assert_non_null(strstr(tt_field_msg(e, "ServiceId"), "32 digits"));
    e = form_err_str(&am_patient_appointment,
                     seed_with("AppointmentOn", "2026-02-30T10:00:00Z"));
    assert_non_null(tt_field_msg(e, "AppointmentOn"));

    /* every bad field at once, keys as in JSON */
    e = form_err_str(&am_patient_appointment,
                     "UserId=x&AccountId=y&AppointmentOn=z&Reason=ok"
                     "&Reasons[0].ReasonId=bad&MethodId=q");
    assert_int_equal(e->fields->nelts, 5);
    assert_non_null(tt_field_msg(e, "Reasons[0].ReasonId"));
}

static void test_structure_errors(void **state)
{
    am_err_t *e;

    /* given twice */
    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool, seed_form, "&reason=again", NULL));
    assert_non_null(strstr(tt_field_msg(e, "Reason"), "more than once"));
    /* a gap in the indexes */
    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool, seed_form,
                                 "&Reasons[3].ReasonId="
                                 "7b0d7dbd-2e54-48b9-a80d-fb468fda994e",
                                 NULL));
    assert_non_null(tt_field_msg(e, "Reasons[2]"));
    /* an index beyond any collection */
    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool, seed_form,
                                 "&Reasons[100000].ReasonId=x", NULL));
    assert_non_null(tt_field_msg(e, "Reasons[100000].ReasonId"));
    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool, seed_form,
                                 "&Reasons[5000].ReasonId=x", NULL));
    assert_non_null(tt_field_msg(e, "Reasons"));
    /* a value where an object is expected, and the reverse */
    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool, seed_with("Reasons[0].ReasonId",
                                                 NULL),
                                 "&Reasons[0]=x", NULL));
    assert_non_null(tt_field_msg(e, "Reasons[0]"));
    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool, seed_with("UserId", NULL),
                                 "&UserId.Value=x", NULL));
    assert_non_null(tt_field_msg(e, "UserId"));
    /* a malformed name of a known member */
    e = form_err_str(&am_patient_appointment,
                     apr_pstrcat(pool, seed_form, "&Reasons[0", NULL));
    assert_non_null(tt_field_msg(e, "Reasons[0"));
}

static void test_syntax(void **state)
{
    static const char nul[] = "Reason=a\0b";
    am_err_t *e;

    e = form_err_str(&am_patient_appointment, "Reason=%zz");
    assert_false(am_err_has_fields(e));
    e = form_err_str(&am_patient_appointment, "Reason=%4");
    assert_false(am_err_has_fields(e));
    e = form_err_str(&am_patient_appointment, "Reason=a%00b");
    assert_false(am_err_has_fields(e));
    e = form_err(&am_patient_appointment, nul, sizeof(nul) - 1);
    assert_false(am_err_has_fields(e));
    /* invalid UTF-8 is a field error */
    e = form_err_str(&am_patient_appointment, seed_with("Note", "%FF%FE"));
    assert_non_null(strstr(tt_field_msg(e, "Note"), "UTF-8"));
    e = form_err_str(&am_patient_appointment,
                     seed_with("Note", "%ED%A0%80"));  /* a surrogate */
    assert_non_null(tt_field_msg(e, "Note"));
}

/* The Probe type: scalar collections, nested objects, limits, read-only
 * members. */
static void test_probe(void **state)
{
    am_obj_t *o;
    am_err_t *e;
    apr_array_header_t *a;

    o = form_ok(&tt_probe, "Names=a&Names=b+c&Tags[0]=1&Tags[1]=%2B2"
                "&Child.Short=abc&Child.Children[0].Count=3&Kind=weekly"
                "&Days=Monday,+Wednesday&Flag=TRUE&Hidden=notanumber", 0);
    a = tt_get(o, "Names")->u.a;
    assert_int_equal(a->nelts, 2);
    assert_string_equal(APR_ARRAY_IDX(a, 1, am_value_t).u.s, "b c");
    a = tt_get(o, "Tags")->u.a;
    assert_int_equal(a->nelts, 2);
    assert_int_equal(APR_ARRAY_IDX(a, 1, am_value_t).u.i, 2);
    assert_string_equal(str_of(tt_get(o, "Child")->u.o, "Short"), "abc");
    a = tt_get(tt_get(o, "Child")->u.o, "Children")->u.a;
    assert_int_equal(a->nelts, 1);
    assert_int_equal(tt_get(APR_ARRAY_IDX(a, 0, am_value_t).u.o,
                            "Count")->u.i, 3);
    assert_int_equal(tt_get(o, "Kind")->u.i, 1);
    assert_int_equal(tt_get(o, "Days")->u.i, 2 | 8);
    assert_int_equal(tt_get(o, "Flag")->u.i, 1);
    assert_false(tt_get(o, "Hidden")->set);

    o = form_ok(&tt_probe, "Names[]=x&Names[]=y", 0);
    assert_int_equal(tt_get(o, "Names")->u.a->nelts, 2);

    e = form_err_str(&tt_probe, "Tags=1&Tags=2&Tags=3&Tags=4");
    assert_non_null(tt_field_msg(e, "Tags"));
    e = form_err_str(&tt_probe, "Tags=1&Tags[0]=2");
    assert_non_null(tt_field_msg(e, "Tags"));
    e = form_err_str(&tt_probe, "Tags=x");
    assert_non_null(tt_field_msg(e, "Tags[0]"));
    e = form_err_str(&tt_probe, "Count=11&Short=a&Child.Count=0");
    assert_non_null(tt_field_msg(e, "Count"));
    assert_non_null(tt_field_msg(e, "Short"));
    assert_non_null(tt_field_msg(e, "Child.Count"));
    e = form_err_str(&tt_probe, "Child=x");
    assert_non_null(tt_field_msg(e, "Child"));
    e = form_err_str(&tt_probe, "NonNull=");
    assert_non_null(tt_field_msg(e, "NonNull"));
}

/* Deep names stop at a limit, not at the stack's end. */
static void test_depth(void **state)
{
    const char *deep = "Child";
    am_err_t *e;
    int i;

    for (i = 0; i < 40; i++) {
        deep = apr_pstrcat(pool, deep, ".Child", NULL);
    }
    e = form_err_str(&tt_probe, apr_pstrcat(pool, deep, ".Count=1", NULL));
    assert_true(am_err_has_fields(e));
    deep = "Child";
    for (i = 0; i < 20; i++) {
        deep = apr_pstrcat(pool, deep, ".Child", NULL);
    }
    e = form_err_str(&tt_probe, apr_pstrcat(pool, deep, ".Count=1", NULL));
    assert_true(am_err_has_fields(e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_form_equals_json),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_depth),
    };
    apr_pool_t *init;

    apr_initialize();
    apr_pool_create(&init, NULL);
    ams = am_tz_get("Europe/Amsterdam");
    if (!ams) {
        fprintf(stderr, "time zones unavailable\n");
        return 1;
    }
    tt_init_types(init);
    am_dialects_init(init);
    return cmocka_run_group_tests(tests, setup, teardown);
}
