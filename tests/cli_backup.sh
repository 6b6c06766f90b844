#!/bin/sh
# backup --to DIR and restore FILE: a round trip gives back the database
# exactly (dump --canonical); restore asks first, keeps the current
# database aside, and refuses a damaged, truncated or foreign file, or a
# bundle, naming the file and the reason and changing nothing.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

# flip_byte FILE OFFSET: change the byte at OFFSET (to X, or Y if it was X).
flip_byte() {
	_b=$(od -An -tx1 -j "$2" -N1 "$1" | tr -d ' ')
	_c=X
	[ "$_b" = 58 ] && _c=Y
	printf %s "$_c" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

plan 30
county_init
enroll_station 411524103205 st
enroll_station 411524103206 other
GUANQING_DB=$T/st.db
export GUANQING_DB
gq person add --name 张三 --id-number "$(idnum 41152420150101001)" --category left_behind_child >/dev/null
gq person add --name 欧阳·娜娜 >/dev/null
before=$(gq dump --canonical)

run gq backup --to "$T/bk"
is "$rc" 0 "backup --to DIR succeeds"
f=$(ls "$T/bk"/*.gqbackup 2>/dev/null)
like "$out" "Backup $f written and checked" "it names the file it wrote"
like "$f" '/411524103205-20261128T080000Z\.gqbackup$' "the file is named by the village and the time"
is "$(stat -c %a "$f")" 600 "the backup file is mode 0600"
is "$(ls -a "$T" | grep -c 'backup-.*\.tmp')" 0 "no clear copy is left beside the database"
unlike "$(cat "$f")" '张三|欧阳' "the names are not readable in the backup"

# Changes after the backup.
gq person add --name 李秀英 >/dev/null
after=$(gq dump --canonical)

# Declined: nothing changes.
snapshot
run sh -c "echo no | '$GUANQING' restore '$f'"
is "$rc" 1 "restore answered no: exit status 1"
like "$out" 'Nothing was changed' "it says nothing was changed"
unchanged "restore answered no: the database is unchanged"

run sh -c "echo yes | '$GUANQING' restore '$f'"
is "$rc" 0 "restore answered yes succeeds"
like "$out" "holds the database of 411524103205 宋岗村民委员会 made at 2026-11-28T08:00:00.000Z" \
	"it says whose backup it is and when it was made"
is "$(gq dump --canonical)" "$before" "the round trip gives back the database exactly (dump --canonical)"
aside=$T/st.db.before-restore-20261128T080000Z
like "$out" "kept in $aside" "it names where the database as it was is kept"
is "$(GUANQING_DB=$aside "$GUANQING" dump --canonical)" "$after" "the copy kept aside is the database before the restore"
is "$(stat -c %a "$aside")" 600 "the copy kept aside is mode 0600"
run gq check
is "$rc" 0 "guanqing check passes on the restored database"
run gq person add --name 王小明
is "$rc" 0 "the restored station goes on recording"

# Refusals: each names the file and the reason and changes nothing.
cp "$f" "$T/damaged.gqbackup"
size=$(stat -c %s "$f")
flip_byte "$T/damaged.gqbackup" $((size / 2))
want_err="damaged\\.gqbackup is refused: damaged" refused "a backup with a changed byte" \
	sh -c "echo yes | '$GUANQING' restore '$T/damaged.gqbackup'"
head -c $((size - 100)) "$f" >"$T/short.gqbackup"
want_err="short\\.gqbackup is refused: truncated" refused "a truncated backup" \
	sh -c "echo yes | '$GUANQING' restore '$T/short.gqbackup'"
gqs other backup --to "$T/bk-other" >/dev/null
want_err="is refused: it was made by another station or county" refused "another station's backup" \
	sh -c "echo yes | '$GUANQING' restore '$T/bk-other'/*.gqbackup"
gq export --to "$STICK" >/dev/null
b=$(ls "$STICK"/guanqing/to-county/*.gqb | head -n 1)
want_err="is refused: it was made by another station or county" refused "a bundle given as a backup" \
	sh -c "echo yes | '$GUANQING' restore '$b'"
is "$(ls "$T" | grep -c 'restore-.*\.tmp')" 0 "no restored copy is left after the refusals"
finish
