"""Every page kind of the demo site: front page and paging, archives,
articles with their comment thread and form, 404s and missing slashes."""

import re
import urllib.parse

from harness import (check, comment_depth, comment_form, comment_ids,
                     comment_li, comment_node)

DEMO = True
PER_PAGE = 10
DEPTH_CAP = 5


def api_posts(srv):
    """Every listed post from the JSON API (all pages), newest first."""
    out, page = [], 1
    while True:
        r = srv.get("/api/v1/posts?page=%d" % page)
        check(r.status == 200, "API page %d: %d" % (page, r.status))
        d = r.json()
        out += d["posts"]
        if page >= d["pages"] or not d["posts"]:
            return out
        page += 1


def path_of(url):
    return urllib.parse.urlsplit(url).path


def entries(root):
    return root.find_all("article", cls="entry-summary")


def entry_title(e):
    return e.find(cls="entry-title").norm_text()


def entry_dates(root):
    return [e.find("time").get("datetime") for e in entries(root)]


def responses_label(n):
    return "No Responses" if n == 0 else ("1 Response" if n == 1 else
                                          "%d Responses" % n)


def get_ok(srv, path):
    r = srv.get(path)
    check(r.status == 200, "GET %s: status %d" % (path, r.status))
    check((r.header("Content-Type") or "").startswith("text/html"),
          "GET %s: Content-Type %r" % (path, r.header("Content-Type")))
    return r


def big_discussion(srv):
    posts = api_posts(srv)
    return max(posts, key=lambda p: p["comment_count"])


# ---------------------------------------------------------------- front

def test_front_page_lists_ten_newest_first(srv):
    posts = api_posts(srv)
    check(len(posts) > PER_PAGE, "demo should have more than %d articles "
          "(has %d) so that paging shows" % (PER_PAGE, len(posts)))
    root = get_ok(srv, "/").html()
    es = entries(root)
    check(len(es) == PER_PAGE, "front page shows %d entries, want %d" % (
        len(es), PER_PAGE))
    dates = entry_dates(root)
    check(dates == sorted(dates, reverse=True),
          "front page not newest first: %s" % dates)
    titles = [entry_title(e) for e in es]
    want = [p["title"] for p in posts[:PER_PAGE]]
    check(titles == want, "front page titles %s, want %s" % (titles, want))


def test_front_page_responses_links(srv):
    posts = {p["title"]: p for p in api_posts(srv)}
    root = get_ok(srv, "/").html()
    for e in entries(root):
        p = posts[entry_title(e)]
        resp = e.find(cls="responses")
        check(resp is not None, "no responses line for %s" % p["title"])
        a = resp.find("a")
        label = responses_label(p["comment_count"])
        check(a is not None and a.norm_text().startswith(label),
              "responses link for %r says %r, want %r" % (
                  p["title"], a.norm_text() if a else None, label))
        check(a.get("href") == path_of(p["url"]) + "#comments",
              "responses link href %r" % a.get("href"))
    labels = [e.find(cls="responses").norm_text() for e in entries(root)]
    check(any(re.match(r"^\d+ Responses", s) for s in labels),
          "no 'N Responses' label on the front page: %s" % labels)


def test_front_page_has_older_link_only(srv):
    root = get_ok(srv, "/").html()
    older = root.find("a", cls="older")
    check(older is not None and older.get("href") == "/page/2/",
          "older link %r" % (older.attrs if older else None))
    check(root.find("a", cls="newer") is None, "page 1 has a newer link")


def test_page_two_has_the_rest(srv):
    posts = api_posts(srv)
    first = get_ok(srv, "/").html()
    root = get_ok(srv, "/page/2/").html()
    titles = [entry_title(e) for e in entries(root)]
    want = [p["title"] for p in posts[PER_PAGE:2 * PER_PAGE]]
    check(titles == want, "page 2 titles %s, want %s" % (titles, want))
    check(min(entry_dates(first)) >= max(entry_dates(root)),
          "page 2 has a post newer than page 1")
    newer = root.find("a", cls="newer")
    check(newer is not None and newer.get("href") == "/",
          "page 2 newer link %r" % (newer.attrs if newer else None))
    if len(posts) <= 2 * PER_PAGE:
        check(root.find("a", cls="older") is None,
              "last page has an older link")


def test_page_out_of_range_is_404(srv):
    for path in ("/page/99/", "/page/0/", "/page/-1/", "/page/x/",
                 "/page/99999999999999999999/"):
        r = srv.get(path)
        check(r.status == 404, "GET %s: %d, want 404" % (path, r.status))


def test_stylesheet_link_and_title(srv):
    root = get_ok(srv, "/").html()
    title = root.find("title").norm_text()
    check(title == "The Long View", "front page <title> %r" % title)
    css = [l for l in root.find_all("link") if l.get("rel") == "stylesheet"]
    check(len(css) == 1 and css[0].get("href").startswith(
        "/theme/style.css"), "stylesheet link %r" % [c.attrs for c in css])


# ---------------------------------------------------------------- archives

def test_category_archives(srv):
    posts = api_posts(srv)
    root = get_ok(srv, "/").html()
    cats = {}
    for a in root.find_all("a"):
        h = a.get("href") or ""
        if re.match(r"^/category/[^/]+/$", h):
            cats[h] = a.norm_text()
    check(len(cats) >= 3, "front page links few categories: %s" % cats)
    for href, name in sorted(cats.items()):
        slug = href.split("/")[2]
        want = [p["title"] for p in posts
                if any(c["slug"] == slug for c in p["categories"])]
        page = get_ok(srv, href).html()
        h1 = page.find("h1", cls="page-title")
        check(h1 is not None and h1.norm_text() == "Category: " + name,
              "%s heading %r" % (href, h1.norm_text() if h1 else None))
        titles = [entry_title(e) for e in entries(page)]
        check(titles == want[:PER_PAGE], "%s lists %s, want %s" % (
            href, titles, want[:PER_PAGE]))
        for e in entries(page):
            names = [c.norm_text() for c in e.find_all("a", cls="cat")]
            check(name in names, "%s: entry %r not in the category (%s)" % (
                href, entry_title(e), names))


def test_author_archives(srv):
    posts = api_posts(srv)
    root = get_ok(srv, "/").html()
    authors = {}
    for a in root.find_all("a"):
        h = a.get("href") or ""
        if re.match(r"^/author/[^/]+/$", h):
            authors[h] = a.norm_text()
    check(len(authors) >= 2, "front page links few authors: %s" % authors)
    for href, name in sorted(authors.items()):
        login = urllib.parse.unquote(href.split("/")[2])
        want = [p["title"] for p in posts if p["author"]["login"] == login]
        page = get_ok(srv, href).html()
        h1 = page.find("h1", cls="page-title")
        check(h1 is not None and h1.norm_text() == "Posts by " + name,
              "%s heading %r" % (href, h1.norm_text() if h1 else None))
        titles = [entry_title(e) for e in entries(page)]
        check(titles == want[:PER_PAGE], "%s lists %s, want %s" % (
            href, titles, want[:PER_PAGE]))


def test_unknown_archive_is_404(srv):
    for path in ("/category/no-such-category/", "/author/nobody-here/",
                 "/category/no-such-category/page/2/"):
        r = srv.get(path)
        check(r.status == 404, "GET %s: %d, want 404" % (path, r.status))


# ---------------------------------------------------------------- articles

def test_every_article_page(srv):
    for p in api_posts(srv):
        path = path_of(p["url"])
        r = get_ok(srv, path)
        root = r.html()
        h1 = root.find("h1", cls="entry-title")
        check(h1 is not None and h1.norm_text() == p["title"],
              "%s: title %r, want %r" % (path, h1.norm_text() if h1 else
                                         None, p["title"]))
        check(root.find("title").norm_text().startswith(p["title"]),
              "%s: <title> %r" % (path, root.find("title").norm_text()))
        byline = root.find(cls="byline")
        check(byline is not None and p["author"]["name"] in
              byline.norm_text(), "%s: byline %r" % (path, byline))
        t = byline.find("time")
        check(t is not None and t.get("datetime") == p["date"],
              "%s: time %r, want %r" % (path, t and t.attrs, p["date"]))
        footer = root.find("footer", cls="entry-footer")
        ftext = footer.norm_text() if footer else ""
        check("This entry was posted in" in ftext,
              "%s: no 'This entry was posted in': %r" % (path, ftext))
        cats = [a.norm_text() for a in footer.find_all("a", cls="cat")]
        check(cats == [c["name"] for c in p["categories"]],
              "%s: categories %s, want %s" % (path, cats, p["categories"]))
        perma = [a for a in footer.find_all("a")
                 if a.get("rel") == "bookmark"]
        check(perma and perma[0].get("href") == path,
              "%s: permalink %r" % (path, perma and perma[0].attrs))
        check(root.find(id="comments") is not None,
              "%s: no #comments anchor for the Responses links" % path)
        content = root.find("div", cls="entry-content")
        check(content is not None and len(content.norm_text()) > 500,
              "%s: article body missing or short" % path)


def test_featured_image_and_caption(srv):
    posts = [p for p in api_posts(srv) if p["image"]]
    check(len(posts) >= 1, "no demo post has a featured image")
    for p in posts:
        root = get_ok(srv, path_of(p["url"])).html()
        fig = root.find("figure", cls="entry-image")
        check(fig is not None, "no featured image figure on %s" % p["url"])
        img = fig.find("img")
        check(img is not None and img.get("src") == p["image"],
              "image src %r, want %r" % (img and img.attrs, p["image"]))
        check(img.get("alt") is not None, "featured image has no alt")
        cap = fig.find("figcaption")
        check(cap is not None and cap.norm_text() == p["image_caption"],
              "caption %r, want %r" % (cap and cap.norm_text(),
                                       p["image_caption"]))
        check(p["image_caption"], "demo image post has no caption")
        r = srv.get(p["image"])
        check(r.status == 200, "GET %s: %d" % (p["image"], r.status))
        check((r.header("Content-Type") or "").startswith("image/"),
              "image Content-Type %r" % r.header("Content-Type"))


def test_posts_without_image_have_no_figure(srv):
    for p in api_posts(srv):
        if p["image"]:
            continue
        root = get_ok(srv, path_of(p["url"])).html()
        check(root.find("figure", cls="entry-image") is None,
              "%s has an image figure but no image" % p["url"])
        return


def test_discussion_heading_and_count(srv):
    p = big_discussion(srv)
    check(p["comment_count"] >= 30, "largest demo discussion has only %d "
          "comments" % p["comment_count"])
    root = get_ok(srv, path_of(p["url"])).html()
    h2 = root.find("h2", cls="comments-title")
    want = "%d Responses to \u201c%s\u201d" % (p["comment_count"],
                                               p["title"])
    check(h2 is not None and h2.norm_text() == want,
          "comments heading %r, want %r" % (h2 and h2.norm_text(), want))
    shown = [i for i in comment_ids(root)
             if not comment_node(root, i).find(cls="comment-removed")]
    check(len(shown) == p["comment_count"],
          "%d comments shown, heading says %d" % (len(shown),
                                                  p["comment_count"]))


def test_discussion_tree_nesting(srv):
    p = big_discussion(srv)
    root = get_ok(srv, path_of(p["url"])).html()
    ol = root.find("ol", cls="comment-list")
    check(ol is not None, "no <ol class=comment-list>")
    hist = {}
    for cid in comment_ids(root):
        li = comment_li(root, cid)
        d = comment_depth(root, cid)
        check(li is not None and d is not None,
              "comment-%d has no <li class='depth-N'>" % cid)
        nest = sum(1 for a in li.ancestors() if a.tag == "li")
        check(nest == d - 1, "comment-%d says depth-%d but is nested %d "
              "deep" % (cid, d, nest + 1))
        if d > 1:
            par = li.parent
            check(par.tag == "ol" and par.has_class("children"),
                  "comment-%d (depth %d) not inside <ol class=children>" %
                  (cid, d))
        hist[d] = hist.get(d, 0) + 1
    check(set(hist) == set(range(1, DEPTH_CAP + 1)),
          "depths present %s, want 1..%d" % (sorted(hist), DEPTH_CAP))
    check(max(hist) <= DEPTH_CAP, "comments deeper than the cap: %s" % hist)


def test_reply_links_and_depth_cap(srv):
    p = big_discussion(srv)
    path = path_of(p["url"])
    root = get_ok(srv, path).html()
    deepest = 0
    for cid in comment_ids(root):
        art = comment_node(root, cid)
        if art.find(cls="comment-removed"):
            continue
        d = comment_depth(root, cid)
        reply = art.find("a", cls="comment-reply-link")
        if d >= DEPTH_CAP:
            deepest += 1
            check(reply is None, "comment-%d at depth %d has a Reply link" %
                  (cid, d))
        else:
            want = "%s?replytocom=%d#respond" % (path, cid)
            check(reply is not None and reply.get("href") == want,
                  "comment-%d (depth %d) Reply link %r, want %r" % (
                      cid, d, reply and reply.get("href"), want))
            check(reply.norm_text() == "Reply", "reply link text %r" %
                  reply.norm_text())
        perma = art.find("a", cls="comment-permalink")
        check(perma is not None and perma.get("href") == "#comment-%d" %
              cid, "comment-%d permalink %r" % (cid, perma and perma.attrs))
    check(deepest >= 2, "only %d comments at depth %d" % (deepest, DEPTH_CAP))


def test_post_author_comments_marked(srv):
    p = big_discussion(srv)
    root = get_ok(srv, path_of(p["url"])).html()
    marked = [li for li in root.find_all("li", cls="by-author")]
    check(len(marked) >= 2, "only %d comments marked by-author" %
          len(marked))
    for li in marked:
        art = li.find("article")
        name = art.find(cls="comment-author").norm_text()
        check(name == p["author"]["name"], "by-author comment by %r, post "
              "author is %r" % (name, p["author"]["name"]))
        badge = art.find(cls="badge")
        check(badge is not None and badge.norm_text() == "Author",
              "by-author comment-%s without an Author badge" % art.get("id"))
    for li in root.find_all("li", cls="comment"):
        art = li.find("article")
        a = art.find(cls="comment-author") if art else None
        if a and a.norm_text() != p["author"]["name"]:
            check(not li.has_class("by-author"),
                  "%s marked by-author" % a.norm_text())


def test_comment_links_are_nofollow_ugc(srv):
    n = 0
    for p in api_posts(srv):
        if not p["comment_count"]:
            continue
        root = get_ok(srv, path_of(p["url"])).html()
        for cid in comment_ids(root):
            art = comment_node(root, cid)
            for box in art.find_all(cls="comment-content") + \
                    art.find_all(cls="comment-author"):
                for a in box.find_all("a"):
                    rel = (a.get("rel") or "").split()
                    check("nofollow" in rel and "ugc" in rel,
                          "comment-%d link %r has rel=%r" % (
                              cid, a.get("href"), a.get("rel")))
                    n += 1
    check(n >= 3, "only %d links in demo comments; expected several" % n)


def test_comment_form_on_open_article(srv):
    p = big_discussion(srv)
    r = get_ok(srv, path_of(p["url"]))
    root = r.html()
    check(root.find(id="respond") is not None, "no #respond section")
    f = comment_form(root)
    check(f is not None, "no comment form")
    check(f["action"] == "/comments" and (f["method"] or "").lower() ==
          "post", "form action/method %r %r" % (f["action"], f["method"]))
    check(f.get("post_id") == str(p["id"]), "post_id %r, want %d" % (
        f.get("post_id"), p["id"]))
    check(f.get("parent_id") == "0", "parent_id %r" % f.get("parent_id"))
    # The signed time the form was shown: in a cookie sent back only to
    # /comments, so the page itself is the same for every reader.
    ts = [c for c in r.header_all("Set-Cookie")
          if c.startswith("parley_ts=")]
    check(ts and len(ts[0].split(";")[0]) > 20 and
          "path=/comments" in ts[0].lower(),
          "no signed form timestamp cookie: %r" % ts)
    for name in ("author", "email", "url", "comment", "hp_url"):
        check(name in f, "form has no field %s" % name)
    for lab in ("author", "email", "url", "comment"):
        check(f["_node"].find("label", **{"for": lab}) is not None,
              "no <label for=%s>" % lab)
    hp = f["_node"].find("input", id="hp_url")
    check(hp is not None and hp.has_class("hp") and
          hp.get("tabindex") == "-1", "honeypot input %r" % (
              hp and hp.attrs))
    title = root.find(id="reply-title").norm_text()
    check(title == "Leave a Reply", "reply title %r" % title)
    check(root.find(cls="comments-closed") is None,
          "open article says comments are closed")


def test_replytocom_targets_the_parent(srv):
    p = big_discussion(srv)
    path = path_of(p["url"])
    root = get_ok(srv, path).html()
    cid = comment_ids(root)[1]
    name = comment_node(root, cid).find(cls="comment-author").norm_text()
    page = get_ok(srv, "%s?replytocom=%d" % (path, cid)).html()
    f = comment_form(page)
    check(f is not None and f.get("parent_id") == str(cid),
          "replytocom=%d: parent_id %r" % (cid, f and f.get("parent_id")))
    title = page.find(id="reply-title").norm_text()
    check(title == "Leave a Reply to " + name, "reply title %r" % title)
    cancel = page.find(cls="cancel-reply")
    check(cancel is not None and cancel.find("a").get("href") ==
          path + "#respond", "cancel link %r" % (cancel and
                                                 cancel.find("a").attrs))
    # A parent that is not there falls back to the article.
    for bogus in ("999999", "abc", "-3", "0"):
        f = comment_form(get_ok(srv, "%s?replytocom=%s" % (path,
                                                           bogus)).html())
        check(f.get("parent_id") == "0", "replytocom=%s: parent_id %r" % (
            bogus, f.get("parent_id")))


def test_closed_article(srv):
    closed = [p for p in api_posts(srv) if not p["comments_open"]]
    check(len(closed) >= 1, "no demo article has comments closed")
    for p in closed:
        r = get_ok(srv, path_of(p["url"]))
        root = r.html()
        msg = root.find(cls="comments-closed")
        check(msg is not None and msg.norm_text() == "Comments are closed.",
              "closed article %s: no 'Comments are closed.'" % p["url"])
        check(comment_form(root) is None, "closed article has a form")
        check(root.find(id="respond") is None, "closed article has #respond")
        check(root.find("a", cls="comment-reply-link") is None,
              "closed article has Reply links")


def test_article_without_comments(srv):
    p = [p for p in api_posts(srv) if p["comment_count"] == 0 and
         p["comments_open"]][0]
    root = get_ok(srv, path_of(p["url"])).html()
    check(root.find(cls="comments-title") is None,
          "article without comments has a responses heading")
    check(comment_ids(root) == [], "comments on an article without any")
    check(comment_form(root) is not None, "open article without a form")


def test_pending_demo_comment_not_shown(srv):
    # The demo has a pending comment; strangers never see it.
    for p in api_posts(srv):
        root = get_ok(srv, path_of(p["url"])).html()
        check("awaiting moderation" not in root.text(),
              "%s shows a pending comment to a stranger" % p["url"])


def test_unknown_paths_are_404(srv):
    for path in ("/no/such/page/", "/nope", "/2026/09/08/no-such-slug/",
                 "/2026/13/01/x/", "/2026/1/01/x/", "/0000/01/01/x/",
                 "/a/b/c/d/e/f/g/h/i/j/", "//", "/theme/nope.css",
                 "/media/nope.png", "/api/v2/posts", "/index.html"):
        r = srv.get(path)
        check(r.status == 404, "GET %s: %d, want 404" % (path, r.status))
    r = srv.get("/no/such/page/")
    check("Page not found" in r.text and "text/html" in
          (r.header("Content-Type") or ""), "404 page: %r" % r.text[:300])
    root = r.html()
    check(root.find("a", href="/") is not None, "404 page has no way home")


def test_missing_trailing_slash_redirects(srv):
    posts = api_posts(srv)
    p = posts[0]
    path = path_of(p["url"])
    cat = "/category/%s" % p["categories"][0]["slug"]
    ascii_authors = [q["author"]["login"] for q in posts
                     if q["author"]["login"].isascii()]
    srcs = [path.rstrip("/"), cat, "/page/2", cat + "/page/1"]
    if ascii_authors:
        srcs.append("/author/%s" % ascii_authors[0])
    for src in srcs:
        r = srv.get(src)
        check(r.status == 301, "GET %s: %d, want 301" % (src, r.status))
        loc = urllib.parse.urlsplit(r.header("Location") or "").path
        check(loc == src + "/", "GET %s: Location %r" % (
            src, r.header("Location")))
        check(srv.get(loc).status == 200, "redirect target %s not 200" % loc)


def test_redirect_location_is_percent_encoded(srv):
    """The 301 for a missing slash must send a valid (ASCII, encoded)
    Location that leads back to the same resource: a %-escape in the path
    must not turn into a raw byte, a '?' or a header break."""
    posts = api_posts(srv)
    utf8 = [q["author"]["login"] for q in posts
            if not q["author"]["login"].isascii()]
    srcs = ["/category/energy%3Fx", "/category/energy%23x",
            "/category/a%20b"]
    if utf8:
        srcs.insert(0, "/author/%s" % urllib.parse.quote(utf8[0]))
    bad = []
    for src in srcs:
        r = srv.get(src)
        loc = r.header("Location")
        if r.status != 301:
            bad.append("%s: status %d" % (src, r.status))
            continue
        if loc is None or not loc.isascii() or " " in loc:
            bad.append("%s: Location %r" % (src, loc))
            continue
        u = urllib.parse.urlsplit(loc)
        if u.query or u.fragment or urllib.parse.unquote(u.path) != \
                urllib.parse.unquote(src) + "/":
            bad.append("%s: Location %r leads elsewhere" % (src, loc))
    r = srv.get("/category/x%0d%0aX-Injected:%20yes")
    if r.header("X-Injected") is not None:
        bad.append("CRLF in path injected a header")
    elif r.status == 301 and not r.header("Location"):
        bad.append("CRLF in path: 301 without a Location")
    check(not bad, "; ".join(bad))


def test_response_headers_on_pages(srv):
    r = get_ok(srv, "/")
    check(r.header("X-Content-Type-Options") == "nosniff",
          "no X-Content-Type-Options: nosniff")
    csp = r.header("Content-Security-Policy") or ""
    check("script-src 'none'" in csp, "CSP %r" % csp)
    check("charset=utf-8" in r.header("Content-Type").lower(),
          "Content-Type %r" % r.header("Content-Type"))


def test_no_third_party_requests(srv):
    p = big_discussion(srv)
    for path in ("/", path_of(p["url"])):
        root = get_ok(srv, path).html()
        for tag, attr in (("img", "src"), ("script", "src"),
                          ("link", "href"), ("iframe", "src")):
            for n in root.find_all(tag):
                v = n.get(attr) or ""
                # The site's own absolute URLs (canonical, feeds) are
                # not third parties.
                if v.startswith(srv.base_url() + "/"):
                    continue
                check(not re.match(r"^(https?:)?//", v),
                      "%s loads %s from %r" % (path, tag, v))
        check(root.find("script") is None, "%s has a <script>" % path)
