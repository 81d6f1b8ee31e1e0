"""harness.py: real `parley serve` processes for the HTTP end-to-end tests.

A Server is one site directory plus one server process on 127.0.0.1:
  init (optionally --demo) into a fresh temp dir, edit parley.conf, pick a
  free port, spawn `BINARY serve DIR --listen 127.0.0.1:PORT`, wait until
  it answers. stop() sends SIGTERM and returns the problems found (exit
  status not 0 within 10 s, a sanitizer report on stderr).

Helpers: request() / Client (cookie jar, form poster), raw() for bytes
that http.client refuses to send, parse_html() (a small tree built with
html.parser) and the comment-form helpers.

Only PIDs this module started are ever signalled. Python 3 stdlib only.
"""

import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
TIMEOUT = 10.0  # seconds for any one socket operation

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:",
                   "LeakSanitizer", "ERROR: ThreadSanitizer",
                   "ERROR: UndefinedBehaviorSanitizer")

# Limits copied from src/base/limits.h (tests check the server keeps them).
LIM_HEADER_BYTES = 16 * 1024
LIM_URI_BYTES = 2048
LIM_BODY_BYTES = 64 * 1024
LIM_COMMENT_BYTES = 16 * 1024


def read_limits():
    """The numbers in src/base/limits.h, so a changed limit is followed."""
    out = {}
    try:
        with open(os.path.join(ROOT, "src/base/limits.h")) as f:
            text = f.read()
    except OSError:
        return out
    for m in re.finditer(r"#define\s+(LIM_\w+)\s+\(?([0-9 *]+)\)?", text):
        val = 1
        for part in m.group(2).split("*"):
            if part.strip().isdigit():
                val *= int(part)
        out[m.group(1)] = val
    return out


_lim = read_limits()
LIM_HEADER_BYTES = _lim.get("LIM_HEADER_BYTES", LIM_HEADER_BYTES)
LIM_URI_BYTES = _lim.get("LIM_URI_BYTES", LIM_URI_BYTES)
LIM_BODY_BYTES = _lim.get("LIM_BODY_BYTES", LIM_BODY_BYTES)
LIM_COMMENT_BYTES = _lim.get("LIM_COMMENT_BYTES", LIM_COMMENT_BYTES)


class TestFailure(AssertionError):
    pass


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def sanitizer_report(text):
    """The sanitizer report in text (with some context) or None."""
    for mark in SANITIZER_MARKS:
        i = text.find(mark)
        if i >= 0:
            start = text.rfind("\n", 0, max(0, i - 200)) + 1
            return text[start:start + 3000]
    return None


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def child_env():
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def set_conf(path, settings):
    """settings: {"comments": {"min_fill_seconds": 0}, ...}. Replaces the
    key in its [section] or adds it at the end of that section."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for section, kv in settings.items():
        for key, val in kv.items():
            if isinstance(val, bool):
                val = "true" if val else "false"
            newline = "%s = %s" % (key, val)
            cur, start, end, done = None, None, None, False
            for i, line in enumerate(lines):
                s = line.strip()
                if s.startswith("[") and s.endswith("]"):
                    if cur == section:
                        end = i
                    cur = s[1:-1].strip()
                    if cur == section:
                        start = i
                    continue
                if cur == section and "=" in s and not s.startswith(";") \
                        and s.split("=", 1)[0].strip() == key:
                    lines[i] = newline
                    done = True
                    break
            if done:
                continue
            if start is None:
                lines += ["", "[%s]" % section, newline]
            else:
                if end is None:
                    end = len(lines)
                    while end > start + 1 and lines[end - 1].strip() == "":
                        end -= 1
                lines.insert(end, newline)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


# ---------------------------------------------------------------- server

_LIVE = []  # every Server made here, so an interrupted run kills its own


@atexit.register
def _kill_leftovers():
    for s in _LIVE:
        try:
            s.kill9()
        except Exception:
            pass


class Server:
    def __init__(self, binary, demo=True, conf=None, name="site"):
        self.binary = os.path.abspath(binary)
        self.demo = demo
        self.conf = conf or {}
        self.name = name
        self.tmp = None
        self.site = None
        self.port = None
        self.proc = None
        self.errpath = None
        self.errlogs = []      # stderr files of every process we spawned
        self.cli_reports = []  # sanitizer reports from CLI runs
        self.generation = 0
        _LIVE.append(self)

    # -- lifecycle
    def init_site(self):
        self.tmp = tempfile.mkdtemp(prefix="parley-http-%s-" % self.name)
        self.site = os.path.join(self.tmp, "site")
        self.port = free_port()
        args = ["init", self.site]
        if self.demo:
            args.append("--demo")
        args += ["--base-url", self.base_url()]
        r = self.run_cli(*args)
        if r.returncode != 0:
            raise TestFailure("parley init failed (%d): %s" % (
                r.returncode, (r.stderr + r.stdout)[-2000:]))
        settings = {"site": {"base_url": self.base_url()}}
        for sec, kv in self.conf.items():
            settings.setdefault(sec, {}).update(kv)
        set_conf(self.conf_path(), settings)

    def conf_path(self):
        return os.path.join(self.site, "parley.conf")

    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, ready_timeout=30.0):
        """Init the site if needed, spawn, wait until it answers."""
        if self.site is None:
            self.init_site()
        for attempt in range(3):
            if self._spawn_and_wait(ready_timeout):
                return self
            # Port taken between free_port() and bind: take another one.
            self.port = free_port()
            set_conf(self.conf_path(), {"site": {"base_url":
                                                 self.base_url()}})
        raise TestFailure("server did not start: " + self.stderr_tail())

    def _spawn_and_wait(self, ready_timeout):
        self.generation += 1
        self.errpath = os.path.join(self.tmp, "serve-%d.stderr" %
                                    self.generation)
        self.errlogs.append(self.errpath)
        errf = open(self.errpath, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", self.site, "--listen",
             "127.0.0.1:%d" % self.port],
            stdin=subprocess.DEVNULL, stdout=errf, stderr=errf,
            env=child_env(), cwd=self.tmp)
        errf.close()
        deadline = time.time() + ready_timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                if "cannot listen" in self.stderr_text():
                    return False
                raise TestFailure("server exited with %s at start: %s" % (
                    self.proc.returncode, self.stderr_tail()))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port,
                                               timeout=2)
                c.request("GET", "/theme/style.css")
                c.getresponse().read()
                c.close()
                return True
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
        self.kill9()
        raise TestFailure("server did not answer within %.0fs: %s" % (
            ready_timeout, self.stderr_tail()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def pid(self):
        return self.proc.pid if self.proc else None

    def send_signal(self, sig):
        if self.alive():
            os.kill(self.proc.pid, sig)

    def kill9(self):
        """SIGKILL the server process we started and reap it."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        """Stop with sig; return a list of problems (empty = clean)."""
        problems = []
        if self.proc is None:
            return problems
        if self.proc.poll() is not None:
            problems.append("server was not running at stop (exit %s)" %
                            self.proc.returncode)
        else:
            os.kill(self.proc.pid, sig)
            try:
                rc = self.proc.wait(timeout)
                if rc != 0:
                    problems.append("exit status %s after %s, want 0" % (
                        rc, signal.Signals(sig).name))
            except subprocess.TimeoutExpired:
                problems.append("still running %.0fs after %s" % (
                    timeout, signal.Signals(sig).name))
                self.kill9()
        rep = self.sanitizer_report()
        if rep:
            problems.append("sanitizer report on stderr:\n" + rep)
        return problems

    def cleanup(self):
        self.kill9()
        if self.tmp and os.path.isdir(self.tmp) and \
                not os.environ.get("PARLEY_TEST_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- stderr
    def stderr_text(self, all_generations=False):
        paths = self.errlogs if all_generations else \
            ([self.errpath] if self.errpath else [])
        out = []
        for p in paths:
            try:
                with open(p, "rb") as f:
                    out.append(f.read().decode("utf-8", "replace"))
            except OSError:
                pass
        return "\n".join(out)

    def stderr_tail(self, n=1500):
        t = self.stderr_text()
        return ("..." + t[-n:]) if len(t) > n else t

    def sanitizer_report(self):
        rep = sanitizer_report(self.stderr_text(all_generations=True))
        if rep is None and self.cli_reports:
            rep = self.cli_reports[0]
        return rep

    # -- CLI
    def run_cli(self, *args, timeout=60, input_text=None):
        r = subprocess.run([self.binary] + list(args), capture_output=True,
                           env=child_env(), timeout=timeout,
                           cwd=self.tmp or None,
                           input=(input_text or "").encode("utf-8"))
        r.stdout = r.stdout.decode("utf-8", "replace")
        r.stderr = r.stderr.decode("utf-8", "replace")
        rep = sanitizer_report(r.stderr)
        if rep:
            self.cli_reports.append("parley %s: %s" % (" ".join(args), rep))
        return r

    def cli(self, *args):
        """Run `parley ARGS` and require exit 0; returns stdout."""
        r = self.run_cli(*args)
        check(r.returncode == 0, "parley %s exited %d: %s" % (
            " ".join(args), r.returncode, (r.stderr + r.stdout)[-800:]))
        return r.stdout

    def comment_list(self, status="pending"):
        """`parley comment list SITE --status S` parsed into dicts with id,
        status, post, parent, line (the whole header line), snippet."""
        out = self.cli("comment", "list", self.site, "--status", status)
        rows = []
        lines = out.split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"^#(\d+)\s+(\w+)\s+post (\d+)"
                         r"(?:,? reply to #(\d+))?", line)
            if not m:
                continue
            rows.append({
                "id": int(m.group(1)), "status": m.group(2),
                "post": int(m.group(3)),
                "parent": int(m.group(4) or 0), "line": line,
                "snippet": lines[i + 1].strip() if i + 1 < len(lines)
                else ""})
        return rows

    def find_comment(self, needle, status):
        """The comment-list row whose line or snippet contains needle."""
        for row in self.comment_list(status):
            if needle in row["line"] or needle in row["snippet"]:
                return row
        return None

    # -- HTTP
    def request(self, method, path, headers=None, body=None):
        return request(self.port, method, path, headers, body)

    def get(self, path, headers=None):
        return self.request("GET", path, headers)

    def client(self):
        return Client(self)

    def raw(self, data, **kw):
        return raw(self.port, data, **kw)


# ---------------------------------------------------------------- HTTP

class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def html(self):
        return parse_html(self.text)

    def __repr__(self):
        return "<Response %d %s, %d bytes>" % (self.status, self.reason,
                                               len(self.body))


def _collect(resp):
    body = resp.read()
    return Response(resp.status, resp.reason, list(resp.getheaders()), body)


def request(port, method, path, headers=None, body=None, conn=None):
    """One request; a new connection unless conn is given."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body=body, headers=dict(headers or {}))
        return _collect(conn.getresponse())
    finally:
        if own:
            conn.close()


def form_encode(fields):
    if isinstance(fields, dict):
        fields = list(fields.items())
    return urllib.parse.urlencode([(k, "" if v is None else str(v))
                                   for k, v in fields])


class Client:
    """A reader's browser: a cookie jar, GET and form POST. Redirects are
    not followed (tests look at them)."""

    def __init__(self, srv):
        self.srv = srv
        self.cookies = {}
        self.last_set_cookie = []

    def _headers(self, headers):
        h = dict(headers or {})
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in
                                    self.cookies.items())
        return h

    def _remember(self, r):
        self.last_set_cookie = r.header_all("Set-Cookie")
        for sc in self.last_set_cookie:
            first = sc.split(";", 1)[0]
            if "=" in first:
                k, v = first.split("=", 1)
                self.cookies[k.strip()] = v.strip()
        return r

    def request(self, method, path, headers=None, body=None):
        return self._remember(self.srv.request(method, path,
                                               self._headers(headers), body))

    def get(self, path, headers=None):
        return self.request("GET", path, headers)

    def post_form(self, path, fields, headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        body = fields if isinstance(fields, (bytes, str)) else \
            form_encode(fields)
        return self.request("POST", path, h, body)


def raw(port, data, timeout=5.0, read=True, shutdown_write=False,
        until_close=False):
    """Send bytes on a fresh socket; return what is read until one whole
    response is in (or, with until_close, until the server closes), the
    server closes, or timeout passes (b"" if it closed without a word).
    A reset connection counts as closed."""
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    out = b""
    try:
        try:
            s.sendall(data)
            if shutdown_write:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        if not read:
            return b""
        s.settimeout(timeout)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if not until_close and _complete(out):
                break
    finally:
        s.close()
    return out


def _complete(data):
    """True once data holds one whole response (headers + body by
    Content-Length, or headers alone if there is none)."""
    i = data.find(b"\r\n\r\n")
    if i < 0:
        return False
    m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", data[:i])
    if not m:
        return False
    return len(data) >= i + 4 + int(m.group(1))


def raw_status(data):
    """Status code of the first response in raw bytes, or None."""
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else None


def split_raw(data):
    """(status, headers dict lower-case, body) of a raw response."""
    i = data.find(b"\r\n\r\n")
    head, body = (data[:i], data[i + 4:]) if i >= 0 else (data, b"")
    lines = head.decode("latin-1").split("\r\n")
    hdrs = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
    return raw_status(data), hdrs, body


# ---------------------------------------------------------------- HTML

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.attr_list = attrs
        self.children = []
        self.parent = parent

    def get(self, name, default=None):
        v = self.attrs.get(name, default)
        return default if v is None and default is not None else v

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def has_class(self, c):
        return c in self.classes()

    def iter(self):
        for ch in self.children:
            if isinstance(ch, Node):
                yield ch
                yield from ch.iter()

    def find_all(self, tag=None, cls=None, id=None, **attrs):
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and not n.has_class(cls):
                continue
            if id is not None and n.attrs.get("id") != id:
                continue
            if any(n.attrs.get(k.rstrip("_")) != v for k, v in
                   attrs.items()):
                continue
            out.append(n)
        return out

    def find(self, *a, **kw):
        r = self.find_all(*a, **kw)
        return r[0] if r else None

    def text(self):
        parts = []
        for ch in self.children:
            parts.append(ch.text() if isinstance(ch, Node) else ch)
        return "".join(parts)

    def norm_text(self):
        return " ".join(self.text().split())

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def __repr__(self):
        return "<%s %s>" % (self.tag, self.attrs)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(n)
        if tag not in VOID:
            self.stack.append(n)

    def handle_startendtag(self, tag, attrs):
        n = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(n)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text):
    b = _TreeBuilder()
    b.feed(text)
    b.close()
    return b.root


def links(root):
    return [(a.get("href"), a.norm_text(), a) for a in root.find_all("a")]


def comment_form(root):
    """The comment form of an article page as a dict: action, the hidden
    fields (post_id, parent_id, ts) and the visible values (author, email,
    url, comment, hp_url). None if the page has no form."""
    form = None
    for f in root.find_all("form"):
        if f.get("action") == "/comments" or f.has_class("comment-form"):
            form = f
            break
    if form is None:
        return None
    out = {"action": form.get("action"), "method": form.get("method")}
    for inp in form.find_all("input"):
        if inp.get("name"):
            out[inp.get("name")] = inp.get("value") or ""
    for ta in form.find_all("textarea"):
        if ta.get("name"):
            t = ta.text()
            # HTML drops one newline right after <textarea>.
            out[ta.get("name")] = t[1:] if t.startswith("\n") else t
    out["_node"] = form
    return out


def comment_ids(root):
    """Ids of <article id="comment-N"> in document order."""
    out = []
    for n in root.find_all("article"):
        m = re.match(r"^comment-(\d+)$", n.get("id") or "")
        if m:
            out.append(int(m.group(1)))
    return out


def comment_node(root, cid):
    return root.find("article", id="comment-%d" % cid)


def comment_li(root, cid):
    art = comment_node(root, cid)
    if art is None:
        return None
    for a in art.ancestors():
        if a.tag == "li":
            return a
    return None


def comment_depth(root, cid):
    li = comment_li(root, cid)
    if li is None:
        return None
    for c in li.classes():
        m = re.match(r"^depth-(\d+)$", c)
        if m:
            return int(m.group(1))
    return None


def comment_body_raw(html_text, cid):
    """The raw inner HTML of comment cid's <div class="comment-content">."""
    i = html_text.find('id="comment-%d"' % cid)
    if i < 0:
        return None
    j = html_text.find('<div class="comment-content">', i)
    if j < 0:
        return None
    j += len('<div class="comment-content">')
    k = html_text.find("</div>\n", j)
    # the body may contain its own </div>? our renderer never emits div.
    return html_text[j:k]


# ---------------------------------------------------------------- comments

def location_path(resp):
    loc = resp.header("Location") or ""
    u = urllib.parse.urlsplit(loc)
    return u.path, u.fragment


def post_comment(client, article_path, author="Tess Tester",
                 email="tess@example.org", text="A thoughtful comment.",
                 url="", parent_id=None, extra=None, headers=None,
                 form=None):
    """GET the article (unless form is given), fill the comment form and
    POST it. Returns (response, form dict used)."""
    if form is None:
        page = client.get(article_path)
        check(page.status == 200, "GET %s: %d" % (article_path, page.status))
        form = comment_form(page.html())
        check(form is not None, "no comment form on %s" % article_path)
    fields = [("post_id", form.get("post_id", "")),
              ("parent_id", form.get("parent_id", "0")
               if parent_id is None else parent_id),
              ("ts", form.get("ts", "")),
              ("author", author), ("email", email), ("url", url),
              ("comment", text), ("hp_url", "")]
    if extra:
        d = dict(fields)
        d.update(extra)
        fields = list(d.items())
    r = client.post_form(form.get("action") or "/comments", fields, headers)
    return r, form


def new_comment_id(resp):
    """The N of a 303's Location ...#comment-N, or None."""
    m = re.search(r"#comment-(\d+)$", resp.header("Location") or "")
    return int(m.group(1)) if m else None


def unique(prefix="t"):
    unique.n += 1
    return "%s%d%04d" % (prefix, os.getpid() % 10000, unique.n)


unique.n = 0
