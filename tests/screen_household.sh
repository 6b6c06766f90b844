#!/bin/sh
# Households from the person card: a new household made with h is linked
# to the person in the same save; the card lists the household and its
# other members; a new person's categories are saved with the person.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 12
station_db
WANG=$(gq person add --name 王小明 --id-number "$(idnum 41152419800101001)")

scr_start screen en
keys F3
wait_for 'Search'
typ 'wxm'
wait_for '1 of 1 people'
keys Enter
wait_for 'Household \(h'
like "$(screen)" 'Household \(h.*' "the card has a household section"

# h on a person without a household: a new household, linked on save.
keys h
wait_for 'New: household'
like "$(screen)" 'Address \*' "h opens the household form"
typ '宋岗村河口组8号'
keys Tab Tab Tab
typ '13812345678'
keys F2
wait_for 'Saved'
run gq household list --format csv --codes
like "$out" '宋岗村河口组8号,,13812345678' "the household is saved"
HH=$(printf '%s\n' "$out" | awk -F, '/河口组8号/ { print $1 }')
run gq person show "$WANG"
like "$out" "Household +宋岗村河口组8号 \\($HH\\)" "and the person belongs to it"
wait_for '河口组8号'
like "$(screen)" 'Address +宋岗村河口组8号' "the card shows the household's address"

# A member added on the command line is listed on the card.
gq person add --name 王小芳 --household "$HH" --relation child --birth 2014-05-06 >/dev/null
keys Escape
wait_for 'Search'
keys Enter
wait_for 'Members'
like "$(screen)" '王小芳 +child +2014-05-06  active' "the card lists the other members with their status"

# h on a person with a household edits it.
keys h
wait_for 'Edit: household'
like "$(screen)" 'Edit: household' "h edits the household the person has"
keys Escape
wait_for 'Members'

# A new person with two categories, in one save.
keys Escape
wait_for 'Search'
keys F3
wait_for 'New: person'
typ '李乙'
i=0
while [ $i -lt 13 ]; do keys Tab; i=$((i + 1)); done
like "$(screen)" 'Categories' "the new person form has categories"
keys Enter
wait_for 'Space marks'
keys Space Down Space Enter
wait_for 'left-behind child, child in dif'
like "$(screen)" 'Categories +left-behind child, child in dif' "the chosen categories are shown"
keys F2
wait_for 'Saved'
LI=$(gq person list --format csv --codes | awk -F, '/李乙/ { print $1 }')
run gq category list --format csv --codes
is "$(printf '%s\n' "$out" | grep -c "$LI")" 2 "the person's two categories are saved"
like "$out" "$LI,left_behind" "with their codes"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"
finish
