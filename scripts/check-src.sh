#!/bin/sh
# Source rules kept by a tool, not by review (STYLE.md example 12):
# no unbounded string functions, and includes only run one way:
# cli -> http -> handler -> {store, render, cache, spam, auth, conf} -> base,
# and wxr (WordPress import/export) beside http: cli -> wxr -> {store, render}.
cd "$(dirname "$0")/.." || exit 2
st=0
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\(' \
	src/*.c src/*/*.c src/*/*.h; then
	echo "check-src: banned function above (use buf_printf, snprintf with a check, str_toint)"
	st=1
fi
# layer rank: a file may include only headers of its own or a lower rank.
rank() {
	case "$1" in
	base) echo 0 ;; conf|store|render|cache|spam|auth) echo 1 ;;
	handler) echo 2 ;; http|wxr) echo 3 ;; cli) echo 4 ;; *) echo 9 ;;
	esac
}
for f in src/*/*.c src/*/*.h; do
	mod=$(echo "$f" | cut -d/ -f2)
	r=$(rank "$mod")
	for inc in $(sed -n 's|^#include "\.\./\([a-z]*\)/.*|\1|p' "$f"); do
		ri=$(rank "$inc")
		if [ "$ri" -gt "$r" ] || { [ "$ri" = 1 ] && [ "$r" = 1 ] && [ "$inc" != "$mod" ] &&
			! { [ "$mod" = spam ] && [ "$inc" = store ]; }; }; then
			echo "check-src: $f includes $inc/ against the layer order"
			st=1
		fi
		# wxr and http share a rank but are siblings: neither sees the
		# other, and wxr never sees the request handlers.
		case "$mod:$inc" in
		wxr:http|wxr:handler|http:wxr)
			echo "check-src: $f includes $inc/ against the layer order"
			st=1 ;;
		esac
	done
done
# render never sees storage; store never sees HTML escaping.
if grep -ln 'store\.h' src/render/*; then
	echo "check-src: render/ must not include store.h"; st=1
fi
if grep -ln 'esc\.h' src/store/*; then
	echo "check-src: store/ must not include esc.h"; st=1
fi
exit $st
