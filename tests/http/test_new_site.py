"""A site made without --demo: the empty front page, then articles added
with `parley post add` while the server runs (they show at once), a post
dated in the future stays hidden, and titles/captions are escaped."""

import os
import re
import urllib.parse

from harness import check, comment_form

DEMO = False
CONF = {"comments": {"min_fill_seconds": 0}}

ARTICLE = """---
title: Fish & Chips <b>bold</b> "quoted"
author: Zoe Writer
date: 2026-11-20 10:00
categories: Food & Drink, Travel
image: /media/none.png
caption: A <caption> & "more"
comments: closed
---
Hello <span class="note">trusted author HTML</span> world.

Second paragraph with a [link](https://example.org/).
"""

FUTURE = """---
title: A Post From the Future
author: Zoe Writer
date: 2099-06-01 10:00
categories: Future Only
---
Not yet.
"""


def add_post(srv, text, name):
    path = os.path.join(srv.tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    out = srv.cli("post", "add", srv.site, path).strip()
    m = re.match(r"^added post (\d+): (/\S+/)$", out)
    check(m, "post add printed %r" % out)
    return int(m.group(1)), m.group(2)


def test_empty_front_page(srv):
    r = srv.get("/")
    check(r.status == 200, "empty front page: %d" % r.status)
    root = r.html()
    check("Nothing has been posted here yet." in root.norm_text(),
          "empty site says %r" % root.norm_text()[:300])
    check(root.find("a", cls="older") is None and
          root.find("a", cls="newer") is None, "paging links on an empty "
          "site")
    check(srv.get("/page/2/").status == 404, "/page/2/ of an empty site")
    d = srv.get("/api/v1/posts").json()
    check(d["total"] == 0 and d["posts"] == [], "API on an empty site: %r"
          % d)


def test_added_post_shows_at_once(srv):
    pid, path = add_post(srv, ARTICLE, "fish.md")
    check(path.startswith("/2026/11/20/"), "post add printed %r" % path)
    root = srv.get("/").html()
    titles = [e.norm_text() for e in root.find_all(cls="entry-title")]
    check(titles == ['Fish & Chips <b>bold</b> "quoted"'],
          "front page titles %r" % titles)
    page = srv.get(path)
    check(page.status == 200, "GET %s: %d" % (path, page.status))
    check("<b>bold</b>" not in page.text and "&lt;b&gt;bold" in page.text,
          "title not escaped on the article page")
    root = page.html()
    cap = root.find("figcaption")
    check(cap is not None and cap.norm_text() == 'A <caption> & "more"',
          "caption %r" % (cap and cap.norm_text()))
    body = root.find(cls="entry-content")
    check(body.find("span", cls="note") is not None,
          "the author's own HTML was not kept")
    check(root.find(cls="comments-closed") is not None and
          comment_form(root) is None, "comments: closed not honoured")
    cats = [a.norm_text() for a in root.find_all("a", cls="cat")]
    check(cats == ["Food & Drink", "Travel"], "categories %r" % cats)
    for a in root.find_all("a", cls="cat"):
        check(srv.get(a.get("href")).status == 200,
              "category link %s" % a.get("href"))
    d = srv.get("/api/v1/posts").json()
    check(d["total"] == 1 and d["posts"][0]["title"] ==
          'Fish & Chips <b>bold</b> "quoted"', "API %r" % d)
    check(d["posts"][0]["comments_open"] is False, "API says open")


def test_future_post_is_hidden(srv):
    fid, path = add_post(srv, FUTURE, "future.md")
    check(srv.get(path).status == 404, "future post %s is reachable" % path)
    root = srv.get("/").html()
    check("From the Future" not in root.text(), "future post listed")
    nav = [a.norm_text() for a in root.find_all("a")]
    check("Future Only" not in nav, "category of a future post in the nav")
    d = srv.get("/api/v1/posts").json()
    check(all("Future" not in p["title"] for p in d["posts"]),
          "future post in the API list")
    r = srv.get("/api/v1/posts/%d" % fid)
    check(r.status == 404, "future post by id: %d" % r.status)
    r = srv.get("/api/v1/posts/%d/comments" % fid)
    check(r.status == 404, "future post comments: %d" % r.status)
    author = urllib.parse.quote("zoe-writer")
    root = srv.get("/author/%s/" % author).html()
    check("From the Future" not in root.text(), "future post in the author "
          "archive")


def test_future_post_not_reachable_through_comment_form(srv):
    """POST /comments with the id of a post not yet published must act as
    if it did not exist: no article page (its body is embargoed), no
    comment stored, no Location revealing its permalink."""
    text = FUTURE.replace("A Post From the Future", "Embargoed Launch") \
        .replace("Not yet.", "Embargoed body text.")
    fid, path = add_post(srv, text, "embargo.md")
    bad = srv.client().post_form("/comments", {
        "post_id": fid, "author": "", "email": "a@example.org",
        "comment": "x"})
    check("Embargoed body text" not in bad.text,
          "a bad comment form for unpublished post %d shows its body "
          "(status %d)" % (fid, bad.status))
    check(bad.status == 404, "bad form for an unpublished post: %d, want "
          "404" % bad.status)
    good = srv.client().post_form("/comments", {
        "post_id": fid, "parent_id": 0, "ts": "", "author": "Early Bird",
        "email": "early@example.org", "comment": "First!", "hp_url": ""})
    check(good.status == 404, "comment on an unpublished post: %d (Location"
          " %r), want 404" % (good.status, good.header("Location")))
