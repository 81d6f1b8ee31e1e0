/* spam.h: moderation rules for new comments and the per-IP rate limiter.
 * Pure decisions: the caller gathers the facts, this module says what
 * status the comment gets and why. */
#ifndef PARLEY_SPAM_H
#define PARLEY_SPAM_H

#include <stdint.h>

#include "../base/err.h"
#include "../store/store.h"

struct spam_facts {
	int honeypot_filled;  /* the hidden hp_url field had text */
	int token_ok;         /* form token signature valid */
	int64_t fill_seconds; /* time from form render to submit */
	int links;            /* links in the comment */
	int known_commenter;  /* has an approved comment (cookie + e-mail) */
	int by_site_user;     /* written by a logged-in author */
	const char *blocked;  /* spam_blocked()'s answer, NULL if none */
	int rate_limited;     /* the IP was refused by the rate limit lately */
};

struct spam_rules {
	int first_time_approval;
	int max_links;
	int min_fill_seconds;
};

/* Status for a new comment; *reason is a static string ("" if approved). */
enum cstatus spam_decide(const struct spam_rules *r, const struct spam_facts *f,
    const char **reason);

/* Does the comment match the site's blocklists? Each list is comma- or
 * newline-separated. Words match case-insensitively anywhere in the name,
 * e-mail, web site or text (ASCII case folding); an IP entry matches the
 * address exactly, or as a prefix when it ends in '.' or ':'; an e-mail
 * entry matches the whole address case-insensitively, or its domain when
 * it starts with '@'. Returns "blocked word", "blocked IP" or
 * "blocked e-mail", or NULL. */
const char *spam_blocked(const char *words, const char *ips,
    const char *emails, const char *author, const char *email,
    const char *url, const char *ip, const char *text);

/* Fixed-size per-IP counter over one-minute windows; thread-safe.
 * Memory is bounded by LIM_RATE_SLOTS whatever the number of clients. */
struct ratelimit;
struct ratelimit *ratelimit_new(int per_minute);
void ratelimit_free(struct ratelimit *rl);
/* P_OK and counts the hit, or P_RATELIMIT if ip used up this minute. */
enum perr ratelimit_hit(struct ratelimit *rl, const char *ip, int64_t now);
/* 1 if ip was refused by ratelimit_hit() within the last
 * LIM_RATE_HOLD_S seconds: what it sends meanwhile waits for a person
 * (held with reason "rate limit"). */
int ratelimit_recent(struct ratelimit *rl, const char *ip, int64_t now);

#endif
