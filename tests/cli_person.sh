#!/bin/sh
# cli_person.sh - people: add with validation, list, show, edit, search,
# delete and categories.
. "${0%/*}/lib.sh"

station_db
adult=$(idnum 41152419800101001)	# a man born 1980-01-01
child=$(idnum 41152420150304002)	# a girl born 2015-03-04
other=$(idnum 41152419560715003)	# a man born 1956-07-15
bad=$(idnum_bad 41152419900202004)	# a wrong check character

# ---- add ----
run gq person add --name 张三 --id-number "$adult"
is "$rc" 0 "person add 张三 with a valid ID number succeeds"
like "$out" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' "person add prints the new id"
zs=$out
run gq person show "$zs"
is "$rc" 0 "person show succeeds"
like "$out" '张三' "person show gives the name"
like "$out" 'Sex +male' "the sex is derived from the ID number"
like "$out" 'Birth date +1980-01-01' "the birth date is derived from the ID number"
like "$out" "$adult" "person show gives the ID number"
like "$out" 'Status +active' "a new person is active"
run gq person show "$(printf '%s' "$zs" | cut -c1-8)"
is "$rc" 0 "person show accepts the id's first eight characters"
run gq person show "$(printf '%s' "$zs" | cut -c29-)"
is "$rc" 0 "person show accepts the id's last eight characters"
like "$out" '张三' "the last eight characters name 张三"

run gq person add --name 欧阳·娜娜 --id-number "$child" --category left_behind_child
is "$rc" 0 "person add 欧阳·娜娜 (middle dot) with a category succeeds"
oy=$out
like "$(gq person show "$oy")" 'Sex +female' "欧阳·娜娜 is female by her ID number"

run gq person add --name 王五 --id-number "$other" --sex M --birth 1956-07-15 --phone 0376-7981234
is "$rc" 0 "sex and birth date that agree with the ID number are accepted (and a landline)"
ww=$out
run gq person show "$(printf '%s' "$ww" | cut -c1-8)"
is "$rc" 1 "the first eight characters, the station's, name more than one person"
like "$err" 'matches more than one' "and the message says so"
run gq person show "$(printf '%s' "$ww" | cut -c25-)"
like "$out" '王五' "the id's end names 王五"

# ---- refused inputs write nothing ----
want_err='ID number'
refused "a wrong check character" gq person add --name 李四 --id-number "$bad"
want_err='ID number'
refused "an ID number of 17 characters" gq person add --name 李四 --id-number 41152419900202004
want_err='ID number'
refused "an ID number with an impossible date" gq person add --name 李四 --id-number "$(idnum 41152419900230004)"
want_err='ID number'
refused "an ID number born in the future" gq person add --name 李四 --id-number "$(idnum 41152420270101004)"
want_err='张三'
refused "a duplicate ID number (names the holder)" gq person add --name 李四 --id-number "$adult"
want_err='Sex'
refused "a sex disagreeing with the ID number (a woman recorded as M)" gq person add --name 李四 --id-number "$(idnum 41152419900202004)" --sex M
want_err='Birth'
refused "a birth date disagreeing with the ID number" gq person add --name 李四 --id-number "$(idnum 41152419900202004)" --birth 1990-02-03
want_err='Phone'
refused "a bad phone number" gq person add --name 李四 --phone 12345
want_err='Name'
refused "a name of 31 characters" gq person add --name 张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张
want_err='Name'
refused "a name that is not UTF-8" gq person add --name "$(printf '\377')"
want_err='Name'
refused "an empty name" gq person add --name ''
want_err='.'
refused "an unknown category (the person is not added either)" gq person add --name 李四 --category astronaut
run gq person add --name 张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张
is "$rc" 0 "a name of 30 characters is accepted"
long=$out
run gq person delete "$long"
is "$rc" 0 "the 30-character name is deleted again"
is "$(rows person)" 3 "three people are listed"

# ---- list formats ----
run gq person list
is "$rc" 0 "person list (table) succeeds"
like "$out" '张三' "the table shows 张三"
like "$out" '欧阳·娜娜' "the table shows 欧阳·娜娜"
run gq person list --format csv --codes
like "$out" '^id,name,sex,birth_date,id_number,phone,status$' "the CSV has a header line"
like "$out" "^$zs,张三,M,1980-01-01,$adult,,active\$" "the CSV row of 张三"
run gq person list --format json
is "$rc" 0 "person list --format json succeeds"
if command -v jq >/dev/null 2>&1; then
	ok 'printf "%s\n" "$out" | jq . >/dev/null' "the JSON parses"
	is "$(printf '%s\n' "$out" | jq length)" 3 \
		"the JSON array holds the three people"
else
	skip "jq is not installed" 2
fi
like "$out" '"name": "欧阳·娜娜"' "the JSON keeps the Chinese name"

# ---- edit ----
run gq person edit "$oy" --set phone=13812345678
is "$rc" 0 "person edit --set phone=13812345678 succeeds"
like "$(gq person show "$oy")" 'Phone +13812345678' "person show has the new phone"
want_err='Phone'
refused "person edit with a bad phone" gq person edit "$oy" --set phone=1381234
want_err='.'
refused "person edit of an unknown field" gq person edit "$oy" --set shoe_size=40
want_err='.'
refused "person edit of a person that does not exist" gq person edit 00000000-0000-0000-0000-000000000000 --set phone=13812345678

# ---- search ----
run gq person search 张 --format csv --codes
like "$out" ',张三,' "search by a Chinese character finds 张三"
unlike "$out" '欧阳' "search by 张 leaves out 欧阳·娜娜"
run gq person search 娜娜 --format csv --codes
like "$out" ',欧阳·娜娜,' "search by a Chinese substring finds 欧阳·娜娜"
run gq person search zs --format csv --codes
like "$out" ',张三,' "search by pinyin initials zs finds 张三"
run gq person search zhangsan --format csv --codes
like "$out" ',张三,' "search by full pinyin zhangsan finds 张三"
run gq person search oynn --format csv --codes
like "$out" ',欧阳·娜娜,' "search by pinyin initials oynn finds 欧阳·娜娜"
run gq person search 19800101 --format csv --codes
like "$out" ',张三,' "search by ID digits finds 张三"
run gq person search 13812345678 --format csv --codes
like "$out" ',欧阳·娜娜,' "search by phone finds 欧阳·娜娜"
run gq person search 李 --format csv --codes
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 0 "search for 李 finds nobody"
# A search lists the first --limit rows and says how many more match.
run gq person search 411524 --format csv --codes
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 3 "search by 411524 finds the three with ID numbers"
is "$err" "" "and says nothing more when all are listed"
run gq person search 411524 --limit 1 --format csv --codes
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 1 "--limit 1 lists one"
like "$err" '2 more people match "411524"' "and says two more match"
run gq person search 411524 --limit 0 --format csv --codes
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 3 "--limit 0 lists every match"
run gq person search 411524 --limit many
is "$rc" 2 "--limit many is a usage error"
like "$err" 'limit' "and the message names --limit"

# ---- categories ----
run gq category list --person "$oy" --format csv --codes
like "$out" ",left_behind_child," "--category left_behind_child made a category"
run gq person list --category left_behind_child --format csv --codes
is "$(printf '%s\n' "$out" | sed 1d | cut -d, -f2)" 欧阳·娜娜 "list --category finds only 欧阳·娜娜"
run gq category add --person "$ww" --category elderly_alone --start 2026-01-01
is "$rc" 0 "category add succeeds"
is "$(csv_field person name --category elderly_alone)" 王五 "list --category elderly_alone finds 王五"
want_err='.'
refused "category add with an unknown category" gq category add --person "$ww" --category astronaut

# ---- delete ----
run gq person delete "$ww"
is "$rc" 0 "person delete succeeds"
unlike "$(gq person list --format csv --codes)" "$ww" "a deleted person is gone from the list"
like "$(gq dump --canonical)" "^person	$ww	[^	]*	[^	]*	[^	]*	1	" "the dump keeps the deleted person with deleted=1"
run gq person delete "$ww"
is "$rc" 1 "deleting a deleted person is refused"

finish
