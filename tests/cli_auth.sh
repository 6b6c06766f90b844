#!/bin/sh
# cli_auth.sh - users, PINs, roles and the audit trail on the command line.
. "${top_srcdir:-.}/tests/lib.sh"

county=$T/county.db
setup=$T/setup
stick=$T/stick
mkdir -p "$setup" "$stick"
pin() { printf '%s\n' "$2" > "$T/$1.pin"; chmod 600 "$T/$1.pin"; echo "$T/$1.pin"; }
worker_pin=$(pin worker 731904)
worker2_pin=$(pin worker2 582046)
staff_pin=$(pin staff 640193)
bad_pin=$(pin bad 999999)
new_pin=$(pin new 815302)

# ---- a county and a station made for use always start with an admin ----
run gq --db "$county" county init --division 411524
is "$rc" 2 "county init without --admin is a usage error"
ok "[ ! -e '$county' ]" "and leaves no database behind"
run gq --db "$county" county init --division 411524 --admin 张主任 --pin-file "$(pin easy 123456)"
is "$rc" 1 "an easy PIN (123456) is refused at init"
like "$err" 'easy to guess' "the message says the PIN is too easy"
ok "[ ! -e '$county' ]" "a refused init leaves no database behind"
run gq --db "$county" county init --division 411524 $ADMIN_OPTS
is "$rc" 0 "county init with --admin succeeds"
is "$(stat -c %a "$county")" 600 "the county database is mode 0600"

run env -u GUANQING_USER -u GUANQING_PIN_FILE "$GUANQING" --db "$county" person list
is "$rc" 1 "a protected database refuses a command without --user"
like "$err" 'protected by PINs.*--user' "the message says how to sign in"
run env -u GUANQING_USER -u GUANQING_PIN_FILE "$GUANQING" --db "$county" --user 张主任 person list </dev/null
is "$rc" 1 "no PIN given: refused"
run gq --db "$county" --user 张主任 --pin-file "$ADMIN_PIN" user add --name 刘文 --role county_staff
is "$rc" 0 "the county admin adds county staff"
run gq --db "$county" user pin 刘文 --pin-file "$staff_pin"
is "$rc" 0 "the county admin sets the staff's PIN"
is "$(stat -c %a "$county")" 600 "the database stays 0600"

# ---- enrolment: only the county admin ----
run gq --db "$county" --user 刘文 --pin-file "$staff_pin" county enroll --village 411524103205 --out "$setup" --passphrase-file "$T/pass"
is "$rc" 1 "county staff may not enrol a station"
like "$err" 'county staff may not enrol' "the message names the role and the act"
run gq --db "$county" county enroll --village 411524103205 --out "$setup" --passphrase-file "$T/pass"
is "$rc" 0 "the county admin enrols the station of 宋岗村"
setupfile=$(ls "$setup"/*.gqsetup)
is "$(stat -c %a "$setupfile")" 600 "the setup file is mode 0600"
is "$(stat -c %a "$T/pass")" 600 "the passphrase file is mode 0600"

station=$T/station.db
run gq --db "$station" station init --setup "$setupfile" --passphrase-file "$T/pass"
is "$rc" 2 "station init --setup without --admin is a usage error"
run gq --db "$station" station init --setup "$setupfile" --passphrase-file "$T/pass" $ADMIN_OPTS
is "$rc" 0 "the station is made with its admin"
is "$(stat -c %a "$station")" 600 "the station database is mode 0600"

# ---- users of the station ----
run gq user add --name 王春梅 --role grid_worker
is "$rc" 0 "the station admin adds a grid worker"
gq user pin 王春梅 --pin-file "$worker_pin" >/dev/null
run gq user add --name 李建军 --role grid_worker
gq user pin 李建军 --pin-file "$worker2_pin" >/dev/null
W="--user 王春梅 --pin-file $worker_pin"
W2="--user 李建军 --pin-file $worker2_pin"

want_err='grid worker or a station admin'
refused "a county role for a user of a station" gq user add --name 赵六 --role county_staff

# ---- what a grid worker may and may not do ----
id1=$(idnum 41152420150101001)
run gq $W person add --name 张小雨 --id-number "$id1" --category left_behind_child
is "$rc" 0 "a grid worker adds a person"
p=$out
run gq $W person list
is "$rc" 0 "a grid worker lists people"
like "$out" '4115\*\*\*\*\*\*\*\*\*\*' "lists show ID numbers masked"
unlike "$out" "$id1" "the whole number is not in the list"
run gq $W person show "$p"
like "$out" "$id1" "the person card shows the whole ID number"

want_err='grid worker may not'
refused "a grid worker exporting" gq $W export --to "$stick"
want_err='grid worker may not'
refused "a grid worker adding a user" gq $W user add --name 赵六 --role grid_worker
want_err='grid worker may not'
refused "a grid worker exporting CSV with ID numbers" gq $W person list --format csv --codes
want_err='grid worker may not'
refused "a grid worker dumping the database" gq $W dump --canonical
want_err='grid worker may not'
refused "a grid worker setting another's PIN" gq $W user pin 李建军 --pin-file "$new_pin"
want_err='grid worker may not'
refused "a grid worker unlocking a user" gq $W user unlock 李建军
want_err='county'
refused "a grid worker deciding an application" gq $W application decide "$p" --status approved
want_err='county'
refused "a grid worker resolving a conflict" gq $W conflicts resolve 1 --value x

# Visits: one's own for 7 days.
vid=$(gq $W visit add --person "$p" --form child_visit --set child_seen=yes --set guardian_present=yes \
	--set guardian_relation=grandparent --set guardian_health=healthy --set guardian_care=good \
	--set parents_contact=weekly --set school_status=in_school --set grade=primary_5 \
	--set health=healthy --set psych_state=good)
ok "[ -n '$vid' ]" "the grid worker records a visit"
run gq $W visit edit "$vid" --set notes=再次核实
is "$rc" 0 "the grid worker changes their own visit the same day"
want_err='recorded this visit'
refused "another grid worker changing the visit" gq $W2 visit edit "$vid" --set notes=改
want_err='more than 7 days'
refused "the grid worker changing their visit after 7 days" \
	env GUANQING_NOW=2026-12-06T08:00:00Z "$GUANQING" $W visit edit "$vid" --set notes=太晚
run env GUANQING_NOW=2026-12-06T08:00:00Z "$GUANQING" visit edit "$vid" --set notes=管理员更正
is "$rc" 0 "the station admin changes it after 7 days"

# ---- the station admin ----
want_err='county'
refused "a station admin deciding an application" gq application decide "$p" --status approved
want_err='county'
refused "a station admin enrolling a station" gq county enroll --village 411524103206 --out "$setup"
run gq person list --format csv --codes --out "$T/people.csv"
is "$rc" 0 "the station admin exports CSV to a file"
like "$out" "Written to $T/people.csv" "the command says where it was written"
is "$(stat -c %a "$T/people.csv")" 600 "the CSV file is mode 0600"
like "$(cat "$T/people.csv")" "$id1" "the CSV has the whole ID number"

# ---- the idle lock of the screens ----
run gq config lock
like "$out" 'after 10 idle minutes' "the screens lock after 10 idle minutes by default"
want_err='grid worker may not'
refused "a grid worker changing the idle lock" gq $W config lock 30
run gq config lock 0
is "$rc" 1 "an idle lock of 0 minutes is refused"
run gq config lock 5
is "$rc" 0 "the station admin sets the idle lock to 5 minutes"
like "$(gq config lock)" 'after 5 idle minutes' "and it is kept"

# ---- wrong PINs: a growing delay, then a lock; the admin unlocks ----
B="--user 李建军 --pin-file $bad_pin"
run gq $B person list
is "$rc" 1 "a wrong PIN is refused"
like "$err" '4 tries left' "the message counts the tries left"
run gq $W2 person list
is "$rc" 1 "right after a failure even the right PIN must wait"
like "$err" 'Wait 1 second' "the message says how long to wait"
run env GUANQING_NOW=2026-11-28T08:00:01Z "$GUANQING" $B person list
run env GUANQING_NOW=2026-11-28T08:00:03Z "$GUANQING" $B person list
run env GUANQING_NOW=2026-11-28T08:00:07Z "$GUANQING" $B person list
like "$err" '1 tries left' "the delays grow 1, 2, 4 s and the tries run down"
run env GUANQING_NOW=2026-11-28T08:00:15Z "$GUANQING" $B person list
like "$err" 'locked' "the fifth wrong PIN locks the account"
run env GUANQING_NOW=2026-11-28T08:05:00Z "$GUANQING" $W2 person list
is "$rc" 1 "a locked account refuses the right PIN too"
like "$err" 'locked .* until' "the message says until when"
run gq user unlock 李建军
is "$rc" 0 "the station admin unlocks the account"
run env GUANQING_NOW=2026-11-28T08:05:00Z "$GUANQING" $W2 person list
is "$rc" 0 "after unlocking the right PIN works"

# ---- changing one's own PIN ----
run gq $W user pin 王春梅 --pin-file "$new_pin"
is "$rc" 0 "a grid worker changes their own PIN"
run gq --user 王春梅 --pin-file "$worker_pin" person list
is "$rc" 1 "the old PIN no longer works"
run env GUANQING_NOW=2026-11-28T08:00:05Z "$GUANQING" --user 王春梅 --pin-file "$new_pin" person list
is "$rc" 0 "the new PIN works"

# ---- the audit trail: who changed what, from what to what ----
run env GUANQING_NOW=2026-11-28T09:00:00Z "$GUANQING" --user 王春梅 --pin-file "$new_pin" person edit "$p" --set phone=13812345678
run env GUANQING_NOW=2026-11-28T10:00:00Z "$GUANQING" --user 李建军 --pin-file "$worker2_pin" person edit "$p" --set phone=13912345678
run gq history person "$p" --format csv
is "$rc" 0 "the history of a person"
like "$out" '王春梅,Phone,,13812345678' "王春梅 set the phone"
like "$out" '李建军,Phone,13812345678,13912345678' "李建军 changed it from 138… to 139…"
like "$out" '王春梅,Name,,张小雨' "王春梅 created the person"
like "$out" '宋岗村' "the station is named"

# The trail travels to the county.
run gq export --to "$stick"
is "$rc" 0 "the station admin exports"
run gq --db "$county" import "$stick"
is "$rc" 0 "the county imports"
run gq --db "$county" --user 刘文 --pin-file "$staff_pin" history person "$p" --format csv
like "$out" '李建军,Phone,13812345678,13912345678' "the county sees who changed the phone"
like "$out" '宋岗村民委员会' "and at which station"
run gq --db "$county" --user 刘文 --pin-file "$staff_pin" person list
like "$out" '张小雨' "county staff list the station's people"
want_err='county staff may not'
run gq --db "$county" --user 刘文 --pin-file "$staff_pin" user add --name 钱七 --role county_staff
is "$rc" 1 "county staff may not add users"
like "$err" 'county staff may not' "the message names the role"
# A station role has no rights at the county, a county role none at a station.
run gq --db "$county" --user 王春梅 --pin-file "$new_pin" person list
is "$rc" 1 "a station's grid worker is not a user of the county"

# Nothing in the program edits the trail: no command names the change log.
run gq change_log list
is "$rc" 2 "there is no command for the change log"
run gq --db "$county" check
is "$rc" 0 "check passes at the county"
run gq check
is "$rc" 0 "check passes at the station"

done_testing
