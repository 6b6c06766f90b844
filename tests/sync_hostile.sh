#!/bin/bash
# sync_hostile.sh - what a validly signed bundle from one station may and
# may not do at the county. Each bundle is crafted with the station's own
# keys through the library (tests/gq_craft), as a station PC in hostile
# hands could; every refusal is named per change in the import report,
# and the county's canonical dump is unchanged where it must be.

. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

CRAFT=${top_builddir:-.}/tests/gq_craft
mkdir -p "$T/craft"
# craft NAME [gq_craft options] < CHANGES: a bundle from station NAME.
craft() {
	_st=$1
	shift
	"$CRAFT" --db "$T/$_st.db" --out "$T/craft" "$@"
}
cdump() { gqc dump --canonical 2>/dev/null; }
# tab-separated change lines from words: ch tbl=… row=… field=… text=…
ch() { (IFS=$'\t'; printf '%s\n' "$*"); }

county_init
enroll_station 411524103205 a
enroll_station 411524103206 b
A=$(station_id a)
gqs b export --to "$STICK" >/dev/null
pa=$(gqs a person add --name 张桂兰 --sex F --phone 13800000001)
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
gqc export --to "$STICK" >/dev/null
gqs a import "$STICK" >/dev/null
ADMIN_C=$(gqc user list --format csv --codes | awk -F, '$3 == "county_admin" { print $1 }')
ADMIN_A=$(gqs a user list --format csv --codes | awk -F, '$3 == "station_admin" { print $1 }')
COUNTY=$(gqc stations --format csv | awk -F, 'NR > 1 && $2 == "" { print $1 }')
COUNTY_ID=$(sqlite3 "$C" "SELECT value FROM meta WHERE key = 'station_id'")
FORM_ROW=$(gqc form publish "$top_srcdir/screens/forms/child_visit.form" 2>/dev/null >/dev/null;
	   sqlite3 "$C" "SELECT id FROM form_def LIMIT 1")
ok '[ -n "$ADMIN_C" ] && [ -n "$ADMIN_A" ] && [ -n "$FORM_ROW" ]' "the county has its admin and a published form"

# ---- 1. rows of no village, and fields a station may not set ----
before=$(cdump)
f=$(ch tbl=users row=$ADMIN_C field=active int=0 village=411524103205 | craft a)
f2=$(printf '%s\n%s\n%s\n' \
	"$(ch tbl=users row=$ADMIN_C field=role text=grid_worker village=411524103205)" \
	"$(ch tbl=station row=$COUNTY_ID field=name text=假县 village=411524103205)" \
	"$(ch tbl=form_def row=$FORM_ROW field=deleted int=1 village=411524103205)" | craft a)
run gqc import "$f" "$f2"
like "$out" "Refused: user $ADMIN_C, field \"Active\": .*belongs to no village" "the county admin's active=0 is refused, named"
like "$out" "Refused: user $ADMIN_C, field \"Role\"" "the county admin's role is refused, named"
like "$out" "Refused: station $COUNTY_ID, field \"Name\": .*own station record" "the county's station row is refused, named"
like "$out" "Refused: published form $FORM_ROW, field \"deleted\": .*Published forms are the county's" "tombstoning a published form is refused, named"
is "$(cdump)" "$before" "the county's dump is unchanged"
run gqc user list
is "$rc" 0 "the county admin still signs in"
# a user with a county role, made at a station
u=00000000-0000-4000-8000-00000000c0a1
f=$(printf '%s\n%s\n%s\n%s\n' \
	"$(ch tbl=users row=$u field=created_at text=2026-11-28T08:00:00.000Z)" \
	"$(ch tbl=users row=$u field=village text=411524103205)" \
	"$(ch tbl=users row=$u field=name text=冒充者)" \
	"$(ch tbl=users row=$u field=role text=county_admin)" | craft a)
run gqc import "$f"
like "$out" "Refused: user $u, field \"Role\": .*grid worker or a station admin" "a county role for a station's user is refused"
is "$(sqlite3 "$C" "SELECT count(*) FROM users WHERE role = 'county_admin'")" 1 "the county still has one county admin"
# another station's row and a move to another village
before=$(cdump)
f=$(printf '%s\n%s\n' \
	"$(ch tbl=person row=$pa field=name text=王冒名 village=411524103206)" \
	"$(ch tbl=person row=$pa field=village text=411524103206)" | craft b)
run gqc import "$f"
like "$out" "Refused: person $pa, field \"Name\": .*belongs to village 411524103205" "another village's person is refused"
like "$out" "Refused: person $pa, field \"village\"" "moving a person into one's village is refused"
is "$(cdump)" "$before" "the county's dump is unchanged"

# its own station row, but only as a station; its own person, but not
# into another village
before=$(cdump)
f=$(printf '%s\n%s\n' \
	"$(ch tbl=station row=$A field=role text=county)" \
	"$(ch tbl=person row=$pa field=village text=411524103206)" | craft a)
run gqc import "$f"
like "$out" "Refused: station $A, field \"Role\": A station may not make itself anything but a station" \
	"a station making itself the county is refused, named"
like "$out" "Refused: person $pa, field \"village\": The station of village 411524103205 may not move" \
	"a station moving its own person to another village is refused, named"
is "$(cdump)" "$before" "the county's dump is unchanged"

# ---- 2. the acting user ----
before=$(cdump)
f=$(ch tbl=person row=$pa field=notes text=县里说的 user=$ADMIN_C | craft a)
run gqc import "$f"
like "$out" "Refused: person $pa, field \"Notes\": .*user $ADMIN_C, who is not a user of the station" "a change in the county admin's name is refused"
is "$(cdump)" "$before" "the county's dump is unchanged"
f=$(ch tbl=person row=$pa field=notes text=本站写的 user=$ADMIN_A | craft a)
run gqc import "$f"
unlike "$out" "Refused" "a change by the station's own admin is kept"
like "$(gqc history person "$pa")" "本站写的" "and the history shows it"

# ---- 3. forged acknowledgements ----
gqs a person add --name 李大山 --sex M >/dev/null
gqc export --to "$STICK" >/dev/null
sent=$(stations_field "$A" bundles_out 2>/dev/null)
acked_before=$(sqlite3 "$C" "SELECT acked_number || ' ' || acked_seq FROM peer WHERE id = '$A'")
resend_before=$(sqlite3 "$C" "SELECT count(*) FROM resend")
for bad in 'received=999999' 'received=-1' 'received=1x' 'received=99999999999999999999999'; do
	f=$(craft a --acks "$bad" </dev/null)
	run gqc import "$f"
	is "$rc" 0 "a bundle acknowledging \"$bad\" is imported"
	like "$out" "acknowledgement \(${bad//[/\\[}\) names no bundle sent from here" "the report says the ack $bad was ignored"
	is "$(sqlite3 "$C" "SELECT acked_number || ' ' || acked_seq FROM peer WHERE id = '$A'")" "$acked_before" "the ack $bad is not stored"
done
is "$(sqlite3 "$C" "SELECT count(*) FROM resend")" "$resend_before" "nothing left the resend queue"

# ---- 4. the field checks of a local save ----
before=$(cdump)
long=$(printf '长%.0s' $(seq 1 5000))
badid=$(idnum_bad 41152419800101001)
f=$( {
	ch tbl=person row=$pa field=notes "text=$(printf 'bad \377\376 bytes')"
	ch tbl=person row=$pa field=sex text=X
	ch tbl=person row=$pa field=id_number text=$badid
	ch tbl=person row=$pa field=notes "text=$long"
	ch tbl=person row=$pa field=birth_date text=2099-13-45
	ch tbl=person row=$pa field=birth_date text=2099-01-01
	ch tbl=person row=$pa field=name text=张三3
	ch tbl=person row=$pa field=sex text=female
	ch tbl=person row=$pa field=phone text=12345
	ch tbl=person row=$pa field=household_id "text=x'; DROP TABLE person; --"
} | craft a)
run gqc import "$f"
like "$out" "Refused: person $pa, field \"Notes\": .*(UTF-8|byte)" "invalid UTF-8 is refused"
like "$out" "Refused: person $pa, field \"Sex\": .*\"X\" is not one of the choices" "sex X is refused"
like "$out" "Refused: person $pa, field \"ID number\": " "a bad ID number is refused"
like "$out" "Refused: person $pa, field \"Notes\": .*at most 2000 characters" "5,000-character notes are refused"
like "$out" "Refused: person $pa, field \"Birth date\": .*2099-13-45" "birth date 2099-13-45 is refused"
like "$out" "Refused: person $pa, field \"Birth date\": .*2099-01-01" "a birth date in 2099 is refused"
like "$out" "Refused: person $pa, field \"Name\": " "digits in a name are refused"
like "$out" "Refused: person $pa, field \"Sex\": .*not in the form a save stores \(F\)" "a label instead of the code is refused"
like "$out" "Refused: person $pa, field \"Phone\": " "a bad phone is refused"
like "$out" "Refused: person $pa, field \"Household\": .*not a record id" "a reference that is no id is refused"
like "$out" "10 changes were refused" "each change is refused on its own"
is "$(cdump)" "$before" "the county's dump is unchanged"
# another person's ID number
idn=$(idnum 41152419800101001)
gqs b person add --name 刘国强 --id-number "$idn" >/dev/null
gqs b export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
before=$(cdump)
f=$(ch tbl=person row=$pa field=id_number text=$idn | craft a)
run gqc import "$f"
like "$out" "Refused: person $pa, field \"ID number\": The ID number $idn is already recorded for 刘国强" "another person's ID number is refused"
is "$(cdump)" "$before" "the county's dump is unchanged"
f=$(ch tbl=person row=$pa field=notes text=独居，子女在外地 | craft a)
run gqc import "$f"
unlike "$out" "Refused" "a valid note is kept"

# ---- 4. the rules across fields of a local save ----
# The row is judged as it would be after the changes of the bundle that
# touch it; a change that leaves it breaking a rule is refused, named.
idf=$(idnum 41152419750304002)
pi=$(gqs a person add --name 陈秀兰 --id-number "$idf")
vi=$(gqs a visit add --person "$pi" --form elderly_visit --set visit_kind=home --set elder_seen=yes \
	--set self_care=partial --set health=fair --set chronic_diseases=hypertension \
	--set takes_medicine=yes --set meals=self_cook --set delivery_needed=no \
	--set daily_check=neighbour --set check_frequency=daily --set emergency_contact_reached=yes)
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
ans=$(sqlite3 "$C" "SELECT answers FROM visit WHERE id = '$vi'")
like "$ans" '"elder_seen":"yes"' "the county holds the visit and its answers"
before=$(cdump)
f=$(ch tbl=person row=$pi field=sex text=M | craft a)
run gqc import "$f"
like "$out" "Refused: person $pi, field \"Sex\": .*the sex given \(male\) does not agree with the ID number, which says female" \
	"a sex that contradicts the ID number is refused, named"
f=$(ch tbl=person row=$pi field=birth_date text=1976-03-04 | craft a)
run gqc import "$f"
like "$out" "Refused: person $pi, field \"Birth date\": .*1976-03-04 does not agree with the ID number, which says 1975-03-04" \
	"a birth date that contradicts the ID number is refused, named"
is "$(cdump)" "$before" "the county's dump is unchanged"
# a new person whose sex and ID number disagree, made in one bundle
pn=00000000-0000-4000-8000-0000000b1a5e
f=$(printf '%s\n%s\n%s\n%s\n%s\n' \
	"$(ch tbl=person row=$pn field=created_at text=2026-11-28T08:00:00.000Z)" \
	"$(ch tbl=person row=$pn field=village text=411524103205)" \
	"$(ch tbl=person row=$pn field=name text=假名字)" \
	"$(ch tbl=person row=$pn field=sex text=M)" \
	"$(ch tbl=person row=$pn field=id_number text=$(idnum 41152419800101022))" | craft a)
run gqc import "$f"
like "$out" "Refused: person $pn, field \"ID number\": .*does not agree with the ID number" \
	"a new person's ID number that contradicts the sex beside it is refused"
like "$out" "Refused: person $pn, field \"Sex\": .*does not agree with the ID number" \
	"and so is the sex"
is "$(sqlite3 "$C" "SELECT count(*) FROM person WHERE id = '$pn' AND id_number IS NOT NULL")" 0 \
	"the county holds no person with that ID number and sex"
gqc dump --canonical 2>/dev/null | grep -v "$pn" >"$T/dump_rules"
is "$(cat "$T/dump_rules")" "$before" "the county's other rows are unchanged"
before=$(cdump)
noreq=$(printf '%s' "$ans" | sed 's/,"meals":"self_cook"//')
badchoice=$(printf '%s' "$ans" | sed 's/"visit_kind":"home"/"visit_kind":"boat"/')
hidden=$(printf '%s' "$ans" | sed 's/"elder_seen":"yes"/"elder_seen":"yes","elder_not_seen_reason":"外出打工"/')
ok '[ "$noreq" != "$ans" ] && [ "$badchoice" != "$ans" ] && [ "$hidden" != "$ans" ]' "three crafted answers"
f=$(ch tbl=visit row=$vi field=answers "text=$noreq" | craft a)
run gqc import "$f"
like "$out" "Refused: visit $vi, field \"Answers\": .*\"Meals\".*required" "a visit missing a required answer is refused, named"
f=$(ch tbl=visit row=$vi field=answers "text=$badchoice" | craft a)
run gqc import "$f"
like "$out" "Refused: visit $vi, field \"Answers\": .*\"boat\"" "a choice that is not on the form is refused, named"
f=$(ch tbl=visit row=$vi field=answers "text=$hidden" | craft a)
run gqc import "$f"
like "$out" "Refused: visit $vi, field \"Answers\": .*\"Why the elder was not reached\" of form elderly_visit is answered, but the form hides it" \
	"an answer that a show-if rule hides is refused, named"
f=$(ch tbl=visit row=$vi field=risk_level text=low | craft a)
run gqc import "$f"
like "$out" "Refused: visit $vi, field \"Risk level\": .*form elderly_visit gives \"medium\"" \
	"a risk level the form does not give is refused, named"
f=$(printf '%s\n%s\n' "$(ch tbl=visit row=$vi field=form_version int=99)" \
	"$(ch tbl=visit row=$vi field=answers 'text=[1,2]')" | craft a)
run gqc import "$f"
like "$out" "Refused: visit $vi, field \"Answers\": " "answers that are no JSON object of strings are refused, whatever version of the form the visit names"
is "$(cdump)" "$before" "the county's dump is unchanged"
vn=00000000-0000-4000-8000-0000000b1a5f
f=$(printf '%s\n%s\n%s\n%s\n%s\n' \
	"$(ch tbl=visit row=$vn field=created_at text=2026-11-28T08:00:00.000Z)" \
	"$(ch tbl=visit row=$vn field=village text=411524103205)" \
	"$(ch tbl=visit row=$vn field=person_id text=$pi)" \
	"$(ch tbl=visit row=$vn field=form_id text=no_such_form)" \
	"$(ch tbl=visit row=$vn field=answers 'text={}')" | craft a)
run gqc import "$f"
like "$out" "Refused: visit $vn, field \"Form\": There is no form \"no_such_form\"" "a visit on a form the county does not know is refused, named"
# an honest edit of several fields at once passes: the ID number, and the
# sex and birth date that go with it, arrive as three changes
idm=$(idnum 41152419600715003)
run gqs a person edit "$pi" --set id-number="$idm" --set sex=M --set birth=1960-07-15 --set phone=13800000011
is "$rc" 0 "the station changes the ID number, sex, birth date and phone at once"
gqs a export --to "$STICK" >/dev/null
run gqc import "$STICK"
unlike "$out" "Refused" "the county takes the four changes"
is "$(sqlite3 "$C" "SELECT id_number, sex, birth_date, phone FROM person WHERE id = '$pi'")" \
	"$idm|M|1960-07-15|13800000011" "the county shows the new ID number, sex, birth date and phone"

# ---- 5. parents that do not exist here ----
before=$(cdump)
next_c=$(sqlite3 "$C" "SELECT value FROM meta WHERE key = 'next_oseq'")
other=$(sqlite3 "$C" "SELECT origin || ':' || oseq FROM change_log WHERE tbl = 'users' LIMIT 1")
f=$(printf '%s\n%s\n%s\n' \
	"$(ch tbl=person row=$pa field=relation text=spouse parents=$COUNTY_ID:$((next_c + 2)):1)" \
	"$(ch tbl=person row=$pa field=phone text=13900000009 parents=$A:999999:1)" \
	"$(ch tbl=person row=$pa field=notes text=别人的 parents=$other:1)" | craft a)
run gqc import "$f"
like "$out" "Refused: person $pa, field \"Relation to head\": .*parent the change $COUNTY_ID:$((next_c + 2)), which has not arrived here" "a parent naming the county's future number is refused"
like "$out" "Refused: person $pa, field \"Phone\": .*$A:999999, which has not arrived" "a parent never made is refused"
like "$out" "Refused: person $pa, field \"Notes\": .*not a change of the same record" "a parent of another record is refused"
is "$(cdump)" "$before" "the county's dump is unchanged"
# the county's later changes are not overtaken by it: after a move the
# county and the new village's station agree
gqc person move "$pa" --village 411524103206 >/dev/null
gqc export --to "$STICK" >/dev/null
gqs b import "$STICK" >/dev/null
is "$(rows_of_village "$T/b.db" 411524103206 | grep "$pa")" "$(rows_of_village "$C" 411524103206 | grep "$pa")" "the county and the new station show the moved person alike"
gqc person move "$pa" --village 411524103205 >/dev/null
gqc export --to "$STICK" >/dev/null
gqs a import "$STICK" >/dev/null
gqs b import "$STICK" >/dev/null
is "$(sqlite3 "$C" "SELECT village FROM person WHERE id = '$pa'")" 411524103205 "the person is back in village a"

# ---- 6. bundle numbers out of range ----
before=$(cdump)
for n in 0 9223372036854775808 18446744073709551615; do
	f=$(ch tbl=person row=$pa field=notes text=编号$n | craft a --number $n --keep-number)
	run gqc import "$f"
	is "$rc" 1 "bundle number $n is refused"
	like "$out" "has the number $n; bundle numbers start at 1" "the report names the number $n"
done
is "$(cdump)" "$before" "the county's dump is unchanged"
is "$(sqlite3 "$C" "SELECT count(*) FROM bundle_in WHERE number < 1")" 0 "no number below 1 is stored"
unlike "$(gqc stations --format csv)" '-9223372036854775807' "stations shows no negative gap"

# ---- 8. a FIFO given by path ----
mkfifo "$T/craft/fifo.gqb"
before=$(cdump)
run timeout 20 "$GUANQING" --db "$C" import "$T/craft/fifo.gqb"
is "$rc" 1 "a FIFO is refused, not waited on"
like "$out" "is not a regular file" "the report says it is not a regular file"
is "$(cdump)" "$before" "the county's dump is unchanged"

# ---- 10. a new application arrives with its status ----
gqs a person add --name 周秀英 --sex F >/dev/null
pz=$(gqs a person list --format csv --codes | awk -F, '$2 == "周秀英" { print $1 }')
app=$(gqs a application add --person "$pz" --kind dibao --amount 480)
gqs a export --to "$STICK" >/dev/null
run gqc import "$STICK"
unlike "$out" "Refused" "the new application's changes are all kept"
is "$(gqc application list --format csv --codes | awk -F, -v id="$app" '$1 == id' | grep -c submitted)" 1 "the county lists it as submitted"
gqc application decide "$app" --status approved --amount-granted 480 >/dev/null 2>&1 ||
	gqc application edit "$app" --set status=approved --set amount_granted=480 >/dev/null
gqc export --to "$STICK" >/dev/null
gqs a import "$STICK" >/dev/null
is "$(open_conflicts "$T/a.db")" 0 "the county's decision is no conflict at the station"
like "$(gqs a application list --format csv --codes | awk -F, -v id="$app" '$1 == id')" approved "the station shows the decision"
# a station may not set a later status, nor the initial one of another's row
f=$(ch tbl=application row=$app field=status text=submitted | craft a)
run gqc import "$f"
like "$out" "Refused: application $app, field \"Status\"" "a station's status after the decision is refused"

# ---- 11. a decided application is the county's ----
before=$(cdump)
run gqs a application edit "$app" --set amount_asked=9999
is "$rc" 1 "the station may not change the amount of a decided application"
like "$err" "decided" "the message says it was decided"
f=$(printf '%s\n%s\n' "$(ch tbl=application row=$app field=amount_asked text=9999.00)" \
	"$(ch tbl=application row=$app field=kind text=tekun)" | craft a)
run gqc import "$f"
like "$out" "Refused: application $app, field \"Amount asked \(yuan\)\": .*decided by the county" "a crafted amount on a decided application is refused"
like "$out" "Refused: application $app, field \"Kind\"" "a crafted kind on a decided application is refused"
is "$(cdump)" "$before" "the county's dump is unchanged"
run gqs a application edit "$app" --set notes=已通知本人
is "$rc" 0 "the station may add a note to a decided application"
gqs a export --to "$STICK" >/dev/null
run gqc import "$STICK"
unlike "$out" "Refused" "the note reaches the county"
like "$(cdump | grep "$app")" "已通知本人" "the county shows the note"

# ---- 12. re-sent changes the county holds ----
mkdir -p "$T/all"
sqlite3 "$T/a.db" "UPDATE peer SET acked_seq = 0, acked_number = 0 WHERE role = 'county'"
gqs a export --to "$T/all" >/dev/null
run gqc import "$(ls "$T"/all/guanqing/to-county/*.gqb | tail -n 1)"
unlike "$out" "Refused" "re-sent changes are not called refused"
like "$out" "[0-9]+ changes, 0 new, [1-9][0-9]* already here" "they are counted as already here"


# ---- 13. a bundle of the older format ----
before=$(cdump)
f=$(ch tbl=person row=$pa field=notes text=旧版程序写的 | craft a --format-version 1)
run gqc import "$f"
is "$rc" 1 "a bundle of format version 1 is refused"
like "$out" "$(basename "$f") has format version 1; this program reads bundles of format version 2" "the refusal names the file and both versions"
is "$(cdump)" "$before" "the county's dump is unchanged"

finish
