#!/bin/sh
# The golden-output suite: build tests/regress/site and compare what came
# out, file by file, with tests/regress/expected/ (see README.md there).
#
#   sh tests/regress/run.sh            compare; one line per file, then
#                                      "N passed, M failed"
#   sh tests/regress/run.sh --update   write the output into expected/
#
# Every file is held by its SHA-256 in expected/digests.txt, so any changed
# byte fails. The text kept beside the digests is there to show a failure
# as a diff: the whole text of the home page and of every file that is not
# a page, and of one page of each other kind only its <main> element (the
# layout around it is the home page's).
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

# The pages kept as their <main> element: one of each kind but the home
# page, whose whole text is kept. The other pages are held by digest alone.
bodies="404.html about/index.html join/index.html countries/th/index.html
institutions/makerere/index.html networks/africa/index.html"

# kept FILE: "output" when the whole text of FILE is kept, "main" when only
# its <main> element is, nothing when only its digest is.
kept() {
	case $1 in
	index.html) echo output ;;
	*.html) for b in $bodies; do [ "$b" = "$1" ] && echo main; done ;;
	*) echo output ;;
	esac
}

# main_of PAGE: the lines of PAGE from <main ...> to </main>.
main_of() {
	sed -n '/^<main[ >]/,/^<\/main>/p' "$1"
}

# digest_of LIST FILE: FILE's digest in LIST (sha256sum's format), if any.
digest_of() {
	[ -f "$1" ] || return 0
	awk -v f="$2" 'substr($0, 67) == f { print substr($0, 1, 64) }' "$1"
}

while IFS= read -r f; do
	(cd "$tmp/got" && sha256sum -- "$f")
done <"$tmp/compared.txt" >"$tmp/digests.txt"

if [ "$update" -eq 1 ]; then
	if [ "$rc" -ne 0 ]; then
		cat "$tmp/messages.txt"
		echo "the build failed: $expected left as it was"
		exit 1
	fi
	rm -rf "$expected"
	mkdir -p "$expected"
	while IFS= read -r f; do
		k=$(kept "$f")
		[ -n "$k" ] || continue
		mkdir -p "$expected/$k/$(dirname "$f")"
		if [ "$k" = main ]; then
			main_of "$tmp/got/$f" >"$expected/main/$f"
		else
			cp "$tmp/got/$f" "$expected/output/$f"
		fi
	done <"$tmp/compared.txt"
	cp "$tmp/files.txt" "$tmp/messages.txt" "$tmp/digests.txt" "$expected/"
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

# show_diff NAME EXPECTED ACTUAL
show_diff() {
	split "$2" >"$tmp/a"
	split "$3" >"$tmp/b"
	if cmp -s "$tmp/a" "$tmp/b"; then
		diff -u --label "expected/$1" --label "output/$1" "$2" "$3"
	else
		diff -u --label "expected/$1" --label "output/$1" "$tmp/a" "$tmp/b"
	fi
}

ok() {
	echo "ok   $1"
	passed=$((passed + 1))
}

fail() {
	echo "FAIL $*"
	failed=$((failed + 1))
}

meant="(if the change is meant, run \`make regress-update\`)"

# compare NAME EXPECTED ACTUAL: two texts, byte for byte.
compare() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		fail "$1: differs from $expected $meant"
		show_diff "$1" "$2" "$3"
	fi
}

# compare_file FILE: FILE's digest, then the text kept of it, if any.
compare_file() {
	want=$(digest_of "$expected/digests.txt" "$1")
	have=$(digest_of "$tmp/digests.txt" "$1")
	if [ -z "$want" ]; then
		fail "$1: new output, not in $expected/digests.txt (if it is" \
			"meant to be, run \`make regress-update\`)"
		return
	elif [ -z "$have" ]; then
		fail "$1: in $expected/digests.txt but no longer written"
		return
	fi
	k=$(kept "$1")
	text=$tmp/got/$1
	if [ "$k" = main ]; then
		text=$tmp/main.html
		main_of "$tmp/got/$1" >"$text"
	fi
	if [ -n "$k" ] && ! cmp -s "$expected/$k/$1" "$text"; then
		fail "$1: differs from $expected/$k/$1 $meant"
		show_diff "$1" "$expected/$k/$1" "$text"
	elif [ "$want" = "$have" ]; then
		ok "$1"
	elif [ "$k" = main ]; then
		fail "$1: the page around its <main> element (head, header or" \
			"footer) differs from its digest in $expected/digests.txt;" \
			"$expected/output/index.html shows that layout $meant"
	else
		fail "$1: differs from its digest in $expected/digests.txt (only" \
			"the digest is kept: compare the page with one of its kind in" \
			"$expected/main) $meant"
	fi
}

compare messages.txt "$expected/messages.txt" "$tmp/messages.txt"
compare files.txt "$expected/files.txt" "$tmp/files.txt"
if [ -f "$expected/digests.txt" ]; then
	cut -c 67- "$expected/digests.txt" >>"$tmp/compared.txt"
fi
LC_ALL=C sort -u "$tmp/compared.txt" >"$tmp/all.txt"
while IFS= read -r f; do
	compare_file "$f"
done <"$tmp/all.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
