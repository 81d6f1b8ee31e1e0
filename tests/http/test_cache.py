"""The page cache: pages and feeds come from memory (hit counters at
/metrics), with gzip/brotli variants and strong ETags (304 on a
conditional GET); no page or feed is ever stale: every write (a comment
posted, approved, edited or trashed, from the CLI while the server runs or
in the admin; an article edited, or added with `parley post add`; the
settings changed; a scheduled article coming due) shows on every affected
page and feed on the very next request; a reader's own bits (their
pending comment, their remembered name) reach them on top of the shared
cached page; /metrics parses as Prometheus text."""

import gzip
import os
import re
import time
import urllib.parse
import xml.etree.ElementTree as ET

from adminlib import AdminClient, make_users
from harness import (check, comment_form, comment_node, new_comment_id,
                     post_comment, unique)

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}


# ---------------------------------------------------------------- helpers

def path_of(url):
    return urllib.parse.urlsplit(url).path


def metrics(srv):
    """{(name, frozenset(labels)): value} from /metrics, parsed strictly
    (every sample's family has a TYPE; sample lines are well formed)."""
    r = srv.get("/metrics")
    check(r.status == 200, "/metrics: %d" % r.status)
    ct = r.header("Content-Type") or ""
    check(ct.startswith("text/plain") and "version=0.0.4" in ct,
          "/metrics Content-Type %r" % ct)
    return parse_prometheus(r.text)


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? '
                    r'(-?[0-9.eE+-]+|\+Inf|NaN)$')
LABEL = re.compile(r'^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"$')


def parse_prometheus(text):
    types, out = {}, {}
    check(text.endswith("\n"), "/metrics does not end with a newline")
    for line in text.split("\n")[:-1]:
        if line.startswith("# TYPE "):
            parts = line.split()
            check(len(parts) == 4 and parts[3] in (
                "counter", "gauge", "histogram", "summary", "untyped"),
                "bad TYPE line %r" % line)
            check(parts[2] not in types, "TYPE twice for %s" % parts[2])
            types[parts[2]] = parts[3]
            continue
        if line.startswith("# HELP ") or line == "":
            continue
        check(not line.startswith("#"), "stray comment %r" % line)
        m = SAMPLE.match(line)
        check(m is not None, "malformed sample line %r" % line)
        name, labels = m.group(1), frozenset()
        if m.group(3):
            pairs = m.group(3).split(",")
            for p in pairs:
                check(LABEL.match(p), "bad label %r in %r" % (p, line))
            labels = frozenset(tuple(p.split("=", 1)) for p in pairs)
        family = re.sub(r"_(bucket|sum|count)$", "", name) \
            if name not in types else name
        check(family in types, "sample %s without a TYPE" % name)
        check((name, labels) not in out, "duplicate sample %r" % line)
        out[(name, labels)] = float(m.group(4))
    return out


def metric(m, name, **labels):
    want = frozenset((k, '"%s"' % v) for k, v in labels.items())
    return m.get((name, want), 0.0)


def hits(srv):
    return metric(metrics(srv), "parley_cache_hits_total")


def front_entries(srv, path="/"):
    """[(article path, responses label)] of a listing page."""
    root = srv.client().get(path).html()
    out = []
    for e in root.find_all("article", cls="entry-summary"):
        a = e.find(cls="entry-title").find("a")
        resp = e.find(cls="responses")
        out.append((path_of(a.get("href")),
                    resp.find("a").norm_text() if resp else ""))
    return out


def label_of(srv, listing, article):
    for p, label in front_entries(srv, listing):
        if p == article:
            return label.split(" to ")[0]
    return None


def newest_open(srv):
    """The newest open article on the front page, and the listing pages
    that show it (front, its categories and tags, its author)."""
    for p in srv.get("/api/v1/posts").json()["posts"]:
        if p["comments_open"]:
            path = path_of(p["url"])
            root = srv.client().get(path).html()
            lists = ["/"] + [path_of(a.get("href"))
                             for a in root.find_all("a", cls="cat") +
                             root.find_all("a", cls="tag")]
            au = root.find("a", rel="author")
            if au is not None:
                lists.append(path_of(au.get("href")))
            return p, path, lists
    check(False, "no open article on the front page")


def responses(n):
    return "No Responses" if n == 0 else (
        "1 Response" if n == 1 else "%d Responses" % n)


def count_on(srv, path):
    root = srv.client().get(path).html()
    h2 = root.find("h2", cls="comments-title")
    if h2 is None:
        return 0
    return int(re.match(r"(\d+)", h2.norm_text()).group(1))


# Feeds: RSS, Atom and JSON Feed under each page that has them.
FEED_SUFFIXES = ("feed/", "feed/atom/", "feed.json")
FEED_COMMENTS = 50  # handler/feed.c: comments in a comment feed
ATOM = "{http://www.w3.org/2005/Atom}"
THR = "{http://purl.org/syndication/thread/1.0}"
SLASH = "{http://purl.org/rss/1.0/modules/slash/}"


def feeds_under(path):
    return [path + s for s in FEED_SUFFIXES]


def post_feeds(lists):
    """The article feeds that list an article shown on these listings."""
    return [f for lp in lists for f in feeds_under(lp)]


def comment_feeds(path):
    """The comment feeds that show a comment on the article at path."""
    return feeds_under(path) + feeds_under("/comments/")


def read_feed(srv, path):
    """(body text, [(item link path, comment count or None, item id)]),
    whatever the format."""
    r = srv.get(path)
    check(r.status == 200, "%s: %d" % (path, r.status))
    if path.endswith(".json"):
        return r.text, [(path_of(i["url"]),
                         i.get("_parley", {}).get("comments"), i["id"])
                        for i in r.json()["items"]]
    root = ET.fromstring(r.body)
    out = []
    if root.tag == "rss":
        for i in root.iter("item"):
            n = i.findtext(SLASH + "comments")
            out.append((path_of(i.findtext("link")),
                        int(n) if n is not None else None,
                        i.findtext("guid")))
        return r.text, out
    for e in root.iter(ATOM + "entry"):
        link = [x.get("href") for x in e.iter(ATOM + "link")
                if x.get("rel") == "alternate"][0]
        n = e.findtext(THR + "total")
        out.append((path_of(link), int(n) if n is not None else None,
                    e.findtext(ATOM + "id")))
    return r.text, out


def feed_comment_ids(items):
    out = set()
    for _, _, iid in items:
        m = re.search(r"#comment-(\d+)$", iid or "")
        if m:
            out.add(int(m.group(1)))
    return out


def check_feeds(srv, path, lists, want, cid=None, shown=True):
    """Every feed that shows the article or its comments agrees with
    want (its response count) and shows comment cid or not."""
    for f in post_feeds(lists):
        _, items = read_feed(srv, f)
        got = [n for link, n, _ in items if link == path]
        check(got == [want], "%s: %r responses for the article, want %d "
              "(stale feed)" % (f, got, want))
    for f in comment_feeds(path):
        _, items = read_feed(srv, f)
        if f.startswith(path):
            check(len(items) == min(want, FEED_COMMENTS), "%s: %d comments, "
                  "want %d (stale feed)" % (f, len(items), want))
        if cid is not None:
            check((cid in feed_comment_ids(items)) == shown,
                  "%s: comment %d %s (stale feed)" % (
                      f, cid, "missing" if shown else "still shown"))


def check_everywhere(srv, path, lists, want, cid=None, shown=True):
    """The article, every listing that shows it and every feed that
    shows it or its comments agree with want."""
    check(count_on(srv, path) == want, "article says %d responses, want %d"
          % (count_on(srv, path), want))
    if cid is not None:
        root = srv.client().get(path).html()
        check((comment_node(root, cid) is not None) == shown,
              "comment %d %s on the article" % (
                  cid, "missing" if shown else "still shown"))
    for lp in lists:
        got = label_of(srv, lp, path)
        check(got == responses(want), "%s shows %r for the article, want "
              "%r (stale page)" % (lp, got, responses(want)))
    check_feeds(srv, path, lists, want, cid, shown)


def every_page(srv):
    """The article, its listings and every feed that shows either."""
    return [srv.path] + srv.lists + post_feeds(srv.lists) + \
        comment_feeds(srv.path)


def setup(srv):
    srv.art, srv.path, srv.lists = newest_open(srv)
    make_users(srv, ["ada"])


# ---------------------------------------------------------------- serving

def test_second_read_is_a_hit_with_the_same_bytes(srv):
    for path in every_page(srv):
        a = srv.get(path)
        h0 = hits(srv)
        b = srv.get(path)
        check(a.status == b.status == 200, "%s: %d %d" % (path, a.status,
                                                         b.status))
        check(a.body == b.body, "%s: two reads differ" % path)
        check(hits(srv) == h0 + 1, "%s: second read was not a cache hit" %
              path)
        check(a.header("ETag") and a.header("ETag") == b.header("ETag") and
              a.header("ETag").startswith('"'), "%s: ETag %r / %r" % (
                  path, a.header("ETag"), b.header("ETag")))


def test_conditional_get_gets_304(srv):
    for path in ["/", srv.path] + comment_feeds(srv.path) + feeds_under("/"):
        r = srv.get(path)
        etag = r.header("ETag")
        n = srv.get(path, {"If-None-Match": etag})
        check(n.status == 304, "%s: If-None-Match %s gave %d" % (
            path, etag, n.status))
        check(n.body == b"", "304 with a body")
        check(n.header("ETag") == etag, "304 ETag %r" % n.header("ETag"))
        other = srv.get(path, {"If-None-Match": '"nope", W/"x"'})
        check(other.status == 200, "a foreign ETag gave %d" % other.status)
        h = srv.request("HEAD", path, {"If-None-Match": etag})
        check(h.status == 304, "HEAD with If-None-Match: %d" % h.status)


def test_gzip_and_brotli_variants(srv):
    for path in (srv.path, srv.path + "feed/", "/comments/feed.json"):
        variants(srv, path)


def variants(srv, path):
    srv.get(path, {"Accept-Encoding": "gzip, br"})  # cached now
    h0 = hits(srv)
    plain = srv.get(path)
    gz = srv.get(path, {"Accept-Encoding": "gzip"})
    check(gz.header("Content-Encoding") == "gzip", "%s: gzip not chosen: "
          "%r" % (path, gz.header("Content-Encoding")))
    check(gzip.decompress(gz.body) == plain.body, "gzip variant differs")
    check(gz.header("ETag") != plain.header("ETag"),
          "gzip variant has the identity ETag")
    check("Accept-Encoding" in (gz.header("Vary") or ""), "no Vary")
    br = srv.get(path, {"Accept-Encoding": "gzip, deflate, br"})
    check(br.header("Content-Encoding") == "br", "br not preferred: %r" %
          br.header("Content-Encoding"))
    check(0 < len(br.body) < len(plain.body) / 2, "brotli body %d bytes, "
          "page %d" % (len(br.body), len(plain.body)))
    n = srv.get(path, {"Accept-Encoding": "br",
                      "If-None-Match": br.header("ETag")})
    check(n.status == 304, "br ETag not matched: %d" % n.status)
    no = srv.get(path, {"Accept-Encoding": "gzip;q=0, br;q=0"})
    check(no.header("Content-Encoding") is None and no.body == plain.body,
          "%s: q=0 codings were used" % path)
    check(hits(srv) == h0 + 5, "%s: variants not served from the cache" %
          path)


# ---------------------------------------------------------------- no stale

def test_comment_posted_shows_on_every_page_at_once(srv):
    want = count_on(srv, srv.path)
    check_everywhere(srv, srv.path, srv.lists, want)  # all cached now
    c = srv.client()
    name = unique("Cacher ")
    email = "%s@example.org" % name.replace(" ", "").lower()
    r, _ = post_comment(c, srv.path, author=name, email=email,
                        text="first %s" % name)
    cid = new_comment_id(r)
    check(cid, "no comment id: %d %r" % (r.status, r.header("Location")))
    # Pending: shared pages do not change, the writer sees it.
    check_everywhere(srv, srv.path, srv.lists, want, cid, shown=False)
    mine = c.get(srv.path)
    check(comment_node(mine.html(), cid) is not None and
          "awaiting moderation" in mine.text,
          "the writer does not see their pending comment on the cached page")
    # Approved from the CLI while the server runs.
    srv.cli("comment", "approve", srv.site, str(cid))
    check_everywhere(srv, srv.path, srv.lists, want + 1, cid)
    srv.cache_writer = (c, name, email)
    # A known commenter's next comment is approved in the server itself.
    r, _ = post_comment(c, srv.path, author=name, email=email,
                        text="second %s" % name)
    cid2 = new_comment_id(r)
    check(cid2, "second comment: %d" % r.status)
    check_everywhere(srv, srv.path, srv.lists, want + 2, cid2)
    # Trashed from the CLI.
    srv.cli("comment", "trash", srv.site, str(cid))
    check_everywhere(srv, srv.path, srv.lists, want + 1, cid, shown=False)
    srv.cli("comment", "spam", srv.site, str(cid2))
    check_everywhere(srv, srv.path, srv.lists, want, cid2, shown=False)


def test_many_readers_one_render(srv):
    """A page dropped while many readers want it is rendered once: the
    others wait for that render and get its bytes, which show the write
    (no reader gets the page from before it)."""
    import threading
    path = srv.path
    srv.get(path)
    c = srv.client()
    name = unique("Crowd ")
    r, _ = post_comment(c, path, author=name,
                        email="%s@example.org" % name.replace(" ", "").lower(),
                        text="in the crowd %s" % name)
    cid = new_comment_id(r)
    check(cid, "no comment id: %d" % r.status)
    m0 = metrics(srv)
    srv.cli("comment", "approve", srv.site, str(cid))
    n = 16
    got = [None] * n
    start = threading.Barrier(n)

    def read(i):
        cl = srv.client()
        start.wait()
        resp = cl.get(path)
        got[i] = (resp.status, resp.body)
    threads = [threading.Thread(target=read, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    m1 = metrics(srv)
    check(all(g and g[0] == 200 for g in got),
          "statuses %r" % [g and g[0] for g in got])
    check(len(set(g[1] for g in got)) == 1,
          "%d readers got different bytes" % n)
    check(("comment-%d" % cid).encode() in got[0][1],
          "a reader got the page from before the approval")
    # Misses are renders: the page's one, and the /metrics request
    # itself (each /metrics is looked up and not stored).
    misses = (metric(m1, "parley_cache_misses_total") -
              metric(m0, "parley_cache_misses_total"))
    check(misses == 2, "%d readers made %d renders of one page" % (
        n, misses - 1))
    check(metric(m1, "parley_cache_coalesced_total") >=
          metric(m0, "parley_cache_coalesced_total"),
          "coalesced counter went backwards")


def test_reader_bits_on_the_shared_page(srv):
    c, name, email = srv.cache_writer
    shared = srv.get(srv.path)
    h0 = hits(srv)
    mine = c.get(srv.path)
    check(hits(srv) == h0 + 1, "a reader with cookies bypassed the cache")
    f = comment_form(mine.html())
    check(f["author"] == name and f["email"] == email,
          "form not prefilled on the cached page: %r %r" % (f["author"],
                                                           f["email"]))
    # Its validator is its own (encode.c hashes the reader's bytes, as for
    # every uncached answer), never the shared page's; and it is private.
    check(mine.header("ETag") != shared.header("ETag"), "a personal copy "
          "carries the shared ETag")
    check("private" in (mine.header("Cache-Control") or ""), "a personal "
          "copy is not private: %r" % mine.header("Cache-Control"))
    check(name not in shared.text, "the shared page shows a reader's name")
    f = comment_form(srv.client().get(srv.path).html())
    check(f["author"] == "" and f["email"] == "", "a stranger's form is "
          "prefilled")


def editor_fields(c, pid):
    """The editor's form for post pid as it stands: [(name, value)]."""
    page = c.get("/admin/posts/%d/" % pid)
    check(page.status == 200, "editor: %d" % page.status)
    root = page.html()
    out = []
    for x in root.find_all("input"):
        n = x.get("name")
        if n in ("title", "slug", "caption", "date", "tags", "categories"):
            out.append((n, x.get("value") or ""))
        elif n == "cat" and "checked" in x.attrs:
            out.append((n, x.get("value")))
    for x in root.find_all("textarea"):
        if x.get("name") in ("body", "excerpt"):
            out.append((x.get("name"), x.text().lstrip("\n")))
    sel = [o.get("value") for o in root.find("select", id="image")
           .find_all("option") if "selected" in o.attrs]
    out += [("image", sel[0] if sel else ""), ("comments_open", "1"),
            ("do", "publish")]
    return out


def retitle(c, pid, fields, title):
    r = c.multipart("/admin/posts/%d/" % pid, [
        (k, title if k == "title" else v) for k, v in fields])
    check(r.status == 303, "article edit: %d %s" % (r.status, r.text[-300:]))


def settings_form(c):
    root = c.get("/admin/settings/").html()
    f = {}
    for inp in root.find_all("input"):
        n = inp.get("name")
        if not n or n == "csrf":
            continue
        if inp.get("type") == "checkbox":
            if "checked" in inp.attrs:
                f[n] = inp.get("value") or "1"
        else:
            f[n] = inp.get("value") or ""
    for ta in root.find_all("textarea"):
        f[ta.get("name")] = ta.text()
    return f


def check_shown(srv, pages, text, what):
    for page in pages:
        check(text in srv.get(page).text, "%s: %s missing (stale)" % (
            page, what))


def test_edits_and_settings_show_on_every_page_at_once(srv):
    # Writes made in the server by staff: a comment approved, edited and
    # trashed in the admin, the article retitled, the settings changed;
    # each shows on the article, its listings and every feed that shows
    # them on the very next request, everything cached before.
    ada = AdminClient(srv, "ada")
    want = count_on(srv, srv.path)
    name, email = unique("Edith "), unique("edith") + "@example.org"
    r, _ = post_comment(srv.client(), srv.path, author=name, email=email,
                        text="Words to be edited.")
    cid = new_comment_id(r)
    check(cid, "no comment id: %d" % r.status)
    check_everywhere(srv, srv.path, srv.lists, want, cid, shown=False)
    r = ada.admin_post("/admin/comments/", {
        "act": "approve:%d" % cid, "status": "pending", "page": "1"})
    check(r.status == 303, "approve: %d" % r.status)
    check_everywhere(srv, srv.path, srv.lists, want + 1, cid)
    # Edited.
    text = unique("Edited words ")
    r = ada.admin_post("/admin/comments/%d/" % cid, {
        "author": name, "email": email, "url": "", "comment": text})
    check(r.status == 303, "comment edit: %d %s" % (r.status, r.text[-300:]))
    check_shown(srv, [srv.path] + comment_feeds(srv.path), text,
                "the edited comment")
    # The article retitled: its page, its listings, the feeds that list
    # it and the comment feeds that name it.
    pid = srv.art["id"]
    fields = editor_fields(ada, pid)
    title = unique("Retitled ")
    retitle(ada, pid, fields, title)
    check_shown(srv, every_page(srv), title, "the article's new title")
    retitle(ada, pid, fields, dict(fields)["title"])
    check_shown(srv, every_page(srv), dict(fields)["title"],
                "the article's old title back")
    # The settings: the site's title on every page, its tagline in every
    # feed.
    form = settings_form(ada)
    site, tagline = unique("Renamed Site "), unique("Fresh tagline ")
    r = ada.admin_post("/admin/settings/", dict(form, title=site,
                                                tagline=tagline))
    check(r.status == 303, "settings: %d %s" % (r.status, r.text[-300:]))
    check_shown(srv, [srv.path] + srv.lists, site, "the new site title")
    check_shown(srv, post_feeds(srv.lists) + comment_feeds(srv.path),
                tagline, "the new tagline")
    check(ada.admin_post("/admin/settings/", form).status == 303,
          "settings restore")
    check_shown(srv, every_page(srv)[:1] + post_feeds(["/"]), form["title"],
                "the site title back")
    # Trashed.
    r = ada.admin_post("/admin/comments/", {
        "act": "trash:%d" % cid, "status": "approved", "page": "1"})
    check(r.status == 303, "trash: %d" % r.status)
    check_everywhere(srv, srv.path, srv.lists, want, cid, shown=False)


def test_article_added_with_cli_shows_at_once(srv):
    before = front_entries(srv, "/")
    title = unique("Cache Fresh ")
    cat = unique("Cachecat ")
    md = os.path.join(srv.tmp, "fresh.md")
    with open(md, "w") as f:
        f.write("---\ntitle: %s\nauthor: Cache Tester\ncategories: %s\n"
                "---\nFresh body.\n" % (title, cat))
    out = srv.cli("post", "add", srv.site, md)
    path = re.search(r"(/\d{4}/\d\d/\d\d/[^ ]+/)", out).group(1)
    after = front_entries(srv, "/")
    check(after and after[0][0] == path, "front page does not lead with the "
          "new article: %s (before %s)" % (after[:2], before[:2]))
    root = srv.client().get(srv.path).html()
    nav = [a.norm_text() for a in root.find_all("a")
           if (a.get("href") or "").startswith("/category/")]
    check(cat in nav, "the new category is missing from a cached page's "
          "nav: %s" % nav)
    check(srv.get(path).status == 200, "new article: not served")
    for f in feeds_under("/"):
        _, items = read_feed(srv, f)
        check(items and items[0][0] == path, "%s does not lead with the new "
              "article: %s" % (f, items[:1]))


def test_scheduled_article_appears_when_due(srv):
    front = front_entries(srv, "/")
    title = unique("Cache Soon ")
    due = time.gmtime(time.time() + 3)
    md = os.path.join(srv.tmp, "soon.md")
    with open(md, "w") as f:
        f.write("---\ntitle: %s\nauthor: Cache Tester\ndate: %s\n---\n"
                "Soon.\n" % (title, time.strftime("%Y-%m-%dT%H:%M:%SZ", due)))
    out = srv.cli("post", "add", srv.site, md)
    path = re.search(r"(/\d{4}/\d\d/\d\d/[^ ]+/)", out).group(1)
    now = front_entries(srv, "/")
    check(path not in [p for p, _ in now], "scheduled article listed early")
    check(now == front, "front page changed for a future article")
    # The cached front page must expire by itself when the article is
    # due, without a write.
    feed = [link for link, _, _ in read_feed(srv, "/feed/")[1]]
    check(path not in feed, "scheduled article in the feed early")
    deadline = time.time() + 10
    while time.time() < deadline:
        if path in [p for p, _ in front_entries(srv, "/")]:
            break
        time.sleep(0.25)
    else:
        check(False, "scheduled article never appeared on the cached front "
              "page")
    feed = [link for link, _, _ in read_feed(srv, "/feed/")[1]]
    check(feed and feed[0] == path, "scheduled article not in the cached "
          "feed when due: %s" % feed[:1])


def test_legacy_feed_addresses_lead_to_cached_feeds(srv):
    # WordPress's feed addresses answer 301 (handler/legacy.c, never
    # cached: a query string, or a lookup) to a feed that is.
    slug = srv.path.rstrip("/").rsplit("/", 1)[1]
    for old, new in (("/?feed=rss2", "/feed/"), ("/?feed=atom", "/feed/atom/"),
                     ("/?feed=comments-rss2", "/comments/feed/"),
                     ("/%s/feed/" % slug, srv.path + "feed/"),
                     ("/%s/feed/atom/" % slug, srv.path + "feed/atom/")):
        r = srv.get(old)
        check(r.status == 301 and r.header("Location") == new,
              "%s: %d %s, want 301 %s" % (old, r.status, r.header("Location"),
                                          new))
        cached(srv, new)


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Import While Serving</title>
	<link>http://iws.example</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>http://iws.example</wp:base_site_url>
	<wp:base_blog_url>http://iws.example</wp:base_blog_url>
	<wp:author><wp:author_id>901</wp:author_id><wp:author_login>iws</wp:author_login><wp:author_email>iws@example.org</wp:author_email><wp:author_display_name><![CDATA[Iws Writer]]></wp:author_display_name></wp:author>
"""

WXR_ITEM = """	<item>
		<title>%(title)s</title>
		<dc:creator>iws</dc:creator>
		<content:encoded><![CDATA[Imported while the server ran.]]></content:encoded>
		<wp:post_id>%(pid)d</wp:post_id>
		<wp:post_date>%(date)s</wp:post_date>
		<wp:post_date_gmt>%(date)s</wp:post_date_gmt>
		<wp:comment_status>open</wp:comment_status>
		<wp:post_name>%(slug)s</wp:post_name>
		<wp:status>publish</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type>post</wp:post_type>
		<wp:post_password></wp:post_password>
%(comments)s	</item>
"""

WXR_COMMENT = """		<wp:comment>
			<wp:comment_id>%(cid)d</wp:comment_id>
			<wp:comment_author><![CDATA[Importer]]></wp:comment_author>
			<wp:comment_author_email>imp@example.org</wp:comment_author_email>
			<wp:comment_date_gmt>%(date)s</wp:comment_date_gmt>
			<wp:comment_content><![CDATA[%(text)s]]></wp:comment_content>
			<wp:comment_approved>1</wp:comment_approved>
			<wp:comment_parent>0</wp:comment_parent>
		</wp:comment>
"""


def import_wxr(srv, name, title, slug, pid, comments):
    date = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() - 60))
    cs = "".join(WXR_COMMENT % {"cid": cid, "date": date, "text": text}
                 for cid, text in comments)
    path = os.path.join(srv.tmp, name)
    with open(path, "w") as f:
        f.write(WXR_HEAD + WXR_ITEM % {"title": title, "pid": pid,
                                       "date": date, "slug": slug,
                                       "comments": cs} + "</channel>\n</rss>\n")
    srv.cli("import", srv.site, path, "--quiet")


def cached(srv, path):
    """GET path until the second read is a cache hit; its body."""
    srv.get(path)
    h0 = hits(srv)
    r = srv.get(path)
    check(r.status == 200, "%s: %d" % (path, r.status))
    check(hits(srv) > h0, "%s: second read was not a cache hit" % path)
    return r.text


def test_import_while_serving_drops_stale_pages(srv):
    # `parley import` writes a whole file in one transaction from another
    # process; the server's next request must not serve a page from
    # before it: the front page (a new post) and, on a second import, the
    # cached article (a new comment on it, same WordPress post id).
    title = unique("Imported Live ")
    slug = title.lower().replace(" ", "-")
    pid = 700000 + int(time.time()) % 100000
    front = cached(srv, "/")
    check(title not in front, "title on the front page before the import")
    import_wxr(srv, "live1.xml", title, slug, pid, [(pid + 1, "First one.")])
    check(title in srv.get("/").text, "front page stale after `parley "
          "import`: the imported article is missing")
    path = [p for p, _ in front_entries(srv, "/") if slug in p]
    check(path, "imported article not linked from the front page")
    page = cached(srv, path[0])
    check("First one." in page, "imported comment missing on the article")
    text = unique("Second comment, imported ")
    import_wxr(srv, "live2.xml", title, slug, pid,
               [(pid + 1, "First one."), (pid + 2, text)])
    check(text in srv.get(path[0]).text, "article stale after a second "
          "`parley import` added a comment to it")
    check(count_on(srv, path[0]) == 2, "article says %d responses, want 2"
          % count_on(srv, path[0]))


# ---------------------------------------------------------------- metrics

def test_metrics_parse_and_count(srv):
    m = metrics(srv)
    for name in ("parley_cache_hits_total", "parley_cache_misses_total",
                 "parley_cache_entries", "parley_cache_bytes"):
        check(any(k[0] == name for k in m), "no %s" % name)
    check(metric(m, "parley_cache_hits_total") > 0, "no hits counted")
    n0 = metric(m, "parley_http_requests_total", route="article",
                code="2xx")
    srv.get(srv.path)
    # A request is counted when it completes, just after its last byte
    # left: give the server thread that moment.
    for i in range(40):
        m = metrics(srv)
        if metric(m, "parley_http_requests_total", route="article",
                  code="2xx") >= n0 + 1:
            break
        time.sleep(0.05)
    check(metric(m, "parley_http_requests_total", route="article",
                 code="2xx") == n0 + 1, "article requests not counted")
    # Histogram buckets are cumulative and end at _count.
    prev = 0
    for le in ("0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005",
               "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "+Inf"):
        v = metric(m, "parley_http_request_duration_seconds_bucket",
                   route="article", le=le)
        check(v >= prev, "bucket le=%s goes down" % le)
        prev = v
    check(prev == metric(m, "parley_http_request_duration_seconds_count",
                         route="article"), "+Inf bucket != count")
    check(prev >= n0 + 1, "histogram missed requests")
    check(srv.request("PUT", "/metrics").status == 405, "PUT /metrics")
