"""Old WordPress addresses after `parley import` of tests/wxr/site-1.2.xml:
every permalink form answers 301 with the Parley URL, which then shows
the right article, page or archive; pages stay at their own address;
#comment-N anchors find the same comment (WordPress ids are kept and no
redirect carries a fragment of its own, so the browser's one survives);
nothing that is not public is revealed, and no address redirects to
itself."""

import os
import urllib.parse

import harness
from harness import check, comment_node, location_path

DEMO = False
NIGHT = "/2020/03/14/night-train/"
CAFE = "/2020/05/20/caf%C3%A9-station/"


def setup(srv):
    srv.cli("import", srv.site, os.path.join(harness.ROOT, "tests", "wxr",
                                             "site-1.2.xml"), "--quiet")


def title_of(r):
    h = r.html().find("h1", cls="entry-title")
    return h.norm_text() if h else None


def follow(srv, path, want_location, want_title=None):
    """GET path: a 301 to want_location (path, as sent), then that page:
    200 with want_title (or an archive heading)."""
    r = srv.get(path)
    check(r.status == 301, "%s: %d, want 301" % (path, r.status))
    loc = r.header("Location") or ""
    got = urllib.parse.urlsplit(loc)
    check(got.path == want_location and not got.fragment,
          "%s -> %r, want %s" % (path, loc, want_location))
    if want_title is None:
        return r
    r2 = srv.get(loc)
    check(r2.status == 200, "%s -> %s: %d" % (path, loc, r2.status))
    t = title_of(r2)
    if t is None:
        h = r2.html().find(cls="archive-title") or r2.html().find("h1")
        t = h.norm_text() if h else None
    check(t == want_title, "%s -> %s shows %r, want %r" % (
        path, loc, t, want_title))
    return r2


ARTICLE = "Why the Night Train Came Back"


def test_query_p(srv):
    follow(srv, "/?p=10", NIGHT, ARTICLE)
    follow(srv, "/?p=16", CAFE, "Café ☕ — שלום — مرحبا — Ŝ̤͔ͧtation")


def test_query_page_id(srv):
    follow(srv, "/?page_id=20", "/about/", "About")
    follow(srv, "/?page_id=21", "/about/team/", "The team")


def test_query_attachment_goes_to_its_post(srv):
    follow(srv, "/?attachment_id=50", NIGHT, ARTICLE)


def test_query_other_forms(srv):
    follow(srv, "/?cat=2", "/category/europe/", "Category: Europe")
    follow(srv, "/?author=1", "/author/mira/", "Posts by Mira Kovač")
    follow(srv, "/?name=night-train", NIGHT, ARTICLE)
    follow(srv, "/?pagename=about/team", "/about/team/", "The team")
    follow(srv, "/?tag=night-trains", "/tag/night-trains/")
    follow(srv, "/?feed=rss2", "/feed/")
    follow(srv, "/?feed=atom", "/feed/atom/")
    follow(srv, "/?feed=comments-rss2", "/comments/feed/")
    follow(srv, "/?p=10&feed=rss2", NIGHT + "feed/")
    follow(srv, "/?m=202003", "/2020/03/")
    follow(srv, "/?s=sleeper", "/search")


def test_dated_permalink_with_wordpress_local_day(srv):
    # WordPress dated it the 15th (its local time); Parley's day is UTC.
    follow(srv, "/2020/03/15/night-train/", NIGHT, ARTICLE)
    check(srv.get(NIGHT).status == 200, "the Parley URL itself")


def test_month_year_and_bare_slug(srv):
    follow(srv, "/2020/03/night-train/", NIGHT, ARTICLE)
    follow(srv, "/2020/night-train/", NIGHT, ARTICLE)
    follow(srv, "/night-train/", NIGHT, ARTICLE)
    follow(srv, "/night-train", NIGHT, ARTICLE)
    follow(srv, "/archives/10", NIGHT, ARTICLE)
    follow(srv, "/caf%C3%A9-station/", CAFE)


def test_unicode_permalink_as_wordpress_encoded_it(srv):
    # WordPress stored the slug percent-encoded, lower case.
    r = srv.get("/2020/05/20/caf%c3%a9-station/")
    check(r.status == 200, "lower-case escapes: %d" % r.status)


def test_pages_stay_where_they_were(srv):
    for path, title in (("/about/", "About"), ("/about/team/", "The team")):
        r = srv.get(path)
        check(r.status == 200 and title_of(r) == title,
              "%s: %d %r" % (path, r.status, title_of(r)))
    follow(srv, "/about", "/about/", "About")
    # WordPress finds a child page by its own slug too
    follow(srv, "/team/", "/about/team/", "The team")


def test_category_tag_author_archives(srv):
    r = srv.get("/category/europe/")
    check(r.status == 200, "/category/europe/: %d" % r.status)
    follow(srv, "/category/world/europe/", "/category/europe/",
           "Category: Europe")
    follow(srv, "/category/world/europe/ukraine-crisis/",
           "/category/ukraine-crisis/")
    check(srv.get("/author/mira/").status == 200, "/author/mira/")
    # /tag/x/, /feed/ and /comments/feed/ are Parley addresses already
    # (issue 5's archives and feeds): never redirected elsewhere.
    for path in ("/tag/night-trains/", "/feed/", "/comments/feed/"):
        r = srv.get(path)
        check(r.status in (200, 404) and r.status != 301,
              "%s: %d" % (path, r.status))


def test_feeds_of_an_article(srv):
    follow(srv, "/night-train/feed/", NIGHT + "feed/")
    follow(srv, "/2020/03/15/night-train/feed/", NIGHT + "feed/")
    follow(srv, "/2020/03/15/night-train/feed/atom/", NIGHT + "feed/atom/")
    # the Parley feed address itself is not redirected to itself
    r = srv.get(NIGHT + "feed/")
    check(r.status != 301, "%sfeed/ redirects to itself" % NIGHT)


def test_suffixes(srv):
    follow(srv, "/2020/03/15/night-train/comment-page-1/", NIGHT, ARTICLE)
    follow(srv, "/2020/03/15/night-train/amp/", NIGHT, ARTICLE)
    follow(srv, "/2020/03/15/night-train/trackback/", NIGHT, ARTICLE)
    # the attachment's page, below its post
    follow(srv, "/2020/03/15/night-train/sleeper/", NIGHT, ARTICLE)


def test_comment_anchors(srv):
    # /?p=10#comment-101: the fragment stays in the browser; the page the
    # redirect leads to has that very comment under that id.
    r = follow(srv, "/?p=10", NIGHT, ARTICLE)
    root = r.html()
    for cid, who in ((101, "Ben Level2"), (109, "Mira Kovač"),
                     (146, "Zoë שָׁלוֹם سلام 🚂"), (143, "Rail Weekly")):
        node = comment_node(root, cid)
        check(node is not None, "#comment-%d missing" % cid)
        a = node.find(cls="comment-author").norm_text()
        check(a.startswith(who), "#comment-%d is %r" % (cid, a))
        link = node.find("a", cls="comment-permalink")
        check(link.get("href") == "#comment-%d" % cid, "permalink %r" %
              link.get("href"))
    r = follow(srv, "/2020/03/15/night-train/comment-page-2/", NIGHT)
    r = srv.get("/about/team/")
    check(comment_node(r.html(), 160) is not None, "#comment-160 on a page")


def test_nothing_private_leaks(srv):
    for path in ("/?p=11", "/?p=12", "/?p=13", "/?p=17", "/?p=9999",
                 "/members-only/", "/2020/06/01/members-only/",
                 "/2020/04/02/subscriber-notes/", "/subscriber-notes/",
                 "/timetables-2099/", "/2099/01/01/timetables-2099/",
                 "/unfinished-a-draft-about-trams/", "/?name=subscriber-notes",
                 "/?cat=999", "/?author=999", "/no-such-thing/",
                 "/2020/03/15/no-such-thing/"):
        r = srv.get(path)
        check(r.status == 404, "%s: %d (%s)" % (path, r.status,
                                                r.header("Location")))


def test_head_and_post(srv):
    r = srv.request("HEAD", "/?p=10")
    check(r.status == 301 and location_path(r)[0] == NIGHT, "HEAD /?p=10")
    r = srv.request("POST", "/night-train/", body="",
                    headers={"Content-Type":
                             "application/x-www-form-urlencoded"})
    check(r.status in (400, 405), "POST to an old address: %d" % r.status)
