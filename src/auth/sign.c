#include "sign.h"

#include <sodium.h>
#include <string.h>

enum perr
sign_init(void)
{
	return sodium_init() < 0 ? P_IO : P_OK;
}

void
sign_new_key(unsigned char key[SIGN_KEY_BYTES])
{
	randombytes_buf(key, SIGN_KEY_BYTES);
}

char *
sign_random_hex(struct arena *a, size_t n)
{
	unsigned char raw[64];
	char *out;

	if (n > sizeof(raw))
		n = sizeof(raw);
	randombytes_buf(raw, n);
	out = arena_alloc(a, n * 2 + 1);
	sodium_bin2hex(out, n * 2 + 1, raw, n);
	return out;
}

char *
sign_make(struct arena *a, const unsigned char key[SIGN_KEY_BYTES],
    const char *payload)
{
	unsigned char mac[crypto_auth_BYTES];
	char hex[crypto_auth_BYTES * 2 + 1];

	crypto_auth(mac, (const unsigned char *)payload, strlen(payload), key);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	return arena_printf(a, "%s.%s", payload, hex);
}

char *
sign_check(struct arena *a, const unsigned char key[SIGN_KEY_BYTES],
    const char *token)
{
	unsigned char mac[crypto_auth_BYTES];
	const char *dot;
	size_t plen, binlen;

	if (token == NULL || (dot = strrchr(token, '.')) == NULL)
		return NULL;
	if (strlen(dot + 1) != crypto_auth_BYTES * 2)
		return NULL;
	if (sodium_hex2bin(mac, sizeof(mac), dot + 1, crypto_auth_BYTES * 2,
	    NULL, &binlen, NULL) != 0 || binlen != sizeof(mac))
		return NULL;
	plen = (size_t)(dot - token);
	/* Constant-time comparison inside libsodium. */
	if (crypto_auth_verify(mac, (const unsigned char *)token, plen, key) != 0)
		return NULL;
	return arena_strndup(a, token, plen);
}

enum perr
sign_key_from_hex(const char *hex, unsigned char key[SIGN_KEY_BYTES])
{
	size_t binlen;

	if (hex == NULL || strlen(hex) != SIGN_KEY_BYTES * 2)
		return P_BADINPUT;
	if (sodium_hex2bin(key, SIGN_KEY_BYTES, hex, SIGN_KEY_BYTES * 2, NULL,
	    &binlen, NULL) != 0 || binlen != SIGN_KEY_BYTES)
		return P_BADINPUT;
	return P_OK;
}

char *
sign_key_to_hex(struct arena *a, const unsigned char key[SIGN_KEY_BYTES])
{
	char *out = arena_alloc(a, SIGN_KEY_BYTES * 2 + 1);

	sodium_bin2hex(out, SIGN_KEY_BYTES * 2 + 1, key, SIGN_KEY_BYTES);
	return out;
}
