"""Comments close automatically close_after_days after publication: with
close_after_days = 1 every demo article (all older than a day) shows
"Comments are closed." instead of the form and refuses comments."""

import urllib.parse

from harness import check, comment_form, comment_ids, unique

DEMO = True
CONF = {"comments": {"close_after_days": 1, "min_fill_seconds": 0,
                     "rate_per_minute": 100000}}


def posts(srv):
    d = srv.get("/api/v1/posts").json()
    out = d["posts"]
    for page in range(2, d["pages"] + 1):
        out += srv.get("/api/v1/posts?page=%d" % page).json()["posts"]
    return out


def path_of(p):
    return urllib.parse.urlsplit(p["url"]).path


def test_every_article_is_closed(srv):
    ps = posts(srv)
    check(len(ps) >= 10, "only %d demo posts" % len(ps))
    for p in ps:
        check(p["comments_open"] is False, "API says %r is open" % p["title"])
        root = srv.get(path_of(p)).html()
        msg = root.find(cls="comments-closed")
        check(msg is not None and msg.norm_text() == "Comments are closed.",
              "%s: no 'Comments are closed.'" % path_of(p))
        check(comment_form(root) is None, "%s: still has a form" %
              path_of(p))
        check(root.find("a", cls="comment-reply-link") is None,
              "%s: still has Reply links" % path_of(p))


def test_old_comments_still_shown(srv):
    p = max(posts(srv), key=lambda p: p["comment_count"])
    root = srv.get(path_of(p)).html()
    check(len(comment_ids(root)) >= p["comment_count"],
          "closing hid the discussion")
    check(root.find(cls="comments-title") is not None, "no heading")


def test_post_to_auto_closed_article_is_403(srv):
    p = posts(srv)[0]
    marker = unique("autoclosed-")
    r = srv.client().post_form("/comments", {
        "post_id": p["id"], "parent_id": 0, "ts": "",
        "author": "Late", "email": "late@example.org",
        "comment": marker, "hp_url": ""})
    check(r.status == 403, "comment on an auto-closed article: %d" %
          r.status)
    check("Comments are closed" in r.text, "message: %r" % r.text[-400:])
    check(srv.find_comment(marker, "pending") is None and
          srv.find_comment(marker, "spam") is None,
          "comment on a closed article was stored")
