#!/bin/sh
# The People list filtered by category, grid and status (F4): the filter
# is named in the title, the count matches what the command line lists,
# and clearing the filters shows everyone again.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 8
station_db
G1=$(gq grid add --name 第一网格)
gq grid add --name 第二网格 >/dev/null
gq person add --name 张三 --category left_behind_child --grid "$G1" >/dev/null
gq person add --name 李四 --category left_behind_child >/dev/null
gq person add --name 王五 --category elderly_alone --grid "$G1" >/dev/null
gq person add --name 赵六 --status moved_out --grid "$G1" >/dev/null

scr_start screen en
keys F3
wait_for '4 of 4 people'
# Category: the first category is left-behind child.
keys F4
wait_for 'Filter the list by'
keys Enter
wait_for '\(all\)'
keys Down Enter
wait_for '2 of 4 people'
s=$(screen)
like "$s" 'People · left-behind child' "the category filter is in the title"
like "$s" '张三' "the filter shows the left-behind child"
unlike "$s" '王五' "and hides the others"
run gq person list --category left_behind_child --format csv --codes
is "$(printf '%s\n' "$out" | grep -c ',')" 3 "the command line lists the same two (and a head)"

# Grid on top of the category.
keys F4 Down Enter
wait_for '第二网格'
keys Down Enter
wait_for '1 of 4 people'
like "$(screen)" 'left-behind child · 第一网格' "both filters are in the title"

# Status alone.
keys F4 Down Down Down Enter
wait_for '4 of 4 people'
keys F4 Down Down Enter
wait_for 'moved out'
keys Down Down Enter
wait_for '1 of 4 people'
s=$(screen)
like "$s" '赵六' "the status filter shows the person who moved out"
keys F4 Down Down Down Enter
wait_for '4 of 4 people'
unlike "$(screen)" 'People ·' "clearing the filters clears the title"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
