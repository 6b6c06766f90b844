#!/bin/sh
# screen_person_form.sh - adding people on the screens, on the demo
# database: Tab passes by the sex and birth date the ID number filled (Up
# still reaches them); a new person starts on the register; the household
# list finds a household by its head's name in pinyin and fills the grid
# and the address; the lists are in pinyin order; a new household made
# from the person form has the person as its head; the saved person is
# chosen in the People list; members are added from the card (m) and from
# the household's form (F3); a digit picks a choice on a list field and in
# a list; typing filters a long list.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 35
GUANQING_NOW=2026-12-01T09:00:00Z
export GUANQING_NOW
GUANQING_DB=$T/demo.db
export GUANQING_DB
gq demo >/dev/null
printf '246810\n' > "$T/demo.pin"
chmod 600 "$T/demo.pin"
GUANQING_USER=陈志强
GUANQING_PIN_FILE=$T/demo.pin
export GUANQING_USER GUANQING_PIN_FILE

# The line the cursor is on: the focused field.
curline() {
	_y=$($TM display -p '#{cursor_y}')
	screen | sed -n "$((_y + 1))p"
}
# line_of REGEX: the first line of the screen matching REGEX.
line_of() { screen | grep -n -- "$1" | head -1 | cut -d: -f1; }
signin() {
	wait_for '王春梅'
	keys Down Down Enter
	wait_for 'PIN of'
	typ 246810
	keys Enter
	wait_for 'Signed in'
}

scr_start screen en
signin
keys F3
wait_for 'Search'
keys F3
wait_for 'New: person'
like "$(screen)" 'Status +active' "a new person starts on the register (active)"
typ '张新民'
keys Tab Tab
typ 411524195803121235
keys Tab
wait_for 'Birth date +1958-03-12'
like "$(curline)" 'Phone' "Tab after the ID number passes by the birth date it filled"
like "$(screen)" 'Sex +male' "the sex was filled from the ID number"
keys Up
like "$(curline)" 'Birth date' "Up goes back to the birth date"
keys Up Tab
like "$(curline)" 'Birth date' "once gone back to, Tab stops at the birth date again"
keys Tab Tab Enter
wait_for 'Find:'
s=$(screen)
a=$(line_of '陈庄组1号')
b=$(line_of '陈庄组2号')
c=$(line_of '陈庄组10号')
e=$(line_of '河口组1号')
ok "[ -n '$a' ] && [ -n '$c' ] && [ '$a' -lt '$b' ] && [ '$b' -lt '$c' ] && [ '$c' -lt '$e' ]" \
	"households are in pinyin order, numbers in their order (1号, 2号, 10号, then 河口组)"
like "$s" 'New household' "the household list offers a new household"
typ zch
wait_for '1 of'
like "$(screen)" '宋岗村王湾组10号 +周长海' "the pinyin of the head's name (zch) finds the household"
keys Enter
sleep 0.2
s=$(screen)
like "$s" 'Household +宋岗村王湾组10号' "the household is chosen"
like "$s" 'Address +宋岗村王湾组10号' "its address is the person's"
hh=$(gq household list --format csv --codes | awk -F, '$2 == "宋岗村王湾组10号" { print $1 }')
grid=$(gq household show "$hh" | sed -n 's/^Grid  *\(.*\) (.*/\1/p')
like "$s" "Grid +$grid" "and so is its grid ($grid)"
# A digit on a list field: its n-th choice, and on to the next field.
keys Tab
like "$(curline)" 'Relation' "the cursor is on the relation"
keys 4
like "$(screen)" 'Relation to head +grandchild' "the digit 4 picks the fourth relation"
like "$(curline)" 'Grid' "and the cursor goes on to the next field"
# The grids are in their order, not in the order of their bytes.
keys Enter
wait_for 'Find:'
a=$(line_of '第一网格')
b=$(line_of '第二网格')
c=$(line_of '第三网格')
ok "[ -n '$a' ] && [ '$a' -lt '$b' ] && [ '$b' -lt '$c' ]" "the grids are listed 第一, 第二, 第三"
keys Escape
keys F2
wait_for 'Saved'
wait_for '151 of 151'
like "$(screen)" '151 of 151 people' "after saving, the whole list is shown"
keys Enter
wait_for 'Categories'
like "$(screen)" 'Name +张新民' "and the new person is the one chosen (Enter opens 张新民)"
id=$(gq person list --format csv --codes | awk -F, '$2 == "张新民" { print $1 }')
like "$(gq person show "$id")" "Household +宋岗村王湾组10号" "the new person is in the household"

# m on the card: a new member of this household.
keys m
wait_for 'New: person'
like "$(screen)" 'Household +宋岗村王湾组10号' "m on the card opens a person already in the household"
typ '周小丽'
keys F2
wait_for 'Members'
sleep 0.2
like "$(screen)" '周小丽' "the card lists the new member"
m=$(gq person list --format csv --codes | awk -F, '$2 == "周小丽" { print $1 }')
like "$(gq person show "$m")" "Household +宋岗村王湾组10号" "the member is saved in the household"
like "$(gq person show "$m")" "Grid +$grid" "with the household's grid"

# F3 on the household's form adds a member too.
keys h
wait_for 'Edit: household'
keys F3
wait_for 'New: person'
like "$(screen)" 'Household +宋岗村王湾组10号' "F3 on the household's form opens a person in that household"
typ '周小刚'
keys F2
wait_for 'Edit: household'
keys Escape
wait_for 'Members'
like "$(gq person list --format csv --codes)" '周小刚' "the member added from the household's form is saved"

# A new household from the person form: address, grid, and the person as
# its head, in one save.
keys Escape
wait_for 'Search'
keys F3
wait_for 'New: person'
typ '李大成'
keys Tab
keys 1
like "$(screen)" 'Sex +male' "the digit 1 picks the first sex"
keys Tab Tab Tab Enter
wait_for 'Find:'
keys Down Enter
wait_for 'Address of the household'
typ '宋岗村新庄组1号'
keys Enter
wait_for 'Grid of the new household'
keys Down Down Enter
sleep 0.3
s=$(screen)
like "$s" 'Grid +第二网格' "the grid chosen for the household is the person's"

like "$s" 'Household +New household: 宋岗村新庄组1号' "the form shows the new household"
like "$s" 'Relation to head +head of household' "whose head the person is"
keys F2
wait_for 'Saved, with the new household'
p=$(gq person list --format csv --codes | awk -F, '$2 == "李大成" { print $1 }')
run gq household list --format csv --codes
like "$out" "宋岗村新庄组1号,$p" "the new household is saved with the person as its head"
like "$(gq person show "$p")" 'Household +宋岗村新庄组1号' "and the person is in it"
$TM kill-server >/dev/null 2>&1

# A long list filters as one types: the grades, by pinyin.
scr_start screen "" --lang zh
signin
keys F3
wait_for '查找'
typ zyh
wait_for '显示 1'
keys Enter
wait_for '对象类别'
keys F3 Enter
wait_for '走访方式'
keys Tab 1 1 1 1 1 1 Tab 1 Enter
wait_for '年级'
typ czy
sleep 0.3
s=$(screen)
like "$s" '初中一年级' "typing czy in the grade list keeps 初中一年级"
unlike "$s" '初中二年级|小学' "and no other grade"
keys Enter
sleep 0.2
like "$(screen)" '年级 \* +初中一年级' "Enter takes the grade found"
# In a list, a digit takes its choice: 2 is 患病 in the health list.
i=0
while [ $i -lt 5 ] && ! curline | grep -q '儿童健康状况'; do
	keys Tab
	i=$((i + 1))
done
keys Enter
wait_for '1 健康'
like "$(screen)" '2 患病' "the list shows the digit of each choice"
keys 2
sleep 0.2
like "$(screen)" '儿童健康状况 \* +患病' "and the digit 2 takes the second"
keys Escape
wait_for '放弃'
keys y
$TM kill-server >/dev/null 2>&1
finish
