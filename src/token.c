/* Licensed under the Apache License, Version 2.0.
 *
 * token.c: login tokens, renewal tokens and feed keys (token.h).
 *
 * The hash is SHA-256 from OpenSSL's libcrypto: APR-util offers only
 * SHA-1 and MD5, and libcrypto is on every machine that runs httpd with
 * mod_ssl.  Its CRYPTO_memcmp is the constant-time comparison.
 */
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "token.h"

/* Set at start-up (am_token_init), read-only afterwards. */
static const EVP_MD *am_sha256 = NULL;

void am_token_init(void)
{
    if (!am_sha256) {
        am_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    }
}

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

am_err_t *am_token_new(apr_pool_t *p, const char **out)
{
    unsigned char raw[AM_TOKEN_BYTES + 2];
    char *t = apr_palloc(p, AM_TOKEN_CHARS + 1);
    apr_status_t rv;
    int i, o = 0;

    memset(raw, 0, sizeof(raw));
    rv = apr_generate_random_bytes(raw, AM_TOKEN_BYTES);
    if (rv != APR_SUCCESS) {
        *out = NULL;
        return am_err_make(p, 500, "the random source failed (%d)", rv);
    }
    /* Three bytes make four characters; the last group (two bytes)
     * makes three. */
    for (i = 0; i < AM_TOKEN_BYTES; i += 3) {
        unsigned v = ((unsigned)raw[i] << 16) | ((unsigned)raw[i + 1] << 8)
                     | raw[i + 2];

        t[o++] = b64url[(v >> 18) & 63];
        t[o++] = b64url[(v >> 12) & 63];
        if (i + 1 < AM_TOKEN_BYTES) {
            t[o++] = b64url[(v >> 6) & 63];
        }
        if (i + 2 < AM_TOKEN_BYTES) {
            t[o++] = b64url[v & 63];
        }
    }
    t[o] = '\0';
    memset(raw, 0, sizeof(raw));
    *out = t;
    return NULL;
}

int am_token_wellformed(const char *t, apr_size_t len)
{
    apr_size_t i;

    if (!t || len != AM_TOKEN_CHARS) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = t[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return 0;
        }
    }
    return 1;
}

const char *am_token_hash(apr_pool_t *p, const char *t, apr_size_t len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;
    char *out;

    if (!EVP_Digest(t, len, md, &n, am_sha256 ? am_sha256 : EVP_sha256(),
                    NULL) || n != 32) {
        return NULL;
    }
    out = apr_palloc(p, 2 * n + 1);
    for (i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
    return out;
}

int am_token_equal(const char *a, const char *b)
{
    size_t la, lb;

    if (!a || !b) {
        return 0;
    }
    la = strlen(a);
    lb = strlen(b);
    if (la != lb) {
        return 0;
    }
    return CRYPTO_memcmp(a, b, la) == 0;
}
