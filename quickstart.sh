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
tmux locales sqlite3 jq"

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
	total() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$log" | tail -n 1; }
	pass=$(total PASS); fail=$(total FAIL); err=$(total ERROR); skip=$(total SKIP); xpass=$(total XPASS)
	pass=${pass:-0}; fail=$(( ${fail:-0} + ${err:-0} + ${xpass:-0} )); skip=${skip:-0}
	if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1	# the build of the tests itself failed
	fi
	rm -f "$log"
	if [ "$skip" -gt 0 ]; then
		echo "$pass passed, $fail failed, $skip skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	return "$status"
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
	build --enable-test-hooks
	run_tests
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 2
	;;
esac
