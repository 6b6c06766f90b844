#!/bin/sh
# cli_check.sh - check on fresh and used databases, a deterministic
# canonical dump, and the demo database.
. "${0%/*}/lib.sh"

station_db
run gq check
is "$rc" 0 "check passes on a fresh station database"
like "$out" 'no problems found' "check says no problems were found"

county=$T/county.db
gq --db "$county" county init --division 411524 $ADMIN_OPTS >/dev/null
run gq --db "$county" check
is "$rc" 0 "check passes on a fresh county database"

# Use the database: every kind of write, including an edit and a tombstone.
zs=$(gq person add --name 张三 --id-number "$(idnum 41152419800101001)" --phone 13812345678)
oy=$(gq person add --name 欧阳·娜娜 --id-number "$(idnum 41152420150304002)" --category left_behind_child)
gq person edit "$zs" --set phone=13812345679 >/dev/null
gq guardian add --person "$oy" --kind father --name 欧阳强 --working-away yes >/dev/null
gq application add --person "$zs" --kind dibao --amount 300 >/dev/null
f=$(gq facility add --kind canteen --name 宋岗老年食堂 --delivers-meals yes)
gq meal add --facility "$f" --person "$zs" --meals 2 >/dev/null
gq activity add --kind civilised_memorial --title 清明文明祭扫宣传 --leaflets 300 >/dev/null
gq visit add --person "$oy" --form child_visit --set visit_kind=home --set child_seen=yes \
	--set guardian_present=yes --set guardian_relation=grandparent --set guardian_health=healthy \
	--set guardian_care=good --set parents_contact=weekly --set school_status=in_school \
	--set grade=primary_5 --set health=healthy --set psych_state=good --set next_visit=2026-12-20 >/dev/null
tmp=$(gq person add --name 临时)
gq person delete "$tmp" >/dev/null
gq person add --name 李四 --phone 123 >/dev/null 2>&1	# refused
is "$(rows person)" 2 "the used database lists two people"
ok '[ "$(dump_lines)" -ge 10 ]' "the used database dumps at least ten rows"

run gq check
is "$rc" 0 "check passes on a used database"
like "$out" 'no problems found' "check on the used database says no problems were found"

# ---- dump --canonical ----
gq dump --canonical >"$T/dump1"
gq dump --canonical >"$T/dump2"
ok 'cmp -s "$T/dump1" "$T/dump2"' "dump --canonical twice gives identical bytes"
ok '[ -s "$T/dump1" ]' "the dump is not empty"
unlike "$(cat "$T/dump1")" '^(division|meta|change_log|field_clock)	' "the dump holds no local-only tables"
like "$(cat "$T/dump1")" "^person	$tmp	" "the dump keeps the tombstoned person"
run gq dump
is "$rc" 2 "dump without --canonical is a usage error"

# ---- file modes ----
chmod 644 "$GUANQING_DB"
run gq check
is "$rc" 1 "check finds a database that others can read"
like "$out" 'file mode: .*mode 644.*chmod 600' "and says what to do"
chmod 600 "$GUANQING_DB"
run gq check
is "$rc" 0 "check passes again at mode 0600"

# ---- demo ----
demo=$T/demo.db
run gq --db "$demo" demo
is "$rc" 0 "demo succeeds"
like "$out" '246810' "demo prints the demo PIN"
run gq --db "$demo" check
is "$rc" 0 "the demo database passes check"
printf '246810\n' > "$T/demo.pin"
run gq --db "$demo" person list
is "$rc" 1 "the demo database asks its users to sign in"
n=$(gq --db "$demo" --user 陈志强 --pin-file "$T/demo.pin" person list --format csv --codes | sed 1d | wc -l | tr -d ' ')
ok '[ "$n" -ge 120 ] && [ "$n" -le 200 ]' "the demo database has about 150 people ($n)"
run gq --db "$demo" demo
is "$rc" 1 "demo over an existing database is refused"

finish
