#!/bin/sh
# Keystroke fuzz: random keys (function keys, Chinese characters, Escape
# sequences, resizes) into the running screens with a fixed seed; the
# program must stay alive or exit cleanly, and `guanqing check` must pass.
# FUZZ_KEYS sets the number of keys (2000 by default), FUZZ_SEED the seed,
# FUZZ_DB the database: station (a test station, the default), demo (the
# demo station, signed in as its admin) or county (a county database,
# signed in as its admin). When the keys quit the program (F10 or Escape,
# then y), it is started again and the keys go on; each exit must be a
# clean one.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 3
kind=${FUZZ_DB:-station}
case $kind in
demo)
	GUANQING_DB=$T/demo.db
	gq demo >/dev/null 2>&1 || echo "Bail out! demo failed"
	PIN=246810
	# 余晓燕, 李建军, 王春梅, 陈志强: the admin is the fourth.
	signin() { keys Down Down Down Enter; wait_for 'PIN'; typ $PIN; keys Enter; wait_for 'F3'; }
	;;
county)
	GUANQING_DB=$T/county.db
	gq county init --division 411524 $ADMIN_OPTS >/dev/null 2>&1 || echo "Bail out! county init failed"
	PIN=$(cat "$ADMIN_PIN")
	signin() { keys Enter; wait_for 'PIN'; typ "$PIN"; keys Enter; wait_for 'F3'; }
	;;
*)
	station_db
	gq person add --name 张三 --id-number "$(idnum 41152419450302003)" >/dev/null
	gq person add --name 单志强 --phone 13812345678 >/dev/null
	signin() { :; }
	;;
esac
export GUANQING_DB
GUANQING_USER=$ADMIN_NAME
[ "$kind" = demo ] && GUANQING_USER=陈志强 && printf '246810\n' >"$T/demo.pin" &&
	chmod 600 "$T/demo.pin" && GUANQING_PIN_FILE=$T/demo.pin
export GUANQING_USER GUANQING_PIN_FILE
dump_before=$(gq dump --canonical | wc -l)
scr_start screen en
signin

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
i=0 starts=1 unclean=0 sent=0 lost=0
while read -r kind_ a b; do
	case $kind_ in
	k) $TM send-keys "$a" 2>/dev/null && sent=$((sent + 1)) ;;
	l) $TM send-keys -l "$a" 2>/dev/null && sent=$((sent + 1)) ;;
	e) $TM send-keys Escape 2>/dev/null && $TM send-keys -l '[1;5A' 2>/dev/null &&
		sent=$((sent + 1)) ;;
	r) $TM resize-window -x "$a" -y "$b" 2>/dev/null && sent=$((sent + 1)) ;;
	esac
	i=$((i + 1))
	# Now and then: has it quit, or is its terminal gone? Then start it
	# again. Keys sent to no terminal are not counted as sent.
	if [ $((i % 100)) = 0 ]; then
		if ! $TM has-session 2>/dev/null; then
			lost=$((lost + 1))
			scr_start screen en
			signin
			starts=$((starts + 1))
		elif screen | grep -q 'EXITED='; then
			screen | grep -q 'EXITED=0' || { unclean=$((unclean + 1)); diag "$(screen)"; }
			scr_start screen en
			signin
			starts=$((starts + 1))
		fi
	fi
done < "$T/keys"
diag "$sent of $n keys and resizes reached the screens; $lost times the terminal was gone"
sleep 0.5
s=$(screen)
if printf '%s' "$s" | grep -q 'EXITED='; then
	printf '%s' "$s" | grep -q 'EXITED=0' || unclean=$((unclean + 1))
fi
is "$unclean" 0 "$sent keys on the $kind database in $starts runs of the screens: every exit was clean"
$TM kill-server >/dev/null 2>&1
sleep 0.3
run gq check
is "$rc" 0 "guanqing check passes after the keys"
ok '[ "$(gq dump --canonical | wc -l)" -ge "$dump_before" ]' "no record was lost ($dump_before rows before)"
finish
