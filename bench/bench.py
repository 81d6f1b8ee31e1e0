#!/usr/bin/python3
"""bench.py: Parley against nginx serving the same bytes, on this machine.

  python3 bench/bench.py [--binary build/parley] [--rounds 3] [--duration 5]
                         [--out bench/RESULTS.md] [--quick] [--scale]

Builds a benchmark site (`parley init --demo`: the 35-comment thread, then
`parley bench-data` for 1,000 more articles with comments), starts
`parley serve` twice (page cache on, and --cache-mb 0 for the uncached
row) and nginx (Debian's package, worker_processes = cores, sendfile,
keep-alive, as a non-daemon child with its own config in a temp dir)
serving the very bytes Parley answered for each page, saved as static
files. wrk (127.0.0.1 only, bounded duration) measures each page against
Parley and nginx in turn, A B A B, for several rounds; the table has
requests/s (median of rounds), p50, p99, bytes per response and the
Parley/nginx ratio for the same page in the same run. POST /comments runs
at 32 concurrent posters (each answer comes after a durable commit) while
a reader fetches the same article, whose p99 is reported.

Pages that answer 404 on this build (the comment feed and search before
they exist) are listed as skipped. A benchmark, not a test: it never fails
because the machine is slow; it exits non-zero only if it could not run.
--quick is the smoke run of `make check`: tiny site, 1-second rounds, no
package installs, results to a temp file. --scale adds the scale run
(1,000,000 comments over 50,000 articles; start time, memory, 10,000 idle
keep-alive connections). Every process started here is stopped by its PID.
"""

import argparse
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILDREN = []


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def have(tool):
    return shutil.which(tool) is not None


def ensure_tools(install):
    missing = [t for t in ("wrk", "nginx") if not have(t)]
    if missing and install and os.geteuid() == 0:
        pkgs = {"wrk": "wrk", "nginx": "nginx-light"}
        log("installing " + " ".join(pkgs[t] for t in missing))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq",
                        "--no-install-recommends"] +
                       [pkgs[t] for t in missing], env=env, check=False)
        missing = [t for t in ("wrk", "nginx") if not have(t)]
    return missing


def stop(proc, sig=signal.SIGTERM):
    if proc and proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stop_all():
    for p in reversed(CHILDREN):
        stop(p)


def get(port, path, headers=None, method="GET", body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    out = (r.status, dict((k.lower(), v) for k, v in r.getheaders()), data)
    c.close()
    return out


def wait_up(port, proc, what, timeout=30):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit("bench: %s exited at start (%s)" % (
                what, proc.returncode))
        try:
            get(port, "/theme/style.css" if what == "parley" else "/")
            return time.time() - t0
        except OSError:
            time.sleep(0.02)
    raise SystemExit("bench: %s did not answer in %ds" % (what, timeout))


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit("bench: %s failed: %s" % (" ".join(cmd),
                                                   r.stderr[-800:]))
    return r.stdout


def set_conf(path, section, key, value):
    with open(path) as f:
        text = f.read()
    pat = re.compile(r"(?m)^%s\s*=.*$" % re.escape(key))
    line = "%s = %s" % (key, value)
    if pat.search(text):
        text = pat.sub(line, text)
    else:
        text = text.replace("[%s]" % section, "[%s]\n%s" % (section, line))
    with open(path, "w") as f:
        f.write(text)


def make_site(binary, tmp, articles, comments, port):
    site = os.path.join(tmp, "site")
    run([binary, "init", site, "--demo", "--base-url",
         "http://127.0.0.1:%d" % port])
    t0 = time.time()
    run([binary, "bench-data", site, "--articles", str(articles),
         "--comments", str(comments)])
    log("site: %d articles, %d comments generated in %.1fs" % (
        articles, comments, time.time() - t0))
    conf = os.path.join(site, "parley.conf")
    # Posting bench: every comment is accepted at once (no first-time
    # hold, no fill-time or rate limits), so each is a durable write
    # that changes the article readers are reading.
    set_conf(conf, "comments", "min_fill_seconds", "0")
    set_conf(conf, "comments", "rate_per_minute", "100000")
    set_conf(conf, "comments", "first_time_approval", "false")
    set_conf(conf, "comments", "max_links", "50")
    return site


def start_parley(binary, site, port, tmp, name, cache_mb=None):
    args = [binary, "serve", site, "--listen", "127.0.0.1:%d" % port]
    if cache_mb is not None:
        args += ["--cache-mb", str(cache_mb)]
    errf = open(os.path.join(tmp, "%s.log" % name), "wb")
    t0 = time.time()
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=errf,
                         stderr=errf)
    errf.close()
    CHILDREN.append(p)
    wait_up(port, p, "parley")
    return p, time.time() - t0


def start_nginx(tmp, port, cores):
    root = os.path.join(tmp, "nginx")
    www = os.path.join(root, "www")
    os.makedirs(os.path.join(root, "logs"), exist_ok=True)
    os.makedirs(www, exist_ok=True)
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""
worker_processes %d;
daemon off;
pid %s/nginx.pid;
error_log %s/logs/error.log;
events { worker_connections 4096; }
http {
    access_log %s/logs/access.log;
    client_body_temp_path %s/tmp-body;
    proxy_temp_path %s/tmp-proxy;
    fastcgi_temp_path %s/tmp-fcgi;
    uwsgi_temp_path %s/tmp-uwsgi;
    scgi_temp_path %s/tmp-scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    default_type text/html;
    server {
        listen 127.0.0.1:%d;
        root %s;
        etag on;
    }
}
""" % ((cores, root) + (root,) * 7 + (port, www)))
    # Workers may run as nobody: let them read the files.
    for d in (tmp, root, www):
        os.chmod(d, 0o755)
    errf = open(os.path.join(root, "logs", "stderr.log"), "wb")
    p = subprocess.Popen(["nginx", "-p", root, "-c", conf],
                         stdin=subprocess.DEVNULL, stdout=errf, stderr=errf)
    errf.close()
    CHILDREN.append(p)
    return p, www


WRK_LAT = re.compile(r"^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s)\s*$", re.M)
WRK_RPS = re.compile(r"^Requests/sec:\s+([0-9.]+)", re.M)
WRK_ERR = re.compile(r"Non-2xx or 3xx responses: (\d+)")
WRK_SOCK = re.compile(r"Socket errors: (.*)")


def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(port, path, duration, conns, threads=2, script=None, headers=()):
    cmd = ["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % duration,
           "--latency", "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    cmd.append("http://127.0.0.1:%d%s" % (port, path))
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    lat = {m.group(1): ms(m.group(2), m.group(3))
           for m in WRK_LAT.finditer(out)}
    rps = WRK_RPS.search(out)
    err = WRK_ERR.search(out)
    sock = WRK_SOCK.search(out)
    return {"rps": float(rps.group(1)) if rps else 0.0,
            "p50": lat.get("50"), "p99": lat.get("99"),
            "non2xx": int(err.group(1)) if err else 0,
            "sockerr": sock.group(1).strip() if sock else "",
            "raw": out}


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_ms(v):
    if v is None:
        return "–"
    return "%.2f ms" % v if v < 10 else "%.1f ms" % v


def post_script(tmp, post_id, ts_cookie):
    """wrk Lua: POST a new comment per request, each one different."""
    path = os.path.join(tmp, "post.lua")
    with open(path, "w") as f:
        f.write("""
local n = 0
local id = 0
setup = function(thread) id = id + 1; thread:set("tid", id) end
init = function(args) n = 0 end
request = function()
  n = n + 1
  local body = "post_id=%d&parent_id=0&ts=&hp_url=" ..
    "&author=Bench+Poster+" .. tid ..
    "&email=poster" .. tid .. "%%40example.org&url=" ..
    "&comment=Comment+number+" .. n .. "+from+thread+" .. tid ..
    "+%%E2%%80%%94+a+durable+one."
  return wrk.format("POST", "/comments", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "parley_ts=%s"}, body)
end
""" % (post_id, ts_cookie))
    return path


def machine_facts(binary):
    facts = {}
    facts["cores"] = os.cpu_count()
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    facts["cpu"] = model or platform.processor()
    facts["kernel"] = platform.release()

    def ver(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True)
            return (r.stdout + r.stderr).strip().split("\n")[0]
        except OSError:
            return "not installed"
    facts["nginx"] = ver(["nginx", "-v"])
    facts["wrk"] = ver(["wrk", "-v"])
    facts["sqlite"] = ver(["sqlite3", "--version"]).split(" ")[0]
    facts["mhd"] = ver(["dpkg-query", "-W", "-f=${Version}",
                        "libmicrohttpd12"])
    facts["cc"] = ver(["cc", "--version"])
    facts["parley"] = ver(["git", "-C", ROOT, "describe", "--always",
                           "--dirty"])
    return facts


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# ---------------------------------------------------------------- pages

def probe_optional(port, article, front_body):
    """Paths of the comment feed and of a search, or None when this build
    has none (404, or a page that is just the front page again)."""
    feed = None
    for cand in (article + "feed/", article + "feed"):
        st, _, body = get(port, cand)
        if st == 200 and body != front_body:
            feed = cand
            break
    search = None
    for cand in ("/search/?q=train", "/search?q=train", "/?s=train"):
        st, _, body = get(port, cand)
        if st == 200 and body != front_body:
            search = cand
            break
    return feed, search


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/parley"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--conns", type=int, default=32)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--comments", type=int, default=3000)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/RESULTS.md"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scale", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--no-posting", action="store_true",
                    help="skip the POST /comments rows (quicker reruns)")
    a = ap.parse_args()
    if a.quick:
        a.rounds, a.duration, a.articles, a.comments = 1, 1, 20, 40
        if a.out == os.path.join(ROOT, "bench/RESULTS.md"):
            a.out = os.path.join(tempfile.gettempdir(),
                                 "parley-bench-quick.md")
    binary = os.path.abspath(a.binary)
    missing = ensure_tools(install=not a.quick)
    if "wrk" in missing:
        raise SystemExit("bench: wrk is not installed (apt-get install wrk)")
    nginx_ok = "nginx" not in missing
    if not nginx_ok:
        log("nginx is not installed: the nginx column stays empty")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    tmp = tempfile.mkdtemp(prefix="parley-bench-")
    cores = os.cpu_count() or 1
    try:
        pA, pB, pN = free_port(), free_port(), free_port()
        site = make_site(binary, tmp, a.articles, a.comments, pA)
        parley, start_s = start_parley(binary, site, pA, tmp, "cached")
        nocache, _ = start_parley(binary, site, pB, tmp, "uncached",
                                  cache_mb=0)
        # The busy thread: the article with the most comments.
        posts = []
        page = 1
        while True:
            st, _, body = get(pA, "/api/v1/posts?page=%d" % page)
            d = json.loads(body)
            posts += d["posts"]
            if page >= d["pages"] or page >= 3:
                break
            page += 1
        busy = max(posts, key=lambda p: p["comment_count"])
        article = urllib.parse.urlsplit(busy["url"]).path
        log("busy thread: %s (%d comments)" % (article,
                                               busy["comment_count"]))
        _, _, front_body = get(pA, "/")
        feed, search = probe_optional(pA, article, front_body)
        rows = [("Article, cached", pA, article, "article.html"),
                ("Article, cache off", pB, article, "article.html"),
                ("Front page", pA, "/", "front.html"),
                ("Comment feed", pA, feed, "feed.xml"),
                ("Search", pA, search, "search.html")]
        ngx = None
        www = None
        if nginx_ok:
            ngx, www = start_nginx(tmp, pN, cores)
        for name, port, path, fname in rows:
            if path is None or www is None:
                continue
            st, hdr, body = get(port, path)
            with open(os.path.join(www, fname), "wb") as f:
                f.write(body)
        if ngx is not None:
            wait_up(pN, ngx, "nginx")
        results = []
        for name, port, path, fname in rows:
            if path is None:
                results.append((name, None, None, None, "skipped: this "
                                "build answers 404 (not implemented yet)"))
                continue
            st, hdr, body = get(port, path)
            size = len(body)
            pr, nr = [], []
            for r in range(a.rounds):
                pr.append(wrk(port, path, a.duration, a.conns))
                if ngx is not None:
                    nr.append(wrk(pN, "/" + fname, a.duration, a.conns))
            results.append((name, pr, nr, size, ""))
            log("%s: parley %.0f req/s, nginx %s" % (
                name, med([x["rps"] for x in pr]),
                "%.0f req/s" % med([x["rps"] for x in nr]) if nr else "–"))
        # Posting: 32 posters on the busy article, 4 readers measuring.
        posting = []
        for approve in (() if a.no_posting else (False, True)):
            posting.append(post_bench(binary, site, tmp, a, busy, article,
                                      approve))
        small = {"cached": med([x["rps"] for x in results[0][1]]),
                 "uncached": med([x["rps"] for x in results[1][1]])}
        scale = run_scale(binary, tmp, a, small) if a.scale else None
        metrics = get(pA, "/metrics")[2].decode()
        facts = machine_facts(binary)
        text = report(a, facts, results, posting, busy, article, start_s,
                      scale, metrics)
        with open(a.out, "w") as f:
            f.write(text)
        print(text)
        log("wrote " + a.out)
    finally:
        stop_all()
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def post_bench(binary, site, tmp, a, busy, article, approve):
    """POST /comments from 32 connections for each round while 4 readers
    fetch the same article. approve False: the site's default, a new
    commenter's comment waits for moderation (the shared page does not
    change); True: every comment is published at once, so every one
    changes the page the readers read."""
    conf = os.path.join(site, "parley.conf")
    set_conf(conf, "comments", "first_time_approval",
             "false" if approve else "true")
    port = free_port()
    p, _ = start_parley(binary, site, port, tmp,
                        "post-%s" % ("approved" if approve else "held"))
    st, hdr, body = get(port, article)
    m = re.search(r"parley_ts=([^;]+)", hdr.get("set-cookie", ""))
    script = post_script(tmp, busy["id"], m.group(1) if m else "")
    before = json.loads(get(port, "/api/v1/posts/%d" % busy["id"])[2])
    posts, reads = [], []
    for r in range(a.rounds):
        reader = subprocess.Popen(
            ["wrk", "-t1", "-c4", "-d%ds" % a.duration, "--latency",
             "http://127.0.0.1:%d%s" % (port, article)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        CHILDREN.append(reader)
        posts.append(wrk(port, "/comments", a.duration, 32, script=script))
        out = reader.communicate()[0]
        lat = {mm.group(1): ms(mm.group(2), mm.group(3))
               for mm in WRK_LAT.finditer(out)}
        rps = WRK_RPS.search(out)
        reads.append({"rps": float(rps.group(1)) if rps else 0,
                      "p50": lat.get("50"), "p99": lat.get("99")})
    after = json.loads(get(port, "/api/v1/posts/%d" % busy["id"])[2])
    stop(p)
    return {"approve": approve, "posts": posts, "reads": reads,
            "shown": after["comment_count"] - before["comment_count"],
            "acked": sum(int(x["rps"] * a.duration + 0.5) for x in posts),
            "thread": after["comment_count"]}


def metric_value(text, name):
    m = re.search(r"(?m)^%s (\d+)" % re.escape(name), text)
    return int(m.group(1)) if m else 0


def report(a, facts, results, posting, busy, article, start_s, scale,
           metrics):
    L = []
    L.append("# Parley benchmark results\n")
    L.append("Made by `make bench` (`python3 bench/bench.py%s`) on %s.\n" % (
        " --quick" if a.quick else "", time.strftime("%Y-%m-%d %H:%M UTC",
                                                     time.gmtime())))
    L.append("| machine | |\n|---|---|")
    L.append("| cores | %s (%s) |" % (facts["cores"], facts["cpu"]))
    L.append("| kernel | %s |" % facts["kernel"])
    L.append("| parley | %s, libmicrohttpd %s, SQLite %s, %s |" % (
        facts["parley"], facts["mhd"], facts["sqlite"], facts["cc"]))
    L.append("| nginx | %s |" % facts["nginx"])
    L.append("| wrk | %s |" % facts["wrk"])
    L.append("| method | %d rounds of %d s per server, alternating Parley "
             "and nginx (A B A B); wrk -t2 -c%d --latency; medians of the "
             "rounds; nginx: worker_processes %s, sendfile on, keep-alive, "
             "access log on (Parley logs every request too) |\n" % (
                 a.rounds, a.duration, a.conns, facts["cores"]))
    L.append("Site: `parley init --demo` plus `parley bench-data --articles "
             "%d --comments %d`; the article is `%s`, %d comments nested "
             "five deep (the demo's busy thread).\n" % (
                 a.articles, a.comments, article, busy["comment_count"]))
    L.append("| page | bytes | Parley req/s | nginx req/s | **ratio** | "
             "Parley p50 | nginx p50 | Parley p99 | nginx p99 | p99 ratio |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, pr, nr, size, note in results:
        if pr is None:
            L.append("| %s | | | | | | | | | %s |" % (name, note))
            continue
        prps, nrps = med([x["rps"] for x in pr]), med([x["rps"] for x in nr])
        pp50, np50 = med([x["p50"] for x in pr]), med([x["p50"] for x in nr])
        pp99, np99 = med([x["p99"] for x in pr]), med([x["p99"] for x in nr])
        ratio = "%.2f×" % (prps / nrps) if nrps else "–"
        pratio = "%.2f×" % (pp99 / np99) if pp99 and np99 else "–"
        bad = sum(x["non2xx"] for x in pr)
        L.append("| %s | %d | %.0f | %s | **%s** | %s | %s | %s | %s | %s |%s"
                 % (name, size, prps, "%.0f" % nrps if nrps else "–", ratio,
                    fmt_ms(pp50), fmt_ms(np50), fmt_ms(pp99), fmt_ms(np99),
                    pratio, " %d non-2xx!" % bad if bad else ""))
    for pb in posting:
        what = ("published at once" if pb["approve"] else
                "held for moderation")
        L.append("| POST /comments, 32 posters, %s | 303 | %.0f comments/s "
                 "| n/a | | %s | | %s | | |" % (
                     what, med([x["rps"] for x in pb["posts"]]),
                     fmt_ms(med([x["p50"] for x in pb["posts"]])),
                     fmt_ms(med([x["p99"] for x in pb["posts"]]))))
        L.append("| … the same article read meanwhile (4 readers) | | %.0f "
                 "| | | %s | | %s | | |" % (
                     med([x["rps"] for x in pb["reads"]]),
                     fmt_ms(med([x["p50"] for x in pb["reads"]])),
                     fmt_ms(med([x["p99"] for x in pb["reads"]]))))
    L.append("")
    for pb in posting:
        L.append("Posting, %s: ≈ %d comments acknowledged (303), each "
                 "after its transaction committed with SQLite "
                 "`synchronous=FULL` (WAL); %d of them are shown on the "
                 "article; the thread ended with %d approved comments.\n" % (
                     "published at once" if pb["approve"] else
                     "held for moderation", pb["acked"], pb["shown"],
                     pb["thread"]))
    L.append("Cache counters at the end: hits %d, misses %d, inserts %d, "
             "invalidations %d, stale renders not stored %d.\n" % (
                 metric_value(metrics, "parley_cache_hits_total"),
                 metric_value(metrics, "parley_cache_misses_total"),
                 metric_value(metrics, "parley_cache_inserts_total"),
                 metric_value(metrics, "parley_cache_invalidations_total"),
                 metric_value(metrics, "parley_cache_stale_puts_total")))
    L.append("`parley serve` answered %.2f s after it was started.\n" %
             start_s)
    if scale:
        L.append(scale)
    # The hand-written reading of the figures (targets, where the time
    # goes, with a profile) follows the measured part.
    notes = os.path.join(ROOT, "bench", "ANALYSIS.md")
    if not a.quick and os.path.exists(notes):
        with open(notes) as f:
            L.append(f.read())
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------- scale

def idle_conns(port, n, path):
    """Open n keep-alive connections, one request each, then leave them
    idle. Returns the sockets (the caller closes them)."""
    socks = []
    req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode()
    for i in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError as e:
            log("idle connection %d: %s" % (i, e))
            break
        s.sendall(req)
        socks.append(s)
    ok = 0
    for s in socks:
        try:
            data = s.recv(65536)
            if data.startswith(b"HTTP/1.1 200"):
                ok += 1
        except OSError:
            pass
    return socks, ok


def run_scale(binary, tmp, a, small):
    site = os.path.join(tmp, "scale")
    port = free_port()
    run([binary, "init", site, "--demo", "--base-url",
         "http://127.0.0.1:%d" % port])
    t0 = time.time()
    run([binary, "bench-data", site, "--articles", "50000", "--comments",
         "1000000"])
    gen = time.time() - t0
    log("scale site generated in %.0fs" % gen)
    p, start_s = start_parley(binary, site, port, tmp, "scale")
    nc_port = free_port()
    nc, _ = start_parley(binary, site, nc_port, tmp, "scale-nocache",
                         cache_mb=0)
    st, _, body = get(port, "/api/v1/posts?page=1")
    posts = json.loads(body)["posts"]
    busy = max(posts, key=lambda q: q["comment_count"])
    article = urllib.parse.urlsplit(busy["url"]).path
    cached = [wrk(port, article, a.duration, a.conns)
              for _ in range(a.rounds)]
    unc = [wrk(nc_port, article, a.duration, a.conns)
           for _ in range(a.rounds)]
    front = [wrk(port, "/page/2000/", a.duration, a.conns)
             for _ in range(1)]
    rss = rss_kb(p.pid)
    # 10,000 idle keep-alive connections while wrk reads the article.
    socks, ok = idle_conns(port, 10000, article)
    rss_idle = rss_kb(p.pid)
    during = wrk(port, article, a.duration, a.conns)
    for s in socks:
        s.close()
    stop(p)
    stop(nc)
    crps = med([x["rps"] for x in cached])
    urps = med([x["rps"] for x in unc])
    L = ["## Scale: 1,000,000 comments over 50,000 articles\n",
         "Generated with `parley bench-data --articles 50000 --comments "
         "1000000` (on top of the demo) in %.0f s; the same 35-comment "
         "article measured as above (wrk -c%d, %d × %d s).\n" % (
             gen, a.conns, a.rounds, a.duration),
         "| measure | value | small site | target |",
         "|---|---:|---:|---|",
         "| `parley serve` start (to first answer) | %.2f s | | < 1 s |" %
         start_s,
         "| article, cached: req/s (p99) | %.0f (%s) | %.0f | does not "
         "move: %.2f× |" % (crps, fmt_ms(med([x["p99"] for x in cached])),
                           small["cached"], crps / small["cached"]),
         "| article, cache off: req/s (p99) | %.0f (%s) | %.0f | within "
         "2×: %.2f× |" % (urps, fmt_ms(med([x["p99"] for x in unc])),
                         small["uncached"], small["uncached"] / urps),
         "| /page/2000/ (an old listing) req/s | %.0f | | |" % (
             front[0]["rps"]),
         "| resident memory after the runs | %.1f MB | | < 256 MB |" % (
             (rss or 0) / 1024.0),
         "| 10,000 idle keep-alive connections | %d answered and held "
         "open | | held |" % ok,
         "| resident memory with them open | %.1f MB | | |" % (
             (rss_idle or 0) / 1024.0),
         "| article read meanwhile: req/s, p99, socket errors | %.0f, %s, "
         "%s | | others still served |" % (
             during["rps"], fmt_ms(during["p99"]),
             during["sockerr"] or "none"),
         ""]
    return "\n".join(L)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *x: (stop_all(), sys.exit(1)))
    try:
        main()
    except KeyboardInterrupt:
        stop_all()
        sys.exit(1)
