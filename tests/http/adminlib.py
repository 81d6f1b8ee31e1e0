"""adminlib.py: helpers for the admin tests: accounts made with the CLI,
a logged-in browser (AdminClient) that sends the session's CSRF token
and a same-origin Origin header, multipart bodies, small valid images."""

import re
import struct
import uuid
import zlib

from harness import Client, check, parse_html

PASSWORDS = {"ada": "ada-secret-1", "eddie": "eddie-secret-1",
             "ann": "ann-secret-1", "bob": "bob-secret-1"}
ROLES = {"ada": "admin", "eddie": "editor", "ann": "author",
         "bob": "author"}
NAMES = {"ada": "Ada Admin", "eddie": "Eddie Editor", "ann": "Ann Author",
         "bob": "Bob Author"}


def make_users(srv, which=None):
    for login in which or PASSWORDS:
        r = srv.run_cli("user", "add", srv.site, login, "--role",
                        ROLES[login], "--name", NAMES[login],
                        input_text=PASSWORDS[login] + "\n")
        check(r.returncode == 0, "user add %s: %s" % (login, r.stderr))


def login_form(client):
    r = client.get("/admin/login/")
    check(r.status == 200, "GET /admin/login/: %d" % r.status)
    root = r.html()
    f = {}
    for inp in root.find_all("input"):
        if inp.get("name") and inp.get("type") != "checkbox":
            f[inp.get("name")] = inp.get("value") or ""
    return f


def try_login(client, login, pw, remember=False, next_=None):
    f = login_form(client)
    f["log"] = login
    f["pwd"] = pw
    if remember:
        f["rememberme"] = "forever"
    if next_:
        f["next"] = next_
    return client.post_form("/admin/login/", f, {
        "Origin": client.srv.base_url()})


def csrf_of(page):
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    return m.group(1) if m else None


class AdminClient(Client):
    def __init__(self, srv, login=None):
        super().__init__(srv)
        self.csrf = None
        if login:
            self.login(login)

    def login(self, login, pw=None):
        r = try_login(self, login, pw or PASSWORDS[login])
        check(r.status == 303, "login %s: %d %s" % (login, r.status,
                                                     r.text[-300:]))
        page = self.get("/admin/profile/")
        check(page.status == 200, "profile after login: %d" % page.status)
        self.csrf = csrf_of(page)
        check(self.csrf, "no csrf token on the profile page")
        return r

    def admin_post(self, path, fields, origin=True, csrf=True,
                   headers=None):
        if isinstance(fields, dict):
            fields = list(fields.items())
        fields = list(fields)
        if csrf:
            fields.append(("csrf", self.csrf))
        h = dict(headers or {})
        if origin:
            h.setdefault("Origin", self.srv.base_url())
        return self.post_form(path, fields, h)

    def multipart(self, path, fields, files=None, origin=True, csrf=True):
        fields = list(fields.items() if isinstance(fields, dict)
                      else fields)
        if csrf:
            fields.append(("csrf", self.csrf))
        body, ctype = multipart_body(fields, files or [])
        h = {"Content-Type": ctype}
        if origin:
            h["Origin"] = self.srv.base_url()
        return self.request("POST", path, h, body)


def multipart_body(fields, files):
    """fields: [(name, value)]; files: [(name, filename, type, bytes)]."""
    b = "----parleytest" + uuid.uuid4().hex
    out = []
    for k, v in fields:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                    "\r\n\r\n" % (b, k)).encode() + str(v).encode() +
                   b"\r\n")
    for name, fn, typ, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n" % (
                        b, name, fn, typ)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return b"".join(out), "multipart/form-data; boundary=" + b


def png(w=40, h=30, rgb=(200, 60, 30)):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(
            ">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def gif(w=3, h=2):
    return (b"GIF89a" + struct.pack("<HH", w, h) +
            b"\x80\x00\x00\x00\x00\x00\xff\xff\xff" +
            b",\x00\x00\x00\x00" + struct.pack("<HH", w, h) +
            b"\x00\x02\x02D\x01\x00;")


def jpeg(w=16, h=8):
    # SOI, APP0 (JFIF), SOF0 with the size, EOI: enough for the checks.
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00" \
        b"\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + \
        b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def webp(w=10, h=7):
    # VP8X header with canvas size.
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + \
        (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x


def rows(page):
    """The moderation queue's rows: {id, text, why, author, email, ip}."""
    root = parse_html(page.text)
    out = []
    for li in root.find_all("li", cls="queue-row"):
        cid = int(li.get("id").split("-")[1])
        why = li.find(cls="why-held")
        out.append({"id": cid, "text": li.norm_text(),
                    "why": why.norm_text() if why else "",
                    "node": li})
    return out
