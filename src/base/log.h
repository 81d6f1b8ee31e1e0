/* log.h: one-line log messages to stderr, thread-safe (one write per line). */
#ifndef PARLEY_LOG_H
#define PARLEY_LOG_H

#include <stddef.h>

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The request log's line, "IP METHOD PATH STATUS BYTES 1.23ms[ aborted]"
 * as log_info would write it, without printf (it runs for every
 * request). The strings must be safe to log (str_log_safe). */
void log_access(const char *ip, const char *method, const char *path,
    int status, size_t bytes, long long us, int aborted);

#endif
