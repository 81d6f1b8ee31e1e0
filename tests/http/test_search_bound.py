"""A word found in more articles than a search ranks (LIM_SEARCH_RANKED,
1,000 of each kind): the latest added are ranked and paged, the count says
"More than N results" and how to reach older ones, and the API says
"more": true. Below the bound the count is exact and says nothing more.
Its own site: 1,005 generated articles, every one titled "Notes on ...".
"""

import urllib.parse

from harness import check

DEMO = True
RANKED = 1000
PER_PAGE = 10


def setup(srv):
    srv.cli("bench-data", srv.site, "--articles", "1005", "--comments", "0")


def api(srv, query, extra=""):
    r = srv.get("/api/v1/search?q=" + urllib.parse.quote_plus(query) + extra)
    check(r.status == 200, "api %r: %d" % (query, r.status))
    return r.json()


def page(srv, query, extra=""):
    r = srv.get("/search?q=" + urllib.parse.quote_plus(query) + extra)
    check(r.status == 200, "search %r: %d" % (query, r.status))
    return r.html()


def test_common_word_is_bounded(srv):
    d = api(srv, "notes", "&type=articles")
    check(d["total"] == RANKED and d["more"] is True,
          "notes: total %r, more %r" % (d["total"], d["more"]))
    check(d["pages"] == RANKED // PER_PAGE, "pages %r" % d["pages"])
    check(len(d["results"]) == PER_PAGE, "%d results" % len(d["results"]))
    root = page(srv, "notes", "&type=articles")
    summary = root.find("p", cls="search-summary").norm_text()
    check(summary == "More than %d results" % RANKED,
          "summary %r" % summary)
    check(root.find("p", cls="search-narrow") is not None,
          "no hint to narrow the search")
    check(root.find("a", cls="older") is not None, "no link to more")
    # The last page of what was ranked is full, and ends the paging.
    last = api(srv, "notes", "&type=articles&page=%d" % (RANKED // PER_PAGE))
    check(len(last["results"]) == PER_PAGE, "last page: %d results" %
          len(last["results"]))
    root = page(srv, "notes", "&type=articles&page=%d" % (RANKED // PER_PAGE))
    check(root.find("a", cls="older") is None, "a page past the ranked")


def test_uncommon_word_is_exact(srv):
    d = api(srv, "night train")
    check(d["total"] >= 1 and d["more"] is False,
          "night train: total %r, more %r" % (d["total"], d["more"]))
    root = page(srv, "night train")
    summary = root.find("p", cls="search-summary").norm_text()
    want = "1 result" if d["total"] == 1 else "%d results" % d["total"]
    check(summary == want, "summary %r, want %r" % (summary, want))
    check(root.find("p", cls="search-narrow") is None,
          "a narrowing hint under the bound")
