#!/bin/sh
# cli_latest.sh - each person's latest visit (table visit_latest, kept by
# triggers) is the one the rule of query.h names: the live visit of the
# latest date, then the latest recording, then the greatest id. Checked
# against the rule written out in SQL after the demo's visits, an edit of
# a visit's date, deletes, an import at the county and the migration of a
# database made before the table.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

# The rule, over every visit, the slow way: person and visit id.
rule() {
	sqlite3 "$1" "SELECT v.person_id, v.id FROM visit v WHERE v.deleted = 0 AND v.person_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM visit w WHERE w.person_id = v.person_id AND w.deleted = 0
		AND (w.visit_date > v.visit_date OR (w.visit_date = v.visit_date AND (w.created_at > v.created_at
		OR (w.created_at = v.created_at AND w.id > v.id))))) ORDER BY 1"
}
kept() {
	sqlite3 "$1" "SELECT l.person_id, l.visit_id FROM visit_latest l ORDER BY 1"
}
due_agrees() {
	sqlite3 "$1" "SELECT count(*) FROM visit_latest l JOIN visit v ON v.id = l.visit_id
		WHERE l.followup_due IS NOT v.followup_due OR v.deleted <> 0"
}

county_init
enroll_station 411524103205 songgang
S=$T/songgang.db
run "$top_builddir/tests/bench/county_gen" "$S" 7 60
is "$rc" 0 "a station is filled with the demo and a year of visits"
ok "[ $(sqlite3 "$S" 'SELECT count(*) FROM visit_latest') -gt 20 ]" "people with visits have a latest visit"
is "$(kept "$S")" "$(rule "$S")" "the latest visits kept are the rule's"
is "$(due_agrees "$S")" 0 "and so are their follow-ups"

# Moved back before the person's other visits, the latest visit gives way.
# The person is a living one with two visits or more, whose latest visit
# is not a death report (whose date of death may not come after its date).
p=$(sqlite3 "$S" "SELECT l.person_id FROM visit_latest l JOIN visit v ON v.id = l.visit_id
	JOIN person p ON p.id = l.person_id WHERE v.form_id <> 'death_report'
	AND p.status IS NOT 'deceased' AND v.visit_date > '2026-01-05'
	AND (SELECT count(*) FROM visit w WHERE w.person_id = l.person_id AND w.deleted = 0) >= 2
	ORDER BY l.person_id LIMIT 1")
ok "[ -n '$p' ]" "the demo has a living person with two visits"
v=$(sqlite3 "$S" "SELECT visit_id FROM visit_latest WHERE person_id = '$p'")
d=$(sqlite3 "$S" "SELECT visit_date FROM visit WHERE id = '$v'")
run gqs songgang visit edit "$v" --set visit_date=2026-01-05
is "$rc" 0 "the latest visit's date is moved back"
ok "[ \"\$(sqlite3 '$S' \"SELECT visit_id FROM visit_latest WHERE person_id = '$p'\")\" != '$v' ]" \
	"another visit becomes that person's latest"
is "$(kept "$S")" "$(rule "$S")" "the latest visits kept are still the rule's after the edit"
run gqs songgang visit edit "$v" --set visit_date="$d"
is "$(sqlite3 "$S" "SELECT visit_id FROM visit_latest WHERE person_id = '$p'")" "$v" "moved forward again, it is the latest again"
run gqs songgang visit delete "$v"
is "$rc" 0 "the latest visit is deleted"
is "$(kept "$S")" "$(rule "$S")" "the latest visits kept are the rule's after the delete"
ok "[ \"\$(sqlite3 '$S' \"SELECT visit_id FROM visit_latest WHERE person_id = '$p'\")\" != '$v' ]" \
	"a deleted visit is nobody's latest"

# At the county, after an import.
run gqs songgang export --to "$STICK"
is "$rc" 0 "the station exports"
run gqc import "$STICK"
is "$rc" 0 "the county imports"
ok "[ $(sqlite3 "$C" 'SELECT count(*) FROM visit_latest') -gt 20 ]" "the county keeps latest visits"
is "$(kept "$C")" "$(rule "$C")" "the county's latest visits are the rule's"
is "$(due_agrees "$C")" 0 "and so are their follow-ups"
is "$(kept "$C")" "$(kept "$S")" "the county and the station agree"

# Visits arriving one by one, not in their order (an import, a move):
# each insert keeps the latest by the rule of LATEST_OF(), with a visit of
# no date, visits of the same date, of the same date and recording, and a
# deleted one among them.
cp "$S" "$T/order.db"
O=$T/order.db
p2=$(sqlite3 "$O" "SELECT person_id FROM visit_latest ORDER BY person_id LIMIT 1 OFFSET 3")
cols=$(sqlite3 "$O" "SELECT group_concat(name, ', ') FROM pragma_table_info('visit')")
pick=$(sqlite3 "$O" "SELECT group_concat(CASE name WHEN 'id' THEN '@ID' WHEN 'visit_date' THEN '@DATE'
	WHEN 'created_at' THEN '@MADE' WHEN 'deleted' THEN '@DEL' ELSE name END, ', ')
	FROM pragma_table_info('visit')")
sqlite3 "$O" "CREATE TABLE one AS SELECT * FROM visit WHERE person_id = '$p2' LIMIT 1;
	DELETE FROM visit WHERE person_id = '$p2'"
is "$(sqlite3 "$O" "SELECT count(*) FROM visit_latest WHERE person_id = '$p2'")" 0 "a person without visits has no latest"
latest_rule() {
	sqlite3 "$O" "SELECT id FROM visit WHERE person_id = '$p2' AND deleted = 0
		ORDER BY visit_date DESC, created_at DESC, id DESC LIMIT 1"
}
agree=0
n=0
for v in "o3 '2026-03-01' 2026-03-01T10:00:00.000Z 0" "o1 '2026-05-01' 2026-05-02T09:00:00.000Z 0" \
	"o5 NULL 2026-09-01T00:00:00.000Z 0" "o2 '2026-05-01' 2026-05-01T08:00:00.000Z 0" \
	"o8 '2026-06-01' 2026-06-01T00:00:00.000Z 1" "o7 '2026-05-01' 2026-05-02T09:00:00.000Z 0" \
	"o4 '2026-04-01' 2026-11-01T00:00:00.000Z 0" "o6 '2026-05-01' 2026-05-02T09:00:00.000Z 0"; do
	set -- $v
	sqlite3 "$O" "INSERT INTO visit ($cols) SELECT $(echo "$pick" | sed "s/@ID/'$1'/; s/@DATE/$2/;
		s/@MADE/'$3'/; s/@DEL/$4/") FROM one"
	n=$((n + 1))
	[ "$(sqlite3 "$O" "SELECT visit_id FROM visit_latest WHERE person_id = '$p2'")" = "$(latest_rule)" ] &&
		agree=$((agree + 1))
done
is "$agree/$n" "$n/$n" "after each visit that arrives, the person's latest is the rule's"
is "$(sqlite3 "$O" "SELECT visit_id FROM visit_latest WHERE person_id = '$p2'")" o7 \
	"of the same date and recording, the greatest id; a later deleted visit is not the latest"
is "$(kept "$O" | grep -v "^$p2|")" "$(kept "$S" | grep -v "^$p2|")" "and every other person's latest is as it was"

# A database made before the table: the migration fills it.
cp "$S" "$T/old.db"
log_as_v9 "$T/old.db"
sqlite3 "$T/old.db" "DROP TRIGGER visit_latest_insert; DROP TRIGGER visit_latest_update;
	DROP TRIGGER visit_latest_delete; DROP TABLE visit_latest; DROP INDEX visit_date;
	ALTER TABLE death_report DROP COLUMN cause; ALTER TABLE death_report DROP COLUMN certificate_no;
	ALTER TABLE application DROP COLUMN household_size; ALTER TABLE application DROP COLUMN income_month;
	ALTER TABLE application DROP COLUMN income_per_person; ALTER TABLE application DROP COLUMN houses;
	ALTER TABLE application DROP COLUMN vehicles; ALTER TABLE application DROP COLUMN savings;
	ALTER TABLE application DROP COLUMN apply_reason; ALTER TABLE application DROP COLUMN bank_name;
	ALTER TABLE application DROP COLUMN bank_account; PRAGMA user_version = 7"
run "$GUANQING" --db "$T/old.db" check
is "$rc" 0 "check passes on the migrated database"
is "$(kept "$T/old.db")" "$(rule "$T/old.db")" "the migration fills the latest visits by the rule"
run "$GUANQING" --db "$T/old.db" summary
like "$out" 'Follow-ups overdue' "summary reads the migrated database"

done_testing
