#!/bin/sh
# cli_read.sh - one answer to each read, whoever asks: the latest visit of
# a person decides the follow-up in the summary and in Home's list alike;
# a search with a lower-case x finds the ID number; a back-dated visit's
# follow-up and its "next visit" answer are one date, counted from the
# visit date. (The screens' side is in screen_read.sh.)
. "${0%/*}/lib.sh"

station_db
child="--set visit_kind=home --set guardian_present=yes --set guardian_relation=grandparent
 --set guardian_health=healthy --set guardian_care=good --set parents_contact=weekly
 --set school_status=in_school --set grade=primary_5 --set health=healthy
 --set psych_state=good --set child_seen=yes"

# ---- the latest visit of a person ----
# Two visits of one day, recorded one after the other: the first asked
# for a follow-up 10 days ago, the second for one in 22 days. The second
# is the latest, so nothing is overdue.
p=$(gq person add --name 欧阳·娜娜 --id-number "$(idnum 41152420150304002)" --category left_behind_child)
# shellcheck disable=SC2086
GUANQING_NOW=2026-11-28T08:00:00Z gq visit add --person "$p" --form child_visit $child \
	--date 2026-11-10 --followup 2026-11-18 >/dev/null
# shellcheck disable=SC2086
GUANQING_NOW=2026-11-28T08:05:00Z gq visit add --person "$p" --form child_visit $child \
	--date 2026-11-10 --followup 2026-12-20 >/dev/null
run gq summary
is "$rc" 0 "summary succeeds"
like "$out" 'Follow-ups overdue: 0;' "the summary counts no overdue follow-up: the later visit is the latest"
like "$out" '2026-12-20  欧阳·娜娜' "the summary's nearest follow-up is the latest visit's"
unlike "$out" '2026-11-18' "the earlier visit's follow-up is not shown"
run gq report followups
is "$rc" 0 "report followups succeeds"
like "$out" '2026-12-20.*欧阳·娜娜' "the follow-up list (Home's) shows the latest visit's follow-up"
unlike "$out" '2026-11-18' "and not the earlier one"

# A later visit date wins over a later recording.
q=$(gq person add --name 李奶奶 --id-number "$(idnum 41152419400618002)" --category elderly_alone)
# shellcheck disable=SC2086
GUANQING_NOW=2026-11-28T08:10:00Z gq visit add --person "$q" --form child_visit $child \
	--date 2026-11-20 --followup 2026-11-25 >/dev/null
# shellcheck disable=SC2086
GUANQING_NOW=2026-11-28T08:15:00Z gq visit add --person "$q" --form child_visit $child \
	--date 2026-11-01 --followup 2026-12-01 >/dev/null
run gq summary
like "$out" 'Follow-ups overdue: 1;' "the visit of the later date is the latest, even when recorded first"
run gq report followups
like "$out" "2026-11-25 +-3 +李奶奶" "the list says the same follow-up is 3 days overdue"
unlike "$out" '2026-12-01' "the older visit's follow-up is not listed"

# ---- search ----
x=$(gq person add --name 张小雨 --id-number 41152420100301005X)
run gq person search 01005X
like "$out" '张小雨' "a search by the end of the ID number finds the person"
run gq person search 01005x
like "$out" '张小雨' "a lower-case x finds the same person"
run gq person search zxy
like "$out" '张小雨' "pinyin initials find the person"
run gq person search 小雨
like "$out" '张小雨' "part of the Chinese name finds the person"
run gq person search 01006x
unlike "$out" '张小雨' "other digits do not"
is "$x" "$(gq person search 41152420100301005x --format csv --codes | sed 1d | cut -d, -f1)" \
	"the whole number with a lower-case x finds exactly that person"

# ---- a back-dated visit ----
r=$(gq person add --name 王小明 --id-number "$(idnum 41152420160101003)" --category left_behind_child)
# shellcheck disable=SC2086
v=$(gq visit add --person "$r" --form child_visit $child --date 2026-10-01)
like "$(gq visit list --format csv --codes)" "^$v,2026-10-01,$r,child_visit,low,2026-12-30\$" \
	"a low-risk visit of 2026-10-01 is followed up 90 days after its date"
like "$(gq visit show "$v")" 'Next visit +2026-12-30' "its next-visit answer is the same date"
# shellcheck disable=SC2086
v=$(gq visit add --person "$r" --form child_visit $child --date 2026-10-01 --set safety_risks=bullying)
like "$(gq visit list --format csv --codes)" "^$v,2026-10-01,$r,child_visit,medium,2026-10-31\$" \
	"a medium-risk visit of 2026-10-01 is due 30 days after its date (overdue now)"
like "$(gq visit show "$v")" 'Next visit +2026-10-31' "and its next-visit answer agrees"
# The worker's earlier date is the date, in both places.
# shellcheck disable=SC2086
v=$(gq visit add --person "$r" --form child_visit $child --date 2026-10-01 --set next_visit=2026-11-15)
like "$(gq visit list --format csv --codes)" "^$v,2026-10-01,$r,child_visit,low,2026-11-15\$" \
	"an agreed next visit before the rule's date is the follow-up"
like "$(gq visit show "$v")" 'Next visit +2026-11-15' "and stays the answer"
# A follow-up given with the visit is the answer too.
# shellcheck disable=SC2086
v=$(gq visit add --person "$r" --form child_visit $child --followup 2026-12-24)
like "$(gq visit show "$v")" 'Next visit +2026-12-24' "--followup sets the next-visit answer to the same date"
# Editing the visit date moves the proposed follow-up with it.
# shellcheck disable=SC2086
v=$(gq visit add --person "$r" --form child_visit $child --date 2026-11-01)
gq visit edit "$v" --date 2026-11-20 >/dev/null
like "$(gq visit list --format csv --codes)" "^$v,2026-11-20,$r,child_visit,low,2027-02-18\$" \
	"after the visit date changes the follow-up counts from the new date"
like "$(gq visit show "$v")" 'Next visit +2027-02-18' "and the answer moves with it"
# ---- history, as people read it ----
h=$(gq person add --name 赵丽 --sex F)
gq person edit "$h" --status moved_out >/dev/null
run env TZ=Asia/Shanghai "$GUANQING" history person "$h"
like "$out" 'Name +\(none\) +赵丽|Name +赵丽' "history names the field by its label"
like "$out" 'Sex .*female' "and a choice by its label"
like "$out" 'Status .*active .*moved out' "a change reads from label to label"
like "$out" '2026-11-28 16:00' "times are local (Beijing time for TZ=Asia/Shanghai)"
unlike "$out" ' created_at | M$| F$' "no column names or codes"
run gq history person "$h" --format csv
like "$out" 'moved_out' "CSV keeps the stored codes"
run gq check
is "$rc" 0 "check passes"
finish
