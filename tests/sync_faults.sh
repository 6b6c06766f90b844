#!/bin/bash
# sync_faults.sh - exports and imports stopped or failing at exact system
# calls (tests/faultshim.so): a kill right after the bundle got its name on
# the stick, a failing fsync of the folder, read errors while the county
# checks a good bundle, temporary files left by killed exports, and
# symbolic links in the stick's folders. Each ends with every record at the
# county and nothing marked as delivered that the county did not apply.

. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

SHIM=${top_builddir:-.}/tests/faultshim.so
if [ ! -f "$SHIM" ]; then
	echo "1..0 # SKIP $SHIM is not built"
	exit 0
fi
# faulty ENV... -- ARGS: guanqing under the shim (ENV are GQF_* settings).
faulty() {
	_envs=
	while [ "$1" != -- ]; do
		_envs="$_envs $1"
		shift
	done
	shift
	env LD_PRELOAD="$SHIM" $_envs "$GUANQING" "$@"
}
bname() { printf '%s-%020d.gqb' "$1" "$2"; }
county_has() { gqc person list --format csv --codes 2>/dev/null | grep -c "$1" | tr -d ' '; }

county_init
enroll_station 411524103205 a
A=$(station_id a)
TOC=$STICK/guanqing/to-county

# ---- 1. killed after the rename: the number is never given again ----
gqs a person add --name 张桂兰 --sex F --phone 13800000001 >/dev/null
run faulty GQF_OPS=rename GQF_PATH="$STICK" GQF_AT=1 GQF_ACTION=kill-after -- \
	--db "$T/a.db" export --to "$STICK"
is "$rc" 137 "an export killed right after the rename dies"
ok '[ -f "$TOC/$(bname "$A" 1)" ]' "bundle 1 is complete on the stick"
run gqc import "$STICK"
is "$rc" 0 "the county imports bundle 1"
gqs a person add --name 王德明 --sex M >/dev/null
run gqs a export --to "$STICK"
is "$rc" 0 "the next export succeeds"
like "$out" 'Bundle 2 for the county' "the next export is bundle 2, not bundle 1 again"
run gqc import "$STICK"
is "$rc" 0 "the county imports it"
unlike "$out" 'REFUSED' "nothing is refused"
is "$(county_has 王德明)" 1 "the person added after the crash reaches the county"
# The county's acknowledgement covers what it applied, and no more.
mkdir -p "$T/back"
gqc export --to "$T/back" >/dev/null
gqs a import "$T/back" >/dev/null
gqs a person add --name 李秀英 --sex F >/dev/null
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
is "$(county_has 李秀英)" 1 "after the acknowledgement the next person still reaches the county"

# The folder's fsync fails after the rename: the export fails, the number
# stays taken (its file is there), and nothing is lost.
gqs a person add --name 刘玉兰 --sex F >/dev/null
run faulty GQF_OPS=fsync GQF_PATH="$TOC" GQF_AT=2 GQF_ACTION=eio -- \
	--db "$T/a.db" export --to "$STICK"
is "$rc" 1 "an export whose folder fsync fails exits 1"
like "$err" 'Could not make sure that the name' "and says the name may not be stored"
unlike "$out" 'safe to remove' "it does not say the stick is safe to remove"
gqc import "$STICK" >/dev/null
gqs a person add --name 陈志刚 --sex M >/dev/null
run gqs a export --to "$STICK"
like "$out" 'Bundle 5 for the county' "the next export takes the next number"
run gqc import "$STICK"
unlike "$out" 'REFUSED' "the county refuses nothing"
is "$(county_has 刘玉兰)$(county_has 陈志刚)" 11 "both people are at the county"

# A failed write before the rename gives its number back.
gqs a person add --name 杨春梅 --sex F >/dev/null
run faulty GQF_OPS=write GQF_PATH="$TOC" GQF_AT=1 GQF_ACTION=enospc -- \
	--db "$T/a.db" export --to "$STICK"
is "$rc" 1 "an export that cannot write exits 1"
like "$err" 'the stick is full' "and says the stick is full"
run gqs a export --to "$STICK"
like "$out" 'Bundle 6 for the county' "the number of the failed export is used by the next one"
gqc import "$STICK" >/dev/null
is "$(county_has 杨春梅)" 1 "the person reaches the county"

# A bundle on the stick that the database does not know of (left by an
# export that an older version recorded only after the rename): its number
# is not given again.
gqs a person add --name 黄国强 --sex M >/dev/null
gqs a export --to "$STICK" >/dev/null
sqlite3 "$T/a.db" "UPDATE peer SET sent_number = 6"
gqs a person add --name 赵淑珍 --sex F >/dev/null
run gqs a export --to "$STICK"
like "$out" 'Bundle 8 for the county' "the export skips the number found on the stick"
run gqc import "$STICK"
unlike "$out" 'REFUSED' "the county refuses nothing"
is "$(county_has 黄国强)$(county_has 赵淑珍)" 11 "both people reach the county"

# ---- 3. temporary files left by killed exports are removed ----
n=0
for name in 孙德福 朱明亮 胡玉梅; do
	n=$((n + 1))
	gqs a person add --name "$name" --sex M >/dev/null
	faulty GQF_OPS=write GQF_PATH="$TOC" GQF_AT=$((n + 1)) GQF_ACTION=kill -- \
		--db "$T/a.db" export --to "$STICK" >/dev/null 2>&1
done
ok '[ "$(find "$TOC" -name ".*.tmp" | wc -l)" -eq 1 ]' "three killed exports left one temporary file: each removed the ones before it"
: >"$TOC/.notes.tmp"
run gqs a export --to "$STICK"
is "$rc" 0 "the next export succeeds"
is "$(cd "$TOC" && ls -A | grep '\.tmp$')" ".notes.tmp" "it removed our temporary files and left the one that is not ours"
gqc import "$STICK" >/dev/null
is "$(county_has 孙德福)$(county_has 朱明亮)$(county_has 胡玉梅)" 111 "the people of the killed exports reach the county"

# ---- 4. symbolic links out of the stick are not followed ----
gqs a person add --name 马桂英 --sex F >/dev/null
mkdir -p "$T/elsewhere" "$T/s4"
ln -s "$T/elsewhere" "$T/s4/guanqing"
run gqs a export --to "$T/s4"
is "$rc" 1 "an export to a stick whose guanqing folder is a link fails"
like "$err" 'symbolic link' "and says the folder is a symbolic link"
unlike "$out" 'safe to remove' "it does not say the stick is safe to remove"
is "$(find "$T/elsewhere" -type f | wc -l | tr -d ' ')" 0 "nothing was written where the link leads"
rm "$T/s4/guanqing"
mkdir -p "$T/s4/guanqing"
ln -s "$T/elsewhere" "$T/s4/guanqing/to-county"
run gqs a export --to "$T/s4"
is "$rc" 1 "an export to a stick whose to-county folder is a link fails"
is "$(find "$T/elsewhere" -type f | wc -l | tr -d ' ')" 0 "nothing was written there either"
run gqs a export --to "$STICK"
is "$rc" 0 "the export to a good stick then succeeds"
like "$out" 'Bundle 1[0-9] for the county: [1-9]' "and carries the new person"
# The county: a linked guanqing folder, and a bundle that is a link.
mkdir -p "$T/s5"
cp -r "$STICK/guanqing" "$T/s5-real"
ln -s "$T/s5-real" "$T/s5/guanqing"
run gqc import "$T/s5"
is "$rc" 1 "an import from a stick whose guanqing folder is a link fails"
like "$err" 'symbolic link' "and says so"
mkdir -p "$T/s6/guanqing/to-county"
last=$(cd "$TOC" && ls | grep '\.gqb$' | tail -n 1)
ln -s "$TOC/$last" "$T/s6/guanqing/to-county/$last"
run gqc import "$T/s6"
unlike "$out" 'bundle [0-9]+ from' "a bundle that is a link is not imported"
is "$(county_has 马桂英)" 0 "its person is not at the county through the link"
run gqc import "$STICK"
is "$(county_has 马桂英)" 1 "the bundle itself imports from the stick"

# ---- 2. read errors while the county checks a good bundle ----
enroll_station 411524103206 b
B=$(station_id b)
gqs b person add --name 周建国 --sex M >/dev/null
mkdir -p "$T/s2"
gqs b export --to "$T/s2" >/dev/null
B1=$T/s2/guanqing/to-county/$(bname "$B" 1)
cp "$C" "$T/county.keep"
faulty GQF_OPS=read GQF_PATH="$B1" GQF_COUNT="$T/reads" -- --db "$C" import "$B1" >/dev/null 2>&1
reads=$(cat "$T/reads")
ok '[ "$reads" -ge 3 ]' "the county's import reads the bundle $reads times"
bad=0
n=1
while [ "$n" -le "$reads" ]; do
	for e in eio eacces; do
		cp "$T/county.keep" "$C"
		rm -f "$C-wal" "$C-shm"
		run faulty GQF_OPS=read GQF_PATH="$B1" GQF_AT=$n GQF_ACTION=$e -- --db "$C" import "$T/s2"
		if [ "$rc" != 1 ] || ! printf '%s\n' "$out" | grep -q 'could not be read' ||
			printf '%s\n' "$out" | grep -q 'REFUSED' || [ ! -f "$B1" ] ||
			[ -e "$B1.refused" ] || [ "$(county_has 周建国)" != 0 ]; then
			bad=$((bad + 1))
			diag "read $n ($e): rc $rc: $out"
		fi
		run gqc import "$T/s2"
		if [ "$rc" != 0 ] || [ "$(county_has 周建国)" != 1 ]; then
			bad=$((bad + 1))
			diag "read $n ($e): the next import: rc $rc: $out"
		fi
	done
	n=$((n + 1))
done
is "$bad" 0 "a read error at each of $reads reads (EIO, EACCES) is reported as one and leaves the bundle for the next import"

# ---- 5. an error at every call of an export and of an import ----
# (EIO, ENOSPC and EACCES in turn.) An export either writes and reports its
# bundle or fails with a message; an import never sets a good bundle aside
# for an error of the stick or of the database, and the next one takes it.
errs="eio enospc eacces"
gqs b person add --name 吴小红 --sex F >/dev/null
cp "$T/b.db" "$T/b.keep"
rm -rf "$T/s7"
mkdir -p "$T/s7"
faulty GQF_OPS=write,fsync,rename,read,open GQF_PATH="$T/" GQF_COUNT="$T/count" -- \
	--db "$T/b.db" export --to "$T/s7" >/dev/null 2>&1
calls=$(cat "$T/count")
bad=0
k=1
while [ "$k" -le "$calls" ]; do
	e=$(echo $errs | cut -d' ' -f$((k % 3 + 1)))
	cp "$T/b.keep" "$T/b.db"
	rm -rf "$T/b.db-wal" "$T/b.db-shm" "$T/s7"
	mkdir -p "$T/s7"
	run faulty GQF_OPS=write,fsync,rename,read,open GQF_PATH="$T/" GQF_AT=$k GQF_ACTION=$e -- \
		--db "$T/b.db" export --to "$T/s7"
	f=$(printf '%s\n' "$out" | sed -n 's/.*written to \(.*\.gqb\)\..*/\1/p')
	if [ "$rc" = 0 ] && { [ -z "$f" ] || [ ! -f "$f" ]; }; then
		bad=$((bad + 1)); diag "export call $k ($e): exit 0 without its bundle: $out"
	elif [ "$rc" != 0 ] && { [ -z "$err" ] || printf '%s' "$out" | grep -q 'safe to remove'; }; then
		bad=$((bad + 1)); diag "export call $k ($e): exit $rc: $out / $err"
	fi
	k=$((k + 1))
done
is "$bad" 0 "an error at each of the export's $calls calls: a reported bundle, or a failure that says why"

cp "$T/b.keep" "$T/b.db"
rm -rf "$T/b.db-wal" "$T/b.db-shm" "$T/s7"
mkdir -p "$T/s7"
gqs b export --to "$T/s7" >/dev/null
cp "$C" "$T/county.keep"
faulty GQF_OPS=write,fsync,rename,read,open GQF_PATH="$T/" GQF_COUNT="$T/count" -- \
	--db "$C" import "$T/s7" >/dev/null 2>&1
calls=$(cat "$T/count")
bad=0
k=1
while [ "$k" -le "$calls" ]; do
	e=$(echo $errs | cut -d' ' -f$((k % 3 + 1)))
	cp "$T/county.keep" "$C"
	rm -f "$C-wal" "$C-shm"
	for f in "$T"/s7/guanqing/to-county/*.refused; do
		[ -e "$f" ] && mv "$f" "${f%.refused}"
	done
	run faulty GQF_OPS=write,fsync,rename,read,open GQF_PATH="$T/" GQF_AT=$k GQF_ACTION=$e -- \
		--db "$C" import "$T/s7"
	if ls "$T"/s7/guanqing/to-county/*.refused >/dev/null 2>&1; then
		bad=$((bad + 1)); diag "import call $k ($e): a bundle was set aside: $out / $err"
	elif [ "$rc" = 0 ] && [ "$(county_has 吴小红)" != 1 ]; then
		bad=$((bad + 1)); diag "import call $k ($e): exit 0 without the bundle's person"
	elif [ "$rc" != 0 ] && [ -z "$err" ]; then
		bad=$((bad + 1)); diag "import call $k ($e): exit $rc without a message"
	else
		run gqc import "$T/s7"
		if [ "$rc" != 0 ] || [ "$(county_has 吴小红)" != 1 ]; then
			bad=$((bad + 1)); diag "import call $k ($e): the next import: exit $rc: $out"
		fi
	fi
	k=$((k + 1))
done
is "$bad" 0 "an error at each of the import's $calls calls: nothing set aside, the next import takes the bundle"

finish
