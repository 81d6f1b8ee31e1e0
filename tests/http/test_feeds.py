"""Feeds, read by a real feed reader library: Debian's python3-feedparser
(RSS 2.0 and Atom 1.0; its 6.0 has no JSON Feed parser, so JSON Feed 1.1
is checked field by field against the spec and against the same items in
the other two formats). Every feed: no bozo error, the item counts,
titles, links, ids, dates and threading (RFC 4685 thr:in-reply-to) are
what the site holds; autodiscovery links on every page kind; comment HTML
equals the page's; held and spam comments never appear; escaping holds
for hostile text."""

import calendar
import json
import re
import time
import urllib.parse
import xml.etree.ElementTree as ET

from harness import (check, comment_body_raw, comment_ids, new_comment_id,
                     parse_html, post_comment)

try:
    import feedparser
except ImportError:  # reported by the first case
    feedparser = None

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}
FEED_POSTS = 20
FEED_COMMENTS = 50
ATOM = "{http://www.w3.org/2005/Atom}"
THR = "{http://purl.org/syndication/thread/1.0}"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|"
                    r"May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d "
                    r"GMT$")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml",
         "json": "application/feed+json"}


# ---------------------------------------------------------------- helpers

def base(srv):
    return srv.base_url()


def all_posts(srv):
    out, page = [], 1
    while True:
        d = srv.get("/api/v1/posts?page=%d" % page).json()
        out += d["posts"]
        if page >= d["pages"]:
            return out
        page += 1


def path_of(url):
    return urllib.parse.urlsplit(url).path


def suffix(kind):
    return {"rss": "feed/", "atom": "feed/atom/", "json": "feed.json"}[kind]


def iso_ts(s):
    return calendar.timegm(time.strptime(s.replace("Z", ""),
                                         "%Y-%m-%dT%H:%M:%S"))


def fetch(srv, path, kind):
    """GET a feed: (response, parsed). RSS/Atom through feedparser (no
    bozo allowed); JSON Feed through json with the spec's checks."""
    check(feedparser is not None, "python3-feedparser is not installed")
    r = srv.get(path)
    check(r.status == 200, "GET %s: %d" % (path, r.status))
    ct = r.header("Content-Type") or ""
    check(ct.startswith(TYPES[kind]), "%s: Content-Type %r" % (path, ct))
    check("charset=utf-8" in ct, "%s: no charset in %r" % (path, ct))
    check(r.header("ETag") and r.header("Last-Modified"),
          "%s: no validators" % path)
    if kind == "json":
        d = r.json()
        check(d.get("version") == "https://jsonfeed.org/version/1.1",
              "%s: version %r" % (path, d.get("version")))
        for k in ("title", "home_page_url", "feed_url"):
            check(isinstance(d.get(k), str) and d[k], "%s: no %s" % (path, k))
        check(d["feed_url"] == base(srv) + path, "%s: feed_url %r" % (
            path, d["feed_url"]))
        check(isinstance(d.get("items"), list), "%s: items" % path)
        for it in d["items"]:
            check(isinstance(it.get("id"), str) and it["id"],
                  "%s: item without a string id" % path)
            check("content_html" in it or "content_text" in it,
                  "%s: item %s without content" % (path, it["id"]))
            check(RFC3339.match(it.get("date_published", "")),
                  "%s: date_published %r" % (path, it.get("date_published")))
            check(it["url"].startswith(base(srv) + "/"),
                  "%s: relative url %r" % (path, it["url"]))
            for a in it.get("authors", []):
                check(a.get("name"), "%s: author without a name" % path)
        return r, d
    ET.fromstring(r.body)  # well-formed, or it raises
    d = feedparser.parse(r.body, response_headers={"content-type": ct})
    check(not d.bozo, "%s: feedparser bozo: %s" % (path,
                                                   d.get("bozo_exception")))
    check(d.version == ("rss20" if kind == "rss" else "atom10"),
          "%s: version %r" % (path, d.version))
    for e in d.entries:
        check(e.link.startswith(base(srv) + "/"), "%s: link %r" % (
            path, e.link))
        check(e.id and e.id.startswith(base(srv) + "/?p="),
              "%s: id %r" % (path, e.get("id")))
    return r, d


def raw_dates(body, kind):
    """Dates as written: RSS pubDate or Atom published, per item."""
    root = ET.fromstring(body)
    if kind == "rss":
        return [i.findtext("pubDate") for i in root.iter("item")]
    return [e.findtext(ATOM + "published") for e in root.iter(ATOM + "entry")]


def replies_of(body, kind):
    """thr:in-reply-to (ref, href) per item, as written."""
    root = ET.fromstring(body)
    items = root.iter("item") if kind == "rss" else root.iter(ATOM + "entry")
    out = []
    for it in items:
        t = it.find(THR + "in-reply-to")
        out.append((t.get("ref"), t.get("href")) if t is not None else None)
    return out


def contents(body, kind):
    """Unescaped HTML content per item, as written (feedparser would
    sanitise it)."""
    root = ET.fromstring(body)
    if kind == "rss":
        return [i.findtext("{http://purl.org/rss/1.0/modules/content/}"
                           "encoded") for i in root.iter("item")]
    return [e.findtext(ATOM + "content") for e in root.iter(ATOM + "entry")]


def items_of(parsed, kind):
    """(title, link, id, published unix) per item, whatever the format."""
    if kind == "json":
        return [(i["title"], i["url"], i["id"], iso_ts(i["date_published"]))
                for i in parsed["items"]]
    return [(e.title, e.link, e.id, calendar.timegm(e.published_parsed))
            for e in parsed.entries]


def big_discussion(srv):
    return max(all_posts(srv), key=lambda p: p["comment_count"])


# ---------------------------------------------------------------- articles

def test_site_feeds_hold_the_articles(srv):
    posts = all_posts(srv)
    want = [(p["title"], p["url"], base(srv) + "/?p=%d" % p["id"],
             iso_ts(p["date"])) for p in posts[:FEED_POSTS]]
    for kind in ("rss", "atom", "json"):
        path = "/" + suffix(kind)
        r, d = fetch(srv, path, kind)
        got = items_of(d, kind)
        check(len(got) == min(len(posts), FEED_POSTS),
              "%s: %d items, want %d" % (path, len(got), len(want)))
        check(got == want, "%s: items differ:\n %s\n %s" % (
            path, got[:3], want[:3]))
        if kind != "json":
            dates = raw_dates(r.body, kind)
            rx = RFC822 if kind == "rss" else RFC3339
            bad = [x for x in dates if not rx.match(x or "")]
            check(not bad, "%s: dates not %s: %s" % (
                path, "RFC 822" if kind == "rss" else "RFC 3339", bad[:3]))
            check(d.feed.title == "The Long View", "%s: title %r" % (
                path, d.feed.title))
            terms = [t.term if kind == "rss" else t.label
                     for t in d.entries[0].tags]
            p = posts[0]
            check(terms == [c["name"] for c in p["categories"]] +
                  [t["name"] for t in p["tags"]],
                  "%s: categories %r" % (path, terms))
        else:
            it = d["items"][0]
            check(it["tags"] == [c["name"] for c in posts[0]["categories"]] +
                  [t["name"] for t in posts[0]["tags"]], "json tags")


def test_article_content_and_image_are_absolute(srv):
    p = [p for p in all_posts(srv) if p["image"]][0]
    full = srv.get("/api/v1/posts/%d" % p["id"]).json()
    for kind in ("rss", "atom"):
        r, d = fetch(srv, "/" + suffix(kind), kind)
        i = [e.link for e in d.entries].index(p["url"])
        html = contents(r.body, kind)[i]
        check(full["content_html"] in html, "%s: article body not whole" %
              kind)
        check('src="%s%s"' % (base(srv), p["image"]) in html,
              "%s: featured image not absolute" % kind)
    r, d = fetch(srv, "/feed.json", "json")
    it = [x for x in d["items"] if x["url"] == p["url"]][0]
    check(it["image"] == base(srv) + p["image"], "json image %r" %
          it.get("image"))
    check(full["content_html"] in it["content_html"], "json body")
    check(it["summary"] == p["excerpt"], "json summary")


def test_ids_are_stable(srv):
    a = srv.get("/feed/atom/").body
    b = srv.get("/feed/atom/").body
    check(a == b, "the Atom feed changed between two reads")
    ra = feedparser.parse(srv.get("/feed/").body)
    check(len({e.id for e in ra.entries}) == len(ra.entries),
          "duplicate ids in /feed/")


def test_archive_feeds(srv):
    root = srv.get("/").html()
    cats = sorted({a.get("href") for a in root.find_all("a")
                   if re.match(r"^/category/[^/]+/$", a.get("href") or "")})
    tags = sorted({a.get("href") for a in root.find_all("a")
                   if re.match(r"^/tag/[^/]+/$", a.get("href") or "")})
    authors = sorted({a.get("href") for a in root.find_all("a")
                      if re.match(r"^/author/[^/]+/$", a.get("href") or "")})
    check(cats and tags and authors, "no archive links on the front page")
    for page in cats[:2] + tags[:3] + authors[:2]:
        listed = [a.norm_text() for a in
                  srv.get(page).html().find_all("h2", cls="entry-title")]
        for kind in ("rss", "atom", "json"):
            path = page + suffix(kind)
            _, d = fetch(srv, path, kind)
            titles = [t for t, _, _, _ in items_of(d, kind)]
            check(titles[:len(listed)] == listed,
                  "%s: %s, page lists %s" % (path, titles, listed))
            if len(listed) < 10:
                check(len(titles) == len(listed), "%s: %d items, page %d"
                      % (path, len(titles), len(listed)))
    for bad in ("/category/no-such/feed/", "/tag/no-such/feed/atom/",
                "/author/nobody/feed.json"):
        check(srv.get(bad).status == 404, "%s not 404" % bad)
    r = srv.get("/feed")
    check(r.status == 301 and r.header("Location") == "/feed/",
          "/feed: %d %r" % (r.status, r.header("Location")))


# ---------------------------------------------------------------- comments

def test_article_comment_feed_threading(srv):
    p = big_discussion(srv)
    check(p["comment_count"] >= 30, "the demo's big thread is small")
    api = srv.get("/api/v1/posts/%d/comments" % p["id"]).json()["comments"]
    page = srv.get(path_of(p["url"])).text
    on_page = set(comment_ids(parse_html(page)))
    byid = {c["id"]: c for c in api}
    newest = sorted(api, key=lambda c: (c["date"], c["id"]), reverse=True)
    pid = base(srv) + "/?p=%d" % p["id"]
    for kind in ("rss", "atom", "json"):
        path = path_of(p["url"]) + suffix(kind)
        r, d = fetch(srv, path, kind)
        got = items_of(d, kind)
        check(len(got) == min(len(api), FEED_COMMENTS),
              "%s: %d items, the page has %d" % (path, len(got), len(api)))
        if kind == "json":
            replies = [(i["_parley"]["in_reply_to"],
                        i["_parley"]["in_reply_to_url"]) for i in d["items"]]
            html = [i["content_html"] for i in d["items"]]
            authors = [i["authors"][0]["name"] for i in d["items"]]
        else:
            replies = replies_of(r.body, kind)
            html = contents(r.body, kind)
            authors = [e.author for e in d.entries]
            # feedparser reads the Atom threading itself.
            if kind == "atom":
                for e, rep in zip(d.entries, replies):
                    check(e["thr_in-reply-to"]["ref"] == rep[0],
                          "feedparser thr ref %r" % e["thr_in-reply-to"])
        for i, (title, link, cid_iri, ts) in enumerate(got):
            c = newest[i]
            want_link = "%s#comment-%d" % (p["url"], c["id"])
            check(link == want_link, "%s item %d: link %s, want %s" % (
                path, i, link, want_link))
            check(c["id"] in on_page, "comment %d not on the page" % c["id"])
            check(cid_iri == "%s#comment-%d" % (pid, c["id"]),
                  "%s: id %r" % (path, cid_iri))
            check(ts == iso_ts(c["date"]), "%s: date of %d" % (path, c["id"]))
            check(title == "By: %s" % c["author"], "%s: title %r" % (
                path, title))
            check(authors[i] == c["author"], "%s: author %r" % (
                path, authors[i]))
            parent = c["parent"]
            if parent:
                want = ("%s#comment-%d" % (pid, parent),
                        "%s#comment-%d" % (p["url"], parent))
                check(parent in byid or parent in on_page,
                      "parent %d is nowhere" % parent)
            else:
                want = (pid, p["url"])
            check(replies[i] == want, "%s: comment %d replies to %r, want %r"
                  % (path, c["id"], replies[i], want))
            check(html[i].strip() == comment_body_raw(page, c["id"]).strip(),
                  "%s: comment %d HTML differs from the page" % (
                      path, c["id"]))


def test_site_comment_feed(srv):
    posts = {p["id"]: p for p in all_posts(srv)}
    everything = []
    for p in posts.values():
        for c in srv.get("/api/v1/posts/%d/comments" %
                         p["id"]).json()["comments"]:
            everything.append((c["date"], c["id"], p))
    everything.sort(key=lambda x: (x[0], x[1]), reverse=True)
    want = everything[:FEED_COMMENTS]
    for kind in ("rss", "atom", "json"):
        path = "/comments/" + suffix(kind)
        r, d = fetch(srv, path, kind)
        got = items_of(d, kind)
        check(len(got) == len(want), "%s: %d items, want %d" % (
            path, len(got), len(want)))
        for (title, link, _, ts), (date, cid, p) in zip(got, want):
            check(link == "%s#comment-%d" % (p["url"], cid),
                  "%s: link %s for comment %d" % (path, link, cid))
            check(title.startswith("Comment on %s by " % p["title"]),
                  "%s: title %r" % (path, title))
            check(ts == iso_ts(date), "%s: date" % path)


def comment_ids_in(srv, path, kind="atom"):
    _, d = fetch(srv, path, kind)
    return [int(re.search(r"#comment-(\d+)$", e.link).group(1))
            for e in d.entries]


def test_held_and_spam_comments_stay_out(srv):
    p = [p for p in all_posts(srv) if p["comments_open"]][0]
    art = path_of(p["url"])
    c = srv.client()
    r, _ = post_comment(c, art, author="Feed Held",
                        email="feedheld@example.org",
                        text="A held comment, not for feeds.")
    check(r.status == 303, "comment: %d" % r.status)
    cid = new_comment_id(r)
    check(cid, "no comment id in %r" % r.header("Location"))
    feeds = [art + "feed/atom/", "/comments/feed/atom/"]
    for f in feeds:
        check(cid not in comment_ids_in(srv, f), "held comment in %s" % f)
    # Even its writer's cookie does not put it in a feed.
    h = dict(c._headers(None))
    check(b"not for feeds" not in srv.get(feeds[0], h).body,
          "held comment in the feed with its writer's cookie")
    srv.cli("comment", "approve", srv.site, str(cid))
    for f in feeds:
        ids = comment_ids_in(srv, f)
        check(ids and ids[0] == cid, "approved comment %d not first in %s: "
              "%s" % (cid, f, ids[:3]))
    srv.cli("comment", "spam", srv.site, str(cid))
    for f in feeds:
        check(cid not in comment_ids_in(srv, f), "spam comment in %s" % f)


def test_hostile_text_is_escaped(srv):
    p = [p for p in all_posts(srv) if p["comments_open"]][-1]
    art = path_of(p["url"])
    c = srv.client()
    name = "Eve <script>alert(1)</script> & \"Co\" ]]> \U0001F600"
    text = ("Closing ]]> a CDATA, <script>alert('x')</script>, "
            "&amp; entities &#0; and \u202e bidi and a [link](javascript:"
            "alert(1)) and emoji \U0001F680.")
    r, _ = post_comment(c, art, author=name, email="eve@example.org",
                        text=text)
    check(r.status == 303, "comment: %d" % r.status)
    cid = new_comment_id(r)
    srv.cli("comment", "approve", srv.site, str(cid))
    page = srv.get(art).text
    for kind in ("rss", "atom", "json"):
        for path in (art + suffix(kind), "/comments/" + suffix(kind)):
            resp, d = fetch(srv, path, kind)
            if kind == "json":
                it = [i for i in d["items"] if i["url"].endswith(
                    "#comment-%d" % cid)][0]
                check(it["authors"][0]["name"] == name, "json name")
                html = it["content_html"]
            else:
                e = [e for e in d.entries if e.link.endswith(
                    "#comment-%d" % cid)][0]
                check(e.author == name, "%s: author %r" % (path, e.author))
                i = [x.link for x in d.entries].index(e.link)
                html = contents(resp.body, kind)[i]
            check("<script" not in html and "javascript:" not in html,
                  "%s: unsafe HTML %r" % (path, html))
            check(html.strip() == comment_body_raw(page, cid).strip(),
                  "%s: HTML differs from the page" % path)


def test_new_article_and_future_article(srv):
    import os
    now = time.gmtime(time.time() - 60)
    for name, date, title in (
            ("now.md", time.strftime("%Y-%m-%d %H:%M", now), "Fresh Off the Press"),
            ("later.md", "2099-01-01 10:00", "Not Yet Public")):
        path = os.path.join(srv.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\ntitle: %s\nauthor: Feed Tester\ndate: %s\n"
                    "categories: Feeds\ntags: Testing\n---\nBody text.\n"
                    % (title, date))
        srv.cli("post", "add", srv.site, path)
    for kind in ("rss", "atom", "json"):
        _, d = fetch(srv, "/" + suffix(kind), kind)
        titles = [t for t, _, _, _ in items_of(d, kind)]
        check(titles[0] == "Fresh Off the Press", "%s: first %r" % (
            kind, titles[0]))
        check("Not Yet Public" not in titles, "%s: future post listed" % kind)
        _, d = fetch(srv, "/tag/testing/" + suffix(kind), kind)
        check([t for t, _, _, _ in items_of(d, kind)] ==
              ["Fresh Off the Press"], "tag feed %s" % kind)


def test_conditional_feed_requests(srv):
    time.sleep(1.1)  # the last change's second is over: dates validate
    for path in ("/feed/", "/comments/feed/atom/", "/feed.json"):
        r = srv.get(path)
        c = srv.get(path, {"If-None-Match": r.header("ETag")})
        check(c.status == 304 and c.body == b"", "%s: %d" % (path, c.status))
        c = srv.get(path, {"If-Modified-Since": r.header("Last-Modified")})
        check(c.status == 304, "%s If-Modified-Since: %d" % (path, c.status))
        cc = r.header("Cache-Control") or ""
        check("max-age" in cc, "%s: Cache-Control %r" % (path, cc))


# ---------------------------------------------------------------- discovery

def alternates(root):
    return [(l.get("type"), l.get("href"), l.get("title"))
            for l in root.find_all("link") if l.get("rel") == "alternate"]


def test_autodiscovery_on_every_page_kind(srv):
    p = big_discussion(srv)
    root = srv.get("/").html()
    cat = [a.get("href") for a in root.find_all("a")
           if (a.get("href") or "").startswith("/category/")][0]
    tag = [a.get("href") for a in root.find_all("a")
           if (a.get("href") or "").startswith("/tag/")][0]
    pages = {"/": None, "/page/2/": None, path_of(p["url"]): path_of(p["url"]),
             cat: cat, tag: tag, "/2026/": None, "/search?q=train": None,
             "/no/such/page/": None}
    for page, own in pages.items():
        r = srv.get(page)
        alts = alternates(r.html())
        types = [t for t, _, _ in alts]
        for t in TYPES.values():
            check(t in types, "%s: no %s alternate" % (page, t))
        hrefs = [h for _, h, _ in alts]
        check(base(srv) + "/feed/" in hrefs, "%s: no site feed" % page)
        check(base(srv) + "/comments/feed/" in hrefs,
              "%s: no comments feed" % page)
        check(all(h.startswith(base(srv) + "/") for h in hrefs),
              "%s: relative feed links %s" % (page, hrefs))
        check(all(t for _, _, t in alts), "%s: untitled alternate" % page)
        if own:
            for k in ("rss", "atom", "json"):
                check(base(srv) + own + suffix(k) in hrefs,
                      "%s: no %s feed of its own in %s" % (page, k, hrefs))
    # Every discovered feed parses.
    seen = set()
    for page in pages:
        for t, h, _ in alternates(srv.get(page).html()):
            if h in seen:
                continue
            seen.add(h)
            kind = [k for k, v in TYPES.items() if v == t][0]
            fetch(srv, urllib.parse.urlsplit(h).path, kind)
