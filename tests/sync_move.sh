#!/bin/sh
# sync_move.sh - a person moves to another village: the county moves them,
# the new village's station receives their whole history, the old one no
# longer lists them, and every place still agrees.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
enroll_station 411524103206 b

gqs a user add --name 王春梅 --role grid_worker >/dev/null
printf '731904\n' > "$T/w.pin"
gqs a user pin 王春梅 --pin-file "$T/w.pin" >/dev/null
p=$(gqs a person add --name 欧阳·娜娜 --birth 2016-05-01 --category left_behind_child)
g=$(gqs a person add --name 欧阳德 --birth 1950-02-02 --phone 13812345678)
gqs a guardian add --person "$p" --kind guardian --guardian-person "$g" --relation grandparent >/dev/null
v=$(gqs a --user 王春梅 --pin-file "$T/w.pin" visit add --person "$p" --form child_visit \
	--set child_seen=yes --set guardian_present=yes --set guardian_relation=grandparent \
	--set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly \
	--set school_status=in_school --set grade=primary_5 --set health=healthy --set psych_state=good)
ok "[ -n '$v' ]" "the station of 宋岗村 records a visit"
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
gqs b export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null

run gqs a person move "$p" --village 411524103206
is "$rc" 1 "a station cannot move a person"
run gqc person move "$p" --village 411524103299
is "$rc" 1 "an unknown village is refused"
like "$err" '411524103299' "the message names the code"
run gqc person move "$p" --village 411524103206
is "$rc" 0 "the county moves her to 王店村"
like "$out" 'Moved to village 411524103206' "the message names the new village"

rm -rf "$STICK/guanqing"
gqc export --to "$STICK" >/dev/null
run gqs b import "$STICK"
is "$rc" 0 "the station of 王店村 imports"
like "$(gqs b person list)" '欧阳·娜娜' "the new station lists her"
like "$(gqs b visit list --person "$p")" "child_visit" "with her visit history"
like "$(gqs b category list --person "$p")" 'left-behind child' "and her categories"
like "$(gqs b guardian list --person "$p" --format csv --codes)" '欧阳德' "her guardian's name is kept"
run gqs b history person "$p" --format csv
like "$out" '宋岗村民委员会' "her history says what the old station recorded"
run gqs a import "$STICK"
is "$rc" 0 "the station of 宋岗村 imports"
unlike "$(gqs a person list)" '欧阳·娜娜' "the old station no longer lists her"
like "$(gqs a person list)" '欧阳德' "it still lists her grandfather, who stayed"
like "$(gqs a summary)" 'People: 1 active' "the old station's summary counts only the grandfather"
unlike "$(gqs a summary | sed -n '/category/,/Visits/p')" 'left-behind child' \
	"the old station no longer counts her among its left-behind children"
run gqs a person edit "$p" --set phone=13912345678
is "$rc" 1 "the old station cannot change her any more"

# The new station works on her, and everything converges.
run gqs b visit add --person "$p" --form child_visit --set child_seen=yes --set guardian_present=no \
	--set guardian_absent_reason=外出务工 --set guardian_relation=grandparent --set guardian_health=healthy \
	--set guardian_care=good --set parents_contact=monthly --set school_status=in_school \
	--set grade=primary_5 --set health=healthy --set psych_state=good
is "$rc" 0 "the new station records a visit"
gqs b export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
rm -rf "$STICK/guanqing"
gqc export --to "$STICK" >/dev/null
gqs b import "$STICK" >/dev/null
gqs a import "$STICK" >/dev/null
is "$(rows_of_village "$T/b.db" 411524103206)" "$(rows_of_village "$C" 411524103206)" \
	"王店村's station holds exactly the county's rows of 王店村"
is "$(rows_of_village "$T/a.db" 411524103205)" "$(rows_of_village "$C" 411524103205)" \
	"宋岗村's station holds exactly the county's rows of 宋岗村"
for db in "$C" "$T/a.db" "$T/b.db"; do
	run "$GUANQING" --db "$db" check
	is "$rc" 0 "check passes at $(basename "$db")"
done

# Edits the old station saved before it learned of a move are not lost:
# they reach the county and go on to the new village's station, and the
# old station is told the person has left.
q=$(gqs a person add --name 孙桂芝 --birth 1948-03-03 --phone 13811110000)
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
rm -rf "$STICK/guanqing"
run gqc person move "$q" --village 411524103206
is "$rc" 0 "the county moves 孙桂芝 to 王店村"
# meanwhile, at 宋岗村, before any bundle from the county arrives
gqs a person edit "$q" --set phone=13822223333 --set address=东街5号 >/dev/null
gqs a visit add --person "$q" --form elderly_visit $VISIT_ARGS >/dev/null
gqs a export --to "$STICK" >/dev/null
before_log=$(sqlite3 "$C" "SELECT count(*) FROM change_log")
run gqc import "$STICK"
is "$rc" 0 "the county imports the old station's late edits"
unlike "$out" 'Refused' "none of them is refused"
like "$out" "Kept: person $q, field \"Phone\": changed at village 411524103205 before it learned that the record moved to village 411524103206" "the report says they were kept"
sent=$(sqlite3 "$T/a.db" "SELECT count(*) FROM change_log WHERE origin = '$(station_id a)'")
held=$(sqlite3 "$C" "SELECT count(*) FROM change_log WHERE origin = '$(station_id a)'")
is "$held" "$sent" "every change the old station saved is in the county's log"
like "$(gqc person show "$q")" '13822223333' "the county shows the late phone"
rm -rf "$STICK/guanqing"
gqc export --to "$STICK" >/dev/null
run gqs b import "$STICK"
is "$rc" 0 "王店村's station imports"
like "$(gqs b person show "$q")" '13822223333' "王店村's station has the late phone"
like "$(gqs b visit list --person "$q")" 'elderly_visit' "and the late visit"
run gqs a import "$STICK"
is "$rc" 0 "宋岗村's station imports"
like "$out" "孙桂芝 \($q\) moved to village 411524103206 王店村民委员会: the person leaves this station's lists" "the old station is told she has left"
unlike "$(gqs a person list)" '孙桂芝' "the old station no longer lists her"
is "$(rows_of_village "$T/b.db" 411524103206)" "$(rows_of_village "$C" 411524103206)" \
	"after the late edits 王店村's station holds exactly the county's rows of 王店村"
is "$(rows_of_village "$T/a.db" 411524103205)" "$(rows_of_village "$C" 411524103205)" \
	"and 宋岗村's station exactly the county's rows of 宋岗村"

done_testing
