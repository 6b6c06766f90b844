#!/bin/sh
# cli_tamper.sh - edits behind the program's back: a synced row changed
# with sqlite3 no longer shows what its change log says. check names each
# such row; the command line and the screens refuse to start on a users
# row that differs, naming it: at the county, a row of its own users or
# one with a county role (the stations' users it holds are for check).
. "${0%/*}/lib.sh"
. "${0%/*}/sync_lib.sh"

county=$T/county.db
gq --db "$county" county init --division 411524 $ADMIN_OPTS >/dev/null
gq --db "$county" user add --name 李秀英 --role county_staff >/dev/null
printf '735190\n' > "$T/staff.pin"
gq --db "$county" user pin 李秀英 --pin-file "$T/staff.pin" >/dev/null
staff=$(gq --db "$county" user list --format csv --codes | awk -F, '$2 == "李秀英" { print $1 }')
station_db
p=$(gq person add --name 王德明 --phone 13800000001)
run gq --db "$county" check
is "$rc" 0 "check passes before the tampering"

# a person's phone changed in sqlite3: check names the row and field
sqlite3 "$GUANQING_DB" "UPDATE person SET phone = '13999999999' WHERE id = '$p'"
run gq check
is "$rc" 1 "check finds a person changed behind the program's back"
like "$out" "differs from its change log: person $p phone 13999999999 13800000001" "and names the row, the field and both values"

# county staff made an admin in sqlite3
snapshot_sum=$(gq --db "$county" dump --canonical | cksum)
sqlite3 "$county" "UPDATE users SET role = 'county_admin' WHERE id = '$staff'"
run gq --db "$county" check
is "$rc" 1 "check finds the user whose role was changed"
like "$out" "differs from its change log: users $staff role county_admin county_staff" "and names the user and the role"
run gq --db "$county" --user 李秀英 --pin-file "$T/staff.pin" user list
is "$rc" 1 "the command line refuses to start"
like "$err" "the user $staff was changed outside the program: its field \"role\" holds \"county_admin\", but its change log says \"county_staff\"" "the message names the user and the field"
run gq --db "$county" ui
is "$rc" 1 "the screens refuse to start"
like "$err" "the user $staff was changed outside the program" "with the same message"
sqlite3 "$county" "UPDATE users SET role = 'county_staff' WHERE id = '$staff'"
run gq --db "$county" check
is "$rc" 0 "put back, check passes again"
is "$(gq --db "$county" dump --canonical | cksum)" "$snapshot_sum" "and the county is as before"
sqlite3 "$county" "UPDATE users SET active = 0 WHERE role = 'county_admin'"
run gq --db "$county" user list
is "$rc" 1 "an admin made inactive in sqlite3: refused too"
like "$err" "field \"active\" holds \"0\", but its change log says \"1\"" "naming the field"
sqlite3 "$county" "UPDATE users SET active = 1 WHERE role = 'county_admin'"

# The county holds the users of every station: a station's admin and
# grid worker arrive with its bundle.
enroll_station 411524103205 a
gqs a user add --name 刘建华 --role grid_worker --phone 13700000002 >/dev/null
gqs a export --to "$STICK" >/dev/null
run gqc import "$STICK"
is "$rc" 0 "the county imports the station's bundle"
worker=$(sqlite3 "$county" "SELECT id FROM users WHERE name = '刘建华'")
is "$(sqlite3 "$county" "SELECT role || ' ' || village FROM users WHERE id = '$worker'")" \
	"grid_worker 411524103205" "the county holds the station's grid worker"
# A station user's phone changed at the county: no one signs in with it
# there, so the commands start; check names it.
sqlite3 "$county" "UPDATE users SET phone = '13911112222' WHERE id = '$worker'"
run gqc user list
is "$rc" 0 "a station user's phone changed at the county: the county's commands still start"
run gqc check
is "$rc" 1 "but check finds it"
like "$out" "differs from its change log: users $worker phone 13911112222 13700000002" "naming the user, the field and both values"
sqlite3 "$county" "UPDATE users SET phone = '13700000002' WHERE id = '$worker'"
# The same user made a county admin at the county: who may sign in there
# has changed, and nothing starts.
sqlite3 "$county" "UPDATE users SET role = 'county_admin', village = NULL WHERE id = '$worker'"
run gqc user list
is "$rc" 1 "a station user made a county admin in sqlite3: the county refuses to start"
like "$err" "the user $worker was changed outside the program: its field \"village\" holds \"\", but its change log says \"411524103205\"" "naming the user and the field"
sqlite3 "$county" "UPDATE users SET role = 'grid_worker', village = '411524103205' WHERE id = '$worker'"
sqlite3 "$county" "UPDATE users SET role = 'county_admin' WHERE id = '$worker'"
run gqc user list
is "$rc" 1 "its role alone made the county's: refused too"
like "$err" "the user $worker was changed outside the program: its field \"role\" holds \"county_admin\", but its change log says \"grid_worker\"" "naming the role"
sqlite3 "$county" "UPDATE users SET role = 'grid_worker' WHERE id = '$worker'"
# County staff demoted in sqlite3: still the county's own (no village).
sqlite3 "$county" "UPDATE users SET role = 'grid_worker' WHERE id = '$staff'"
run gqc user list
is "$rc" 1 "county staff made a grid worker in sqlite3: refused"
like "$err" "the user $staff was changed outside the program: its field \"role\" holds \"grid_worker\", but its change log says \"county_staff\"" "naming the user and the role"
sqlite3 "$county" "UPDATE users SET role = 'county_staff' WHERE id = '$staff'"
run gqc check
is "$rc" 0 "all put back, check passes"

finish
