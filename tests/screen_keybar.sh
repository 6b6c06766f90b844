#!/bin/sh
# Key bars: each key apart from its word (P：修改 PIN 码), F1 帮助 in every
# bar, no key dropped at 60 columns (the bar wraps and keeps F10), a letter
# key taken in either case, F5 用餐 only where it does something, and Home
# at 80x24 showing every category or saying that more follows.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 17
gq --db "$T/demo.db" demo >/dev/null
GUANQING_DB=$T/demo.db
export GUANQING_DB

# bar: the key bar (the last two lines), joined.
bar() { screen | tail -n 2 | tr '\n' ' '; }

scr_start screen "" --lang zh
like "$(bar)" 'F1：帮助 Enter：登录 F10：退出' "the sign-in screen has its key bar"
keys Enter
wait_for 'PIN'
typ 246810
keys Enter
wait_for '已登录'
b=$(bar)
like "$b" 'P：修改 PIN 码' "Home's bar shows the key apart from its word"
unlike "$b" 'pPIN' "and not run together"
like "$b" 'F1：?帮助' "F1 帮助 is in the bar"
like "$b" 'F10：?退出' "and F10 退出"
ok '[ "$(screen | tail -n 2 | LC_ALL=C.UTF-8 wc -L)" -le 80 ]' "the bar fits 80 columns"

# Home at 80x24: every category of the summary, or a sign that more follows.
s=$(screen)
shown=0
for c in 留守儿童 困境儿童 孤儿 独居老人 空巢老人 高龄老人 残疾人 低保 特困供养; do
	printf '%s\n' "$s" | grep -Eq "$c(（80 岁以上）)? [0-9]" && shown=$((shown + 1))
	printf "%s\n" "$s" | grep -Eq "$c(（80 岁以上）)? [0-9]" || diag "not shown: $c"
done
ok '[ "$shown" -eq 9 ]' "Home at 80x24 shows the categories 残疾人, 低保 and 特困供养 too ($shown of 9)"
if printf '%s\n' "$s" | grep -q '本处记录的变更'; then
	pass "Home shows the summary to its end"
else
	like "$s" '概况还有 [0-9]+ 行' "Home says how many lines of the summary do not fit"
fi

# 60 columns: the bar wraps to a second line; no key is lost.
$TM resize-window -x 60 -y 20
sleep 0.5
b=$(bar)
missing=
for k in 'F1：?帮助' 'F3：?人员' 'F4：?申请' 'F5：?设施' 'F6：?活动' 'F7：?转介' 'F8：?同步' 'P：修改 PIN 码' 'O：退出登录' 'F10：?退出'; do
	printf '%s\n' "$b" | grep -Eq "$k" || missing="$missing $k"
done
is "$missing" "" "at 60 columns Home's bar keeps every key, F10 too"
ok '[ "$(screen | tail -n 2 | LC_ALL=C.UTF-8 wc -L)" -le 60 ]' "and fits 60 columns"
is "$(screen | tail -n 2 | grep -c 'F[0-9]')" 2 "the bar takes two lines at 60 columns"

# The card at 60 columns: its keys whole, Shift+H for history (h is the household).
keys F3
wait_for '查找'
keys Enter
wait_for '走访记录'
b=$(bar)
like "$b" 'V：走访记录' "the card's bar keeps V 走访记录 at 60 columns"
like "$b" 'Shift\+H：历史' "history is Shift+H on the card, where h is the household"
like "$b" 'F10：?返回' "and keeps F10"
# A letter key in capitals does what the bar says (V).
keys V
wait_for '打开哪一次走访|没有走访记录'
like "$(screen)" '打开哪一次走访|没有走访记录' "V in capitals opens the visits, as v does"
keys Escape
$TM resize-window -x 80 -y 24
sleep 0.3
keys Escape
wait_for '首页'

# F5 用餐 only on the facility list.
keys F4
wait_for '申请'
unlike "$(bar)" '用餐' "the application list offers no F5 用餐"
keys Escape
wait_for '首页'
keys F5
wait_for '设施'
like "$(bar)" 'F5：?用餐份数' "the facility list offers F5 用餐"
finish
