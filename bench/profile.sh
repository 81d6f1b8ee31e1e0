#!/bin/sh
# profile.sh: where an uncached article render spends its time, counted
# by callgrind (instructions, so the answer does not depend on the
# machine's load). Usage: sh bench/profile.sh [build/parley] [N]
# Builds a demo site in a temp dir, serves it with the page cache off
# under valgrind, fetches the 35-comment article N times (default 200),
# and prints instructions per request and the functions that cost most.
set -e
BIN=${1:-build/parley}
N=${2:-200}
TMP=$(mktemp -d /tmp/parley-profile-XXXXXX)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$BIN" init "$TMP/site" --demo >/dev/null 2>&1
valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" \
	"$BIN" serve "$TMP/site" --listen 127.0.0.1:$PORT --cache-mb 0 \
	2>"$TMP/serve.log" &
PID=$!
python3 - "$PORT" "$N" <<'PY'
import http.client, json, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(200):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("GET", "/api/v1/posts"); posts = json.loads(c.getresponse().read())["posts"]
        break
    except OSError:
        time.sleep(0.1)
busy = max(posts, key=lambda p: p["comment_count"])
path = "/" + busy["url"].split("/", 3)[3]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for i in range(n):
    c.request("GET", path); c.getresponse().read()
print("profiled %d GETs of %s (%d comments)" % (n, path, busy["comment_count"]))
PY
kill "$PID"
wait "$PID" || true
TOTAL=$(callgrind_annotate "$TMP/cg.out" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
ART=$(callgrind_annotate --inclusive=yes "$TMP/cg.out" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*src\/handler\/post.c:h_article .*/\1/p' | head -1 | tr -d ,)
echo "instructions: $TOTAL in the process, $ART in h_article: $((ART / N)) per page"
echo "--- inclusive (top 45) ---"
callgrind_annotate --inclusive=yes "$TMP/cg.out" 2>/dev/null | grep -v '^\(--\|Ir\|Profile\|I1\|D1\|LL\|Time\|Trig\|Prof\|Even\|Thre\|Incl\|User\|Auto\)' | grep '%' | grep -v '???:0x' | head -45 | cut -c1-120
echo "--- self (top 25) ---"
callgrind_annotate "$TMP/cg.out" 2>/dev/null | grep '%' | grep -v 'PROGRAM TOTALS' | head -25 | cut -c1-120
[ -n "$KEEP" ] && cp "$TMP/cg.out" "$KEEP"; rm -rf "$TMP"
