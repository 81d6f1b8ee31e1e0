"""Date archives (/YYYY/, /YYYY/MM/, /YYYY/MM/DD/) and tag archives
(/tag/slug/), paged with Older/Newer; what crawlers and link previews
read: sitemap.xml (parsed as XML, every URL answering, lastmod right),
robots.txt from the config, and every page's <title>, meta description,
canonical link, OpenGraph and Twitter card tags and lang."""

import calendar
import re
import time
import urllib.parse
import xml.etree.ElementTree as ET

from harness import Server, check, new_comment_id, post_comment

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}
PER_PAGE = 10
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


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


def listed(srv, path):
    """(titles on the page, older href, newer href)."""
    r = srv.get(path)
    check(r.status == 200, "GET %s: %d" % (path, r.status))
    root = r.html()
    titles = [h.norm_text() for h in root.find_all("h2", cls="entry-title")]
    older = root.find("a", cls="older")
    newer = root.find("a", cls="newer")
    return (titles, older.get("href") if older else None,
            newer.get("href") if newer else None)


def walk(srv, path):
    """Every title of a paged archive, following Older links."""
    out, seen = [], set()
    while path:
        check(path not in seen, "Older links loop at %s" % path)
        seen.add(path)
        titles, older, _ = listed(srv, path)
        out += titles
        path = older
    return out


def iso_ts(s):
    return calendar.timegm(time.strptime(s[:19], "%Y-%m-%dT%H:%M:%S"))


# ---------------------------------------------------------------- dates

def test_year_month_day_archives(srv):
    posts = all_posts(srv)
    by = {}
    for p in posts:
        y, m, d = path_of(p["url"]).split("/")[1:4]
        for key in ("/%s/" % y, "/%s/%s/" % (y, m), "/%s/%s/%s/" % (y, m, d)):
            by.setdefault(key, []).append(p["title"])
    check(any(len(v) > PER_PAGE for v in by.values()),
          "no archive long enough to page")
    for path, want in by.items():
        got = walk(srv, path)
        check(got == want, "%s lists %s, want %s" % (path, got, want))
        r = srv.get(path)
        h1 = r.html().find("h1", cls="page-title").norm_text()
        check(h1.startswith("Archive: "), "%s heading %r" % (path, h1))


def test_archive_paging_links(srv):
    posts = all_posts(srv)
    y = path_of(posts[0]["url"]).split("/")[1]
    titles, older, newer = listed(srv, "/%s/" % y)
    check(len(titles) == PER_PAGE and older == "/%s/page/2/" % y and
          newer is None, "page 1: %d, older %r, newer %r" % (
              len(titles), older, newer))
    _, older2, newer2 = listed(srv, older)
    check(newer2 == "/%s/" % y, "page 2 newer link %r" % newer2)
    check(srv.get("/%s/page/99/" % y).status == 404, "page 99 not 404")


def test_bad_and_empty_dates(srv):
    for path in ("/2026/02/30/", "/2026/13/", "/2026/00/", "/2026/10/32/",
                 "/1969/", "/2025/", "/2026/01/", "/2026/10/05/",
                 "/99999/"):
        r = srv.get(path)
        check(r.status == 404, "%s: %d, want 404" % (path, r.status))
    r = srv.get("/2026")
    check(r.status == 301 and r.header("Location") == "/2026/",
          "/2026 without a slash: %d %r" % (r.status, r.header("Location")))


# ---------------------------------------------------------------- tags

def test_tag_archives(srv):
    posts = all_posts(srv)
    tags = {}
    for p in posts:
        for t in p["tags"]:
            tags.setdefault((t["slug"], t["name"]), []).append(p["title"])
    check(any(len(v) > 1 for v in tags.values()), "no tag on two posts")
    for (slug, name), want in tags.items():
        path = "/tag/%s/" % urllib.parse.quote(slug)
        got = walk(srv, path)
        check(got == want, "%s lists %s, want %s" % (path, got, want))
        h1 = srv.get(path).html().find("h1", cls="page-title").norm_text()
        check(h1 == "Tag: %s" % name, "%s heading %r" % (path, h1))
    check(srv.get("/tag/no-such-tag/").status == 404, "unknown tag")
    r = srv.get("/tag/rail")
    check(r.status == 301, "/tag/rail without a slash: %d" % r.status)


def test_article_links_its_tags(srv):
    p = all_posts(srv)[0]
    root = srv.get(path_of(p["url"])).html()
    links = [(a.get("href"), a.norm_text()) for a in root.find_all("a",
                                                                  cls="tag")]
    want = [("/tag/%s/" % urllib.parse.quote(t["slug"]), t["name"])
            for t in p["tags"]]
    check(links == want, "article tag links %s, want %s" % (links, want))
    root = srv.get("/").html()
    first = root.find("article", cls="entry-summary")
    check([a.norm_text() for a in first.find_all("a", cls="tag")] ==
          [t["name"] for t in p["tags"]], "front page entry tags")


# ---------------------------------------------------------------- metadata

def meta(root, attr, key):
    n = [m for m in root.find_all("meta") if m.get(attr) == key]
    return [m.get("content") for m in n]


def one(root, attr, key, where):
    v = meta(root, attr, key)
    check(len(v) == 1 and v[0], "%s: %s=%s appears %d times" % (
        where, attr, key, len(v)))
    return v[0]


def canonical(root):
    c = [l.get("href") for l in root.find_all("link")
         if l.get("rel") == "canonical"]
    return c[0] if len(c) == 1 else None


def test_every_page_has_metadata(srv):
    posts = all_posts(srv)
    b = srv.base_url()
    y, m = path_of(posts[0]["url"]).split("/")[1:3]
    pages = {"/": b + "/", "/page/2/": b + "/page/2/",
             "/page/1/": b + "/",
             path_of(posts[0]["url"]): posts[0]["url"],
             path_of(posts[0]["url"]) + "?replytocom=1": posts[0]["url"],
             "/category/europe/": b + "/category/europe/",
             "/tag/climate/": b + "/tag/climate/",
             "/%s/%s/" % (y, m): b + "/%s/%s/" % (y, m),
             "/search?q=rail": b + "/search?q=rail"}
    for path, want in pages.items():
        r = srv.get(path)
        check(r.status == 200, "GET %s: %d" % (path, r.status))
        root = r.html()
        html = root.find("html")
        check(html.get("lang") == "en", "%s: lang %r" % (path, html.get("lang")))
        title = root.find("title").norm_text()
        check(title.endswith("The Long View"), "%s: title %r" % (path, title))
        desc = one(root, "name", "description", path)
        check(len(desc.encode()) <= 203, "%s: description of %d bytes" % (
            path, len(desc.encode())))
        check(canonical(root) == want, "%s: canonical %r, want %r" % (
            path, canonical(root), want))
        check(one(root, "property", "og:url", path) == want,
              "%s: og:url" % path)
        for k in ("og:title", "og:description", "og:type", "og:site_name"):
            one(root, "property", k, path)
        check(one(root, "property", "og:description", path) == desc,
              "%s: og:description differs from description" % path)
        for k in ("twitter:card", "twitter:title", "twitter:description"):
            one(root, "name", k, path)
    r = srv.get("/search?q=rail").html()
    check(meta(r, "name", "robots") == ["noindex"], "search not noindex")
    check(meta(srv.get("/").html(), "name", "robots") == [],
          "front page says noindex")
    check(meta(srv.get("/no/such/").html(), "name", "robots") ==
          ["noindex"], "404 page not noindex")


def test_article_preview_tags(srv):
    p = [p for p in all_posts(srv) if p["image"]][0]
    full = srv.get("/api/v1/posts/%d" % p["id"]).json()
    root = srv.get(path_of(p["url"])).html()
    w = p["title"]
    check(one(root, "property", "og:type", w) == "article", "og:type")
    check(one(root, "property", "og:title", w) == p["title"], "og:title")
    desc = one(root, "name", "description", w)
    check(p["excerpt"].startswith(desc.rstrip("\u2026")) or desc ==
          p["excerpt"], "description %r is not from the excerpt" % desc)
    img = one(root, "property", "og:image", w)
    check(img == srv.base_url() + p["image"], "og:image %r" % img)
    check(srv.get(path_of(img)).status == 200, "og:image does not load")
    check(one(root, "name", "twitter:image", w) == img, "twitter:image")
    check(one(root, "name", "twitter:card", w) == "summary_large_image",
          "twitter:card")
    check(one(root, "property", "og:image:alt", w) == p["image_caption"],
          "og:image:alt")
    check(one(root, "property", "article:published_time", w) == p["date"],
          "published_time")
    check(one(root, "property", "article:author", w) ==
          p["author"]["name"], "article:author")
    check(meta(root, "property", "article:tag") ==
          [t["name"] for t in full["tags"]], "article:tag")
    check(meta(root, "property", "article:section") ==
          [c["name"] for c in full["categories"]], "article:section")
    plain = [q for q in all_posts(srv) if not q["image"]]
    if plain:
        root = srv.get(path_of(plain[0]["url"])).html()
        check(meta(root, "property", "og:image") == [],
              "og:image without an image")
        check(one(root, "name", "twitter:card", "plain") == "summary",
              "twitter:card without an image")


# ---------------------------------------------------------------- crawlers

def test_sitemap(srv):
    r = srv.get("/sitemap.xml")
    check(r.status == 200, "sitemap: %d" % r.status)
    check(r.header("Content-Type", "").startswith("application/xml"),
          "sitemap type %r" % r.header("Content-Type"))
    root = ET.fromstring(r.body)
    check(root.tag == SM + "urlset", "root %r" % root.tag)
    entries = {}
    for u in root.findall(SM + "url"):
        loc = u.findtext(SM + "loc")
        lm = u.findtext(SM + "lastmod")
        check(loc not in entries, "%s listed twice" % loc)
        check(lm and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lm),
              "%s: lastmod %r" % (loc, lm))
        entries[loc] = lm
    b = srv.base_url()
    posts = all_posts(srv)
    for p in posts:
        check(p["url"] in entries, "%s not in the sitemap" % p["url"])
        cs = srv.get("/api/v1/posts/%d/comments" % p["id"]).json()
        newest = max([iso_ts(c["date"]) for c in cs["comments"]] +
                     [iso_ts(p["date"])])
        check(iso_ts(entries[p["url"]]) == newest,
              "%s: lastmod %s, newest activity %s" % (
                  p["url"], entries[p["url"]],
                  time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(newest))))
    check(b + "/" in entries, "front page missing")
    for kind in ("/category/", "/tag/", "/author/"):
        check(any(l.startswith(b + kind) for l in entries),
              "no %s archives in the sitemap" % kind)
    check(any(re.match(re.escape(b) + r"/\d{4}/\d\d/$", l) for l in entries),
          "no month archives in the sitemap")
    for loc in entries:
        check(loc.startswith(b + "/"), "relative loc %r" % loc)
        st = srv.get(path_of(loc)).status
        check(st == 200, "%s in the sitemap answers %d" % (loc, st))


def test_sitemap_follows_new_comments(srv):
    p = [p for p in all_posts(srv) if p["comments_open"]][0]
    r, _ = post_comment(srv.client(), path_of(p["url"]), author="Sitemap",
                        email="sitemap@example.org", text="Fresh activity.")
    cid = new_comment_id(r)
    srv.cli("comment", "approve", srv.site, str(cid))
    root = ET.fromstring(srv.get("/sitemap.xml").body)
    lm = [u.findtext(SM + "lastmod") for u in root.findall(SM + "url")
          if u.findtext(SM + "loc") == p["url"]][0]
    check(abs(iso_ts(lm) - time.time()) < 120, "lastmod %s after a new "
          "comment" % lm)


def test_robots_txt(srv):
    r = srv.get("/robots.txt")
    check(r.status == 200 and r.header("Content-Type", "").startswith(
        "text/plain"), "robots.txt: %d %r" % (r.status,
                                              r.header("Content-Type")))
    lines = r.text.splitlines()
    check(lines[0] == "User-agent: *", "robots.txt starts %r" % lines[0])
    check("Disallow: /search" in lines and "Disallow: /api/" in lines,
          "default disallows missing: %s" % lines)
    check("Disallow: /" not in lines, "an indexable site disallows all")
    check("Sitemap: %s/sitemap.xml" % srv.base_url() in lines,
          "no absolute Sitemap line: %s" % lines)
    check(r.header("ETag") and r.header("Last-Modified"),
          "robots.txt without validators")


def test_robots_from_config(srv):
    """A second site that asks crawlers away, and one with its own
    disallow list; bad values stop the server with the line."""
    s = Server(srv.binary, demo=False, name="robots",
               conf={"crawlers": {"index": "false"}})
    try:
        s.start()
        lines = s.get("/robots.txt").text.splitlines()
        check("Disallow: /" in lines, "index=false: %s" % lines)
        root = s.get("/").html()
        check(meta(root, "name", "robots") == ["noindex"],
              "index=false: no noindex on the front page")
        check(s.stop() == [], "robots server did not stop cleanly")
        s.conf = {"crawlers": {"index": "true",
                               "disallow": "/private/ , /drafts/,,"}}
        from harness import set_conf
        set_conf(s.conf_path(), s.conf)
        s.start()
        lines = s.get("/robots.txt").text.splitlines()
        check([l for l in lines if l.startswith("Disallow")] ==
              ["Disallow: /private/", "Disallow: /drafts/"],
              "custom disallow: %s" % lines)
        check(s.stop() == [], "robots server did not stop cleanly")
        set_conf(s.conf_path(), {"crawlers": {"index": "maybe"}})
        r = s.run_cli("serve", s.site, "--listen",
                      "127.0.0.1:%d" % s.port)
        check(r.returncode != 0 and "parley.conf" in r.stderr and
              "index" not in r.stdout, "bad index value accepted: %r" %
              r.stderr[-300:])
    finally:
        s.cleanup()
