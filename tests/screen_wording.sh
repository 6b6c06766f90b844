#!/bin/sh
# Chinese wording on the screens: moving past an empty required question
# says 请填写“…” and only saving refuses; several answers are joined by
# 、; headings take a full-width colon (风险等级：低, 新建：人员); Home says
# 逾期 N 天; names stand without spaces (胡子涵的修改历史).
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 12
station_db
p=$(gq person add --name 胡子涵 --id-number "$(idnum 41152420150304002)" --category left_behind_child)
gq visit add --person "$p" --form child_visit --set visit_kind=home --set child_seen=yes \
	--set guardian_present=yes --set guardian_relation=grandparent --set guardian_health=healthy \
	--set guardian_care=good --set parents_contact=weekly --set school_status=in_school \
	--set grade=primary_5 --set health=healthy --set psych_state=good --set next_visit=2026-12-20 \
	--date 2026-08-01 --followup 2026-09-03 >/dev/null

scr_start screen "" --lang zh
like "$(screen)" '逾期 86 天' "Home says 逾期 86 天 for a follow-up due 86 days ago"
unlike "$(screen)" '已逾期 \(' "and not 已逾期 (-86)"
keys F3
wait_for '查找'
keys Enter
wait_for '胡子涵'
keys H
wait_for '修改历史'
like "$(screen)" '胡子涵的修改历史' "a name takes no space before 的"
keys Escape
wait_for '走访记录'
keys F3
wait_for '走访表单'
keys Enter
wait_for '风险等级'
like "$(screen)" '风险等级：低' "the risk level heading has a full-width colon"
# Past 走访方式 (filled) and 是否见到儿童本人 (required, empty).
keys Tab Tab
s=$(screen)
like "$s" '请填写“是否见到儿童本人”' "moving past an empty required question says 请填写"
unlike "$s" '为必填项' "and refuses nothing yet"
# 需求: a multiple choice, two answers ticked.
for i in 1 2 3 4 5 6 7 8 9 10; do keys Down; done
wait_for '需求 +\[回车\]'
keys Space
wait_for '生活救助'
keys Space Down Space Enter
sleep 0.3
like "$(screen)" '学业帮扶、助学、生活救助' "two answers are joined by 、"
unlike "$(screen)" '助学, 生活' "not by an ASCII comma"
keys F2
sleep 0.3
like "$(screen)" '字段“.*”为必填项' "saving refuses the empty required question"
keys Escape
wait_for '放弃'
keys y
wait_for '走访记录'
keys Escape
wait_for '查找'
keys F3
wait_for '新建'
like "$(screen)" '新建：人员' "the person form's heading has a full-width colon"
keys Escape
sleep 0.3
$TM kill-server >/dev/null 2>&1

# The command line: the PIN prompt names the user without spaces.
printf '480215\n' >"$T/pin"
gq user add --name 王春梅 --role grid_worker >/dev/null 2>&1
gq user pin 王春梅 --pin-file "$T/pin" >/dev/null 2>&1
run env -u GUANQING_PIN_FILE LANGUAGE=zh_CN "$GUANQING" --lang zh --user 王春梅 person list </dev/null
like "$err" '王春梅的 PIN 码' "the PIN prompt reads 王春梅的 PIN 码"
unlike "$err" '王春梅 的' "with no space after the name"
finish
