#!/bin/bash
# county_cli.sh - the county office with two stations (宋岗村, 王店村 of
# 双椿铺镇): the import names villages, `stations` and `conflicts` speak by
# town and village, a conflict is kept by a village's code, an
# application is decided, and the return bundles are written into folders
# named by town and village, where each station finds its own; the
# decisions show at the stations with no conflict there.

. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
enroll_station 411524103206 b
A=$(station_id a)
B=$(station_id b)

# ---- a person at 宋岗村, an application at 王店村 ----
gqs a person add --name 李桂兰 --sex F >/dev/null
pa=$(gqs a person list --format csv | awk -F, '$2 == "李桂兰" { print $1 }')
gqs b person add --name 周秀英 --sex F >/dev/null
pb=$(gqs b person list --format csv | awk -F, '$2 == "周秀英" { print $1 }')
app=$(gqs b application add --person "$pb" --kind dibao --amount 480)
gqs a export --to "$STICK" >/dev/null
gqs b export --to "$STICK" >/dev/null
run gqc import "$STICK"
is "$rc" 0 "the county imports both stations' bundles"
like "$out" "bundle 1 from 411524103205 双椿铺镇-宋岗村: " "the import report names 宋岗村 by town and village"
like "$out" "bundle 1 from 411524103206 双椿铺镇-王店村: " "the import report names 王店村 by town and village"

# ---- stations by town and village ----
run gqc stations
like "$out" "双椿铺镇 +宋岗村 " "stations shows 宋岗村 under 双椿铺镇"
like "$out" "双椿铺镇 +王店村 " "stations shows 王店村 under 双椿铺镇"
is "$(stations_field "$A" town)" "双椿铺镇" "stations --format csv has the town"
is "$(stations_field "$A" last_bundle_in)" "1" "the last bundle in from 宋岗村 is 1"
is "$(stations_field "$A" days_since)" "0" "宋岗村 was heard from today"
is "$(stations_field "$A" silent)" "0" "宋岗村 is not silent"

# ---- a conflict: the county and 宋岗村 change the same address ----
gqc person edit "$pa" --set address=县城路1号 >/dev/null
gqs a person edit "$pa" --set address=村东头3号 >/dev/null
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
is "$(open_conflicts "$C")" 1 "the county holds one open conflict"
run gqc conflicts
like "$out" "李桂兰 +双椿铺镇-宋岗村 " "conflicts names the person and the village"
like "$out" "县民政局|county civil affairs bureau" "conflicts names the county's side"
like "$out" "双椿铺镇-宋岗村 +$ADMIN_NAME" "conflicts names the station's side and its user"
like "$out" "Address" "conflicts shows the field's label"
run env LANGUAGE=zh_CN "$GUANQING" --db "$C" --lang zh conflicts --format csv
like "$(printf '%s\n' "$out" | head -1)" "^.?编号,记录,行,字段" "the CSV heads are Chinese in zh"
like "$out" "县民政局" "in Chinese the county's side is 县民政局"
cid=$(gqc conflicts --format csv | sed -n 2p | cut -d, -f1)
refused "--keep naming no side" gqc conflicts resolve "$cid" --keep 411524103206
like "$err" "no value from 411524103206" "the refusal says which name matched no side"
run gqc conflicts resolve "$cid" --keep 411524103205
is "$rc" 0 "--keep takes the village's code"
is "$(open_conflicts "$C")" 0 "no conflict is open at the county any more"
like "$(gqc person show "$pa")" "村东头3号" "the county keeps 宋岗村's address"

# ---- an application decided ----
gqc application decide "$app" --status approved --amount-granted 450 --reason 符合条件 >/dev/null
is "$?" 0 "the county approves the application"

# ---- return bundles by village ----
mkdir -p "$T/ret"
run gqc export --to "$T/ret" --by-village
is "$rc" 0 "the return bundles are written by village"
ok '[ -d "$T/ret/双椿铺镇-宋岗村/guanqing/to-$A" ]' "宋岗村's bundle is under 双椿铺镇-宋岗村/"
ok '[ -d "$T/ret/双椿铺镇-王店村/guanqing/to-$B" ]' "王店村's bundle is under 双椿铺镇-王店村/"
run gqs a import "$T/ret"
is "$rc" 0 "宋岗村 imports from the folder of all villages"
like "$out" "bundle 1 from the county" "宋岗村 finds its bundle under its village's folder"
like "$(gqs a person show "$pa")" "村东头3号" "宋岗村 shows the address decided"
is "$(open_conflicts "$T/a.db")" 0 "the county's decision is no conflict at 宋岗村"
cp -r "$T/ret/双椿铺镇-王店村" "$T/stick-b"
run gqs b import "$T/stick-b"
is "$rc" 0 "王店村 imports its village's folder copied to its stick"
like "$(gqs b application list --format csv | awk -F, -v id="$app" '$1 == id')" "approved" \
	"王店村 shows the application approved"
like "$(gqs b application show "$app")" "450" "王店村 shows the amount granted"
is "$(open_conflicts "$T/b.db")" 0 "the decision is no conflict at 王店村"

# ---- only chosen villages ----
rm -rf "$T/ret2"; mkdir -p "$T/ret2"
gqc person edit "$pa" --set phone=13600000001 >/dev/null
run gqc export --to "$T/ret2" --village 411524103205
is "$rc" 0 "a return bundle for one chosen village"
ok '[ -d "$T/ret2/双椿铺镇-宋岗村" ] && [ ! -d "$T/ret2/双椿铺镇-王店村" ]' "only the chosen village's folder is written"

# ---- the facility's name is 名称, not a person's 姓名 ----
run env LANGUAGE=zh_CN "$GUANQING" --db "$C" --lang zh facility fields
like "$out" "--name +名称" "a facility's name reads 名称 in Chinese"

# ---- a station not heard from for 30 days is silent ----
GUANQING_NOW=2027-01-10T08:00:00Z
export GUANQING_NOW
is "$(stations_field "$A" silent)" "1" "43 days later 宋岗村 is silent"
is "$(stations_field "$A" days_since)" "43" "and the days since its last bundle are counted"
run gqc stations
like "$out" "双椿铺镇 +宋岗村 +silent" "stations says so in its table"
done_testing
