#!/bin/sh
# wxr-import.sh: how long `parley import` takes on a large WordPress
# export and how much memory it needs. Generates (once, cached under
# bench/out/) an export of POSTS articles and COMMENTS comments with
# bench/gen-wxr.py, imports it into a fresh site and prints the seconds
# and the peak resident memory measured by /usr/bin/time -v (Debian's
# `time` package), then imports it again (nothing new: the idempotent
# path) and exports it.
#
#   sh bench/wxr-import.sh                     # 10,000 posts, 200,000 comments
#   sh bench/wxr-import.sh --posts 20 --comments 300   # the smoke run of make check
#
# A benchmark, not a test: it fails only if a command fails.
set -e
cd "$(dirname "$0")/.."
POSTS=10000
COMMENTS=200000
BIN=build/parley
while [ $# -gt 0 ]; do
	case "$1" in
	--posts) POSTS=$2; shift 2 ;;
	--comments) COMMENTS=$2; shift 2 ;;
	--binary) BIN=$2; shift 2 ;;
	*) echo "usage: $0 [--posts N] [--comments N] [--binary PATH]" >&2; exit 2 ;;
	esac
done
[ -x "$BIN" ] || { echo "wxr-import: build $BIN first (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "wxr-import: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
OUT=bench/out
mkdir -p "$OUT"
XML="$OUT/wxr-$POSTS-$COMMENTS.xml"
if [ ! -s "$XML" ]; then
	/usr/bin/python3 bench/gen-wxr.py "$XML.tmp" --posts "$POSTS" --comments "$COMMENTS"
	mv "$XML.tmp" "$XML"
fi
SITE=$(mktemp -d "${TMPDIR:-/tmp}/parley-bench-wxr-XXXXXX")
trap 'rm -rf "$SITE"' EXIT INT TERM
"$BIN" init "$SITE/site" >/dev/null 2>&1

# measure CMD...: prints "SECONDS PEAK_KB" from /usr/bin/time -v
measure() {
	/usr/bin/time -v "$@" >"$SITE/out" 2>"$SITE/time" || {
		cat "$SITE/out" "$SITE/time" >&2; exit 1; }
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$SITE/time" |
		awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$SITE/time")
	echo "$secs $kb"
}

size=$(wc -c <"$XML")
echo "WXR import benchmark: $POSTS posts, $COMMENTS comments, $((size / 1048576)) MB ($(nproc) cores, $(uname -sr))"
set -- $(measure "$BIN" import "$SITE/site" "$XML" --json)
first_s=$1 first_kb=$2
grep -q '"ok":true' "$SITE/out" || { cat "$SITE/out"; exit 1; }
set -- $(measure "$BIN" import "$SITE/site" "$XML" --quiet)
again_s=$1 again_kb=$2
set -- $(measure "$BIN" export "$SITE/site" -o "$SITE/export.xml")
exp_s=$1 exp_kb=$2
db=$(du -k "$SITE/site/parley.db" | cut -f1)
printf '%-28s %8s s  %8s MB peak RSS\n' "import (fresh site)" "$first_s" "$((first_kb / 1024))"
printf '%-28s %8s s  %8s MB peak RSS\n' "import again (all present)" "$again_s" "$((again_kb / 1024))"
printf '%-28s %8s s  %8s MB peak RSS\n' "export" "$exp_s" "$((exp_kb / 1024))"
echo "database: $((db / 1024)) MB; export: $(($(wc -c <"$SITE/export.xml") / 1048576)) MB"
