#!/bin/sh
# The station screens driven through tmux: add a person with a Chinese
# name, refuse a wrong ID number, find by pinyin, record a child visit,
# resize while typing, English and TERM=linux pinyin names.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 20
station_db
GOOD=$(idnum 41152420150615002)
BAD=$(idnum_bad 41152420150615003)

scr_start screen en
like "$(screen)" 'Home' "home opens without users (system user)"
keys F3
wait_for 'Search'
keys F3
wait_for 'New: person'
typ '王小明'
keys Tab Tab
typ "$GOOD"
keys Tab
wait_for '2015-06-15'
s=$(screen)
like "$s" 'female' "the ID number fills the sex"
like "$s" '2015-06-15' "the ID number fills the birth date"
keys F2
wait_for 'Saved'
run gq person list --format csv --codes
like "$out" "王小明,F,2015-06-15,$GOOD" "the person is saved with sex and birth"

# A wrong ID number: its message beside the field, nothing saved.
keys F3
wait_for 'New: person'
typ '赵六'
keys Tab Tab
typ "$BAD"
keys Tab
wait_for 'check character'
like "$(screen)" 'ID number.*check' "a wrong ID number shows its message"
keys F2
sleep 0.2
run gq person list --format csv --codes
unlike "$out" '赵六' "nothing is saved with a wrong ID number"
keys Escape
wait_for 'Throw away'
keys y
wait_for 'Search'

# Find by pinyin initials.
typ 'wxm'
sleep 0.2
s=$(screen)
like "$s" '王小明' "pinyin initials find the person"
like "$s" '1 of 1 people' "only the person found is listed"

# Record a child visit: child not seen shows its reason (show_if).
keys Enter
wait_for 'Visits, newest first'
keys F3
wait_for 'Choose the visit form'
keys 2
wait_for 'Kind of visit'
keys Tab n
wait_for 'Why the child was not seen'
like "$(screen)" 'Why the child was not seen' "a show-if question appears"
keys y
sleep 0.2
unlike "$(screen)" 'Why the child was not seen' "and disappears when the answer changes"
keys n Tab
typ '外出打工'
keys Tab y Tab
# Answer every remaining required question with its first choice: F2
# puts the cursor on the first one that is missing.
i=0
while [ $i -lt 25 ]; do
	keys F2
	screen | grep -q 'Visits, newest first' && break
	keys Enter Enter
	i=$((i + 1))
done
run gq visit list --format csv --codes
like "$out" 'child_visit' "the visit is saved"
wait_for 'Visits, newest first'
s=$(screen)
like "$s" '2026-11-28  Left-behind child and child in .*medium +2026-12-28' "the visit is in the history, by its form's title, with its risk and follow-up"
like "$s" 'Visit date +Form +Risk level +Follow-up due' "the card's visits have column heads"
like "$s" 'Birth date +2015-06-15  \(age 11\)' "the card gives the age beside the birth date"
like "$s" 'more: PgDn' "the card says it continues below the screen"

# Resize while typing keeps the text.
keys F4
wait_for 'Edit: person'
keys End
typ '乙'
$TM resize-window -x 100 -y 30 2>/dev/null || $TM resize-pane -x 100 -y 30
sleep 0.3
like "$(screen)" '王小明乙' "resizing keeps the typed text"
keys Escape y
sleep 0.2

# TERM=linux: names in pinyin, the interface in English.
keys F10 F10 F10
$TM kill-server >/dev/null 2>&1
scr_start linux en
# The Linux console's function keys differ from tmux's: use the digits.
keys 1
wait_for 'Search'
s=$(screen)
like "$s" 'Wang Xiaoming' "TERM=linux shows names in pinyin"
unlike "$s" '王' "no Chinese on the Linux console"
keys Escape
sleep 0.2
keys Escape
wait_for 'Quit'
keys y
wait_for 'EXITED=0'
like "$(screen)" 'EXITED=0' "the program quits cleanly"
run gq check
is "$rc" 0 "guanqing check passes"
finish
