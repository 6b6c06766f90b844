#!/bin/sh
# Keystroke fuzz: random keys (function keys, Chinese characters, Escape
# sequences, resizes) into the running screens with a fixed seed; the
# program must stay alive or exit cleanly, and `guanqing check` must pass.
# FUZZ_KEYS sets the number of keys (2000 by default), FUZZ_SEED the seed.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 2
station_db
gq person add --name 张三 --id-number "$(idnum 41152419450302003)" >/dev/null
gq person add --name 单志强 --phone 13812345678 >/dev/null
scr_start screen en

n=${FUZZ_KEYS:-2000}
seed=${FUZZ_SEED:-20261128}
awk -v n="$n" -v seed="$seed" 'BEGIN {
	srand(seed)
	split("F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 Escape Enter Tab BTab Up Down Left Right Home End PPage NPage BSpace DC IC Space y n 1 2 3 / a z s 0 9 x h", k, " ")
	split("张 三 单 王 小 明 李 乙 中 文", c, " ")
	for (i = 0; i < n; i++) {
		r = rand()
		if (r < 0.75) print "k " k[int(rand() * 40) + 1]
		else if (r < 0.9) print "l " c[int(rand() * 10) + 1]
		else if (r < 0.97) print "e"
		else print "r " (30 + int(rand() * 90)) " " (8 + int(rand() * 30))
	}
}' > "$T/keys"
while read -r kind a b; do
	case $kind in
	k) $TM send-keys "$a" ;;
	l) $TM send-keys -l "$a" ;;
	e) $TM send-keys Escape; $TM send-keys -l '[1;5A' ;;
	r) $TM resize-window -x "$a" -y "$b" 2>/dev/null ;;
	esac
done < "$T/keys"
sleep 0.5
s=$(screen)
if printf '%s' "$s" | grep -q 'EXITED='; then
	like "$s" 'EXITED=0' "the program exited cleanly"
else
	pass "the program is still running"
fi
$TM kill-server >/dev/null 2>&1
sleep 0.3
run gq check
is "$rc" 0 "guanqing check passes after the keys"
finish
