#!/bin/bash
# sync_media.sh - exporting to a stick that fails: read-only, full, not a
# folder, removed. Each gives a clear error and exit 1, leaves no bundle and
# no temporary file, and marks nothing as sent: the next good export has
# number 1 and every change. Mounting a small tmpfs needs root and a kernel
# that allows it; where it does not, those cases are skipped. (RLIMIT_FSIZE,
# ulimit -f, cannot stand for a full stick: the limit is on file offsets, so
# it stops the writes to the station's database, which is always larger than
# the bundle made from it, before the bundle is written.)

. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
i=0
for n in 张桂兰 王德明 李秀英 刘玉兰 陈志刚 杨春梅 黄国强 赵淑珍 周建国 吴小红 \
	郑秀兰 孙德福 马桂英 朱明亮 胡玉梅 郭志强 何淑英 高建华 林秀珍 罗国庆; do
	i=$((i + 1))
	gqs a person add --name "$n" --sex F --phone "1380000$(printf '%04d' $i)" \
		--address "宋岗村第${i}组${i}号，门前有一棵老槐树" >/dev/null
done
total=$(gqs a summary | sed -n 's/^Changes recorded here: *\([0-9][0-9]*\).*/\1/p')
ok '[ "$total" -gt 100 ]' "station a has $total changes to send"
state_a=$(gqs a dump --canonical | cksum)

# nothing_sent CASE DIR: after a failed export to DIR.
nothing_sent() {
	is "$rc" 1 "$1: export exits 1"
	like "$err" "${want_err:-.}" "$1: the error says why"
	is "$(find "$2" \( -name '*.gqb' -o -name '*.tmp' \) 2>/dev/null)" "" \
		"$1: no bundle and no temporary file left"
	is "$(gqs a stations --format csv | awk -F, 'NR == 2 { print $9 }')" 0 \
		"$1: no bundle is marked as sent"
	is "$(gqs a dump --canonical | cksum)" "$state_a" "$1: the station's records are unchanged"
}

# ---- not a folder, or gone ----
: >"$T/afile"
want_err='afile does not exist or is not a folder'
run gqs a export --to "$T/afile"
nothing_sent "a file, not a folder" "$T"
want_err='afile/stick does not exist or is not a folder'
run gqs a export --to "$T/afile/stick"
nothing_sent "a path under a file" "$T"
mkdir "$T/gone"
rmdir "$T/gone"
want_err='gone does not exist or is not a folder'
run gqs a export --to "$T/gone"
nothing_sent "a folder removed before the export" "$T"
mkdir -p "$T/blocked"
: >"$T/blocked/guanqing"
want_err='blocked/guanqing'
run gqs a export --to "$T/blocked"
nothing_sent "the stick's guanqing folder is a file" "$T/blocked"

# ---- tmpfs: read-only and full ----
mkdir -p "$T/ro" "$T/full"
trap 'umount "$T/ro" 2>/dev/null; umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
if mount -t tmpfs -o size=64k,mode=0755 tmpfs "$T/ro" 2>/dev/null; then
	mkdir -p "$T/ro/guanqing/to-county"
	if mount -o remount,ro "$T/ro" 2>/dev/null; then
		run gqs a export --to "$T/ro"
		want_err='[Rr]ead-only'
		nothing_sent "a read-only stick" "$T/ro"
	else
		skip "cannot remount a tmpfs read-only here" 5
	fi
	umount "$T/ro"
else
	skip "cannot mount a tmpfs here (not root, or no mount in this container)" 5
fi
if mount -t tmpfs -o size=16k tmpfs "$T/full" 2>/dev/null; then
	dd if=/dev/zero of="$T/full/filler" bs=1k count=64 2>/dev/null
	run gqs a export --to "$T/full"
	want_err='space|full|write'
	nothing_sent "a full stick" "$T/full"
	umount "$T/full"
else
	skip "cannot mount a tmpfs here (not root, or no mount in this container)" 5
fi

# ---- then a good export: number 1, every change ----
mkdir -p "$T/good"
run gqs a export --to "$T/good"
is "$rc" 0 "the export to a good stick succeeds"
like "$out" "Bundle 1 for the county: $total changes" "it is bundle 1 with all $total changes"
like "$out" 'safe to remove' "it says the stick is safe to remove"
ok '[ -f "$T/good/guanqing/to-county/$(station_id a)-00000000000000000001.gqb" ]' "bundle 1 is on the stick"
is "$(gqs a stations --format csv | awk -F, 'NR == 2 { print $9 }')" 1 "one bundle is marked as sent"
run gqc import "$T/good"
is "$rc" 0 "the county imports it"
is "$(rows_of_village "$C" 411524103205 | grep -c '^person')" 20 "the county has the 20 people"

# ---- no stick named: the configured folder, or a clear message ----
run env GUANQING_MEDIA= "$GUANQING" --db "$T/a.db" config media "$T/nonesuch"
is "$rc" 1 "config media refuses a folder that does not exist"
mkdir -p "$T/usb"
run gqs a config media "$T/usb"
is "$rc" 0 "config media sets the stick's folder"
run gqs a config media
is "$out" "$T/usb" "config media shows it"
gqs a person add --name 柳青 --sex F >/dev/null
run gqs a export
is "$rc" 0 "export without --to uses the configured folder"
ok "ls '$T/usb/guanqing/to-county/'*.gqb >/dev/null 2>&1" "the bundle is in the configured folder"
run gqs a config media ""
is "$rc" 0 "config media \"\" unsets it"

finish
