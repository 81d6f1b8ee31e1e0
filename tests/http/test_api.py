"""The JSON read API: /api/v1/posts (paged), /api/v1/posts/ID and
/api/v1/posts/ID/comments (approved only, thread order), valid JSON with
correct escaping."""

import json
import re
import urllib.parse

from harness import (check, comment_body_raw, comment_depth, comment_ids,
                     comment_li, comment_node, new_comment_id, parse_html,
                     post_comment, unique)

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}
PER_PAGE = 10
DEPTH_CAP = 5

POST_KEYS = {"id", "title", "slug", "url", "date", "author", "categories",
             "excerpt", "image", "image_caption", "comments_open",
             "comment_count"}
COMMENT_KEYS = {"id", "parent", "depth", "author", "date", "content_html"}


def get_json(srv, path, status=200):
    r = srv.get(path)
    check(r.status == status, "GET %s: %d, want %d" % (path, r.status,
                                                       status))
    ct = r.header("Content-Type") or ""
    check(ct.startswith("application/json"), "GET %s: Content-Type %r" % (
        path, ct))
    try:
        return r.json()
    except ValueError as e:
        raise AssertionError("GET %s: not JSON (%s): %r" % (path, e,
                                                            r.body[:200]))


def all_posts(srv):
    d = get_json(srv, "/api/v1/posts")
    out = list(d["posts"])
    for page in range(2, d["pages"] + 1):
        out += get_json(srv, "/api/v1/posts?page=%d" % page)["posts"]
    return out


def cli_post_count(srv):
    out = srv.cli("post", "list", srv.site)
    m = re.search(r"^(\d+) articles?$", out, re.M)
    check(m, "post list output %r" % out[-200:])
    return int(m.group(1))


def path_of(p):
    return urllib.parse.urlsplit(p["url"]).path


def discussion(srv):
    return max(all_posts(srv), key=lambda p: p["comment_count"])


def test_posts_first_page(srv):
    d = get_json(srv, "/api/v1/posts")
    total = cli_post_count(srv)
    check(d["page"] == 1 and d["per_page"] == PER_PAGE,
          "page/per_page %r/%r" % (d["page"], d["per_page"]))
    check(d["total"] == total, "total %r, `parley post list` says %d" % (
        d["total"], total))
    check(d["pages"] == (total + PER_PAGE - 1) // PER_PAGE,
          "pages %r for total %d" % (d["pages"], total))
    check(len(d["posts"]) == min(PER_PAGE, total), "%d posts on page 1" %
          len(d["posts"]))
    for p in d["posts"]:
        missing = POST_KEYS - set(p)
        check(not missing, "post %s lacks %s" % (p.get("id"), missing))
        check("content_html" not in p, "list carries full bodies")
    dates = [p["date"] for p in d["posts"]]
    check(dates == sorted(dates, reverse=True), "not newest first: %s" %
          dates)


def test_posts_paging_covers_every_post_once(srv):
    d = get_json(srv, "/api/v1/posts")
    check(d["total"] > PER_PAGE, "only %d posts: paging untested" %
          d["total"])
    posts = all_posts(srv)
    ids = [p["id"] for p in posts]
    check(len(ids) == d["total"] and len(set(ids)) == len(ids),
          "pages gave %d ids (%d distinct), total %d" % (
              len(ids), len(set(ids)), d["total"]))
    dates = [p["date"] for p in posts]
    check(dates == sorted(dates, reverse=True), "paging breaks the order")
    last = get_json(srv, "/api/v1/posts?page=%d" % d["pages"])
    check(last["page"] == d["pages"] and len(last["posts"]) ==
          d["total"] - PER_PAGE * (d["pages"] - 1), "last page %r" % {
              k: last[k] for k in ("page", "total")})
    beyond = get_json(srv, "/api/v1/posts?page=%d" % (d["pages"] + 1))
    check(beyond["posts"] == [] and beyond["total"] == d["total"],
          "page past the end: %r" % beyond)


def test_posts_bad_page_is_400_json(srv):
    for q in ("0", "-1", "abc", "1.5", "", "99999999999999999999"):
        d = get_json(srv, "/api/v1/posts?page=" + q, 400)
        check(d.get("status") == 400 and d.get("error"),
              "page=%s: %r" % (q, d))


def test_post_by_id(srv):
    base = srv.base_url()
    for p in all_posts(srv):
        d = get_json(srv, "/api/v1/posts/%d" % p["id"])
        check(d["id"] == p["id"] and d["title"] == p["title"],
              "post %d: %r" % (p["id"], d.get("title")))
        check(d["url"].startswith(base + "/") and d["url"].endswith(
            "/%s/" % d["slug"]), "post %d url %r" % (p["id"], d["url"]))
        check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", d["date"]),
              "post %d date %r" % (p["id"], d["date"]))
        check(isinstance(d["author"], dict) and d["author"]["name"] and
              d["author"]["login"], "post %d author %r" % (p["id"],
                                                           d["author"]))
        check(isinstance(d["content_html"], str) and
              len(d["content_html"]) > 200, "post %d content_html" % p["id"])
        check(isinstance(d["comments_open"], bool) and
              isinstance(d["comment_count"], int),
              "post %d types" % p["id"])
        page = srv.get(path_of(d))
        check(page.status == 200, "post %d url %s: %d" % (p["id"], d["url"],
                                                          page.status))


def test_unknown_post_is_404_json(srv):
    for path in ("/api/v1/posts/999999", "/api/v1/posts/999999/comments"):
        d = get_json(srv, path, 404)
        check(d.get("status") == 404 and d.get("error"), "%s: %r" % (path,
                                                                     d))
    for path in ("/api/v1/posts/0", "/api/v1/posts/abc", "/api/v1/nope",
                 "/api/v1/posts/1/nope", "/api/"):
        d = get_json(srv, path, 404)
        check(d.get("status") == 404, "%s: %r" % (path, d))


def test_comments_of_discussion(srv):
    p = discussion(srv)
    d = get_json(srv, "/api/v1/posts/%d/comments" % p["id"])
    cs = d["comments"]
    check(d["post_id"] == p["id"], "post_id %r" % d["post_id"])
    check(len(cs) == p["comment_count"] == d["count"],
          "%d comments, count %r, comment_count %r" % (
              len(cs), d["count"], p["comment_count"]))
    for c in cs:
        missing = COMMENT_KEYS - set(c)
        check(not missing, "comment %s lacks %s" % (c.get("id"), missing))
        check(isinstance(c["id"], int) and isinstance(c["parent"], int) and
              isinstance(c["depth"], int), "comment %r types" % c["id"])
        check(c["content_html"].strip(), "comment %d has no HTML" % c["id"])
        check("email" not in c, "comment %d exposes an e-mail" % c["id"])


def test_comments_in_thread_order(srv):
    p = discussion(srv)
    cs = get_json(srv, "/api/v1/posts/%d/comments" % p["id"])["comments"]
    seen = {}
    stack = []  # ids of the current path from the root, by depth
    for c in cs:
        d = c["depth"]
        check(1 <= d <= DEPTH_CAP, "comment %d depth %d" % (c["id"], d))
        if c["parent"] == 0:
            check(d == 1, "top-level comment %d at depth %d" % (c["id"], d))
        elif c["parent"] in seen:
            want = min(seen[c["parent"]] + 1, DEPTH_CAP)
            check(d == want, "comment %d: parent at depth %d, itself at "
                  "%d" % (c["id"], seen[c["parent"]], d))
            check(c["parent"] in stack[:d], "comment %d not under its parent "
                  "%d in thread order" % (c["id"], c["parent"]))
        check(d <= len(stack) + 1, "comment %d jumps to depth %d" % (
            c["id"], d))
        stack = stack[:d - 1] + [c["id"]]
        seen[c["id"]] = d


def test_comments_match_the_page(srv):
    p = discussion(srv)
    cs = get_json(srv, "/api/v1/posts/%d/comments" % p["id"])["comments"]
    text = srv.client().get(path_of(p)).text
    root = parse_html(text)
    html_ids = [i for i in comment_ids(root)
                if not comment_node(root, i).find(cls="comment-removed")]
    check([c["id"] for c in cs] == html_ids,
          "API order %s, page order %s" % ([c["id"] for c in cs][:12],
                                           html_ids[:12]))
    for c in cs:
        check(comment_depth(root, c["id"]) == c["depth"],
              "comment %d: depth %d in API, %s on the page" % (
                  c["id"], c["depth"], comment_depth(root, c["id"])))
        check(c["content_html"].strip() ==
              comment_body_raw(text, c["id"]).strip(),
              "comment %d: API HTML differs from the page" % c["id"])
        check(comment_li(root, c["id"]).has_class("by-author") ==
              c.get("by_post_author", False),
              "comment %d: by_post_author %r disagrees with the page" % (
                  c["id"], c.get("by_post_author")))
        name = comment_node(root, c["id"]).find(cls="comment-author")
        check(name.norm_text() == c["author"], "comment %d author %r vs %r"
              % (c["id"], c["author"], name.norm_text()))


def test_pending_comments_not_in_api(srv):
    pending = srv.comment_list("pending")
    check(pending, "the demo has no pending comment to test with")
    for row in pending:
        cs = get_json(srv, "/api/v1/posts/%d/comments" %
                      row["post"])["comments"]
        check(row["id"] not in [c["id"] for c in cs],
              "pending comment %d in the API" % row["id"])


def test_own_held_comment_not_in_api(srv):
    p = [p for p in all_posts(srv) if p["comments_open"]][0]
    c = srv.client()
    r, _ = post_comment(c, path_of(p), author="Api Held",
                        email="apiheld@example.org", text="held one")
    check(r.status == 303, "post: %d" % r.status)
    cid = new_comment_id(r)
    h = dict(c._headers(None))
    cs = srv.get("/api/v1/posts/%d/comments" % p["id"], h).json()
    check(cid not in [x["id"] for x in cs["comments"]],
          "held comment in the API even with its writer's cookie")


def test_json_escaping_round_trip(srv):
    p = [p for p in all_posts(srv) if p["comments_open"]][0]
    path = path_of(p)
    c = srv.client()
    name = 'Q "Quote" \\Back\\ </script> \u00e9\u2028x'
    email = "%s@example.org" % unique("json")
    r, _ = post_comment(c, path, author=name, email=email, text="first")
    check(r.status == 303, "first comment: %d" % r.status)
    srv.cli("comment", "approve", srv.site, str(new_comment_id(r)))
    text = ('He said "yes" and \\no\\ ; path C:\\temp\\x; tab\there; '
            'cr\r\nnew line\n\nclose </script><script>alert(1)</script> '
            'amp & lt < gt > apos \' ls\u2028ps\u2029 nul-ish \\u0000 '
            'emoji \U0001F600 end')
    r, _ = post_comment(c, path, author=name, email=email, text=text)
    check(r.status == 303, "second comment: %d" % r.status)
    cid = new_comment_id(r)
    raw = srv.get("/api/v1/posts/%d/comments" % p["id"])
    body = raw.body
    check(b"</script>" not in body.lower(), "raw </script> in the JSON")
    check(b"\xe2\x80\xa8" not in body and b"\xe2\x80\xa9" not in body,
          "raw U+2028/U+2029 in the JSON (breaks JS embedding)")
    check(not re.search(rb"[\x00-\x1f]", body.rstrip(b"\n")),
          "raw control characters in the JSON")
    d = json.loads(body.decode("utf-8"))
    mine = [x for x in d["comments"] if x["id"] == cid]
    check(mine, "comment %d not in the API (status %s)" % (
        cid, srv.find_comment("nul-ish", "pending")))
    x = mine[0]
    check(x["author"] == name.strip(), "author round trip: %r != %r" % (
        x["author"], name))
    page = srv.client().get(path).text
    check(x["content_html"].strip() == comment_body_raw(page, cid).strip(),
          "content_html differs from the page's HTML:\n%r\n%r" % (
              x["content_html"], comment_body_raw(page, cid)))
    shown = parse_html(x["content_html"]).text()
    for piece in ('"yes"', "\\no\\", "C:\\temp\\x", "tab\there",
                  "</script><script>alert(1)</script>", "amp & lt < gt >",
                  "apos '", "ls\u2028ps\u2029", "\\u0000",
                  "emoji \U0001F600"):
        check(piece in shown, "%r lost on the way: %r" % (piece, shown))
    check(parse_html(x["content_html"]).find("script") is None,
          "a live <script> in content_html")
    one = get_json(srv, "/api/v1/posts/%d" % p["id"])
    check(one["comment_count"] >= 2, "comment_count %r" %
          one["comment_count"])


def test_api_headers(srv):
    r = srv.get("/api/v1/posts")
    check(r.header("Access-Control-Allow-Origin") == "*",
          "no CORS header on the read API")
    check(r.header("X-Content-Type-Options") == "nosniff", "no nosniff")
