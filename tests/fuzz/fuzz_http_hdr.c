/* fuzz_http_hdr.c: the parsers of untrusted request headers that decide
 * how an answer is sent: Accept-Encoding, If-None-Match and HTTP dates
 * (If-Modified-Since). Each must accept any bytes without reading past
 * them and answer within its contract. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/encode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), etag[ENC_ETAG_BYTES];
	char back[STR_HTTP_DATE_BYTES];
	enum coding c;
	int64_t t, u;

	assert(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	c = enc_choose(s);
	assert(c == CODING_IDENTITY || c == CODING_GZIP || c == CODING_BR);
	enc_etag((const char *)data, size, etag);
	(void)enc_none_match(s, etag);
	(void)enc_none_match(s, "W/\"0123456789abcdef0123456789abcdef-br\"");
	if (str_parse_http_date(s, &t) == P_OK) {
		/* A date that parses formats back to one that parses to
		 * the same instant. */
		str_http_date(t, back);
		assert(str_parse_http_date(back, &u) == P_OK && u == t);
	}
	free(s);
	return 0;
}
