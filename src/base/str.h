/* str.h: small string helpers with explicit bounds. No allocation except
 * where an arena is passed. */
#ifndef PARLEY_STR_H
#define PARLEY_STR_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

/* Parse a whole decimal integer in [min, max] (strtonum-style). Leading or
 * trailing junk, overflow, or out of range gives P_BADINPUT. */
enum perr str_toint(const char *s, long long min, long long max, long long *out);
/* Same, for the first n bytes of s (not NUL-terminated). */
enum perr str_ntoint(const char *s, size_t n, long long min, long long max,
    long long *out);

/* Lower-case ASCII slug from arbitrary UTF-8 text: letters and digits kept
 * (ASCII lower-cased, other UTF-8 bytes kept as is), runs of anything else
 * become one '-', no leading/trailing '-'. At most 200 bytes. Arena-owned. */
char *str_slugify(struct arena *a, const char *s);

/* True if s is a non-empty slug: [a-z0-9-] and UTF-8 bytes >= 0x80 only. */
int str_is_slug(const char *s);

/* Decode %XX escapes (and '+' as space when plus is set) of s[0..n) into
 * an arena string. NULL on a malformed escape or a decoded NUL byte. */
char *str_pct_decode(struct arena *a, const char *s, size_t n, int plus);

/* Trim ASCII whitespace in place; returns s. */
char *str_trim(char *s);

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs,
 * no surrogates, nothing above U+10FFFF) with its code point in *cp; 0 if
 * the bytes at p (n of them available, n may be 0) do not start one. */
size_t str_utf8_seq(const unsigned char *p, size_t n, uint32_t *cp);

/* True if all of s is valid UTF-8 with no NUL and no C0 controls other than
 * tab, LF, CR. */
int str_valid_text(const char *s, size_t n);

/* str_valid_text and no tab, CR or LF either: a one-line field. */
int str_valid_line(const char *s, size_t n);

/* Copy of s safe to print on one line of a log or terminal: bytes below
 * 0x20, 0x7f and '%' become %XX. Arena-owned. */
char *str_log_safe(struct arena *a, const char *s);

/* The decimal digits of v at p, zero-padded to at least width: exactly
 * max(width, digits of v) bytes, no NUL; returns the end. The integer
 * writer for the hot paths that cannot afford printf. */
char *str_put_uint(char *p, uint64_t v, int width);
/* Format a UTC unix time: "2026-11-28T20:36:42Z". out must hold 21 bytes. */
void str_iso8601(int64_t t, char out[21]);
/* "November 28, 2026" into out (>= 32 bytes). */
void str_human_date(int64_t t, char *out, size_t outsz);
/* Parse "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
enum perr str_parse_date(const char *s, int64_t *out);

/* "Tue, 06 Oct 2026 07:30:00 GMT": HTTP's IMF-fixdate, which is also the
 * RFC 822/1123 date RSS wants. English names whatever the locale.
 * out must hold STR_HTTP_DATE_BYTES (29 characters and the NUL). */
#define STR_HTTP_DATE_BYTES 30
void str_http_date(int64_t t, char out[STR_HTTP_DATE_BYTES]);
/* Parse the three date forms HTTP/1.1 recipients must accept (IMF-fixdate,
 * RFC 850, asctime), as sent in If-Modified-Since. Untrusted input: any
 * other shape, or a field out of range, is P_BADINPUT. */
enum perr str_parse_http_date(const char *s, int64_t *out);

#endif
