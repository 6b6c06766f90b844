#!/bin/sh
# The county's screens: County Home counts the bundles waiting on the
# stick; Import shows the report per station by village, the bundles
# imported before as one line; a conflict is settled by typing the value
# and an application approved on their screens; F7 writes the return
# bundles by village, and the stations show both decisions with no
# conflict there.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
enroll_station 411524103206 b
A=$(station_id a)
B=$(station_id b)
gqs a person add --name 李桂兰 --sex F >/dev/null
pa=$(gqs a person list --format csv | awk -F, '$2 == "李桂兰" { print $1 }')
gqs b person add --name 周秀英 --sex F >/dev/null
pb=$(gqs b person list --format csv | awk -F, '$2 == "周秀英" { print $1 }')
app=$(gqs b application add --person "$pb" --kind dibao --amount 480)
gqs a export --to "$STICK" >/dev/null
gqs b export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
# The same address changed at the county and at 宋岗村: a conflict.
gqc person edit "$pa" --set address=县城路1号 >/dev/null
gqs a person edit "$pa" --set address=村东头3号 >/dev/null
gqs a export --to "$STICK" >/dev/null

GUANQING_DB=$C
GUANQING_MEDIA=$STICK
export GUANQING_DB GUANQING_MEDIA
scr_start screen en
keys Enter
wait_for 'PIN of'
typ "$(cat "$ADMIN_PIN")"
keys Enter
wait_for 'county office'
s=$(screen)
like "$s" 'Bundles waiting on the stick: 1' "County Home counts the bundle waiting on the stick"
like "$s" 'Applications waiting for a decision: 1' "and the application waiting"
like "$s" '双椿铺镇 1' "by town"
unlike "$s" 'not acknowledged|county.s bundle' "and not the station's Home"

keys F6
wait_for 'Import finished'
# Long lines wrap: read the report as one line.
s=$(screen | tr -s ' \n' '  ')
like "$s" '双椿铺镇-宋岗村: bundle 2: [0-9]+ records, [0-9]+ new or changed, [0-9]+ already here, 1 conflicts' \
	"Import reports 宋岗村's bundle by village, with its conflict"
like "$s" '2 bundles were imported before: nothing to do' "the bundles imported before are one line"
unlike "$s" "$A" "the report shows no station id"
keys F10
wait_for 'Open conflicts: 1'
like "$(screen)" 'Open conflicts: 1' "Home shows the open conflict"

keys c
wait_for 'About:'
s=$(screen)
like "$s" 'About: 李桂兰 \(双椿铺镇-宋岗村\)' "the conflict says whom and which village"
like "$s" 'Field: Address' "and the field's label"
like "$s" 'from 双椿铺镇-宋岗村, by' "a value from 宋岗村 with its user"
like "$s" 'from county civil affairs bureau, by' "a value from the county"
keys t
wait_for 'Value:'
typ '村委会旁1号'
keys Enter
wait_for 'No conflict is open'
like "$(screen)" 'Settled' "the typed value settles the conflict"
like "$(gqc person show "$pa")" '村委会旁1号' "the county holds the typed address"
keys F10
wait_for 'Open conflicts: 0'

keys F8
wait_for '王店村'
s=$(screen)
like "$s" '双椿铺镇 +宋岗村 +active +2 ' "Stations shows 宋岗村 under its town with its last bundle"
like "$s" '双椿铺镇 +王店村 +active +1 ' "and 王店村"
keys F10
wait_for 'county office'

keys F4
wait_for '周秀英'
s=$(screen)
like "$s" '周秀英 +王店村' "Applications shows the applicant and the village"
keys a
wait_for 'Amount granted'
typ 450
keys Enter
wait_for 'Approved'
like "$(gqc application list --format csv | awk -F, -v id="$app" '$1 == id')" 'approved' \
	"the application is approved at the county"
keys F10
wait_for 'county office'

# A canteen added at the county asks for its village, found by pinyin.
keys F5
wait_for 'F3:?Add'
keys F3
wait_for 'Of which village'
typ songgang
wait_for '1 of'
like "$(screen)" '双椿铺镇 宋岗村' "the village chooser finds 宋岗村 by its pinyin, under its town"
keys Enter
wait_for 'New: facility'
s=$(screen)
like "$s" 'Village: 双椿铺镇-宋岗村' "the form says the village chosen"
like "$s" 'Name of the facility' "the facility's name field is not a person's name"
keys Enter
wait_for 'elderly canteen'
keys Down Enter
keys Tab
typ '宋岗老年食堂'
keys F2
wait_for 'Saved'
like "$(gqc dump --canonical | grep '宋岗老年食堂')" '411524103205' "the canteen belongs to 宋岗村"
keys F10
wait_for 'county office'
keys F7
wait_for 'one folder per village'
ok '[ -d "$STICK/双椿铺镇-宋岗村/guanqing/to-$A" ] && [ -d "$STICK/双椿铺镇-王店村/guanqing/to-$B" ]' \
	"F7 writes the return bundles into a folder per village"
$TM kill-server >/dev/null 2>&1

gqs a import "$STICK" >/dev/null 2>&1
gqs b import "$STICK" >/dev/null 2>&1
like "$(gqs a person show "$pa")" '村委会旁1号' "宋岗村 shows the address decided on the screen"
is "$(open_conflicts "$T/a.db")" 0 "with no conflict at 宋岗村"
like "$(gqs b application list --format csv | awk -F, -v id="$app" '$1 == id')" 'approved' \
	"王店村 shows the application approved on the screen"
is "$(open_conflicts "$T/b.db")" 0 "with no conflict at 王店村"
like "$(gqs a facility list --format csv)" '宋岗老年食堂' "宋岗村 receives the canteen added at the county"
run gqc check
is "$rc" 0 "guanqing check passes at the county"
done_testing
