#!/bin/sh
# i386.sh DIR - build guanqing and county_bench for i386 into DIR, for the
# station PC's figures of `make bench` (doc/performance.md). Not a test.
#
# Station PCs are often 32-bit: the same merge and search are measured
# again with an i386 build of the same sources (make distdir, then
# configure --host=i686-linux-gnu with the i386 pkg-config files, as
# quickstart.sh builds the i386 test suite). On a machine that cannot build
# one, DIR/why says why and county.sh prints it in the table instead of a
# figure; nothing is installed here (quickstart.sh installs the packages).
#
# Environment: MAKE (the make that runs this), TOP (the configured tree
# where make distdir runs).
set -eu

dir=$1
: "${TOP:?TOP must name the configured tree}"
MAKE=${MAKE:-make}
rm -rf "$dir"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

why() {
	printf '%s\n' "$*" >"$dir/why"
	printf 'i386 build: %s\n' "$*" >&2
	exit 0
}

[ "$(uname -m)" = x86_64 ] || why "not measured: this is not an amd64 machine"
command -v i686-linux-gnu-gcc >/dev/null 2>&1 ||
	why "not measured: no i686-linux-gnu-gcc (package gcc-i686-linux-gnu)"
pc=/usr/lib/i386-linux-gnu/pkgconfig:/usr/share/pkgconfig
for m in ncursesw sqlite3 uuid zlib libsodium xlsxwriter; do
	PKG_CONFIG_LIBDIR=$pc pkg-config --exists "$m" ||
		why "not measured: no i386 $m (./quickstart.sh test installs the i386 packages)"
done

log=$dir/build.log
{
	(cd "$TOP" && $MAKE distdir distdir="$dir/src") &&
	cd "$dir/src" &&
	PKG_CONFIG_LIBDIR=$pc ./configure --quiet --host=i686-linux-gnu --enable-test-hooks &&
	$MAKE -j"$(nproc 2>/dev/null || echo 2)" guanqing tests/bench/county_bench
} >"$log" 2>&1 || { tail -n 20 "$log" >&2; why "not measured: the i386 build failed (see $log)"; }
# byte 4 of an ELF header: 1 for a 32-bit program
[ "$(od -An -tx1 -j4 -N1 "$dir/src/guanqing" | tr -d ' ')" = 01 ] ||
	why "not measured: $dir/src/guanqing is not a 32-bit program"
ln -s src/guanqing "$dir/guanqing"
ln -s src/tests/bench/county_bench "$dir/county_bench"
printf 'i386 build: %s\n' "$dir" >&2
