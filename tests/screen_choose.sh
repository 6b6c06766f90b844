#!/bin/sh
# Choosing a reference from a list that filters as one types: a household
# by part of its address, a head of household by pinyin initials, Esc
# keeps the old value; each choice is checked in the database.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 9
station_db
gq household add --address 宋岗村王湾组1号 >/dev/null
H2=$(gq household add --address 宋岗村河口组2号)
gq household add --address 宋岗村小庙组3号 >/dev/null
ZS=$(gq person add --name 张三 --birth 1950-01-02)
gq person add --name 张山 --birth 1960-03-04 >/dev/null
gq person add --name 李四 >/dev/null

scr_start screen en
keys F3
wait_for 'Search'
keys F3
wait_for 'New: person'
typ '王五'
keys Tab Tab Tab Tab Tab
keys Enter
wait_for 'Find:'
# Every household, "(none)" and "New household".
like "$(screen)" '5 of 5' "the household list opens with every household"
typ '河口'
wait_for '1 of 5'
like "$(screen)" '宋岗村河口组2号' "typing part of the address finds the household"
keys Enter
wait_for 'Household +宋岗村河口组2号'
keys F2
wait_for 'Saved'
WW=$(gq person list --format csv --codes | awk -F, '/王五/ { print $1 }')
run gq person show "$WW"
like "$out" "Household +宋岗村河口组2号 \\($H2\\)" "the chosen household is saved, named by its address"

# The head of a new household, by pinyin initials.
wait_for '4 of 4 people'
typ 'ls'
wait_for '1 of 4 people'
keys Enter
wait_for 'Household \(h'
keys h
wait_for 'New: household'
typ '宋岗村陈庄组9号'
keys Tab Tab
keys Enter
wait_for 'Find:'
typ 'zs'
wait_for '2 of 5'
s=$(screen)
like "$s" '张三  1950-01-02' "pinyin initials find both namesakes, with birth dates"
like "$s" '张山  1960-03-04' "and the other reading"
keys Escape
sleep 0.2
like "$(screen)" 'Head of household *\[Enter\]' "Esc keeps the field as it was"
keys Enter
wait_for 'Find:'
typ 'zs'
wait_for '2 of 5'
keys Enter
wait_for 'Head of household +张三'
keys F2
wait_for 'Saved'
run gq household list --format csv --codes
like "$out" "宋岗村陈庄组9号,$ZS," "the household is saved with its head"
wait_for '陈庄组9号'
like "$(screen)" 'Head of household +张三' "the card shows the head"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
