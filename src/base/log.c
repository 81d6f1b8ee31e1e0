#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "str.h"

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	char ts[21];
	int n, m;

	str_iso8601((int64_t)time(NULL), ts);
	n = snprintf(line, sizeof(line), "%s %s ", ts, level);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	if ((size_t)(n + m) >= sizeof(line) - 1)
		m = (int)(sizeof(line) - 2) - n;
	line[n + m] = '\n';
	/* One write(2) per line keeps lines from threads whole. */
	if (write(STDERR_FILENO, line, (size_t)(n + m + 1)) < 0)
		return;
}

void
log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("warn", fmt, ap);
	va_end(ap);
}

/* Appends s (up to n bytes, or to its NUL if n is -1) at *p, never past
 * end. */
static void
put(char **p, const char *end, const char *s, size_t n)
{
	if (n == (size_t)-1)
		n = strlen(s);
	if (n > (size_t)(end - *p))
		n = (size_t)(end - *p);
	memcpy(*p, s, n);
	*p += n;
}

/* v as digits (at least width of them) at *p, if they fit before end. */
static void
put_u(char **p, const char *end, uint64_t v, int width)
{
	if (end - *p >= 20 + width)
		*p = str_put_uint(*p, v, width);
}

void
log_access(const char *ip, const char *method, const char *path, int status,
    size_t bytes, long long us, int aborted)
{
	char line[2048], ts[21], *p = line;
	const char *end = line + sizeof(line) - 1;

	str_iso8601((int64_t)time(NULL), ts);
	put(&p, end, ts, (size_t)-1);
	put(&p, end, " info ", 6);
	put(&p, end, ip, (size_t)-1);
	put(&p, end, " ", 1);
	put(&p, end, method, (size_t)-1);
	put(&p, end, " ", 1);
	put(&p, end, path, (size_t)-1);
	put(&p, end, " ", 1);
	put_u(&p, end, status < 0 ? 0 : (uint64_t)status, 1);
	put(&p, end, " ", 1);
	put_u(&p, end, bytes, 1);
	put(&p, end, " ", 1);
	if (us < 0)
		us = 0;
	us += 5; /* to hundredths of a millisecond, rounded */
	put_u(&p, end, (uint64_t)us / 1000, 1);
	put(&p, end, ".", 1);
	put_u(&p, end, (uint64_t)us % 1000 / 10, 2);
	put(&p, end, "ms", 2);
	if (aborted)
		put(&p, end, " aborted", 8);
	*p++ = '\n';
	if (write(STDERR_FILENO, line, (size_t)(p - line)) < 0)
		return;
}
