#!/bin/sh
# screen_visit_keys.sh - the keys of a full child visit, counted: from
# Home on the demo database the grid worker finds a left-behind child by
# the pinyin of the name, opens the visit form (the child form first),
# answers every required question and saves. Each key press counts one,
# each typed character one. The answers are then read back with "visit
# show". The count is printed (# keys: N) and must stay below the 40 keys
# the same walk took before digits picked answers on the form's rows.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 9
GUANQING_NOW=2026-12-01T09:00:00Z
export GUANQING_NOW
GUANQING_DB=$T/demo.db
export GUANQING_DB
gq demo >/dev/null
printf '246810\n' > "$T/demo.pin"
chmod 600 "$T/demo.pin"
GUANQING_USER=王春梅
GUANQING_PIN_FILE=$T/demo.pin
export GUANQING_USER GUANQING_PIN_FILE
before=$(gq visit list --format csv --codes | grep -c 'child_visit')

K=0
# press KEY...: one key each; text STRING: one key a character.
press() {
	for _k in "$@"; do
		keys "$_k"
		K=$((K + 1))
	done
}
text() {
	typ "$1"
	K=$((K + $(printf '%s' "$1" | wc -m)))
}
# The line the cursor is on: the form's focused question.
curline() {
	_y=$($TM display -p '#{cursor_y}')
	screen | sed -n "$((_y + 1))p"
}
# at LABEL: Tab to the question LABEL (each Tab counted).
at() {
	_n=0
	while [ $_n -lt 40 ] && ! curline | grep -q -- "$1"; do
		press Tab
		_n=$((_n + 1))
	done
	curline | grep -q -- "$1"
}
# answer LABEL N: the N-th answer of a choice question, with a digit on
# the question when the screens take one there, else from its list (Enter,
# then the digit in the list).
DIGIT=
answer() {
	at "$1" || { diag "no question $1"; return 1; }
	if [ -z "$DIGIT" ]; then
		# Is a digit on the question an answer? The probe is counted
		# only when it answers.
		_before=$(screen)
		keys "$2"
		if [ "$(screen)" != "$_before" ]; then
			DIGIT=1
			K=$((K + 1))
			return 0
		fi
		DIGIT=0
	fi
	if [ "$DIGIT" = 1 ]; then
		press "$2"
	else
		press Enter "$2"
	fi
}
# yes LABEL: a yes/no question answered yes (y, or its first answer).
yes() {
	if [ "$DIGIT" = 1 ]; then
		answer "$1" 1
	else
		at "$1" && press y
	fi
}

scr_start screen en
# Signing in is not counted: the walk starts at Home.
wait_for '王春梅'
keys Down Down Enter
wait_for 'PIN of'
typ 246810
keys Enter
wait_for 'Signed in'
press F3
wait_for 'Search'
text zyh
wait_for '1 of [0-9]+ people'
like "$(screen)" '周宇航' "the pinyin zyh finds the left-behind child 周宇航"
press Enter
wait_for 'Categories'
press F3
wait_for 'Choose the visit form'
s=$(screen)
# The child's form is the first one offered: Enter takes it.
like "$(printf '%s\n' "$s" | grep -A1 'Choose the visit form' | tail -1)" 'Left-behind child' \
	"the child form is offered first"
press Enter
wait_for 'Kind of visit'
answer 'Child seen' 1
yes 'Guardian at home'
answer 'Who actually' 1
answer "Guardian's health" 1
answer "Guardian's ability" 1
answer "Parents' contact" 1
answer 'School status' 1
answer ' Grade' 8
answer "Child's health" 1
answer 'Psychological' 1
press F2
wait_for 'The visit is saved'
like "$(screen)" 'The visit is saved' "the visit is saved"
echo "# keys: $K"
$TM kill-server >/dev/null 2>&1

run gq visit list --format csv --codes
is "$(printf '%s\n' "$out" | grep -c 'child_visit')" "$((before + 1))" "one more child visit is listed"
id=$(gq visit list --format csv --codes | grep 'child_visit' | grep '2026-12-01' | head -1 | cut -d, -f1)
run gq visit show "$id"
like "$out" 'Child seen in person +yes' "the child was seen"
like "$out" 'looks after the child +Grandparent' "the guardian is a grandparent"
like "$out" 'Grade +Junior middle 1' "the grade is the first year of junior middle school"
like "$out" 'Psychological state +Good' "and the psychological state was answered"
ok "[ $K -lt 40 ]" "a full child visit takes fewer than 40 keys ($K)"
finish
