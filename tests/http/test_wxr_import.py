"""`parley import` of WordPress exports (tests/wxr/, our own fixtures)
into a running site: what the summary says, what readers then see
(articles, pages, threads, statuses, sanitized comments, UTF-8), that a
second import adds nothing, that a broken file changes nothing, that the
XML bomb is refused at once, and the progress bar / --quiet / --json."""

import json
import os
import pty
import re
import sqlite3
import subprocess
import tempfile
import time

import harness
from harness import check, comment_depth, comment_ids, comment_node

DEMO = False
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 1000}}

WXR = os.path.join(harness.ROOT, "tests", "wxr")
NIGHT = "/2020/03/14/night-train/"  # UTC day; WordPress's was the 15th


def fixture(name):
    return os.path.join(WXR, name)


def import_json(srv, path, rc=0):
    r = srv.run_cli("import", srv.site, path, "--json")
    check(r.returncode == rc, "import %s exited %d: %s" % (
        os.path.basename(path), r.returncode, (r.stderr + r.stdout)[-800:]))
    return json.loads(r.stdout) if r.stdout.strip() else None


def db_dump(srv):
    """Every row of every table, to prove nothing changed."""
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(
        srv.site, "parley.db"), uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def db_count(srv, sql):
    con = sqlite3.connect(os.path.join(srv.site, "parley.db"))
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_import_summary(srv):
    d = import_json(srv, fixture("site-1.2.xml"))
    c = d["counts"]
    want = {"authors": 2, "authors_new": 2, "categories": 4, "tags": 2,
            "terms": 2, "posts": 7, "posts_new": 7, "pages": 2,
            "attachments": 1, "other_items": 1, "comments": 22,
            "comments_new": 22, "comments_pending": 1, "comments_spam": 1,
            "comments_trash": 1, "pingbacks": 2, "orphans": 1,
            "warnings": 1}
    bad = {k: (c.get(k), v) for k, v in want.items() if c.get(k) != v}
    check(d["ok"] and not bad, "counts (got, want): %r" % bad)
    check(any("9999" in w["message"] and "top level" in w["message"]
              for w in d["warnings"]), "orphan warning: %r" % d["warnings"])


def test_text_summary_and_quiet(srv):
    r = srv.run_cli("import", srv.site, fixture("site-1.2.xml"))
    check(r.returncode == 0, r.stderr)
    check(re.search(r"posts\s+7\s+\(0 new, 7 already here\)", r.stdout),
          "summary: %r" % r.stdout)
    check(re.search(r"comments\s+22\s+\(0 new, 22 already here\)",
                    r.stdout), "summary: %r" % r.stdout)
    r = srv.run_cli("import", srv.site, fixture("site-1.2.xml"), "--quiet")
    check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
          "--quiet printed %r %r" % (r.stdout, r.stderr))


def test_reimport_adds_only_what_is_new(srv):
    before = db_dump(srv)
    d = import_json(srv, fixture("site-1.2.xml"))
    news = {k: v for k, v in d["counts"].items() if k.endswith("_new") and v}
    check(not news, "second import added %r" % news)
    check(db_dump(srv) == before, "second import changed the database")
    # A newer export of the same site: one more comment, one post gone
    # from the file. The comment is added; nothing is deleted.
    with open(fixture("site-1.2.xml"), encoding="utf-8") as f:
        text = f.read()
    extra = ("<wp:comment><wp:comment_id>147</wp:comment_id>"
             "<wp:comment_author>Newcomer</wp:comment_author>"
             "<wp:comment_author_email>new@example.org"
             "</wp:comment_author_email><wp:comment_date>2020-06-01 10:00:00"
             "</wp:comment_date><wp:comment_date_gmt>2020-06-01 09:00:00"
             "</wp:comment_date_gmt><wp:comment_content>Late to the party."
             "</wp:comment_content><wp:comment_approved>1"
             "</wp:comment_approved><wp:comment_parent>109"
             "</wp:comment_parent></wp:comment>")
    text = text.replace("</wp:comment>\n\t</item>", "</wp:comment>" + extra +
                        "\n\t</item>", 1)
    start = text.index("<title><![CDATA[Brackets")
    a = text.rindex("<item>", 0, start)
    b = text.index("</item>", start) + len("</item>")
    text = text[:a] + text[b:]
    path = os.path.join(srv.tmp, "newer.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    d = import_json(srv, path)
    check(d["counts"]["comments_new"] == 1 and d["counts"]["posts_new"] == 0,
          "newer export: %r" % d["counts"])
    root = srv.get(NIGHT).html()
    check(comment_node(root, 147) is not None, "new comment 147 not shown")
    check(srv.get("/2020/05/01/cdata-edge/").status == 200,
          "a post missing from the newer file was deleted")


def test_article_as_wordpress_showed_it(srv):
    r = srv.get(NIGHT)
    check(r.status == 200, "GET %s: %d" % (NIGHT, r.status))
    root = r.html()
    check(root.find("h1", cls="entry-title").norm_text() ==
          "Why the Night Train Came Back", "title")
    body = root.find(cls="entry-content")
    paras = body.find_all("p")
    check(len(paras) >= 2 and paras[0].norm_text().startswith(
        "A decade ago"), "paragraphs from blank lines: %r" %
        [p.norm_text() for p in paras][:3])
    check(body.find("br") is not None, "single newline as <br>")
    fig = body.find("figure", cls="wp-caption")
    check(fig is not None and fig.find("img") is not None and
          fig.find("figcaption").norm_text() ==
          "A sleeper carriage waiting at a border station.",
          "[caption] as figure + figcaption")
    check("[caption" not in r.text, "shortcode left in the page")
    check(body.find("h2") is not None and body.find("blockquote")
          is not None, "the author's HTML kept")
    img = root.find("figure", cls="entry-image")
    check(img is not None and img.find("img").get("src").endswith(
        "/2020/03/sleeper.jpg"), "featured image from _thumbnail_id")
    cats = [a.norm_text() for a in root.find_all("a", cls="cat")]
    check(cats == ["Cities & Transport", "Europe"], "categories %r" % cats)


def test_thread_rebuilt(srv):
    root = srv.get(NIGHT).html()
    ids = comment_ids(root)
    for cid in list(range(100, 110)) + [120, 121, 130, 143, 144, 145, 146]:
        check(cid in ids, "comment %d missing (#comment-%d anchor)" % (
            cid, cid))
    for cid in (140, 141, 142):
        check(cid not in ids, "comment %d (pending/spam/trash) shown" % cid)
    depths = [comment_depth(root, c) for c in range(100, 110)]
    check(depths == [1, 2, 3, 4, 5, 5, 5, 5, 5, 5],
          "ten-deep thread capped at depth 5: %r" % (depths,))
    check(comment_depth(root, 120) == 2 and comment_depth(root, 121) == 1,
          "reply before its parent in the file: %r" % ((
              comment_depth(root, 120), comment_depth(root, 121)),))
    li121 = harness.comment_li(root, 121)
    check(li121.find("article", id="comment-120") is not None,
          "120 not under 121")
    check(comment_depth(root, 130) == 1, "orphan not at the top level")
    check(comment_depth(root, 146) == 2, "146 not a reply to 100")
    check("by-author" in harness.comment_li(root, 109).classes(),
          "the author's reply (comment_user_id) not marked")
    h = root.find("h2", cls="comments-title").norm_text()
    check(h.startswith("18 Responses"), "heading %r" % h)


def test_hostile_comment_is_harmless(srv):
    r = srv.get(NIGHT)
    body = harness.comment_body_raw(r.text, 145)
    check(body is not None, "comment 145 missing")
    low = body.lower()
    for bad in ("<script", "javascript:", "onerror", "onclick", "<iframe",
                "<svg", "<math", "onmouseover", "style="):
        check(bad not in low, "%r survived in %r" % (bad, body))
    check('href="https://ok.example/" rel="nofollow ugc"' in body,
          "the fine link lost: %r" % body)
    art = comment_node(r.html(), 145)
    who = art.find(cls="comment-author")
    check(who.find("a") is None, "javascript: author URL linked")
    check("<script>" not in r.text.split('id="comment-145"')[1][:400],
          "author name not escaped")


def test_utf8_everywhere(srv):
    r = srv.get("/2020/05/20/caf%C3%A9-station/")
    check(r.status == 200, "unicode slug: %d" % r.status)
    t = r.html().find("h1", cls="entry-title").norm_text()
    check(t == "Café ☕ — שלום — مرحبا — Ŝ̤͔ͧtation", "title %r" % t)
    check("日本語の駅" in r.text and "👩🏽‍🚀" in r.text, "content")
    root = srv.get(NIGHT).html()
    c = comment_node(root, 146)
    who = c.find(cls="comment-author").norm_text()
    check(who == "Zoë שָׁלוֹם سلام 🚂", "author %r" % who)
    txt = c.find(cls="comment-content").norm_text()
    check("🚄🛤️👍🏽" in txt and "עברית" in txt and "e\u0301" in txt and
          "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇" in txt, "comment text %r" % txt)
    tags = db_count(srv, "SELECT name FROM tags WHERE slug = 'zeleznice'")
    check(tags == "Železnice 🚆", "tag name %r" % tags)


def test_statuses(srv):
    root = srv.get("/").html()
    titles = [e.norm_text() for e in root.find_all(cls="entry-title")]
    check(titles == ["Café ☕ — שלום — مرحبا — Ŝ̤͔ͧtation",
                     "Brackets ]]> and the end of CDATA",
                     "Why the Night Train Came Back"],
          "front page shows only published posts, newest first: %r" %
          titles)
    for path in ("/2020/04/02/subscriber-notes/", "/2099/01/01/"
                 "timetables-2099/", "/?p=11", "/?p=12", "/?p=13", "/?p=17",
                 "/2020/06/01/members-only/", "/api/v1/posts/17",
                 "/api/v1/posts/11", "/api/v1/posts/12",
                 "/api/v1/posts/13/comments"):
        check(srv.get(path).status == 404, "%s is not public" % path)
    st = db_count(srv, "SELECT group_concat(status, ',') FROM (SELECT status"
                  " FROM posts WHERE wp_id IN (11, 12, 13, 10) ORDER BY"
                  " wp_id)")
    check(st == "publish,draft,private,future", "statuses %r" % st)
    # a reader cannot comment on a draft by its number
    c = srv.client()
    r = c.post_form("/comments", {"post_id": 11, "parent_id": 0,
                                  "author": "X", "email": "x@example.org",
                                  "comment": "hi", "ts": ""})
    check(r.status == 404, "comment on a draft: %d" % r.status)


def test_pages(srv):
    r = srv.get("/about/")
    check(r.status == 200, "/about/: %d" % r.status)
    check(r.html().find("h1", cls="entry-title").norm_text() == "About",
          "about title")
    check("Comments are closed." in r.text, "about: comments closed")
    r = srv.get("/about/team/")
    check(r.status == 200 and comment_node(r.html(), 160) is not None,
          "/about/team/ with its comment: %d" % r.status)
    titles = [e.norm_text() for e in srv.get("/").html().find_all(
        cls="entry-title")]
    check("About" not in titles, "a page on the front page")
    # Parley's own comments continue after WordPress's highest id
    res, _ = harness.post_comment(srv.client(), "/about/team/",
                                  text="A new comment after the move.")
    check(res.status == 303, "comment on a page: %d" % res.status)
    path, frag = harness.location_path(res)
    top = db_count(srv, "SELECT max(wp_id) FROM comments")
    check(path == "/about/team/" and frag == "comment-%d" % (top + 1),
          "new comment at %s#%s, want #comment-%d" % (path, frag, top + 1))


def test_comments_closed_and_cdata(srv):
    r = srv.get("/2020/05/01/cdata-edge/")
    check(r.status == 200, "GET: %d" % r.status)
    root = r.html()
    check(root.find("h1", cls="entry-title").norm_text() ==
          "Brackets ]]> and the end of CDATA", "title")
    check("Comments are closed." in r.text and
          harness.comment_form(root) is None, "comments closed")
    body = root.find(cls="entry-content").text()
    check("a[b[0]]>" in body and "<not a tag> & friends" in body,
          "CDATA content %r" % body)
    check("]]> stays." in comment_node(root, 150).norm_text(), "comment")


def test_other_versions_and_namespaces(srv):
    for name, path, cid in (("wxr-1.0.xml",
                             "/2008/06/30/last-steam-express/", 8),
                            ("wxr-1.1.xml", "/2011/12/31/night-buses/", 40),
                            ("unusual-ns.xml", "/2021/02/03/prefixes/", 71)):
        d = import_json(srv, fixture(name))
        check(d["ok"] and d["counts"]["posts_new"] == 1,
              "%s: %r" % (name, d["counts"]))
        r = srv.get(path)
        check(r.status == 200, "%s: GET %s: %d" % (name, path, r.status))
        check(comment_node(r.html(), cid) is not None,
              "%s: comment %d" % (name, cid))
    root = srv.get("/2008/06/30/last-steam-express/").html()
    check(comment_depth(root, 8) == 2, "WXR 1.0 reply")
    cats = [a.norm_text() for a in root.find_all("a", cls="cat")]
    check(cats == ["History"], "WXR 1.0 categories listed twice: %r" % cats)
    check(srv.get("/author/admin/").status == 200,
          "WXR 1.0 author from dc:creator")


MALFORMED = (("truncated.xml", "truncated"),
             ("undefined-entity.xml", "undefined entity"),
             ("mismatched-tag.xml", "mismatched tag"),
             ("bomb.xml", "document type declaration"),
             ("not-wxr.xml", "not a WordPress export"))


def test_malformed_changes_nothing(srv):
    before = db_dump(srv)
    for name, why in MALFORMED:
        path = fixture(name)
        r = srv.run_cli("import", srv.site, path)
        check(r.returncode == 1, "%s: exit %d" % (name, r.returncode))
        m = re.search(re.escape(path) + r":(\d+):(\d+): (.*)", r.stderr)
        check(m and why in m.group(3), "%s: message %r" % (name, r.stderr))
        check("Nothing was imported" in r.stderr, "%s: %r" % (name,
                                                            r.stderr))
        check(db_dump(srv) == before, "%s changed the site" % name)
        d = import_json(srv, path, rc=1)
        check(d["ok"] is False and why in d["error"], "%s --json: %r" % (
            name, d))
    # the truncated file's items before the cut did not sneak in either
    check(srv.get(NIGHT).status == 200, "site still whole")


def test_fresh_site_truncated_file_leaves_it_empty(srv):
    tmp = tempfile.mkdtemp(dir=srv.tmp)
    site = os.path.join(tmp, "fresh")
    srv.cli("init", site)
    r = srv.run_cli("import", site, fixture("truncated.xml"))
    check(r.returncode == 1, "exit %d" % r.returncode)
    con = sqlite3.connect(os.path.join(site, "parley.db"))
    n = [con.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
         for t in ("posts", "comments", "users", "categories", "tags")]
    con.close()
    check(n == [0, 0, 0, 0, 0], "rows after a failed import: %r" % n)


def test_kill9_mid_import_leaves_nothing(srv):
    """The one transaction holds across a crash: kill -9 in the middle
    of a large import and the site is as it was."""
    tmp = tempfile.mkdtemp(dir=srv.tmp)
    big = os.path.join(tmp, "big.xml")
    subprocess.run(["/usr/bin/python3", os.path.join(
        harness.ROOT, "bench", "gen-wxr.py"), big, "--posts", "400",
        "--comments", "30000"], check=True, timeout=120)
    site = os.path.join(tmp, "site")
    srv.cli("init", site)
    wal = os.path.join(site, "parley.db-wal")
    p = subprocess.Popen([srv.binary, "import", site, big, "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env=harness.child_env())
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(wal) and os.path.getsize(wal) > 2 * 1024 * 1024:
            break
        time.sleep(0.01)
    check(p.poll() is None, "the import ended before it could be killed")
    p.kill()
    p.wait(10)
    p.stderr.close()
    con = sqlite3.connect(os.path.join(site, "parley.db"))
    n = [con.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
         for t in ("posts", "comments", "users")]
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    check(n == [0, 0, 0] and ok == "ok", "after kill -9: %r %s" % (n, ok))
    # and the same file then imports whole
    r = srv.run_cli("import", site, big, "--json")
    d = json.loads(r.stdout)
    check(r.returncode == 0 and d["counts"]["comments_new"] == 30000,
          "import after the crash: %r" % d.get("counts"))


def test_bomb_refused_quickly(srv):
    t0 = time.time()
    r = srv.run_cli("import", srv.site, fixture("bomb.xml"))
    took = time.time() - t0
    check(r.returncode == 1 and "bomb" in r.stderr, r.stderr)
    check(took < 2.0, "bomb took %.2fs" % took)
    check(":4:" in r.stderr, "line of the DOCTYPE: %r" % r.stderr)


def test_progress_bar_on_a_terminal(srv):
    master, slave = pty.openpty()
    p = subprocess.Popen([srv.binary, "import", srv.site,
                          fixture("site-1.2.xml")], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=slave,
                         env=harness.child_env())
    os.close(slave)
    out, _ = p.communicate(timeout=60)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    text = err.decode("utf-8", "replace")
    check(p.returncode == 0, "exit %d" % p.returncode)
    check(re.search(r"\[#+-*\] +\d+%", text) and "comments" in text and
          "MB/s" in text, "no progress bar on a terminal: %r" % text[-300:])
    check("Imported" in out.decode(), "summary on stdout")
    # and none when stderr is not a terminal
    r = srv.run_cli("import", srv.site, fixture("site-1.2.xml"))
    check("[#" not in r.stderr and "[-" not in r.stderr,
          "progress bar on a pipe: %r" % r.stderr)


def test_from_standard_input(srv):
    with open(fixture("wxr-1.1.xml"), "rb") as f:
        r = subprocess.run([srv.binary, "import", srv.site, "-", "--json"],
                           stdin=f, capture_output=True,
                           env=harness.child_env(), timeout=60)
    check(r.returncode == 0, r.stderr.decode())
    d = json.loads(r.stdout)
    check(d["ok"] and d["counts"]["posts"] == 1, "stdin: %r" % d)


LATE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<item><wp:post_id>880</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status><wp:post_name>late-fields</wp:post_name>
<wp:post_date_gmt>2021-07-01 10:00:00</wp:post_date_gmt>
<dc:creator>late</dc:creator>
<wp:comment><wp:comment_id>881</wp:comment_id>
<wp:comment_content>First!</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_date_gmt>2021-07-01 11:00:00</wp:comment_date_gmt></wp:comment>
<title>A title written after the comments</title>
<content:encoded>Content after the comments too.</content:encoded>
<category domain="category" nicename="late-cat">Late category</category>
</item></channel></rss>
"""


def test_fields_after_the_comments(srv):
    path = os.path.join(srv.tmp, "late.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(LATE)
    d = import_json(srv, path)
    check(d["counts"]["posts_new"] == 1 and d["counts"]["comments_new"] == 1,
          "late: %r" % d["counts"])
    r = srv.get("/2021/07/01/late-fields/")
    check(r.status == 200, "GET: %d" % r.status)
    root = r.html()
    check(root.find("h1", cls="entry-title").norm_text() ==
          "A title written after the comments", "late title")
    check("Content after the comments too." in r.text, "late content")
    check([a.norm_text() for a in root.find_all("a", cls="cat")] ==
          ["Late category"], "late category")
    check(comment_node(root, 881) is not None, "comment")


def test_usage(srv):
    r = srv.run_cli("import")
    check(r.returncode == 2 and "usage" in r.stderr, "no args: %d" %
          r.returncode)
    r = srv.run_cli("import", srv.site, "/nonexistent/export.xml")
    check(r.returncode == 1 and "/nonexistent/export.xml" in r.stderr,
          "missing file: %r" % r.stderr)
    r = srv.run_cli("import", "--help")
    check(r.returncode == 0 and "WXR" in r.stdout, "--help")
    r = srv.run_cli("export", "--help")
    check(r.returncode == 0 and "WXR 1.2" in r.stdout, "export --help")
