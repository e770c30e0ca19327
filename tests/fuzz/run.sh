#!/bin/sh
# Coverage-guided fuzzing with libFuzzer (clang), under ASan + UBSan.
#   sh tests/fuzz/run.sh [seconds per target]   (default 60)
#
# Targets: front matter (fuzz_frontmatter), templates (fuzz_mustache),
# shapefiles (fuzz_shapefile) and the record cache (fuzz_reccache). Seeds:
# the example content and the bad-input fixtures; the theme's templates;
# the basemap and small shapefiles written by shapefile_seeds.py; the
# example site's record cache. Inputs found to cover new ground are kept in
# tests/out/fuzz/<target>-corpus/ for the next run.
#
# Prints a line per target and a last line "N passed, M failed": a target
# passes when it ran its time without a crash, a leak, a sanitizer report
# or a hang. A finding fails it, and the line names the input that
# reproduces it: run the target on that file to see it again. `make test`
# runs each target for 20 seconds when clang is installed.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=tests/out/fuzz
mkdir -p "$out"
CC=${FUZZ_CC:-clang}
passed=0
failed=0

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: skipped: $CC is not installed"
	echo "0 passed, 0 failed"
	exit 0
fi

flags="-std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -g -O1 -Igenerator
	-Ibuild/gen -DPM_VERSION=\"fuzz\" -DPM_DATADIR=\"/nonexistent\"
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	$(pkg-config --cflags libcmark libcjson yaml-0.1 shapelib proj libxml-2.0 libmicrohttpd)"
# generator/util/ holds the Unicode text helpers (utf8proc, ICU)
uni_libs="$(pkg-config --libs libutf8proc icu-uc icu-i18n)"
libs="$(pkg-config --libs libcmark libcjson yaml-0.1 nettle) $uni_libs -lm"
shp_libs="$(pkg-config --libs shapelib proj libcjson nettle) $uni_libs -lm"
all_libs="$(pkg-config --libs libcmark libcjson shapelib libxml-2.0 yaml-0.1 proj zlib \
	nettle libmicrohttpd) $uni_libs -lm -lpthread"

# name, then the compiler's arguments
build() {
	name=$1
	shift
	if [ -x "$out/$name" ] && [ -z "$(find generator tests/fuzz -newer "$out/$name" \
		-name '*.[ch]' 2>/dev/null)" ]; then
		return 0 # built since the sources last changed
	fi
	if ! $CC $flags -o "$out/$name" "$@" >"$out/$name.build.log" 2>&1; then
		echo "fuzz $name: does not build"
		cat "$out/$name.build.log"
		failed=$((failed + 1))
		return 1
	fi
}

# name, corpus folder, longest input
run_target() {
	name=$1
	corpus=$2
	max_len=$3
	log="$out/$name.log"
	"$out/$name" -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/$name-" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $name: ${runs:-?} inputs in ${secs}s, nothing found"
		passed=$((passed + 1))
		return
	fi
	repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	tail -n 40 "$log"
	echo "fuzz $name: FAILED (exit $rc); reproduce with: $out/$name ${repro:-<no input saved>}"
	failed=$((failed + 1))
}

# the whole generator but main.c: yamlerr.c asks keys.h whether a word is
# a key of any document, and the key tables live beside their readers
if build fuzz_frontmatter tests/fuzz/fuzz_frontmatter.c \
	$(find generator -name '*.c' ! -name main.c | sort) $all_libs; then
	mkdir -p "$out/fm-corpus"
	cp content/institutions/*.md tests/fixtures/bad/*.md "$out/fm-corpus/"
	run_target fuzz_frontmatter "$out/fm-corpus" 8192
fi

if build fuzz_mustache -DMST_MAX_STEPS='(1L<<18)' tests/fuzz/fuzz_mustache.c \
	generator/render/mustache.c generator/util/*.c $libs; then
	mkdir -p "$out/mst-corpus"
	cp themes/default/templates/*.mustache "$out/mst-corpus/"
	run_target fuzz_mustache "$out/mst-corpus" 4096
fi

if build fuzz_shapefile tests/fuzz/fuzz_shapefile.c generator/geo/shapefile.c \
	generator/geo/rings.c generator/geo/layer.c generator/geo/box.c generator/geo/project.c \
	generator/util/*.c \
	$shp_libs; then
	mkdir -p "$out/shp-corpus"
	basemap=geodata/naturalearth_lowres.shp
	[ -f "$basemap" ] || basemap=
	python3 tests/fuzz/shapefile_seeds.py "$out/shp-corpus" $basemap
	run_target fuzz_shapefile "$out/shp-corpus" 65536
fi

# seeded with the cache file of the example site, as ./partnermap writes it
if build fuzz_reccache tests/fuzz/fuzz_reccache.c generator/load/reccodec.c \
	generator/site.c generator/util/*.c $libs -lz; then
	mkdir -p "$out/rc-corpus"
	seedsite=$(mktemp -d)
	if [ -x ./partnermap ] && ./partnermap build -o "$seedsite/out" >/dev/null 2>&1; then
		cp "$seedsite/.out.partnermap-cache" "$out/rc-corpus/example"
	fi
	rm -rf "$seedsite"
	run_target fuzz_reccache "$out/rc-corpus" 262144
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
