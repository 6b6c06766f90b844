#!/bin/sh
# cli_report.sh - the bureau's reports on the command line, over records
# planted across several towns and villages of 商城县 (tests/report_plant.py):
# every figure of every report against what the planter computes from what
# it planted, the drill-down to a town's villages (by code and by name),
# CSV read by Python's csv (byte-order mark, codes kept as text), the xlsx
# workbook read by openpyxl (a sheet per level, bold frozen header, numbers
# as numbers), and the printable page (title, county, period, time made,
# form feeds).
. "${top_srcdir:-.}/tests/lib.sh"

plant=${top_srcdir:-.}/tests/report_plant.py
# Debian's python3 has python3-openpyxl; another python3 first in PATH may not.
PY=python3
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then
		PY=$p
		break
	fi
done
county=$T/county.db
export GUANQING_DB="$county"
gq county init --division 411524 $ADMIN_OPTS >/dev/null
python3 "$plant" plant "$county"

# ---- every report's figures, county and towns ----
for r in children elderly meal-coverage assistance funerals activities; do
	run gq report "$r" --format csv --codes
	is "$rc" 0 "report $r --format csv succeeds"
	printf '%s\n' "$out" > "$T/$r.csv"
	run python3 "$plant" check "$r" "$T/$r.csv"
	is "$rc" 0 "report $r: each town's and the county's figures are those planted"
	[ "$rc" = 0 ] || diag "$out"
done

# ---- drill-down: a town's villages and the town's total ----
for r in children meal-coverage funerals activities; do
	gq report "$r" --town 411524103 --format csv --codes > "$T/$r-town.csv"
	run python3 "$plant" check "$r" "$T/$r-town.csv" 411524103
	is "$rc" 0 "report $r --town 411524103: every village of 双椿铺镇 and the town's total"
	[ "$rc" = 0 ] || diag "$out"
done
gq report children --town 双椿铺镇 --format csv --codes > "$T/by-name.csv"
ok 'cmp -s "$T/by-name.csv" "$T/children-town.csv"' "--town takes the town's name as well as its code"
run gq report children --town 411524103
like "$out" '塔湾村民委员会 +3 +2 +1 +0 +1' "the table of 双椿铺镇's villages shows 塔湾村's three children"

# ---- meal coverage against the targets, by name ----
run gq report meal-coverage
like "$out" '双椿铺镇 +2 +0 +0.0 +1 +28 +2 +7.1 +1 ' \
	"双椿铺镇: 2 of 28 villages with a site is 7.1 %, one more site needed for 10 %"
like "$out" '赤城街道 +14 +2 +14.3 +4 ' "赤城街道: 2 of 14 communities is 14.3 %, 4 more needed for 40 %"
like "$out" '鲇鱼山街道 .* yes: none delivers$' "鲇鱼山街道 is a street without a canteen that delivers"
unlike "$(printf '%s\n' "$out" | grep 赤城街道)" 'none delivers' "赤城街道 has one (南街社区's canteen)"
unlike "$(printf '%s\n' "$out" | grep 双椿铺镇)" 'none delivers' "a town (镇) is not a street"

# ---- sync: the stations ----
run gq report sync --format csv --codes
# As the Stations screen says it: the village's short name, days since
# the last bundle (or the enrolment), the county's changes not acknowledged.
like "$out" '^411524103229,塔湾村,双椿铺镇,s1000000,active,2026-01-05,5,2026-11-08,20,0,3-4,' \
	"the station of 塔湾村: last bundle 5, 20 days since, 3-4 missing"
like "$out" '^411524103230,顾畈村,双椿铺镇,s2000000,active,2026-01-05,0,,327,0,,' \
	"the station of 顾畈村 has imported nothing, 327 days since its enrolment"
run gq stations --format csv
like "$out" 's1000000-0000-4000-8000-000000000001' "stations lists the same station"

run gq report sync --town 赤城街道 --format csv --codes
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1 "no station in 赤城街道: the head alone"

# ---- CSV for Excel and WPS ----
gq report children --format csv > "$T/excel.csv"
run python3 - "$T/excel.csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0][0] == "Code" and rows[0][2] == "Children", rows[0]
town = [r for r in rows if r[1] == "双椿铺镇"][0]
assert town[0] == '="411524103"', town[0]
assert town[2] == "5", town
print("ok")
PY
is "$out" ok "the CSV starts with a byte-order mark, speaks the user's language and keeps codes as text"

# ---- xlsx ----
run gq report children --format xlsx --out "$T/children.xlsx"
is "$rc" 0 "report children --format xlsx --out FILE succeeds"
is "$(stat -c %a "$T/children.xlsx")" 600 "the workbook is mode 0600"
run $PY - "$T/children.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["By town", "By village"], wb.sheetnames
t, v = wb["By town"], wb["By village"]
assert t.freeze_panes == "A2", t.freeze_panes
assert t["A1"].value == "Code" and t["A1"].font.b, "bold head"
row = [r for r in t.iter_rows(min_row=2, values_only=True) if r[1] == "双椿铺镇"][0]
assert row[0] == "411524103" and isinstance(row[0], str), row
assert row[2] == 5 and isinstance(row[2], (int, float)), row
assert abs(row[8] - 60.0) < 0.01, row
vil = [r for r in v.iter_rows(min_row=2, values_only=True) if r[1] == "塔湾村民委员会"][0]
assert vil[2] == 3, vil
assert v.max_row == 379, v.max_row
assert t.column_dimensions["B"].width >= 10
print("ok")
PY
is "$out" ok "two sheets (by town, by village), a bold frozen head, codes as text, figures as numbers"
run gq report children --format xlsx
is "$rc" 0 "an xlsx workbook can be written to standard output"
gq report sync --format xlsx > "$T/sync.xlsx"
run $PY -c "
import openpyxl, datetime
ws = openpyxl.load_workbook('$T/sync.xlsx').active
r = [x for x in ws.iter_rows(min_row=2, values_only=True) if x[0] == '411524103229'][0]
assert isinstance(r[5], datetime.datetime) and r[5].date() == datetime.date(2026, 1, 5), r
assert ws.cell(row=2, column=6).number_format == 'yyyy-mm-dd'
print('ok')"
is "$out" ok "dates are dates in the workbook"

# ---- the printable page ----
run gq report children --format text
like "$out" '^Children$' "the page has the report's title"
like "$out" '^商城县$' "and the county"
like "$out" '^Period: 2026-01-01 to 2026-11-28$' "and the period"
like "$out" '^Made 2026-11-28 08:00$' "and when it was made"
gq report children --villages --format text > "$T/print.txt"
ff=$(tr -cd '\f' < "$T/print.txt" | wc -c | tr -d ' ')
ok '[ "$ff" -ge 6 ]' "378 villages fill several pages, each ended by a form feed ($ff)"
ok 'awk "BEGIN{RS=\"\\f\"} { if (\$0 !~ /Children/) bad=1 } END{exit bad}" "$T/print.txt"' \
	"every page starts with the title again"
ok '[ "$(awk "BEGIN{RS=\"\\f\"} {n=split(\$0,a,\"\\n\"); if (n>m) m=n} END{print m}" "$T/print.txt")" -le 62 ]' \
	"no page is longer than 60 lines"

# ---- the period and bad input ----
gq report funerals --from 2026-06-01 --to 2026-06-30 --format csv --codes > "$T/june.csv"
like "$(cat "$T/june.csv")" '^,County total,1,1,100.0,0,0,0,1,0,0,0,0,1$' \
	"in June 2026 one death was reported (a scattering) and one fee waiver granted"
run gq report children --town 不存在镇
is "$rc" 1 "an unknown town is refused"
like "$err" 'no town "不存在镇"' "and named"
run gq report children --from 2026-13-01
like "$err" '--from: "2026-13-01" is not a date' "a bad date is named"
run gq report children --from 2026-12-01 --to 2026-11-01
like "$err" 'ends before it begins' "a period that ends before it begins is refused"
run gq report followups --town 双椿铺镇
is "$rc" 2 "followups takes no --town"
LANG=zh_CN.UTF-8 run gq --lang zh_CN report children --town 不存在镇
like "$err" '没有' "the refusal is in Chinese under zh_CN"
done_testing
