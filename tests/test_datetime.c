/* Licensed under the Apache License, Version 2.0.
 *
 * test_datetime.c: cmocka tests of instants, calendar arithmetic, the ISO
 * 8601 and Xelion formats and time zones (src/datetime.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <libical/ical.h>

#include "datetime.h"

static apr_pool_t *pool;
static const am_tz_t *ams, *nyc, *chi, *utc;

static int setup(void **state)
{
    (void)state;
    if (apr_initialize() != APR_SUCCESS
        || apr_pool_create(&pool, NULL) != APR_SUCCESS) {
        return -1;
    }
    ams = am_tz_get("Europe/Amsterdam");
    nyc = am_tz_get("America/New_York");
    chi = am_tz_get("America/Chicago");
    utc = am_tz_get("UTC");
    return (ams && nyc && chi && utc) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}

/* The instant of a civil time at a fixed offset (seconds east). */
static am_time_t mk(int y, int mo, int d, int h, int mi, int s, int frac,
                    int offset)
{
    am_civil_t c = { y, mo, d, h, mi, s, frac };

    return am_civil_to_time(&c, offset);
}

/* Parses s in tz, which must succeed. */
static am_time_t parse_ok(const char *s, const am_tz_t *tz)
{
    am_time_t t = 12345;

    if (am_time_parse_iso(s, tz, &t) != 0) {
        print_error("refused: \"%s\"\n", s);
        fail();
    }
    return t;
}

static void assert_roundtrip(const char *s, const am_tz_t *tz)
{
    am_time_t t = parse_ok(s, tz);

    assert_string_equal(am_time_format_iso(pool, t, tz), s);
}

/* ------------------------------------------------------------------ */

static void test_seed_roundtrips(void **state)
{
    am_time_t t;

    (void)state;
    assert_roundtrip("2026-05-26T23:13:00.1670516+02:00", ams);
    assert_roundtrip("2026-05-26T21:02:03.284509+02:00", ams);
    assert_roundtrip("2026-05-26T23:18:26.2915874+02:00", ams);
    assert_roundtrip("2026-02-03T21:04:03.1544841-06:00", chi);

    t = parse_ok("2026-05-26T21:13:00.1670516Z", ams);
    assert_string_equal(am_time_format_iso(pool, t, ams),
                        "2026-05-26T23:13:00.1670516+02:00");
    assert_true(t == parse_ok("2026-05-26T23:13:00.1670516+02:00", ams));
    assert_true(t == mk(2026, 5, 26, 21, 13, 0, 1670516, 0));

    /* A January instant gets CET. */
    t = parse_ok("2026-01-15T12:00:00Z", ams);
    assert_string_equal(am_time_format_iso(pool, t, ams),
                        "2026-01-15T13:00:00+01:00");
}

static void test_fractions(void **state)
{
    am_time_t base = mk(2026, 5, 26, 21, 13, 0, 0, 0);

    (void)state;
    assert_true(parse_ok("2026-05-26T21:13:00.1670516Z", utc)
                == base + 1670516);
    assert_true(parse_ok("2026-05-26T21:13:00.167051Z", utc)
                == base + 1670510);
    assert_true(parse_ok("2026-05-26T21:13:00.1Z", utc) == base + 1000000);
    assert_true(parse_ok("2026-05-26T21:13:00.0000001Z", utc) == base + 1);
    assert_true(parse_ok("2026-05-26T21:13:00.000001Z", utc) == base + 10);
    assert_true(parse_ok("2026-05-26T21:13:00Z", utc) == base);
    assert_true(parse_ok("2026-05-26T21:13:00.0Z", utc) == base);
    assert_true(parse_ok("2026-05-26T21:13:00.0000000Z", utc) == base);
    assert_true(parse_ok("2026-05-26T21:13Z", utc) == base);

    /* Trailing zeros dropped, a zero fraction omitted. */
    assert_string_equal(am_time_format_iso(pool, base + 1000000, utc),
                        "2026-05-26T21:13:00.1+00:00");
    assert_string_equal(am_time_format_iso(pool, base + 1, utc),
                        "2026-05-26T21:13:00.0000001+00:00");
    assert_string_equal(am_time_format_iso(pool, base + 10, utc),
                        "2026-05-26T21:13:00.000001+00:00");
    assert_string_equal(am_time_format_iso(pool, base + 9999999, utc),
                        "2026-05-26T21:13:00.9999999+00:00");
    assert_string_equal(am_time_format_iso(pool, base, utc),
                        "2026-05-26T21:13:00+00:00");
    assert_string_equal(am_time_format_iso(pool, base, ams),
                        "2026-05-26T23:13:00+02:00");
    assert_roundtrip("2026-05-26T23:13:00.1+02:00", ams);
    assert_roundtrip("2026-05-26T23:13:00+02:00", ams);
}

static void test_offsets(void **state)
{
    am_time_t z;

    (void)state;
    z = parse_ok("2026-05-26T21:13:00Z", ams);
    assert_true(parse_ok("2026-05-26T21:13:00+00:00", ams) == z);
    assert_true(parse_ok("2026-05-26T21:13:00-00:00", ams) == z);
    assert_true(parse_ok("2026-05-26T23:13:00+02:00", nyc) == z);
    assert_true(parse_ok("2026-05-26T15:13:00-06:00", ams) == z);
    assert_true(parse_ok("2026-05-27T02:43:00+05:30", ams) == z);
    assert_true(parse_ok("2026-05-26T17:43:00-03:30", ams) == z);
    assert_true(parse_ok("2026-05-27T11:13:00+14:00", ams) == z);
    assert_true(parse_ok("2026-05-26T07:13:00-14:00", ams) == z);

    /* The patient seed: -06:00 in any output zone is the same instant. */
    z = parse_ok("2026-02-03T21:04:03.1544841-06:00", ams);
    assert_true(z == mk(2026, 2, 4, 3, 4, 3, 1544841, 0));
    assert_string_equal(am_time_format_iso(pool, z, ams),
                        "2026-02-04T04:04:03.1544841+01:00");
    assert_string_equal(am_time_format_iso(pool, z, nyc),
                        "2026-02-03T22:04:03.1544841-05:00");
    assert_string_equal(am_time_format_iso(pool, z, utc),
                        "2026-02-04T03:04:03.1544841+00:00");

    /* Non-hour offsets are formatted as such. */
    {
        const am_tz_t *kol = am_tz_get("Asia/Kolkata");
        const am_tz_t *stj = am_tz_get("America/St_Johns");

        assert_non_null(kol);
        assert_non_null(stj);
        assert_string_equal(am_time_format_iso(pool, z, kol),
                            "2026-02-04T08:34:03.1544841+05:30");
        assert_string_equal(am_time_format_iso(pool, z, stj),
                            "2026-02-03T23:34:03.1544841-03:30");
    }
}

static void test_date_only_and_wall_time(void **state)
{
    (void)state;
    assert_true(parse_ok("2026-05-26", utc) == mk(2026, 5, 26, 0, 0, 0, 0, 0));
    assert_true(parse_ok("2026-05-26", ams)
                == mk(2026, 5, 25, 22, 0, 0, 0, 0));
    assert_true(parse_ok("2026-01-26", ams)
                == mk(2026, 1, 25, 23, 0, 0, 0, 0));
    assert_true(parse_ok("2026-05-26", nyc) == mk(2026, 5, 26, 4, 0, 0, 0, 0));
    assert_string_equal(am_time_format_iso(pool, parse_ok("2026-05-26", ams),
                                           ams),
                        "2026-05-26T00:00:00+02:00");

    /* Without an offset a time is wall time in the zone. */
    assert_true(parse_ok("2026-05-26T23:13:00.1670516", ams)
                == parse_ok("2026-05-26T23:13:00.1670516+02:00", ams));
    assert_true(parse_ok("2026-12-26T23:13", ams)
                == parse_ok("2026-12-26T23:13:00+01:00", ams));
    assert_true(parse_ok("2026-07-04T12:00:00", nyc)
                == parse_ok("2026-07-04T12:00:00-04:00", nyc));
    /* A NULL zone is UTC. */
    assert_true(parse_ok("2026-07-04T12:00:00", NULL)
                == parse_ok("2026-07-04T12:00:00Z", NULL));
}

static const char *const bad_iso[] = {
    "",
    " ",
    "2026",
    "2026-05",
    "2026-5-1",
    "2026-05-1",
    "2026-5-01",
    "26-05-26",
    "02026-05-26",
    "2026/05/26",
    "20260526",
    "20260526T231300Z",
    "2026-05-26x",
    "2026-05-26T",
    "2026-05-26T23",
    "2026-05-26T23:",
    "2026-05-26T2:13:00Z",
    "2026-05-26T23:1:00Z",
    "2026-05-26T23:13:0Z",
    "2026-05-26T23:13:",
    "2026-02-30T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-02-29",
    "2100-02-29",
    "2026-04-31T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-01-00T00:00:00Z",
    "2026-01-32T00:00:00Z",
    "2026-05-26T24:00:00Z",
    "2026-05-26T23:60:00Z",
    "2026-05-26T23:59:60Z",
    "2026-05-26T23:13:00.16705161Z",
    "2026-05-26T23:13:00.Z",
    "2026-05-26T23:13:00.",
    "2026-05-26T23:13:00,1670516Z",
    "2026-05-26T23:13.5Z",
    "2026-05-26T23:13:00.1670516+15:00",
    "2026-05-26T23:13:00+14:01",
    "2026-05-26T23:13:00-14:30",
    "2026-05-26T23:13:00+02:60",
    "2026-05-26T23:13:00+0200",
    "2026-05-26T23:13:00+2:00",
    "2026-05-26T23:13:00+02",
    "2026-05-26T23:13:00+02:0",
    "2026-05-26T23:13:00+",
    "2026-05-26T23:13:00Zx",
    "2026-05-26T23:13:00ZZ",
    "2026-05-26T23:13:00Z+02:00",
    "2026-05-26T23:13:00+02:00Z",
    "2026-05-26T23:13:00+02:00 ",
    "2026-05-26T23:13:00+02:00\n",
    " 2026-05-26T23:13:00Z",
    "2026-05-26T23:13:00 +02:00",
    "2026-05-26 23:13:00Z",
    "2026-05-26t23:13:00Z",
    "2026-05-26T23:13:00z",
    "2026-05-26T23:13:00.1670516.1Z",
    "2026-05-26T23:13:00.-1Z",
    "2026-05-26T23:13:00 Z",
    "0000-12-31T00:00:00Z",
    "0000-01-01",
    "10000-01-01T00:00:00Z",
    "-2026-05-26T00:00:00Z",
    "+2026-05-26T00:00:00Z",
    "2026-O5-26T00:00:00Z",
    "2026-05-26T23:13:00\xef\xbc\x91Z",
    "0001-01-01T00:00:00+00:01",
    "0001-01-01T00:59:59+01:00",
    "9999-12-31T23:59:59.9999999-00:01",
    "9999-12-31T23:00:00-01:00",
    "Tuesday",
    "2026-05-26T23:13:00.1670516+02:00garbage",
};

static void test_bad_iso(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    assert_true(sizeof(bad_iso) / sizeof(bad_iso[0]) >= 25);
    for (i = 0; i < sizeof(bad_iso) / sizeof(bad_iso[0]); i++) {
        /* An exactly sized heap copy, so that valgrind sees any read past
         * the NUL. */
        size_t n = strlen(bad_iso[i]) + 1;
        char *copy = malloc(n);
        am_time_t t = 42;
        int rc;

        assert_non_null(copy);
        memcpy(copy, bad_iso[i], n);
        rc = am_time_parse_iso(copy, ams, &t);
        if (rc != -1 || t != 42) {
            print_error("accepted: \"%s\"\n", bad_iso[i]);
            failures++;
        }
        rc = am_time_parse_iso(copy, utc, &t);
        if (rc != -1 || t != 42) {
            print_error("accepted in UTC: \"%s\"\n", bad_iso[i]);
            failures++;
        }
        free(copy);
    }
    assert_int_equal(failures, 0);
    assert_int_equal(am_time_parse_iso(NULL, ams, &(am_time_t){ 0 }), -1);
}

static void test_leap_days(void **state)
{
    am_time_t t;

    (void)state;
    t = parse_ok("2024-02-29T12:00:00Z", utc);
    assert_true(t == mk(2024, 2, 29, 12, 0, 0, 0, 0));
    assert_string_equal(am_time_format_iso(pool, t, ams),
                        "2024-02-29T13:00:00+01:00");
    assert_true(parse_ok("2024-02-29", ams)
                == mk(2024, 2, 28, 23, 0, 0, 0, 0));
    assert_true(parse_ok("2000-02-29", utc) == mk(2000, 2, 29, 0, 0, 0, 0, 0));
    assert_true(parse_ok("2400-02-29T00:00:00Z", utc)
                == mk(2400, 2, 29, 0, 0, 0, 0, 0));
    assert_int_equal(am_time_parse_iso("2026-02-29T00:00:00Z", utc, &t), -1);
    assert_int_equal(am_time_parse_iso("1900-02-29T00:00:00Z", utc, &t), -1);
    /* The day after a leap day. */
    assert_string_equal(am_time_format_iso(pool,
                            mk(2024, 2, 29, 23, 30, 0, 0, 0), ams),
                        "2024-03-01T00:30:00+01:00");
}

static void test_dst_offsets(void **state)
{
    (void)state;
    /* Europe/Amsterdam: CET +01:00, CEST +02:00 from the last Sunday of
     * March 01:00Z to the last Sunday of October 01:00Z. */
    assert_int_equal(am_tz_offset_at(ams, mk(2026, 7, 1, 12, 0, 0, 0, 0)),
                     7200);
    assert_int_equal(am_tz_offset_at(ams, mk(2026, 1, 1, 12, 0, 0, 0, 0)),
                     3600);
    assert_int_equal(am_tz_offset_at(ams, mk(2026, 3, 29, 0, 59, 59,
                                             9999999, 0)), 3600);
    assert_int_equal(am_tz_offset_at(ams, mk(2026, 3, 29, 1, 0, 0, 0, 0)),
                     7200);
    assert_int_equal(am_tz_offset_at(ams, mk(2026, 10, 25, 0, 59, 59,
                                             9999999, 0)), 7200);
    assert_int_equal(am_tz_offset_at(ams, mk(2026, 10, 25, 1, 0, 0, 0, 0)),
                     3600);
    assert_string_equal(am_time_format_iso(pool,
                            mk(2026, 3, 29, 0, 59, 59, 0, 0), ams),
                        "2026-03-29T01:59:59+01:00");
    assert_string_equal(am_time_format_iso(pool,
                            mk(2026, 3, 29, 1, 0, 0, 0, 0), ams),
                        "2026-03-29T03:00:00+02:00");
    assert_string_equal(am_time_format_iso(pool,
                            mk(2026, 10, 25, 0, 59, 59, 0, 0), ams),
                        "2026-10-25T02:59:59+02:00");
    assert_string_equal(am_time_format_iso(pool,
                            mk(2026, 10, 25, 1, 0, 0, 0, 0), ams),
                        "2026-10-25T02:00:00+01:00");

    /* America/New_York: EST -05:00, EDT -04:00 from the second Sunday of
     * March 07:00Z to the first Sunday of November 06:00Z. */
    assert_int_equal(am_tz_offset_at(nyc, mk(2026, 7, 1, 12, 0, 0, 0, 0)),
                     -14400);
    assert_int_equal(am_tz_offset_at(nyc, mk(2026, 1, 1, 12, 0, 0, 0, 0)),
                     -18000);
    assert_int_equal(am_tz_offset_at(nyc, mk(2026, 3, 8, 6, 59, 59, 0, 0)),
                     -18000);
    assert_int_equal(am_tz_offset_at(nyc, mk(2026, 3, 8, 7, 0, 0, 0, 0)),
                     -14400);
    assert_int_equal(am_tz_offset_at(nyc, mk(2026, 11, 1, 5, 59, 59, 0, 0)),
                     -14400);
    assert_int_equal(am_tz_offset_at(nyc, mk(2026, 11, 1, 6, 0, 0, 0, 0)),
                     -18000);
    assert_string_equal(am_time_format_iso(pool,
                            mk(2026, 7, 4, 16, 0, 0, 0, 0), nyc),
                        "2026-07-04T12:00:00-04:00");
    assert_string_equal(am_time_format_iso(pool,
                            mk(2026, 12, 24, 23, 30, 0, 0, 0), nyc),
                        "2026-12-24T18:30:00-05:00");

    /* History: no DST in 1970 in the Netherlands, US rules of 2006. */
    assert_int_equal(am_tz_offset_at(ams, mk(1970, 7, 1, 0, 0, 0, 0, 0)),
                     3600);
    assert_int_equal(am_tz_offset_at(nyc, mk(2006, 4, 1, 12, 0, 0, 0, 0)),
                     -18000);
    assert_int_equal(am_tz_offset_at(nyc, mk(2007, 4, 1, 12, 0, 0, 0, 0)),
                     -14400);

    /* The final rules go on after the zoneinfo data and libical's
     * expansion limit. */
    assert_int_equal(am_tz_offset_at(ams, mk(2100, 7, 1, 0, 0, 0, 0, 0)),
                     7200);
    assert_int_equal(am_tz_offset_at(ams, mk(3000, 7, 1, 0, 0, 0, 0, 0)),
                     7200);
    assert_int_equal(am_tz_offset_at(ams, mk(3000, 12, 1, 0, 0, 0, 0, 0)),
                     3600);
    assert_int_equal(am_tz_offset_at(nyc, mk(9999, 7, 1, 0, 0, 0, 0, 0)),
                     -14400);
    assert_int_equal(am_tz_offset_at(nyc, mk(9999, 12, 1, 0, 0, 0, 0, 0)),
                     -18000);
    /* 9999-03-28 is the last Sunday of March 9999. */
    assert_int_equal(am_weekday(9999, 3, 28), 0);
    assert_int_equal(am_tz_offset_at(ams, mk(9999, 3, 28, 0, 59, 0, 0, 0)),
                     3600);
    assert_int_equal(am_tz_offset_at(ams, mk(9999, 3, 28, 1, 0, 0, 0, 0)),
                     7200);

    /* UTC and a NULL zone. */
    assert_int_equal(am_tz_offset_at(utc, mk(2026, 7, 1, 0, 0, 0, 0, 0)), 0);
    assert_int_equal(am_tz_offset_at(NULL, mk(2026, 7, 1, 0, 0, 0, 0, 0)), 0);
}

/* Our tables agree with libical's own lookup (seconds of 19th-century
 * local mean time aside) wherever libical expands the rules. */
static void test_offsets_match_libical(void **state)
{
    static const char *const zones[] = {
        "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe",
        "Europe/Dublin", "America/Sao_Paulo", "Asia/Tehran",
    };
    size_t z;

    (void)state;
    for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
        const am_tz_t *tz = am_tz_get(zones[z]);
        icaltimezone *iz = icaltimezone_get_builtin_timezone(zones[z]);
        am_time_t t;

        assert_non_null(tz);
        assert_non_null(iz);
        for (t = mk(1900, 1, 1, 0, 0, 0, 0, 0);
             t < mk(2200, 1, 1, 0, 0, 0, 0, 0);
             t += 3 * AM_TICKS_PER_DAY + 3671 * AM_TICKS_PER_SEC) {
            struct icaltimetype tt = icaltime_null_time();
            am_civil_t c;
            int dst, lib, ours;

            am_time_to_civil(t, 0, &c);
            tt.year = c.year;
            tt.month = c.month;
            tt.day = c.day;
            tt.hour = c.hour;
            tt.minute = c.min;
            tt.second = c.sec;
            lib = icaltimezone_get_utc_offset_of_utc_time(iz, &tt, &dst);
            lib -= lib % 60;
            ours = am_tz_offset_at(tz, t);
            if (ours != lib) {
                print_error("%s %04d-%02d-%02dT%02d:%02d:%02dZ: %d, "
                            "libical %d\n", zones[z], c.year, c.month, c.day,
                            c.hour, c.min, c.sec, ours, lib);
                fail();
            }
        }
    }
}

static am_time_t wall(const am_tz_t *tz, int y, int mo, int d, int h, int mi,
                      int s)
{
    am_civil_t c = { y, mo, d, h, mi, s, 0 };

    return am_tz_from_local(tz, &c);
}

static void test_from_local_gap_overlap(void **state)
{
    am_time_t t;

    (void)state;
    /* Ordinary wall times. */
    assert_true(wall(ams, 2026, 7, 1, 12, 0, 0)
                == mk(2026, 7, 1, 10, 0, 0, 0, 0));
    assert_true(wall(ams, 2026, 1, 1, 12, 0, 0)
                == mk(2026, 1, 1, 11, 0, 0, 0, 0));

    /* Spring forward, 2026-03-29 02:00 CET -> 03:00 CEST: the gap takes
     * the offset before it, so 02:30 is 01:30Z = 03:30+02:00. */
    t = wall(ams, 2026, 3, 29, 2, 30, 0);
    assert_true(t == mk(2026, 3, 29, 1, 30, 0, 0, 0));
    assert_string_equal(am_time_format_iso(pool, t, ams),
                        "2026-03-29T03:30:00+02:00");
    assert_true(wall(ams, 2026, 3, 29, 2, 0, 0)
                == mk(2026, 3, 29, 1, 0, 0, 0, 0));
    assert_true(wall(ams, 2026, 3, 29, 1, 59, 59)
                == mk(2026, 3, 29, 0, 59, 59, 0, 0));
    assert_true(wall(ams, 2026, 3, 29, 3, 0, 0)
                == mk(2026, 3, 29, 1, 0, 0, 0, 0));
    assert_true(parse_ok("2026-03-29T02:30:00", ams)
                == mk(2026, 3, 29, 1, 30, 0, 0, 0));

    /* Fall back, 2026-10-25 03:00 CEST -> 02:00 CET: 02:00..02:59 occur
     * twice; the first (CEST) is taken. */
    t = wall(ams, 2026, 10, 25, 2, 30, 0);
    assert_true(t == mk(2026, 10, 25, 0, 30, 0, 0, 0));
    assert_string_equal(am_time_format_iso(pool, t, ams),
                        "2026-10-25T02:30:00+02:00");
    assert_true(wall(ams, 2026, 10, 25, 2, 0, 0)
                == mk(2026, 10, 25, 0, 0, 0, 0, 0));
    assert_true(wall(ams, 2026, 10, 25, 1, 59, 59)
                == mk(2026, 10, 24, 23, 59, 59, 0, 0));
    assert_true(wall(ams, 2026, 10, 25, 3, 0, 0)
                == mk(2026, 10, 25, 2, 0, 0, 0, 0));
    assert_true(parse_ok("2026-10-25T02:30:00", ams)
                == mk(2026, 10, 25, 0, 30, 0, 0, 0));
    /* The second occurrence is reachable with an explicit offset. */
    assert_string_equal(am_time_format_iso(pool,
                            parse_ok("2026-10-25T02:30:00+01:00", ams), ams),
                        "2026-10-25T02:30:00+01:00");

    /* New York: 2026-03-08 02:00 EST -> 03:00 EDT, 2026-11-01 02:00 EDT ->
     * 01:00 EST. */
    t = wall(nyc, 2026, 3, 8, 2, 30, 0);
    assert_true(t == mk(2026, 3, 8, 7, 30, 0, 0, 0));
    assert_string_equal(am_time_format_iso(pool, t, nyc),
                        "2026-03-08T03:30:00-04:00");
    t = wall(nyc, 2026, 11, 1, 1, 30, 0);
    assert_true(t == mk(2026, 11, 1, 5, 30, 0, 0, 0));
    assert_string_equal(am_time_format_iso(pool, t, nyc),
                        "2026-11-01T01:30:00-04:00");
    assert_true(wall(nyc, 2026, 11, 1, 2, 0, 0)
                == mk(2026, 11, 1, 7, 0, 0, 0, 0));

    /* The fraction is kept. */
    {
        am_civil_t c = { 2026, 3, 29, 2, 30, 0, 1234567 };

        assert_true(am_tz_from_local(ams, &c)
                    == mk(2026, 3, 29, 1, 30, 0, 1234567, 0));
    }
    /* A NULL zone is UTC. */
    assert_true(wall(NULL, 2026, 3, 29, 2, 30, 0)
                == mk(2026, 3, 29, 2, 30, 0, 0, 0));
}

static void test_to_local(void **state)
{
    am_civil_t c;
    int off = 1;

    (void)state;
    am_tz_to_local(ams, mk(2026, 7, 1, 12, 0, 0, 1670516, 0), &c, &off);
    assert_int_equal(off, 7200);
    assert_int_equal(c.year, 2026);
    assert_int_equal(c.month, 7);
    assert_int_equal(c.day, 1);
    assert_int_equal(c.hour, 14);
    assert_int_equal(c.min, 0);
    assert_int_equal(c.sec, 0);
    assert_int_equal(c.frac, 1670516);

    am_tz_to_local(nyc, mk(2026, 1, 1, 3, 4, 5, 0, 0), &c, &off);
    assert_int_equal(off, -18000);
    assert_int_equal(c.year, 2025);
    assert_int_equal(c.month, 12);
    assert_int_equal(c.day, 31);
    assert_int_equal(c.hour, 22);
    assert_int_equal(c.min, 4);
    assert_int_equal(c.sec, 5);

    /* The offset pointer may be NULL. */
    am_tz_to_local(utc, mk(2026, 1, 1, 3, 4, 5, 0, 0), &c, NULL);
    assert_int_equal(c.hour, 3);

    /* to_local and from_local are inverses outside gaps. */
    {
        am_time_t t;

        for (t = mk(2026, 1, 1, 0, 0, 0, 0, 0);
             t < mk(2027, 1, 1, 0, 0, 0, 0, 0);
             t += 3 * AM_TICKS_PER_SEC * 3600 + 17) {
            am_tz_to_local(ams, t, &c, &off);
            if (am_tz_from_local(ams, &c) != t) {
                /* Only the second hour of the overlap maps elsewhere. */
                assert_int_equal(off, 3600);
                assert_int_equal(c.month, 10);
                assert_int_equal(c.hour, 2);
            }
        }
    }
}

static void test_limits(void **state)
{
    am_time_t t;
    am_civil_t c;

    (void)state;
    assert_true(mk(1, 1, 1, 0, 0, 0, 0, 0) == AM_TIME_MIN);
    assert_true(mk(9999, 12, 31, 23, 59, 59, 9999999, 0) == AM_TIME_MAX);
    assert_true(mk(1970, 1, 1, 0, 0, 0, 0, 0) == 0);

    assert_true(parse_ok("0001-01-01T00:00:00Z", ams) == AM_TIME_MIN);
    assert_true(parse_ok("0001-01-01", utc) == AM_TIME_MIN);
    assert_true(parse_ok("0001-01-01T01:00:00+01:00", ams) == AM_TIME_MIN);
    assert_true(parse_ok("9999-12-31T23:59:59.9999999Z", ams) == AM_TIME_MAX);
    assert_true(parse_ok("9999-12-31T23:59:59.9999999", utc) == AM_TIME_MAX);
    assert_true(parse_ok("9999-12-31T22:59:59.9999999-01:00", ams)
                == AM_TIME_MAX);
    assert_true(parse_ok("9999-12-31", ams)
                == mk(9999, 12, 30, 23, 0, 0, 0, 0));
    /* Wall times that fall before the start of year 1 in UTC. */
    assert_int_equal(am_time_parse_iso("0001-01-01", nyc, &t), 0);
    assert_int_equal(am_time_parse_iso("0001-01-01", ams, &t), -1);
    assert_int_equal(am_time_parse_iso("9999-12-31T23:59:59", nyc, &t), -1);

    assert_string_equal(am_time_format_iso(pool, AM_TIME_MIN, utc),
                        "0001-01-01T00:00:00+00:00");
    assert_string_equal(am_time_format_iso(pool, AM_TIME_MAX, utc),
                        "9999-12-31T23:59:59.9999999+00:00");
    assert_string_equal(am_time_format_iso(pool, AM_TIME_MAX, ams),
                        "9999-12-31T23:59:59.9999999+00:00");
    assert_string_equal(am_time_format_iso(pool, AM_TIME_MIN, nyc),
                        "0001-01-01T00:00:00+00:00");
    assert_string_equal(am_time_format_iso(pool,
                            AM_TIME_MAX - AM_TICKS_PER_DAY, ams),
                        "9999-12-31T00:59:59.9999999+01:00");
    /* Local mean time (+00:19:32) in whole minutes. */
    assert_string_equal(am_time_format_iso(pool, AM_TIME_MIN, ams),
                        "0001-01-01T00:19:00+00:19");
    assert_int_equal(am_tz_offset_at(ams, AM_TIME_MIN), 19 * 60);
    assert_int_equal(am_tz_offset_at(nyc, AM_TIME_MIN), -(4 * 60 + 56) * 60);

    /* Out-of-range instants are clamped, never crash. */
    assert_string_equal(am_time_format_iso(pool, AM_TIME_MIN - 1, utc),
                        "0001-01-01T00:00:00+00:00");
    assert_string_equal(am_time_format_iso(pool, AM_TIME_MAX + 1, utc),
                        "9999-12-31T23:59:59.9999999+00:00");
    am_tz_to_local(ams, AM_TIME_MAX, &c, NULL);
    assert_int_equal(c.year, 9999);

    /* Round-trips at both ends. */
    assert_roundtrip("0001-01-01T00:00:00+00:00", utc);
    assert_roundtrip("9999-12-31T23:59:59.9999999+00:00", utc);
    assert_roundtrip("9999-12-31T00:00:00+01:00", ams);
    assert_roundtrip("0001-01-02T00:00:00-04:56", nyc);
}

static void test_civil_arithmetic(void **state)
{
    am_time_t t;
    am_civil_t c;
    int y, m, wd = 1;    /* 0001-01-01 was a Monday */
    long days = 0;

    (void)state;
    /* Every day of years 1..9999 converts both ways, in order, and the
     * weekdays follow each other. */
    for (y = 1; y <= 9999; y++) {
        for (m = 1; m <= 12; m++) {
            int d, dim = am_days_in_month(y, m);

            for (d = 1; d <= dim; d++) {
                t = mk(y, m, d, 0, 0, 0, 0, 0);
                if (t != AM_TIME_MIN + days * AM_TICKS_PER_DAY) {
                    print_error("%04d-%02d-%02d\n", y, m, d);
                    fail();
                }
                am_time_to_civil(t + AM_TICKS_PER_DAY - 1, 0, &c);
                if (c.year != y || c.month != m || c.day != d
                    || c.hour != 23 || c.min != 59 || c.sec != 59
                    || c.frac != 9999999) {
                    print_error("%04d-%02d-%02d back\n", y, m, d);
                    fail();
                }
                if (am_weekday(y, m, d) != wd) {
                    print_error("%04d-%02d-%02d weekday\n", y, m, d);
                    fail();
                }
                wd = (wd + 1) % 7;
                days++;
            }
        }
    }
    assert_int_equal(days, 3652059);

    /* Before the epoch: floor division. */
    am_time_to_civil(-1, 0, &c);
    assert_int_equal(c.year, 1969);
    assert_int_equal(c.month, 12);
    assert_int_equal(c.day, 31);
    assert_int_equal(c.hour, 23);
    assert_int_equal(c.min, 59);
    assert_int_equal(c.sec, 59);
    assert_int_equal(c.frac, 9999999);

    /* Fixed offsets. */
    c = (am_civil_t){ 2026, 5, 26, 23, 13, 0, 1670516 };
    t = am_civil_to_time(&c, 7200);
    assert_true(t == mk(2026, 5, 26, 21, 13, 0, 1670516, 0));
    am_time_to_civil(t, -6 * 3600, &c);
    assert_int_equal(c.day, 26);
    assert_int_equal(c.hour, 15);
    assert_int_equal(c.frac, 1670516);
    am_time_to_civil(mk(2026, 12, 31, 23, 0, 0, 0, 0), 3600, &c);
    assert_int_equal(c.year, 2027);
    assert_int_equal(c.month, 1);
    assert_int_equal(c.day, 1);
    assert_int_equal(c.hour, 0);
}

static void test_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(am_days_in_month(2024, 2), 29);
    assert_int_equal(am_days_in_month(2026, 2), 28);
    assert_int_equal(am_days_in_month(2000, 2), 29);
    assert_int_equal(am_days_in_month(1900, 2), 28);
    assert_int_equal(am_days_in_month(2100, 2), 28);
    assert_int_equal(am_days_in_month(1, 2), 28);
    assert_int_equal(am_days_in_month(4, 2), 29);
    assert_int_equal(am_days_in_month(9996, 2), 29);
    assert_int_equal(am_days_in_month(2026, 1), 31);
    assert_int_equal(am_days_in_month(2026, 4), 30);
    assert_int_equal(am_days_in_month(2026, 6), 30);
    assert_int_equal(am_days_in_month(2026, 7), 31);
    assert_int_equal(am_days_in_month(2026, 9), 30);
    assert_int_equal(am_days_in_month(2026, 11), 30);
    assert_int_equal(am_days_in_month(2026, 12), 31);
    assert_int_equal(am_days_in_month(2026, 0), 0);
    assert_int_equal(am_days_in_month(2026, 13), 0);
    assert_int_equal(am_days_in_month(2026, -1), 0);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(am_weekday(1970, 1, 1), 4);     /* Thursday */
    assert_int_equal(am_weekday(2026, 5, 26), 2);    /* Tuesday */
    assert_int_equal(am_weekday(2026, 3, 29), 0);    /* Sunday */
    assert_int_equal(am_weekday(2026, 10, 25), 0);   /* Sunday */
    assert_int_equal(am_weekday(2024, 2, 29), 4);    /* Thursday */
    assert_int_equal(am_weekday(2000, 1, 1), 6);     /* Saturday */
    assert_int_equal(am_weekday(1, 1, 1), 1);        /* Monday */
    assert_int_equal(am_weekday(9999, 12, 31), 5);   /* Friday */
    assert_int_equal(am_weekday(1969, 12, 31), 3);   /* Wednesday */
}

static void test_tz_get(void **state)
{
    const am_tz_t *a, *b;

    (void)state;
    assert_null(am_tz_get("Nowhere/Special"));
    assert_null(am_tz_get("Europe/Amsterdamm"));
    assert_null(am_tz_get(""));
    assert_null(am_tz_get(NULL));
    assert_null(am_tz_get("../../../etc/passwd"));
    assert_null(am_tz_get("/etc/localtime"));
    assert_null(am_tz_get("Europe/Amsterdam "));

    a = am_tz_get("Europe/Amsterdam");
    b = am_tz_get("Europe/Amsterdam");
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_string_equal(am_tz_name(a), "Europe/Amsterdam");
    assert_string_equal(am_tz_name(nyc), "America/New_York");

    a = am_tz_get("UTC");
    assert_non_null(a);
    assert_string_equal(am_tz_name(a), "UTC");
    a = am_tz_get("Etc/UTC");
    assert_non_null(a);
    assert_string_equal(am_tz_name(a), "Etc/UTC");
    assert_int_equal(am_tz_offset_at(a, mk(2026, 7, 1, 0, 0, 0, 0, 0)), 0);
    a = am_tz_get("Z");
    assert_non_null(a);
    assert_string_equal(am_tz_name(a), "UTC");

    /* A zone outside zone.tab (a link) loads as well. */
    a = am_tz_get("US/Eastern");
    assert_non_null(a);
    assert_int_equal(am_tz_offset_at(a, mk(2026, 7, 1, 12, 0, 0, 0, 0)),
                     -14400);
}

static void test_system_name(void **state)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    const char *name;

    (void)state;
    setenv("TZ", "Europe/Amsterdam", 1);
    assert_string_equal(am_tz_system_name(pool), "Europe/Amsterdam");
    setenv("TZ", ":America/New_York", 1);
    assert_string_equal(am_tz_system_name(pool), "America/New_York");
    setenv("TZ", "/usr/share/zoneinfo/America/Chicago", 1);
    assert_string_equal(am_tz_system_name(pool), "America/Chicago");

    /* Not a zone: the system's files, or UTC; always a usable name. */
    setenv("TZ", "Bogus/Zone", 1);
    name = am_tz_system_name(pool);
    assert_non_null(name);
    assert_string_not_equal(name, "Bogus/Zone");
    assert_non_null(am_tz_get(name));
    unsetenv("TZ");
    name = am_tz_system_name(pool);
    assert_non_null(name);
    assert_non_null(am_tz_get(name));

    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    }
}

static void test_xelion(void **state)
{
    am_time_t t = 0;
    size_t i;
    static const char *const bad[] = {
        "", "2018-12-27", "2018-12-27T00:00:00", "2018-12-27 00:00",
        "2018-12-27 00:00:00.0", "2018-12-27 00:00:00Z",
        "2018-12-27 00:00:00+01:00", "2018-12-27 00:00:00 ",
        " 2018-12-27 00:00:00", "2018-12-27  00:00:00", "2018-12-32 00:00:00",
        "2018-02-29 00:00:00", "2018-12-27 24:00:00", "2018-12-27 23:60:00",
        "2018-12-27 23:59:60", "2018-12-27 0:00:00", "18-12-27 00:00:00",
        "0000-12-27 00:00:00",
    };

    (void)state;
    assert_int_equal(am_time_parse_xelion("2018-12-27 00:00:00", ams, &t), 0);
    assert_true(t == mk(2018, 12, 26, 23, 0, 0, 0, 0));
    assert_string_equal(am_time_format_xelion(pool, t, ams),
                        "2018-12-27 00:00:00");
    assert_string_equal(am_time_format_xelion(pool, t, utc),
                        "2018-12-26 23:00:00");
    assert_string_equal(am_time_format_iso(pool, t, ams),
                        "2018-12-27T00:00:00+01:00");

    assert_int_equal(am_time_parse_xelion("2018-12-27 23:59:59", ams, &t), 0);
    assert_true(t == mk(2018, 12, 27, 22, 59, 59, 0, 0));
    assert_string_equal(am_time_format_xelion(pool, t, ams),
                        "2018-12-27 23:59:59");

    /* Summer time, and the fraction is dropped on output. */
    assert_int_equal(am_time_parse_xelion("2026-05-26 23:13:00", ams, &t), 0);
    assert_true(t == mk(2026, 5, 26, 21, 13, 0, 0, 0));
    assert_string_equal(am_time_format_xelion(pool, t + 1670516, ams),
                        "2026-05-26 23:13:00");
    assert_int_equal(am_time_parse_xelion("2026-05-26 23:13:00", nyc, &t), 0);
    assert_true(t == mk(2026, 5, 27, 3, 13, 0, 0, 0));

    /* The gap rule applies too. */
    assert_int_equal(am_time_parse_xelion("2026-03-29 02:30:00", ams, &t), 0);
    assert_string_equal(am_time_format_xelion(pool, t, ams),
                        "2026-03-29 03:30:00");

    assert_int_equal(am_time_parse_xelion("0001-01-01 00:00:00", utc, &t), 0);
    assert_true(t == AM_TIME_MIN);
    assert_int_equal(am_time_parse_xelion("9999-12-31 23:59:59", utc, &t), 0);
    assert_string_equal(am_time_format_xelion(pool, t, utc),
                        "9999-12-31 23:59:59");

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t n = strlen(bad[i]) + 1;
        char *copy = malloc(n);

        assert_non_null(copy);
        memcpy(copy, bad[i], n);
        t = 42;
        if (am_time_parse_xelion(copy, ams, &t) != -1 || t != 42) {
            print_error("xelion accepted: \"%s\"\n", bad[i]);
            fail();
        }
        free(copy);
    }
    assert_int_equal(am_time_parse_xelion(NULL, ams, &t), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_roundtrips),
        cmocka_unit_test(test_fractions),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_date_only_and_wall_time),
        cmocka_unit_test(test_bad_iso),
        cmocka_unit_test(test_leap_days),
        cmocka_unit_test(test_dst_offsets),
        cmocka_unit_test(test_offsets_match_libical),
        cmocka_unit_test(test_from_local_gap_overlap),
        cmocka_unit_test(test_to_local),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_civil_arithmetic),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_tz_get),
        cmocka_unit_test(test_system_name),
        cmocka_unit_test(test_xelion),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
