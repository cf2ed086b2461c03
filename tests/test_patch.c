/* Licensed under the Apache License, Version 2.0.
 *
 * test_patch.c: JSON patch operations on an object of a field table
 * (src/patch.c), on a table of its own: replace with the member's own
 * checks, a scalar for an object's key member, sets with keys in the
 * path or the value, integer keys by value, derived members left out of
 * a change, and each refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include "patch.h"
#include "codec.h"

static apr_pool_t *pool;

static const am_field_t tag_fields[] = {
    { .name = "id", .type = AM_T_STRING, .flags = AM_F_KEY },
    { .name = "label", .type = AM_T_STRING },
};
static am_type_t tag = { "Tag", "urn:t", tag_fields, 2, NULL, NULL };

static const am_field_t note_fields[] = {
    { .name = "text", .type = AM_T_STRING, .flags = AM_F_KEY },
};
static am_type_t note = { "Note", "urn:t", note_fields, 1, NULL, NULL };

static const am_field_t thing_fields[] = {
    { .name = "name", .type = AM_T_STRING, .max = 5 },
    { .name = "count", .type = AM_T_INT32, .min = 0, .max = 9 },
    { .name = "flag", .type = AM_T_BOOL, .flags = AM_F_NONNULL },
    { .name = "tags", .type = AM_T_ARRAY, .elem = AM_T_OBJECT, .sub = &tag,
      .flags = AM_F_SET, .max = 3 },
    { .name = "note", .type = AM_T_OBJECT, .sub = &note },
    { .name = "hint", .type = AM_T_STRING, .flags = AM_F_DERIVED },
    { .name = "fixed", .type = AM_T_BOOL, .flags = AM_F_FIXED },
    { .name = "id", .type = AM_T_STRING, .flags = AM_F_READONLY },
};
static am_type_t thing = { "Thing", "urn:t", thing_fields, 8, NULL, NULL };

static const am_field_t op_fields[] = {
    { .name = "op", .type = AM_T_STRING },
    { .name = "path", .type = AM_T_STRING },
    { .name = "value", .type = AM_T_ANY },
};
static am_type_t op_type = { "Op", "urn:t", op_fields, 3, NULL, NULL };
static const am_field_t ops_fields[] = {
    { .name = "operations", .type = AM_T_ARRAY, .elem = AM_T_OBJECT,
      .sub = &op_type },
};
static am_type_t ops_type = { "Ops", "urn:t", ops_fields, 1, NULL, NULL };

static am_obj_t *decode(const am_type_t *t, const char *json)
{
    am_obj_t *o = NULL;

    assert_null(am_json_decode(pool, t, json, strlen(json), NULL, 0, &o));
    return o;
}

/* The operations ops (JSON array text) on o: NULL or the error. */
static am_err_t *run(am_obj_t *o, const char *ops)
{
    am_obj_t *b = decode(&ops_type, apr_pstrcat(pool, "{\"operations\": ",
                                                 ops, "}", NULL));
    am_err_t *err = NULL;

    am_patch_apply(pool, o, am_obj_get(b, "operations")->u.a, NULL, NULL,
                   &err);
    return err;
}

static const char *encoded(const am_obj_t *o)
{
    return am_json_encode(pool, o, NULL, NULL);
}

static am_obj_t *sample(void)
{
    return decode(&thing, "{\"name\": \"a\", \"count\": 1, \"flag\": true,"
                  " \"tags\": [{\"id\": \"7\", \"label\": \"seven\"}],"
                  " \"note\": {\"text\": \"n\"}, \"hint\": \"h\"}");
}

static void test_replace(void **state)
{
    am_obj_t *o = sample();

    assert_null(run(o, "[{\"op\": \"replace\", \"path\": \"/name\","
                    " \"value\": \"b\"}, {\"op\": \"replace\", \"path\":"
                    " \"/count\", \"value\": null}, {\"op\": \"replace\","
                    " \"path\": \"/note\", \"value\": \"scalar\"}]"));
    assert_string_equal(am_obj_get(o, "name")->u.s, "b");
    assert_true(am_obj_get(o, "count")->null);
    assert_string_equal(am_obj_get(am_obj_get(o, "note")->u.o, "text")->u.s,
                        "scalar");
    assert_null(run(o, "[{\"op\": \"replace\", \"path\": \"/note\","
                    " \"value\": {\"text\": \"obj\"}}]"));
    assert_string_equal(am_obj_get(am_obj_get(o, "note")->u.o, "text")->u.s,
                        "obj");
}

static void test_sets(void **state)
{
    am_obj_t *o = sample();

    assert_null(run(o, "[{\"op\": \"add\", \"path\": \"/tags/8\"},"
                    " {\"op\": \"add\", \"path\": \"/tags\", \"value\": \"007\"},"
                    " {\"op\": \"add\", \"path\": \"/tags\", \"value\":"
                    " {\"id\": \"9\", \"label\": \"nine\"}},"
                    " {\"op\": \"remove\", \"path\": \"/tags/8\"},"
                    " {\"op\": \"remove\", \"path\": \"/tags/42\"}]"));
    assert_string_equal(encoded(o) + strlen("{\"name\":\"a\",\"count\":1,"
                                            "\"flag\":true,"),
                        "\"tags\":[{\"id\":\"7\",\"label\":\"seven\"},"
                        "{\"id\":\"9\",\"label\":\"nine\"}],\"note\":"
                        "{\"text\":\"n\"},\"hint\":\"h\",\"fixed\":null,"
                        "\"id\":null}");
    /* the set's item cap */
    assert_null(run(o, "[{\"op\": \"add\", \"path\": \"/tags/1\"}]"));
    assert_non_null(run(o, "[{\"op\": \"add\", \"path\": \"/tags/2\"}]"));
}

static void test_base(void **state)
{
    am_obj_t *o = sample();

    am_patch_base(o);
    assert_false(am_obj_get(o, "hint")->set);
    assert_string_equal(am_obj_get(o, "name")->u.s, "a");
}

static void test_refused(void **state)
{
    static const char *const bad[] = {
        "{\"op\": \"move\", \"path\": \"/name\"}",
        "{\"op\": \"add\", \"path\": \"/name\", \"value\": \"x\"}",
        "{\"op\": \"replace\", \"path\": \"/tags\", \"value\": \"1\"}",
        "{\"op\": \"replace\", \"path\": \"/nothing\", \"value\": 1}",
        "{\"op\": \"replace\", \"path\": \"name\", \"value\": \"x\"}",
        "{\"op\": \"replace\", \"path\": \"/name/x\", \"value\": \"x\"}",
        "{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"toolong\"}",
        "{\"op\": \"replace\", \"path\": \"/count\", \"value\": 10}",
        "{\"op\": \"replace\", \"path\": \"/flag\", \"value\": null}",
        "{\"op\": \"replace\", \"path\": \"/name\"}",
        "{\"op\": \"replace\", \"path\": \"/id\", \"value\": \"x\"}",
        "{\"op\": \"replace\", \"path\": \"/fixed\", \"value\": true}",
        "{\"op\": \"add\", \"path\": \"/tags\"}",
        "{\"op\": \"add\", \"path\": \"/tags/1/2\"}",
        "{\"op\": \"add\", \"path\": \"/tags/\"}",
        "{\"path\": \"/name\", \"value\": \"x\"}",
    };
    int i;

    for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
        am_err_t *e = run(sample(), apr_pstrcat(pool, "[", bad[i], "]",
                                                NULL));

        if (!e) {
            fail_msg("accepted: %s", bad[i]);
        }
        assert_int_equal(e->status, 400);
        assert_true(am_err_has_fields(e));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_base),
        cmocka_unit_test(test_refused),
    };
    int rc;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    am_type_init(pool, &thing);
    am_type_init(pool, &ops_type);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
