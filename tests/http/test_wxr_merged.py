"""An imported WordPress site is the site's own for what issues 3 and 5
added: one visibility rule (drafts, pending, private, future and
password-protected posts hidden from feeds, search, archives, the
sitemap and the API; pages only at their own paths), imported posts and
comments searchable, an import moving Last-Modified, the admin post list
showing WordPress statuses as draft/scheduled/published, and the export
carrying what the editor made (drafts, scheduled posts, tags)."""

import email.utils
import os
import time
import urllib.parse

import harness
from adminlib import AdminClient, make_users
from harness import check

DEMO = False
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 1000}}

WXR = os.path.join(harness.ROOT, "tests", "wxr", "site-1.2.xml")
HIDDEN = ("Unfinished: a draft about trams", "Notes for subscribers",
          "Timetables of 2099", "Members only: the timetable spreadsheet")


def imported(srv):
    r = srv.run_cli("import", srv.site, WXR, "--quiet")
    check(r.returncode == 0, "import: %s" % r.stderr[-500:])


def admin(srv):
    """ada, an admin (made once for the module's server)."""
    if not getattr(srv, "_merged_ada", False):
        make_users(srv, ["ada"])
        srv._merged_ada = True
    return AdminClient(srv, "ada")


def search_total(srv, words, typ=None):
    path = "/api/v1/search?q=" + urllib.parse.quote_plus(words)
    if typ:
        path += "&type=" + typ
    r = srv.get(path)
    check(r.status == 200, "GET %s: %d" % (path, r.status))
    return r.json()["total"]


def test_import_moves_last_modified(srv):
    before = srv.get("/").header("Last-Modified")
    check(before, "no Last-Modified before the import")
    time.sleep(1.1)
    imported(srv)
    time.sleep(1.1)  # the date sent is at most the previous second
    after = srv.get("/").header("Last-Modified")
    b = email.utils.parsedate_to_datetime(before)
    a = email.utils.parsedate_to_datetime(after)
    check(a > b, "Last-Modified %s did not move after the import (%s)" %
          (after, before))
    r = srv.get("/", {"If-Modified-Since": before})
    check(r.status == 200, "a copy from before the import still validates")


def test_imported_posts_and_comments_are_searchable(srv):
    imported(srv)
    check(search_total(srv, "sleeper", "articles") >= 1,
          "imported article not found by its text")
    check(search_total(srv, "Vienna", "comments") >= 1,
          "imported approved comment not found by its text")
    # HTML is indexed as text: no tag names
    check(search_total(srv, "strong") == 0, "markup was indexed")
    # held comments stay out of the index
    check(search_total(srv, "waiting approval") == 0, "pending comment found")
    check(search_total(srv, "regret") == 0, "trashed comment found")
    for words in ("trams draft", "subscribers", "timetables 2099",
                  "spreadsheet"):
        check(search_total(srv, words) == 0, "%r found: not public" % words)


def test_one_visibility_rule_everywhere(srv):
    imported(srv)
    texts = {}
    for path in ("/", "/feed/", "/feed/atom/", "/feed.json",
                 "/sitemap.xml", "/api/v1/posts", "/2020/", "/2020/04/",
                 "/2020/06/", "/2099/"):
        r = srv.get(path)
        texts[path] = r.text if r.status == 200 else ""
    for path, t in texts.items():
        for title in HIDDEN:
            check(title not in t, "%s shows %r" % (path, title))
        check("The team" not in t or path == "/sitemap.xml",
              "%s lists a page" % path)
    check("Why the Night Train Came Back" in texts["/feed/"],
          "public imported article missing from the feed")
    check(srv.get("/2099/").status == 404, "/2099/ lists a future post")
    check(srv.get("/2020/04/").status == 404,
          "/2020/04/ lists a private post")


def test_feeds_and_tags_answer_directly(srv):
    imported(srv)
    for path in ("/feed/", "/comments/feed/", "/2020/03/14/night-train/feed/"):
        r = srv.get(path)
        check(r.status == 200, "%s: %d" % (path, r.status))
    r = srv.get("/comments/feed/")
    check("Still waiting" not in r.text and "regret" not in r.text,
          "held comments in the comments feed")
    r = srv.get("/?feed=rss2")
    check(r.status == 301 and r.header("Location").endswith("/feed/"),
          "/?feed=rss2: %d %s" % (r.status, r.header("Location")))
    r = srv.get("/night-train/feed/")
    check(r.status == 301 and r.header("Location").endswith(
        "/2020/03/14/night-train/feed/"), "/night-train/feed/: %d %s" % (
        r.status, r.header("Location")))


def test_admin_shows_wordpress_statuses(srv):
    imported(srv)
    c = admin(srv)

    def listed(status):
        r = c.get("/admin/posts/?status=" + status)
        check(r.status == 200, "/admin/posts/?status=%s: %d" % (
            status, r.status))
        return r.text

    drafts = listed("draft")
    for title in ("Unfinished: a draft about trams", "Notes for subscribers"):
        check(title in drafts, "%r not among the drafts" % title)
    check("Timetables of 2099" in listed("scheduled"),
          "the future post is not scheduled")
    pub = listed("published")
    check("Why the Night Train Came Back" in pub, "published post missing")
    check("Notes for subscribers" not in pub, "a private post is published")


def test_export_carries_editor_statuses_and_tags(srv):
    imported(srv)
    c = admin(srv)
    r = c.multipart("/admin/posts/new/", {
        "title": "Drafted in the editor", "body": "Some text.",
        "tags": "Zeppelins", "comments_open": "1", "do": "draft"})
    check(r.status == 303, "save draft: %d %s" % (r.status, r.text[-300:]))
    r = srv.run_cli("export", srv.site)
    check(r.returncode == 0, "export: %s" % r.stderr[-300:])
    x = r.stdout
    i = x.find("Drafted in the editor")
    check(i > 0, "the editor's draft is not exported")
    item = x[x.rfind("<item>", 0, i):x.find("</item>", i)]
    check("<wp:status><![CDATA[draft]]></wp:status>" in item or
          "<wp:status>draft</wp:status>" in item, "draft status: %s" %
          item[:800])
    check("Zeppelins" in item and "post_tag" in item, "tag not exported")
    # WordPress's own words come back as they came
    for title, st in (("Notes for subscribers", "private"),
                      ("Timetables of 2099", "future")):
        i = x.find(title)
        item = x[x.rfind("<item>", 0, i):x.find("</item>", i)]
        check(st in item.split("<wp:status>")[1][:30], "%s: %s" % (
            title, item.split("<wp:status>")[1][:30]))
