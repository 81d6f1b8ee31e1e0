/* log.h: one-line log messages to stderr, thread-safe (one write per line). */
#ifndef PARLEY_LOG_H
#define PARLEY_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
