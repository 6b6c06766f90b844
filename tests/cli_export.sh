#!/bin/sh
# cli_export.sh - the record lists for Excel and WPS: CSV read by Python's
# csv (byte-order mark, heads and values in the user's language, persons
# by name, village, household, grid, categories and address, ID and phone
# numbers kept as text), --codes as the stored spelling a script reads,
# xlsx read by openpyxl (one sheet, bold frozen head, IDs as text, dates
# as dates, widths for Chinese), and a grid worker's export with masked
# ID numbers (--mask-id).
. "${top_srcdir:-.}/tests/lib.sh"

PY=python3
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then
		PY=$p
		break
	fi
done
pin() { printf '%s\n' "$2" > "$T/$1.pin"; chmod 600 "$T/$1.pin"; echo "$T/$1.pin"; }

gq station init --village 411524103229 >/dev/null
g=$(gq grid add --name 王湾组网格)
h=$(gq household add --address 塔湾村王湾组1号 --grid "$g" --phone 03765123456)
oy=$(gq person add --name 欧阳·娜娜 --sex F --id-number 411524201503070024 --birth 2015-03-07 \
	--phone 13812345678 --household "$h" --category left_behind_child)
gq category add --person "$oy" --category orphan --start 2026-01-01 >/dev/null
lao=$(gq person add --name 张桂兰 --sex F --birth 1940-05-01 --household "$h" --grid "$g" \
	--address 塔湾村王湾组2号 --category elderly_alone)
gq visit add --person "$oy" --form child_visit --date 2026-11-20 --set visit_kind=home \
	--set guardian_present=yes --set guardian_relation=grandparent --set guardian_health=healthy \
	--set guardian_care=good --set parents_contact=weekly --set school_status=in_school \
	--set grade=primary_5 --set health=healthy --set psych_state=good --set child_seen=yes >/dev/null

# ---- CSV as Excel reads it ----
run gq person list --format csv
is "$rc" 0 "person list --format csv succeeds"
printf '%s\n' "$out" > "$T/people.csv"
run python3 - "$T/people.csv" "$oy" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
head = list(rows[0].keys())
assert head[0] == "Record id", head
assert head[1:7] == ["Name", "Sex", "Birth date", "ID number", "Phone", "Status"], head
assert head[7:] == ["Village", "Household", "Grid", "Categories", "Address"], head
r = [x for x in rows if x["Record id"] == sys.argv[2]][0]
assert r["ID number"] == '="411524201503070024"', r["ID number"]
assert r["Phone"] == '="13812345678"', r["Phone"]
assert r["Sex"] == "female" and r["Status"] == "active", r
assert r["Village"] == "塔湾村民委员会" and r["Household"] == "塔湾村王湾组1号", r
assert r["Grid"] == "王湾组网格", r        # the household's grid
assert r["Categories"] == "left-behind child, orphan", r["Categories"]
assert r["Address"] == "塔湾村王湾组1号", r  # the household's address
z = [x for x in rows if x["Name"] == "张桂兰"][0]
assert z["Address"] == "塔湾村王湾组2号" and z["ID number"] == "", z
print("ok")
PY
is "$out" ok "BOM, heads in the user's language, the record id first, IDs and phones as text, places added"

run gq visit list --format csv
like "$out" "^$(gq visit list --format csv --codes | sed -n 2p | cut -d, -f1),2026-11-20,欧阳·娜娜," \
	"a visit names its person, not the person's id"
like "$out" '塔湾村民委员会,塔湾村王湾组1号,王湾组网格,' "and carries the person's village, household and grid"

LANG=zh_CN.UTF-8 run gq --lang zh_CN person list --format csv
like "$out" '记录编号,姓名,性别,出生日期,身份证号' "heads in Chinese under zh_CN"
like "$out" ',女,2015-03-07,' "values in Chinese: 性别 女"
like "$out" '留守儿童、孤儿' "categories joined by 、"

# ---- --codes: the spelling scripts read, as before ----
run gq person list --format csv --codes
is "$(printf '%s\n' "$out" | sed -n 1p)" 'id,name,sex,birth_date,id_number,phone,status' \
	"--codes keeps the heads of the list as they were, without a byte-order mark"
like "$out" "^$oy,欧阳·娜娜,F,2015-03-07,411524201503070024,13812345678,active\$" \
	"and its values as stored"
run gq person list --format json
like "$out" '"id_number": "411524201503070024"' "JSON keeps the stored spelling"

# ---- xlsx ----
run gq person list --format xlsx --out "$T/people.xlsx"
is "$rc" 0 "person list --format xlsx --out FILE succeeds"
is "$(stat -c %a "$T/people.xlsx")" 600 "the workbook is mode 0600"
run $PY - "$T/people.xlsx" "$oy" <<'PY'
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert len(wb.sheetnames) == 1, wb.sheetnames
ws = wb.active
assert ws.freeze_panes == "A2" and ws["A1"].font.b, "bold frozen head"
head = [c.value for c in ws[1]]
assert head[0] == "Record id" and head[4] == "ID number", head
r = [x for x in ws.iter_rows(min_row=2, values_only=True) if x[0] == sys.argv[2]][0]
assert r[4] == "411524201503070024" and isinstance(r[4], str), r
assert r[5] == "13812345678" and isinstance(r[5], str), r
assert r[3] == datetime.datetime(2015, 3, 7), r
assert ws.cell(row=2, column=4).number_format == "yyyy-mm-dd"
assert ws.column_dimensions["I"].width >= 16, ws.column_dimensions["I"].width  # 塔湾村王湾组1号
print("ok")
PY
is "$out" ok "one sheet, bold frozen head, IDs and phones as text, dates as dates, widths for Chinese"

# ---- a grid worker's export: ID numbers masked ----
gq user add --name 张主任 --role station_admin >/dev/null
gq user pin 张主任 --pin-file "$ADMIN_PIN" >/dev/null
gq user add --name 王春梅 --role grid_worker >/dev/null
gq user pin 王春梅 --pin-file "$(pin worker 731904)" >/dev/null
W="--user 王春梅 --pin-file $T/worker.pin"
run gq $W person list --format csv
is "$rc" 1 "a grid worker may not export the whole ID numbers"
run gq $W person list --format csv --mask-id
is "$rc" 0 "with --mask-id a grid worker may export the list"
like "$out" '4115\*\*\*\*\*\*\*\*\*\*0024' "the ID number is masked"
unlike "$out" '411524201503070024' "the whole number is not in the export"
run gq $W person list --format json --mask-id
unlike "$out" '411524201503070024' "nor in JSON"
run gq $W person list --format xlsx --mask-id --out "$T/masked.xlsx"
is "$rc" 0 "a masked xlsx export"
run $PY -c "
import openpyxl
ws = openpyxl.load_workbook('$T/masked.xlsx').active
print(sorted(str(c.value) for c in ws['E'] if c.value))"
like "$out" '4115\*\*\*\*\*\*\*\*\*\*0024' "the workbook has the masked number"
unlike "$out" '411524201503070024' "and not the whole one"
run gq person list --format csv --bogus
is "$rc" 2 "an unknown option is refused"
done_testing
