#!/bin/sh
# screen_report.sh - a report by place on the screen, over records planted
# across several towns and villages (tests/report_plant.py): the towns and
# the county with a bar chart of block characters, Enter drilling down to
# a town's villages, Esc back up to the towns, and '#' bars on TERM=linux.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 12
county=$T/county.db
GUANQING_DB=$county
export GUANQING_DB
gq county init --division 411524 $ADMIN_OPTS >/dev/null
python3 "${top_srcdir:-.}/tests/report_plant.py" plant "$county"

sign_in() {
	keys Enter
	wait_for 'PIN of' >/dev/null
	typ 480215
	keys Enter
	wait_for 'Signed in' >/dev/null
}

scr_start screen en
sign_in
keys r
wait_for 'Which report'
like "$(screen)" 'Meal-assistance coverage' "the chooser offers the bureau's reports"
keys Down Enter
wait_for 'Children: 21 rows'
s=$(screen)
like "$s" 'Children: 21 rows' "children: twenty towns and the county's total"
like "$s" ' 赤城街道 +████████████ +1 ' "赤城街道 visited all its children: a whole bar"
like "$s" ' 双椿铺镇 +███████▎ +5 ' "双椿铺镇 visited 3 of 5: three fifths of a bar (7.2 of 12)"
like "$s" ' 上石桥镇 +0 ' "a town with no children has no bar"
keys Down Down Down Down Enter
wait_for 'villages of 双椿铺镇'
s=$(screen)
like "$s" 'Children, villages of 双椿铺镇: 30 rows' "Enter on 双椿铺镇 shows its 30 villages"
keys End
s=$(screen)
like "$s" ' 塔湾村民委员会 +████████ +3 ' "塔湾村: 2 of 3 visited"
keys Escape
wait_for 'Children: 21 rows'
like "$(screen)" 'Children: 21 rows' "Esc goes back up to the towns"
keys Escape
keys r
wait_for 'Which report'
keys Down Down Down Enter
wait_for 'Meal-assistance coverage: 21 rows'
like "$(screen)" ' 双椿铺镇 +▉ +2 +0$' "meal coverage: 双椿铺镇's 7.1 % of villages is seven eighths of a column on a scale to 100 %"
$TM kill-server >/dev/null 2>&1

# On the Linux console: ASCII bars.
scr_start linux en
sign_in
keys r
wait_for 'Which report'
keys Down Enter
wait_for 'Children: 21 rows'
s=$(screen)
like "$s" '############ +1 ' "on TERM=linux the whole bar is '#'"
unlike "$s" '█' "and no block character is drawn"
keys F10
keys F10
$TM kill-server >/dev/null 2>&1
pass "the screens ran to the end"
