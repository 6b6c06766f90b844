#!/bin/sh
# doctor on a station and on a county, in English and Chinese, and on a
# missing database: it names what it found and says whether all is well.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

plan 19
county_init
enroll_station 411524103205 st

GUANQING_DB=$T/st.db
export GUANQING_DB
run env TERM=xterm-256color "$GUANQING" doctor
is "$rc" 0 "doctor on a station: exit status 0"
like "$out" '^Version: guanqing [0-9.]+$' "it gives the version"
like "$out" "^Database: $T/st.db\$" "the database's path"
like "$out" '^Schema version: [0-9]+ \(this program writes [0-9]+\)$' "its schema version"
like "$out" "^Place: station of 宋岗村民委员会, 双椿铺镇 \\(village 411524103205\\), station id $(station_id st)\$" \
	"the station's village, town and id"
like "$out" '^Last USB exchange: never$' "the last exchange"
like "$out" '^Free disk space: [0-9]+ MiB in ' "the free disk space"
like "$out" '^Terminal: TERM=xterm-256color; UTF-8: yes; can draw Chinese: yes$' "a UTF-8 terminal can draw Chinese"
like "$out" '^Locale: .*messages in English$' "the locale"
like "$out" '^All is well\.$' "and says all is well"

gq export --to "$STICK" >/dev/null
run env TERM=linux "$GUANQING" doctor
like "$out" '^Last USB exchange: 2026-11-28' "after an export it gives the last exchange"
like "$out" 'can draw Chinese: no' "the Linux console cannot draw Chinese"

run env TERM=xterm LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$GUANQING" --lang zh doctor
like "$out" '^版本：guanqing' "in Chinese: the version"
like "$out" '宋岗村民委员会' "the village"
like "$out" '一切正常' "and all is well"

run gqc doctor
is "$rc" 0 "doctor on the county: exit status 0"
like "$out" '^Place: the county 商城县 \(411524\)' "it names the county"

run gq --db "$T/nowhere.db" doctor
is "$rc" 1 "doctor on a missing database: exit status 1"
like "$out" "PROBLEM: Database $T/nowhere.db does not exist" "it says the database does not exist"
finish
