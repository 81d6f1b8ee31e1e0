#include "spam.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../base/limits.h"

enum cstatus
spam_decide(const struct spam_rules *r, const struct spam_facts *f,
    const char **reason)
{
	/* Bots first: they go to spam silently, people are never told. */
	if (f->honeypot_filled) {
		*reason = "honeypot";
		return CS_SPAM;
	}
	if (!f->by_site_user && (!f->token_ok ||
	    f->fill_seconds < r->min_fill_seconds)) {
		*reason = "form sent too fast";
		return CS_SPAM;
	}
	if (f->by_site_user) {
		*reason = "";
		return CS_APPROVED;
	}
	if (f->blocked) {
		*reason = f->blocked;
		return CS_PENDING;
	}
	if (f->rate_limited) {
		*reason = "rate limit";
		return CS_PENDING;
	}
	if (f->links > r->max_links) {
		*reason = "too many links";
		return CS_PENDING;
	}
	if (r->first_time_approval && !f->known_commenter) {
		*reason = "first-time commenter";
		return CS_PENDING;
	}
	*reason = "";
	return CS_APPROVED;
}

/* Calls fn for each trimmed, non-empty entry of a comma/newline list
 * until it returns 1. */
static int
each_entry(const char *list, int (*fn)(const char *, size_t, const void *),
    const void *arg)
{
	const char *p = list ? list : "";

	while (*p) {
		size_t n = strcspn(p, ",\n"), b = 0, e = n;

		while (b < e && (p[b] == ' ' || p[b] == '\t' || p[b] == '\r'))
			b++;
		while (e > b && (p[e - 1] == ' ' || p[e - 1] == '\t' ||
		    p[e - 1] == '\r'))
			e--;
		if (e > b && fn(p + b, e - b, arg))
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

static int
ieq_n(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

static int
icontains(const char *hay, const char *needle, size_t n)
{
	size_t i, h = hay ? strlen(hay) : 0;

	for (i = 0; n <= h && i <= h - n; i++)
		if (ieq_n(hay + i, needle, n))
			return 1;
	return 0;
}

static int
word_hit(const char *w, size_t n, const void *arg)
{
	const char *const *fields = arg;
	size_t i;

	for (i = 0; fields[i]; i++)
		if (icontains(fields[i], w, n))
			return 1;
	return 0;
}

static int
ip_hit(const char *w, size_t n, const void *arg)
{
	const char *ip = arg;

	if (w[n - 1] == '.' || w[n - 1] == ':')
		return strlen(ip) >= n && strncmp(ip, w, n) == 0;
	return strlen(ip) == n && strncmp(ip, w, n) == 0;
}

static int
email_hit(const char *w, size_t n, const void *arg)
{
	const char *email = arg;
	size_t m = strlen(email);

	if (w[0] == '@')
		return m >= n && ieq_n(email + m - n, w, n);
	return m == n && ieq_n(email, w, n);
}

const char *
spam_blocked(const char *words, const char *ips, const char *emails,
    const char *author, const char *email, const char *url, const char *ip,
    const char *text)
{
	const char *fields[] = { author ? author : "", email ? email : "",
	    url ? url : "", text ? text : "", NULL };

	if (ip && each_entry(ips, ip_hit, ip))
		return "blocked IP";
	if (email && each_entry(emails, email_hit, email))
		return "blocked e-mail";
	if (each_entry(words, word_hit, fields))
		return "blocked word";
	return NULL;
}

struct slot {
	char ip[48];
	int64_t window; /* minute number */
	int count;
	int64_t refused; /* last time this IP got P_RATELIMIT, 0 = never */
};

struct ratelimit {
	pthread_mutex_t mu; /* protects slots */
	int per_minute;
	struct slot slots[LIM_RATE_SLOTS];
};

struct ratelimit *
ratelimit_new(int per_minute)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));

	if (rl == NULL)
		abort();
	pthread_mutex_init(&rl->mu, NULL);
	rl->per_minute = per_minute;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

static uint32_t
hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

enum perr
ratelimit_hit(struct ratelimit *rl, const char *ip, int64_t now)
{
	struct slot *s;
	int64_t win = now / 60;
	enum perr e = P_OK;

	pthread_mutex_lock(&rl->mu);
	s = &rl->slots[hash(ip) % LIM_RATE_SLOTS];
	/* A collision with another IP from an older window recycles the
	 * slot; a collision in the same window shares the budget, which
	 * errs towards limiting. */
	if (s->window != win || strncmp(s->ip, ip, sizeof(s->ip)) != 0) {
		if (s->window != win) {
			if (strncmp(s->ip, ip, sizeof(s->ip)) != 0)
				s->refused = 0;
			strncpy(s->ip, ip, sizeof(s->ip) - 1);
			s->ip[sizeof(s->ip) - 1] = '\0';
			s->window = win;
			s->count = 0;
		}
	}
	if (s->count >= rl->per_minute) {
		e = P_RATELIMIT;
		s->refused = now;
	} else
		s->count++;
	pthread_mutex_unlock(&rl->mu);
	return e;
}

int
ratelimit_recent(struct ratelimit *rl, const char *ip, int64_t now)
{
	struct slot *s;
	int r;

	pthread_mutex_lock(&rl->mu);
	s = &rl->slots[hash(ip) % LIM_RATE_SLOTS];
	r = s->refused != 0 && strncmp(s->ip, ip, sizeof(s->ip)) == 0 &&
	    now - s->refused < LIM_RATE_HOLD_S;
	pthread_mutex_unlock(&rl->mu);
	return r;
}
