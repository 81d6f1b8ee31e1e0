#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	char ts[32];
	struct tm tm;
	time_t now = time(NULL);
	int n, m;

	gmtime_r(&now, &tm);
	if (strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		ts[0] = '\0';
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
