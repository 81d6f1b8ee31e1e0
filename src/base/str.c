#include "str.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum perr
str_ntoint(const char *s, size_t n, long long min, long long max,
    long long *out)
{
	long long v = 0;
	size_t i = 0;
	int neg = 0;

	if (n == 0)
		return P_BADINPUT;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
		if (n == 1)
			return P_BADINPUT;
	}
	for (; i < n; i++) {
		int d;

		if (s[i] < '0' || s[i] > '9')
			return P_BADINPUT;
		d = s[i] - '0';
		if (v > (9223372036854775807LL - d) / 10)
			return P_BADINPUT;
		v = v * 10 + d;
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return P_BADINPUT;
	*out = v;
	return P_OK;
}

enum perr
str_toint(const char *s, long long min, long long max, long long *out)
{
	if (s == NULL)
		return P_BADINPUT;
	return str_ntoint(s, strlen(s), min, max, out);
}

char *
str_slugify(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, 201);
	size_t n = 0;
	int dash = 0;

	for (; *s && n < 200; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c >= 0x80) {
			if (dash && n > 0 && n < 199)
				out[n++] = '-';
			dash = 0;
			out[n++] = (char)(c < 0x80 ? tolower(c) : c);
		} else if (c != '\'')
			dash = 1;
	}
	/* Don't leave a truncated UTF-8 sequence at the end. */
	while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80) {
		size_t k = n - 1;
		while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
			k--;
		{
			unsigned char lead = (unsigned char)out[k];
			size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
			if (n - k == want)
				break;
			n = k;
		}
	}
	out[n] = '\0';
	return out;
}

int
str_is_slug(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c >= 0x80))
			return 0;
	}
	return 1;
}

char *
str_trim(char *s)
{
	size_t n;
	char *p = s;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (p != s)
		memmove(s, p, strlen(p) + 1);
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

size_t
str_utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t k, j;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		k = 2;
		c = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		k = 3;
		c = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		k = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (n < k)
		return 0;
	for (j = 1; j < k; j++) {
		if ((p[j] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[j] & 0x3F);
	}
	if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return k;
}

int
str_valid_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		if ((len = str_utf8_seq(p + i, n - i, &cp)) == 0)
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0x7f)
			return 0;
		i += len;
	}
	return 1;
}

/* Day count since 1970-01-01 → proleptic Gregorian year, month 1-12,
 * day 1-31, by whole 400-year eras (146097 days), counted from March so
 * that the leap day ends a year. Pure arithmetic: the dates of a page's
 * comments were gmtime_r + strftime + snprintf each, 4% of a render. */
static void
civil(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

char *
str_put_uint(char *p, uint64_t v, int width)
{
	char tmp[20];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (width-- > n)
		*p++ = '0';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

void
str_iso8601(int64_t t, char out[21])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sec = t - days * 86400, y;
	int m, d;
	char *p = out;

	civil(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	p = str_put_uint(p, (uint64_t)y, 4);
	*p++ = '-';
	p = str_put_uint(p, (uint64_t)m, 2);
	*p++ = '-';
	p = str_put_uint(p, (uint64_t)d, 2);
	*p++ = 'T';
	p = str_put_uint(p, (uint64_t)sec / 3600, 2);
	*p++ = ':';
	p = str_put_uint(p, (uint64_t)sec / 60 % 60, 2);
	*p++ = ':';
	p = str_put_uint(p, (uint64_t)sec % 60, 2);
	*p++ = 'Z';
	*p = '\0';
}

void
str_human_date(int64_t t, char *out, size_t outsz)
{
	static const char *months[] = { "January", "February", "March",
		"April", "May", "June", "July", "August", "September",
		"October", "November", "December" };
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
	int m, d;
	char buf[40], *p = buf;
	size_t n;

	civil(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		if (outsz > 0)
			out[0] = '\0';
		return;
	}
	n = strlen(months[m - 1]);
	memcpy(p, months[m - 1], n);
	p += n;
	*p++ = ' ';
	p = str_put_uint(p, (uint64_t)d, 1);
	*p++ = ',';
	*p++ = ' ';
	p = str_put_uint(p, (uint64_t)y, 1);
	n = (size_t)(p - buf);
	if (n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return;
	}
	memcpy(out, buf, n);
	out[n] = '\0';
}

enum perr
str_parse_date(const char *s, int64_t *out)
{
	struct tm tm;
	const char *p;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL)
		return P_BADINPUT;
	p = strptime(s, "%Y-%m-%d", &tm);
	if (p == NULL)
		return P_BADINPUT;
	if (*p == 'T' || *p == ' ') {
		const char *q = strptime(p + 1, "%H:%M:%S", &tm);
		if (q == NULL)
			q = strptime(p + 1, "%H:%M", &tm);
		if (q == NULL)
			return P_BADINPUT;
		p = q;
		if (*p == 'Z')
			p++;
	}
	if (*p != '\0')
		return P_BADINPUT;
	if (tm.tm_year < 70 || tm.tm_year > 1100)
		return P_BADINPUT;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return P_BADINPUT;
	*out = (int64_t)t;
	return P_OK;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
str_pct_decode(struct arena *a, const char *s, size_t n, int plus)
{
	char *out = arena_alloc(a, n + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+' && plus)
			c = ' ';
		else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return NULL;
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

int
str_valid_line(const char *s, size_t n)
{
	return str_valid_text(s, n) && memchr(s, '\t', n) == NULL &&
	    memchr(s, '\r', n) == NULL && memchr(s, '\n', n) == NULL;
}

char *
str_log_safe(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i, o = 0;
	char *out = arena_alloc(a, n * 3 + 1);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '%') {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

static const char wdays[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
	"Sat" };
static const char months3[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void
str_http_date(int64_t t, char out[STR_HTTP_DATE_BYTES])
{
	time_t tt = (time_t)t;
	struct tm tm;
	int n;

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0) {
		out[0] = '\0';
		return;
	}
	n = snprintf(out, STR_HTTP_DATE_BYTES,
	    "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday],
	    tm.tm_mday, months3[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	if (n < 0 || n >= STR_HTTP_DATE_BYTES)
		out[0] = '\0';
}

/* Reads exactly n digits at *p into *v and advances. */
static int
digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return 0;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 1;
}

static int
lit(const char **p, const char *s)
{
	size_t n = strlen(s);

	if (strncmp(*p, s, n) != 0)
		return 0;
	*p += n;
	return 1;
}

static int
month_of(const char **p, int *mon)
{
	int i;

	for (i = 0; i < 12; i++)
		if (strncmp(*p, months3[i], 3) == 0) {
			*mon = i;
			*p += 3;
			return 1;
		}
	return 0;
}

/* "08:49:37" */
static int
hms(const char **p, struct tm *tm)
{
	return digits(p, 2, &tm->tm_hour) && lit(p, ":") &&
	    digits(p, 2, &tm->tm_min) && lit(p, ":") &&
	    digits(p, 2, &tm->tm_sec);
}

enum perr
str_parse_http_date(const char *s, int64_t *out)
{
	static const char *const long_days[7] = { "Sunday", "Monday",
		"Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	const char *p = s;
	struct tm tm;
	int i, year = 0, ok = 0;
	time_t t;

	if (s == NULL || strlen(s) > 64)
		return P_BADINPUT;
	memset(&tm, 0, sizeof(tm));
	for (i = 0; i < 7 && !ok; i++) {
		p = s;
		if (lit(&p, wdays[i]) && lit(&p, ", ")) {
			/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
			ok = digits(&p, 2, &tm.tm_mday) && lit(&p, " ") &&
			    month_of(&p, &tm.tm_mon) && lit(&p, " ") &&
			    digits(&p, 4, &year) && lit(&p, " ") &&
			    hms(&p, &tm) && lit(&p, " GMT");
		} else if ((p = s, lit(&p, long_days[i])) && lit(&p, ", ")) {
			/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT; a two-digit
			 * year that looks more than 50 years ahead is in the
			 * past century (RFC 9110 5.6.7). */
			ok = digits(&p, 2, &tm.tm_mday) && lit(&p, "-") &&
			    month_of(&p, &tm.tm_mon) && lit(&p, "-") &&
			    digits(&p, 2, &year) && lit(&p, " ") &&
			    hms(&p, &tm) && lit(&p, " GMT");
			if (ok) {
				time_t now = time(NULL);
				struct tm nt;
				int cur;

				gmtime_r(&now, &nt);
				cur = nt.tm_year + 1900;
				year += cur - cur % 100;
				if (year > cur + 50)
					year -= 100;
			}
		} else if ((p = s, lit(&p, wdays[i])) && lit(&p, " ")) {
			/* asctime: Sun Nov  6 08:49:37 1994 */
			ok = month_of(&p, &tm.tm_mon) && lit(&p, " ");
			if (ok && *p == ' ') {
				p++;
				ok = digits(&p, 1, &tm.tm_mday);
			} else if (ok)
				ok = digits(&p, 2, &tm.tm_mday);
			ok = ok && lit(&p, " ") && hms(&p, &tm) &&
			    lit(&p, " ") && digits(&p, 4, &year);
		}
	}
	if (!ok || *p != '\0')
		return P_BADINPUT;
	if (year < 1970 || year > 9999 || tm.tm_mday < 1 ||
	    tm.tm_mday > mdays[tm.tm_mon] || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return P_BADINPUT;
	tm.tm_year = year - 1900;
	if ((t = timegm(&tm)) == (time_t)-1)
		return P_BADINPUT;
	*out = (int64_t)t;
	return P_OK;
}
