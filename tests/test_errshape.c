/* Licensed under the Apache License, Version 2.0.
 *
 * test_errshape.c: ASP.NET's HttpError bodies (src/errshape.c): the XML
 * ModelState keys are element names as XmlConvert.EncodeLocalName makes
 * them.  The expected names are what mono's XmlConvert.EncodeLocalName
 * returns for the same keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "errshape.h"
#include "route.h"

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

/* The XML body of an error with one field error under key. */
static const char *xml_for(const char *key)
{
    am_err_t *e = am_err_invalid(pool);
    apr_size_t len;

    am_err_field(pool, e, key, "m");
    return am_aspnet_error_body(pool, NULL, e, AM_FMT_XML, &len);
}

static void test_encode_local_name(void **state)
{
    static const char *const cases[][2] = {
        { "model.Reasons[1].ReasonId",
          "model.Reasons_x005B_1_x005D_.ReasonId" },
        { "appointment.ClientIds[1]", "appointment.ClientIds_x005B_1_x005D_" },
        { "_x0041_", "_x005F_x0041_" },
        { "a_x0041_b", "a_x005F_x0041_b" },
        { "_x12", "_x12" },
        { "1abc", "_x0031_abc" },
        { "a b", "a_x0020_b" },
        { "-x", "_x002D_x" },
        { ".x", "_x002E_x" },
        { "x:y", "x_x003A_y" },
        { "\xc3\xa9", "\xc3\xa9" },
        { "\xc3\x84.b", "\xc3\x84.b" },
        { "x\xc2\xb7y", "x\xc2\xb7y" },
        { "a\xf0\x9f\x98\x80", "a_x0001F600_" },
        { "__", "__" },
        { "a!\"#$%&'()*+,/;<=>?@\\^`{|}~z",
          "a_x0021__x0022__x0023__x0024__x0025__x0026__x0027__x0028_"
          "_x0029__x002A__x002B__x002C__x002F__x003B__x003C__x003D_"
          "_x003E__x003F__x0040__x005C__x005E__x0060__x007B__x007C_"
          "_x007D__x007E_z" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *body = xml_for(cases[i][0]);
        const char *want = apr_pstrcat(pool, "<ModelState><", cases[i][1],
                                       ">m</", cases[i][1], ">", NULL);

        if (!strstr(body, want)) {
            fail_msg("key %s: %s", cases[i][0], body);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_local_name),
    };

    apr_initialize();
    return cmocka_run_group_tests(tests, setup, teardown);
}
