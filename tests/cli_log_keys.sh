#!/bin/sh
# cli_log_keys.sh - schema version 10 keeps the change log on integer keys
# (log_key, log_field), with each field's winner read from its heads, and
# 11 a record's creation as one entry (a run): a
# station and a county whose log is in the layout of version 9 are
# converted when the program opens them, in one transaction, and afterwards check passes, dump --canonical, history and
# the log as read through its views are the same as before, and the two
# still exchange changes.
. "${0%/*}/lib.sh"

plan 33

demo_places
st export >/dev/null 2>&1 || echo "Bail out! export failed"
co import >/dev/null 2>&1 || echo "Bail out! import failed"

# The ids are written once: no log row spells one out.
is "$(sqlite3 "$demo" 'PRAGMA user_version')" 13 "a new database is made at version 13"
is "$(sqlite3 "$demo" "SELECT count(*) FROM log_key k JOIN log_key j ON j.key = k.key AND j.n <> k.n")" 0 \
	"log_key numbers each id once"
is "$(sqlite3 "$demo" "SELECT type FROM sqlite_master WHERE name = 'change_log'")" view \
	"change_log is a view over the numbered log"

# What a reader sees before the conversion, for each database.
seen() {
	case $2 in
	st*) st dump --canonical ;;
	*) co dump --canonical ;;
	esac >"$T/$2.dump" 2>&1
	sqlite3 "$1" "SELECT seq, origin, oseq, hlc, tbl, row_id, field, quote(value), parents,
		user_id, village FROM change_log ORDER BY seq" >"$T/$2.log"
	sqlite3 "$1" "SELECT tbl, row_id, field, origin, oseq, hlc FROM field_clock
		ORDER BY tbl, row_id, field" >"$T/$2.clock"
	sqlite3 "$1" "SELECT tbl, row_id, field, seq FROM field_head ORDER BY 1, 2, 3, 4" >"$T/$2.head"
	sqlite3 "$1" "SELECT parent_origin, parent_oseq, child_seq, same_field FROM change_parent
		ORDER BY 1, 2, 3" >"$T/$2.parent"
}
person=$(st person list --format csv --codes | sed -n 2p | cut -d, -f1)
st person edit "$person" --set phone=13937612345 >/dev/null || echo "Bail out! edit failed"
st history person "$person" --format csv >"$T/history.before" 2>&1
seen "$demo" st1
seen "$county" co1
ok '[ "$(wc -l <"$T/st1.log")" -gt 1000 ] && [ -s "$T/st1.parent" ]' \
	"the demo station has a log of over a thousand changes, edits among them"
ok '[ "$(grep -c "^person	" "$T/co1.dump")" -gt 100 ]' "the county's dump holds the village's people"

log_as_v9 "$demo"
log_as_v9 "$county"
is "$(sqlite3 "$county" 'PRAGMA user_version')" 9 "the county is made back into version 9"
is "$(sqlite3 "$county" "SELECT type FROM sqlite_master WHERE name = 'change_log'")" table \
	"with its change log a table of ids again"

# Opening converts.
run gq --db "$county" check
is "$rc" 0 "check passes on the converted county"
like "$out" 'no problems found' "and finds no problem"
is "$(sqlite3 "$county" 'PRAGMA user_version')" 13 "the county is at version 13"
is "$(sqlite3 "$county" 'PRAGMA freelist_count')" 0 "and the pages the old log took are given back"
run gq --db "$demo" check
is "$rc" 0 "check passes on the converted station"
seen "$demo" st2
seen "$county" co2
for what in dump log clock head parent; do
	ok 'cmp -s "$T/st1.$what" "$T/st2.$what" && cmp -s "$T/co1.$what" "$T/co2.$what"' \
		"the station's and the county's $what are as before"
done
st history person "$person" --format csv >"$T/history.after" 2>&1
ok 'cmp -s "$T/history.before" "$T/history.after"' "a person's history reads the same"
ok '[ -n "$(find "$T" -maxdepth 1 -name "demo-county.db.schema9-*.bak")" ]' \
	"a copy of the county as it was is kept"
# The conversion keeps each record's creation as one entry (a run).
for db in "$demo" "$county"; do
	n=$(sqlite3 "$db" "SELECT count(*) FROM change_log")
	e=$(sqlite3 "$db" "SELECT count(*) FROM log_entry")
	ok '[ "$e" -lt $((n / 4)) ]' "the converted ${db##*/} keeps its $n changes in $e entries"
done

# The winner of a field is its first head: a field whose heads were lost
# before the conversion has no winner after it, and check names it.
cp "$county" "$T/lost.db"
log_as_v9 "$T/lost.db"
sqlite3 "$T/lost.db" "DELETE FROM field_head WHERE row_id = '$person' AND field = 'name'"
run gq --db "$T/lost.db" check
is "$(sqlite3 "$T/lost.db" 'PRAGMA user_version')" 13 "a field without heads does not stop the conversion"
like "$out" "person.*$person.*name" "check names the record and field whose winner is lost"
isnt "$rc" 0 "and fails"

# A number in the log that names no id is found by check.
cp "$county" "$T/dangling.db"
seq=$(sqlite3 "$T/dangling.db" "SELECT max(seq) FROM log_entry")
sqlite3 "$T/dangling.db" "UPDATE log_entry SET user_n = 999999 WHERE seq = $seq"
run gq --db "$T/dangling.db" check
isnt "$rc" 0 "check fails on a log row whose user number names no id"
like "$out" "change log: log_entry $seq" "and names the log row"

# A conversion that cannot finish leaves the database as it was.
cp "$county" "$T/stuck.db"
log_as_v9 "$T/stuck.db"
sqlite3 "$T/stuck.db" "CREATE TABLE log_key (x)"
sum=$(sqlite3 "$T/stuck.db" "SELECT count(*), sum(oseq) FROM change_log")
run gq --db "$T/stuck.db" check
isnt "$rc" 0 "a conversion that fails is an error"
like "$err" "stuck.db" "that names the database"
is "$(sqlite3 "$T/stuck.db" 'PRAGMA user_version')" 9 "the database stays at version 9"
is "$(sqlite3 "$T/stuck.db" "SELECT count(*), sum(oseq) FROM change_log")" "$sum" "with its change log whole"

# The converted pair still trades changes both ways.
st person edit "$person" --set phone=13937654321 >/dev/null
run st export
is "$rc" 0 "the converted station exports"
run co import
is "$rc" 0 "the converted county imports its bundle"
like "$(co person show "$person")" '13937654321' "and shows the edit made after the conversion"

finish
