# lib.sh - a small TAP library for the scenario tests that run the real
# guanqing binary. Source it from a test script:
#
#	. "${top_srcdir:-.}/tests/lib.sh"
#	plan 3              (or call done_testing at the end)
#	ok '[ -f "$db" ]' "the database exists"
#	run gq person list; is "$rc" 0 "person list succeeds"
#	like "$out" '张三' "the list shows 张三"
#
# Every script gets a fresh temporary directory $T (removed on exit) and a
# default database $T/station.db through GUANQING_DB. The harness
# (AM_TESTS_ENVIRONMENT in Makefile.am) exports GUANQING, GUANQING_NOW,
# GUANQING_DATA_DIR, GUANQING_FORMS_DIR, TZ and LANG; running a script by
# hand needs the same variables.

: "${GUANQING:?GUANQING must name the guanqing binary (make check sets it)}"
if [ ! -x "$GUANQING" ]; then
	echo "1..0 # SKIP $GUANQING is not built"
	exit 0
fi
TZ=${TZ:-UTC}
LANG=${LANG:-C.UTF-8}
LC_ALL=${LC_ALL:-C.UTF-8}
export TZ LANG LC_ALL

T=$(mktemp -d "${TMPDIR:-/tmp}/guanqing-test.XXXXXX") || {
	echo "Bail out! cannot make a temporary directory"
	exit 1
}
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM
GUANQING_DB=$T/station.db
XDG_DATA_HOME=$T/xdg
export GUANQING_DB XDG_DATA_HOME

# The first admin of a protected database ("county init" and "station init
# --setup" take --admin NAME and the PIN from --pin-file): ADMIN_OPTS says
# so, and GUANQING_USER / GUANQING_PIN_FILE sign every later command in. A
# database made with "station init --village" has no PIN and ignores them.
ADMIN_NAME=张主任
ADMIN_PIN=$T/admin.pin
printf '480215\n' > "$ADMIN_PIN"
chmod 600 "$ADMIN_PIN"
ADMIN_OPTS="--admin $ADMIN_NAME --pin-file $ADMIN_PIN"
GUANQING_USER=$ADMIN_NAME
GUANQING_PIN_FILE=$ADMIN_PIN
export GUANQING_USER GUANQING_PIN_FILE

_tap_n=0
_tap_failed=0
_tap_planned=
_tap_todo=

# plan N: say how many checks follow.
plan() {
	_tap_planned=$1
	echo "1..$1"
}

# done_testing: print the plan after the checks when none was given.
done_testing() {
	if [ -z "$_tap_planned" ]; then
		echo "1..$_tap_n"
		_tap_planned=$_tap_n
	fi
}

# diag TEXT...: a diagnostic line (or lines) for the log.
diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# todo REASON / end_todo: checks in between are expected to fail for now.
todo() { _tap_todo=$1; }
end_todo() { _tap_todo=; }

# _tap_result PASSED NAME: print one test line.
_tap_result() {
	_tap_n=$((_tap_n + 1))
	_dir=
	[ -n "$_tap_todo" ] && _dir=" # TODO $_tap_todo"
	if [ "$1" = 1 ]; then
		echo "ok $_tap_n - $2$_dir"
		return 0
	fi
	echo "not ok $_tap_n - $2$_dir"
	[ -z "$_tap_todo" ] && _tap_failed=$((_tap_failed + 1))
	return 1
}

# pass NAME / fail NAME [DIAG]: a check decided by the caller. A name
# that is a TAP directive ("# SKIP ...") would hide a skip as a pass: it
# fails; use skip.
pass() {
	case $1 in
	'#'*)
		_tap_result 0 "$1"
		diag "pass was given a directive as its name: use skip or todo"
		return 1
		;;
	esac
	_tap_result 1 "$1"
}
fail() {
	_tap_result 0 "$1"
	[ $# -gt 1 ] && diag "$2"
	return 1
}

# skip REASON [N]: N checks (default 1) that cannot run here.
skip() {
	_i=0
	while [ "$_i" -lt "${2:-1}" ]; do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # SKIP $1"
		_i=$((_i + 1))
	done
}

# ok COND NAME: COND is a shell command string, evaluated; its status decides.
ok() {
	if eval "$1"; then
		_tap_result 1 "$2"
	else
		_tap_result 0 "$2"
		diag "condition failed: $1"
		_tap_show_last
		return 1
	fi
}

# is GOT WANT NAME: the two strings are equal.
is() {
	if [ "$1" = "$2" ]; then
		_tap_result 1 "$3"
	else
		_tap_result 0 "$3"
		diag "got:  '$1'"
		diag "want: '$2'"
		_tap_show_last
		return 1
	fi
}

# isnt GOT UNWANTED NAME: the two strings differ.
isnt() {
	if [ "$1" != "$2" ]; then
		_tap_result 1 "$3"
	else
		_tap_result 0 "$3"
		diag "got '$1', which it should not be"
		return 1
	fi
}

# like TEXT REGEX NAME: TEXT matches the extended regular expression.
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_tap_result 1 "$3"
	else
		_tap_result 0 "$3"
		diag "text: '$1'"
		diag "does not match: $2"
		_tap_show_last
		return 1
	fi
}

# unlike TEXT REGEX NAME: TEXT does not match.
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_tap_result 0 "$3"
		diag "text: '$1'"
		diag "matches, but should not: $2"
		return 1
	fi
	_tap_result 1 "$3"
}

# gq ARGS...: the binary under test.
gq() {
	"$GUANQING" "$@"
}

# run CMD ARGS...: run once; set $out, $err (without trailing newlines) and
# $rc. The command string is kept for failure diagnostics.
run() {
	_tap_last="$*"
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
	return 0
}

_tap_show_last() {
	[ -n "${_tap_last:-}" ] || return 0
	diag "last run: $_tap_last (exit ${rc:-?})"
	[ -n "${out:-}" ] && diag "stdout: $out"
	[ -n "${err:-}" ] && diag "stderr: $err"
	return 0
}

# dump_lines: the number of synced rows (lines of dump --canonical).
dump_lines() {
	gq dump --canonical 2>/dev/null | wc -l | tr -d ' '
}

# dump_sum: a checksum of the whole canonical dump.
dump_sum() {
	gq dump --canonical 2>/dev/null | cksum | tr -d ' '
}

# changes: the number of changes recorded in the database's change log.
changes() {
	gq summary 2>/dev/null | sed -n 's/^Changes recorded here: *\([0-9][0-9]*\).*/\1/p'
}

# rows NOUN [ARGS]: the number of live records listed (CSV minus its header).
rows() {
	_noun=$1
	shift
	gq "$_noun" list --format csv --codes "$@" 2>/dev/null | sed 1d | wc -l | tr -d ' '
}

# csv_field NOUN COLUMN [LIST ARGS]: the values of one CSV column, one a line.
# Fields with commas or quotes are not expected here.
csv_field() {
	_noun=$1
	_col=$2
	shift 2
	gq "$_noun" list --format csv --codes "$@" 2>/dev/null | awk -F, -v c="$_col" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
		k { print $k }'
}

# snapshot / unchanged NAME: what the database held before a refused command
# is exactly what it holds after it (dump bytes and change count).
snapshot() {
	_snap_sum=$(dump_sum)
	_snap_changes=$(changes)
}
unchanged() {
	_now_sum=$(dump_sum)
	_now_changes=$(changes)
	if [ "$_now_sum" = "$_snap_sum" ] && [ "$_now_changes" = "$_snap_changes" ]; then
		_tap_result 1 "$1"
	else
		_tap_result 0 "$1"
		diag "dump checksum before $_snap_sum, after $_now_sum"
		diag "changes before $_snap_changes, after $_now_changes"
		return 1
	fi
}

# refused NAME CMD ARGS...: CMD exits 1 with one message on stderr matching
# $want_err (an ERE; any text when unset) and writes nothing. Three checks.
refused() {
	_name=$1
	shift
	snapshot
	run "$@"
	is "$rc" 1 "$_name: exit status 1"
	like "$err" "${want_err:-.}" "$_name: the message says why"
	unchanged "$_name: nothing written"
	want_err=
}

# idnum PREFIX17: a valid GB 11643-1999 resident ID number (the 17 digits
# followed by their check character).
idnum() {
	echo "$1" | awk '{
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		s = 0
		for (i = 1; i <= 17; i++)
			s += substr($0, i, 1) * w[i]
		print $0 substr("10X98765432", s % 11 + 1, 1)
	}'
}

# idnum_bad PREFIX17: the same number with a wrong check character.
idnum_bad() {
	_good=$(idnum "$1")
	case $_good in
	*0) echo "${1}1" ;;
	*) echo "${1}0" ;;
	esac
}

# station_db [VILLAGE]: initialise $GUANQING_DB as a station (宋岗村 by default).
station_db() {
	gq station init --village "${1:-411524103205}" >/dev/null 2>&1 ||
		echo "Bail out! station init failed"
}

# demo_places: the demo station in $demo (its county beside it, $county,
# made by its first import), and st / co to run guanqing as the station's
# admin and the county's.
demo_places() {
	demo=$T/demo.db
	county=$T/demo-county.db
	printf '246810\n' >"$T/demo.pin"
	gq --db "$demo" demo >/dev/null 2>&1 || echo "Bail out! demo failed"
}
st() { gq --db "$demo" --user 陈志强 --pin-file "$T/demo.pin" "$@"; }
co() { gq --db "$county" --user 张主任 --pin-file "$T/demo.pin" "$@"; }

# log_as_v9 DB: turn DB's change log back into the layout of schema
# version 9 (ids spelled out in every row, before log_key; a run of
# migration 11 spelled out one change a row, one its row holds with its
# values), as an older
# guanqing wrote it, and set DB to version 9. The tables are made as
# migrations 1 and 5 made them.
log_as_v9() {
	# the triggers of schema version 13 (held runs) go first, their runs
	# read from the rows through the views
	_held=$(sqlite3 "$1" "SELECT group_concat('DROP TRIGGER ' || name || ';', ' ')
		FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%log_held%'")
	sqlite3 "$1" "BEGIN;
	CREATE TABLE old_change_log (seq INTEGER PRIMARY KEY, origin TEXT NOT NULL,
		oseq INTEGER NOT NULL, hlc INTEGER NOT NULL, tbl TEXT NOT NULL,
		row_id TEXT NOT NULL, field TEXT NOT NULL, value,
		parents TEXT NOT NULL DEFAULT '', user_id TEXT, village TEXT,
		UNIQUE (origin, oseq));
	INSERT INTO old_change_log SELECT seq, origin, oseq, hlc, tbl, row_id, field, value,
		parents, user_id, village FROM change_log;
	CREATE TABLE old_change_parent (parent_origin TEXT NOT NULL, parent_oseq INTEGER NOT NULL,
		child_seq INTEGER NOT NULL REFERENCES change_log(seq), same_field INTEGER NOT NULL,
		PRIMARY KEY (parent_origin, parent_oseq, child_seq)) WITHOUT ROWID;
	INSERT INTO old_change_parent SELECT parent_origin, parent_oseq, child_seq, same_field
		FROM change_parent;
	CREATE TABLE old_field_clock (tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,
		origin TEXT NOT NULL, oseq INTEGER NOT NULL, hlc INTEGER NOT NULL,
		PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID;
	INSERT INTO old_field_clock SELECT tbl, row_id, field, origin, oseq, hlc FROM field_clock;
	CREATE TABLE old_field_head (tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,
		seq INTEGER NOT NULL REFERENCES change_log(seq),
		PRIMARY KEY (tbl, row_id, field, seq)) WITHOUT ROWID;
	INSERT INTO old_field_head SELECT tbl, row_id, field, seq FROM field_head;
	$_held
	DROP VIEW change_log; DROP VIEW change_parent; DROP VIEW field_clock; DROP VIEW field_head;
	DROP VIEW log_change; DROP VIEW log_version; DROP VIEW log_field_head;
	DROP TABLE log_shape_field; DROP TABLE log_shape; DROP TABLE log_head; DROP TABLE log_parent; DROP TABLE log_entry;
	DROP TABLE log_field; DROP TABLE log_key;
	DROP INDEX household_head; DROP INDEX household_grid; DROP INDEX person_grid;
	DROP INDEX guardian_guardian; DROP INDEX referral_person; DROP INDEX person_live;
	DROP INDEX household_live; DROP INDEX person_category_open; DROP INDEX person_gone;
	CREATE INDEX visit_followup ON visit (followup_due);
	ALTER TABLE old_change_log RENAME TO change_log;
	ALTER TABLE old_change_parent RENAME TO change_parent;
	ALTER TABLE old_field_clock RENAME TO field_clock;
	ALTER TABLE old_field_head RENAME TO field_head;
	CREATE INDEX change_log_row ON change_log (tbl, row_id, field);
	CREATE INDEX change_log_village ON change_log (village, seq);
	CREATE INDEX change_parent_child ON change_parent (child_seq);
	PRAGMA user_version = 9;
	COMMIT;" || echo "Bail out! log_as_v9 $1 failed"
}

# exit status of the script: 1 when a check failed or the plan was not met.
finish() {
	done_testing
	[ "$_tap_n" = "$_tap_planned" ] || {
		diag "planned $_tap_planned checks but ran $_tap_n"
		exit 1
	}
	[ "$_tap_failed" = 0 ]
}
