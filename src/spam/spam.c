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

struct slot {
	char ip[48];
	int64_t window; /* minute number */
	int count;
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
			strncpy(s->ip, ip, sizeof(s->ip) - 1);
			s->ip[sizeof(s->ip) - 1] = '\0';
			s->window = win;
			s->count = 0;
		}
	}
	if (s->count >= rl->per_minute)
		e = P_RATELIMIT;
	else
		s->count++;
	pthread_mutex_unlock(&rl->mu);
	return e;
}
