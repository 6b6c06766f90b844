#!/bin/bash
# sync_cases.sh - the exchange's special cases, each with its outcome:
# replay and duplicates, gaps, a number reused with other content, a
# bundle for another station, clocks at 2000 and 2099, a station changing
# another village's records, and re-enrolment after a lost PC.

. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
enroll_station 411524103206 b
A=$(station_id a)
B=$(station_id b)
bname() { printf '%s-%020d.gqb' "$1" "$2"; }

# ---- replay and duplicates ----
pa=$(gqs a person add --name 张桂兰 --sex F --phone 13800000001)
mkdir -p "$T/f1"
gqs a export --to "$T/f1" >/dev/null
A1=$T/f1/guanqing/to-county/$(bname "$A" 1)
ok '[ -f "$A1" ]' "station a wrote bundle 1"
cp "$A1" "$T/A1.keep"
run gqc import "$A1"
is "$rc" 0 "the county imports bundle 1"
like "$out" 'bundle 1 from 411524103205 .*: [0-9]+ changes, [0-9]+ new' "the report names sender and number"
snapshot_c=$(county_state)
run gqc import "$A1"
is "$rc" 0 "the same bundle again: exit 0"
like "$out" 'bundle 1 was already imported; nothing to do' "the same bundle again: already imported"
is "$(county_state)" "$snapshot_c" "the same bundle again: nothing changes"
cp "$T/A1.keep" "$T/copy-of-a1.gqb"
run gqc import "$T/copy-of-a1.gqb"
is "$rc" 0 "a copy under another name: exit 0"
like "$out" 'already imported' "a copy under another name: already imported"
is "$(county_state)" "$snapshot_c" "a copy under another name: nothing changes"
run gqc import "$T/f1" "$T/f1"
is "$rc" 0 "the stick given twice: exit 0"
is "$(printf '%s\n' "$out" | grep -c 'already imported')" 2 "the stick given twice: both seen as already imported"

# ---- gaps ----
gqs a person edit "$pa" --set phone=13800000002 >/dev/null
mkdir -p "$T/f2" "$T/f3"
gqs a export --to "$T/f2" >/dev/null
gqs a person add --name 王德明 --sex M >/dev/null
gqs a export --to "$T/f3" >/dev/null
A2=$T/f2/guanqing/to-county/$(bname "$A" 2)
A3=$T/f3/guanqing/to-county/$(bname "$A" 3)
ok '[ -f "$A2" ] && [ -f "$A3" ]' "station a wrote bundles 2 and 3"
run gqc import "$A3"
is "$rc" 0 "bundle 3 without bundle 2: imported"
like "$out" 'Missing bundles from this sender: 2 \(' "the report names the missing bundle 2"
is "$(stations_field "$A" gaps)" "2" "stations shows the gap 2"
is "$(stations_field "$A" last_bundle_in)" "3" "stations shows bundle 3 as the last one in"
like "$(gqc person list --format csv --codes)" '13800000002' "bundle 3 carried bundle 2's edit too"
like "$(gqc person list --format csv --codes)" '王德明' "bundle 3's own change is there"
snapshot_c=$(county_state)
run gqc import "$A2"
is "$rc" 0 "bundle 2 found later: imported"
like "$out" 'bundle 2 from .*: [0-9]+ changes, 0 new' "bundle 2 found later: nothing new in it"
unlike "$out" 'Missing bundles' "no gap is reported any more"
is "$(county_state)" "$snapshot_c" "bundle 2 found later: a no-op"
is "$(stations_field "$A" gaps)" "" "stations shows no gap any more"

# ---- a number reused with other content ----
cp "$T/a.db" "$T/a.db.before"
mkdir -p "$T/f4" "$T/f5"
gqs a person edit "$pa" --set address=东街1号 >/dev/null
gqs a export --to "$T/f4" >/dev/null
cp "$T/a.db.before" "$T/a.db"
gqs a person edit "$pa" --set address=西街9号 >/dev/null
gqs a export --to "$T/f5" >/dev/null
A4=$T/f4/guanqing/to-county/$(bname "$A" 4)
A4b=$T/f5/guanqing/to-county/$(bname "$A" 4)
ok '[ -f "$A4" ] && [ -f "$A4b" ] && ! cmp -s "$A4" "$A4b"' "two different bundles numbered 4"
run gqc import "$A4"
is "$rc" 0 "the first bundle 4 is imported"
snapshot_c=$(county_state)
run gqc import "$A4b"
is "$rc" 1 "the other bundle 4 is refused"
like "$out" 'REFUSED: .*reuses number 4 with other content' "the reason: a number reused with other content"
is "$(county_state)" "$snapshot_c" "the other bundle 4 changes nothing"
ok '[ -f "$A4b.refused" ] && [ ! -f "$A4b" ]' "the other bundle 4 is set aside as .refused"
like "$(gqc person list --format csv --codes)" '张桂兰' "the county keeps what the first bundle 4 brought"

# ---- a bundle for another station ----
gqs b person add --name 李秀英 --sex F >/dev/null
gqs b export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
gqc export --to "$STICK" >/dev/null
BACK=$STICK/guanqing/to-$B/$(bname "$(gqc dump --canonical | awk -F'\t' '$1 == "station" && /\trole=county\t/ { print $2; exit }')" 1)
ok '[ -f "$BACK" ]' "the county wrote a return bundle for station b"
before_a=$(gqs a dump --canonical | cksum)
run gqs a import "$BACK"
is "$rc" 0 "station a given station b's bundle: exit 0"
like "$out" "skipped: it is addressed to $B, not to this database" "station a skips it with a note"
is "$(gqs a dump --canonical | cksum)" "$before_a" "station a is unchanged"
ok '[ -f "$BACK" ]' "the bundle is left on the stick for station b"
run gqs a import "$STICK"
is "$rc" 0 "station a imports the stick holding both return bundles"
like "$out" 'bundle 1 from the county' "station a takes its own return bundle from the stick"
run gqs b import "$STICK"
is "$rc" 0 "station b then imports its own"
unlike "$(gqs b person list --format csv --codes)" '张桂兰' "station b did not receive village a's people"
rm -rf "$STICK/guanqing"

# ---- clock skew: a station at 2000-01-01, one at 2099-01-01 ----
# The county's clock is 2026-11-28T08:00:00Z (GUANQING_NOW of make check).
enroll_station 411524103207 old
enroll_station 411524103208 future
OLD=$(station_id old)
FUT=$(station_id future)
gq_old() { GUANQING_NOW=2000-01-01T00:00:00Z gqs old "$@"; }
gq_fut() { GUANQING_NOW=2099-01-01T00:00:00Z gqs future "$@"; }
po=$(gq_old person add --name 刘玉兰 --sex F --phone 13700000001)
pf=$(gq_fut person add --name 陈志刚 --sex M --phone 13600000001)
gq_old export --to "$STICK" >/dev/null
gq_fut export --to "$STICK" >/dev/null
run gqc import "$STICK"
is "$rc" 0 "bundles from stations with wrong clocks are imported"
like "$out" 'clock behind: 2000-01-01' "the report warns of the clock at 2000"
like "$out" 'clock ahead: 2099-01-01' "the report warns of the clock at 2099"
like "$(stations_field "$OLD" clock_warning)" 'clock behind: 2000-01-01' "stations shows the clock warning of the 2000 station"
like "$(stations_field "$FUT" clock_warning)" 'clock ahead: 2099-01-01' "stations shows the clock warning of the 2099 station"
gqc export --to "$STICK" >/dev/null
gq_old import "$STICK" >/dev/null
gq_fut import "$STICK" >/dev/null
rm -rf "$STICK/guanqing"

# Causal order beats clocks: the 2099 station changed the phone, the county
# saw it and changed it after: the county's value stands everywhere, though
# its time (bounded to now + 24 h) is far behind the station's.
gq_fut person edit "$pf" --set phone=13600000002 >/dev/null
gq_fut export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
rm -rf "$STICK/guanqing"
gqc person edit "$pf" --set phone=13600000003 >/dev/null
like "$(gqc dump --canonical | grep "$pf")" 'phone=13600000003' "the county shows its later edit of the 2099 station's person"
# Concurrent edits: the one with the greater time wins. The 2099 station's
# beats the county's; the county's beats the 2000 station's.
gq_fut person edit "$pf" --set address=未来街1号 >/dev/null
gqc person edit "$pf" --set address=县城路2号 >/dev/null
gq_old person edit "$po" --set address=旧街3号 >/dev/null
gqc person edit "$po" --set address=县城路4号 >/dev/null
for r in 1 2; do
	gq_old export --to "$STICK" >/dev/null
	gq_fut export --to "$STICK" >/dev/null
	gqc import "$STICK" >/dev/null
	gqc export --to "$STICK" >/dev/null
	gq_old import "$STICK" >/dev/null
	gq_fut import "$STICK" >/dev/null
	rm -rf "$STICK/guanqing"
done
cdump=$(gqc dump --canonical)
like "$(printf '%s\n' "$cdump" | grep "$pf")" 'phone=13600000003' "the county's causally later phone stands at the county"
like "$(gq_fut dump --canonical | grep "$pf")" 'phone=13600000003' "... and at the 2099 station"
like "$(printf '%s\n' "$cdump" | grep "$pf")" 'address=未来街1号' "concurrent address: the 2099 station's wins"
like "$(printf '%s\n' "$cdump" | grep "$po")" 'address=县城路4号' "concurrent address: the county's wins over the 2000 station's"
is "$(rows_of_village "$C" 411524103207)" "$(station_rows old)" "the 2000 station converged with the county"
is "$(rows_of_village "$C" 411524103208)" "$(station_rows future)" "the 2099 station converged with the county"
conf=$(gqc conflicts --format csv)
is "$(printf '%s\n' "$conf" | grep -c ',address,concurrent_edit,')" 2 "both concurrent addresses are open conflicts"
is "$(printf '%s\n' "$conf" | awk -F, '$4 == "address" && $12 != "" { n++ } END { print n + 0 }')" 2 \
	"each conflict names the person it is about"
# The county's own change time (the loser's against the 2099 station):
# its HLC was not pushed beyond now + 24 h = 2026-11-29T08:00:00Z.
ctime=$(printf '%s\n' "$conf" | grep '未来街1号' | awk -F, '{ print $11 }')
like "$ctime" '^2026-11-2[89]T' "the county's concurrent edit has a 2026 time ($ctime)"
ok '[ "$(printf "%s\n" "$ctime" | cut -c1-23)" \< "2026-11-29T08:00:00.001" ]' \
	"the county's clock stayed within 24 hours of its wall clock"

# ---- a station changing another village's records ----
# No command lets a station do it, so a copy of station b's database is
# made to believe it keeps village 411524103209 (with b's keys and id), adds
# a person there and exports: the county refuses those changes.
cp "$T/b.db" "$T/fake.db"
sqlite3 "$T/fake.db" "UPDATE meta SET value = '411524103209' WHERE key = 'village'" 2>/dev/null ||
	echo "# sqlite3 could not change the copy"
if [ "$(sqlite3 "$T/fake.db" "SELECT value FROM meta WHERE key = 'village'" 2>/dev/null)" = 411524103209 ]; then
	fp=$(gqs fake person add --name 周国强 --sex M)
	mkdir -p "$T/f6"
	gqs fake export --to "$T/f6" >/dev/null
	snapshot_c=$(county_state)
	run gqc import "$T/f6"
	like "$out" 'changes were refused: a station may change only its own village' \
		"the county refuses station b's changes to another village's person"
	like "$out" "Refused: person $fp" "the report names the person refused"
	unlike "$(gqc person list --format csv --codes)" '周国强' "the person did not reach the county"
	is "$(rows_of_village "$C" 411524103209)" "" "the county has no row of village 411524103209"
else
	skip "sqlite3 is not available to make the fake station" 4
fi

# ---- re-enrolment after a lost PC ----
gqs a person add --name 黄春梅 --sex F >/dev/null
gqs a export --to "$STICK" >/dev/null
gqc import "$STICK" >/dev/null
rm -rf "$STICK/guanqing"
gqs a person add --name 吴淑珍 --sex F >/dev/null
gqs a export --to "$STICK" >/dev/null	# the old PC's last bundle
mkdir -p "$T/oldpc" && mv "$STICK/guanqing" "$T/oldpc/"
mv "$T/a.db" "$T/a-lost.db"
enroll_station 411524103205 a
A_NEW=$(station_id a)
isnt "$A_NEW" "$A" "re-enrolment gives a new station id"
is "$(stations_field "$A" status)" "revoked" "the old station is no longer active" ||
	diag "stations: $(gqc stations --format csv)"
snapshot_c=$(county_state)
run gqc import "$T/oldpc"
is "$rc" 1 "the old station's next bundle is refused"
like "$out" 'REFUSED: .*whose enrolment was revoked or replaced' "the reason: the enrolment was replaced"
is "$(county_state)" "$snapshot_c" "the old station's bundle changes nothing"
gqc export --to "$STICK" >/dev/null
run gqs a import "$STICK"
is "$rc" 0 "the new station imports its first return bundle"
is "$(station_rows a)" "$(rows_of_village "$C" 411524103205)" \
	"the new station holds every record of its village"
like "$(gqs a person list --format csv --codes)" '黄春梅' "the village's people came back"
run gqs a check
is "$rc" 0 "check passes at the new station"
run gqc check
is "$rc" 0 "check passes at the county"

finish
