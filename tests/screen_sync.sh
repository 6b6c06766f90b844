#!/bin/sh
# The Sync screen: a station exports to the stick (progress, then the
# report saying the stick is safe to remove), the county imports it on
# the command line, and the station imports the county's answer with F4.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

plan 8
county_init
enroll_station 411524103205 st
GUANQING_DB=$T/st.db
GUANQING_MEDIA=$STICK
export GUANQING_DB GUANQING_MEDIA
gq person add --name 张三 >/dev/null

scr_start screen en
# The station has its admin's PIN (tests/lib.sh): the screens ask for it.
keys Enter
wait_for 'PIN of'
typ "$(cat "$ADMIN_PIN")"
keys Enter
wait_for "F3"
keys 6
wait_for 'Last USB exchange'
s=$(screen)
like "$s" 'Last USB exchange: never' "the Sync screen shows the last exchange"
like "$s" "USB stick: $STICK" "and the stick found"
keys F3
wait_for 'backup of the whole database'
keys n
wait_for 'safe to remove'
s=$(screen)
like "$s" 'Bundle 1 for' "the export reports its bundle"
like "$s" 'is safe to remove' "and says the stick is safe to remove"
unlike "$(gq dump --canonical >/dev/null; gqc dump --canonical)" '张三' "the county has nothing before its import"
gqc import "$STICK" >/dev/null 2>&1
like "$(gqc dump --canonical)" '张三' "the county imports what the screen exported"

gqc export --to "$STICK" >/dev/null 2>&1
keys F4
wait_for 'Import finished'
like "$(screen)" 'stick/guanqing/to-' "F4 imports the county's bundle and reports it"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
