#!/bin/sh
# sync_forms.sh - a form version published at the county reaches a station
# in its return bundle and is used for new visits there.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
forms=${GUANQING_FORMS_DIR:?}

# Version 2 of the child visit form: one question more, required.
sed -e 's/^version = 1$/version = 2/' "$forms/child_visit.form" > "$T/child_visit.form"
cat >> "$T/child_visit.form" <<'FORM'

[field homework_help]
type = yesno
label = 是否有人辅导作业
label.en = Someone helps with homework
required = yes
FORM
ok "grep -q '^version = 2' '$T/child_visit.form'" "the new form file says version 2"

run gqs a form publish "$T/child_visit.form"
is "$rc" 1 "a station may not publish a form"
like "$err" 'county' "the message says the county publishes forms"
run gqc form publish "$T/child_visit.form"
is "$rc" 0 "the county publishes version 2"
like "$out" 'child_visit version 2' "the message names the form and version"
run gqc form publish "$T/child_visit.form"
is "$rc" 1 "the same version cannot be published twice"
like "$err" 'higher version' "the message asks for a higher version"
printf 'form = broken\nversion = 1\ntitle = 坏表\n[field x]\ntype = colour\n' > "$T/broken.form"
run gqc form publish "$T/broken.form"
is "$rc" 1 "a form with a mistake is refused"
like "$err" 'broken\.form:5' "the message names the file and line"
like "$(gqc form list)" 'child_visit +v2' "the county lists version 2"
like "$(gqs a form list)" 'child_visit +v1' "the station still has version 1"

# The form travels in the county's return bundle.
gqc export --to "$STICK" >/dev/null
run gqs a import "$STICK"
is "$rc" 0 "the station imports the return bundle"
like "$(gqs a form list)" 'child_visit +v2' "the station now lists version 2"
like "$(gqs a form show child_visit)" 'homework_help' "the station shows the new question"

p=$(gqs a person add --name 张小雨 --birth 2016-05-01)
answers="--set child_seen=yes --set guardian_present=yes --set guardian_relation=grandparent
 --set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly
 --set school_status=in_school --set grade=primary_5 --set health=healthy --set psych_state=good"
# shellcheck disable=SC2086
run gqs a visit add --person "$p" --form child_visit $answers
is "$rc" 1 "a visit without the new required answer is refused"
like "$err" 'homework' "the message names the new question"
# shellcheck disable=SC2086
run gqs a visit add --person "$p" --form child_visit $answers --set homework_help=yes
is "$rc" 0 "a visit with the new answer is saved"
like "$(gqs a visit list --format csv --codes)" 'child_visit' "the visit is listed"
is "$(gqs a visit show "$out" | grep -c 'Form version *2')" 1 "the visit records form version 2"
run gqs a check
is "$rc" 0 "check passes at the station"

done_testing
