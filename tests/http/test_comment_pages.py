"""Threads paged by top-level comment (comments_per_page, a setting of the
settings page): ?cpage=N shows whole threads N at a time with links to
the other pages; reply links and the redirect after posting keep the
page; a new comment on a later page is sent there."""

import re
import urllib.parse

from harness import (check, comment_form, comment_ids, new_comment_id,
                     post_comment)

DEMO = True
CPP = 3
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000,
                     "comments_per_page": CPP, "first_time_approval":
                     False}}


def busiest(srv):
    d = srv.get("/api/v1/posts").json()
    p = max(d["posts"], key=lambda p: p["comment_count"])
    return p, urllib.parse.urlsplit(p["url"]).path


def tops(root):
    return [int(a.get("id").split("-")[1]) for a in root.find_all("article")
            if (a.get("id") or "").startswith("comment-") and
            "depth-1" in (a.parent.get("class") or "")]


def test_pages_split_by_top_level_comment(srv):
    p, path = busiest(srv)
    first = srv.get(path).html()
    check(len(tops(first)) == CPP, "page 1 has %d top-level comments" %
          len(tops(first)))
    nav = first.find("nav", cls="comment-navigation")
    check(nav is not None, "no comment page navigation")
    newer = [a.get("href") for a in nav.find_all("a")]
    check(any("cpage=2" in h for h in newer), "no link to page 2: %s" %
          newer)
    second = srv.get(path + "?cpage=2").html()
    check(set(tops(second)).isdisjoint(tops(first)), "pages overlap")
    seen = set()
    page = 1
    while True:
        root = srv.get(path + "?cpage=%d" % page).html()
        ids = comment_ids(root)
        check(not (set(ids) & seen), "a comment on two pages")
        seen |= set(ids)
        nav = root.find("nav", cls="comment-navigation")
        if not any("cpage=%d" % (page + 1) in (a.get("href") or "")
                   for a in nav.find_all("a")):
            break
        page += 1
    check(len(seen) >= p["comment_count"], "pages show %d of %d" % (
        len(seen), p["comment_count"]))
    bad = srv.get(path + "?cpage=999")
    check(bad.status == 200 and tops(bad.html()) == tops(first),
          "out-of-range page")


def test_reply_link_and_redirect_keep_the_page(srv):
    p, path = busiest(srv)
    root = srv.get(path + "?cpage=2").html()
    link = root.find("a", cls="comment-reply-link").get("href")
    check("cpage=2" in link, "reply link loses the page: %s" % link)
    # The same client reads the form and posts it: the form's signed
    # timestamp comes with the page as the parley_ts cookie.
    c = srv.client()
    form = comment_form(c.get(link.split("#")[0]).html())
    check(form and form["parent_id"] != "0", "reply form not replying")
    r, _ = post_comment(c, path, form=form, parent_id=form["parent_id"],
                        text="A reply on the second page.")
    check(r.status == 303, "reply: %d" % r.status)
    loc = r.header("Location")
    check("?cpage=2#comment-" in loc, "redirect loses the page: %s" % loc)
    cid = new_comment_id(r)
    check(cid in comment_ids(srv.get(path + "?cpage=2").html()),
          "reply not on page 2")
