#!/bin/sh
# The map stage's speed: builds tests/bench/bench_map.c (optimised, against
# generator/geo and generator/util) into build/bench/ and runs it on the
# 1:110m basemap and on a ~550,000-vertex densified copy of it.
#   sh tests/bench/map.sh [basemap.shp [runs]]
set -eu
cd "$(dirname "$0")/../.."
shp=${1:-geodata/naturalearth_lowres.shp}
runs=${2:-7}
if [ ! -f "$shp" ]; then
	echo "bench-map: $shp is missing (make basemap)" >&2
	exit 1
fi
pkgs="libcmark libcjson shapelib libxml-2.0 yaml-0.1 proj zlib nettle libutf8proc icu-uc icu-i18n"
mkdir -p build/bench
${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O2 -g \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
	$(pkg-config --cflags $pkgs) -Igenerator \
	-o build/bench/bench_map tests/bench/bench_map.c \
	generator/geo/*.c generator/util/*.c \
	$(pkg-config --libs $pkgs) -lm -lpthread
build/bench/bench_map "$shp" "$runs"
