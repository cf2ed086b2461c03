/* Licensed under the Apache License, Version 2.0.
 *
 * store_fixture.h: the unit tests' store on a SQLite file (include after
 * cmocka.h and store.h): a new connection of driver to file, its
 * statements prepared in p, the schema created or migrated; the test
 * fails when that does not work.
 */
#ifndef AM_STORE_FIXTURE_H
#define AM_STORE_FIXTURE_H

static am_store_t *am_test_store(apr_pool_t *p,
                                 const apr_dbd_driver_t *driver,
                                 const char *file)
{
    am_store_t *s = apr_pcalloc(p, sizeof(*s));
    apr_dbd_t *h = NULL;
    am_err_t *e;

    assert_int_equal(apr_dbd_open(driver, p, file, &h), APR_SUCCESS);
    s->pool = p;
    s->driver = driver;
    s->handle = h;
    s->prepared = apr_hash_make(p);
    e = am_store_connect(p, driver, h, s->prepared);
    if (e) {
        fail_msg("connect: %s", e->message);
    }
    return s;
}

#endif
