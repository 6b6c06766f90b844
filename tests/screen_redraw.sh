#!/bin/sh
# No characters lost after a dialog closes at 80 columns: a choice list
# whose edge splits the Chinese labels of a visit form opens and closes,
# and the labels under it are whole again with no piece of its border left.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 6
station_db
gq person add --name 胡子涵 --id-number "$(idnum 41152420150304002)" --category left_behind_child >/dev/null

scr_start screen "" --lang zh
keys F3
wait_for '查找'
keys Enter
wait_for '胡子涵'
keys F3
wait_for '走访表单'
keys Enter
wait_for '近一个月父母与儿童联系情况'
before=$(screen)
# To 近一个月父母与儿童联系情况, the 10th line, and open its choice list.
for i in 1 2 3 4 5 6; do keys Tab; done
keys Space
wait_for '一个月以上未联系'
open=$(screen)
like "$open" '近一个月父母与儿童 ┌' "the open list's edge cuts the label of the line under it"
keys Escape
sleep 0.3
after=$(screen)
like "$after" '近一个月父母与儿童联系情况 \*' "after Escape the label under the list is whole (联 is back)"
like "$after" '儿童健康状况 \*' "and so is the label of another line it covered (状 is back)"
unlike "$after" '[┌┐└┘│─]' "no piece of the list's border stays"

# Choose an answer this time: Enter closes it the other way.
keys Space
wait_for '一个月以上未联系'
keys Enter
sleep 0.3
after=$(screen)
like "$after" '近一个月父母与儿童联系情况 \* +每周都有联系' "after choosing, the label and the answer are whole"
unlike "$after" '[┌┐└┘│─]' "and no piece of the border stays"
finish
