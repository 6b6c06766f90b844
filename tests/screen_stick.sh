#!/bin/sh
# The Sync screen chooses the stick: with no stick plugged in it says so
# without a word of the command line, F3 offers the mounted media and a
# folder to type, a folder that is not one is refused by name and the one
# typed is written to; the unsent count is of records, not field changes.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

plan 12
county_init
enroll_station 411524103205 st
GUANQING_DB=$T/st.db
export GUANQING_DB
unset GUANQING_MEDIA
gq person add --name 张三 --id-number "$(idnum 41152419450302003)" --phone 13812345678 >/dev/null
gq person add --name 李四 --category left_behind_child >/dev/null

st_id=$(station_id st)
fields=$(sqlite3 "$GUANQING_DB" "SELECT count(*) FROM change_log WHERE origin = '$st_id'")
records=$(sqlite3 "$GUANQING_DB" "SELECT count(DISTINCT tbl || ' ' || row_id) FROM change_log WHERE origin = '$st_id'")

scr_start screen "" --lang zh
keys Enter
wait_for 'PIN'
typ "$(cat "$ADMIN_PIN")"
keys Enter
wait_for 'F10'
keys 6
wait_for '上次 U 盘交换'
s=$(screen)
like "$s" "县民政局尚未确认的本处记录：$records 条" "the unsent count is of records ($records), not field changes"
ok '[ "$records" -lt "$fields" ]' "and the records ($records) are fewer than the field changes ($fields)"
like "$s" '没有插入 U 盘：请插入 U 盘，或按 F5 输入一个文件夹' "with no stick the screen says to plug one in or press F5"
unlike "$s" '\-\-[a-z]' "the screen names no command-line option"

# F3: the chooser offers a folder to type; a missing folder is refused.
keys F3
wait_for '其他文件夹'
like "$(screen)" '没有插入 U 盘：请输入文件夹' "F3 with no stick offers to type its folder"
keys Enter
wait_for '请输入导出和导入所用的文件夹'
typ "$T/nowhere"
keys Enter
wait_for '不是文件夹'
like "$(screen)" "$T/nowhere 不是文件夹" "a folder that does not exist is refused by name"
# The refused text stays to be corrected: Ctrl-U clears it.
keys End C-u
typ "$STICK"
keys Enter
wait_for '备份'
keys n
wait_for '可以安全拔出'
s=$(screen)
like "$s" '第 1 号数据包' "the export reports its bundle"
ok '[ "$(find "$STICK/guanqing/to-county" -name "*.gqb" | wc -l)" -eq 1 ]' "the bundle is in the folder typed"
like "$s" "U 盘：$STICK" "the folder typed is the stick of the session"
unlike "$s" '\-\-[a-z]' "the report names no command-line option"

# F5 asks again, and Esc keeps the folder.
keys F5
wait_for '其他文件夹'
keys Escape
wait_for '没有选择 U 盘'
like "$(screen)" '没有选择 U 盘' "F5 then Esc says no stick was chosen"
$TM kill-server >/dev/null 2>&1
gqc import "$STICK" >/dev/null 2>&1
like "$(gqc person list --format csv --codes)" '张三' "the county imports what was written to the folder typed"
finish
