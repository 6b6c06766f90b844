#!/bin/sh
# sync_concurrency.sh - an import held inside its transaction (the shim
# stalls its commit for 7 s, longer than SQLite's usual 5 s wait): a second
# import at the same time says another import is running; a save on the
# command line and on the screens waits, says why, and then succeeds; two
# writers at once both save. Nothing is lost and check passes after.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

SHIM=${top_builddir:-.}/tests/faultshim.so
if [ ! -f "$SHIM" ]; then
	echo "1..0 # SKIP $SHIM is not built"
	exit 0
fi
county_init
enroll_station 411524103205 st
for n in 张桂兰 王德明 李秀英 刘玉兰 陈志刚; do
	gqs st person add --name "$n" --sex F >/dev/null
done
gqs st export --to "$STICK" >/dev/null

# wal_writes DB CMD...: how many writes CMD makes to DB's WAL (on a copy).
wal_writes() {
	_db=$1
	shift
	cp "$_db" "$T/copy.db"
	env LD_PRELOAD="$SHIM" GQF_OPS=write GQF_PATH="$_db-wal" GQF_COUNT="$T/count" "$@" \
		>/dev/null 2>&1
	cp "$T/copy.db" "$_db"
	rm -f "$_db-wal" "$_db-shm"
	cat "$T/count"
}
# stalled DB N CMD...: run CMD in the background, stalled 7 s at its Nth
# write to DB's WAL (inside the commit: the write lock is held).
stalled() {
	_db=$1 _n=$2
	shift 2
	env LD_PRELOAD="$SHIM" GQF_OPS=write GQF_PATH="$_db-wal" GQF_AT="$_n" GQF_ACTION=stall \
		GQF_STALL_MS=7000 "$@" >"$T/bg.out" 2>"$T/bg.err" &
	bg=$!
	sleep 1.5
}

# ---- two imports at once, and a save on the command line meanwhile ----
n=$(wal_writes "$C" "$GUANQING" --db "$C" import "$STICK")
ok '[ "$n" -ge 2 ]' "the county's import writes its WAL ($n writes)"
stalled "$C" "$n" "$GUANQING" --db "$C" import "$STICK"
run gqc import "$STICK"
is "$rc" 1 "a second import at the same time is refused"
like "$err" 'Another import into .* is running' "and says another import is running"
start=$(date +%s)
run gqc person add --name 郑秀兰 --sex F --village 411524103206
end=$(date +%s)
is "$rc" 0 "a save during the import waits and succeeds"
like "$err" 'an import into .* is running; waiting' "it says it waits for the import"
ok '[ $((end - start)) -ge 4 ]' "it waited for the import ($((end - start)) s)"
wait "$bg"
is "$?" 0 "the stalled import finishes"
like "$(cat "$T/bg.out")" 'bundle 1 from .*: [0-9]+ changes' "and imported the bundle"
is "$(gqc person list --format csv --codes | grep -c -e 张桂兰 -e 王德明 -e 李秀英 -e 刘玉兰 -e 陈志刚 -e 郑秀兰)" 6 \
	"the county has the five imported people and the one saved meanwhile"
run gqc check
is "$rc" 0 "the county passes check"

# ---- two writers at once ----
m=$(wal_writes "$T/st.db" "$GUANQING" --db "$T/st.db" person add --name 孙德福 --sex M)
stalled "$T/st.db" "$m" "$GUANQING" --db "$T/st.db" person add --name 孙德福 --sex M
run gqs st person add --name 马桂英 --sex F
is "$rc" 0 "the second writer waits and saves"
like "$err" 'another program is writing to .*; waiting' "and says it waits"
wait "$bg"
is "$?" 0 "the first writer saves too"
is "$(gqs st person list --format csv --codes | grep -c -e 孙德福 -e 马桂英)" 2 "both people are there"

# ---- the screens open while an import runs ----
if command -v tmux >/dev/null 2>&1; then
	. "${top_srcdir:-.}/tests/screen_lib.sh"
	gqc export --to "$STICK" >/dev/null
	GUANQING_DB=$T/st.db
	export GUANQING_DB
	k=$(wal_writes "$T/st.db" "$GUANQING" --db "$T/st.db" import "$STICK")
	scr_start screen "" --lang zh
	keys Enter
	wait_for 'PIN'
	typ "$(cat "$ADMIN_PIN")"
	keys Enter
	wait_for 'F3'
	keys F3
	wait_for '查找'
	keys F3
	wait_for '新建'
	typ '胡玉梅'
	stalled "$T/st.db" "$k" "$GUANQING" --db "$T/st.db" import "$STICK"
	keys F2
	wait_for '正在导入'
	like "$(screen)" '正在导入，请稍候' "a save on the screens during an import says to wait"
	i=0
	while [ $i -lt 100 ] && ! screen | grep -q '已保存'; do
		sleep 0.1
		i=$((i + 1))
	done
	like "$(screen)" '已保存' "and is saved once the import has let it in"
	wait "$bg"
	is "$?" 0 "the import finishes"
	$TM kill-server >/dev/null 2>&1
	is "$(gqs st person list --format csv --codes | grep -c 胡玉梅)" 1 "the person saved on the screens is there"
	run gqs st check
	is "$rc" 0 "the station passes check"
else
	skip "tmux is not installed" 5
fi
finish
