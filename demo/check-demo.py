#!/usr/bin/env python3
"""check-demo.py: validate Parley's demo content ("The Long View").

usage: python3 demo/check-demo.py [DIR]      (DIR defaults to this file's folder)

Checks the article files (post-NN-slug.md), the featured SVG and the
discussions (comments-SLUG.txt) against the formats `parley init --demo`
reads, plus the shape the demo promises (one image post, one closed post,
a 35-comment thread with a fixed depth histogram, one pending comment).
Prints a summary; exits 0 when everything passes, 1 otherwise.
Standard library only.
"""
import collections
import datetime as dt
import os
import re
import sys
import xml.etree.ElementTree as ET

AUTHORS = {"Mira Kovač", "Tom Ashdown"}
REQUIRED_KEYS = ("title", "slug", "date", "author", "categories", "tags", "comments")
OPTIONAL_KEYS = ("image", "caption", "excerpt")  # excerpt: accepted by the loader, unused here
DATE_FMT = "%Y-%m-%d %H:%M"
DATE_MIN = dt.datetime(2026, 9, 1)
DATE_CUTOFF = dt.datetime(2026, 11, 27)  # everything, comments included, is before this
POSTS_MIN, POSTS_MAX = 10, 14
WORDS_MIN, WORDS_MAX = 300, 900
CATS_MIN, CATS_MAX = 4, 6
MAX_CATS_PER_POST = 2
MIN_TWO_CAT_POSTS = 3
SVG_MAX_BYTES = 6 * 1024

DEPTH_CAP = 5  # the site's thread depth: a reply to a depth-5 comment stays at 5
BIG_TOTAL = 35
BIG_TOP = 9
BIG_HIST = [9, 9, 7, 5, 5]
BIG_AUTHOR = (3, 4)
BIG_COMMENTERS = (12, 18)
SMALL_SIZE = (2, 6)
SMALL_FILES = (3, 4)

# Links in demo text may only point at these hosts (no real third parties).
LINK_HOSTS = ("example.org", "example.net", "example.com", "en.wikipedia.org")

# Fallbacks; overridden from src/base/limits.h when the tree is present.
LIMITS = {"LIM_COMMENT_BYTES": 16 * 1024, "LIM_NAME_BYTES": 100,
          "LIM_EMAIL_BYTES": 200, "LIM_URL_BYTES": 500,
          "LIM_POST_FILE_BYTES": 4 * 1024 * 1024}

POST_NAME = re.compile(r"^post-(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
COMMENTS_NAME = re.compile(r"^comments-([a-z0-9]+(?:-[a-z0-9]+)*)\.txt$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADER_LINE = re.compile(r"^([a-z]+): (\S.*)$")
COMMENT_HEAD = re.compile(
    r"^@@ (\d+) (\d+) \+(\d+) \| ([^|]*?) \| ([^|]*?) \| ([^|]*?) \| ([^|]*?)$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
URL = re.compile(r"https?://[^\s)\"'<>]+")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def load_limits(root):
    path = os.path.join(root, "..", "src", "base", "limits.h")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return
    for name in LIMITS:
        m = re.search(r"#define\s+%s\s+\(?([0-9 *]+)\)?" % name, text)
        if m:
            val = 1
            for part in m.group(1).split("*"):
                val *= int(part)
            LIMITS[name] = val


def read_text(path, where):
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(where, "starts with a byte-order mark")
    if b"\r" in raw:
        err(where, "contains CR characters (use LF line endings)")
    try:
        return raw.decode("utf-8"), len(raw)
    except UnicodeDecodeError as e:
        err(where, f"not valid UTF-8 ({e})")
        return raw.decode("utf-8", "replace"), len(raw)


def word_count(markdown):
    text = re.sub(r"<[^>]+>", " ", markdown)            # raw HTML tags
    text = re.sub(r"\]\([^)]*\)", "] ", text)             # link targets
    text = URL.sub(" ", text)                             # bare URLs
    return len(WORD.findall(text))


def check_links(where, text):
    for url in URL.findall(text):
        host = re.match(r"https?://([^/:]+)", url)
        host = host.group(1).lower() if host else ""
        if not url.startswith("https://"):
            err(where, f"link is not https: {url}")
        if not any(host == h or host.endswith("." + h) for h in LINK_HOSTS):
            err(where, f"link to a host outside {LINK_HOSTS}: {url}")


def markdown_features(body):
    lines = body.split("\n")
    return {
        "heading": any(re.match(r"^#{2,3} \S", l) for l in lines),
        "quote": any(l.startswith("> ") for l in lines),
        "list": any(re.match(r"^(?:[-*] |\d+\. )\S", l) for l in lines),
        "link": "](https://" in body or 'href="https://' in body,
        "emphasis": bool(re.search(r"(\*\*|\*|_)[^\s*_][^*_\n]*\1", body)),
        "html": bool(re.search(r"^<(aside|figure|div|section)\b", body, re.M)),
        "code": "`" in body,
    }


def parse_post(root, name, nn, fslug):
    where = name
    text, size = read_text(os.path.join(root, name), where)
    if size > LIMITS["LIM_POST_FILE_BYTES"]:
        err(where, "larger than LIM_POST_FILE_BYTES")
    lines = text.split("\n")
    if not lines or lines[0] != "---":
        err(where, "first line must be exactly ---")
        return None
    try:
        end = lines.index("---", 1)
    except ValueError:
        err(where, "header block is not closed by a --- line")
        return None
    meta = {}
    for i, line in enumerate(lines[1:end], start=2):
        m = HEADER_LINE.match(line)
        if not m or m.group(2) != m.group(2).rstrip():
            err(where, f"line {i}: not a 'key: value' header line: {line!r}")
            continue
        key, val = m.groups()
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            err(where, f"line {i}: unknown header key {key!r}")
        if key in meta:
            err(where, f"line {i}: duplicate header key {key!r}")
        meta[key] = val
    for key in REQUIRED_KEYS:
        if key not in meta:
            err(where, f"missing header key {key!r}")
    if any(k not in meta for k in REQUIRED_KEYS):
        return None
    body = "\n".join(lines[end + 1:]).strip("\n")
    post = {"file": name, "nn": nn, "body": body, **meta}

    if not SLUG.match(meta["slug"]):
        err(where, f"slug {meta['slug']!r} is not lowercase-and-hyphens")
    if meta["slug"] != fslug:
        err(where, f"slug {meta['slug']!r} does not match file name slug {fslug!r}")
    try:
        post["when"] = dt.datetime.strptime(meta["date"], DATE_FMT)
    except ValueError:
        err(where, f"date {meta['date']!r} is not 'YYYY-MM-DD HH:MM'")
        post["when"] = None
    if post["when"] and not DATE_MIN <= post["when"] < DATE_CUTOFF:
        err(where, f"date {meta['date']} outside {DATE_MIN:%Y-%m-%d}..{DATE_CUTOFF:%Y-%m-%d}")
    if meta["author"] not in AUTHORS:
        err(where, f"author {meta['author']!r} is not one of {sorted(AUTHORS)}")
    cats = [c.strip() for c in meta["categories"].split(",")]
    if any(not c for c in cats):
        err(where, "empty category in list")
    if len(set(cats)) != len(cats):
        err(where, "category listed twice")
    if len(cats) > MAX_CATS_PER_POST:
        err(where, f"more than {MAX_CATS_PER_POST} categories")
    post["cats"] = cats
    tags = [t.strip() for t in meta.get("tags", "").split(",") if t.strip()]
    if not tags:
        err(where, "no tags (the tag archives and feeds need a few)")
    if len({t.lower() for t in tags}) != len(tags):
        err(where, "tag listed twice")
    post["tags"] = tags
    if meta["comments"] not in ("open", "closed"):
        err(where, f"comments must be open or closed, not {meta['comments']!r}")
    if ("image" in meta) != ("caption" in meta):
        err(where, "image and caption must appear together")
    if "image" in meta:
        m = re.match(r"^/media/([A-Za-z0-9][A-Za-z0-9._-]*)$", meta["image"])
        if not m:
            err(where, f"image {meta['image']!r} is not /media/FILE")
        elif not os.path.isfile(os.path.join(root, m.group(1))):
            err(where, f"image file {m.group(1)} is missing from the demo folder")
        else:
            post["image_file"] = m.group(1)

    # Body.
    if not body.strip():
        err(where, "empty body")
    post["words"] = word_count(body)
    if not WORDS_MIN <= post["words"] <= WORDS_MAX:
        err(where, f"body has {post['words']} words, want {WORDS_MIN}-{WORDS_MAX}")
    feats = markdown_features(body)
    post["features"] = feats
    for f in ("heading", "quote", "list", "link", "emphasis"):
        if not feats[f]:
            err(where, f"body has no {f}")
    if re.search(r"^---\s*$", body, re.M):
        err(where, "body contains a bare --- line (ambiguous with the header)")
    if re.search(r"<script|javascript:|\son[a-z]+\s*=", body, re.I):
        err(where, "body contains script-like HTML")
    check_links(where, body)
    return post


def check_svg(root, fname):
    where = fname
    path = os.path.join(root, fname)
    text, size = read_text(path, where)
    if size > SVG_MAX_BYTES:
        err(where, f"{size} bytes, want at most {SVG_MAX_BYTES}")
    try:
        tree = ET.fromstring(text)
    except ET.ParseError as e:
        err(where, f"not well-formed XML: {e}")
        return size
    ns = "{http://www.w3.org/2000/svg}"
    if tree.tag != ns + "svg":
        err(where, "root element is not an SVG <svg>")
    if not tree.get("viewBox"):
        err(where, "no viewBox on the root element")
    if tree.find(ns + "title") is None:
        err(where, "no <title> (accessible name)")
    for el in tree.iter():
        tag = el.tag.split("}")[-1]
        if tag in ("script", "foreignObject", "image", "style", "text", "font", "font-face"):
            err(where, f"uses <{tag}> (no scripts, fonts, text or external images)")
        for attr, val in el.attrib.items():
            a = attr.split("}")[-1]
            if a.startswith("on"):
                err(where, f"event handler attribute {a}")
            if a == "href" and not val.startswith("#"):
                err(where, f"external reference {val!r}")
            if "url(" in val and not re.fullmatch(r"url\(#[\w-]+\)", val):
                err(where, f"non-local url() in {a}: {val!r}")
    stripped = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    if re.search(r"https?:|@import|@font-face", stripped):
        err(where, "references something outside the file")
    return size


def parse_comments(root, name, post):
    where = name
    text, _ = read_text(os.path.join(root, name), where)
    comments = []
    cur = None
    for ln, line in enumerate(text.split("\n"), start=1):
        if line.startswith("@@"):
            m = COMMENT_HEAD.match(line)
            if not m:
                err(where, f"line {ln}: malformed comment header: {line!r}")
                cur = None
                continue
            cid, parent, minutes = int(m.group(1)), int(m.group(2)), int(m.group(3))
            cname, email, url, flag = (s.strip() for s in m.groups()[3:])
            cur = {"id": cid, "parent": parent, "minutes": minutes, "name": cname,
                   "email": email, "url": url, "flag": flag, "lines": [], "line": ln}
            comments.append(cur)
        elif cur is None:
            if line.strip():
                err(where, f"line {ln}: text before the first @@ header")
        else:
            cur["lines"].append(line)

    by_id = {}
    prev_minutes = 0
    for i, c in enumerate(comments, start=1):
        w = f"{where}: comment {c['id']} (line {c['line']})"
        c["body"] = "\n".join(c["lines"]).strip("\n")
        if c["id"] != i:
            err(w, f"local ids must run 1, 2, 3...; expected {i}")
        if c["parent"] != 0 and c["parent"] not in by_id:
            err(w, f"parent {c['parent']} does not come before it")
        if c["minutes"] <= prev_minutes:
            err(w, f"minutes +{c['minutes']} do not increase (previous +{prev_minutes})")
        prev_minutes = c["minutes"]
        if post.get("when"):
            c["when"] = post["when"] + dt.timedelta(minutes=c["minutes"])
            if c["when"] >= DATE_CUTOFF:
                err(w, f"posted {c['when']:%Y-%m-%d %H:%M}, after the demo cutoff")
        if not c["name"] or len(c["name"].encode()) > LIMITS["LIM_NAME_BYTES"]:
            err(w, "name empty or too long")
        if not EMAIL.match(c["email"]) or len(c["email"].encode()) > LIMITS["LIM_EMAIL_BYTES"]:
            err(w, f"bad e-mail {c['email']!r}")
        if c["url"] != "-":
            if not re.match(r"^https?://\S+$", c["url"]) or \
                    len(c["url"].encode()) > LIMITS["LIM_URL_BYTES"]:
                err(w, f"bad web site {c['url']!r}")
            check_links(w, c["url"])
        if c["flag"] not in ("-", "author", "pending"):
            err(w, f"last field must be -, author or pending, not {c['flag']!r}")
        if c["flag"] == "author" and c["name"] != post["author"]:
            err(w, f"marked author but name is {c['name']!r}, post author is {post['author']!r}")
        if c["flag"] != "author" and c["name"] in AUTHORS:
            err(w, f"uses a site author's name without the author mark")
        if c["parent"] in by_id and by_id[c["parent"]]["flag"] == "pending":
            err(w, "replies to a comment still awaiting moderation")
        if not c["body"].strip():
            err(w, "empty body")
        if len(c["body"].encode()) > LIMITS["LIM_COMMENT_BYTES"]:
            err(w, "body longer than LIM_COMMENT_BYTES")
        check_links(w, c["body"])
        parent_depth = by_id[c["parent"]]["depth"] if c["parent"] in by_id else 0
        c["depth"] = min(parent_depth + 1, DEPTH_CAP)
        c["capped"] = parent_depth == DEPTH_CAP
        c["words"] = word_count(c["body"])
        by_id[c["id"]] = c
    return comments


def histogram(comments):
    hist = [0] * DEPTH_CAP
    for c in comments:
        hist[c["depth"] - 1] += 1
    return hist


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__))
    load_limits(root)
    names = sorted(os.listdir(root))

    # Articles.
    posts = []
    numbers = []
    for name in names:
        if name.startswith("post-"):
            m = POST_NAME.match(name)
            if not m:
                err(name, "article file name is not post-NN-slug.md")
                continue
            numbers.append(int(m.group(1)))
            p = parse_post(root, name, int(m.group(1)), m.group(2))
            if p:
                posts.append(p)
    posts.sort(key=lambda p: p["nn"])
    if not POSTS_MIN <= len(posts) <= POSTS_MAX:
        err("posts", f"{len(posts)} articles, want {POSTS_MIN}-{POSTS_MAX}")
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        err("posts", "numbers NN must run 01, 02, ... without gaps")
    for a, b in zip(posts, posts[1:]):
        if a.get("when") and b.get("when") and not a["when"] < b["when"]:
            err(b["file"], "dates must increase with NN")
    for key in ("slug", "title"):
        dup = [v for v, n in collections.Counter(p[key] for p in posts).items() if n > 1]
        if dup:
            err("posts", f"duplicate {key}: {dup}")
    by_slug = {p["slug"]: p for p in posts}
    for a in AUTHORS:
        if not any(p["author"] == a for p in posts):
            err("posts", f"no article by {a}")

    cat_count = collections.Counter(c for p in posts for c in p["cats"])
    if not CATS_MIN <= len(cat_count) <= CATS_MAX:
        err("posts", f"{len(cat_count)} categories, want {CATS_MIN}-{CATS_MAX}")
    for c, n in cat_count.items():
        if n < 2:
            err("posts", f"category {c!r} is used by only one article")
    two = sum(1 for p in posts if len(p["cats"]) == 2)
    if two < MIN_TWO_CAT_POSTS:
        err("posts", f"only {two} articles in two categories, want {MIN_TWO_CAT_POSTS}+")

    image_posts = [p for p in posts if "image" in p]
    if len(image_posts) != 1:
        err("posts", f"{len(image_posts)} articles with an image, want exactly 1")
    closed = [p for p in posts if p["comments"] == "closed"]
    if len(closed) != 1:
        err("posts", f"{len(closed)} articles with comments closed, want exactly 1")
    if not any(p["features"]["html"] for p in posts):
        err("posts", "no article uses a little trusted raw HTML (<aside>, <figure>...)")

    svg_sizes = {}
    for p in image_posts:
        if "image_file" in p:
            svg_sizes[p["image_file"]] = check_svg(root, p["image_file"])

    # Discussions.
    threads = {}
    for name in names:
        if name.startswith("comments-"):
            m = COMMENTS_NAME.match(name)
            if not m:
                err(name, "discussion file name is not comments-SLUG.txt")
                continue
            post = by_slug.get(m.group(1))
            if post is None:
                err(name, f"no article with slug {m.group(1)!r}")
                continue
            if post["comments"] == "closed":
                err(name, "discussion on an article whose comments are closed")
            threads[post["slug"]] = parse_comments(root, name, post)

    big = [s for s, cs in threads.items() if len(cs) == BIG_TOTAL]
    if len(big) != 1:
        err("discussions", f"{len(big)} discussions with {BIG_TOTAL} comments, want exactly 1")
    big_slug = big[0] if len(big) == 1 else None
    if big_slug:
        cs = threads[big_slug]
        where = f"comments-{big_slug}.txt"
        top = sum(1 for c in cs if c["parent"] == 0)
        if top != BIG_TOP:
            err(where, f"{top} top-level comments, want {BIG_TOP}")
        if histogram(cs) != BIG_HIST:
            err(where, f"depth histogram {histogram(cs)}, want {BIG_HIST}")
        if not any(c["capped"] for c in cs):
            err(where, "no reply arrives at the depth cap")
        n_author = sum(1 for c in cs if c["flag"] == "author")
        if not BIG_AUTHOR[0] <= n_author <= BIG_AUTHOR[1]:
            err(where, f"{n_author} comments by the post author, want {BIG_AUTHOR[0]}-{BIG_AUTHOR[1]}")
        people = {c["name"] for c in cs if c["flag"] != "author"}
        if not BIG_COMMENTERS[0] <= len(people) <= BIG_COMMENTERS[1]:
            err(where, f"{len(people)} distinct commenters, want {BIG_COMMENTERS[0]}-{BIG_COMMENTERS[1]}")
        if any(c["flag"] == "pending" for c in cs):
            err(where, "the big discussion should have no pending comment")
        feats = markdown_features("\n\n".join(c["body"] for c in cs))
        for f in ("quote", "list", "code"):
            if not feats[f]:
                err(where, f"no comment uses a {f}")
        if not any("https://" in c["body"] for c in cs):
            err(where, "no comment contains a link")
        if not any(c["url"] != "-" for c in cs):
            err(where, "no commenter gives a web site")

    small = {s: cs for s, cs in threads.items() if s != big_slug}
    if not SMALL_FILES[0] <= len(small) <= SMALL_FILES[1]:
        err("discussions", f"{len(small)} smaller discussions, want {SMALL_FILES[0]}-{SMALL_FILES[1]}")
    for s, cs in small.items():
        if not SMALL_SIZE[0] <= len(cs) <= SMALL_SIZE[1]:
            err(f"comments-{s}.txt", f"{len(cs)} comments, want {SMALL_SIZE[0]}-{SMALL_SIZE[1]}")

    pending = [(s, c) for s, cs in threads.items() for c in cs if c["flag"] == "pending"]
    if len(pending) != 1:
        err("discussions", f"{len(pending)} pending comments, want exactly 1")
    # The pending commenter is a first-timer: their name appears nowhere else.
    for s, c in pending:
        others = [1 for cs in threads.values() for o in cs
                  if o["name"] == c["name"] and o is not c]
        if others:
            err(f"comments-{s}.txt", f"pending commenter {c['name']!r} has commented before")
    # One person, one e-mail address, across all discussions.
    emails = collections.defaultdict(set)
    for cs in threads.values():
        for c in cs:
            emails[c["name"]].add(c["email"])
    for n, es in emails.items():
        if len(es) > 1:
            err("discussions", f"{n!r} uses several e-mail addresses: {sorted(es)}")

    # Summary.
    total_comments = sum(len(cs) for cs in threads.values())
    print(f"The Long View demo in {root}")
    print(f"{len(posts)} articles, {len(cat_count)} categories, "
          f"{total_comments} comments in {len(threads)} discussions\n")
    print(f"{'NN':<3} {'date (UTC)':<17} {'author':<12} {'words':>5} {'cmts':>4}  title [categories] flags")
    for p in posts:
        flags = []
        if "image" in p:
            flags.append("image")
        if p["comments"] == "closed":
            flags.append("closed")
        if p["features"]["html"]:
            flags.append("html")
        n = len(threads.get(p["slug"], []))
        print(f"{p['nn']:02d}  {p['date']:<17} {p['author']:<12} {p['words']:>5} {n:>4}  "
              f"{p['title']} [{', '.join(p['cats'])}]" + (f" ({', '.join(flags)})" if flags else ""))
    words = [p["words"] for p in posts]
    if words:
        print(f"\narticle words: total {sum(words)}, min {min(words)}, max {max(words)}")
    print("categories: " + ", ".join(f"{c} ({n})" for c, n in sorted(cat_count.items())))
    for f, size in svg_sizes.items():
        print(f"image: {f} ({size} bytes)")
    if big_slug:
        cs = threads[big_slug]
        hist = histogram(cs)
        print(f"\nbig discussion: {big_slug}: {len(cs)} comments, "
              f"{sum(1 for c in cs if c['parent'] == 0)} top-level threads")
        print("  depth histogram: " + "  ".join(f"{d + 1}:{n}" for d, n in enumerate(hist))
              + f"  ({sum(1 for c in cs if c['capped'])} replies attached at the depth cap)")
        print(f"  by the post author: {sum(1 for c in cs if c['flag'] == 'author')}, "
              f"distinct other commenters: {len({c['name'] for c in cs if c['flag'] != 'author'})}, "
              f"words: {sum(c['words'] for c in cs)}")
        times = [c["when"] for c in cs if "when" in c]
        if times:
            print(f"  first comment: {min(times):%Y-%m-%d %H:%M}, last: {max(times):%Y-%m-%d %H:%M}")
    for s, cs in sorted(small.items()):
        print(f"discussion: {s}: {len(cs)} comments, depth {max(c['depth'] for c in cs)}, "
              f"{sum(1 for c in cs if c['flag'] == 'author')} by author, "
              f"{sum(c['words'] for c in cs)} words")
    for s, c in pending:
        print(f"pending moderation: {c['name']} on {s}")

    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
