/* Licensed under the Apache License, Version 2.0.
 *
 * negotiate.c: Accept and Content-Type handling (RFC 9110 12.5.1, 8.3).
 *
 * Both parsers walk the header in place: no allocation, only read-only
 * static tables, so they are safe to call from any thread.  Media ranges
 * that do not follow the grammar (bad token, bad q-value, unterminated
 * quoted string, ...) are skipped up to the next comma.
 *
 * Choosing among the formats: every media type the module can produce is
 * a candidate; its q is that of the most specific range matching it
 * (type/subtype, then type/ *, then * / *; the first such range when
 * several are equally specific).  Among candidates with q > 0, the highest
 * q wins; at equal q an exact type beats a wildcard (as ASP.NET Core
 * does), then the earlier entry of the header wins, then the order of the
 * candidate table (JSON first: it is the default format).  A header made
 * only of malformed entries counts as absent.
 */
#include <string.h>

#include "negotiate.h"

typedef struct media {
    const char *type;       /* "application" */
    size_t type_len;
    const char *subtype;    /* "json" */
    size_t subtype_len;
    int q;                  /* 0..1000 */
} media_t;

typedef struct candidate {
    const char *ctype;
    am_fmt_e fmt;
} candidate_t;

/* In order of preference at a tie: a wildcard answers with the
 * application/ types, JSON first. */
static const candidate_t candidates[] = {
    { "application/json", AM_FMT_JSON },
    { "application/xml", AM_FMT_XML },
    { "text/json", AM_FMT_JSON },
    { "text/xml", AM_FMT_XML },
    { "text/calendar", AM_FMT_ICAL },
};
#define N_CANDIDATES (sizeof(candidates) / sizeof(candidates[0]))

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Case-insensitive: the n bytes at s equal the NUL-terminated word. */
static int eq_word(const char *s, size_t n, const char *word)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (word[i] == '\0' || lower((unsigned char)s[i]) != lower(word[i])) {
            return 0;
        }
    }
    return word[n] == '\0';
}

/* RFC 9110 tchar. */
static int is_tchar(int c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')) {
        return 1;
    }
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

static const char *skip_token(const char *s)
{
    while (is_tchar((unsigned char)*s)) {
        s++;
    }
    return s;
}

/* A quoted-string at s (which is at the opening quote); returns the
 * position after the closing quote, or NULL when malformed. */
static const char *skip_quoted(const char *s)
{
    for (s++; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"') {
            return s + 1;
        }
        if (c == '\\') {
            s++;
            c = (unsigned char)*s;
            if (c == '\0' || (c < 0x20 && c != '\t') || c == 0x7f) {
                return NULL;
            }
        }
        else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return NULL;
        }
    }
    return NULL;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), exactly
 * the n bytes at s; -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
    int q, scale = 100;
    size_t i;

    if (n == 0 || (s[0] != '0' && s[0] != '1')) {
        return -1;
    }
    q = (s[0] - '0') * 1000;
    if (n == 1) {
        return q;
    }
    if (s[1] != '.' || n > 5) {
        return -1;
    }
    for (i = 2; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        q += (s[i] - '0') * scale;
        scale /= 10;
    }
    return q > 1000 ? -1 : q;
}

/* Callback for each parameter: name and value (value still quoted when it
 * is a quoted-string).  Returns 0 to go on, -1 to reject the media type. */
typedef int (*param_fn)(void *ctx, const char *name, size_t name_len,
                        const char *value, size_t value_len);

/* Parses one media type or range with its parameters from s:
 *   type "/" subtype *( OWS ";" OWS [ name BWS "=" BWS value ] )
 * stopping at a comma or the end.  Returns the position after it (at ','
 * or NUL, leading and trailing OWS consumed), or NULL when malformed. */
static const char *parse_media(const char *s, media_t *m, param_fn fn,
                               void *ctx)
{
    const char *e;

    s = skip_ows(s);
    e = skip_token(s);
    if (e == s || *e != '/') {
        return NULL;
    }
    m->type = s;
    m->type_len = (size_t)(e - s);
    s = e + 1;
    e = skip_token(s);
    if (e == s) {
        return NULL;
    }
    m->subtype = s;
    m->subtype_len = (size_t)(e - s);
    s = skip_ows(e);

    while (*s == ';') {
        const char *name, *value;
        size_t name_len;

        s = skip_ows(s + 1);
        if (*s == ';' || *s == ',' || *s == '\0') {
            continue;                   /* empty parameter */
        }
        name = s;
        s = skip_token(s);
        name_len = (size_t)(s - name);
        if (name_len == 0) {
            return NULL;
        }
        s = skip_ows(s);
        if (*s != '=') {
            return NULL;
        }
        s = skip_ows(s + 1);
        value = s;
        if (*s == '"') {
            s = skip_quoted(s);
            if (!s) {
                return NULL;
            }
        }
        else {
            s = skip_token(s);
            if (s == value) {
                return NULL;
            }
        }
        if (fn && fn(ctx, name, name_len, value, (size_t)(s - value)) < 0) {
            return NULL;
        }
        s = skip_ows(s);
    }
    if (*s != ',' && *s != '\0') {
        return NULL;
    }
    return s;
}

/* Accept parameters: the first q is the weight, the rest is ignored. */
typedef struct accept_ctx {
    int q;
    int have_q;
} accept_ctx_t;

static int accept_param(void *ctx, const char *name, size_t name_len,
                        const char *value, size_t value_len)
{
    accept_ctx_t *a = ctx;

    if (!a->have_q && eq_word(name, name_len, "q")) {
        a->q = parse_q(value, value_len);
        if (a->q < 0) {
            return -1;
        }
        a->have_q = 1;
    }
    return 0;
}

/* How specifically range m matches the candidate media type ct:
 * 3 exact, 2 type/ *, 1 * / *, 0 not at all. */
static int match(const media_t *m, const char *ct)
{
    const char *slash = strchr(ct, '/');
    size_t tl = (size_t)(slash - ct);
    size_t i;
    int star_sub = m->subtype_len == 1 && m->subtype[0] == '*';

    if (m->type_len == 1 && m->type[0] == '*') {
        return star_sub ? 1 : 0;        /* "* / json" is not a range */
    }
    if (m->type_len != tl) {
        return 0;
    }
    for (i = 0; i < tl; i++) {
        if (lower((unsigned char)m->type[i]) != ct[i]) {
            return 0;
        }
    }
    if (star_sub) {
        return 2;
    }
    return eq_word(m->subtype, m->subtype_len, slash + 1) ? 3 : 0;
}

/* No preference: the first allowed format, JSON by default. */
static am_fmt_e default_format(unsigned allowed, const char **ctype)
{
    size_t i;

    for (i = 0; i < N_CANDIDATES; i++) {
        if (allowed & candidates[i].fmt) {
            if (ctype) {
                *ctype = candidates[i].ctype;
            }
            return candidates[i].fmt;
        }
    }
    return AM_FMT_NONE;
}

am_fmt_e am_negotiate_accept(const char *accept, unsigned allowed,
                             const char **ctype)
{
    int best_q[N_CANDIDATES], best_spec[N_CANDIDATES], best_idx[N_CANDIDATES];
    const char *s;
    size_t i, pick;
    int idx, found, wellformed = 0;

    if (ctype) {
        *ctype = NULL;
    }
    for (i = 0; i < N_CANDIDATES; i++) {
        best_q[i] = 0;
        best_spec[i] = 0;
        best_idx[i] = 0;
    }

    s = accept ? skip_ows(accept) : NULL;
    if (!s || *s == '\0' || strcmp(s, "*/*") == 0) {
        return default_format(allowed, ctype);
    }

    for (idx = 0; *s; idx++) {
        media_t m;
        accept_ctx_t a = { 1000, 0 };
        const char *e = parse_media(s, &m, accept_param, &a);

        if (!e) {
            /* Malformed: skip to the next comma (outside quotes). */
            while (*s && *s != ',') {
                if (*s == '"') {
                    const char *q = skip_quoted(s);

                    if (!q) {
                        s += strlen(s);
                        break;
                    }
                    s = q;
                    continue;
                }
                s++;
            }
        }
        else {
            s = e;
            wellformed++;
            for (i = 0; i < N_CANDIDATES; i++) {
                int spec;

                if (!(allowed & candidates[i].fmt)) {
                    continue;
                }
                spec = match(&m, candidates[i].ctype);
                if (spec > best_spec[i]) {
                    best_spec[i] = spec;
                    best_q[i] = a.q;
                    best_idx[i] = idx;
                }
            }
        }
        if (*s == ',') {
            s++;
        }
    }

    if (!wellformed) {
        /* Nothing but malformed entries: as if there were no header. */
        return default_format(allowed, ctype);
    }

    found = 0;
    pick = 0;
    for (i = 0; i < N_CANDIDATES; i++) {
        if (best_spec[i] == 0 || best_q[i] == 0) {
            continue;
        }
        if (!found
            || best_q[i] > best_q[pick]
            || (best_q[i] == best_q[pick]
                && (best_spec[i] == 3) > (best_spec[pick] == 3))
            || (best_q[i] == best_q[pick]
                && (best_spec[i] == 3) == (best_spec[pick] == 3)
                && best_idx[i] < best_idx[pick])) {
            pick = i;
            found = 1;
        }
    }
    if (!found) {
        return AM_FMT_NONE;
    }
    if (ctype) {
        *ctype = candidates[pick].ctype;
    }
    return candidates[pick].fmt;
}

/* Content-Type parameters: charset, when present, must be UTF-8 or
 * US-ASCII (its subset). */
static int ctype_param(void *ctx, const char *name, size_t name_len,
                       const char *value, size_t value_len)
{
    if (!eq_word(name, name_len, "charset")) {
        return 0;
    }
    if (value_len >= 2 && value[0] == '"') {
        value++;
        value_len -= 2;
    }
    if (eq_word(value, value_len, "utf-8")
        || eq_word(value, value_len, "us-ascii")) {
        return 0;
    }
    return -1;
}

am_fmt_e am_negotiate_ctype(const char *ctype, unsigned allowed)
{
    static const candidate_t types[] = {
        { "application/json", AM_FMT_JSON },
        { "text/json", AM_FMT_JSON },
        { "application/xml", AM_FMT_XML },
        { "text/xml", AM_FMT_XML },
        { "text/calendar", AM_FMT_ICAL },
        { "application/x-www-form-urlencoded", AM_FMT_FORM },
    };
    media_t m;
    const char *e;
    size_t i;

    if (!ctype) {
        return AM_FMT_NONE;
    }
    e = parse_media(ctype, &m, ctype_param, NULL);
    if (!e || *e != '\0') {
        return AM_FMT_NONE;
    }
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (match(&m, types[i].ctype) == 3) {
            return (allowed & types[i].fmt) ? types[i].fmt : AM_FMT_NONE;
        }
    }
    return AM_FMT_NONE;
}
