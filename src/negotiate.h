/* Licensed under the Apache License, Version 2.0.
 *
 * negotiate.h: Accept and Content-Type handling.
 */
#ifndef AM_NEGOTIATE_H
#define AM_NEGOTIATE_H

#include <apr_pools.h>

typedef enum am_fmt {
    AM_FMT_NONE = 0,
    AM_FMT_JSON = 1,     /* application/json, text/json */
    AM_FMT_XML = 2,      /* application/xml, text/xml */
    AM_FMT_ICAL = 4,     /* text/calendar */
    AM_FMT_FORM = 8      /* application/x-www-form-urlencoded (bodies) */
} am_fmt_e;

/* Chooses the response format from an Accept header among the formats in
 * the bitmask allowed (AM_FMT_JSON | AM_FMT_XML [| AM_FMT_ICAL]).
 *  - NULL or empty header, or only "* / *" (no spaces): JSON;
 *  - media ranges with parameters and q-values (q=0 excludes, highest q
 *    wins, ties go to the earlier entry; "application/ *" and "text/ *"
 *    count as matching their types, with lower precedence than an exact
 *    type for the q of that type);
 *  - case-insensitive types; malformed entries are skipped.
 * Returns the format and sets *ctype to the media type to answer with
 * (the one the client named: "text/json" when it asked for text/json,
 * "application/json" for JSON via a wildcard; likewise for XML;
 * "text/calendar"), or AM_FMT_NONE when nothing acceptable (406). */
am_fmt_e am_negotiate_accept(const char *accept, unsigned allowed,
                             const char **ctype);

/* Classifies a request Content-Type (parameters such as charset allowed;
 * a charset other than utf-8/us-ascii is refused) among allowed
 * (AM_FMT_JSON | AM_FMT_XML [| AM_FMT_FORM]).  NULL or unknown ->
 * AM_FMT_NONE (415). */
am_fmt_e am_negotiate_ctype(const char *ctype, unsigned allowed);

#endif /* AM_NEGOTIATE_H */
