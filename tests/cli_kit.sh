#!/bin/sh
# The install kit: the county writes it (packages in dependency order, a
# signed manifest); a station verifies it; a changed byte in a .deb, a
# changed manifest, an extra file or another county's signature is refused
# by both `guanqing kit verify` and the install script, which then
# installs nothing. The install script itself runs into an empty dpkg root
# (dpkg --root) with small packages made here.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

if ! command -v dpkg-deb >/dev/null 2>&1; then
	echo "1..0 # SKIP dpkg-deb is not installed"
	exit 0
fi
plan 31
county_init
enroll_station 411524103205 st
SCRIPT=$top_srcdir/data/kit-install.sh
arch=$(dpkg --print-architecture)

# mkdeb NAME VERSION ARCH DEPENDS [FILE]: a small package in $T/debs.
mkdir -p "$T/debs"
mkdeb() {
	_d=$T/pkg-$1-$3
	rm -rf "$_d"
	mkdir -p "$_d/DEBIAN" "$_d/usr/share/doc/$1"
	echo "$1 $2" >"$_d/usr/share/doc/$1/README"
	{
		printf 'Package: %s\nVersion: %s\nArchitecture: %s\n' "$1" "$2" "$3"
		printf 'Maintainer: 商城县民政局 <guanqing@example.org>\nDescription: test package\n'
		[ -n "$4" ] && printf 'Depends: %s\n' "$4"
	} >"$_d/DEBIAN/control"
	if [ "$1" = guanqing ]; then
		mkdir -p "$_d/usr/bin"
		printf '#!/bin/sh\necho "guanqing %s"\n' "$2" >"$_d/usr/bin/guanqing"
		chmod 755 "$_d/usr/bin/guanqing"
	fi
	dpkg-deb -Zgzip --root-owner-group --build "$_d" "$T/debs/${1}_${2}_$3.deb" >/dev/null
}
for a in amd64 i386; do
	mkdeb guanqing 0.1.0-1 $a "libsodium-test23 (>= 1.0.18), libc-test6 | libc-test-alt"
	mkdeb libsodium-test23 1.0.18-1 $a "libc-test6 (>= 2.34)"
	mkdeb libc-test6 2.36-9 $a ""
done

run gqc kit --out "$T/kit" --debs "$T/debs" --no-download
is "$rc" 0 "kit --out DIR succeeds at the county"
like "$out" "Kit $T/kit: guanqing 0.1.0-1, signed with the county's key [0-9A-F-]{19}" "it names the kit and the key"
order=$(sed -n "s|^file [0-9a-f]* [0-9]* $arch/\\([^_]*\\)_.*|\\1|p" "$T/kit/MANIFEST" | tr '\n' ' ')
is "$order" "libc-test6 libsodium-test23 guanqing " "the packages are listed in install order, dependencies first"
for f in install.sh county-sign.pub amd64/guanqing_0.1.0-1_amd64.deb i386/guanqing_0.1.0-1_i386.deb; do
	[ -f "$T/kit/$f" ] || fail "$f is in the kit"
done
pass "the kit holds the script, the key and the packages for amd64 and i386"
h=$(sed -n 's|^file \([0-9a-f]*\) [0-9]* amd64/guanqing_.*|\1|p' "$T/kit/MANIFEST")
if command -v b2sum >/dev/null 2>&1; then
	is "$h" "$(b2sum -l 256 "$T/kit/amd64/guanqing_0.1.0-1_amd64.deb" | cut -d' ' -f1)" \
		"the manifest's hash is the file's BLAKE2b-256"
else
	skip "b2sum is not installed"
fi

run gqs st kit verify "$T/kit"
is "$rc" 0 "the station verifies the kit with the county key it holds"
like "$out" 'for amd64 i386, 8 files, signed with the county.s key .*: verified' "and says what it verified"
run gqs st kit --out "$T/kit-st" --debs "$T/debs"
is "$rc" 1 "a station cannot make a kit"
run gqc kit --out "$T/kit" --debs "$T/debs" --no-download
is "$rc" 1 "a kit is not written over another"
run gqc kit --out "$T/kit-none" --debs "$T/nowhere" --no-download
like "$err" 'no guanqing package for amd64' "no package: the message says which"
rm "$T/debs/libc-test6_2.36-9_i386.deb"
run gqc kit --out "$T/kit-part" --debs "$T/debs" --no-download
like "$err" 'package libc-test6 for i386 \(needed by libsodium-test23\) is not in' "a missing dependency is named"
mkdeb libc-test6 2.36-9 i386 ""

# tamper KIND: a copy of the kit, spoilt.
tamper() {
	rm -rf "$T/bad"
	cp -R "$T/kit" "$T/bad"
	case $1 in
	deb)
		_f=$T/bad/$arch/libsodium-test23_1.0.18-1_$arch.deb
		_b=$(od -An -tx1 -j 200 -N1 "$_f" | tr -d ' ')
		_c=X
		[ "$_b" = 58 ] && _c=Y
		printf %s "$_c" | dd of="$_f" bs=1 seek=200 conv=notrunc 2>/dev/null ;;
	manifest) sed -i 's/^version .*/version 9.9.9/' "$T/bad/MANIFEST" ;;
	extra) cp "$T/kit/$arch/guanqing_0.1.0-1_$arch.deb" "$T/bad/$arch/evil_1.0_$arch.deb" ;;
	foreign) rm -rf "$T/bad"; cp -R "$T/kit-other" "$T/bad" ;;
	esac
}
# Another county's kit of the same packages.
"$GUANQING" --db "$T/other.db" county init --division 411524 $ADMIN_OPTS >/dev/null 2>&1
"$GUANQING" --db "$T/other.db" kit --out "$T/kit-other" --debs "$T/debs" --no-download >/dev/null

for kind in deb manifest extra foreign; do
	tamper $kind
	run gqs st kit verify "$T/bad"
	case $kind in
	deb) want='libsodium-test23_1.0.18-1_.*\.deb is not the file the county signed' ;;
	manifest) want='signature of its MANIFEST does not verify' ;;
	extra) want='evil_1.0_.*\.deb is not in its manifest' ;;
	foreign) want='signed with the key [0-9A-F-]*, not with this county.s key' ;;
	esac
	is "$rc" 1 "kit verify refuses a kit with a changed $kind"
	like "$err" "The kit $T/bad is refused: .*$want" "and names what is wrong ($kind)"
done

# The install script, into an empty dpkg root.
if [ "$(id -u)" -ne 0 ]; then
	skip "the install script needs root (dpkg --root)" 12
	finish
	exit $?
fi
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
: >"$R/var/lib/dpkg/available"
run sh "$T/kit/install.sh" --root "$R"
is "$rc" 0 "a first install into an empty root succeeds"
like "$out" 'installed: guanqing 0.1.0-1' "it checks the installed program runs"
like "$out" 'nothing was started' "and starts nothing"
st=$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Package} ${Status}\n' 2>/dev/null | sort | tr '\n' ';')
is "$st" "guanqing install ok installed;libc-test6 install ok installed;libsodium-test23 install ok installed;" \
	"guanqing and its dependencies are installed"
is "$(cat "$R/etc/guanqing/county-sign.pub")" "$(cat "$T/kit/county-sign.pub")" "the county key is kept for updates"

before=$(cat "$R/var/lib/dpkg/status")
for kind in deb manifest foreign; do
	tamper $kind
	GUANQING=$GUANQING run sh "$T/bad/install.sh" --root "$R"
	is "$rc" 1 "the install script refuses an update with a changed $kind"
done
like "$err" 'does not verify against the county key.*refused, nothing installed' "it says nothing was installed"
is "$(cat "$R/var/lib/dpkg/status")" "$before" "and the installed packages are as they were"

# Without the kept key, an update is verified with the station's database.
rm "$R/etc/guanqing/county-sign.pub"
tamper foreign
GUANQING=$GUANQING run sh "$T/bad/install.sh" --root "$R" --db "$T/st.db"
is "$rc" 1 "with the station's database, another county's kit is refused"
GUANQING=$GUANQING run sh "$T/kit/install.sh" --root "$R" --db "$T/st.db"
is "$rc" 0 "and the county's own kit installs as an update"
finish
