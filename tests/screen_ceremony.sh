#!/bin/sh
# screen_ceremony.sh - booking a couple for the 七夕 ceremony on the county's
# screens: Home's key c, the coming peak days with 七夕's lunar date, the
# booking form, a refusal with its reason (the ceremony is full), and the
# day's list. The clock is 2026-11-28; 七夕 2027 is 2027-08-08.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 11
county_init
GUANQING_DB=$C
export GUANQING_DB
gq ceremony add --date 2027-08-08 --place 商城县婚姻登记中心 --capacity 1 --time 09:00 >/dev/null
A1=$(idnum 41152419950312001)	# 王建国
B1=$(idnum 41152419970805002)	# 李秀英
A2=$(idnum 41152419920101003)	# 张伟
B2=$(idnum 41152419940202004)	# 刘芳

scr_start screen en
keys Enter
wait_for 'PIN of'
typ 480215
keys Enter
wait_for 'Signed in'
keys m
wait_for 'Coming peak days'
s=$(screen)
like "$s" '2027-08-08 Qixi \(2027年七月初七\)' "the coming peak days show 七夕 with its lunar date"
like "$s" '2027-08-08 +09:00 +Qixi +商城县婚姻登记中心 +0/1' "the 七夕 ceremony is listed with its places"

# Book a couple.
keys b
wait_for 'New: ceremony booking'
typ 09:30
keys Tab
typ 王建国
keys Tab
typ "$A1"
keys Tab
typ 李秀英
keys Tab
typ "$B1"
keys F2
wait_for 'Saved'
like "$(screen)" '2027-08-08 +09:00 +Qixi +商城县婚姻登记中心 +1/1' "the couple is booked: 1 of 1"

# A second couple: refused, the ceremony is full, and the form stays.
keys b
wait_for 'New: ceremony booking'
typ 10:00
keys Tab
typ 张伟
keys Tab
typ "$A2"
keys Tab
typ 刘芳
keys Tab
typ "$B2"
keys F2
wait_for 'is full'
s=$(screen)
like "$s" 'The ceremony of 2027-08-08 at 商城县婚姻登记中心 is full' "the refusal says the ceremony is full"
like "$s" 'New: ceremony booking' "the form stays open with what was typed"
keys Escape
wait_for 'Throw away|discard|Discard' || true
keys y
wait_for 'Coming ceremonies'

# The day's list.
keys Enter
wait_for 'ceremony booking \(1\)'
s=$(screen)
like "$s" '09:30 +王建国 +41152419950312001X' "the day's list has the couple booked"
unlike "$s" '张伟' "and not the refused one"
# Back on County Home, d opens the duplicates across villages.
keys Escape
sleep 0.2
keys Escape
wait_for 'County Home'
keys d
wait_for 'Duplicates across villages'
like "$(screen)" 'Duplicates across villages' "d on County Home opens the duplicates"
$TM kill-server >/dev/null 2>&1

run gq ceremony list --date 2027-08-08 --format csv
is "$(echo "$out" | sed 1d | cut -d, -f1,3-6)" "09:30,王建国,$A1,李秀英,$B1" \
	"the command line's day's list has the couple booked on the screen"
run gq check
is "$rc" 0 "check passes at the county"
# A station has no ceremony screen: m is not a key there.
GUANQING_DB=$T/station.db
station_db
scr_start screen en
wait_for 'Signed in|Warning' >/dev/null
keys m
sleep 0.3
unlike "$(screen)" 'Coming peak days' "a station's Home does not open the ceremonies"
finish
