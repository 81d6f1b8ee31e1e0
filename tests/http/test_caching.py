"""HTTP caching and compression, checked with curl as a reader's browser
or feed reader would use it: strong ETags per coding, Last-Modified,
If-None-Match / If-Modified-Since giving 304 with no body, Cache-Control
per kind of page, Vary, gzip and brotli bodies that decompress to exactly
the identity bytes, HEAD answering GET's headers, and keep-alive across
304s."""

import email.utils
import gzip
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse

from harness import check, comment_form, parse_html, post_comment

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000,
                     "first_time_approval": False}}

# Form timestamp inside an article page: differs per render.
TS = re.compile(rb'name="ts" value="[^"]*"')


def setup(srv):
    # A change in the current second is dated one second early (a date
    # only validates seconds that are over), so If-Modified-Since with it
    # answers 200 until that second is past: start the cases after it.
    time.sleep(1.1)


# ---------------------------------------------------------------- curl

class Curl:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> list of values
        self.body = body

    def h(self, name, default=None):
        v = self.headers.get(name.lower())
        return v[-1] if v else default


def curl(srv, path, headers=None, method=None, extra=None):
    """One request with the curl command line tool; the body is stored
    undecoded (no --compressed), headers parsed."""
    check(shutil.which("curl"), "curl is not installed")
    fd, out = tempfile.mkstemp(prefix="parley-curl-")
    os.close(fd)
    args = ["curl", "-sS", "--max-time", "10", "-D", "-", "-o", out]
    if method == "HEAD":
        args.append("-I")
    elif method:
        args += ["-X", method]
    for k, v in (headers or {}).items():
        args += ["-H", "%s: %s" % (k, v)]
    args += extra or []
    args.append("http://127.0.0.1:%d%s" % (srv.port, path))
    try:
        r = subprocess.run(args, capture_output=True, timeout=20)
        check(r.returncode == 0, "curl %s failed: %s" % (
            path, r.stderr.decode(errors="replace")))
        with open(out, "rb") as f:
            body = f.read()
    finally:
        os.unlink(out)
    head = r.stdout.decode("latin-1")
    blocks = [b for b in head.split("\r\n\r\n") if b.strip()]
    lines = blocks[-1].split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    if method == "HEAD":
        body = b""
    return Curl(status, hdrs, body)


def unbrotli(data):
    r = subprocess.run(["brotli", "-dc"], input=data, capture_output=True,
                       timeout=20)
    check(r.returncode == 0, "brotli -dc failed: %s" % r.stderr[:200])
    return r.stdout


def open_article(srv):
    for p in srv.get("/api/v1/posts").json()["posts"]:
        if p["comments_open"]:
            return urllib.parse.urlsplit(p["url"]).path
    raise AssertionError("no open article")


def page_kinds(srv):
    posts = srv.get("/api/v1/posts").json()["posts"]
    art = urllib.parse.urlsplit(posts[0]["url"]).path
    root = parse_html(srv.get("/").text)
    css = [l.get("href") for l in root.find_all("link")
           if l.get("rel") == "stylesheet"][0]
    cat = [a.get("href") for a in root.find_all("a")
           if (a.get("href") or "").startswith("/category/")][0]
    return ["/", "/page/2/", art, cat, "/api/v1/posts",
            "/api/v1/posts/%d" % posts[0]["id"],
            "/api/v1/posts/%d/comments" % posts[0]["id"], css,
            "/media/night-train.svg"]


def http_date(s):
    t = email.utils.parsedate_to_datetime(s)
    return t.timestamp()


# ---------------------------------------------------------------- tests

def test_every_kind_has_validators(srv):
    for p in page_kinds(srv):
        r = curl(srv, p)
        check(r.status == 200, "GET %s: %d" % (p, r.status))
        et = r.h("ETag")
        check(et and re.match(r'^(W/)?"[0-9a-f]{32}(-gzip|-br)?"$', et),
              "GET %s: ETag %r" % (p, et))
        lm = r.h("Last-Modified")
        check(lm, "GET %s: no Last-Modified" % p)
        check(http_date(lm) <= http_date(r.h("Date")),
              "GET %s: Last-Modified %s after Date %s" % (p, lm, r.h("Date")))
        check(r.h("Cache-Control"), "GET %s: no Cache-Control" % p)
        again = curl(srv, p)
        check(again.h("ETag") == et, "GET %s twice: ETag %s then %s" % (
            p, et, again.h("ETag")))


def test_if_none_match_gives_304_without_body(srv):
    for p in page_kinds(srv):
        r = curl(srv, p)
        c = curl(srv, p, {"If-None-Match": r.h("ETag")})
        check(c.status == 304, "If-None-Match on %s: %d" % (p, c.status))
        check(c.body == b"", "304 for %s has %d body bytes" % (
            p, len(c.body)))
        check(c.h("ETag") == r.h("ETag"), "304 for %s: ETag %s, want %s"
              % (p, c.h("ETag"), r.h("ETag")))
        check(c.h("Cache-Control") == r.h("Cache-Control"),
              "304 for %s: Cache-Control differs" % p)
        check(c.h("Vary") == r.h("Vary"), "304 for %s: Vary differs" % p)
        check(c.h("Content-Type") is None,
              "304 for %s carries a Content-Type" % p)
        # A list with the tag in it, and "*", match too.
        c = curl(srv, p, {"If-None-Match": '"nope", %s' % r.h("ETag")})
        check(c.status == 304, "If-None-Match list on %s: %d" % (
            p, c.status))
        c = curl(srv, p, {"If-None-Match": "*"})
        check(c.status == 304, "If-None-Match * on %s: %d" % (p, c.status))
        c = curl(srv, p, {"If-None-Match": '"0123456789abcdef"'})
        check(c.status == 200 and c.body, "stale ETag on %s: %d" % (
            p, c.status))


def test_if_modified_since(srv):
    for p in page_kinds(srv):
        r = curl(srv, p)
        lm = r.h("Last-Modified")
        c = curl(srv, p, {"If-Modified-Since": lm})
        check(c.status == 304 and c.body == b"",
              "If-Modified-Since: %s on %s: %d" % (lm, p, c.status))
        earlier = email.utils.formatdate(http_date(lm) - 1, usegmt=True)
        c = curl(srv, p, {"If-Modified-Since": earlier})
        check(c.status == 200 and c.body, "If-Modified-Since one second "
              "before Last-Modified on %s: %d" % (p, c.status))
    p = "/"
    # Invalid or future dates are ignored (RFC 9110 13.1.3).
    for bad in ("yesterday", "Sun, 06 Nov 1994 08:49:37",
                email.utils.formatdate(time.time() + 86400, usegmt=True)):
        c = curl(srv, p, {"If-Modified-Since": bad})
        check(c.status == 200, "If-Modified-Since %r: %d" % (bad, c.status))
    # The other two date forms HTTP allows.
    lm = curl(srv, p).h("Last-Modified")
    t = time.gmtime(http_date(lm))
    for form in (time.strftime("%A, %d-%b-%y %H:%M:%S GMT", t),
                 time.strftime("%a %b %e %H:%M:%S %Y", t)):
        c = curl(srv, p, {"If-Modified-Since": form})
        check(c.status == 304, "If-Modified-Since %r: %d" % (form, c.status))


def test_if_none_match_decides_over_if_modified_since(srv):
    r = curl(srv, "/")
    c = curl(srv, "/", {"If-None-Match": '"other"',
                        "If-Modified-Since": r.h("Last-Modified")})
    check(c.status == 200, "mismatching If-None-Match with a matching "
          "If-Modified-Since: %d, want 200" % c.status)


def test_gzip_and_brotli_bodies(srv):
    for p in page_kinds(srv):
        ident = curl(srv, p)
        ctype = ident.h("Content-Type") or ""
        for enc, undo in (("gzip", gzip.decompress), ("br", unbrotli)):
            z = curl(srv, p, {"Accept-Encoding": enc})
            check(z.status == 200, "%s %s: %d" % (enc, p, z.status))
            check("Accept-Encoding" in (z.h("Vary") or ""),
                  "%s %s: Vary %r" % (enc, p, z.h("Vary")))
            check(z.h("Content-Encoding") == enc, "%s %s: Content-Encoding"
                  " %r" % (enc, p, z.h("Content-Encoding")))
            check(len(z.body) < len(ident.body), "%s %s: %d bytes, identity "
                  "%d" % (enc, p, len(z.body), len(ident.body)))
            check(int(z.h("Content-Length")) == len(z.body),
                  "%s %s: Content-Length %s for %d bytes" % (
                      enc, p, z.h("Content-Length"), len(z.body)))
            plain = undo(z.body)
            a, b = plain, ident.body
            if "text/html" in ctype:
                a, b = TS.sub(b"", a), TS.sub(b"", b)
            check(a == b, "%s %s: decompressed body differs from identity"
                  % (enc, p))
            check(z.h("ETag") != ident.h("ETag"),
                  "%s %s: same ETag as identity" % (enc, p))
            c = curl(srv, p, {"Accept-Encoding": enc,
                              "If-None-Match": z.h("ETag")})
            check(c.status == 304, "%s %s: conditional %d" % (
                enc, p, c.status))
            check(c.h("Content-Encoding") is None, "304 with a coding")
            # The identity validator does not match the compressed one.
            c = curl(srv, p, {"Accept-Encoding": enc,
                              "If-None-Match": ident.h("ETag")})
            check(c.status == 200, "%s %s with identity ETag: %d" % (
                enc, p, c.status))


def test_accept_encoding_q_values(srv):
    for ae, want in (("gzip, deflate, br", "br"),
                     ("br;q=0.5, gzip;q=0.9", "gzip"),
                     ("br;q=0, gzip;q=0", None),
                     ("identity", None), ("*", "br"),
                     ("gzip;q=0.2, identity;q=0.5", None),
                     ("x-gzip", "gzip"), ("deflate", None)):
        z = curl(srv, "/", {"Accept-Encoding": ae})
        check(z.h("Content-Encoding") == want,
              "Accept-Encoding %r: got %r, want %r" % (
                  ae, z.h("Content-Encoding"), want))


def test_head_answers_get_headers(srv):
    for p in page_kinds(srv):
        for ae in ("identity", "gzip", "br"):
            g = curl(srv, p, {"Accept-Encoding": ae})
            h = curl(srv, p, {"Accept-Encoding": ae}, method="HEAD")
            gh = {k: v for k, v in g.headers.items() if k != "date"}
            hh = {k: v for k, v in h.headers.items() if k != "date"}
            if TS.search(gzip.decompress(g.body) if ae == "gzip" else
                         unbrotli(g.body) if ae == "br" else g.body):
                # Content-Length of an article follows its form token's
                # length, which may differ by a digit between renders.
                gh.pop("content-length", None)
                hh.pop("content-length", None)
            check(gh == hh, "HEAD %s (%s) headers differ from GET:\n %s\n %s"
                  % (p, ae, sorted(gh.items()), sorted(hh.items())))
            c = curl(srv, p, {"Accept-Encoding": ae,
                              "If-None-Match": g.h("ETag")}, method="HEAD")
            check(c.status == 304, "conditional HEAD %s: %d" % (p, c.status))


def test_cache_control_per_kind(srv):
    kinds = page_kinds(srv)
    art, css, media = kinds[2], kinds[7], kinds[8]
    cc = curl(srv, art).h("Cache-Control")
    check(cc == "no-cache", "article Cache-Control %r" % cc)
    cc = curl(srv, css).h("Cache-Control")
    check("immutable" in cc and "max-age=31536000" in cc,
          "theme Cache-Control %r" % cc)
    for p in ("/", "/page/2/", kinds[3], "/api/v1/posts"):
        cc = curl(srv, p).h("Cache-Control")
        m = re.search(r"max-age=(\d+)", cc or "")
        check(m and 0 < int(m.group(1)) <= 300 and "public" in cc,
              "%s Cache-Control %r: want short and public" % (p, cc))
    cc = curl(srv, media).h("Cache-Control")
    check(cc and "max-age" in cc, "media Cache-Control %r" % cc)
    cc = curl(srv, "/no/such/").h("Cache-Control")
    check(cc in ("no-cache", "no-store"), "404 Cache-Control %r" % cc)
    r = curl(srv, "/no/such/")
    check(r.h("ETag") is None, "a 404 has an ETag")


def test_article_with_form_has_stable_strong_etag(srv):
    """The comment form's signed timestamp travels in the parley_ts
    cookie, not in the page: every reader gets the same bytes, so the
    article's validator is strong and stable, and rereading revalidates."""
    p = open_article(srv)
    a, b = curl(srv, p), curl(srv, p)
    check(a.h("ETag").startswith('"'), "article ETag %r" % a.h("ETag"))
    check(a.h("ETag") == b.h("ETag"), "article ETag moved: %s %s" % (
        a.h("ETag"), b.h("ETag")))
    check("parley_ts=" in (a.h("Set-Cookie") or ""), "no form timestamp "
          "cookie: %r" % a.h("Set-Cookie"))
    r = curl(srv, p, {"If-None-Match": a.h("ETag")})
    check(r.status == 304, "rereading the article: %d" % r.status)
    # A closed article has no form and a strong ETag.
    for d in srv.get("/api/v1/posts?page=2").json()["posts"] + \
            srv.get("/api/v1/posts").json()["posts"]:
        if not d["comments_open"]:
            r = curl(srv, urllib.parse.urlsplit(d["url"]).path)
            check(r.h("ETag").startswith('"'), "closed article ETag %r" %
                  r.h("ETag"))
            break


def test_reader_cookie_makes_article_private(srv):
    p = open_article(srv)
    c = srv.client()
    r, _ = post_comment(c, p, author="Cache Reader",
                        email="cache@example.org", text="Private check.")
    check(r.status == 303, "comment: %d" % r.status)
    r = c.get(p)
    check(r.header("Cache-Control") == "private, no-cache",
          "article for a commenter: Cache-Control %r" %
          r.header("Cache-Control"))
    check(srv.get(p).header("Cache-Control") == "no-cache",
          "article for others is not shared-cacheable")


def test_new_comment_changes_validators(srv):
    p = open_article(srv)
    before = curl(srv, p)
    front = curl(srv, "/")
    time.sleep(1.1)
    c = srv.client()
    r, _ = post_comment(c, p, author="Validator Tester",
                        email="validator@example.org",
                        text="This comment changes the page.")
    check(r.status == 303, "comment: %d" % r.status)
    after = curl(srv, p, {"If-None-Match": before.h("ETag")})
    check(after.status == 200, "old ETag after a new comment: %d" %
          after.status)
    check(b"This comment changes the page." in after.body,
          "new comment not on the page")
    check(after.h("ETag") != before.h("ETag"), "ETag did not change")
    c2 = curl(srv, p, {"If-Modified-Since": before.h("Last-Modified")})
    check(c2.status == 200, "old Last-Modified after a new comment: %d" %
          c2.status)
    # The front page shows the new count: it changed too.
    f = curl(srv, "/", {"If-None-Match": front.h("ETag")})
    check(f.status == 200, "front page 304 after a new comment")
    # Moderation from the command line is seen as well.
    time.sleep(1.1)
    now = curl(srv, p)
    cid = int(r.header("Location").rsplit("-", 1)[1])
    srv.cli("comment", "spam", srv.site, str(cid))
    c3 = curl(srv, p, {"If-None-Match": now.h("ETag")})
    check(c3.status == 200 and b"This comment changes the page." not in
          c3.body, "spammed comment: %d" % c3.status)
    c4 = curl(srv, p, {"If-Modified-Since": now.h("Last-Modified")})
    check(c4.status == 200, "If-Modified-Since after CLI moderation: %d"
          % c4.status)


def test_keep_alive_across_304(srv):
    """curl reuses one connection for several URLs when it can: all
    three answers on one connection, the second a 304."""
    r = curl(srv, "/")
    url = "http://127.0.0.1:%d/" % srv.port
    out = subprocess.run(
        ["curl", "-sS", "-v", "-o", "/dev/null", "-o", "/dev/null", "-o",
         "/dev/null", "-H", "If-None-Match: %s" % r.h("ETag"), url, url,
         url], capture_output=True, timeout=20)
    err = out.stderr.decode(errors="replace")
    check(err.count("HTTP/1.1 304") == 3, "three 304s expected: %s" %
          err[-500:])
    check("Re-using existing connection" in err or
          "Reusing existing connection" in err,
          "curl opened a new connection after a 304")
    check(err.count("Connected to") == 1, "connections: %d" %
          err.count("Connected to"))
