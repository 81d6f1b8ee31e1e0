#!/bin/sh
# Install the Debian packages Parley builds and tests with, if missing.
set -e
PKGS="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libmd4c-dev
libinih-dev libsodium-dev libcmocka-dev libexpat1-dev libgumbo-dev libxxhash-dev tidy curl
python3 sqlite3 time zlib1g-dev libbrotli-dev brotli python3-feedparser wrk"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# The browser tests: Debian's Chromium, and node + npm (for playwright-core
# and axe-core, installed by tests/run with `npm ci`). A node that came
# from elsewhere is fine.
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: need root to install:$missing" >&2
	exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
