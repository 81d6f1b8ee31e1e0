"""Process lifecycle: SIGTERM/SIGINT stop the server with exit status 0
(also with an idle keep-alive connection and with a request in flight),
and a comment acknowledged with 303 survives kill -9."""

import http.client
import signal
import socket
import time
import urllib.parse

from harness import (TIMEOUT, check, comment_node, new_comment_id,
                     post_comment, raw_status)

SERVER = False  # each case starts its own servers (env.server)
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000}}


def open_path(srv):
    d = srv.get("/api/v1/posts").json()
    p = [p for p in d["posts"] if p["comments_open"]][0]
    return urllib.parse.urlsplit(p["url"]).path


def stop_clean(srv, sig=signal.SIGTERM):
    problems = srv.stop(sig)
    check(not problems, "; ".join(problems))


def test_sigterm_exits_zero(env):
    srv = env.server(conf=CONF, name="term")
    for p in ("/", "/page/2/", "/api/v1/posts"):
        check(srv.get(p).status == 200, "GET %s" % p)
    t0 = time.time()
    stop_clean(srv)
    check(time.time() - t0 < 10, "SIGTERM took %.1fs" % (time.time() - t0))
    check("stopped" in srv.stderr_text(), "no 'stopped' log line")


def test_sigint_exits_zero(env):
    srv = env.server(conf=CONF, name="int")
    check(srv.get("/").status == 200, "GET /")
    stop_clean(srv, signal.SIGINT)


def test_sigterm_with_idle_keepalive_connection(env):
    srv = env.server(conf=CONF, name="idle")
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT)
    try:
        c.request("GET", "/")
        c.getresponse().read()
        stop_clean(srv)  # must not wait for the idle connection
    finally:
        c.close()


def test_inflight_request_finishes_after_sigterm(env):
    srv = env.server(conf=CONF, name="inflight")
    body = b"post_id=999999&author=Slow+Sender&email=s%40example.org" \
        b"&comment=in+flight"
    head = ("POST /comments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % len(body)).encode()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT)
    try:
        s.sendall(head + body[:10])
        time.sleep(0.3)
        srv.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        s.sendall(body[10:])
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError as e:
        data = b"(%s)" % str(e).encode()
    finally:
        s.close()
    check(raw_status(data) == 404, "request in flight at SIGTERM got %r, "
          "want its answer (404: no such article)" % data[:100])
    try:
        rc = srv.proc.wait(10)
    except Exception:
        rc = None
    check(rc == 0, "exit status %r after SIGTERM" % rc)
    rep = srv.sanitizer_report()
    check(rep is None, "sanitizer report: %s" % rep)


def test_comment_survives_kill_9(env):
    srv = env.server(conf=CONF, name="durable")
    path = open_path(srv)
    c = srv.client()
    r, _ = post_comment(c, path, author="Durable Dora",
                        email="dora@example.org",
                        text="Written just before the crash.")
    check(r.status == 303, "comment: %d" % r.status)
    cid = new_comment_id(r)
    srv.kill9()
    check(not srv.alive(), "server still alive after SIGKILL")
    rows = srv.comment_list("pending")
    check(any(row["id"] == cid for row in rows),
          "comment #%d lost after kill -9 (pending: %s)" % (
              cid, [row["id"] for row in rows]))
    srv.start()
    root = c.get(path).html()
    art = comment_node(root, cid)
    check(art is not None and "Written just before the crash." in
          art.norm_text(), "comment not shown to its writer after restart")
    srv.cli("comment", "approve", srv.site, str(cid))
    check(comment_node(srv.client().get(path).html(), cid) is not None,
          "approved comment not shown after restart")
    stop_clean(srv)


def test_second_server_on_same_port_fails(env):
    srv = env.server(conf=CONF, name="busy")
    r = srv.run_cli("serve", srv.site, "--listen",
                    "127.0.0.1:%d" % srv.port, timeout=20)
    check(r.returncode != 0, "second server on a busy port exited 0")
    check("listen" in r.stderr, "no clear message: %r" % r.stderr[-300:])
    check(srv.get("/").status == 200, "first server hurt")


def test_serve_without_site_fails(env):
    srv = env.server(conf=CONF, name="nosite", start=False)
    srv.init_site()
    r = srv.run_cli("serve", srv.site + "-missing", "--listen",
                    "127.0.0.1:%d" % srv.port, timeout=20)
    check(r.returncode != 0, "serve of a missing site exited 0")
    check(r.stderr.strip(), "no error message")
