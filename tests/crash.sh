#!/bin/bash
# crash.sh - power cuts, kills and faults at exact system calls of adds,
# edits, exports and imports (tests/faultshim.so), as SQLite's crash test
# does. Each point starts from the same county and station, runs one
# operation with one fault at the Nth counted call, then checks:
#   - `guanqing check` of both databases (PRAGMA integrity_check, foreign
#     keys, the change log);
#   - an operation that reported success is there (the person added, the
#     field edited, the bundle on the stick, the bundle's people at the
#     county); one that failed said why on stderr;
#   - no bundle is half-applied (its people are at the county all or none);
#   - every bundle the station has as sent is on the stick;
#   - the next exchange (export, import, both ways) works, refuses
#     nothing and converges: the county holds the station's rows.
# POINTS (default 300) points are drawn with SEED (default 1): which
# operation, which fault (kill before or after the call, a power cut that
# loses unsynced writes, EIO, ENOSPC, EACCES) and which call.

# The many small databases live in memory where /dev/shm allows.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

SHIM=${top_builddir:-.}/tests/faultshim.so
if [ ! -f "$SHIM" ]; then
	echo "1..0 # SKIP $SHIM is not built"
	exit 0
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP sqlite3 is not installed"
	exit 0
fi
POINTS=${POINTS:-300}
SEED=${SEED:-1}
plan "$((POINTS + 1))"

# ---- the template: a county and a station that have exchanged once ----
county_init
enroll_station 411524103205 a
# Every command signs in (GUANQING_USER and GUANQING_PIN_FILE from
# tests/lib.sh): the station's secret keys open only for a user with a PIN.
for n in 张桂兰 王德明 李秀英 刘玉兰 陈志刚; do
	gqs a person add --name "$n" --sex F --address "宋岗村一组" >/dev/null
done
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
gqc export --to "$STICK" >/dev/null
gqs a import "$STICK" >/dev/null
P1=$(gqs a person list --format csv --codes | awk -F, 'NR == 2 { print $1 }')
# Pending: two people in a bundle on the stick not yet imported, a county
# bundle not yet imported by the station.
gqs a person add --name 杨春梅 --sex F >/dev/null
gqs a person add --name 黄国强 --sex M >/dev/null
gqs a export --to "$STICK" >/dev/null
gqc export --to "$STICK" --station "$(station_id a)" >/dev/null
TPL=$T/tpl
mkdir -p "$TPL"
cp -a "$C" "$T/a.db" "$STICK" "$TPL/"
TOC=$STICK/guanqing/to-county
recv0=$(sqlite3 "$T/a.db" "SELECT recv_number FROM peer")

restore() {
	rm -rf "$STICK" "$C"* "$T/a.db"*
	cp -a "$TPL/county.db" "$C"
	cp -a "$TPL/a.db" "$T/a.db"
	cp -a "$TPL/stick" "$STICK"
}

NAMES="赵淑珍 周建国 吴小红 郑秀兰 孙德福 马桂英 朱明亮 胡玉梅 郭志强 何淑英 高建华 林秀珍 罗国庆"
OPS="add edit export cimport cexport simport"
# op_cmd OP I: the command line of operation OP at point I.
op_cmd() {
	case $1 in
	add) set -- "$1" "$2" $NAMES
		_k=$(($2 % 13 + 3))
		eval "_name=\${$_k}"
		echo "--db $T/a.db person add --name $_name --sex F" ;;
	edit) echo "--db $T/a.db person edit $P1 --set phone=1390000$(printf '%04d' $(($2 % 10000)))" ;;
	export) echo "--db $T/a.db export --to $STICK" ;;
	cimport) echo "--db $C import $STICK" ;;
	cexport) echo "--db $C export --to $STICK --station $(station_id a)" ;;
	simport) echo "--db $T/a.db import $STICK" ;;
	esac
}
KILL_OPS=write,fsync,rename,unlink,truncate,mkdir,open
ERR_OPS=write,fsync,rename,read,open

# How many calls each operation makes, for the kill and the error sets.
for op in $OPS; do
	for set in kill err; do
		restore
		[ $set = kill ] && ops=$KILL_OPS || ops=$ERR_OPS
		env LD_PRELOAD="$SHIM" GQF_OPS=$ops GQF_PATH="$T/" GQF_COUNT="$T/count" \
			"$GUANQING" $(op_cmd $op 0) >/dev/null 2>&1
		eval "n_${op}_$set=$(cat "$T/count")"
	done
done
ok '[ "$n_export_kill" -gt 10 ] && [ "$n_cimport_err" -gt 10 ]' \
	"the shim counts the calls (export $n_export_kill, county import $n_cimport_err)"

# A small deterministic generator (an LCG) for the points.
rnd=$SEED
next() { rnd=$(( (rnd * 1103515245 + 12345) % 2147483648 )); r=$(( rnd / 65536 )); }

# check_point DESC: the checks after one faulted operation. Sets why.
check_point() {
	why=
	# guanqing check runs PRAGMA integrity_check, the foreign keys and the
	# change log's consistency.
	for db in "$C" "$T/a.db"; do
		"$GUANQING" --db "$db" check >"$T/chk" 2>&1 || why="$why check($db): $(tr '\n' ' ' <"$T/chk");"
	done
	if [ "$frc" = 0 ]; then
		case $op in
		add) gqs a person list --format csv --codes | grep -q "$name" || why="$why the added person is missing;" ;;
		edit) gqs a person show "$P1" | grep -q "$phone" || why="$why the edit is missing;" ;;
		export|cexport)
			_f=$(sed -n 's/.*written to \(.*\.gqb\)\..*/\1/p' "$T/fout" | head -n 1)
			[ -n "$_f" ] && [ -f "$_f" ] || why="$why the bundle reported written is not on the stick;" ;;
		cimport) [ "$(gqc person list --format csv --codes | grep -c -e 杨春梅 -e 黄国强)" = 2 ] ||
			why="$why the imported people are missing;" ;;
		simport) [ "$(sqlite3 "$T/a.db" 'SELECT recv_number FROM peer')" -gt "$recv0" ] ||
			why="$why the imported bundle is not recorded;" ;;
		esac
	elif [ "$frc" != 137 ] && [ ! -s "$T/ferr" ]; then
		why="$why it failed ($frc) without a message;"
	fi
	# No bundle half-applied.
	_half=$(gqc person list --format csv --codes | grep -c -e 杨春梅 -e 黄国强)
	[ "$_half" = 0 ] || [ "$_half" = 2 ] || why="$why a bundle is half-applied ($_half of 2);"
	# The station's outbox is on the stick.
	for _f in $(sqlite3 "$T/a.db" "SELECT file_name FROM bundle_out"); do
		[ -f "$TOC/$_f" ] || why="$why bundle $_f is marked sent but not on the stick;"
	done
	# The next exchange works and converges.
	_log=
	for _step in "a export" "c import" "c export" "a import"; do
		set -- $_step
		if [ "$1" = a ]; then _db=$T/a.db; else _db=$C; fi
		if [ "$2" = export ]; then _args="export --to $STICK"; else _args="import $STICK"; fi
		"$GUANQING" --db "$_db" $_args >"$T/nout" 2>&1
		_src=$?
		_log="$_log $_step:$_src"
		if [ "$_src" != 0 ] || grep -q 'REFUSED\|could not be read' "$T/nout"; then
			why="$why next $_step failed ($_src): $(tr '\n' ' ' <"$T/nout");"
			break
		fi
	done
	if [ "$(station_rows a | sort)" != "$(rows_of_village "$C" 411524103205 | sort)" ]; then
		why="$why the county does not hold the station's rows after the exchange;"
	fi
	_unsent=$(sqlite3 "$T/a.db" "SELECT count(*) FROM change_log WHERE origin = (SELECT value FROM meta WHERE key = 'station_id') AND seq > (SELECT acked_seq FROM peer)")
	[ "$_unsent" = 0 ] || why="$why $_unsent changes are not acknowledged after the exchange;"
}

failed=0
i=1
while [ "$i" -le "$POINTS" ]; do
	next; op=$(echo $OPS | cut -d' ' -f$((r % 6 + 1)))
	next; mode=$(echo kill kill-after powercut eio enospc eacces | cut -d' ' -f$((r % 6 + 1)))
	case $mode in
	kill*|powercut) set=kill ops=$KILL_OPS ;;
	*) set=err ops=$ERR_OPS ;;
	esac
	eval "n=\$n_${op}_$set"
	next; at=$((r % n + 1))
	# ONLY=N runs point N alone, logging its calls to $ONLY_LOG.
	if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$i" ]; then
		pass "point $i: not run (ONLY=$ONLY)"
		i=$((i + 1))
		continue
	fi
	restore
	cmd=$(op_cmd $op "$i")
	name=$(echo "$cmd" | sed -n 's/.*--name \([^ ]*\).*/\1/p')
	phone=$(echo "$cmd" | sed -n 's/.*phone=\([0-9]*\).*/\1/p')
	env LD_PRELOAD="$SHIM" GQF_OPS=$ops GQF_PATH="$T/" GQF_AT=$at GQF_ACTION=$mode \
		${ONLY:+GQF_LOG=$ONLY_LOG} \
		"$GUANQING" $cmd >"$T/fout" 2>"$T/ferr"
	frc=$?
	check_point
	[ -n "${ONLY:-}" ] && { cat "$T/fout" "$T/ferr"; ls -la "$TOC"; } >&2
	if [ -z "$why" ]; then
		pass "point $i: $op, $mode at call $at of $n (exit $frc)"
	else
		fail "point $i: $op, $mode at call $at of $n (exit $frc)" "$why"
		failed=$((failed + 1))
	fi
	i=$((i + 1))
done
finish
