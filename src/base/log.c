#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
stamp(char ts[32])
{
	/* Formatted once a second per thread: the request log writes a
	 * line for every request. */
	static _Thread_local time_t last = -1;
	static _Thread_local char cached[32];
	time_t now = time(NULL);
	struct tm tm;

	if (now != last) {
		gmtime_r(&now, &tm);
		if (strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%SZ",
		    &tm) == 0)
			cached[0] = '\0';
		last = now;
	}
	memcpy(ts, cached, sizeof(cached));
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	char ts[32];
	int n, m;

	stamp(ts);
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

static void
put_u(char **p, const char *end, unsigned long long v, int width)
{
	char tmp[24];
	int k = 0;

	do
		tmp[k++] = (char)('0' + v % 10);
	while ((v /= 10) > 0 || k < width);
	while (k > 0 && *p < end)
		*(*p)++ = tmp[--k];
}

void
log_access(const char *ip, const char *method, const char *path, int status,
    size_t bytes, long long us, int aborted)
{
	char line[2048], ts[32], *p = line;
	const char *end = line + sizeof(line) - 1;

	stamp(ts);
	put(&p, end, ts, (size_t)-1);
	put(&p, end, " info ", 6);
	put(&p, end, ip, (size_t)-1);
	put(&p, end, " ", 1);
	put(&p, end, method, (size_t)-1);
	put(&p, end, " ", 1);
	put(&p, end, path, (size_t)-1);
	put(&p, end, " ", 1);
	put_u(&p, end, status < 0 ? 0 : (unsigned long long)status, 1);
	put(&p, end, " ", 1);
	put_u(&p, end, bytes, 1);
	put(&p, end, " ", 1);
	if (us < 0)
		us = 0;
	us += 5; /* to hundredths of a millisecond, rounded */
	put_u(&p, end, (unsigned long long)us / 1000, 1);
	put(&p, end, ".", 1);
	put_u(&p, end, (unsigned long long)us % 1000 / 10, 2);
	put(&p, end, "ms", 2);
	if (aborted)
		put(&p, end, " aborted", 8);
	*p++ = '\n';
	if (write(STDERR_FILENO, line, (size_t)(p - line)) < 0)
		return;
}
