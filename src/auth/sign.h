/* sign.h: tamper-proof tokens with the site secret (HMAC-SHA512-256 via
 * libsodium's crypto_auth). A token is "PAYLOAD.MAC" where MAC is the
 * hex MAC of PAYLOAD; PAYLOAD must not contain '.'. Used for the
 * commenter cookie and the comment form's timestamp. */
#ifndef PARLEY_SIGN_H
#define PARLEY_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/err.h"

#define SIGN_KEY_BYTES 32

/* Call once before threads start; P_IO if libsodium cannot initialise. */
enum perr sign_init(void);
/* Fill key with fresh random bytes. */
void sign_new_key(unsigned char key[SIGN_KEY_BYTES]);
/* Hex text of n random bytes, arena-owned. */
char *sign_random_hex(struct arena *a, size_t n);
/* "PAYLOAD.MAC", arena-owned. */
char *sign_make(struct arena *a, const unsigned char key[SIGN_KEY_BYTES],
    const char *payload);
/* If token is validly signed, the payload (arena-owned); else NULL. */
char *sign_check(struct arena *a, const unsigned char key[SIGN_KEY_BYTES],
    const char *token);
/* Hex helpers for storing the key. */
enum perr sign_key_from_hex(const char *hex, unsigned char key[SIGN_KEY_BYTES]);
char *sign_key_to_hex(struct arena *a, const unsigned char key[SIGN_KEY_BYTES]);

#endif
