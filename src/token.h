/* Licensed under the Apache License, Version 2.0.
 *
 * token.h: the secrets that stand for a user (login tokens, renewal
 * tokens, feed keys): made from the system's random source, stored only
 * as hashes, compared in constant time.
 *
 * A token is AM_TOKEN_BYTES random bytes (apr_generate_random_bytes) in
 * base64url without padding: 43 characters of [A-Za-z0-9_-].  Its hash
 * is SHA-256 in lower-case hex (64 characters): what the store keeps.
 */
#ifndef AM_TOKEN_H
#define AM_TOKEN_H

#include <apr_pools.h>
#include "am.h"

#define AM_TOKEN_BYTES    32
#define AM_TOKEN_CHARS    43        /* base64url of 32 bytes, no padding */
#define AM_TOKEN_HASH_HEX 64

/* Once at start-up: looks up the SHA-256 implementation (OpenSSL 3
 * otherwise looks it up on every hash).  Hashing works without it. */
void am_token_init(void);

/* A new token in *out; an error when the random source fails. */
am_err_t *am_token_new(apr_pool_t *p, const char **out);

/* Whether t has the form of a token this module makes (length and
 * alphabet).  Anything else is malformed and never looked up. */
int am_token_wellformed(const char *t, apr_size_t len);

/* The hash of token t[0 .. len): SHA-256, lower-case hex. */
const char *am_token_hash(apr_pool_t *p, const char *t, apr_size_t len);

/* Whether two NUL-terminated strings are equal, in time that depends on
 * their lengths only, never on where they differ. */
int am_token_equal(const char *a, const char *b);

#endif /* AM_TOKEN_H */
