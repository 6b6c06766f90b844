#!/bin/bash
# sync_duplicates.sh - the duplicates across villages at the county, from
# the bundles of two enrolled stations (宋岗村 of 双椿铺镇 and 上石桥社区 of
# 上石桥镇) with each kind planted, and the ceremonies that never travel to
# a station. The clock is 2026-11-28; meals of the last 90 days count.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
enroll_station 411524101001 b

X=$(idnum 41152419580302002)	# 陈玉兰: 低保 in both villages
Y=$(idnum 41152419400711001)	# 刘德明: deceased at a, meals at b
Z=$(idnum 41152419361120002)	# 周桂芝: a death report with a fee waiver in each
W=$(idnum 41152419450505002)	# 王秀珍: meals in both villages
V=$(idnum 41152419700101001)	# 黄志强: in both, a benefit in one only
U=$(idnum 41152419600202001)	# 吴德华: 低保 at a only, not elsewhere

fa=$(gqs a facility add --kind meal_site --name 宋岗村助餐点)
fb=$(gqs b facility add --kind canteen --name 上石桥社区老年食堂 --delivers-meals yes)

xa=$(gqs a person add --name 陈玉兰 --id-number "$X")
xb=$(gqs b person add --name 陈玉兰 --id-number "$X")
gqs a application add --person "$xa" --kind dibao --amount 300 --date 2026-09-01 >/dev/null
gqs b application add --person "$xb" --kind dibao --amount 300 --date 2026-10-01 >/dev/null

ya=$(gqs a person add --name 刘德明 --id-number "$Y")
yb=$(gqs b person add --name 刘德明 --id-number "$Y")
gqs a death add --person "$ya" --date 2026-08-10 --burial cremation >/dev/null
gqs b meal add --facility "$fb" --person "$yb" --date 2026-11-20 --meals 2 >/dev/null

za=$(gqs a person add --name 周桂芝 --id-number "$Z")
zb=$(gqs b person add --name 周桂芝 --id-number "$Z")
gqs a death add --person "$za" --date 2026-10-02 --burial tree --fee-waiver yes >/dev/null
gqs b death add --person "$zb" --date 2026-10-03 --burial lawn --fee-waiver yes >/dev/null

wa=$(gqs a person add --name 王秀珍 --id-number "$W")
wb=$(gqs b person add --name 王秀珍 --id-number "$W")
gqs a meal add --facility "$fa" --person "$wa" --date 2026-11-25 --meals 1 >/dev/null
gqs b meal add --facility "$fb" --person "$wb" --date 2026-11-26 --meals 2 >/dev/null

va=$(gqs a person add --name 黄志强 --id-number "$V")
vb=$(gqs b person add --name 黄志强 --id-number "$V")
gqs a meal add --facility "$fa" --person "$va" --date 2026-11-25 --meals 1 >/dev/null
# A meal at b more than 90 days ago is no longer receiving meals.
gqs b meal add --facility "$fb" --person "$vb" --date 2026-08-01 --meals 1 >/dev/null

ua=$(gqs a person add --name 吴德华 --id-number "$U")
gqs a application add --person "$ua" --kind dibao --amount 280 --date 2026-09-05 >/dev/null

for s in a b; do
	mkdir -p "$T/stick-$s"
	gqs $s export --to "$T/stick-$s" >/dev/null 2>&1
	run gqc import "$T/stick-$s"
	is "$rc" 0 "the county imports station $s's bundle"
done

# The county approves the three 低保 applications.
for id in $(gqc application list --format csv 2>/dev/null | sed 1d | cut -d, -f1); do
	gqc application edit "$id" --status approved --amount-granted 300 --decision-date 2026-11-27 >/dev/null 2>&1
done
is "$(gqc application list --format csv | grep -c approved)" 3 "three applications approved at the county"

run gqc duplicates --format csv
is "$rc" 0 "duplicates runs at the county"
got=$(printf '%s\n' "$out" | sed 1d | awk -F, '{ print $1 "|" $2 "|" $3 "|" $4 "|" $5 }')
SG=双椿铺镇宋岗村民委员会
SS=上石桥镇上石桥社区居民委员会
# Sorted by kind, then ID number; each ID number has one record per
# village, a's (411524103205) after b's (411524101001) by village code.
exp_ids=$(for i in "$Z 周桂芝" "$Y 刘德明" "$W 王秀珍" "$X 陈玉兰" "$V 黄志强"; do echo "$i"; done | sort)
want=$(echo "$exp_ids" | while read -r n name; do
	echo "ID number in two villages|$n||$name、$name|$SS、$SG"
done
printf '%s\n' "same benefit in two places|$Z|funeral-fee waiver|周桂芝、周桂芝|$SS、$SG" \
	"same benefit in two places|$W|meal subsidy|王秀珍、王秀珍|$SS、$SG" \
	"same benefit in two places|$X|minimum living allowance|陈玉兰、陈玉兰|$SS、$SG" | sort -t'|' -k2,2
echo "deceased but receiving|$Y|meal subsidy|刘德明、刘德明|$SG、$SS")
is "$got" "$want" "every planted kind is found, and nothing else (吴德华 in one village, 黄志强's old meal)"
like "$out" "Recorded deceased in $SG \\(2026-08-10\\) and receiving meal subsidy in $SS" \
	"the deceased finding says where and since when"
run gqc duplicates
like "$out" "finding +ID number +benefit" "the table has its heads"
run gqc --lang zh_CN duplicates --format csv
like "$out" "已故仍享受待遇,$Y,助餐补贴|已故仍享受待遇,$Y," "the findings in Chinese"
run gqc duplicates --format json
like "$out" "\"ID number\": *\"$X\"|$X" "JSON output"

# A station has one village: nothing to find there.
run gqs a duplicates --format csv
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 0 "a station finds no duplicates across villages"

# Ceremonies stay at the county: a return bundle carries none of them.
gqc ceremony add --date 2027-08-08 --place 商城县婚姻登记中心 --capacity 20 >/dev/null
gqc ceremony book 2027-08-08 --name-a 王建国 --id-a "$(idnum 41152419950312001)" \
	--name-b 李秀英 --id-b "$(idnum 41152419970805002)" --time 09:30 >/dev/null
mkdir -p "$T/back"
run gqc export --to "$T/back"
is "$rc" 0 "the county writes the return bundles"
run gqs a import "$T/back"
is "$rc" 0 "station a reads its return bundle"
is "$(gqs a dump --canonical | grep -c '^ceremony')" 0 "no ceremony or booking reached the station"
is "$(gqs a application list --format csv | grep -c approved)" 2 "while the county's decisions did"
run gqc check
is "$rc" 0 "the county database passes its check"
finish
