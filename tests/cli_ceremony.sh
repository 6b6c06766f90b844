#!/bin/sh
# cli_ceremony.sh - the county's marriage registration ceremonies on the
# command line: the peak days against the published dates of 七夕, a
# ceremony, its bookings and every refusal with its reason, the day's list.
# The clock is 2026-11-28 (GUANQING_NOW).
#
# Published 七夕 dates (七月初七): Hong Kong Observatory, 公历与农历日期对照表.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
export GUANQING_DB="$C"

# --- peak days ---
for yq in 2017-08-28 2020-08-25 2023-08-22 2024-08-10 2025-08-29 2026-08-19 2027-08-08; do
	y=${yq%%-*}
	run gq ceremony peak-days --year "$y"
	is "$out" "$y-02-14 Valentine's Day
$y-05-20 520 (20 May)
$yq Qixi" "peak days of $y: 七夕 on $yq"
done
run gq --lang zh_CN ceremony peak-days --year 2026
is "$out" "2026-02-14 情人节
2026-05-20 520
2026-08-19 七夕" "the peak days in Chinese"
run gq ceremony peak-days --year 1899
is "$rc" 2 "a year before the lunar calendar's is a usage error"
like "$err" '--year must be a year from 1900 to 2100' "and says which years there are"

# --- a ceremony on 七夕 2027, two places ---
run gq ceremony add --date 2027-08-08 --place 商城县婚姻登记中心 --capacity 2 --time 9:00
is "$rc" 0 "a ceremony is created"
CER=$out
run gq ceremony list --format csv
like "$out" "^$CER,2027-08-08,09:00,Qixi,Qixi collective certificate ceremony,商城县婚姻登记中心,0,2$" \
	"the coming ceremonies show it: the peak day, its default title, 0 of 2 booked"

# Couples: valid Shangcheng ID numbers (411524), men born 1995/1992/1990,
# women 1997/1994/1996.
A1=$(idnum 41152419950312001) # 王建国 (man)
B1=$(idnum 41152419970805002) # 李秀英 (woman)
A2=$(idnum 41152419920101003) # 张伟
B2=$(idnum 41152419940202004) # 刘芳
A3=$(idnum 41152419900101007) # 赵强
B3=$(idnum 41152419960606008) # 孙丽
YOUNG=$(idnum 41152420080101001) # a man of 19 on the day

run gq ceremony book 2027-08-08 --name-a 王建国 --id-a "$A1" --name-b 李秀英 --id-b "$B1" --time 09:30
is "$rc" 0 "the first couple is booked (the ceremony named by its date)"
BK1=$out

want_err="王建国 \(ID number $A1\) is already booked for the ceremony of 2027-08-08 at 09:30, 商城县婚姻登记中心, as the couple 王建国 and 李秀英"
refused "an ID number already booked (as the first person)" \
	gq ceremony book "$CER" --name-a 王建国 --id-a "$A1" --name-b 刘芳 --id-b "$B2" --time 10:00
want_err="李秀英 \(ID number $B1\) is already booked for the ceremony of 2027-08-08"
refused "an ID number already booked (as the second person, given first)" \
	gq ceremony book "$CER" --name-a 李秀英 --id-a "$B1" --name-b 张伟 --id-b "$A2" --time 10:00
want_err="check character"
refused "an ID number with a wrong check character" \
	gq ceremony book "$CER" --name-a 张伟 --id-a "$(idnum_bad 41152419920101003)" --name-b 刘芳 --id-b "$B2" --time 10:00
want_err="Both people have the ID number $A2"
refused "one ID number for both" \
	gq ceremony book "$CER" --name-a 张伟 --id-a "$A2" --name-b 刘芳 --id-b "$A2" --time 10:00
want_err="is 19 on 2027-08-08: the legal age to marry is 22 for a man"
refused "a man under the legal age" \
	gq ceremony book "$CER" --name-a 周小军 --id-a "$YOUNG" --name-b 刘芳 --id-b "$B2" --time 10:00
want_err='Appointment \(HH:MM\).*25:00 is not a time of day'
refused "an appointment at 25:00" \
	gq ceremony book "$CER" --name-a 张伟 --id-a "$A2" --name-b 刘芳 --id-b "$B2" --time 25:00
want_err='First person.s name'
refused "a couple without the first name" \
	gq ceremony book "$CER" --id-a "$A2" --name-b 刘芳 --id-b "$B2" --time 10:00

run gq ceremony book "$CER" --name-a 张伟 --id-a "$A2" --name-b 刘芳 --id-b "$B2" --time 8:45
is "$rc" 0 "the second couple is booked"
want_err="The ceremony of 2027-08-08 at 商城县婚姻登记中心 is full: all 2 places are booked"
refused "a full ceremony" \
	gq ceremony book "$CER" --name-a 赵强 --id-a "$A3" --name-b 孙丽 --id-b "$B3" --time 11:00

# The day's list: by appointment time.
run gq ceremony list --date 2027-08-08 --format csv
is "$(echo "$out" | sed 1d | cut -d, -f1-6)" "08:45,商城县婚姻登记中心,张伟,$A2,刘芳,$B2
09:30,商城县婚姻登记中心,王建国,$A1,李秀英,$B1" "the day's list: both couples, the earlier appointment first"
run gq ceremony list --date 2027-08-08
like "$out" "^Couples booked for 2027-08-08 Qixi: 2" "the printed list names the day and counts the couples"
run gq ceremony show "${CER%%-*}"
like "$out" "Booked: 2 of 2 couples" "show (by an id prefix) says the ceremony is full"

# The capacity cannot go below the couples booked; a ceremony with couples
# cannot be deleted.
want_err="2 couples are already booked for the ceremony of 2027-08-08; the capacity cannot be 1"
refused "lowering the capacity under the bookings" gq ceremony edit "$CER" --capacity 1
want_err="has 2 booked couples: cancel their bookings first"
refused "deleting a ceremony with couples" gq ceremony delete "$CER"

# A cancelled booking frees both the place and the ID numbers.
run gq booking delete "$BK1"
is "$rc" 0 "a booking is cancelled"
run gq ceremony book "$CER" --name-a 王建国 --id-a "$A1" --name-b 孙丽 --id-b "$B3" --time 10:30
is "$rc" 0 "after the cancellation the place and the ID number can be booked again"

# A ceremony that has taken place takes no booking; its couples do not
# block a coming ceremony.
run gq ceremony add --date 2026-05-20 --place 商城县婚姻登记中心 --capacity 30
PAST=$out
want_err="The ceremony of 2026-05-20 at 商城县婚姻登记中心 has already taken place"
refused "booking a past ceremony" \
	gq ceremony book "$PAST" --name-a 赵强 --id-a "$A3" --name-b 李秀英 --id-b "$B1" --time 09:00
run gq ceremony list --format csv
unlike "$out" "2026-05-20" "the coming ceremonies leave out the past one"

# Two ceremonies on one day: the date no longer names one.
run gq ceremony add --date 2027-08-08 --place 双椿铺镇便民服务中心 --capacity 10
want_err="There are 2 ceremonies on 2027-08-08: give the ceremony's id"
refused "a date with two ceremonies" \
	gq ceremony book 2027-08-08 --name-a 赵强 --id-a "$A3" --name-b 李秀英 --id-b "$B1" --time 09:00

run gq check
is "$rc" 0 "the county database passes its check"

# A station keeps no ceremony.
S=$T/station.db
GUANQING_DB=$S station_db
want_err='decided by the county and cannot be set at a station|kept at the county'
GUANQING_DB=$S refused "a ceremony at a station" \
	gq --db "$S" ceremony add --date 2027-08-08 --place 宋岗村村委会 --capacity 5

finish
