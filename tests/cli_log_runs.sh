#!/bin/sh
# cli_log_runs.sh - schema version 11 keeps a new record's fields as one
# log entry (a run): the demo station's visits, people and households are
# one entry each, the export gives every field as a change of its own,
# the county merges them into runs again, and both places read the same
# log, pass check, and show a record's history field by field.
. "${0%/*}/lib.sh"

plan 10

demo_places

changes=$(sqlite3 "$demo" "SELECT count(*) FROM change_log")
entries=$(sqlite3 "$demo" "SELECT count(*) FROM log_entry")
ok '[ "$changes" -gt 3000 ] && [ "$entries" -lt $((changes / 4)) ]' \
	"the demo station's $changes changes are $entries log entries"
is "$(sqlite3 "$demo" "SELECT count(*) FROM visit v WHERE (SELECT count(*) FROM log_entry e
	JOIN log_key k ON k.n = e.row_n WHERE k.key = v.id) <> 1")" 0 "every visit is one entry"

st export >/dev/null 2>&1 || echo "Bail out! export failed"
run co import
is "$rc" 0 "the county imports the station's bundle"
like "$out" "$changes changes, $changes new" "with every change of the log"
is "$(sqlite3 "$county" "SELECT count(*) FROM visit v WHERE (SELECT count(*) FROM log_entry e
	JOIN log_key k ON k.n = e.row_n WHERE k.key = v.id) <> 1")" 0 "and keeps every visit as one entry"

# The log as a reader sees it, but for each place's own seq.
log_of() {
	sqlite3 "$1" "SELECT origin, oseq, hlc, tbl, row_id, field, quote(value), parents,
		quote(user_id), village FROM change_log WHERE origin = (SELECT id FROM station
		WHERE role = 'station') ORDER BY origin, oseq"
}
log_of "$demo" >"$T/station.log"
log_of "$county" >"$T/county.log"
ok 'cmp -s "$T/station.log" "$T/county.log" && [ -s "$T/station.log" ]' \
	"the county's log of the station's changes reads as the station's"
run gq --db "$county" check
is "$rc" 0 "check passes on the county"
run gq --db "$demo" check
is "$rc" 0 "and on the station"

visit=$(sqlite3 "$demo" "SELECT id FROM visit WHERE notes IS NOT NULL AND notes <> '' LIMIT 1")
notes=$(sqlite3 "$demo" "SELECT notes FROM visit WHERE id = '$visit'")
run co history visit "$visit" --format csv
like "$out" "$notes" "a visit's history shows its notes"
is "$(printf '%s\n' "$out" | sed 1d | wc -l)" \
	"$(sqlite3 "$county" "SELECT count(*) FROM change_log WHERE row_id = '$visit'")" \
	"one line for each of its changes"
finish
