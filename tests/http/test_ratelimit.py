"""Per-IP rate limit: with rate_per_minute = 3 the 4th comment within a
minute from the same address gets a clear 429 page."""

import re
import time
import urllib.parse

from harness import check, post_comment, unique

DEMO = True
RATE = 3
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": RATE}}


def article(srv):
    d = srv.get("/api/v1/posts").json()
    p = [p for p in d["posts"] if p["comments_open"]][0]
    return urllib.parse.urlsplit(p["url"]).path


def test_fourth_comment_in_a_minute_is_429(srv):
    path = article(srv)
    # The limiter counts per clock minute: start early in one so that all
    # four posts fall in the same window.
    if time.time() % 60 > 50:
        time.sleep(60.5 - time.time() % 60)
    window = int(time.time() // 60)
    statuses, last = [], None
    for i in range(RATE + 1):
        last, _ = post_comment(srv.client(), path, author=unique("Rapid "),
                               email="rapid%d@example.org" % i,
                               text="Comment number %d %s" % (
                                   i, unique("rl-")))
        statuses.append(last.status)
    check(int(time.time() // 60) == window, "posting took too long: the "
          "minute changed")
    check(statuses[:RATE] == [303] * RATE,
          "first %d comments: %s" % (RATE, statuses))
    check(statuses[RATE] == 429, "comment %d in a minute: %d, want 429" % (
        RATE + 1, statuses[RATE]))
    check("text/html" in (last.header("Content-Type") or ""),
          "429 is not an HTML page")
    text = re.sub(r"\s+", " ", last.html().norm_text())
    check("wait a minute" in text.lower(), "429 page says %r" % text[-400:])
    check(last.header("Retry-After") is not None, "429 without Retry-After")
    # The refused comment was not stored.
    n = sum(1 for st in ("pending", "approved", "spam")
            for row in srv.comment_list(st) if "Rapid" in row["line"])
    check(n == RATE, "%d rate-test comments stored, want %d" % (n, RATE))


def test_reading_is_not_limited(srv):
    for i in range(20):
        r = srv.get("/")
        check(r.status == 200, "GET / number %d: %d" % (i, r.status))
