#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../base/limits.h"

const char *
role_str(enum role r)
{
	switch (r) {
	case ROLE_AUTHOR: return "author";
	case ROLE_EDITOR: return "editor";
	case ROLE_ADMIN: return "admin";
	default: return "";
	}
}

enum role
role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_NONE;
	if (!strcmp(s, "author"))
		return ROLE_AUTHOR;
	if (!strcmp(s, "editor"))
		return ROLE_EDITOR;
	if (!strcmp(s, "admin"))
		return ROLE_ADMIN;
	return ROLE_NONE;
}

enum perr
auth_pw_hash(const char *pw, char out[AUTH_HASH_BYTES])
{
	size_t n;

	_Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_BYTES,
	    "AUTH_HASH_BYTES too small");
	if (pw == NULL)
		return P_BADINPUT;
	n = strlen(pw);
	if (n < AUTH_PW_MIN || n > LIM_PASSWORD_BYTES)
		return P_BADINPUT;
	if (sodium_init() < 0)
		return P_IO;
	if (crypto_pwhash_str_alg(out, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return P_NOMEM;
	return P_OK;
}

/* A hash of a password nobody knows, made once: verifying against it
 * costs what a real check costs. */
static char dummy_hash[AUTH_HASH_BYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	unsigned char r[32];
	char pw[65];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
	if (auth_pw_hash(pw, dummy_hash) != P_OK)
		dummy_hash[0] = '\0';
}

int
auth_pw_verify(const char *hash, const char *pw)
{
	int real;

	if (pw == NULL)
		pw = "";
	/* Longer than any password we hash: same work, same answer. */
	if (strlen(pw) > LIM_PASSWORD_BYTES)
		pw = "";
	real = hash != NULL && strncmp(hash, "$argon2id$", 10) == 0 &&
	    strlen(hash) < AUTH_HASH_BYTES;
	if (!real) {
		pthread_once(&dummy_once, make_dummy);
		if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, pw,
		    strlen(pw)) == 0)
			return 0; /* nobody knows it; and still no */
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

char *
auth_token_new(struct arena *a)
{
	unsigned char r[32];
	char *out = arena_alloc(a, 65);

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 65, r, sizeof(r));
	return out;
}

char *
auth_token_hash(struct arena *a, const char *token)
{
	unsigned char h[32];
	char *out = arena_alloc(a, 65);

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
	return out;
}

char *
auth_sha256_hex(struct arena *a, const void *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *out = arena_alloc(a, sizeof(h) * 2 + 1);

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, sizeof(h) * 2 + 1, h, sizeof(h));
	return out;
}

int
auth_str_eq(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return 0;
	n = strlen(a);
	if (n != strlen(b))
		return 0;
	return n == 0 || sodium_memcmp(a, b, n) == 0;
}

struct tslot {
	char key[LIM_LOGIN_KEY_BYTES];
	int64_t first; /* start of the window this count belongs to */
	int64_t last;  /* last failure, for recycling the oldest slot */
	int count;
};

struct throttle {
	pthread_mutex_t mu; /* protects slots */
	int max, window;
	struct tslot slots[LIM_LOGIN_SLOTS];
};

struct throttle *
throttle_new(int max_failures, int window_s)
{
	struct throttle *t = calloc(1, sizeof(*t));

	if (t == NULL)
		abort();
	pthread_mutex_init(&t->mu, NULL);
	t->max = max_failures;
	t->window = window_s;
	return t;
}

void
throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t);
}

/* The slot holding key, or NULL. Linear over a small fixed table; called
 * only on login attempts, which are argon2-slow anyway. */
static struct tslot *
find(struct throttle *t, const char *key)
{
	size_t i;

	for (i = 0; i < LIM_LOGIN_SLOTS; i++)
		if (t->slots[i].count > 0 &&
		    strncmp(t->slots[i].key, key, LIM_LOGIN_KEY_BYTES - 1) == 0)
			return &t->slots[i];
	return NULL;
}

int64_t
throttle_wait(struct throttle *t, const char *key, int64_t now)
{
	struct tslot *s;
	int64_t wait = 0;

	pthread_mutex_lock(&t->mu);
	s = find(t, key);
	if (s && now - s->first >= t->window)
		memset(s, 0, sizeof(*s));
	else if (s && s->count >= t->max)
		wait = s->first + t->window - now;
	pthread_mutex_unlock(&t->mu);
	return wait > 0 ? wait : 0;
}

void
throttle_fail(struct throttle *t, const char *key, int64_t now)
{
	struct tslot *s;
	size_t i;

	pthread_mutex_lock(&t->mu);
	s = find(t, key);
	if (s && now - s->first >= t->window)
		memset(s, 0, sizeof(*s));
	if (s == NULL || s->count == 0) {
		/* A free slot, else the one idle longest. */
		s = &t->slots[0];
		for (i = 0; i < LIM_LOGIN_SLOTS; i++) {
			if (t->slots[i].count == 0) {
				s = &t->slots[i];
				break;
			}
			if (t->slots[i].last < s->last)
				s = &t->slots[i];
		}
		memset(s, 0, sizeof(*s));
		strncpy(s->key, key, sizeof(s->key) - 1);
		s->first = now;
	}
	s->count++;
	s->last = now;
	pthread_mutex_unlock(&t->mu);
}

void
throttle_clear(struct throttle *t, const char *key)
{
	struct tslot *s;

	pthread_mutex_lock(&t->mu);
	if ((s = find(t, key)) != NULL)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&t->mu);
}
