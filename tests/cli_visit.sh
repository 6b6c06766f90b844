#!/bin/sh
# cli_visit.sh - the visit forms: form list/show, visit add for each of the
# four forms, skip logic, refused answers, risk level and follow-up date.
. "${0%/*}/lib.sh"

station_db
oy=$(gq person add --name 欧阳·娜娜 --id-number "$(idnum 41152420150304002)" --category left_behind_child)
lao=$(gq person add --name 李奶奶 --id-number "$(idnum 41152419400618002)" --category elderly_alone)
zs=$(gq person add --name 张三 --id-number "$(idnum 41152419800101001)" --category dibao)
dead=$(gq person add --name 王老汉 --id-number "$(idnum 41152419380202001)")

# ---- forms ----
run gq form list
is "$rc" 0 "form list succeeds"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 4 "form list shows four forms"
for f in child_visit elderly_visit assistance_check death_report; do
	like "$out" "^$f +v[0-9]+ " "form list shows $f with its version"
done
run gq form show child_visit
is "$rc" 0 "form show child_visit succeeds"
like "$out" 'child_seen' "form show lists the field child_seen"
like "$out" 'guardian_relation' "form show lists the field guardian_relation"
run gq form show no_such_form
is "$rc" 1 "form show of an unknown form is refused"
like "$err" 'no_such_form' "the message names the unknown form"
run gq form show "$T/missing.form"
is "$rc" 1 "form show of a missing form file is refused"
printf 'form = broken\nversion = 1\ntitle = x\n[field a]\ntype = colour\n' >"$T/broken.form"
run gq form show "$T/broken.form"
is "$rc" 1 "a form file with a mistake is refused"
like "$err" 'broken\.form.*5|broken\.form:5' "the message names the file and line"

# ---- child visit ----
child="--set visit_kind=home --set guardian_present=yes --set guardian_relation=grandparent
 --set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly
 --set school_status=in_school --set grade=primary_5 --set health=healthy
 --set psych_state=good"
# shellcheck disable=SC2086
run gq visit add --person "$oy" --form child_visit --set child_seen=yes $child
is "$rc" 0 "child_visit with every required answer succeeds"
like "$out" '^[0-9a-f-]{36}$' "visit add prints the new id"
v_low=$out
# shellcheck disable=SC2086
run gq visit add --person "$oy" --form child_visit --set child_seen=no \
	--set child_not_seen_reason=在校住宿 $child --date 2026-11-27
is "$rc" 0 "child_visit with a show_if answer (child not seen, reason given) succeeds"
v_med=$out
# shellcheck disable=SC2086
run gq visit add --person "$oy" --form child_visit --set child_seen=yes $child \
	--set safety_risks=drowning,left_alone
is "$rc" 0 "child_visit with a multiple choice answer succeeds"
v_high=$out

want_err='not seen'
# shellcheck disable=SC2086
refused "a missing show_if answer (child not seen, no reason)" \
	gq visit add --person "$oy" --form child_visit --set child_seen=no $child
want_err='Psychological state'
refused "a missing required answer" gq visit add --person "$oy" --form child_visit \
	--set visit_kind=home --set child_seen=yes --set guardian_present=yes \
	--set guardian_relation=grandparent --set guardian_health=healthy --set guardian_care=good \
	--set parents_contact=weekly --set school_status=in_school --set grade=primary_5 \
	--set health=healthy --set next_visit=2026-12-20
want_err='shoe_size'
# shellcheck disable=SC2086
refused "an unknown field" gq visit add --person "$oy" --form child_visit --set child_seen=yes $child --set shoe_size=40
want_err='Grade|grade|primary_9'
# shellcheck disable=SC2086
refused "an answer that is not one of the choices" gq visit add --person "$oy" --form child_visit --set child_seen=yes $child --set grade=primary_9
want_err='.'
# shellcheck disable=SC2086
refused "an integer above its maximum" gq visit add --person "$oy" --form child_visit --set child_seen=yes $child --set parents_contact_times=1000
want_err='no_such_form'
refused "an unknown form" gq visit add --person "$oy" --form no_such_form --set a=b
want_err='.'
# shellcheck disable=SC2086
refused "a person who does not exist" gq visit add --person 00000000-0000-0000-0000-000000000000 --form child_visit --set child_seen=yes $child
run gq visit add --form child_visit
is "$rc" 2 "visit add without --person is a usage error"

# ---- risk level and follow-up date ----
run gq visit list --format csv --codes
like "$out" '^id,visit_date,person_id,form_id,risk_level,followup_due$' "visit list CSV header"
like "$out" "^$v_low,2026-11-28,$oy,child_visit,low,2027-02-26\$" "no risk: low, follow-up in 90 days"
like "$out" "^$v_med,2026-11-27,$oy,child_visit,medium,2026-12-27\$" "child not seen: medium, follow-up in 30 days from the visit"
like "$out" "^$v_high,2026-11-28,$oy,child_visit,high,2026-12-05\$" "left alone near water: high, follow-up in 7 days"

# ---- elderly visit ----
run gq visit add --person "$lao" --form elderly_visit --set visit_kind=home --set elder_seen=yes \
	--set self_care=partial --set health=fair --set chronic_diseases=hypertension \
	--set takes_medicine=yes --set meals=self_cook --set delivery_needed=no \
	--set daily_check=neighbour --set check_frequency=daily --set emergency_contact_reached=yes \
	--set next_visit=2026-12-10
is "$rc" 0 "elderly_visit succeeds"
ve=$out
like "$(gq visit list --format csv --codes)" "^$ve,2026-11-28,$lao,elderly_visit,medium,2026-12-10\$" \
	"partly dependent elder: medium; the agreed next visit, before the 15-day rule, is the follow-up"
# A next visit agreed later than the risk rule allows gives way to the rule.
run gq visit add --person "$oy" --form child_visit --set child_seen=yes --set visit_kind=home \
	--set guardian_present=yes --set guardian_relation=grandparent --set guardian_health=healthy \
	--set guardian_care=good --set parents_contact=weekly --set school_status=in_school \
	--set grade=primary_5 --set health=healthy --set psych_state=good \
	--set safety_risks=drowning,left_alone --set next_visit=2027-01-20
is "$rc" 0 "child_visit with a late agreed next visit succeeds"
like "$(gq visit list --format csv --codes)" "^$out,2026-11-28,$oy,child_visit,high,2026-12-05\$" \
	"high risk: the 7-day rule wins over a later agreed next visit"
want_err='[Hh]azard|handled'
refused "elderly_visit: a home hazard without saying whether it was handled" \
	gq visit add --person "$lao" --form elderly_visit --set visit_kind=home --set elder_seen=yes \
	--set self_care=self --set health=good --set home_safety=gas --set meals=self_cook \
	--set delivery_needed=no --set daily_check=child --set check_frequency=daily \
	--set emergency_contact_reached=yes --set next_visit=2026-12-10

# ---- assistance household check ----
run gq visit add --person "$zs" --form assistance_check --set assistance_kind=dibao \
	--set members_registered=3 --set members_present=3 --set members_change=none \
	--set income_change=none --set monthly_income=800.50 --set working_members=0 \
	--set housing=own_safe --set major_medical=no --set suggestion=keep --set next_check=2027-05-01
is "$rc" 0 "assistance_check succeeds"
va=$out
like "$(gq visit list --format csv --codes)" "^$va,2026-11-28,$zs,assistance_check,low,2027-05-01\$" \
	"unchanged household: low; the agreed next check, before the 180-day rule, is the follow-up"
want_err='[Ii]ncome'
refused "assistance_check: an income that is not a number" gq visit add --person "$zs" \
	--form assistance_check --set assistance_kind=dibao --set members_registered=3 \
	--set members_present=3 --set members_change=none --set income_change=none \
	--set monthly_income=lots --set working_members=0 --set housing=own_safe \
	--set major_medical=no --set suggestion=keep --set next_check=2027-05-01

# ---- death and funeral report ----
# A death is reported once, as the death report of the person ("death
# add", F9 on the card), not as a visit; the form stays readable for the
# visits kept with it.
want_err='A death is not recorded as a visit: use the death report'
refused "death_report: the death form is not a visit form" gq visit add --person "$dead" --form death_report \
	--set death_date=2026-11-25 --set death_place=home --set cause=old_age --set certificate=medical \
	--set family_poor=yes --set fee_waiver=yes --set informant_name=王强 --set informant_relation=child \
	--set informant_phone=13800000001
like "$(gq form show death_report)" 'informant_phone' "death_report: the form can still be read"

# ---- answers as the screens show them; every missing answer at once ----
# A yes/no as 是, a choice and a multiple choice by their Chinese labels
# (the items parted by a Chinese comma), as a worker reads them on screen.
run gq visit add --person "$oy" --form child_visit --set visit_kind=入户走访 --set child_seen=是 \
	--set guardian_present=是 --set guardian_relation=祖父母、外祖父母 --set guardian_health=健康 \
	--set guardian_care=good --set parents_contact=weekly --set school_status=in_school \
	--set grade=primary_5 --set health=healthy --set psych_state=良好 \
	--set "safety_risks=交通安全，欺凌"
is "$rc" 0 "answers given by their Chinese labels are accepted"
v_zh=$out
run gq visit show "$v_zh"
like "$out" 'Child seen in person +yes' "是 is saved as yes"
like "$out" 'Who actually looks after.* +Grandparent' "祖父母、外祖父母 is saved as grandparent"
like "$out" 'Safety risks +Traffic' "a multiple choice by its labels keeps both items"
like "$out" 'Safety risks +.*Bullying' "the second item of the multiple choice is kept"
run gq visit add --person "$oy" --form child_visit --set child_seen=也许 $child
is "$rc" 1 "a yes/no that is neither yes nor no is refused"
like "$err" '也许' "the refusal names the answer"
run gq visit add --person "$oy" --form child_visit --set child_seen=yes --set visit_kind=home
is "$rc" 1 "a visit with several required answers missing is refused"
like "$err" '[0-9]+ required answers are missing' "the refusal counts the missing answers"
like "$err" 'Guardian at home' "it names the guardian question"
like "$err" 'Psychological state' "and the last required question, in the same message"
before=$(rows visit --person "$oy")
run env LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$GUANQING" --lang zh visit add --person "$oy" --form child_visit \
	--set child_seen=yes --set visit_kind=home
like "$err" '监护人是否在家、' "in Chinese the missing questions are parted by 、"
is "$(rows visit --person "$oy")" "$before" "a refused visit writes nothing"

# ---- visit list --person, show, edit, delete ----
run gq visit list --person "$oy" --format csv --codes
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 5 "visit list --person lists the child's five visits"
unlike "$out" "$lao" "visit list --person leaves out other people's visits"
run gq visit list --person "$lao"
like "$out" '李奶奶' "visit list --person (table) names the person"
run gq visit show "$v_low"
like "$out" 'Child seen in person +yes' "visit show lists each answer by its question's label"
like "$out" 'Who actually looks after.* +Grandparent' "a choice answer reads as its label"
unlike "$out" '"child_seen"' "and not as the stored JSON"
like "$out" 'Form +child_visit \(Left-behind child' "the form is named by its title"
run gq visit delete "$v_high"
is "$rc" 0 "visit delete succeeds"
is "$(rows visit --person "$oy")" 4 "a deleted visit is not listed"

finish
