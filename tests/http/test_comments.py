"""Commenting through the form: moderation (held, approved through the
CLI, returning commenters), replies at the depth cap, bad forms, hostile
Markdown, links, honeypot, closed articles, Origin and cookies."""

import re
import threading
import urllib.parse

from harness import (LIM_COMMENT_BYTES, check, comment_body_raw,
                     comment_depth, comment_form, comment_ids, comment_li,
                     comment_node, location_path, new_comment_id,
                     parse_html, post_comment, unique)

DEMO = True
CONF = {"comments": {"min_fill_seconds": 0, "rate_per_minute": 100000,
                     "max_links": 3}}
DEPTH_CAP = 5


# ---------------------------------------------------------------- helpers

def posts(srv):
    out = []
    for page in (1, 2, 3):
        d = srv.get("/api/v1/posts?page=%d" % page).json()
        out += d["posts"]
        if page >= d["pages"]:
            break
    return out


def path_of(p):
    return urllib.parse.urlsplit(p["url"]).path


def setup(srv):
    """Pick, before any test comments, an open article without demo
    comments: the tests post there."""
    srv.quiet = None
    for p in posts(srv):
        if p["comments_open"] and p["comment_count"] == 0:
            srv.quiet = p
            return


def open_article(srv):
    """The open article the tests post on (as the API shows it now)."""
    check(srv.quiet is not None, "the demo has no open article without "
          "comments")
    return api_post(srv, srv.quiet["id"])


def discussion(srv):
    return max(posts(srv), key=lambda p: p["comment_count"])


def closed_article(srv):
    return [p for p in posts(srv) if not p["comments_open"]][0]


def api_post(srv, pid):
    return srv.get("/api/v1/posts/%d" % pid).json()


def visible_to_stranger(srv, path, cid):
    root = srv.client().get(path).html()
    return comment_node(root, cid) is not None


def approved_commenter(srv, path=None):
    """A client whose first comment was approved through the CLI, with the
    name and e-mail it used."""
    c = srv.client()
    name = unique("Regular ")
    email = "%s@example.org" % name.replace(" ", "").lower()
    path = path or path_of(open_article(srv))
    r, _ = post_comment(c, path, author=name, email=email,
                        text="First words from %s." % name)
    check(r.status == 303, "first comment: %d %s" % (r.status, r.text[:200]))
    cid = new_comment_id(r)
    check(cid, "303 Location %r has no #comment-N" % r.header("Location"))
    srv.cli("comment", "approve", srv.site, str(cid))
    return c, name, email


def post_ok(client, path, **kw):
    r, form = post_comment(client, path, **kw)
    check(r.status == 303, "POST comment: %d, want 303: %s" % (
        r.status, re.sub(r"\s+", " ", r.text)[:300]))
    cid = new_comment_id(r)
    check(cid is not None, "303 Location %r has no #comment-N" %
          r.header("Location"))
    return cid, r


def status_of(srv, cid):
    for st in ("pending", "approved", "spam", "trash"):
        for row in srv.comment_list(st):
            if row["id"] == cid:
                return st, row
    return None, None


def body_html(srv, path, cid, client=None):
    c = client or srv.client()
    text = c.get(path).text
    return comment_body_raw(text, cid), parse_html(text)


# ---------------------------------------------------------------- moderation

def test_first_comment_is_held_and_shown_only_to_its_writer(srv):
    p = open_article(srv)
    path = path_of(p)
    c = srv.client()
    marker = unique("held-marker-")
    cid, r = post_ok(c, path, author=unique("First Timer "),
                     email="first@example.org",
                     text="My first comment %s." % marker)
    lp, frag = location_path(r)
    check(lp == path and frag == "comment-%d" % cid,
          "Location %r, want %s#comment-%d" % (r.header("Location"), path,
                                                cid))
    st, row = status_of(srv, cid)
    check(st == "pending", "new comment is %s, want pending" % st)
    check("first-time" in row["line"], "held reason: %r" % row["line"])
    mine = c.get(path)
    root = mine.html()
    art = comment_node(root, cid)
    check(art is not None, "the writer does not see their held comment")
    check("awaiting moderation" in art.norm_text(),
          "held comment not marked 'awaiting moderation'")
    check(comment_li(root, cid).has_class("pending"), "no class pending")
    check(marker in art.norm_text(), "held comment text missing")
    check(art.find("a", cls="comment-reply-link") is None,
          "a held comment offers a Reply link")
    other = srv.client().get(path)
    check(marker not in other.text and
          comment_node(other.html(), cid) is None,
          "a stranger sees the held comment")
    check("awaiting moderation" not in other.text,
          "a stranger sees 'awaiting moderation'")
    check(api_post(srv, p["id"])["comment_count"] == p["comment_count"],
          "held comment counted in comment_count")


def test_approve_through_cli_shows_it_to_everyone(srv):
    p = open_article(srv)
    path = path_of(p)
    before = api_post(srv, p["id"])["comment_count"]
    c = srv.client()
    marker = unique("approve-marker-")
    cid, _ = post_ok(c, path, author=unique("Approvee "),
                     email="approvee@example.org", text="Hello %s" % marker)
    row = srv.find_comment(marker, "pending")
    check(row is not None, "`parley comment list` does not show the new "
          "comment as pending")
    check(row["id"] == cid, "comment list says #%d, the 303 said #%d" % (
        row["id"], cid))
    out = srv.cli("comment", "approve", srv.site, str(row["id"]))
    check(str(cid) in out, "approve said %r" % out)
    page = srv.client().get(path)
    root = page.html()
    art = comment_node(root, cid)
    check(art is not None and marker in art.norm_text(),
          "approved comment not visible to a stranger")
    check("awaiting moderation" not in art.norm_text(),
          "approved comment still marked awaiting moderation")
    check(api_post(srv, p["id"])["comment_count"] == before + 1,
          "comment_count did not go up by one")
    h2 = root.find("h2", cls="comments-title")
    want = "%d Response" % (before + 1)
    check(h2 is not None and h2.norm_text().startswith(want),
          "responses heading %r, want it to start with %r" % (
              h2 and h2.norm_text(), want))
    mine = c.get(path).html()
    check("awaiting moderation" not in comment_node(mine, cid).norm_text(),
          "writer still sees 'awaiting moderation' after approval")


def test_returning_commenter_published_at_once(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    marker = unique("returning-")
    cid, _ = post_ok(c, path, author=name, email=email,
                     text="Back again %s" % marker)
    st, _ = status_of(srv, cid)
    check(st == "approved", "returning commenter's comment is %s" % st)
    check(visible_to_stranger(srv, path, cid),
          "returning commenter's comment not visible to a stranger")


def test_returning_commenter_email_case_does_not_matter(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    cid, _ = post_ok(c, path, author=name, email=email.upper(),
                     text="Same person, shouting e-mail.")
    st, _ = status_of(srv, cid)
    check(st == "approved", "same e-mail in capitals: %s" % st)


def test_same_cookie_other_email_is_held(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    cid, _ = post_ok(c, path, author=name, email="someone.else@example.net",
                     text="Different e-mail, same browser.")
    st, _ = status_of(srv, cid)
    check(st == "pending", "other e-mail with the same cookie: %s" % st)
    check(not visible_to_stranger(srv, path, cid), "shown to strangers")


def test_same_email_without_the_cookie_is_held(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    cid, _ = post_ok(srv.client(), path, author=name, email=email,
                     text="Somebody typing a known e-mail.")
    st, _ = status_of(srv, cid)
    check(st == "pending", "known e-mail without the cookie: %s" % st)


def test_forged_commenter_cookie_is_ignored(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    forged = srv.client()
    val = c.cookies["parley_commenter"]
    # Keep the real commenter id, spoil the signature: change its last
    # digit to a different value (even case-insensitively).
    flip = "0" if val[-1] != "0" else "1"
    forged.cookies["parley_commenter"] = val[:-1] + flip
    cid, _ = post_ok(forged, path, author=name, email=email,
                     text="Tampered cookie.")
    st, _ = status_of(srv, cid)
    check(st == "pending", "tampered cookie + known e-mail: %s" % st)


def test_commenter_cookie_flags(srv):
    c = srv.client()
    post_ok(c, path_of(open_article(srv)), author=unique("Cookie "),
            email="cookie@example.org", text="Cookie check.")
    sc = [s for s in c.last_set_cookie if s.startswith("parley_commenter=")]
    check(len(sc) == 1, "Set-Cookie headers: %r" % c.last_set_cookie)
    attrs = [a.strip().lower() for a in sc[0].split(";")[1:]]
    check("httponly" in attrs, "commenter cookie without HttpOnly: %r" %
          sc[0])
    check("samesite=lax" in attrs, "commenter cookie without SameSite=Lax: "
          "%r" % sc[0])
    check("path=/" in attrs, "commenter cookie without Path=/: %r" % sc[0])
    check(any(a.startswith("max-age=") for a in attrs),
          "commenter cookie is a session cookie: %r" % sc[0])
    for s in c.last_set_cookie:
        check("httponly" in s.lower(), "cookie without HttpOnly: %r" % s)


def test_form_prefilled_for_returning_reader(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    f = comment_form(c.get(path).html())
    check(f["author"] == name and f["email"] == email,
          "form not prefilled for the commenter: %r %r" % (f["author"],
                                                          f["email"]))
    f = comment_form(srv.client().get(path).html())
    check(f["author"] == "" and f["email"] == "",
          "a stranger's form is prefilled: %r %r" % (f["author"],
                                                     f["email"]))


# ---------------------------------------------------------------- replies

def test_reply_through_replytocom_nests_under_parent(srv):
    p = discussion(srv)
    path = path_of(p)
    root = srv.client().get(path).html()
    parent = [i for i in comment_ids(root)
              if comment_depth(root, i) == 2][0]
    c, name, email = approved_commenter(srv, path)
    page = c.get("%s?replytocom=%d" % (path, parent)).html()
    form = comment_form(page)
    check(form["parent_id"] == str(parent), "form parent_id %r" %
          form["parent_id"])
    cid, r = post_ok(c, path, author=name, email=email,
                     text="A reply at depth three.", form=form)
    root = srv.client().get(path).html()
    check(comment_depth(root, cid) == 3, "reply to a depth-2 comment shown "
          "at depth %s" % comment_depth(root, cid))
    li = comment_li(root, cid)
    up = [a for a in li.ancestors() if a.tag == "li"][0]
    check(up.find("article").get("id") == "comment-%d" % parent,
          "reply not nested under comment-%d" % parent)
    st, row = status_of(srv, cid)
    check(row and row["parent"] == parent, "CLI row %r" % (row and
                                                           row["line"]))


def test_reply_to_depth_five_comment_stays_at_depth_five(srv):
    p = discussion(srv)
    path = path_of(p)
    root = srv.client().get(path).html()
    deep = [i for i in comment_ids(root)
            if comment_depth(root, i) == DEPTH_CAP and
            not comment_li(root, i).has_class("pending")]
    check(deep, "no comment at depth %d in the demo discussion" % DEPTH_CAP)
    target = deep[0]
    c, name, email = approved_commenter(srv, path)
    cid, r = post_ok(c, path, author=name, email=email,
                     text="Replying at the cap.", parent_id=target)
    st, row = status_of(srv, cid)
    check(st == "approved", "reply at the cap is %s" % st)
    check(row["parent"] == target, "stored parent %r, want %d" % (
        row["parent"], target))
    root = srv.client().get(path).html()
    check(comment_node(root, cid) is not None, "reply at the cap not shown")
    d = comment_depth(root, cid)
    check(d == DEPTH_CAP, "reply to a depth-%d comment shown at depth %s" % (
        DEPTH_CAP, d))
    check(comment_node(root, cid).find("a", cls="comment-reply-link") is None,
          "reply at the cap has a Reply link")
    api = srv.get("/api/v1/posts/%d/comments" % p["id"]).json()
    mine = [x for x in api["comments"] if x["id"] == cid]
    check(mine and mine[0]["depth"] == DEPTH_CAP and
          mine[0]["parent"] == target, "API shows %r" % mine)


def test_reply_to_missing_parent_is_refused(srv):
    path = path_of(open_article(srv))
    c = srv.client()
    r, _ = post_comment(c, path, author="Lost Reply",
                        email="lost@example.org", text="To nobody.",
                        parent_id=987654321)
    check(r.status == 400, "reply to a missing comment: %d" % r.status)
    err = r.html().find(cls="form-error")
    check(err is not None and "not there" in err.norm_text(),
          "message %r" % (err and err.norm_text()))
    f = comment_form(r.html())
    check(f["parent_id"] == "0" and f["comment"] == "To nobody.",
          "re-shown form %r" % {k: f[k] for k in ("parent_id", "comment")})


def test_reply_to_comment_of_other_article_is_refused(srv):
    d = discussion(srv)
    other = path_of(open_article(srv))
    root = srv.client().get(path_of(d)).html()
    foreign = comment_ids(root)[0]
    r, _ = post_comment(srv.client(), other, author="Cross Post",
                        email="cross@example.org", text="Wrong thread.",
                        parent_id=foreign)
    check(r.status == 400, "reply to another article's comment: %d" %
          r.status)


# ---------------------------------------------------------------- bad forms

GOOD = {"author": "Bea Form", "email": "bea@example.org",
        "url": "https://example.org/bea", "comment": "Keep *all* of this."}

BAD_FORMS = [
    ("missing_name", {"author": ""}, "enter your name"),
    ("missing_email", {"email": ""}, "e-mail"),
    ("invalid_email", {"email": "bea-at-example"}, "valid e-mail"),
    ("email_with_spaces", {"email": "bea @example.org"}, "valid e-mail"),
    ("empty_comment", {"comment": "   "}, "write a comment"),
    ("too_long_comment", {"comment": "x" * (LIM_COMMENT_BYTES + 1)},
     "too long"),
    ("javascript_website", {"url": "javascript:alert(1)"}, "http"),
    ("data_website", {"url": "data:text/html,hi"}, "http"),
    ("name_too_long", {"author": "N" * 101}, "name is too long"),
    ("control_character", {"comment": "bell \x07 here"}, "cannot be used"),
]


def _bad_form_case(label, change, message):
    def case(srv):
        path = path_of(open_article(srv))
        vals = dict(GOOD)
        vals.update(change)
        marker = unique("badform-")
        c = srv.client()
        r, _ = post_comment(c, path, author=vals["author"],
                            email=vals["email"], url=vals["url"],
                            text=vals["comment"] + (
                                "" if "comment" in change else marker))
        check(r.status == 400, "%s: status %d, want 400" % (label,
                                                            r.status))
        check("text/html" in (r.header("Content-Type") or ""),
              "%s: not an HTML page" % label)
        root = r.html()
        err = root.find(cls="form-error")
        check(err is not None and message.lower() in err.norm_text().lower(),
              "%s: message %r, want it to mention %r" % (
                  label, err and err.norm_text(), message))
        f = comment_form(root)
        check(f is not None, "%s: form not re-shown" % label)
        want = {"author": vals["author"], "email": vals["email"],
                "url": vals["url"], "comment": vals["comment"] + (
                    "" if "comment" in change else marker)}
        if label == "control_character":
            want.pop("comment")  # the offending byte may be dropped
        for k, v in want.items():
            check(f.get(k) == v, "%s: field %s re-shown as %r, want %r" % (
                label, k, f.get(k)[:80], v[:80]))
        if "comment" not in change:
            check(srv.find_comment(marker, "pending") is None and
                  srv.find_comment(marker, "approved") is None,
                  "%s: the bad comment was stored" % label)
    return case


for _label, _change, _msg in BAD_FORMS:
    _fn = _bad_form_case(_label, _change, _msg)
    _fn.__name__ = "test_bad_form_" + _label
    globals()[_fn.__name__] = _fn


def test_missing_post_id_is_400(srv):
    c = srv.client()
    r = c.post_form("/comments", {"author": "A", "email": "a@example.org",
                                  "comment": "x"})
    check(r.status == 400, "no post_id: %d" % r.status)
    r = c.post_form("/comments", {"post_id": "abc", "author": "A"})
    check(r.status == 400, "post_id=abc: %d" % r.status)


def test_unknown_post_id_is_404(srv):
    r = srv.client().post_form("/comments", {
        "post_id": "987654", "author": "A", "email": "a@example.org",
        "comment": "x"})
    check(r.status == 404, "unknown post: %d" % r.status)


def test_comment_at_max_length_is_accepted(srv):
    path = path_of(open_article(srv))
    text = "y" * LIM_COMMENT_BYTES
    cid, _ = post_ok(srv.client(), path, author="Long Writer",
                     email="long@example.org", text=text)
    check(status_of(srv, cid)[0] == "pending", "max-length comment lost")


# ---------------------------------------------------------------- markup

XSS = [
    "[x](javascript:alert(1))",
    "[y](JaVaScRiPt:alert(2))",
    "[z](jav&#x61;script:alert(3))",
    "[w](&#106;avascript:alert(4))",
    "[v](data:text/html;base64,PHNjcmlwdD4=)",
    "[u]( javascript:alert(5))",
    "<script>alert(6)</script>",
    "<img src=x onerror=alert(7)>",
    '<a href="javascript:alert(8)">raw</a>',
    "<svg onload=alert(9)>",
    "![img](javascript:alert(10))",
    '<iframe src="https://example.org"></iframe>',
    "<style>body{display:none}</style>",
    '[t](https://example.org/" onmouseover="alert(11))',
]


def _assert_inert(raw_html, where):
    check(raw_html is not None, "%s: comment body not found" % where)
    root = parse_html(raw_html)
    for n in root.iter():
        check(n.tag not in ("script", "img", "iframe", "svg", "style",
                            "object", "embed", "form", "input"),
              "%s: live <%s> in comment HTML: %r" % (where, n.tag,
                                                    raw_html[:300]))
        for k, v in n.attr_list:
            check(not k.lower().startswith("on"),
                  "%s: event attribute %s on <%s>" % (where, k, n.tag))
            if k.lower() in ("href", "src", "action", "formaction"):
                scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):",
                                  v or "")
                check(scheme is None or scheme.group(1).lower() in
                      ("http", "https", "mailto"),
                      "%s: %s=%r in comment HTML" % (where, k, v))
        if n.tag == "a":
            rel = (n.get("rel") or "").split()
            check("nofollow" in rel and "ugc" in rel,
                  "%s: link without rel=nofollow ugc: %r" % (where, n.attrs))


def test_hostile_markup_is_inert(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    ids = []
    for i, payload in enumerate(XSS):
        cid, _ = post_ok(c, path, author=name, email=email,
                         text="case %d: %s" % (i, payload))
        ids.append(cid)
    page = srv.client().get(path).text
    for cid, payload in zip(ids, XSS):
        _assert_inert(comment_body_raw(page, cid), "payload %r" % payload)
    # Raw HTML is shown as text, not dropped silently.
    root = parse_html(page)
    txt = comment_node(root, ids[XSS.index("<script>alert(6)</script>")])
    check("<script>alert(6)</script>" in txt.norm_text(),
          "raw <script> not shown as text: %r" % txt.norm_text())
    # The API carries the same inert HTML.
    api = srv.get("/api/v1/posts/%d/comments" % api_id(srv, path)).json()
    for x in api["comments"]:
        if x["id"] in ids:
            _assert_inert(x["content_html"], "API comment %d" % x["id"])


def api_id(srv, path):
    for p in posts(srv):
        if path_of(p) == path:
            return p["id"]
    raise AssertionError("no post at %s" % path)


def test_comment_links_are_nofollow_ugc(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    cid, _ = post_ok(c, path, author=name, email=email,
                     url="example.org/%s" % name.replace(" ", ""),
                     text="See [this](https://example.org/a), "
                          "https://example.com/bare and "
                          "<mailto:someone@example.org>.")
    raw_html, root = body_html(srv, path, cid)
    links = parse_html(raw_html).find_all("a")
    check(len(links) == 3, "want 3 links in %r" % raw_html)
    hrefs = [a.get("href") for a in links]
    check(hrefs[0] == "https://example.org/a" and
          hrefs[1] == "https://example.com/bare" and
          hrefs[2].startswith("mailto:"), "hrefs %r" % hrefs)
    _assert_inert(raw_html, "links comment")
    author = comment_node(root, cid).find(cls="comment-author").find("a")
    check(author is not None, "commenter's web site not linked")
    check(author.get("href") == "http://example.org/%s" %
          name.replace(" ", ""), "author link %r" % author.get("href"))
    rel = (author.get("rel") or "").split()
    check("nofollow" in rel and "ugc" in rel, "author link rel %r" %
          author.get("rel"))


def test_email_never_shown(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    page = srv.client().get(path).text
    check(email not in page, "a commenter's e-mail is on the page")
    api = srv.get("/api/v1/posts/%d/comments" % api_id(srv, path)).text
    check(email not in api, "a commenter's e-mail is in the API")


# ---------------------------------------------------------------- spam rules

def test_too_many_links_is_held(srv):
    path = path_of(open_article(srv))
    c, name, email = approved_commenter(srv, path)
    text = " ".join("https://example.org/l%d" % i for i in range(4))
    cid, _ = post_ok(c, path, author=name, email=email, text=text)
    st, row = status_of(srv, cid)
    check(st == "pending", "4 links (max 3) from a known commenter: %s" % st)
    check("too many links" in row["line"], "held reason %r" % row["line"])
    check(not visible_to_stranger(srv, path, cid), "shown to strangers")
    # Exactly max_links is fine for a known commenter.
    text = " ".join("https://example.org/m%d" % i for i in range(3))
    cid, _ = post_ok(c, path, author=name, email=email, text=text)
    check(status_of(srv, cid)[0] == "approved", "3 links (max 3) held")


def test_honeypot_goes_to_spam_silently(srv):
    p = open_article(srv)
    path = path_of(p)
    c = srv.client()
    marker = unique("honeypot-")
    r, _ = post_comment(c, path, author=unique("Bot "),
                        email="bot@example.org", text="Buy %s" % marker,
                        extra={"hp_url": "http://spam.example/"})
    check(r.status == 303, "honeypot filled: %d, want a silent 303" %
          r.status)
    lp, frag = location_path(r)
    check(lp == path and frag == "", "honeypot Location %r" %
          r.header("Location"))
    row = srv.find_comment(marker, "spam")
    check(row is not None, "honeypot comment not in the spam list")
    check("honeypot" in row["line"], "spam reason %r" % row["line"])
    check(marker not in c.get(path).text, "the bot sees its comment")


def test_forged_form_token_goes_to_spam(srv):
    path = path_of(open_article(srv))
    marker = unique("forged-ts-")
    for ts in ("", "t1.AAAA", "garbage"):
        m = marker + ts.replace(".", "")
        # The timestamp comes in the form or, from a shared page, in the
        # parley_ts cookie: forge (or drop) both.
        c = srv.client()
        form = comment_form(c.get(path).html())
        c.cookies.pop("parley_ts", None)
        if ts:
            c.cookies["parley_ts"] = ts
        r, _ = post_comment(c, path, author=unique("Forger "),
                            email="forger@example.org", text="Hi %s" % m,
                            extra={"ts": ts}, form=form)
        check(r.status == 303, "ts=%r: %d" % (ts, r.status))
        check(srv.find_comment(m, "spam") is not None,
              "ts=%r: comment not sent to spam" % ts)


# ---------------------------------------------------------------- refusals

def test_closed_article_refuses_comment(srv):
    p = closed_article(srv)
    open_form = comment_form(srv.client().get(path_of(open_article(srv)))
                             .html())
    marker = unique("closed-")
    r = srv.client().post_form("/comments", {
        "post_id": p["id"], "parent_id": 0, "ts": open_form["ts"],
        "author": "Late Reader", "email": "late@example.org",
        "comment": "Too late %s" % marker, "hp_url": ""})
    check(r.status == 403, "comment on a closed article: %d, want 403" %
          r.status)
    check("Comments are closed" in r.text, "no clear message: %r" %
          re.sub(r"\s+", " ", r.text)[-500:])
    check(srv.find_comment(marker, "pending") is None and
          srv.find_comment(marker, "approved") is None,
          "comment on a closed article was stored")


def test_foreign_origin_is_403(srv):
    path = path_of(open_article(srv))
    for origin in ("http://evil.example", "null",
                   "http://127.0.0.1:1", "https://127.0.0.1.evil.example"):
        marker = unique("origin-")
        r, _ = post_comment(srv.client(), path, author="Cross Site",
                            email="x@example.org", text=marker,
                            headers={"Origin": origin})
        check(r.status == 403, "Origin %s: %d, want 403" % (origin,
                                                            r.status))
        check("another site" in r.text, "Origin %s: message %r" % (
            origin, re.sub(r"\s+", " ", r.text)[-400:]))
        check(srv.find_comment(marker, "pending") is None,
              "cross-site comment stored")
    # The site's own origin is fine.
    r, _ = post_comment(srv.client(), path, author="Same Site",
                        email="same@example.org", text="Own origin.",
                        headers={"Origin": srv.base_url()})
    check(r.status == 303, "own Origin: %d" % r.status)


# ---------------------------------------------------------------- removal

def test_removed_parent_leaves_placeholder(srv):
    p = open_article(srv)
    path = path_of(p)
    a, an, ae = approved_commenter(srv, path)
    b, bn, be = approved_commenter(srv, path)
    parent, _ = post_ok(a, path, author=an, email=ae,
                        text="Parent that will go.")
    child, _ = post_ok(b, path, author=bn, email=be, text="Child that stays.",
                       parent_id=parent)
    srv.cli("comment", "spam", srv.site, str(parent))
    root = srv.client().get(path).html()
    art = comment_node(root, parent)
    check(art is not None, "removed parent left no placeholder")
    check("This comment was removed." in art.norm_text(),
          "placeholder text %r" % art.norm_text())
    check("Parent that will go." not in root.text(),
          "removed comment text still shown")
    check(an not in art.norm_text(), "removed comment shows its author")
    check(comment_node(root, child) is not None, "reply vanished")
    check(comment_depth(root, child) == 2, "reply moved to depth %s" %
          comment_depth(root, child))
    api = srv.get("/api/v1/posts/%d/comments" % p["id"]).json()
    ids = [x["id"] for x in api["comments"]]
    check(parent not in ids and child in ids, "API ids %s" % ids)
    # A removed comment without replies leaves nothing.
    lone, _ = post_ok(a, path, author=an, email=ae, text="Lonely one.")
    srv.cli("comment", "trash", srv.site, str(lone))
    check(comment_node(srv.client().get(path).html(), lone) is None,
          "trashed comment without replies still has a placeholder")


def test_cli_rejects_unknown_comment_id(srv):
    r = srv.run_cli("comment", "approve", srv.site, "99999999")
    check(r.returncode != 0 and "99999999" in r.stderr,
          "approve of a missing id: exit %d, %r" % (r.returncode, r.stderr))


def test_concurrent_comments_all_stored(srv):
    path = path_of(open_article(srv))
    c0 = srv.client()
    form = comment_form(c0.get(path).html())
    results, errors = [], []
    tag = unique("conc-")

    def worker(w):
        try:
            c = srv.client()
            c.cookies.update(c0.cookies)  # the form's timestamp cookie
            for i in range(4):
                r, _ = post_comment(c, path, author="Worker %d" % w,
                                    email="w%d@example.org" % w,
                                    text="%s w%d n%d" % (tag, w, i),
                                    form=form)
                results.append((r.status, new_comment_id(r)))
        except Exception as e:
            errors.append(repr(e))

    ts = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in ts:
        t.start()
    # Moderate from the CLI while the server writes.
    for row in srv.comment_list("pending")[:3]:
        srv.cli("comment", "approve", srv.site, str(row["id"]))
    for t in ts:
        t.join(60)
    check(not errors, "errors: %s" % errors[:3])
    check([s for s, _ in results] == [303] * 16,
          "statuses %s" % [s for s, _ in results])
    ids = {i for _, i in results}
    stored = {row["id"] for st in ("pending", "approved")
              for row in srv.comment_list(st) if tag in row["snippet"]}
    check(ids == stored and len(ids) == 16,
          "%d acknowledged, %d stored" % (len(ids), len(stored)))


def test_line_breaks_in_name_cannot_forge_moderation_list(srv):
    """The name is a one-line field. A name with a line break must be
    refused (400) or stored so that `parley comment list` still shows one
    entry: a commenter must not be able to print fake entries there."""
    path = path_of(open_article(srv))
    fake = "#999999  approved  post 1  Friendly Regular"
    for sep in ("\n", "\r\n", "\r"):
        r, _ = post_comment(srv.client(), path, author="Eve" + sep + fake,
                            email="eve@example.org", text="BUY PILLS")
        check(r.status in (303, 400), "name with %r: %d" % (sep, r.status))
    out = srv.cli("comment", "list", srv.site)
    forged = [l for l in out.splitlines() if l.startswith("#999999")]
    check(not forged, "a commenter's name printed a fake entry in `parley "
          "comment list`: %r" % forged)
