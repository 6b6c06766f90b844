#!/bin/sh
# The People list keeps its rows between visits (roster.h) and still shows
# the right people in the right order, the names in pinyin (张 under Z,
# 单 as the surname Shan): after a person is added at the screen, after a
# card is opened and closed, and after the list is left and opened again
# while another program added, renamed and deleted people.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 10
station_db
Z=$(gq person add --name 张三)
S=$(gq person add --name 单丽)
gq person add --name 阿明 >/dev/null
gq person add --name 曾德明 >/dev/null
gq person add --name 欧阳娜娜 >/dev/null

# The names on the screen, top to bottom.
NAMES='阿明|艾青|白雪|卜三|欧阳娜娜|单丽|曾德明|张三'
order() { screen | grep -oE "$NAMES" | tr '\n' ' '; }

scr_start screen en
keys F3
wait_for '5 of 5 people'
is "$(order)" "阿明 欧阳娜娜 单丽 曾德明 张三 " "the list is in the order of the names in pinyin"

# A person added at the screen: listed in their place, and chosen.
keys F3
wait_for 'New: person'
typ '白雪'
keys F2
wait_for '6 of 6 people'
is "$(order)" "阿明 白雪 欧阳娜娜 单丽 曾德明 张三 " "the new person is listed in their place"
keys Enter
wait_for 'Visits, newest first'
like "$(screen)" '白雪' "and is the one chosen"

# Back from the card: the same list.
keys F10
wait_for '6 of 6 people'
is "$(order)" "阿明 白雪 欧阳娜娜 单丽 曾德明 张三 " "back from the card, the list is the same"

# Left for Home; another program adds, renames and deletes.
keys F10
wait_for 'Home'
gq person add --name 艾青 >/dev/null
gq person edit "$Z" --set name=卜三 >/dev/null
gq person delete "$S" >/dev/null
keys F3
wait_for '6 of 6 people'
is "$(order)" "阿明 艾青 白雪 卜三 欧阳娜娜 曾德明 " "opened again, the list shows the other program's changes in order"
unlike "$(screen)" '单丽' "the deleted person is not listed"

# Opened again with nothing changed: the same rows; a search still finds.
keys F10
wait_for 'Home'
keys F3
wait_for '6 of 6 people'
is "$(order)" "阿明 艾青 白雪 卜三 欧阳娜娜 曾德明 " "opened again unchanged, the same list"
typ 'bs'
wait_for '1 of 6 people'
like "$(screen)" '卜三' "pinyin initials find the renamed person"
keys Escape
wait_for '6 of 6 people'
is "$(order)" "阿明 艾青 白雪 卜三 欧阳娜娜 曾德明 " "clearing the search shows the whole list again"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
