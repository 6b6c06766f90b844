#!/bin/sh
# Ascii mode (--ascii, and TERM=linux): a Chinese name typed into
# a field is shown in pinyin with the cursor after the romanised
# characters before it, and the name is saved in Chinese; household
# members on the card are romanised before they are padded.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 11
station_db
HH=$(gq household add --address 宋岗村王湾组3号)
gq person add --name 王大明 --household "$HH" >/dev/null
gq person add --name 欧阳晓明 --household "$HH" --relation child >/dev/null

scr_start screen en --ascii
curx() { $TM display -p '#{cursor_x}'; }
keys 1
wait_for 'Search'
keys F3
wait_for 'New: person'
typ '王小明'
wait_for 'Wang Xiaoming'
like "$(screen)" 'Name \* +Wang Xiaoming' "the typed name is shown in pinyin"
x_end=$(curx)
keys Left
x_left=$(curx)
is "$((x_end - x_left))" 4 "Left moves the cursor over the pinyin of one character"
keys Home
is "$(curx)" "$((x_end - 13))" "Home puts it at the start of the field"
keys F2
wait_for 'Saved'
run gq person list --format csv --codes
like "$out" '^[^,]*,王小明,' "the name is saved in Chinese"

wait_for 'Search'
typ 'wdm'
wait_for '1 of'
keys Enter
wait_for 'Members'
s=$(screen)
like "$s" 'Ouyang Xiaoming' "a member's name is romanised whole"
unlike "$s" '[^ -~]' "no Chinese on the screen"
$TM kill-server >/dev/null 2>&1

# On the Linux console the first screen says why it is in English, and an
# address is romanised word by word.
scr_start linux en
s=$(screen)
like "$s" 'TERM=linux' "the first screen on TERM=linux names the console"
like "$s" 'cannot show Chinese' "and says why the screens are in English"
keys 1
wait_for 'Search'
typ 'wdm'
wait_for '1 of'
keys Enter
wait_for 'Members'
s=$(screen)
like "$s" 'Songgang Cun Wangwan Zu 3 Hao' "the address is romanised word by word"
unlike "$s" '\?' "no character became a question mark"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
