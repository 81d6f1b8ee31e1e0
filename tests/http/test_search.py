"""Search over articles and comments (/search and /api/v1/search): case
and accent folding, ranking with highlighted snippets, comment hits that
link to their #comment-N, the articles/comments filter, paging, an index
that follows moderation at once (held, spam and trash never found), and
query syntax errors answered as plain words, never an error page."""

import re
import time
import urllib.parse

from harness import (check, comment_ids, new_comment_id, parse_html,
                     post_comment)

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}
PER_PAGE = 10


def q(s):
    return urllib.parse.quote_plus(s)


def api(srv, query, typ=None, page=None, status=200):
    path = "/api/v1/search?q=" + q(query)
    if typ:
        path += "&type=" + typ
    if page:
        path += "&page=%d" % page
    r = srv.get(path)
    check(r.status == status, "GET %s: %d, want %d" % (path, r.status, status))
    check(r.header("Content-Type", "").startswith("application/json"),
          "%s: Content-Type %r" % (path, r.header("Content-Type")))
    return r.json()


def results(srv, query, extra=""):
    """The search page: (response, [(href, title text, snippet node)])."""
    r = srv.get("/search?q=" + q(query) + extra)
    check(r.status == 200, "search %r: %d" % (query, r.status))
    root = r.html()
    out = []
    for li in root.find_all("li", cls="search-result"):
        a = li.find("h2").find("a")
        out.append((a.get("href"), a.norm_text(),
                    li.find("p", cls="result-snippet")))
    return r, out


def open_article(srv, n=0):
    d = srv.get("/api/v1/posts").json()["posts"]
    return [urllib.parse.urlsplit(p["url"]).path for p in d
            if p["comments_open"]][n]


def approved_comment(srv, text, author="Searcher", n=0):
    art = open_article(srv, n)
    r, _ = post_comment(srv.client(), art, author=author,
                        email="%s@example.org" % author.lower(), text=text)
    check(r.status == 303, "comment: %d" % r.status)
    cid = new_comment_id(r)
    srv.cli("comment", "approve", srv.site, str(cid))
    return art, cid


def test_finds_articles_and_comments_ranked(srv):
    _, hits = results(srv, "night train")
    check(hits, "no hits for night train")
    href, title, snip = hits[0]
    check(title == "Why the Night Train Came Back",
          "best hit %r, want the article titled so" % title)
    marks = [m.norm_text().lower() for m in snip.find_all("mark")]
    check("night" in marks or "train" in marks, "no <mark> in %r" %
          snip.norm_text())
    comments = [(h, t) for h, t, _ in hits if "#comment-" in h]
    check(comments, "no comment hits for night train")
    for h, t in comments:
        path, frag = h.split("#")
        page = srv.get(path)
        check(page.status == 200, "%s: %d" % (path, page.status))
        cid = int(frag.split("-")[1])
        check(cid in comment_ids(page.html()), "%s: comment %d is not on "
              "its page" % (h, cid))
        check(t.startswith("Comment by "), "comment hit titled %r" % t)


def test_case_and_accent_folding(srv):
    art, cid = approved_comment(srv, "We met at the Café Crème on Rue "
                                "Saint-Étienne, naïvely.")
    for query in ("cafe creme", "CAFÉ", "Café crème", "saint etienne",
                  "naively", "NAÏVELY"):
        d = api(srv, query)
        ids = [r["comment_id"] for r in d["results"]]
        check(cid in ids, "%r does not find comment %d: %s" % (
            query, cid, ids))
    # The demo's own accented names.
    d = api(srv, "ekstrom")
    check(d["total"] >= 1, "'ekstrom' finds nothing (demo has Ekström)")
    check(any("Ekstr" in r["snippet"] or "Ekstr" in r["author"]
              for r in d["results"]), "Ekström not in the hits")
    d = api(srv, "kovac")
    check(d["total"] >= 1 and any(r["author"] == "Mira Kovač"
                                  for r in d["results"]),
          "'kovac' does not find Mira Kovač's comments")


def test_snippets_are_escaped_and_marked_only(srv):
    art, cid = approved_comment(srv, "Zanzibar <b>bold</b> & <script>"
                                "alert(1)</script> \"quoted\" zanzibar.",
                                author="Escaper")
    r, hits = results(srv, "zanzibar")
    check(len(hits) == 1, "zanzibar: %d hits" % len(hits))
    href, title, snip = hits[0]
    check(href.endswith("#comment-%d" % cid), "hit link %r" % href)
    tags = {n.tag for n in snip.iter()}
    check(tags <= {"mark"}, "snippet has markup other than <mark>: %s" % tags)
    check("<script>" in snip.text() and b"<script>" not in r.body,
          "hostile text not shown escaped")
    d = api(srv, "zanzibar")
    res = d["results"][0]
    check(res["type"] == "comment" and res["comment_id"] == cid,
          "api hit %r" % res)
    check("<mark>" not in res["snippet"] and "\x02" not in res["snippet"],
          "plain snippet has marks: %r" % res["snippet"])
    check(res["snippet_html"].count("<mark>") == 2, "snippet_html %r" %
          res["snippet_html"])
    check("&lt;script&gt;" in res["snippet_html"], "snippet_html unescaped")
    check(res["url"] == srv.base_url() + href, "api url %r" % res["url"])


def test_filters(srv):
    for typ, want in (("articles", {"article"}), ("comments", {"comment"})):
        d = api(srv, "train", typ)
        check(d["results"], "no %s for train" % typ)
        check({r["type"] for r in d["results"]} == want,
              "type=%s gives %s" % (typ, {r["type"] for r in d["results"]}))
        _, hits = results(srv, "train", "&type=" + typ)
        com = ["#comment-" in h for h, _, _ in hits]
        check(all(com) if typ == "comments" else not any(com),
              "page type=%s mixes kinds" % typ)
    both = api(srv, "train")["total"]
    check(both == api(srv, "train", "articles")["total"] +
          api(srv, "train", "comments")["total"], "filters do not add up")
    api(srv, "train", "bogus", status=400)
    r = srv.get("/search?q=train&type=bogus")
    check(r.status == 200, "page with a bad type: %d" % r.status)


def test_paging(srv):
    d = api(srv, "the")
    check(d["total"] > 2 * PER_PAGE, "'the' has only %d hits" % d["total"])
    check(d["pages"] == (d["total"] + PER_PAGE - 1) // PER_PAGE, "pages")
    seen = []
    for page in range(1, d["pages"] + 1):
        p = api(srv, "the", page=page)
        check(len(p["results"]) == (PER_PAGE if page < d["pages"] else
                                    d["total"] - PER_PAGE * (page - 1)),
              "page %d: %d results" % (page, len(p["results"])))
        seen += [(r["post_id"], r["comment_id"]) for r in p["results"]]
    check(len(seen) == len(set(seen)) == d["total"],
          "pages repeat or miss hits: %d seen, %d unique, total %d" % (
              len(seen), len(set(seen)), d["total"]))
    r, _ = results(srv, "the", "&type=comments")
    root = r.html()
    older = root.find("a", cls="older")
    check(older is not None, "no link to more results")
    href = older.get("href")
    check("q=the" in href and "type=comments" in href and "page=2" in href,
          "more-results link %r loses the query" % href)
    r2 = srv.get(href)
    newer = r2.html().find("a", cls="newer")
    check(newer is not None and "page=" not in newer.get("href"),
          "previous link on page 2: %r" % (newer and newer.get("href")))
    r = srv.get("/search?q=the&page=999")
    check(r.status == 200, "beyond the last page: %d" % r.status)
    api(srv, "the", page=0, status=400) if False else None
    r = srv.get("/api/v1/search?q=the&page=0")
    check(r.status == 400, "page=0 in the API: %d" % r.status)


def test_index_follows_moderation(srv):
    art = open_article(srv, 1)
    c = srv.client()
    r, _ = post_comment(c, art, author="Held Searcher",
                        email="heldsearch@example.org",
                        text="The quokka question is held for now.")
    check(r.status == 303, "comment: %d" % r.status)
    cid = new_comment_id(r)
    check(cid, "held comment has no id")

    def found():
        return [x["comment_id"] for x in api(srv, "quokka")["results"]]

    check(cid not in found(), "held comment is searchable")
    # Not even for its writer.
    h = dict(c._headers(None))
    rr = srv.get("/search?q=quokka", h)
    check(b"quokka question" not in rr.body, "held text shown to its writer")
    srv.cli("comment", "approve", srv.site, str(cid))
    check(cid in found(), "approved comment not found at once")
    srv.cli("comment", "spam", srv.site, str(cid))
    check(cid not in found(), "spam comment still found")
    srv.cli("comment", "approve", srv.site, str(cid))
    check(cid in found(), "re-approved comment not found")
    srv.cli("comment", "trash", srv.site, str(cid))
    check(cid not in found(), "trashed comment still found")
    for row in srv.comment_list("pending"):
        words = re.findall(r"[A-Za-z]{7,}", row["snippet"])
        if words:
            d = api(srv, '"%s"' % words[0])
            check(row["id"] not in [x["comment_id"] for x in d["results"]],
                  "demo pending comment %d found" % row["id"])


def test_syntax_errors_are_plain_words(srv):
    for query in ('"night train', "night AND (train OR", "NOT", "AND",
                  "(", ")", "*", "^", "title:", "-night", "night -",
                  "NEAR(night", "{night}", "night:train", '""', "'", "+",
                  "night*train*", "a OR", "\\", "%", "'; DROP TABLE posts;--",
                  "\u2028", "C++"):
        r = srv.get("/search?q=" + q(query))
        check(r.status == 200, "search %r: %d" % (query, r.status))
        check(r.html().find("p", cls="search-summary") is not None,
              "search %r: no result summary" % query)
        d = api(srv, query)
        check(isinstance(d["total"], int), "api %r" % query)
    d = api(srv, '"night train')
    check(d["total"] >= 1, "unbalanced quote finds nothing")
    check(d["results"][0]["title"] == "Why the Night Train Came Back",
          "unbalanced quote: best %r" % d["results"][0]["title"])
    check(api(srv, "night AND (train OR")["total"] >= 1,
          "broken AND/OR finds nothing")
    # Valid syntax keeps its meaning.
    phrase = api(srv, '"night train"')["total"]
    words = api(srv, "night train")["total"]
    check(0 < phrase <= words, "phrase %d, words %d" % (phrase, words))
    check(api(srv, "sleep*")["total"] >= 1, "prefix query finds nothing")


def test_limits_and_empty_queries(srv):
    r = srv.get("/search")
    check(r.status == 200 and r.html().find("input", id="search-q") is not
          None, "/search without a query: %d" % r.status)
    check(r.html().find("li", cls="search-result") is None,
          "results without a query")
    r = srv.get("/search/?q=train")
    check(r.status == 200, "/search/ with a slash: %d" % r.status)
    long = "train " * 60
    r = srv.get("/search?q=" + q(long))
    check(r.status == 200 and b"at most 256" in r.body,
          "long query: %d" % r.status)
    api(srv, long, status=400)
    d = api(srv, "")
    check(d["total"] == 0 and d["results"] == [], "empty query: %r" % d)
    r = srv.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    check(r.status == 200 and b"<script>alert" not in r.body,
          "query echoed unescaped")
    check(r.html().find("meta", name="robots") is not None,
          "search page has no robots noindex")


def test_scheduled_article_not_found(srv):
    import os
    path = os.path.join(srv.tmp, "later.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("---\ntitle: Embargoed Xylophone Plans\nauthor: Tester\n"
                "date: 2099-01-01 10:00\ncategories: Later\n---\n"
                "The xylophone announcement.\n")
    srv.cli("post", "add", srv.site, path)
    check(api(srv, "xylophone")["total"] == 0, "scheduled article found")


def test_search_answers_are_cacheable(srv):
    time.sleep(1.1)
    r = srv.get("/search?q=train")
    check(r.header("ETag"), "search page without ETag")
    c = srv.get("/search?q=train", {"If-None-Match": r.header("ETag")})
    check(c.status == 304, "search revalidation: %d" % c.status)
    r = srv.get("/api/v1/search?q=train")
    c = srv.get("/api/v1/search?q=train",
                {"If-None-Match": r.header("ETag")})
    check(c.status == 304, "api search revalidation: %d" % c.status)


def cache_hits(srv):
    m = re.search(r"^parley_cache_hits_total (\d+)", srv.get("/metrics").text,
                  re.M)
    check(m is not None, "no parley_cache_hits_total in /metrics")
    return int(m.group(1))


def hit_ids(srv, path):
    """Comment ids the search page at path links to, and its body."""
    r = srv.get(path)
    check(r.status == 200, "%s: %d" % (path, r.status))
    ids = [int(m) for m in re.findall(rb'#comment-(\d+)"', r.body)]
    return ids, r.body


def test_search_page_is_cached_and_never_stale(srv):
    path = "/search?q=zorilla"
    ids, body = hit_ids(srv, path)
    check(ids == [], "zorilla found before anyone wrote it: %s" % ids)
    # Every spelling of the same search is one cached page.
    for other in (path, "/search/?q=zorilla", path + "&page=1",
                  path + "&type=all", path + "&utm_source=x"):
        h0 = cache_hits(srv)
        _, b = hit_ids(srv, other)
        check(b == body, "%s differs from %s" % (other, path))
        check(cache_hits(srv) == h0 + 1, "%s was not a cache hit" % other)
    # Held: not shown, to anyone.
    art = open_article(srv, 2)
    c = srv.client()
    r, _ = post_comment(c, art, author="Zorilla Fan",
                        email="zorilla@example.org",
                        text="A zorilla crossed the lane.")
    cid = new_comment_id(r)
    check(cid, "comment: %d" % r.status)
    check(hit_ids(srv, path)[0] == [], "held comment on the search page")
    # Approved from the CLI while the server runs: on the next request.
    srv.cli("comment", "approve", srv.site, str(cid))
    check(hit_ids(srv, path)[0] == [cid], "approved comment not on the "
          "cached search page")
    # A known commenter's next comment is approved in the server itself.
    r, _ = post_comment(c, art, author="Zorilla Fan",
                        email="zorilla@example.org",
                        text="Another zorilla, zorilla again.")
    cid2 = new_comment_id(r)
    check(cid2, "second comment: %d" % r.status)
    check(sorted(hit_ids(srv, path)[0]) == sorted([cid, cid2]),
          "comment approved in the server not on the cached search page")
    check(hit_ids(srv, path + "&type=comments")[0] != [],
          "type=comments page")
    srv.cli("comment", "trash", srv.site, str(cid))
    check(hit_ids(srv, path)[0] == [cid2], "trashed comment still shown")
    srv.cli("comment", "spam", srv.site, str(cid2))
    check(hit_ids(srv, path)[0] == [], "spam comment still shown")
    # A refused query or a bad type is answered, never kept.
    h0 = cache_hits(srv)
    for bad in ("/search?q=zorilla&type=bogus", "/search?q=" + q("x" * 300)):
        for _ in range(2):
            check(srv.get(bad).status == 200, bad)
    check(cache_hits(srv) == h0, "a refused search came from the cache")
