/* Licensed under the Apache License, Version 2.0.
 *
 * codec.h: JSON (json-c) and DataContract XML (libxml2) codecs, driven by
 * the field tables of fields.h.
 *
 * Decoding is strict and hardened (see each function); every problem
 * with a field is collected into one am_err_t (status 400) with the
 * field's path as key, so that one answer lists every bad field.
 */
#ifndef AM_CODEC_H
#define AM_CODEC_H

#include "am.h"
#include "fields.h"

/* Decode flags */
#define AM_DEC_PARTIAL  0x01    /* do not report missing required fields
                                 * (stored extension data, PATCH-style) */

/* Parses a JSON document whose top level is an object of type t.
 *  - json-c strict mode, UTF-8 validated, depth limited (AM_MAX_DEPTH);
 *    trailing data after the object is an error;
 *  - duplicate keys in one object are an error;
 *  - Json.NET references: an object with "$id" is remembered, an object
 *    {"$ref": "N"} stands for the object with "$id" N (a dangling $ref is
 *    a field error); "$id" itself is not a field;
 *  - unknown keys are ignored (as ASP.NET does);
 *  - each value is checked against its field: type, range, length in
 *    characters, "\u0000" in strings refused, integers that overflow
 *    refused, required fields present and non-null (unless
 *    AM_DEC_PARTIAL), AM_F_NONNULL fields not null.
 * Returns NULL and sets *out, or an error (status 400; message
 * "The request is invalid." with field errors, or a syntax message).
 * tz is used for date-times without offset. */
am_err_t *am_json_decode(apr_pool_t *p, const am_type_t *t,
                         const char *buf, apr_size_t len,
                         const am_tz_t *tz, unsigned flags,
                         am_obj_t **out);

/* Reads json, the JSON text of one value (an AM_T_ANY member's u.s), as
 * a value of field f, exactly as am_json_decode reads that member of a
 * body: the same conversions, range, length and null checks (a
 * required field may be null only when not AM_F_NONNULL), sub-objects
 * and collections included.  Sets *v (an explicit null: set and null).
 * Returns NULL, or the field error message. */
const char *am_json_value(apr_pool_t *p, const am_field_t *f,
                          const char *json, const am_tz_t *tz,
                          am_value_t *v);

/* Serialises o as a JSON object: every field in table order, unset and
 * null fields as null, date-times in tz (am_time_format_iso), enums and
 * flags as integers, decimals as JSON numbers with their digits. */
char *am_json_encode(apr_pool_t *p, const am_obj_t *o, const am_tz_t *tz,
                     apr_size_t *len);

/* A JSON array of objects (elements: am_obj_t *). */
char *am_json_encode_list(apr_pool_t *p, const apr_array_header_t *objs,
                          const am_tz_t *tz, apr_size_t *len);

/* Parses a DataContract XML document whose root element is t->name in
 * namespace t->ns.
 *  - libxml2 with a fresh parser context, XML_PARSE_NONET |
 *    XML_PARSE_NOERROR | XML_PARSE_NOWARNING, never NOENT/DTDLOAD/HUGE;
 *    a document with any DTD (internal or external subset) is refused;
 *  - members matched by local name and namespace (a member in the wrong
 *    namespace is unknown, hence ignored, as DataContractSerializer does)
 *    in any order;
 *  - i:nil="true" is null; enums by name, flags as space-separated names;
 *  - collections: item elements as in the seeds (d2p1:long items,
 *    OccurrenceAppointment items, d2p1:NamedEntity items);
 *  - the same value checks and required-field rules as JSON.
 * Errors as am_json_decode. */
am_err_t *am_xml_decode(apr_pool_t *p, const am_type_t *t,
                        const char *buf, apr_size_t len,
                        const am_tz_t *tz, unsigned flags, am_obj_t **out);

/* Serialises o as DataContractSerializer does: root element o->type->name
 * with xmlns:i (XMLSchema-instance) and the default namespace of the
 * type; members in xml_order; a member whose namespace differs from its
 * parent's default gets its own xmlns="..."; nested objects whose members
 * are in another namespace declare xmlns:d{N}p1 and prefix their members
 * (as seed 001/002 show for RecurrenceInfo, ClientIds, Clients); nulls as
 * <X i:nil="true"/>; enums by name; booleans true/false. */
char *am_xml_encode(apr_pool_t *p, const am_obj_t *o, const am_tz_t *tz,
                    apr_size_t *len);

/* <ArrayOf{Type} xmlns:i=".." xmlns="{type ns}"> with one element per
 * object, as DataContractSerializer writes a List<Type>. */
char *am_xml_encode_list(apr_pool_t *p, const am_type_t *t,
                         const apr_array_header_t *objs,
                         const am_tz_t *tz, apr_size_t *len);

/* Once at start-up: xmlInitParser().  Never call xmlCleanupParser(). */
void am_codec_init(void);

#endif /* AM_CODEC_H */
