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
libncurses-dev libsqlite3-dev uuid-dev zlib1g-dev libsodium-dev libcmocka-dev \
tmux locales sqlite3 jq clang libclang-rt-14-dev valgrind"

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
		$SUDO apt-get update
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

build() {
	if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
		say "bootstrapping (autoreconf)"
		autoreconf -fi
	fi
	if [ ! -f Makefile ] || [ configure -nt config.status ]; then
		say "configuring"
		./configure --quiet
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

# The whole suite again, built with ASan and UBSan (./configure
# --enable-sanitizers) in build-asan/, so that the normal build is left as
# it is. Automake does not build out of a source folder that is configured
# in place, so build-asan/tree is a copy of the distributed tree (make
# distdir). The crash harness runs 100 of its points there (300 in the
# normal run): it tests crash consistency, which the sanitizers do not
# change, and it is the slowest test. GUANQING_SANITIZE=0 leaves this run
# out.
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
		./configure --quiet --enable-sanitizers &&
		POINTS=100 make -j"$(nproc 2>/dev/null || echo 2)" check; } >"$slog" 2>&1 || sstatus=$?
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

# In CI: each libFuzzer target for FUZZ_SECONDS seconds (30 here: with 60
# the whole CI run, both suites and the fuzzing, took 29 minutes on two
# shared cores, too close to the limit); each target that ends without a
# crash counts as passed. GUANQING_FUZZ=0 leaves it out, GUANQING_FUZZ=1
# runs it outside CI too.
run_fuzz() {
	if [ "${GUANQING_FUZZ:-${CI:-false}}" != 1 ] && [ "${GUANQING_FUZZ:-${CI:-false}}" != true ]; then
		return 0
	fi
	say "fuzzing each target for ${FUZZ_SECONDS:-30} s"
	flog=$(mktemp)
	fstatus=0
	make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-30}" >"$flog" 2>&1 || fstatus=$?
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
	if [ ! -f "$db" ]; then
		say "creating the demo database $db"
		./guanqing --db "$db" demo
	fi
	say "sign in as 王春梅 (grid worker) or 陈志强 (station admin); the demo PIN is 246810"
	sleep 2
	if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
		export LANG=zh_CN.UTF-8
		unset LC_ALL
	fi
	exec ./guanqing --db "$db" ui
	;;
test)
	install_packages
	build
	st=0
	run_tests || st=$?
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
