#!/bin/sh
# The Chinese and English interfaces: --lang zh and a zh_CN.UTF-8 locale
# give Chinese labels on Home and the People screen, columns line up by
# display width, the key bar fits 80 columns whole; a person added in the
# Chinese interface is saved; --lang en gives English.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 16
station_db
ZS=$(idnum 41152419450302003)
LS=$(idnum 41152420120304002)
gq person add --name 张三 --id-number "$ZS" >/dev/null

# width TEXT: the display width of TEXT (a Chinese character is 2).
width() { printf '%s' "$1" | LC_ALL=C.UTF-8 wc -L; }
# col LINE PATTERN: the display column where PATTERN starts in LINE.
col() { width "${1%%$2*}"; }

scr_start screen "" --lang zh
s=$(screen)
like "$s" '关情  首页' "--lang zh: the title of Home is Chinese"
last=$(printf '%s\n' "$s" | tail -n 2 | tr '\n' ' ')
like "$last" 'F3：?人员.*F10：?退出' "the key bar of Home is Chinese and whole"
ok '[ "$(printf "%s\n" "$s" | tail -n 2 | LC_ALL=C.UTF-8 wc -L)" -le 80 ]' "the Chinese key bar fits 80 columns"
keys F3
wait_for '查找'
s=$(screen)
like "$s" '姓名 +身份证号 +电话 +状态' "the People screen has Chinese column heads"
like "$s" '1 / 1 人' "the count is Chinese"
head=$(printf '%s\n' "$s" | grep '身份证号')
# Lists show the number masked: 4115**********NNNN.
ZSM=$(echo "$ZS" | sed 's/^\(....\).\{10\}/\1**********/')
row=$(printf '%s\n' "$s" | grep -F "$ZSM")
is "$(col "$row" "${ZSM%%\**}")" "$(col "$head" '身份证号')" "the ID number lines up under its head"

# Add a person in the Chinese interface: labels, the filled birth date,
# the saved message, and the row in the database.
keys F3
wait_for '新建'
like "$(screen)" '姓名 \*' "the person form has Chinese labels"
typ '李四'
keys Tab Tab
typ "$LS"
keys Tab
wait_for '2012-03-04'
keys F2
wait_for '已保存'
like "$(screen)" '已保存' "saving says so in Chinese"
run gq person list --format csv --codes
like "$out" "李四,F,2012-03-04,$LS" "the person added in Chinese is in the database"
keys Escape
wait_for '首页'
keys Escape
wait_for '退出本程序吗'
keys y
wait_for 'EXITED=0'
like "$(screen)" 'EXITED=0' "the Chinese interface quits cleanly"

# A Chinese locale without --lang.
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	SCR_LANG=zh_CN.UTF-8 scr_start screen ""
	like "$(screen)" '关情  首页' "LANG=zh_CN.UTF-8: Home is Chinese"
	keys F3
	wait_for '查找'
	like "$(screen)" '李四' "and the People screen lists the person"
else
	skip "no zh_CN.UTF-8 locale" 2
fi

# English whatever the locale says.
SCR_LANG=C.UTF-8 scr_start screen en --lang en
s=$(screen)
like "$s" 'Guanqing  Home' "--lang en: Home is English"
unlike "$s" '首页|人员' "no Chinese labels in English"
keys F3
wait_for 'Search'
like "$(screen)" 'Name +ID number +Phone +Status' "the People screen has English column heads"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
