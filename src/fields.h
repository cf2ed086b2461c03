/* Licensed under the Apache License, Version 2.0.
 *
 * fields.h: wire types described as data.
 *
 * Every payload type of every dialect (ContractAppointment, RecurrenceInfo,
 * AppointmentModel, XCCAppointment...) is an am_type_t: a table of fields
 * in JSON order, each with its wire name, value type, flags, XML
 * DataContract namespace and inheritance level, and the canonical model
 * member it maps to.  The JSON and XML codecs walk these tables; adding a
 * field to a dialect is adding one row.
 *
 * A decoded payload is an am_obj_t: one am_value_t per field of its type,
 * indexed like the type's fields.
 */
#ifndef AM_FIELDS_H
#define AM_FIELDS_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include "datetime.h"

struct am_err;

typedef enum am_ftype {
    AM_T_INT32 = 1,     /* JSON integer, XML decimal integer; u.i */
    AM_T_INT64,         /* u.i */
    AM_T_BOOL,          /* JSON true/false, XML true/false/1/0; u.i 0/1 */
    AM_T_STRING,        /* u.s, UTF-8, no NUL */
    AM_T_DATETIME,      /* ISO 8601 (datetime.h); u.t */
    AM_T_XDATETIME,     /* Xelion "YYYY-MM-DD HH:MM:SS"; u.t */
    AM_T_ENUM,          /* JSON integer (or name), XML name; u.i */
    AM_T_FLAGS,         /* flags enum: JSON integer, XML names separated
                         * by spaces ("Monday Wednesday"), combined names
                         * (WorkDays) preferred on output; u.i */
    AM_T_GUID,          /* u.s, canonical lower-case 8-4-4-4-12 form */
    AM_T_DECIMAL,       /* u.s, canonical decimal text (no exponent,
                         * no binary floating point anywhere) */
    AM_T_OBJECT,        /* nested object of type sub; u.o */
    AM_T_ARRAY,         /* collection of elem (scalar) or sub (OBJECT);
                         * u.a: apr_array_header_t of am_value_t */
    AM_T_ANY            /* any JSON value, kept as its JSON source text
                         * in u.s (an explicit null: set and null), for
                         * members whose type depends on another member
                         * (a PATCH operation's value): read it as a field
                         * with am_json_value() (codec.h).  A member type
                         * only (not a collection's items); JSON only: the
                         * XML and form codecs refuse it. */
} am_ftype_e;

/* Field flags */
#define AM_F_REQUIRED  0x01 /* absent or null on input is a field error */
#define AM_F_READONLY  0x02 /* accepted on input, then ignored */
#define AM_F_NONNULL   0x04 /* an explicit null on input is an error
                             * (value types such as int, bool, DateTime) */
#define AM_F_OMIT_NULL 0x08 /* left out of the output when unset or null
                             * (a member the API's own samples do not
                             * show, so answers keep their shape) */
#define AM_F_VALUE     0x10 /* a value type that is not nullable on the
                             * API's pages (int, long, bool, enum,
                             * decimal, Guid; not Nullable<T>): never null
                             * in an answer, its type's default (0,
                             * false, the enum's 0, decimal 0, the
                             * empty Guid) when unset, as .NET writes
                             * it.  Members
                             * without it are Nullable<T> or references
                             * and go out as null when unset. */
#define AM_F_ENUM_TEXT 0x20 /* ENUM: a string member on the API's pages
                             * that holds the enum's names: its name in
                             * JSON too (XML always writes names) */
#define AM_F_SET     0x100  /* ARRAY of OBJECT: a set of references, each
                             * named by its AM_F_KEY member; a change adds
                             * and removes items (patch.h) */
#define AM_F_KEY     0x200  /* the member that names an item of a set
                             * (an OBJECT member: the key is inside it);
                             * of an OBJECT member's type: what a scalar
                             * value given for the whole object sets */
#define AM_F_DERIVED 0x400  /* an instruction more than a value: read on
                             * input, derived on output, so a change does
                             * not carry it over (patch.h) */
#define AM_F_FIXED   0x800  /* read on input, but no change sets it */

typedef struct am_enum_item {
    const char *name;
    int value;
} am_enum_item_t;

typedef struct am_enum {
    const am_enum_item_t *items;
    int nitems;
    const char *name;           /* the enum's type name on the API's pages
                                 * ("PlannedItemStatus"), for the
                                 * descriptions; NULL = named after the
                                 * first field that uses it */
} am_enum_t;

struct am_type;

typedef struct am_field {
    const char *name;           /* wire name: JSON key and XML local name */
    am_ftype_e type;
    unsigned flags;             /* AM_F_* */
    int level;                  /* DataContract inheritance level of the
                                 * declaring class, 0 = the root base class.
                                 * XML members go out ordered by (level,
                                 * name by ordinal comparison). */
    const char *ns;             /* XML namespace of the member element;
                                 * NULL = the namespace of the type */
    const am_enum_t *en;        /* ENUM, FLAGS: the names and values;
                                 * STRING: a string enumeration */
    const struct am_type *sub;  /* OBJECT and ARRAY of OBJECT */
    am_ftype_e elem;            /* ARRAY: element type (AM_T_OBJECT for
                                 * collections of sub) */
    const char *elem_name;      /* ARRAY: XML item element name, e.g.
                                 * "long", "OccurrenceAppointment" */
    const char *elem_ns;        /* ARRAY: XML namespace of the item
                                 * elements; NULL = sub's namespace for
                                 * objects, the member's for scalars */
    apr_int64_t min, max;       /* INT32/INT64/ENUM: value range;
                                 * STRING: length range in characters
                                 * (code points); ARRAY: item count range.
                                 * Both 0 = the type's natural range
                                 * (strings: 0..AM_MAX_STRING chars,
                                 * arrays: 0..AM_MAX_ITEMS). */
    int member;                 /* canonical member (model.h AM_M_*) */
    const char *rel;            /* AM_M_LINK: the relation name */
    const char *doc;            /* what the member means, for the
                                 * descriptions (openapi.json, Help);
                                 * NULL = none */
} am_field_t;

#define AM_MAX_STRING  65536    /* default cap on a string, in characters */
#define AM_MAX_ITEMS   1000     /* default cap on a collection */
#define AM_MAX_DEPTH   16       /* nesting depth of a payload */

typedef struct am_type {
    const char *name;           /* DataContract name: XML root element */
    const char *ns;             /* XML namespace of the type */
    const am_field_t *fields;   /* in JSON order */
    int nfields;
    int *xml_order;             /* field indexes in XML order; filled by
                                 * am_type_init() at start-up */
    const char *doc;            /* what the type is, for the descriptions;
                                 * NULL = none (a trailing member: rows
                                 * give it by designator) */
    const void *derived;        /* what model.c derives from the table,
                                 * made once at start-up
                                 * (am_model_type_init); NULL = made when
                                 * needed */
    apr_hash_t *by_name;        /* name -> its field; filled by
                                 * am_type_init(); NULL = search the table */
} am_type_t;

typedef struct am_obj am_obj_t;

typedef struct am_value {
    unsigned char set;          /* the field has a value (or explicit null) */
    unsigned char null;         /* explicit null */
    union {
        apr_int64_t i;          /* INT32, INT64, BOOL, ENUM, FLAGS */
        am_time_t t;            /* DATETIME, XDATETIME */
        const char *s;          /* STRING, GUID, DECIMAL */
        am_obj_t *o;            /* OBJECT */
        apr_array_header_t *a;  /* ARRAY: of am_value_t */
    } u;
} am_value_t;

struct am_obj {
    const am_type_t *type;
    am_value_t *v;              /* type->nfields values */
};

/* Computes t->xml_order and t->by_name (and those of every type
 * reachable from t).  Call once per type at start-up; idempotent. */
void am_type_init(apr_pool_t *p, am_type_t *t);

/* A new object of type t with every field unset. */
am_obj_t *am_obj_make(apr_pool_t *p, const am_type_t *t);

/* The value an AM_F_VALUE field f of scalar type `type' has when unset:
 * 0, false, the enum's 0, "0" for decimals, the empty Guid.  Returns 0
 * and leaves *v alone for date-times, objects and collections (no
 * default here: required members that are always set). */
int am_value_default(const am_field_t *f, am_ftype_e type, am_value_t *v);

/* Index of the field with wire name in t, or -1. */
int am_type_field(const am_type_t *t, const char *name);

/* Accessors by wire name (field must exist; these abort otherwise, they
 * are for dialect code written against its own tables). */
am_value_t *am_obj_get(am_obj_t *o, const char *name);
void am_obj_set_int(am_obj_t *o, const char *name, apr_int64_t i);
void am_obj_set_str(am_obj_t *o, const char *name, const char *s);
void am_obj_set_time(am_obj_t *o, const char *name, am_time_t t);
void am_obj_set_null(am_obj_t *o, const char *name);
/* An OBJECT member set to sub; an ARRAY of OBJECT member set to the
 * NULL-terminated items. */
void am_obj_set_obj(am_obj_t *o, const char *name, am_obj_t *sub);
void am_obj_set_objs(apr_pool_t *p, am_obj_t *o, const char *name,
                     am_obj_t *const *items);

/* The string enumerations of o (STRING fields with en): "" is none
 * (becomes null); anything else must be one of the names, else a field
 * error is added to *err (400, created on first use). */
void am_obj_check_enums(apr_pool_t *p, am_obj_t *o, struct am_err **err);

/* Enum helpers: name of a value (NULL when not a member), value of a name
 * (-1 when unknown). */
const char *am_enum_name(const am_enum_t *en, apr_int64_t v);
int am_enum_value(const am_enum_t *en, const char *name, apr_int64_t *v);

/* Number of Unicode code points in a valid UTF-8 string. */
apr_size_t am_utf8_len(const char *s);
/* True when s (len bytes) is valid UTF-8 without NUL. */
int am_utf8_valid(const char *s, apr_size_t len);

/* GUID in any form .NET's Guid.Parse accepts (32 hex digits; hyphenated
 * 8-4-4-4-12; in braces or parentheses; any case) to the canonical
 * lower-case hyphenated form, or NULL. */
const char *am_guid_parse(apr_pool_t *p, const char *s);

/* Decimal number text ("5", "-12.50", "5.0") to canonical text ("5.0" ->
 * "5.0": digits are kept as given, only a leading '+' and redundant
 * leading zeros of the integer part ("007" -> "7", not a JSON number) are
 * dropped), or NULL when not a decimal of at most 28 significant digits
 * and 28 fraction digits ([+-]digits[.digits], no exponent, no space). */
const char *am_decimal_parse(apr_pool_t *p, const char *s);

/* ---------------------------------------------------------------------
 * Helpers shared by the codecs (codec_json.c, codec_xml.c), so that both
 * read values and word their field errors the same way.
 */

/* The path of a value inside a payload, built on the stack while
 * decoding and turned into text only for an error key:
 * "RecurrenceOccurrences[1].Start". */
typedef struct am_path {
    const struct am_path *up;   /* enclosing value, NULL at the top */
    const char *name;           /* member name, or NULL for an item */
    int index;                  /* item index when name is NULL */
} am_path_t;

const char *am_path_str(apr_pool_t *p, const am_path_t *path);

/* Length of the longest prefix of s (len bytes) that is valid UTF-8
 * without NUL: am_utf8_valid(s, len) is am_utf8_prefix(s, len) == len. */
apr_size_t am_utf8_prefix(const char *s, apr_size_t len);

/* An id as text: decimal digits (nothing else) making 1..2^63-1.  Its
 * canonical text ("007" is "7"), or NULL. */
const char *am_id_text(apr_pool_t *p, const char *s);

/* Decimal integer "[+-]digits" (no spaces).  Returns 0 and sets *out, -1
 * when s is not an integer, 1 when it is one beyond 64 bits. */
int am_int_parse(const char *s, apr_int64_t *out);

/* True when v is 0 or an OR of member values of the flags enum en. */
int am_flags_valid(const am_enum_t *en, apr_int64_t v);

/* The names of flags value v joined by sep, as .NET formats flags: an
 * exact (combined) member name when one has the value, else the largest
 * members that fit, in ascending order ("Sunday WorkDays" for 63); for 0
 * the zero member's name or "".  NULL when v is not representable. */
const char *am_flags_names(apr_pool_t *p, const am_enum_t *en,
                           apr_int64_t v, const char *sep);

/* t->xml_order, or (when am_type_init() was not called for t, e.g. a type
 * built at run time) the same order computed into p. */
const int *am_type_xml_order(apr_pool_t *p, const am_type_t *t);

/* How text is read (am_value_from_text). */
#define AM_TEXT_JSON  0     /* Json.NET: a JSON string for a non-string
                             * field: integers, "true"/"false" and enum
                             * names case-insensitive, flags as
                             * "Monday, Wednesday", numeric enum strings */
#define AM_TEXT_XML   1     /* XmlConvert / DataContract: whitespace
                             * around non-strings ignored, true/false/1/0,
                             * enum names exact, flags "Monday Wednesday" */

/* Reads the text s as a value of the scalar type `type' (f->type, or
 * f->elem for an item of an ARRAY field f) into *v (strings are copied
 * into p).  Returns NULL, or the field error message when the text is not
 * such a value.  Range, length and membership are am_value_check's. */
const char *am_value_from_text(apr_pool_t *p, const am_field_t *f,
                               am_ftype_e type, const char *s, int mode,
                               const am_tz_t *tz, am_value_t *v);

/* Checks the non-null value v of type `type' against field f: integer
 * range, enum or flags membership, string length in characters and a
 * required string's being non-blank (ASP.NET [Required]), collection
 * item count.  item: v is an item of the ARRAY field f (its min/max and
 * flags are the collection's, not the item's).  NULL or the message. */
const char *am_value_check(apr_pool_t *p, const am_field_t *f,
                           am_ftype_e type, int item, const am_value_t *v);

/* "The value 'text' is not valid for Name (expected ...)." or, without
 * text, "The value for Name must be ..., not kind." */
const char *am_msg_invalid(apr_pool_t *p, const am_field_t *f,
                           am_ftype_e type, const char *text,
                           const char *kind);

/* The errors a decoder collects, shared by the JSON, XML and form
 * codecs: one am_err_t (400 "The request is invalid.") with a field
 * error per problem; inside a read-only field (quiet > 0) problems are
 * counted but not reported. */
typedef struct am_dec_errs {
    apr_pool_t *p;
    struct am_err *err;
    int quiet;
    int dropped;
} am_dec_errs_t;

void am_dec_error(am_dec_errs_t *d, const am_path_t *path, const char *msg);
/* Problems seen so far, reported or not. */
int am_dec_errcount(const am_dec_errs_t *d);

#endif /* AM_FIELDS_H */
