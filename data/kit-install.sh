#!/bin/sh
# install.sh - install or update guanqing from this kit on a PC with no
# network. As root, from the kit's folder on the stick:
#
#	sudo sh install.sh [--db FILE] [--root DIR]
#
# It installs the kit's Debian packages for this PC's architecture with
# dpkg -i (the dependencies it lacks first, then guanqing), checks the
# result and starts nothing.
#
# An update (guanqing already installed) installs only a kit that the
# installed guanqing verifies ("guanqing kit verify"): signed with the
# county key kept in /etc/guanqing/county-sign.pub at the first install,
# or else the key in the station's database (--db FILE, or the database of
# the user who ran sudo). A first install checks every file's BLAKE2b hash
# (damage), trusts the kit's county key as the technician's own stick, and
# keeps that key for the updates. See doc/install.md.
#
# --root DIR installs into another root (dpkg --root), e.g. a disk mounted
# there.
set -eu

say() { printf 'guanqing kit: %s\n' "$*"; }
die() {
	printf 'guanqing kit: %s\n' "$*" >&2
	exit 1
}

kit=$(cd "$(dirname "$0")" && pwd)
root=
db=
while [ $# -gt 0 ]; do
	case $1 in
	--root) [ $# -ge 2 ] || die "--root needs a folder"; root=$2; shift 2 ;;
	--root=*) root=${1#--root=}; shift ;;
	--db) [ $# -ge 2 ] || die "--db needs a file"; db=$2; shift 2 ;;
	--db=*) db=${1#--db=}; shift ;;
	*) echo "usage: sudo sh install.sh [--db FILE] [--root DIR]" >&2; exit 2 ;;
	esac
done

[ "$(id -u)" -eq 0 ] || die "run me as root: sudo sh $0"
for tool in dpkg dpkg-deb dpkg-query mktemp; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: this is not a Debian-family system"
done
anchor=${root}/etc/guanqing/county-sign.pub
arch=$(dpkg --print-architecture)
[ -f "$kit/MANIFEST" ] || die "$kit/MANIFEST is missing: this is not a whole kit"
grep -q "^file [0-9a-f]* [0-9]* $arch/guanqing_" "$kit/MANIFEST" ||
	die "the kit has no guanqing package for this PC's architecture ($arch)"

# Work on a private copy: what is verified is what is installed, whatever
# happens to the stick meanwhile.
work=$(mktemp -d "${TMPDIR:-/tmp}/guanqing-kit.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM
chmod 700 "$work"
cp -R "$kit/." "$work/" || die "cannot copy the kit from $kit"

status=$(dpkg-query ${root:+--root="$root"} -W -f='${Status}' guanqing 2>/dev/null || true)
update=0
case $status in *" installed") update=1 ;; esac
[ -f "$anchor" ] && update=1

if [ "$update" = 1 ]; then
	# The installed guanqing (never the kit's) decides.
	gq=${GUANQING:-${root}/usr/bin/guanqing}
	[ -x "$gq" ] || gq=$(command -v guanqing || true)
	[ -n "$gq" ] && [ -x "$gq" ] || die "guanqing is installed but cannot be run to verify the kit: refused"
	if [ -f "$anchor" ]; then
		"$gq" kit verify "$work" --key "$anchor" ||
			die "the kit in $kit does not verify against the county key in $anchor: refused, nothing installed"
	else
		if [ -z "$db" ] && [ -n "${SUDO_USER:-}" ]; then
			home=$(getent passwd "$SUDO_USER" | cut -d: -f6)
			db=$home/.local/share/guanqing/guanqing.db
		fi
		[ -n "$db" ] && [ -f "$db" ] ||
			die "no county key to verify the kit with: give the station's database with --db FILE; refused, nothing installed"
		"$gq" --db "$db" kit verify "$work" ||
			die "the kit in $kit does not verify against the county key in $db: refused, nothing installed"
	fi
else
	# First install: no guanqing to check signatures yet. Check the
	# hashes (a damaged stick), then trust the technician's kit.
	command -v b2sum >/dev/null 2>&1 || die "b2sum is missing (GNU coreutils 8.26 or newer)"
	grep '^file ' "$work/MANIFEST" | while read -r _ hash size name; do
		[ -f "$work/$name" ] || die "$name is missing from the kit: refused, nothing installed"
		got=$(b2sum -l 256 "$work/$name" | cut -d' ' -f1)
		[ "$got" = "$hash" ] || die "$name is damaged (BLAKE2b hash differs): refused, nothing installed"
		[ "$(wc -c <"$work/$name" | tr -d ' ')" = "$size" ] ||
			die "$name is damaged (size differs): refused, nothing installed"
	done
fi

# The packages of this architecture in the kit's order: dependencies
# first. A dependency already installed at the same or a newer version
# is left alone (never downgraded).
deps=
main=
version=
for name in $(sed -n "s|^file [0-9a-f]* [0-9]* \($arch/[^ ]*\.deb\)$|\1|p" "$work/MANIFEST"); do
	f=$work/$name
	pkg=$(dpkg-deb -f "$f" Package)
	ver=$(dpkg-deb -f "$f" Version)
	if [ "$pkg" = guanqing ]; then
		main=$f
		version=$ver
		continue
	fi
	parch=$(dpkg-deb -f "$f" Architecture)
	q=$pkg
	[ "$parch" = all ] || q=$pkg:$parch
	have=$(dpkg-query ${root:+--root="$root"} -W -f='${Status} ${Version}' "$q" 2>/dev/null || true)
	case $have in
	"install ok installed "*)
		if dpkg --compare-versions "${have##* }" ge "$ver"; then
			continue
		fi
		;;
	esac
	deps="$deps $f"
done
[ -n "$main" ] || die "the kit has no guanqing package for $arch"

if [ -n "$deps" ]; then
	say "installing the libraries guanqing needs:$(for f in $deps; do printf ' %s' "$(basename "$f")"; done)"
	# shellcheck disable=SC2086
	dpkg ${root:+--root="$root"} -i $deps || die "dpkg -i of the libraries failed (see above)"
fi
say "installing $(basename "$main")"
dpkg ${root:+--root="$root"} -i "$main" || die "dpkg -i of guanqing failed (see above)"

# Check the result: the package is installed at the kit's version and the
# program runs.
status=$(dpkg-query ${root:+--root="$root"} -W -f='${Status} ${Version}' guanqing 2>/dev/null || true)
[ "$status" = "install ok installed $version" ] ||
	die "guanqing is not installed as it should be: dpkg says \"$status\""
gq=${root}/usr/bin/guanqing
out=$("$gq" --version 2>&1) || die "the installed $gq does not run: $out"
say "installed: $out"

if [ "$update" = 0 ]; then
	mkdir -p "${root}/etc/guanqing"
	cp "$work/county-sign.pub" "$anchor"
	chmod 644 "$anchor"
	"$gq" kit verify "$work" --key "$anchor" ||
		die "the kit does not verify against its own county key: remove $anchor and ask the county"
	say "the county key above is kept in $anchor; updates must be signed with it"
fi
say "done; nothing was started"
