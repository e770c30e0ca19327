#!/bin/sh
# The golden-output suite: build tests/regress/site and compare what came
# out, file by file, with tests/regress/expected/ (see README.md there).
#
#   sh tests/regress/run.sh            compare; one line per file, then
#                                      "N passed, M failed"
#   sh tests/regress/run.sh --update   write the output into expected/
#
# Run from anywhere; $PARTNERMAP picks the binary (default: the sanitizer
# build, build/asan/partnermap). The basemap comes from geodata/ (`make
# basemap`) and the theme from themes/, copied in at run time.
set -u
cd "$(dirname "$0")/../.."
root=$(pwd)
here=tests/regress
expected=$here/expected
tool=${PARTNERMAP:-$root/build/asan/partnermap}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

update=0
case ${1:-} in
--update) update=1 ;;
"") ;;
*) echo "usage: sh $here/run.sh [--update]" >&2; exit 2 ;;
esac

if [ ! -x "$tool" ]; then
	echo "$tool is missing: run \`make build/asan/partnermap\` (or set PARTNERMAP)"
	echo "0 passed, 1 failed"
	exit 1
fi
for ext in shp shx dbf prj cpg; do
	if [ ! -r "geodata/naturalearth_lowres.$ext" ]; then
		echo "geodata/naturalearth_lowres.$ext is missing: run \`make basemap\`"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pm-regress-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# ---- build ------------------------------------------------------------------

site=$tmp/site
out=$tmp/output
cp -R "$here/site" "$site"
mkdir -p "$site/geodata"
cp geodata/naturalearth_lowres.* "$site/geodata/"
cp -R themes "$site/themes"
"$tool" build -q -C "$site" -o "$out" >"$tmp/messages.txt" 2>&1
rc=$?
echo "exit $rc" >>"$tmp/messages.txt"

# The version is compiled in ("Made with partnermap 0.1.0."): the expected
# files say @VERSION@ instead, so a release changes none of them.
version=$("$tool" --version | sed -n 's/^partnermap //p')
vpat=$(printf '%s' "$version" | sed 's/[].[\*^$/]/\\&/g')

# The output as compared: every file but the theme's assets (copied as
# they are; their fingerprinted names are in files.txt) and the marker.
mkdir -p "$out" # a failed build writes nothing
(cd "$out" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$tmp/files.txt"
grep -v -e '^assets/' -e '^\.partnermap-output$' "$tmp/files.txt" >"$tmp/compared.txt"
mkdir -p "$tmp/got"
while IFS= read -r f; do
	mkdir -p "$tmp/got/$(dirname "$f")"
	sed "s/partnermap $vpat/partnermap @VERSION@/g" "$out/$f" >"$tmp/got/$f"
done <"$tmp/compared.txt"

if [ "$update" -eq 1 ]; then
	if [ "$rc" -ne 0 ]; then
		cat "$tmp/messages.txt"
		echo "the build failed: $expected left as it was"
		exit 1
	fi
	rm -rf "$expected"
	mkdir -p "$expected"
	cp -R "$tmp/got" "$expected/output"
	cp "$tmp/files.txt" "$tmp/messages.txt" "$expected/"
	echo "wrote $(wc -l <"$tmp/compared.txt") files into $expected;" \
		"check \`git diff $expected\` before committing"
	exit 0
fi

# ---- compare ----------------------------------------------------------------

passed=0
failed=0

# Long lines (the map, GeoJSON) are broken between tags and objects for the
# diff only: the comparison itself is byte for byte.
split() {
	sed -e 's/></>\
</g' -e 's/},{/},\
{/g' "$1"
}

# compare NAME EXPECTED ACTUAL
compare() {
	if [ ! -f "$2" ]; then
		echo "FAIL $1: new output, not in $expected (if it is meant to be," \
			"run \`make regress-update\`)"
		failed=$((failed + 1))
	elif [ ! -f "$3" ]; then
		echo "FAIL $1: in $expected but no longer written"
		failed=$((failed + 1))
	elif cmp -s "$2" "$3"; then
		echo "ok   $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1: differs from $expected (if the change is meant," \
			"run \`make regress-update\`)"
		split "$2" >"$tmp/a"
		split "$3" >"$tmp/b"
		if cmp -s "$tmp/a" "$tmp/b"; then
			diff -u --label "expected/$1" --label "output/$1" "$2" "$3"
		else
			diff -u --label "expected/$1" --label "output/$1" \
				"$tmp/a" "$tmp/b"
		fi
		failed=$((failed + 1))
	fi
}

compare messages.txt "$expected/messages.txt" "$tmp/messages.txt"
compare files.txt "$expected/files.txt" "$tmp/files.txt"
if [ -d "$expected/output" ]; then
	(cd "$expected/output" && find . -type f | sed 's|^\./||') \
		>>"$tmp/compared.txt"
fi
LC_ALL=C sort -u "$tmp/compared.txt" >"$tmp/all.txt"
while IFS= read -r f; do
	compare "$f" "$expected/output/$f" "$tmp/got/$f"
done <"$tmp/all.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
