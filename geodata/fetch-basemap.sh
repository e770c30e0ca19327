#!/bin/sh
# Put Natural Earth's 1:110m admin-0 countries into geodata/.
#
# Debian's python3-geopandas package (bookworm, 0.12.x) ships them as its
# "naturalearth_lowres" dataset. We download that package, unpack it into a
# scratch folder (nothing is installed), copy the five files and check each
# against geodata/SHA256SUMS. Files already present and matching are kept.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
base=naturalearth_lowres

if sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1; then
	exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
echo "geodata: fetching the 1:110m basemap from Debian's python3-geopandas package"
# apt-get download writes into the current folder; _apt needs to be able to.
chmod 0777 "$scratch"
if ! (cd "$scratch" && apt-get download -q python3-geopandas >/dev/null 2>"$scratch/err"); then
	# The package lists may be missing on a fresh machine.
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	(cd "$scratch" && apt-get download -q python3-geopandas >/dev/null) || {
		echo "geodata: cannot download python3-geopandas" >&2
		cat "$scratch/err" >&2
		exit 1
	}
fi
deb=$(ls "$scratch"/python3-geopandas_*.deb)
dpkg-deb -x "$deb" "$scratch/x"
src=$(find "$scratch/x" -type d -name "$base" | head -n 1)
if [ -z "$src" ]; then
	echo "geodata: $deb has no $base dataset (geopandas 1.0 dropped it)" >&2
	exit 1
fi
for ext in shp shx dbf prj cpg; do
	cp "$src/$base.$ext" "$here/$base.$ext"
done
if ! sha256sum --quiet -c SHA256SUMS; then
	echo "geodata: checksum mismatch: the basemap differs from the one partnermap was tested with" >&2
	exit 1
fi
echo "geodata: $base.{shp,shx,dbf,prj,cpg} ready"
