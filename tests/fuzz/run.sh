#!/bin/sh
# Coverage-guided fuzzing with libFuzzer (clang), under ASan + UBSan.
#   sh tests/fuzz/run.sh [seconds per target]   (default 60)
# Seeds: the example content, the bad-input fixtures, the theme's templates.
# Crashes are written to tests/out/fuzz/. Not part of `make test`: a fuzz
# run proves nothing in a fixed time; it is for finding new inputs.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=tests/out/fuzz
mkdir -p "$out"
CC=${FUZZ_CC:-clang}
flags="-std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -g -O1 -Igenerator
	-fsanitize=fuzzer,address,undefined $(pkg-config --cflags libcmark libcjson yaml-0.1)"
libs="$(pkg-config --libs libcmark libcjson yaml-0.1) -lm"

$CC $flags -o "$out/fuzz_frontmatter" tests/fuzz/fuzz_frontmatter.c \
	generator/load/frontmatter.c generator/load/fmjson.c generator/load/yamlerr.c \
	generator/util/*.c $libs
$CC $flags -DMST_MAX_STEPS='(1L<<18)' -o "$out/fuzz_mustache" tests/fuzz/fuzz_mustache.c \
	generator/render/mustache.c generator/util/*.c $libs

mkdir -p "$out/fm-corpus" "$out/mst-corpus"
cp content/institutions/*.md tests/fixtures/bad/*.md "$out/fm-corpus/"
cp themes/default/templates/*.mustache "$out/mst-corpus/"

"$out/fuzz_frontmatter" -max_total_time="$secs" -max_len=8192 \
	-artifact_prefix="$out/" "$out/fm-corpus"
"$out/fuzz_mustache" -max_total_time="$secs" -max_len=4096 \
	-artifact_prefix="$out/" "$out/mst-corpus"
