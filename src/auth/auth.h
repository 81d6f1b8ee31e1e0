/* auth.h: what logging in is made of, without storage: roles, password
 * hashing (argon2id through libsodium), session and CSRF tokens, and the
 * login throttle. Sessions are kept through store.h by handler/admin.c;
 * this module never sees the store or HTTP.
 * Invariants: a password is only ever compared through auth_pw_verify()
 * (constant time inside libsodium); a session token leaves this module
 * only as the cookie value, and only its hash (auth_token_hash) is
 * stored; every comparison of secrets is constant-time. */
#ifndef PARLEY_AUTH_H
#define PARLEY_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/err.h"

/* Ordered: a higher role can do everything a lower one can. */
enum role { ROLE_NONE = 0, ROLE_AUTHOR, ROLE_EDITOR, ROLE_ADMIN };

/* "author", "editor", "admin" ("" for ROLE_NONE); parse gives ROLE_NONE
 * for anything else. */
const char *role_str(enum role r);
enum role role_parse(const char *s);

/* Room for an encoded argon2id hash (crypto_pwhash_STRBYTES). */
#define AUTH_HASH_BYTES 128

/* Hash pw (argon2id, libsodium's interactive limits) into out. P_BADINPUT
 * for a password shorter than AUTH_PW_MIN or longer than
 * LIM_PASSWORD_BYTES; P_NOMEM if the hash's memory cannot be had. */
#define AUTH_PW_MIN 8
enum perr auth_pw_hash(const char *pw, char out[AUTH_HASH_BYTES]);
/* 1 if pw matches hash. An empty or malformed hash still spends the time
 * of a real check (against a dummy hash) and answers 0, so a login that
 * does not exist cannot be told from a wrong password by timing. */
int auth_pw_verify(const char *hash, const char *pw);

/* A fresh random token: 32 bytes as 64 hex digits, arena-owned. */
char *auth_token_new(struct arena *a);
/* The hex BLAKE2b-256 of token (what the store keeps), arena-owned. */
char *auth_token_hash(struct arena *a, const char *token);
/* Hex SHA-256 of data (content addresses of media), arena-owned. */
char *auth_sha256_hex(struct arena *a, const void *data, size_t len);
/* Constant-time equality of two NUL-terminated strings (the length is
 * not secret). */
int auth_str_eq(const char *a, const char *b);

/*
 * Failed-login counter over a sliding window, keyed by a string (an
 * account name or an IP). Fixed memory (LIM_LOGIN_SLOTS entries, oldest
 * recycled) whatever the number of keys; thread-safe.
 */
struct throttle;
struct throttle *throttle_new(int max_failures, int window_s);
void throttle_free(struct throttle *t);
/* Seconds until key may try again, 0 if it may now. */
int64_t throttle_wait(struct throttle *t, const char *key, int64_t now);
void throttle_fail(struct throttle *t, const char *key, int64_t now);
void throttle_clear(struct throttle *t, const char *key);

#endif
