"""Every page of the demo passes `tidy -q -e` without errors (exit 2 =
errors; 1 = warnings only, accepted): front page, page 2, every category
and author archive, every article, a reply form, the re-shown form with
an error, a held comment seen by its writer, error pages."""

import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse

from harness import check, parse_html, post_comment

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}


def tidy_errors(html_bytes, label):
    """None if tidy finds no errors, else tidy's report."""
    tidy = shutil.which("tidy")
    check(tidy is not None, "tidy is not installed (apt-get install tidy)")
    fd, path = tempfile.mkstemp(suffix=".html", prefix="parley-tidy-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(html_bytes)
        r = subprocess.run([tidy, "-q", "-e", path], capture_output=True,
                           timeout=30)
    finally:
        os.unlink(path)
    if r.returncode in (0, 1):
        return None
    out = (r.stderr + r.stdout).decode("utf-8", "replace")
    errs = [l for l in out.splitlines() if "Error:" in l] or \
        out.splitlines()[:5]
    return "%s: tidy exit %d: %s" % (label, r.returncode, " / ".join(
        errs[:5]))


def check_pages(srv, paths, status=200, client=None):
    bad = []
    for p in paths:
        r = (client or srv).get(p)
        check(r.status == status, "GET %s: %d, want %d" % (p, r.status,
                                                           status))
        e = tidy_errors(r.body, p)
        if e:
            bad.append(e)
    check(not bad, "; ".join(bad))


def site_links(srv, pattern):
    root = parse_html(srv.get("/").text)
    return sorted({a.get("href") for a in root.find_all("a")
                   if re.match(pattern, a.get("href") or "")})


def all_posts(srv):
    d = srv.get("/api/v1/posts").json()
    out = d["posts"]
    for page in range(2, d["pages"] + 1):
        out += srv.get("/api/v1/posts?page=%d" % page).json()["posts"]
    return out


def path_of(p):
    return urllib.parse.urlsplit(p["url"]).path


def test_tidy_front_and_page_two(srv):
    check_pages(srv, ["/", "/page/2/"])


def test_tidy_category_archives(srv):
    cats = site_links(srv, r"^/category/[^/]+/$")
    check(len(cats) >= 3, "few categories: %s" % cats)
    check_pages(srv, cats)


def test_tidy_author_archives(srv):
    authors = site_links(srv, r"^/author/[^/]+/$")
    check(len(authors) >= 2, "few authors: %s" % authors)
    check_pages(srv, authors)


def test_tidy_every_article(srv):
    posts = all_posts(srv)
    check(len(posts) >= 10, "only %d articles" % len(posts))
    check_pages(srv, [path_of(p) for p in posts])


def test_tidy_reply_form(srv):
    p = max(all_posts(srv), key=lambda p: p["comment_count"])
    root = parse_html(srv.get(path_of(p)).text)
    reply = root.find("a", cls="comment-reply-link")
    check(reply is not None, "no Reply link")
    check_pages(srv, [reply.get("href").split("#")[0]])


def test_tidy_error_pages(srv):
    check_pages(srv, ["/no/such/page/", "/2026/01/01/nothing/"], 404)
    check_pages(srv, ["/comments"], 405)


def test_tidy_form_with_error_and_held_comment(srv):
    p = [p for p in all_posts(srv) if p["comments_open"]][0]
    c = srv.client()
    r, _ = post_comment(c, path_of(p), author="", email="x@example.org",
                        text="No name <b>given</b> & \"quoted\"")
    check(r.status == 400, "bad form: %d" % r.status)
    e = tidy_errors(r.body, "re-shown form")
    check(e is None, e)
    r, _ = post_comment(c, path_of(p), author="Tidy Tester",
                        email="tidy@example.org",
                        text="Held *comment* with [a link](https://example."
                             "org/) and > a quote")
    check(r.status == 303, "comment: %d" % r.status)
    check_pages(srv, [path_of(p)], client=c)


def test_tidy_search_pages(srv):
    check_pages(srv, ["/search", "/search?q=night+train",
                      "/search?q=the&type=comments&page=2",
                      "/search?q=zzzznothing", "/search?q=%22unbalanced",
                      "/search?q=" + "x" * 300,
                      "/search?q=%3Cb%3E%26%22quoted%22"])


def test_tidy_date_archives(srv):
    posts = all_posts(srv)
    y, m, d = urllib.parse.urlsplit(posts[0]["url"]).path.split("/")[1:4]
    check_pages(srv, ["/%s/" % y, "/%s/page/2/" % y, "/%s/%s/" % (y, m),
                      "/%s/%s/%s/" % (y, m, d)])


def test_tidy_tag_archives(srv):
    tags = sorted({t["slug"] for p in all_posts(srv) for t in p["tags"]})
    check(len(tags) >= 5, "few tags: %s" % tags)
    check_pages(srv, ["/tag/%s/" % urllib.parse.quote(t) for t in tags])
