#!/bin/sh
# Page weight of a site's home page: HTML (with the inline map), CSS and
# JS, raw and gzipped (gzip -9), as a browser would fetch them; then its
# first render and a filter click in headless Chromium (page_timing.mjs).
# The example site, or with N set a site of N institutions made as
# scale.py makes it. Prints figures; asserts nothing.
#
#   sh tests/bench/page.sh          N=10000 sh tests/bench/page.sh
# PARTNERMAP names another build of the tool to measure.
set -eu
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
trap 'exit 1' INT TERM
tool=${PARTNERMAP:-./partnermap}
if [ -n "${N:-}" ]; then
	python3 -c 'import sys; sys.path.insert(0, "tests/bench"); import scale; scale.make_site(sys.argv[1], int(sys.argv[2]))' "$out/src" "$N"
	echo "site: $N institutions"
	"$tool" build -q -C "$out/src" -o "$out/site"
else
	echo "site: the example"
	"$tool" build -q -o "$out/site"
fi
site="$out/site"
total_raw=0
total_gz=0
printf '%-40s %10s %10s\n' file bytes gzipped
for f in index.html $(cd "$site" && ls assets/*.css assets/*.js 2>/dev/null); do
	raw=$(wc -c <"$site/$f")
	gz=$(gzip -9 -c "$site/$f" | wc -c)
	total_raw=$((total_raw + raw))
	total_gz=$((total_gz + gz))
	printf '%-40s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-40s %10d %10d\n' "home page total" "$total_raw" "$total_gz"
raw=$(wc -c <"$site/map.svg")
gz=$(gzip -9 -c "$site/map.svg" | wc -c)
printf '%-40s %10d %10d\n' "map.svg (standalone)" "$raw" "$gz"
# A large site's data loaded when asked for: the largest chunk of a
# country's entries, the largest country's zoom levels, the facet index
# and the largest piece of the search texts.
for pat in 'countries/*/list*.js' 'countries/*/zoom.js' 'countries/facets*.js' 'countries/search*.js'; do
	# shellcheck disable=SC2086
	big=$(cd "$site" && ls -S $pat 2>/dev/null | head -n 1)
	[ -n "$big" ] || continue
	printf '%-40s %10d %10d\n' "largest $big" "$(wc -c <"$site/$big")" "$(gzip -9 -c "$site/$big" | wc -c)"
done
# The locator map's own markup (the page has other small SVGs: icons);
# for the example only: one process per page would take long on N pages.
if [ -z "${N:-}" ]; then
	biggest=$(for p in "$site"/institutions/*/index.html; do
		tr '\n' ' ' <"$p" | grep -o '<svg[^>]*class="pm-map.*</svg>' | sed 's|</svg>.*|</svg>|' | wc -c
	done | sort -n | tail -n 1)
	printf '%-40s %10d\n' "largest locator map (markup)" "$biggest"
fi
if command -v node >/dev/null && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	node tests/bench/page_timing.mjs "$site" || echo "(no browser timings)"
else
	echo "(no node or Chromium: no browser timings)"
fi
