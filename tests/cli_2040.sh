#!/bin/sh
# Dates after 2038 (the end of a 32-bit time_t): with the clock in 2040 a
# visit is saved, its follow-up computed and shown, and the change log's
# clock is in 2040 too. Run by the i386 build as well (quickstart.sh).
. "${top_srcdir:-.}/tests/lib.sh"

plan 8
GUANQING_NOW=2040-03-01T09:30:00Z
export GUANQING_NOW
station_db
oy=$(gq person add --name 欧阳·娜娜 --id-number "$(idnum 41152420300304002)" --category left_behind_child)
child="--set visit_kind=home --set guardian_present=yes --set guardian_relation=grandparent
 --set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly
 --set school_status=in_school --set grade=primary_5 --set health=healthy
 --set psych_state=good"
# shellcheck disable=SC2086
run gq visit add --person "$oy" --form child_visit --set child_seen=no --set child_not_seen_reason=在校住宿 $child
is "$rc" 0 "a visit on 2040-03-01 is saved"
v=$out
run gq visit list --format csv --codes
like "$out" "^$v,2040-03-01,$oy,child_visit,medium,2040-03-31\$" "its date and its follow-up 30 days later, 2040-03-31"
run gq visit show "$v"
like "$out" '2040-03-31' "visit show gives the follow-up in 2040"

# Three weeks on, the follow-up is due within 7 days; past it, overdue.
GUANQING_NOW=2040-03-26T08:00:00Z run gq summary
like "$out" 'due in the next 7 days: 1' "on 2040-03-26 the follow-up is due within a week"
GUANQING_NOW=2041-01-01T08:00:00Z run gq summary
like "$out" 'Follow-ups overdue: 1' "on 2041-01-01 it is overdue"
like "$out" '2040-03-31  欧阳·娜娜' "and listed by its 2040 date"

# The record's history carries the 2040 clock.
run gq history visit "$v"
like "$out" '2040-03-01' "the history shows the change made in 2040"
run gq check
is "$rc" 0 "guanqing check passes"
finish
