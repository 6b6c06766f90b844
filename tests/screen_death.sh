#!/bin/sh
# The death report and the application for assistance on the screens.
# F9 on the card opens the death report, whose title names the person;
# saving asks first, naming the person (in English and in Chinese); No
# leaves the person alive; Yes records them deceased, shown so in their
# household, and the card no longer offers visits or applications; F9
# again opens the same report; the visit form chooser has no death form.
# The child visit form starts with the guardian's relation recorded. An
# application's figures are typed, the income a person is computed and
# shown, and the county's decision screen shows the case.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/screen_lib.sh"

plan 37
station_db
HH=$(gq household add --address 宋岗村李岗组1号)
LIU=$(gq person add --name 刘德胜 --id-number "$(idnum 41152419400203001)" --household "$HH" --relation self \
	--category disability)
YU=$(gq person add --name 刘小雨 --id-number "$(idnum 41152420160905002)" --household "$HH" --relation grandchild \
	--category left_behind_child)
gq guardian add --person "$YU" --kind guardian --name 胡英 --relation grandparent --phone 13900000001 >/dev/null
ZZH=$(gq person add --name 张振华 --id-number "$(idnum 41152419580312123)")

# open_card PINYIN: from Home, the card of the one person found.
open_card() {
	keys F3
	wait_for 'Search'
	typ "$1"
	wait_for '1 of 1 people'
	keys Enter
	wait_for 'Household \(h'
}

scr_start screen en
open_card lds
keys F9
wait_for 'New: death report'
like "$(screen)" 'New: death report for 刘德胜' "the death report's title names the person"
typ 2026-11-20
keys Tab Enter
wait_for 'in hospital'
keys Down Enter
keys Tab Enter
wait_for 'illness'
keys Enter Tab
typ 'Q41152026 00123'
keys F2
wait_for 'deceased'
like "$(screen)" 'Record 刘德胜 as deceased \(died 2026-11-20\)\?' "saving asks first, naming the person and the day"
keys n
wait_for 'Not saved'
like "$(screen)" 'New: death report for 刘德胜' "No keeps the form open"
like "$(gq person show "$LIU")" 'Status +active' "and the person is still alive"
is "$(gq death list --format csv --codes | wc -l | tr -d ' ')" 1 "no death report is saved"
keys F2
wait_for 'deceased \(died'
keys y
wait_for 'Saved'
s=$(screen)
like "$s" 'Status +deceased' "Yes records the person deceased"
like "$(gq death list --format csv --codes)" "$LIU,illness,,0" "the report is saved with its cause"
like "$(gq death show "$(gq death list --format csv --codes | awk -F, 'NR == 2 { print $1 }')")" \
	'Death certificate number +Q41152026-?00123|Death certificate number +Q4115202600123' "and the certificate number, spaces dropped"
last=$(printf '%s\n' "$s" | tail -n 2)
unlike "$last" 'F3|F7|F8' "the card of a dead person offers no visit, application or referral"
like "$last" 'F9' "but still its death report"
keys F3
wait_for 'no new visits'
like "$(screen)" '刘德胜 is recorded as deceased: no new visits' "F3 says why there is no visit"
keys F7
unlike "$(screen)" 'New: application' "F7 opens no application"
keys F9
wait_for 'Edit: death report'
like "$(screen)" 'Edit: death report for 刘德胜' "F9 again opens the same report, not a second"
like "$(screen)" 'Cause of death +illness' "with what was recorded"
keys Escape
wait_for 'Household \(h'
keys Escape
wait_for 'Search'
keys F10
wait_for 'Home'

# The household: the dead member is shown deceased on the child's card.
open_card lxy
like "$(screen)" '刘德胜 +head of household +1940-02-03  deceased' "the household shows the dead member deceased"
# The form chooser has no death form; the child form knows the guardian.
keys F3
wait_for 'Choose the visit form'
s=$(screen)
unlike "$s" 'Death and funeral' "the visit form chooser offers no death form"
like "$s" 'Left-behind' "the child form is offered first"
keys Enter
wait_for 'Who actually looks after'
like "$(screen)" 'Who actually looks after.* +Grandparent' \
	"the guardian's relation is filled from the guardian recorded"
keys Escape
wait_for 'Throw away'
keys y
wait_for 'Household \(h'
keys Escape
wait_for 'Search'
keys F10
wait_for 'Home'

# An application: the figures typed, the income a person computed.
open_card zzh
keys F7
wait_for 'New: application'
like "$(screen)" 'New: application for 张振华' "the application's title names the applicant"
keys Enter
wait_for 'minimum living allowance'
keys Enter
keys Tab Tab Tab
typ 3
keys Tab
typ 1000
keys Tab
wait_for '333\.33'
like "$(screen)" 'Per person a month \(yuan\) +333\.33' "the income a person is computed and shown"
typ x
like "$(screen)" 'computed by the program' "and cannot be typed"
keys Tab
typ 1
keys Tab
typ 0
keys Tab
typ 2000
keys Tab
typ 因病致贫
keys Tab
typ 商城农商银行
keys Tab
typ 12ab
keys Tab
wait_for 'only digits'
like "$(screen)" 'may hold only digits' "an account with letters is refused when left"
keys BSpace BSpace BSpace BSpace
typ '6228 4801 2345 6789 012'
keys F2
wait_for 'Saved'
run gq application show "$(gq application list --format csv --codes | awk -F, 'NR == 2 { print $1 }')"
like "$out" 'Household size +3' "the household size is saved"
like "$out" 'Per person a month \(yuan\) +333\.33' "with the income a person"
like "$out" 'Payment account +6228480123456789012' "and the account's digits"
$TM kill-server >/dev/null 2>&1

# In Chinese the question names the person too.
open_card_zh() {
	keys F3
	wait_for '查找'
	typ "$1"
	wait_for '1 / 1 人'
	keys Enter
	wait_for '家庭户'
}
gq death delete "$(gq death list --format csv --codes | awk -F, 'NR == 2 { print $1 }')"
scr_start screen "" --lang zh
open_card_zh lds
keys F9
wait_for '新建'
typ 2026-11-21
keys F2
wait_for '已故'
like "$(screen)" '将刘德胜登记为已故（死亡日期 2026-11-21）吗？' "the question is in Chinese"
keys y
wait_for '已保存'
like "$(screen)" '状态 +已故' "the card says 已故"
$TM kill-server >/dev/null 2>&1
run gq check
is "$rc" 0 "guanqing check passes"

# The county decides on the case: the applicant, village and figures.
C=$T/county.db
gq --db "$C" county init --division 411524 $ADMIN_OPTS >/dev/null
ZX=$(gq --db "$C" person add --name 周秀英 --village 411524103206 --id-number "$(idnum 41152419620708002)")
gq --db "$C" application add --person "$ZX" --kind dibao --amount 480 --household-size 4 --income 1000 \
	--houses 1 --vehicles 0 --savings 3000 --apply-reason 丈夫病故，子女上学 --bank 商城农商银行 \
	--account 6228480123456789012 >/dev/null
GUANQING_DB=$C
export GUANQING_DB
scr_start screen en
keys Enter
wait_for 'PIN of'
typ "$(cat "$ADMIN_PIN")"
keys Enter
wait_for 'county office'
keys F4
wait_for 'The case'
s=$(screen)
like "$s" 'Applicant: 周秀英 +Village: 王店村' "the decision screen shows the applicant and the village"
like "$s" 'Amount asked \(yuan\): 480\.00 +Household size: 4' "the household's size"
like "$s" 'Monthly income \(yuan\): 1000\.00 +Per person a month \(yuan\): 250\.00' \
	"its income and the income a person"
like "$s" 'Houses owned: 1 +Vehicles owned: 0' "the house and vehicles"
like "$s" 'Savings \(yuan\): 3000\.00' "the savings"
like "$s" 'Reason for applying: 丈夫病故，子女上学' "the reason"
like "$s" 'Payment bank: 商城农商银行 +Payment account: 6228480123456789012' "and the account for payment"
keys a
wait_for 'Amount granted'
like "$(screen)" 'Approve the application of 周秀英' "the decision names the applicant"
typ 450
keys Enter
wait_for 'Approved'
like "$(gq --db "$C" application list --format csv --codes)" 'approved,450\.00' "the decision is saved"
finish
