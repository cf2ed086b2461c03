/* Licensed under the Apache License, Version 2.0.
 *
 * form.c: application/x-www-form-urlencoded bodies to field-table
 * objects (form.h).
 *
 * Decoding runs in two steps.  The pairs are split and %-decoded (by
 * am_query_parse, the same code that reads query strings) and their
 * names parsed into a tree: "Reasons[0].ReasonId=v" puts v at
 * root -> reasons -> item 0 -> reasonid.  The tree is then decoded
 * against the field table as the JSON codec decodes a json-c tree: the
 * text of every value goes through am_value_from_text (JSON rules) and
 * am_value_check, so that the three codecs accept the same values and
 * word their field errors alike.
 */
#include <string.h>
#include <strings.h>

#include <apr_hash.h>
#include <apr_lib.h>

#include "form.h"
#include "codec.h"
#include "route.h"

/* Highest collection index a name may carry; the field's own item limit
 * (am_value_check) applies after. */
#define AM_FORM_MAX_INDEX  99999

/* Most segments in one name ("a.b[0].c" has four). */
#define AM_FORM_MAX_SEGMENTS  (2 * AM_MAX_DEPTH)

/* ------------------------------------------------------- the name tree */

typedef struct fnode {
    apr_array_header_t *vals;   /* const char *: values given for the
                                 * name that ends here, in body order */
    apr_hash_t *kids;           /* lower-case member name -> fnode_t * */
    apr_hash_t *items;          /* int index -> fnode_t * */
    int nitems;                 /* highest index given + 1 */
} fnode_t;

static fnode_t *node_make(apr_pool_t *p)
{
    fnode_t *n = apr_pcalloc(p, sizeof(*n));

    n->vals = apr_array_make(p, 1, sizeof(const char *));
    n->kids = apr_hash_make(p);
    n->items = apr_hash_make(p);
    return n;
}

static char *lower(apr_pool_t *p, const char *s, apr_size_t n)
{
    char *l = apr_pstrmemdup(p, s, n), *c;

    for (c = l; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return l;
}

static fnode_t *node_kid(apr_pool_t *p, fnode_t *n, const char *name,
                         apr_size_t len)
{
    char *key = lower(p, name, len);
    fnode_t *k = apr_hash_get(n->kids, key, APR_HASH_KEY_STRING);

    if (!k) {
        k = node_make(p);
        apr_hash_set(n->kids, key, APR_HASH_KEY_STRING, k);
    }
    return k;
}

static fnode_t *node_item(apr_pool_t *p, fnode_t *n, int index)
{
    fnode_t *k = apr_hash_get(n->items, &index, sizeof(index));

    if (!k) {
        int *key = apr_palloc(p, sizeof(*key));

        *key = index;
        k = node_make(p);
        apr_hash_set(n->items, key, sizeof(*key), k);
        if (index >= n->nitems) {
            n->nitems = index + 1;
        }
    }
    return k;
}

/* A member name: anything up to '.', '[' or ']'. */
static apr_size_t name_len(const char *s)
{
    return strcspn(s, ".[]");
}

/* One step of a name: a member or an index. */
typedef struct fseg {
    const char *name;           /* member name (not terminated), or NULL */
    apr_size_t len;
    int index;                  /* when name is NULL */
} fseg_t;

/* Splits key into segments; "Items[]" ends in no segment (jQuery's
 * repeated values).  Returns NULL, or why the name is malformed. */
static const char *key_parse(apr_pool_t *p, const char *key, fseg_t *segs,
                             int *nsegs)
{
    const char *s = key;
    apr_size_t n = name_len(s);
    int k = 0;

    if (n == 0) {
        return "a name must start with a member name";
    }
    segs[k].name = s;
    segs[k++].len = n;
    s += n;
    while (*s) {
        if (k >= AM_FORM_MAX_SEGMENTS) {
            return "the name is nested too deeply";
        }
        if (*s == '.') {
            s++;
            n = name_len(s);
            if (n == 0) {
                return "'.' must be followed by a member name";
            }
            segs[k].name = s;
            segs[k++].len = n;
            s += n;
        }
        else if (*s == '[') {
            const char *close = strchr(++s, ']');

            if (!close) {
                return "'[' without ']'";
            }
            n = (apr_size_t)(close - s);
            if (n == 0) {
                /* jQuery's "Items[]=a&Items[]=b": repeated values. */
                if (close[1]) {
                    return "'[]' must end the name";
                }
                break;
            }
            if (apr_isdigit(*s)) {
                apr_int64_t index = -1;

                if (strspn(s, "0123456789") == n && n <= 6) {
                    index = apr_atoi64(apr_pstrmemdup(p, s, n));
                }
                if (index < 0 || index > AM_FORM_MAX_INDEX) {
                    return apr_psprintf(p, "an index must be a number from"
                                        " 0 to %d", AM_FORM_MAX_INDEX);
                }
                segs[k].name = NULL;
                segs[k++].index = (int)index;
            }
            else {
                /* jQuery's "Child[Member]". */
                if (name_len(s) != n) {
                    return "a member name in [] must not contain '.' or"
                           " '['";
                }
                segs[k].name = s;
                segs[k++].len = n;
            }
            s = close + 1;
        }
        else {
            return "']' without '['";
        }
    }
    *nsegs = k;
    return NULL;
}

/* Puts val into the tree at the place key names.  Returns NULL, or why
 * the name is malformed (the tree is then unchanged). */
static const char *tree_add(apr_pool_t *p, fnode_t *root, const char *key,
                            const char *val)
{
    fseg_t segs[AM_FORM_MAX_SEGMENTS];
    fnode_t *node = root;
    const char *why;
    int i, n = 0;

    if ((why = key_parse(p, key, segs, &n))) {
        return why;
    }
    for (i = 0; i < n; i++) {
        node = segs[i].name ? node_kid(p, node, segs[i].name, segs[i].len)
                            : node_item(p, node, segs[i].index);
    }
    APR_ARRAY_PUSH(node->vals, const char *) = val;
    return NULL;
}

/* ----------------------------------------------------------- decoding */

typedef struct fdec {
    apr_pool_t *p;
    const am_tz_t *tz;
    unsigned flags;
    am_dec_errs_t errs;         /* what is wrong, so far */
} fdec_t;

static int errcount(const fdec_t *d)
{
    return am_dec_errcount(&d->errs);
}

static void ferr(fdec_t *d, const am_path_t *path, const char *msg)
{
    am_dec_error(&d->errs, path, msg);
}

/* What a node holds, for "must be X, not Y" messages. */
static const char *kind_of(const fnode_t *n)
{
    if (apr_hash_count(n->kids)) {
        return "an object";
    }
    if (n->nitems) {
        return "a collection";
    }
    return "a value";
}

static int has_value(const fnode_t *n)
{
    return n->vals->nelts > 0;
}

/* One scalar from its text s. */
static void dec_scalar(fdec_t *d, const am_field_t *f, am_ftype_e type,
                       int item, const char *s, const am_path_t *path,
                       am_value_t *v)
{
    const char *msg = NULL;

    if (!am_utf8_valid(s, strlen(s))) {
        msg = apr_psprintf(d->p, "The value for %s is not valid UTF-8.",
                           f->name);
    }
    else if (*s == '\0' && type != AM_T_STRING) {
        /* An empty field of a form is no value (null). */
        if (item) {
            msg = apr_psprintf(d->p, "The value null is not valid for %s.",
                               f->name);
        }
        else if (f->flags & AM_F_REQUIRED) {
            msg = apr_psprintf(d->p, "The %s field is required.", f->name);
        }
        else if (f->flags & AM_F_NONNULL) {
            msg = apr_psprintf(d->p, "The value null is not valid for %s.",
                               f->name);
        }
        else {
            v->set = 1;
            v->null = 1;
            return;
        }
    }
    else {
        msg = am_value_from_text(d->p, f, type, s, AM_TEXT_JSON, d->tz, v);
        if (!msg) {
            msg = am_value_check(d->p, f, type, item, v);
        }
    }
    if (msg) {
        ferr(d, path, msg);
        memset(v, 0, sizeof(*v));
    }
}

static am_obj_t *dec_object(fdec_t *d, const am_type_t *t, fnode_t *n,
                            const am_path_t *path, int depth);

static void dec_array(fdec_t *d, const am_field_t *f, fnode_t *n,
                      const am_path_t *path, int depth, am_value_t *v)
{
    apr_array_header_t tmp, *arr;
    am_value_t count;
    const char *msg;
    int i, total;

    if (apr_hash_count(n->kids) || (has_value(n) && n->nitems)) {
        ferr(d, path, am_msg_invalid(d->p, f, AM_T_ARRAY, NULL,
                                     has_value(n) ? "values and indexed"
                                                    " items mixed"
                                                  : "an object"));
        return;
    }
    if (f->elem == AM_T_OBJECT && has_value(n)) {
        ferr(d, path, am_msg_invalid(d->p, f, AM_T_ARRAY, NULL, "a value"));
        return;
    }
    if (f->elem == AM_T_ARRAY) {
        ferr(d, path, apr_psprintf(d->p, "Nested collections are not"
                                   " supported for %s.", f->name));
        return;
    }
    total = has_value(n) ? n->vals->nelts : n->nitems;
    /* The item count first: no work for items that are too many. */
    memset(&tmp, 0, sizeof(tmp));
    tmp.nelts = total;
    memset(&count, 0, sizeof(count));
    count.u.a = &tmp;
    if ((msg = am_value_check(d->p, f, AM_T_ARRAY, 0, &count))) {
        ferr(d, path, msg);
        return;
    }
    arr = apr_array_make(d->p, total ? total : 1, sizeof(am_value_t));
    for (i = 0; i < total; i++) {
        am_value_t *iv = apr_array_push(arr);
        fnode_t *item = NULL;
        am_path_t ip;

        memset(iv, 0, sizeof(*iv));
        ip.up = path;
        ip.name = NULL;
        ip.index = i;
        if (has_value(n)) {
            dec_scalar(d, f, f->elem, 1,
                       APR_ARRAY_IDX(n->vals, i, const char *), &ip, iv);
            continue;
        }
        item = apr_hash_get(n->items, &i, sizeof(i));
        if (!item) {
            ferr(d, &ip, apr_psprintf(d->p, "The item is missing: the"
                                      " indexes of %s must run from 0"
                                      " without gaps.", f->name));
            break;
        }
        if (f->elem == AM_T_OBJECT) {
            if (!f->sub || has_value(item) || item->nitems) {
                ferr(d, &ip, am_msg_invalid(d->p, f, AM_T_OBJECT, NULL,
                                            kind_of(item)));
            }
            else if ((iv->u.o = dec_object(d, f->sub, item, &ip,
                                           depth + 1))) {
                iv->set = 1;
            }
        }
        else if (apr_hash_count(item->kids) || item->nitems) {
            ferr(d, &ip, am_msg_invalid(d->p, f, f->elem, NULL,
                                        kind_of(item)));
        }
        else if (item->vals->nelts > 1) {
            ferr(d, &ip, apr_psprintf(d->p, "The item is given more than"
                                      " once in %s.", f->name));
        }
        else {
            dec_scalar(d, f, f->elem, 1,
                       APR_ARRAY_IDX(item->vals, 0, const char *), &ip, iv);
        }
    }
    v->set = 1;
    v->null = 0;
    v->u.a = arr;
}

static void dec_field(fdec_t *d, const am_field_t *f, fnode_t *n,
                      const am_path_t *path, int depth, am_value_t *v)
{
    int ro = (f->flags & AM_F_READONLY) != 0;
    int before = errcount(d);

    /* A read-only field is accepted and then ignored: its errors are
     * dropped and a bad value leaves it unset. */
    if (ro) {
        d->errs.quiet++;
    }
    if (f->type == AM_T_ANY || f->elem == AM_T_ANY) {
        ferr(d, path, apr_psprintf(d->p, "%s cannot be given in a form;"
                                   " send the body as JSON.", f->name));
    }
    else if (f->type == AM_T_OBJECT) {
        if (!f->sub || has_value(n) || n->nitems) {
            ferr(d, path, am_msg_invalid(d->p, f, AM_T_OBJECT, NULL,
                                         kind_of(n)));
        }
        else if ((v->u.o = dec_object(d, f->sub, n, path, depth + 1))) {
            v->set = 1;
        }
    }
    else if (f->type == AM_T_ARRAY) {
        dec_array(d, f, n, path, depth, v);
    }
    else if (apr_hash_count(n->kids) || n->nitems) {
        ferr(d, path, am_msg_invalid(d->p, f, f->type, NULL, kind_of(n)));
    }
    else if (n->vals->nelts > 1) {
        ferr(d, path, apr_psprintf(d->p, "The field %s is given more than"
                                   " once.", f->name));
    }
    else if (n->vals->nelts == 1) {
        dec_scalar(d, f, f->type, 0, APR_ARRAY_IDX(n->vals, 0, const char *),
                   path, v);
    }
    if (ro) {
        d->errs.quiet--;
        if (errcount(d) != before) {
            memset(v, 0, sizeof(*v));
        }
    }
}

static am_obj_t *dec_object(fdec_t *d, const am_type_t *t, fnode_t *n,
                            const am_path_t *path, int depth)
{
    am_obj_t *o;
    int i;

    if (depth > AM_MAX_DEPTH) {
        ferr(d, path, "The payload is nested too deeply.");
        return NULL;
    }
    o = am_obj_make(d->p, t);
    for (i = 0; i < t->nfields; i++) {
        const am_field_t *f = &t->fields[i];
        fnode_t *kid = apr_hash_get(n->kids,
                                    lower(d->p, f->name, strlen(f->name)),
                                    APR_HASH_KEY_STRING);
        am_path_t fp;

        fp.up = path;
        fp.name = f->name;
        fp.index = 0;
        if (kid) {
            dec_field(d, f, kid, &fp, depth, &o->v[i]);
        }
        else if ((f->flags & AM_F_REQUIRED) && !(f->flags & AM_F_READONLY)
                 && !(d->flags & AM_DEC_PARTIAL)) {
            ferr(d, &fp, apr_psprintf(d->p, "The %s field is required.",
                                      f->name));
        }
    }
    return o;
}

/* The field of t whose name begins the form name key, ignoring case, or
 * NULL. */
static const am_field_t *head_field(const am_type_t *t, const char *key)
{
    apr_size_t n = name_len(key);
    int i;

    for (i = 0; i < t->nfields; i++) {
        if (strlen(t->fields[i].name) == n
            && !strncasecmp(t->fields[i].name, key, n)) {
            return &t->fields[i];
        }
    }
    return NULL;
}

am_err_t *am_form_decode(apr_pool_t *p, const am_type_t *t,
                         const char *buf, apr_size_t len,
                         const am_tz_t *tz, unsigned flags, am_obj_t **out)
{
    const apr_array_header_t *pairs;
    apr_table_t *table = NULL;
    fnode_t *root;
    fdec_t d;
    am_obj_t *o;
    int i;

    if (out) {
        *out = NULL;
    }
    if (!buf) {
        buf = "";
        len = 0;
    }
    if (memchr(buf, '\0', len)) {
        return am_err_make(p, 400, "The request body is not a valid form:"
                           " it contains a NUL byte.");
    }
    if (am_query_parse(p, apr_pstrmemdup(p, buf, len), &table)) {
        return am_err_make(p, 400, "The request body is not a valid form:"
                           " a %%-escape is malformed or encodes a NUL"
                           " byte.");
    }

    memset(&d, 0, sizeof(d));
    d.p = p;
    d.errs.p = p;
    d.tz = tz;
    d.flags = flags;
    root = node_make(p);
    pairs = apr_table_elts(table);
    for (i = 0; i < pairs->nelts; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(pairs, i,
                                                    apr_table_entry_t);
        const char *why = tree_add(p, root, e->key, e->val);

        /* A malformed name is an error when it names one of our fields,
         * and ignored like any unknown name otherwise. */
        if (why) {
            const am_field_t *f = head_field(t, e->key);

            if (f && !(f->flags & AM_F_READONLY)) {
                /* The name as the key, unless it is no fit text. */
                const char *key = (strlen(e->key) <= 128
                                   && am_utf8_valid(e->key, strlen(e->key)))
                                  ? e->key : f->name;
                am_path_t at;

                memset(&at, 0, sizeof(at));
                at.name = key;
                am_dec_error(&d.errs, &at, apr_psprintf(p, "The name is not"
                                                        " valid: %s.", why));
            }
        }
    }
    o = dec_object(&d, t, root, NULL, 0);
    if (d.errs.err) {
        return d.errs.err;
    }
    if (!o) {
        return am_err_make(p, 400, "The request is invalid.");
    }
    if (out) {
        *out = o;
    }
    return NULL;
}
