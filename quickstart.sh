#!/bin/sh
# quickstart.sh - set up a fresh Debian 12 machine and run guanqing or its tests.
#
#   ./quickstart.sh run    install what is missing, build, open the station screens on a demo database
#   ./quickstart.sh test   the same set-up, then the whole test suite
#
# It installs Debian packages only when one is missing (as root, or through sudo).
set -eu

cd "$(dirname "$0")"
top=$(pwd)

PACKAGES="build-essential autoconf automake libtool pkg-config gettext \
libncurses-dev libsqlite3-dev uuid-dev zlib1g-dev libsodium-dev libcmocka-dev libxlsxwriter-dev \
python3-openpyxl tmux locales sqlite3 jq clang libclang-rt-14-dev valgrind groff-base man-db"

say() { printf '%s\n' "quickstart: $*"; }

install_packages() {
	missing=""
	for p in $PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			missing="$missing $p"
		fi
	done
	if [ -n "$missing" ]; then
		say "installing Debian packages:$missing"
		if [ "$(id -u)" -eq 0 ]; then
			SUDO=""
		elif command -v sudo >/dev/null 2>&1; then
			SUDO="sudo"
		else
			say "these packages are missing and I am not root:$missing" >&2
			exit 1
		fi
		# A mirror in mid-sync fails one index; the lists already here may
		# still hold every package, so go on and let the install decide.
		$SUDO apt-get update || say "apt-get update failed; installing from the package lists already here"
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
	fi
	# The Chinese interface needs a zh_CN.UTF-8 locale.
	if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
		say "generating the zh_CN.UTF-8 locale"
		if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
		if [ -f /etc/locale.gen ] && grep -q 'zh_CN.UTF-8' /etc/locale.gen; then
			$SUDO sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
		else
			echo 'zh_CN.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
		fi
		$SUDO locale-gen >/dev/null
	fi
}

# build [CONFIGURE OPTIONS]: the tests need a test build (--enable-test-hooks:
# a fixed clock and other hooks); the program run for real is built without.
build() {
	if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
		say "bootstrapping (autoreconf)"
		autoreconf -fi
	fi
	want="$*"
	have=$(./config.status --config 2>/dev/null | sed "s/'//g") || have=""
	if [ ! -f Makefile ] || [ configure -nt config.status ] || [ "$have" != "$want" ]; then
		say "configuring${want:+ ($want)}"
		./configure --quiet "$@"
	fi
	say "building"
	make -j"$(nproc 2>/dev/null || echo 2)"
}

run_tests() {
	log=$(mktemp)
	status=0
	make -j"$(nproc 2>/dev/null || echo 2)" check >"$log" 2>&1 || status=$?
	# Show every result and, on failure, the failing logs.
	grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS):' "$log" || true
	if [ "$status" -ne 0 ]; then
		tail -n 60 "$log"
		for f in $(find tests -name '*.log' ! -name test-suite.log 2>/dev/null); do
			if grep -qE '^(not ok|FAIL|ERROR)' "$f" 2>/dev/null; then
				say "--- $f"; tail -n 40 "$f"
			fi
		done
	fi
	count_results "$log" "$status"
	rm -f "$log"
	return "$status"
}

# The totals of every run, printed once at the end by print_totals.
all_pass=0 all_fail=0 all_skip=0

# count_results LOG STATUS: add the summary of a make check log to the totals.
count_results() {
	_log=$1
	total() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$_log" | tail -n 1; }
	pass=$(total PASS); fail=$(total FAIL); err=$(total ERROR); skip=$(total SKIP); xpass=$(total XPASS)
	pass=${pass:-0}; fail=$(( ${fail:-0} + ${err:-0} + ${xpass:-0} )); skip=${skip:-0}
	if [ "$2" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1	# the build of the tests itself failed
	fi
	all_pass=$((all_pass + pass)); all_fail=$((all_fail + fail)); all_skip=$((all_skip + skip))
}

print_totals() {
	if [ "$all_skip" -gt 0 ]; then
		echo "$all_pass passed, $all_fail failed, $all_skip skipped"
	else
		echo "$all_pass passed, $all_fail failed"
	fi
}

# ---- the 32-bit build (station PCs are often i386) ----
# The whole suite again, built for i386 from the
# release sources in build-i386/ (configure --host=i686-linux-gnu with the
# i386 pkg-config files), so that the normal build is untouched. GUANQING_I386=0 skips it;
# so does a machine that cannot install the i386 packages, with a message.
I386_PACKAGES="gcc-i686-linux-gnu libc6-dev:i386 libncurses-dev:i386 libsqlite3-dev:i386 \
uuid-dev:i386 zlib1g-dev:i386 libsodium-dev:i386 libcmocka-dev:i386 libxlsxwriter-dev:i386"

install_i386() {
	missing=""
	for p in $I386_PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else return 1; fi
	say "installing the i386 packages:$missing"
	if ! dpkg --print-foreign-architectures | grep -qx i386; then
		$SUDO dpkg --add-architecture i386 || return 1
	fi
	$SUDO apt-get update >/dev/null || say "apt-get update failed; installing from the package lists already here"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing >/dev/null
}

run_tests_i386() {
	if [ "${GUANQING_I386:-1}" = 0 ]; then
		say "i386: skipped (GUANQING_I386=0)"
		return 0
	fi
	if [ "$(uname -m)" != x86_64 ] || [ "$(dpkg --print-architecture 2>/dev/null)" != amd64 ]; then
		say "i386: skipped: this is not an amd64 machine, which runs i386 programs"
		return 0
	fi
	if ! install_i386; then
		say "i386: skipped: this machine cannot install the i386 packages ($I386_PACKAGES)"
		return 0
	fi
	started=$(date +%s)
	ilog=$(mktemp)
	istatus=0
	rm -rf build-i386 && mkdir -p build-i386
	say "i386: building and running the test suite in build-i386/"
	{
		make distdir distdir=build-i386/src >/dev/null &&
		cd build-i386/src &&
		PKG_CONFIG_LIBDIR=/usr/lib/i386-linux-gnu/pkgconfig:/usr/share/pkgconfig \
			./configure --quiet --host=i686-linux-gnu --enable-test-hooks &&
		make -j"$(nproc 2>/dev/null || echo 2)" &&
		make -j"$(nproc 2>/dev/null || echo 2)" check
	} >"$ilog" 2>&1 || istatus=$?
	cd "$top"
	grep -E '^(FAIL|ERROR|XPASS):' "$ilog" | sed 's/^/i386 /' || true
	if [ "$istatus" -ne 0 ]; then
		tail -n 60 "$ilog"
	fi
	total() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$ilog" | tail -n 1; }
	ip=$(total PASS); if_=$(total FAIL); ie=$(total ERROR); is_=$(total SKIP); ix=$(total XPASS)
	ip=${ip:-0}; if_=$(( ${if_:-0} + ${ie:-0} + ${ix:-0} )); is_=${is_:-0}
	if [ "$istatus" -ne 0 ] && [ "$if_" -eq 0 ]; then
		if_=1	# the i386 build itself failed
	fi
	rm -f "$ilog"
	say "i386: $ip passed, $if_ failed, $is_ skipped in $(( $(date +%s) - started )) s"
	all_pass=$((all_pass + ip)); all_fail=$((all_fail + if_)); all_skip=$((all_skip + is_))
	return "$istatus"
}

# ---- the Debian package ----
# make check-deb builds the .deb and runs the program unpacked from it
# (tests/deb_install.sh); it needs debhelper. GUANQING_DEB=0 skips it.
run_tests_deb() {
	if [ "${GUANQING_DEB:-1}" = 0 ]; then
		say "deb: skipped (GUANQING_DEB=0)"
		return 0
	fi
	if ! dpkg-query -W -f='${Status}' debhelper 2>/dev/null | grep -q 'install ok installed'; then
		if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO=none; fi
		if [ "$SUDO" = none ] || ! { $SUDO apt-get update >/dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
			debhelper >/dev/null 2>&1; }; then
			say "deb: skipped: debhelper cannot be installed"
			return 0
		fi
	fi
	dlog=$(mktemp)
	dstatus=0
	say "deb: building the package and running it from an empty root (make check-deb)"
	make check-deb >"$dlog" 2>&1 || dstatus=$?
	grep -E '^not ok' "$dlog" | sed 's/^/deb /' || true
	[ "$dstatus" -ne 0 ] && tail -n 40 "$dlog"
	dp=$(grep -c '^ok' "$dlog" || true); df=$(grep -c '^not ok' "$dlog" || true)
	if [ "$dstatus" -ne 0 ] && [ "$df" -eq 0 ]; then
		df=1	# the package did not build
	fi
	rm -f "$dlog"
	say "deb: $dp passed, $df failed"
	all_pass=$((all_pass + dp)); all_fail=$((all_fail + df))
	return "$dstatus"
}

# ---- the sanitizers and the fuzzers ----
# The whole suite again, built with ASan and UBSan (./configure
# --enable-sanitizers) in build-asan/, so that the normal build is left as
# it is. Automake does not build out of a source folder that is configured
# in place, so build-asan/tree is a copy of the distributed tree (make
# distdir). GUANQING_SANITIZE=0 leaves this run out.
run_tests_sanitize() {
	if [ "${GUANQING_SANITIZE:-1}" = 0 ]; then
		say "the run with the sanitizers is left out (GUANQING_SANITIZE=0)"
		return 0
	fi
	say "building and testing with ASan and UBSan in build-asan/"
	slog=$(mktemp)
	sstatus=0
	rm -rf build-asan
	mkdir -p build-asan
	{ make distdir distdir=build-asan/tree &&
		cd build-asan/tree &&
		./configure --quiet --enable-sanitizers --enable-test-hooks &&
		make -j"$(nproc 2>/dev/null || echo 2)" check; } >"$slog" 2>&1 || sstatus=$?
	cd "$top"
	grep -E '^(FAIL|ERROR|XPASS):' "$slog" | sed 's/^/sanitizers: /' || true
	if [ "$sstatus" -ne 0 ]; then
		tail -n 60 "$slog"
		for f in $(find build-asan -name '*.log' ! -name test-suite.log 2>/dev/null); do
			if grep -qE '^(not ok|FAIL|ERROR)|runtime error|AddressSanitizer|LeakSanitizer' "$f" 2>/dev/null; then
				say "--- $f"; tail -n 40 "$f"
			fi
		done
	fi
	count_results "$slog" "$sstatus"
	rm -f "$slog"
	return "$sstatus"
}

# In CI: each libFuzzer target for FUZZ_SECONDS seconds (60), as many at a
# time as there are cores; each target that ends without a crash counts
# as passed. GUANQING_FUZZ=0 leaves it out, GUANQING_FUZZ=1 runs it
# outside CI too.
run_fuzz() {
	if [ "${GUANQING_FUZZ:-${CI:-false}}" != 1 ] && [ "${GUANQING_FUZZ:-${CI:-false}}" != true ]; then
		return 0
	fi
	say "fuzzing each target for ${FUZZ_SECONDS:-60} s"
	flog=$(mktemp)
	fstatus=0
	make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}" >"$flog" 2>&1 || fstatus=$?
	grep -E '^(PASS|FAIL):' "$flog" || true
	[ "$fstatus" -ne 0 ] && tail -n 30 "$flog"
	fp=$(grep -c '^PASS:' "$flog"); ff=$(grep -c '^FAIL:' "$flog")
	if [ "$fstatus" -ne 0 ] && [ "$ff" -eq 0 ]; then
		ff=1	# the build of the targets failed
	fi
	all_pass=$((all_pass + fp)); all_fail=$((all_fail + ff))
	rm -f "$flog"
	return "$fstatus"
}

case "${1:-}" in
run)
	install_packages
	build
	demo_dir="${XDG_DATA_HOME:-$HOME/.local/share}/guanqing"
	mkdir -p "$demo_dir"
	db="$demo_dir/demo.db"
	export GUANQING_DATA_DIR="$top/data" GUANQING_FORMS_DIR="$top/screens/forms" \
		GUANQING_LOCALEDIR="$top/po/locale"
	county="$demo_dir/demo-county.db"
	if [ -f "$db" ] && [ ! -f "$county" ]; then
		# A demo made before the demo had its county: made again.
		say "the demo database $db has no demo county; making a new demo (the old one is kept as $db.old)"
		for f in "$db" "$db-wal" "$db-shm"; do
			[ -f "$f" ] && mv "$f" "$f.old"
		done
	fi
	if [ ! -f "$db" ]; then
		say "creating the demo database $db and its county $county"
		./guanqing --db "$db" demo
	fi
	say "sign in as 王春梅 (grid worker) or 陈志强 (station admin); the demo PIN is 246810"
	say "the county: ./guanqing --db $county ui (张主任, the same PIN)"
	sleep 2
	if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
		export LANG=zh_CN.UTF-8
		unset LC_ALL
	fi
	exec ./guanqing --db "$db" ui
	;;
test)
	install_packages
	build --enable-test-hooks
	st=0
	run_tests || st=$?
	run_tests_deb || st=$?
	run_tests_i386 || st=$?
	run_tests_sanitize || st=$?
	run_fuzz || st=$?
	print_totals
	exit "$st"
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac
