#!/bin/sh
# The Sync screen offers a backup to the stick after each export: taken,
# it writes a sealed backup that `guanqing restore` brings back whole;
# declined, it writes nothing.
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
gq person add --name 李秀英 >/dev/null
before=$(gq dump --canonical)

scr_start screen en
keys Enter
wait_for 'PIN of'
typ "$(cat "$ADMIN_PIN")"
keys Enter
wait_for "F3"
keys 6
wait_for 'Last USB exchange'
keys F3
wait_for 'backup of the whole database'
like "$(screen)" 'Also write a backup of the whole database to the stick' "after the export the screen offers a backup"
keys y
wait_for 'Backup .* written'
# The report wraps at the screen's width: join its lines.
like "$(screen | sed 's/^ *//' | tr -d '\n')" 'Backup .*/guanqing/backup/411524103205-[0-9TZ]*\.gqbackup written and checked' "the report names the backup on the stick"
n=$(ls "$STICK/guanqing/backup" | grep -c '\.gqbackup$')
is "$n" 1 "one backup file is on the stick"
f=$(ls "$STICK/guanqing/backup"/*.gqbackup)
is "$(stat -c %a "$f")" 600 "the backup is mode 0600"

# A second export, declined: no second backup.
gq person add --name 王小明 >/dev/null
keys F3
wait_for 'backup of the whole database'
keys n
wait_for 'safe to remove'
is "$(ls "$STICK/guanqing/backup" | grep -c '\.gqbackup$')" 1 "declining writes no backup"
$TM kill-server >/dev/null 2>&1

# The backup brings back the database as it was at the first export.
run sh -c "echo yes | '$GUANQING' restore '$f'"
is "$rc" 0 "restore of the screen's backup succeeds"
is "$(gq dump --canonical)" "$before" "the restored database is the one backed up (dump --canonical)"
run gq check
is "$rc" 0 "guanqing check passes"
finish
