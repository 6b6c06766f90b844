#!/bin/sh
# Users and roles on the screens, on the demo database (every demo user's
# PIN is 246810): a wrong PIN is refused with its message and the right
# one signs in; a grid worker is offered neither Export nor the Users
# screen and their keys change nothing; the station admin adds a user and
# sets their PIN, and that user signs in on the command line; a field
# changed on the card shows in its history with who changed it; the
# people list masks ID numbers; the idle lock keeps the typed text.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 26
GUANQING_DB=$T/demo.db
gq demo >/dev/null 2>&1 || echo "Bail out! demo failed"
printf '246810\n' > "$T/demo.pin"
chmod 600 "$T/demo.pin"
# The command line signs in as the demo's admin; the screens ignore these.
GUANQING_USER=陈志强
GUANQING_PIN_FILE=$T/demo.pin
GUANQING_MEDIA=$T/stick
mkdir -p "$GUANQING_MEDIA"
export GUANQING_DB GUANQING_USER GUANQING_PIN_FILE GUANQING_MEDIA
# The wait after a wrong PIN runs on the real clock in the screens.
NOW_FIXED=$GUANQING_NOW
GUANQING_NOW=

# Users by name: 余晓燕, 李建军, 王春梅, 陈志强.
scr_start screen en
keys Down Down Enter
wait_for 'PIN of'
typ 111111
keys Enter
wait_for 'Wrong PIN'
like "$(screen)" 'Wrong PIN for 王春梅; 4 tries left' "a wrong PIN is refused, saying the tries left"
unlike "$(screen)" '111111' "the PIN is not shown"
sleep 1.2
typ 246810
keys Enter
wait_for 'Signed in'
s=$(screen)
like "$s" 'Signed in: 王春梅 \(grid worker\)' "the right PIN signs the grid worker in"
unlike "$s" 'Users' "a grid worker is not offered the Users screen"
keys F9
sleep 0.2
s=$(screen)
like "$s" 'Guanqing  Home' "F9 leaves the grid worker on Home"
like "$s" 'grid worker.*may not' "and says why"

# Signing out on a shared PC: the next user signs in without quitting.
keys o
wait_for 'Who is working'
like "$(screen)" 'Signed out' "o on Home signs out to the sign-in screen"
keys Down Down Down Enter
wait_for 'PIN of'
typ 246810
keys Enter
wait_for 'Signed in'
like "$(screen)" 'Signed in: 陈志强 \(station admin\)' "another user signs in after signing out"
like "$(screen)" 'Users' "and gets what the station admin may do"
keys o
wait_for 'Who is working'
keys Down Down Enter
wait_for 'PIN of'
typ 246810
keys Enter
wait_for 'Signed in'
snapshot
keys 6
wait_for 'Last USB exchange'
s=$(screen)
unlike "$s" 'Export' "the Sync screen offers a grid worker no Export"
keys F3
sleep 0.3
keys F4
sleep 0.3
ok '[ -z "$(ls -A "$GUANQING_MEDIA")" ]' "F3 writes nothing to the stick"
unchanged "F3 and F4 change nothing in the database"
keys Escape
sleep 0.2
keys Escape
wait_for 'Quit'
keys y
wait_for 'EXITED=0'

# The station admin adds a user and sets the PIN.
scr_start screen en
keys Down Down Down Enter
wait_for 'PIN of'
typ 246810
keys Enter
wait_for 'Signed in'
keys F9
wait_for 'Users \('
like "$(screen)" 'Users \(4\)' "the admin sees the Users screen"
keys F3
wait_for 'New: user'
typ '周小红'
keys Tab Enter
sleep 0.2
s=$(screen)
like "$s" 'station admin' "the role chooser offers the station's roles"
unlike "$s" 'county (staff|admin)' "and no role of the county"
keys Enter
sleep 0.2
keys F2
wait_for 'Users \(5\)'
like "$(screen)" '周小红 +grid worker +no PIN' "the new user is listed without a PIN"
# 余晓燕, 周小红, ...
keys Down F5
wait_for 'New PIN for 周小红'
typ 111111
keys Enter
wait_for 'too easy'
like "$(screen)" 'too easy to guess' "an easy PIN is refused with its message"
typ 135790
keys Enter
wait_for 'same PIN again'
typ 135790
keys Enter
wait_for 'is set'
like "$(screen)" '周小红 +grid worker +PIN set +enabled' "the PIN is set and the user reads as enabled"
printf '135790\n' > "$T/new.pin"
run env GUANQING_NOW=$NOW_FIXED "$GUANQING" --user 周小红 --pin-file "$T/new.pin" person list
is "$rc" 0 "the new user signs in on the command line"

# The history of a person changed on the card; masked ID numbers.
line=$(env GUANQING_NOW=$NOW_FIXED "$GUANQING" person list --format csv --codes | awk -F, 'NR > 1 && length($5) == 18 { print; exit }')
name=$(echo "$line" | cut -d, -f2)
idn=$(echo "$line" | cut -d, -f5)
keys Escape
sleep 0.2
keys F3
wait_for 'Search'
typ "$name"
sleep 0.3
s=$(screen)
like "$s" "${idn%??????????????}\*{10}${idn#??????????????}" "the people list masks the ID number"
unlike "$s" "$idn" "and does not show it whole"
keys Enter
wait_for 'Visits, newest first'
like "$(screen)" "$idn" "the card shows the whole ID number"
keys F4
wait_for 'Edit: person'
keys End
typ '乙'
keys F2
wait_for 'Visits, newest first'
keys H
wait_for 'History of'
like "$(screen)" "陈志强 +Name .*-> ${name}乙" "the history shows who changed which field to what"
keys F10 F10 F10 F10
$TM kill-server >/dev/null 2>&1

# The idle lock keeps what was typed.
GUANQING_LOCK_SECONDS=3
export GUANQING_LOCK_SECONDS
scr_start screen en
keys Down Down Enter
wait_for 'PIN of'
typ 246810
keys Enter
wait_for 'Signed in'
keys F3
wait_for 'Search'
typ wang
sleep 4
wait_for 'Locked'
s=$(screen)
like "$s" 'Locked after a time without keys' "the screens lock after the idle time"
unlike "$s" 'wang' "and hide what is open"
typ 246810
keys Enter
wait_for 'Search'
like "$(screen)" 'Search: +wang' "the PIN unlocks and the typed text is kept"
$TM kill-server >/dev/null 2>&1
finish
