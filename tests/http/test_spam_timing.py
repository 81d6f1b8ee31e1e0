"""The minimum fill time: a form sent back faster than min_fill_seconds
(signed timestamp in the form) silently lands in spam; a form filled
slowly enough is moderated normally."""

import time
import urllib.parse

from harness import (check, comment_form, location_path, new_comment_id,
                     post_comment, unique)

DEMO = True
MIN_FILL = 5
CONF = {"comments": {"min_fill_seconds": MIN_FILL,
                     "rate_per_minute": 100000}}


def setup(srv):
    """Fetch a form now; test_slow_form_is_moderated_normally uses it once
    MIN_FILL seconds have passed (the fast tests run meanwhile)."""
    d = srv.get("/api/v1/posts").json()
    p = [p for p in d["posts"] if p["comments_open"]][0]
    srv.article = urllib.parse.urlsplit(p["url"]).path
    c = srv.client()
    srv.early_client = c
    srv.early_form = comment_form(c.get(srv.article).html())
    srv.early_time = time.time()


def test_fast_form_goes_to_spam(srv):
    c = srv.client()
    marker = unique("fast-")
    r, _ = post_comment(c, srv.article, author=unique("Speedy "),
                        email="speedy@example.org",
                        text="Quick quick %s" % marker)
    check(r.status == 303, "fast form: %d, want a silent 303" % r.status)
    lp, frag = location_path(r)
    check(lp == srv.article and frag == "",
          "fast form Location %r (should not point at a comment)" %
          r.header("Location"))
    row = srv.find_comment(marker, "spam")
    check(row is not None, "fast form not in the spam list (pending: %s)" %
          srv.find_comment(marker, "pending"))
    check("too fast" in row["line"], "spam reason %r" % row["line"])
    check(marker not in c.get(srv.article).text,
          "the fast sender sees its comment")


def test_fast_form_from_known_commenter_also_spam(srv):
    # A reader with an approved comment cannot skip the fill time either.
    c = srv.client()
    email = "knownfast@example.org"
    first = unique("fast-first-")
    post_comment(c, srv.article, author="Known Fast", email=email,
                 text=first)
    row = srv.find_comment(first, "spam")
    check(row is not None, "first fast form not in spam")
    srv.cli("comment", "approve", srv.site, str(row["id"]))
    marker = unique("fast-known-")
    r, _ = post_comment(c, srv.article, author="Known Fast", email=email,
                        text=marker)
    check(r.status == 303, "fast form: %d" % r.status)
    check(srv.find_comment(marker, "spam") is not None,
          "fast form from a known commenter not in spam (approved: %s)" %
          srv.find_comment(marker, "approved"))


def test_slow_form_is_moderated_normally(srv):
    wait = srv.early_time + MIN_FILL + 1.2 - time.time()
    if wait > 0:
        time.sleep(wait)
    marker = unique("slow-")
    r, _ = post_comment(srv.early_client, srv.article,
                        author=unique("Patient "),
                        email="patient@example.org",
                        text="Thought about it %s" % marker,
                        form=srv.early_form)
    check(r.status == 303, "slow form: %d" % r.status)
    cid = new_comment_id(r)
    check(cid is not None, "slow form Location %r" % r.header("Location"))
    row = srv.find_comment(marker, "pending")
    check(row is not None and row["id"] == cid,
          "a form filled in %ds is not pending (spam: %s)" % (
              MIN_FILL + 1, srv.find_comment(marker, "spam")))
