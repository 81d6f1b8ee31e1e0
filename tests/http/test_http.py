"""HTTP robustness: methods, HEAD, limits (413/414/431), malformed
requests, form decoding, keep-alive, static files and traversal."""

import email.utils
import http.client
import os
import re
import threading
import time

from harness import (LIM_BODY_BYTES, LIM_HEADER_BYTES, LIM_URI_BYTES,
                     TIMEOUT, check,
                     comment_form, form_encode, parse_html, raw, raw_status,
                     split_raw)

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}

FORM_CT = "application/x-www-form-urlencoded"


def article_path(srv):
    d = srv.get("/api/v1/posts").json()
    for p in d["posts"]:
        if p["comments_open"]:
            return "/" + p["url"].split("/", 3)[3], p
    raise AssertionError("no open article")


def still_serving(srv, after=""):
    r = srv.get("/")
    check(r.status == 200, "GET / after %s: %d" % (after, r.status))


def conn(srv):
    return http.client.HTTPConnection("127.0.0.1", srv.port,
                                      timeout=TIMEOUT)


def exchange(c, method, path, body=None, headers=None):
    """One request on connection c: (response, body, local port used)."""
    c.request(method, path, body=body, headers=headers or {})
    used = Used(c.sock)
    r = c.getresponse()
    data = r.read()
    return r, data, used


class Used:
    """The socket a request went out on (compared by identity) and its
    local port (for messages)."""

    def __init__(self, sock):
        self.sock = sock
        self.port = sock.getsockname()[1]

    def __eq__(self, other):
        return self.sock is other.sock and self.port == other.port

    def __hash__(self):
        return self.port

    def __repr__(self):
        return str(self.port)


# ---------------------------------------------------------------- methods

def test_head_matches_get(srv):
    path, _ = article_path(srv)
    for p in ("/", "/page/2/", path, "/theme/style.css", "/no-such/",
              "/api/v1/posts"):
        g = srv.get(p)
        h = srv.request("HEAD", p)
        check(h.status == g.status, "HEAD %s: %d, GET %d" % (p, h.status,
                                                             g.status))
        check(h.body == b"", "HEAD %s returned a body" % p)
        skip = ("date", "last-modified")
        gh = {k.lower(): v for k, v in g.headers if k.lower() not in skip}
        hh = {k.lower(): v for k, v in h.headers if k.lower() not in skip}
        check(gh == hh, "HEAD %s headers differ from GET:\n GET %s\n HEAD %s"
              % (p, sorted(gh.items()), sorted(hh.items())))
        # Last-Modified is never the current second (a change later in
        # that second must not earn a 304), so two requests that straddle
        # a second boundary just after a change may differ by one second.
        glm, hlm = g.header("last-modified"), h.header("last-modified")
        check((glm is None) == (hlm is None), "HEAD %s: Last-Modified %r, "
              "GET %r" % (p, hlm, glm))
        if glm and hlm:
            dg = email.utils.parsedate_to_datetime(glm)
            dh = email.utils.parsedate_to_datetime(hlm)
            check(abs((dg - dh).total_seconds()) <= 1, "HEAD %s: "
                  "Last-Modified %s, GET %s" % (p, hlm, glm))


def test_head_sends_no_body_bytes(srv):
    data = raw(srv.port, b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Connection: close\r\n\r\n", timeout=3)
    st, hdrs, body = split_raw(data)
    check(st == 200, "HEAD /: %r" % data[:200])
    check(body == b"", "HEAD / sent %d body bytes" % len(body))
    check(int(hdrs.get("content-length", "0")) > 1000,
          "HEAD / Content-Length %r (should be the GET length)" %
          hdrs.get("content-length"))


def test_post_to_page_is_405(srv):
    path, _ = article_path(srv)
    for p in ("/", path, "/category/energy/", "/theme/style.css"):
        r = srv.request("POST", p, {"Content-Type": FORM_CT}, "a=b")
        check(r.status == 405, "POST %s: %d, want 405" % (p, r.status))
        allow = r.header("Allow") or ""
        check("GET" in allow and "HEAD" in allow and "POST" not in allow,
              "POST %s: Allow %r" % (p, allow))


def test_post_to_api_is_405_json(srv):
    r = srv.request("POST", "/api/v1/posts", {"Content-Type": FORM_CT},
                    "a=b")
    check(r.status == 405, "POST /api/v1/posts: %d" % r.status)
    check("GET" in (r.header("Allow") or ""), "Allow %r" % r.header("Allow"))
    d = r.json()
    check(d.get("status") == 405 and d.get("error"), "API 405 body %r" % d)


def test_other_methods_are_405(srv):
    for m in ("PUT", "DELETE", "PATCH", "OPTIONS", "FROB"):
        for p in ("/", "/comments"):
            r = srv.request(m, p, {"Content-Type": FORM_CT}, "x=y")
            check(r.status == 405, "%s %s: %d, want 405" % (m, p, r.status))
            check(r.header("Allow"), "%s %s: no Allow header" % (m, p))
            check(b"<html" in r.body.lower() or b"{" in r.body,
                  "%s %s: no error page" % (m, p))
    still_serving(srv, "odd methods")


def test_405_allow_lists_what_the_resource_accepts(srv):
    """RFC 9110 15.5.6: Allow lists the target's supported methods. A page
    takes GET and HEAD (POST there is itself a 405); /comments takes POST
    only."""
    bad = []
    for m in ("PUT", "DELETE", "FROB"):
        for p, want in (("/", {"GET", "HEAD"}),
                        ("/api/v1/posts", {"GET", "HEAD"}),
                        ("/comments", {"POST"})):
            r = srv.request(m, p, {"Content-Type": FORM_CT}, "x=y")
            got = {x.strip() for x in (r.header("Allow") or "").split(",")
                   if x.strip()}
            if r.status != 405 or got != want:
                bad.append("%s %s: %d Allow %r, want %s" % (
                    m, p, r.status, r.header("Allow"),
                    ", ".join(sorted(want))))
    check(not bad, "; ".join(bad))


def test_get_comments_is_405(srv):
    for m in ("GET", "HEAD"):
        r = srv.request(m, "/comments")
        check(r.status == 405, "%s /comments: %d, want 405" % (m, r.status))
        check(r.header("Allow") == "POST", "%s /comments: Allow %r" % (
            m, r.header("Allow")))
    r = srv.get("/comments")
    check("form" in r.text.lower(), "405 page does not explain: %r" %
          r.text[:300])


# ---------------------------------------------------------------- limits

def test_body_too_large_content_length_413(srv):
    head = ("POST /comments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: %s\r\nContent-Length: %d\r\n\r\n" % (
                FORM_CT, LIM_BODY_BYTES + 1)).encode()
    data = raw(srv.port, head, timeout=5)
    check(raw_status(data) == 413, "Content-Length %d: %r" % (
        LIM_BODY_BYTES + 1, data[:200]))
    check(b"<!DOCTYPE html>" in data and b"Too large" in data,
          "413 is not the site's error page: %r" % data[-300:])
    still_serving(srv, "413")


def test_body_too_large_sent_in_full_413(srv):
    body = b"comment=" + b"a" * (LIM_BODY_BYTES + 100)
    r = None
    try:
        r = srv.request("POST", "/comments", {"Content-Type": FORM_CT}, body)
    except (OSError, http.client.HTTPException):
        pass  # the server may close while we still send; fine if it said 413
    if r is not None:
        check(r.status == 413, "big body: %d, want 413" % r.status)
    still_serving(srv, "big body")


def test_body_at_limit_is_read(srv):
    # Exactly LIM_BODY_BYTES is allowed: the form is read (400: no post_id).
    pre = b"comment="
    body = pre + b"a" * (LIM_BODY_BYTES - len(pre))
    r = srv.request("POST", "/comments", {"Content-Type": FORM_CT}, body)
    check(r.status == 400, "body of exactly %d bytes: %d, want 400" % (
        LIM_BODY_BYTES, r.status))


def _chunked(body, size=8192):
    out = b""
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


def test_body_too_large_chunked_413(srv):
    body = b"comment=" + b"a" * (LIM_BODY_BYTES + 5000)
    req = ("POST /comments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Content-Type: %s\r\nTransfer-Encoding: chunked\r\n"
           "Connection: close\r\n\r\n" % FORM_CT).encode() + _chunked(body)
    data = raw(srv.port, req, timeout=5)
    check(raw_status(data) == 413, "chunked %d bytes: %r" % (
        len(body), data[:200]))
    still_serving(srv, "chunked 413")


def test_small_chunked_body_is_read(srv):
    req = ("POST /comments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Content-Type: %s\r\nTransfer-Encoding: chunked\r\n"
           "Connection: close\r\n\r\n" % FORM_CT).encode() + \
        _chunked(b"post_id=999999&author=x", 5)
    data = raw(srv.port, req, timeout=5)
    check(raw_status(data) == 404, "chunked form for a missing post: %r" %
          data[:200])


def test_uri_too_long_414(srv):
    for path in ("/" + "a" * (LIM_URI_BYTES + 10),
                 "/?q=" + "a" * (LIM_URI_BYTES + 10),
                 "/" + "a" * (LIM_HEADER_BYTES + 1000)):
        data = raw(srv.port, ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Connection: close\r\n\r\n" % path).encode(),
                   timeout=5)
        check(raw_status(data) == 414, "URI of %d bytes: %r" % (
            len(path), data[:200]))
    r = srv.get("/" + "a" * (LIM_URI_BYTES + 10))
    check("Address too long" in r.text, "414 is not the site's error page")
    r = srv.get("/" + "a" * (LIM_URI_BYTES - 100))
    check(r.status == 404, "URI under the limit: %d, want 404" % r.status)
    still_serving(srv, "414")


def test_huge_header_is_4xx(srv):
    big = LIM_HEADER_BYTES + 2048
    for label, hdr in (
            ("one header", b"X-Big: " + b"a" * big),
            ("many headers", b"\r\n".join(
                b"X-H%d: %s" % (i, b"b" * 100) for i in range(big // 100))),
            ("huge cookie", b"Cookie: " + b"c=d; " * (big // 5))):
        data = raw(srv.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                   hdr + b"\r\n\r\n", timeout=5)
        st = raw_status(data)
        check(st is not None and 400 <= st < 500,
              "%s of %d bytes: %r, want 431 or 400" % (label, len(hdr),
                                                      data[:120]))
    still_serving(srv, "huge header")


def test_header_under_the_limit_is_fine(srv):
    hdr = b"X-Big: " + b"a" * (LIM_HEADER_BYTES // 4)
    data = raw(srv.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + hdr +
               b"\r\nConnection: close\r\n\r\n", timeout=5)
    check(raw_status(data) == 200, "a %d-byte header: %r" % (len(hdr),
                                                            data[:80]))


# ---------------------------------------------------------------- malformed

MALFORMED = [
    ("garbage", b"\x00\xff\xfe\x01garbage\r\n\r\n"),
    ("garbage text", b"HELLO THERE\r\n\r\n"),
    ("binary noise", bytes(range(256)) * 4),
    ("missing version", b"GET /\r\n\r\n"),
    ("missing path", b"GET HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("bad version text", b"GET / HTTX/1.1\r\nHost: x\r\n\r\n"),
    ("HTTP/9.9", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
    ("NUL in path", b"GET /\x00abc HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("NUL in header", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"),
    ("header without colon", b"GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n"),
    ("absurd Content-Length",
     b"POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: " +
     FORM_CT.encode() + b"\r\nContent-Length: 99999999999999999999999\r\n"
     b"\r\n"),
    ("negative Content-Length",
     b"POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: " +
     FORM_CT.encode() + b"\r\nContent-Length: -5\r\n\r\nabcde"),
    ("two Content-Lengths",
     b"POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: " +
     FORM_CT.encode() + b"\r\nContent-Length: 3\r\nContent-Length: 9\r\n"
     b"\r\na=b"),
    ("bad chunk size",
     b"POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: " +
     FORM_CT.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
     b"abc\r\n0\r\n\r\n"),
]


def _malformed_ok(name, data):
    """A 4xx or a closed connection, with two documented exceptions:
    - HTTP/9.9 may get 505 (RFC 9110 15.6.6, the answer for a version);
    - a NUL inside a header value may be replaced by the parser (RFC 9110
      5.5 allows reject or replace with SP), so any non-5xx answer is
      fine there;
    - a NUL in the request target: libmicrohttpd 0.9.75 cuts the target
      at the NUL before Parley sees it (the handler gets "/"), so the
      normal answer for "/" is accepted too; nothing else is."""
    st = raw_status(data)
    if st is None:
        # Closed without an answer, or silent: libmicrohttpd reads a line
        # that starts with NUL as an empty line and keeps waiting, like an
        # idle connection (closed after LIM_CONN_TIMEOUT_S). Either way
        # the next request is checked to be served.
        return data == b""
    if name == "HTTP/9.9" and st == 505:
        return True
    if name == "NUL in header":
        return st < 500
    if name == "NUL in path" and st == 200:
        return b"<!DOCTYPE html>" in data and b"entry-summary" in data
    return 400 <= st < 500


def _malformed_case(name, req):
    def case(srv):
        data = raw(srv.port, req, timeout=2)
        check(srv.alive(), "server died on %s" % name)
        check(_malformed_ok(name, data), "%s: answered %r, want a 4xx or a "
              "closed connection" % (name, data[:80]))
        r = srv.get("/")
        check(r.status == 200, "GET / after %s: %d" % (name, r.status))
    return case


for _name, _req in MALFORMED:
    _fn = _malformed_case(_name, _req)
    _fn.__name__ = "test_malformed_" + re.sub(r"\W+", "_", _name.lower())
    globals()[_fn.__name__] = _fn


def test_half_sent_request_then_close(srv):
    for req in (b"GET / HTT", b"POST /comments HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: " + FORM_CT.encode() +
                b"\r\nContent-Length: 100\r\n\r\nabc"):
        raw(srv.port, req, read=False)
    time.sleep(0.1)
    still_serving(srv, "half-sent requests")


def test_bad_percent_escapes_in_form_400(srv):
    for body in ("post_id=1&author=%zz", "post_id=1&author=abc%",
                 "post_id=1&author=%4", "post_id=1&comment=a%00b",
                 "post_id=1&%G1=x", "post_id=%"):
        r = srv.request("POST", "/comments", {"Content-Type": FORM_CT}, body)
        check(r.status == 400, "form %r: %d, want 400" % (body, r.status))
        check("could not be read" in r.text, "form %r: message %r" % (
            body, re.sub(r"\s+", " ", r.text)[-400:]))


def test_form_needs_urlencoded_type(srv):
    path, p = article_path(srv)
    for ct in (None, "text/plain", "multipart/form-data; boundary=x"):
        h = {"Content-Type": ct} if ct else {}
        r = srv.request("POST", "/comments", h, "post_id=%d" % p["id"])
        check(r.status == 400, "Content-Type %r: %d, want 400" % (ct,
                                                                  r.status))


def test_too_many_form_fields(srv):
    body = "&".join("f%d=v" % i for i in range(200))
    r = srv.request("POST", "/comments", {"Content-Type": FORM_CT}, body)
    check(r.status in (400, 413), "200 fields: %d" % r.status)


# ---------------------------------------------------------------- keep-alive
# exchange() notes the local port of the socket each request went out on:
# http.client opens a new socket (new port) whenever the server closed the
# previous one, so equal ports mean the connection was kept.

def test_keep_alive_two_gets(srv):
    c = conn(srv)
    try:
        r1, _, p1 = exchange(c, "GET", "/")
        check(r1.status == 200, "first GET %d" % r1.status)
        check((r1.getheader("Connection") or "").lower() != "close",
              "server answered a keep-alive GET with Connection: close")
        r2, _, p2 = exchange(c, "GET", "/page/2/")
        check(r2.status == 200, "second GET %d" % r2.status)
        r3, _, p3 = exchange(c, "HEAD", "/")
        check(p1 == p2 == p3, "requests went out on ports %r, %r, %r: the "
              "connection was not kept" % (p1, p2, p3))
    finally:
        c.close()


def test_keep_alive_after_error_pages(srv):
    c = conn(srv)
    try:
        ports = [exchange(c, "GET", "/")[2]]
        for m, p, st in (("GET", "/nope/", 404), ("GET", "/comments", 405),
                         ("GET", "/api/v1/posts/99999", 404),
                         ("GET", "/category/x", 301)):
            r, _, port = exchange(c, m, p)
            check(r.status == st, "%s %s: %d" % (m, p, r.status))
            ports.append(port)
        ports.append(exchange(c, "GET", "/")[2])
        check(len(set(ports)) == 1, "ports used %s: connection not kept "
              "across 404/405/301" % ports)
    finally:
        c.close()


def test_keep_alive_after_post_303(srv):
    path, p = article_path(srv)
    c = conn(srv)
    try:
        r, page, p1 = exchange(c, "GET", path)
        f = comment_form(parse_html(page.decode()))
        body = form_encode([("post_id", f["post_id"]), ("parent_id", "0"),
                            ("ts", f["ts"]), ("author", "Kept Alive"),
                            ("email", "kept@example.org"), ("url", ""),
                            ("comment", "Keep-alive check."),
                            ("hp_url", "")])
        r, _, p2 = exchange(c, "POST", "/comments", body,
                            {"Content-Type": FORM_CT})
        check(r.status == 303, "POST comment: %d" % r.status)
        check((r.getheader("Connection") or "").lower() != "close",
              "303 after a POST came with Connection: close")
        r, _, p3 = exchange(c, "GET", path)
        check(r.status == 200, "GET after POST: %d" % r.status)
        # A 400 (bad form) keeps it too.
        r, _, p4 = exchange(c, "POST", "/comments", "post_id=%s&author=" %
                            f["post_id"], {"Content-Type": FORM_CT})
        check(r.status == 400, "bad form: %d" % r.status)
        p5 = exchange(c, "GET", "/")[2]
        ports = [p1, p2, p3, p4, p5]
        check(len(set(ports)) == 1, "ports used %s (GET, POST 303, GET, "
              "POST 400, GET): connection not kept" % ports)
    finally:
        c.close()


def test_pipelined_requests(srv):
    req = b"GET /theme/style.css HTTP/1.1\r\nHost: x\r\n\r\n"
    data = raw(srv.port, req + req + req.replace(
        b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n"), timeout=5,
        until_close=True)
    n = len(re.findall(rb"HTTP/1\.1 200", data))
    check(n == 3, "3 pipelined requests got %d answers" % n)


def test_http10_request(srv):
    data = raw(srv.port, b"GET / HTTP/1.0\r\n\r\n", timeout=5)
    check(raw_status(data) == 200, "HTTP/1.0 GET: %r" % data[:100])


def test_concurrent_clients(srv):
    errors = []

    def worker(i):
        try:
            c = conn(srv)
            for j in range(10):
                r, body, _ = exchange(c, "GET", ("/", "/page/2/",
                                              "/api/v1/posts")[j % 3])
                if r.status != 200:
                    errors.append(r.status)
            c.close()
        except Exception as e:
            errors.append(repr(e))

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    check(not errors, "concurrent GETs failed: %s" % errors[:5])


# ---------------------------------------------------------------- static

def test_stylesheet_long_cache(srv):
    root = parse_html(srv.get("/").text)
    href = [l.get("href") for l in root.find_all("link")
            if l.get("rel") == "stylesheet"][0]
    r = srv.get(href)
    check(r.status == 200, "GET %s: %d" % (href, r.status))
    check((r.header("Content-Type") or "").startswith("text/css"),
          "stylesheet type %r" % r.header("Content-Type"))
    cc = r.header("Cache-Control") or ""
    m = re.search(r"max-age=(\d+)", cc)
    check(m and int(m.group(1)) >= 30 * 86400,
          "stylesheet Cache-Control %r, want a long max-age" % cc)
    check(len(r.body) > 500, "stylesheet is tiny")
    check(b"prefers-color-scheme" in r.body, "no dark mode in the theme")


def test_media_file_served(srv):
    d = srv.get("/api/v1/posts?page=1").json()["posts"] + \
        srv.get("/api/v1/posts?page=2").json()["posts"]
    img = [p["image"] for p in d if p["image"]]
    check(img, "no demo image")
    r = srv.get(img[0])
    check(r.status == 200, "GET %s: %d" % (img[0], r.status))
    check(r.header("Content-Type") == "image/svg+xml",
          "Content-Type %r" % r.header("Content-Type"))
    check("sandbox" in (r.header("Content-Security-Policy") or ""),
          "SVG served without a sandbox CSP")


def test_path_traversal_media_404(srv):
    paths = ["/media/../parley.db", "/media/%2e%2e/parley.db",
             "/media/..%2fparley.db", "/media/%2e%2e%2fparley.conf",
             "/media/.%2e/parley.conf", "/media/..%5cparley.db",
             "/media/parley.db", "/media/.parley.db", "/media/%2fetc%2fpasswd",
             "/media/..%2f..%2f..%2fetc%2fpasswd",
             "/media/%252e%252e%252fparley.db",
             "/theme/..%2fparley.conf", "/theme/%2e%2e/parley.conf",
             "/media/..",
             "/media/", "/media/x/../../parley.db"]
    for p in paths:
        data = raw(srv.port, ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Connection: close\r\n\r\n" % p).encode(),
                   timeout=5)
        st, hdrs, body = split_raw(data)
        check(st in (404, 400), "GET %s: %r, want 404" % (p, data[:120]))
        check(b"SQLite format" not in body and b"[site]" not in body and
              b"root:" not in body, "GET %s leaked a file" % p)


def test_media_symlink_and_dir_not_served(srv):
    media = os.path.join(srv.site, "media")
    os.symlink(os.path.join(srv.site, "parley.conf"),
               os.path.join(media, "link.svg"))
    os.mkdir(os.path.join(media, "dir.png"))
    for p in ("/media/link.svg", "/media/dir.png"):
        r = srv.get(p)
        check(r.status == 404, "GET %s: %d, want 404" % (p, r.status))
        check(b"[site]" not in r.body, "symlink followed: %s" % p)


def test_request_is_logged(srv):
    mark = "/logged-%d/" % os.getpid()
    srv.get(mark)
    deadline = time.time() + 3
    while time.time() < deadline:
        if re.search(r"GET %s 404" % re.escape(mark), srv.stderr_text()):
            return
        time.sleep(0.05)
    raise AssertionError("no log line 'GET %s 404' on stderr" % mark)


ODD_TARGETS = [
    "/?replytocom=99999999999999999999999", "/%", "/%%", "/%zz/", "/%2",
    "/category/%ff%fe/", "/author/%00/", "/author/%C0%AE%C0%AE/",
    "/api/v1/posts?page=%00", "/api/v1/posts?page=1&page=2",
    "/api/v1/posts/9223372036854775807/comments",
    "/api/v1/posts/9223372036854775808", "/api/v1/posts/-1",
    "/page/100000/", "/page/100001/", "/page/00002/",
    "/theme/style.css?v=../../", "/a/b/c/d/e/f/g/h/", "/a/b/c/d/e/f/g/h/i/",
    "/%C3%BCn%C3%AF/", "/media/%C0%AE%C0%AE/parley.db", "/./", "/../",
    "/2026/10/20/stop-calling-it-a-housing-crisis/?replytocom=-1",
    "/2026/10/20/stop-calling-it-a-housing-crisis/?replytocom=1e9",
    "/2026/02/30/x/", "/9999/12/31/x/", "/2026/10/20/" + "s" * 1500 + "/",
    "/?%00=%00", "/?=", "/?&&&", "/comments?x=1",
]


def test_odd_targets_never_5xx(srv):
    bad = []
    for t in ODD_TARGETS:
        for m in ("GET", "HEAD"):
            data = raw(srv.port, ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "Connection: close\r\n\r\n" % (m, t))
                       .encode(), timeout=5)
            st = raw_status(data)
            if st is None or st >= 500:
                bad.append("%s %s -> %r" % (m, t[:60], data[:40]))
            check(srv.alive(), "server died on %s %s" % (m, t[:80]))
    check(not bad, "; ".join(bad))
    still_serving(srv, "odd targets")


def test_many_query_parameters_get_an_answer(srv):
    """A target well under LIM_URI_BYTES but with many parameters must be
    answered (200, or 414/431 if it is too much), not left hanging."""
    for n in (100, 250, 500):
        target = "/?" + "&".join("a=b" for _ in range(n))
        check(len(target) < LIM_URI_BYTES, "test target too long")
        data = raw(srv.port, ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Connection: close\r\n\r\n" % target)
                   .encode(), timeout=5)
        st = raw_status(data)
        check(st is not None and st < 500,
              "GET with %d query parameters (%d bytes): no answer within "
              "5s (%r)" % (n, len(target), data[:60]))
    still_serving(srv, "many parameters")


def test_many_cookies_get_an_answer(srv):
    """A Cookie header of ~1.5 KB made of many small cookies (other apps
    on the same host set them) must still be answered: 200, or 431."""
    for n in (100, 200, 400):
        cookie = "; ".join("c%d=v" % i for i in range(n))
        data = raw(srv.port, ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Cookie: %s\r\nConnection: close\r\n\r\n" %
                              cookie).encode(), timeout=5)
        st = raw_status(data)
        check(st is not None and st < 500,
              "GET with %d cookies (%d bytes): no answer (%r)" % (
                  n, len(cookie), data[:60]))
    still_serving(srv, "many cookies")


def test_request_log_cannot_be_forged(srv):
    """The path is logged decoded; %0d%0a in it must not start a new log
    line (one request, one line, as the spec says)."""
    mark = "FORGED%d" % os.getpid()
    srv.get("/x%%0d%%0a%s%%20info%%20fake%%0aALSO%s" % (mark, mark))
    srv.get("/after-forgery/")
    deadline = time.time() + 3
    while time.time() < deadline and "after-forgery" not in \
            srv.stderr_text():
        time.sleep(0.05)
    lines = srv.stderr_text().splitlines()
    check(any(mark in l for l in lines), "request not logged at all")
    bad = [l for l in lines if l.startswith(mark) or
           l.startswith("ALSO" + mark) or l.endswith("\r")]
    check(not bad, "a request path started its own log line(s): %r" % bad)
