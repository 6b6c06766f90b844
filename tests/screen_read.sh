#!/bin/sh
# screen_read.sh - the screens read through the same core as the command
# line: a form the county published (a new version and a new form) is in
# the visit screen's chooser with its new question; Home's count and list
# agree on the latest visit; the People search takes a lower-case x; a
# back-dated visit's follow-up is proposed from its date and moves when the
# date changes. (The command line's side is in cli_read.sh.)
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 14
county_init
enroll_station 411524103205 a
forms=${GUANQING_FORMS_DIR:?}

# The county publishes child_visit version 2 with a new required question,
# and a form of its own.
sed -e 's/^version = 1$/version = 2/' "$forms/child_visit.form" > "$T/child_visit.form"
cat >> "$T/child_visit.form" <<'FORM'

[field homework_help]
type = yesno
label = 是否有人辅导作业
label.en = Someone helps with homework
required = yes
FORM
cat > "$T/winter_check.form" <<'FORM'
form = winter_check
version = 1
title = 冬季安全走访
title.en = Winter safety visit

[field heating_safe]
type = yesno
label = 取暖设施是否安全
label.en = Heating is safe
required = yes
FORM
gqc form publish "$T/child_visit.form" >/dev/null
gqc form publish "$T/winter_check.form" >/dev/null
gqc export --to "$STICK" >/dev/null
gqs a import "$STICK" >/dev/null
like "$(gqs a form list)" 'winter_check' "the station's form list has the county's new form"

GUANQING_DB=$T/a.db
export GUANQING_DB
child="--set visit_kind=home --set guardian_present=yes --set guardian_relation=grandparent
 --set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly
 --set school_status=in_school --set grade=primary_5 --set health=healthy
 --set psych_state=good --set child_seen=yes --set homework_help=yes"
p=$(gq person add --name 欧阳·娜娜 --id-number 41152420100301005X --category left_behind_child)
# Two visits of one day: the later recorded one (follow-up in 22 days) is
# the latest, so nothing is overdue.
# shellcheck disable=SC2086
GUANQING_NOW=2026-11-28T08:00:00Z gq visit add --person "$p" --form child_visit $child \
	--date 2026-11-10 --followup 2026-11-18 >/dev/null
# shellcheck disable=SC2086
GUANQING_NOW=2026-11-28T08:05:00Z gq visit add --person "$p" --form child_visit $child \
	--date 2026-11-10 --followup 2026-12-20 >/dev/null

scr_start screen en
keys Enter
wait_for 'PIN of'
typ 480215
keys Enter
wait_for 'Signed in'
s=$(screen)
like "$s" 'Follow-ups overdue: 0;' "Home counts no overdue follow-up"
like "$s" '2026-12-20 +欧阳·娜娜 +due in 22 days' "Home lists the latest visit's follow-up"
unlike "$s" '2026-11-18' "and not the earlier visit's"

keys F3
wait_for 'Search'
typ '01005x'
wait_for '1 of 1 people'
like "$(screen)" '欧阳·娜娜' "People finds the ID number with a lower-case x"
keys Enter
wait_for 'Visits, newest first'
keys F3
wait_for 'Choose the visit form'
s=$(screen)
like "$s" 'Winter safety visit' "the visit form chooser offers the county's new form"
# A left-behind child's form comes first, before the forms for others.
first=$(printf '%s\n' "$s" | grep -n 'Left-behind child and child in difficulty visit' | head -1 | cut -d: -f1)
other=$(printf '%s\n' "$s" | grep -n 'Elderly\|elderly\|assistance\|Assistance' | head -1 | cut -d: -f1)
ok '[ -n "$first" ] && [ -n "$other" ] && [ "$first" -lt "$other" ]' "the child's own form is offered first"
# Child visit: the published version 2, with its new question.
keys 1
wait_for 'Kind of visit'
i=0
while [ $i -lt 30 ] && ! screen | grep -q 'Someone helps with homework'; do
	keys Tab
	i=$((i + 1))
done
like "$(screen)" 'Someone helps with homework' "the form has version 2's question"
# The visit date, then the next visit proposed from it.
while [ $i -lt 60 ] && ! screen | grep -q '> *Visit date\|Visit date.*\[' ; do
	keys Tab
	i=$((i + 1))
done
like "$(screen)" 'Next visit \* +2027-02-26' "a new low-risk visit proposes today + 90 days"
unlike "$(screen)" 'Follow-up due' "the visit has one follow-up date, the form's next visit"
keys End BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
typ '2026-10-01'
sleep 0.2
like "$(screen)" 'Next visit \* +2026-12-30' "a back-dated visit's next visit counts from its date"
keys Escape
wait_for 'Throw away'
keys y
sleep 0.2
$TM kill-server >/dev/null 2>&1

# An old person living alone is offered the elderly form first.
gq person add --name 李奶奶 --id-number "$(idnum 41152419400618002)" --category elderly_alone >/dev/null
scr_start screen en
keys Enter
wait_for 'PIN of'
typ 480215
keys Enter
wait_for 'Signed in'
keys F3
wait_for 'Search'
typ 'lnn'
wait_for '1 of 1 people'
keys Enter
wait_for 'Visits, newest first'
keys F3
wait_for 'Choose the visit form'
s=$(screen)
first=$(printf '%s\n' "$s" | grep -n 'lderly' | head -1 | cut -d: -f1)
other=$(printf '%s\n' "$s" | grep -n 'Left-behind child' | head -1 | cut -d: -f1)
ok '[ -n "$first" ] && [ -n "$other" ] && [ "$first" -lt "$other" ]' "an old person's own form is offered first"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "check passes at the station"
like "$(gq form show child_visit)" 'homework_help' "the command line's form is the same version"
finish
