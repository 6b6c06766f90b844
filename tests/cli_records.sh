#!/bin/sh
# cli_records.sh - the other record kinds: create, list, edit, delete and
# a refused input for each, application decisions at the county, deaths.
. "${0%/*}/lib.sh"

station_db
zs=$(gq person add --name 张三 --id-number "$(idnum 41152419800101001)")
oy=$(gq person add --name 欧阳·娜娜 --id-number "$(idnum 41152420150304002)" --category left_behind_child)
lao=$(gq person add --name 李奶奶 --id-number "$(idnum 41152419400618002)")
ok '[ -n "$zs" ] && [ -n "$oy" ] && [ -n "$lao" ]' "three people to work with"
nil=00000000-0000-0000-0000-000000000000

# crud NOUN ID FIELD=VALUE PATTERN: the record is listed, edits, deletes.
crud() {
	_noun=$1 _id=$2 _set=$3 _pat=$4
	like "$(gq "$_noun" list --format csv --codes)" "^$_id," "$_noun: the new record is listed"
	run gq "$_noun" edit "$_id" --set "$_set"
	is "$rc" 0 "$_noun: edit --set $_set succeeds"
	like "$(gq "$_noun" show "$_id")" "$_pat" "$_noun: show has the edited value"
}
gone() {
	run gq "$1" delete "$2"
	is "$rc" 0 "$1: delete succeeds"
	unlike "$(gq "$1" list --format csv --codes)" "^$2," "$1: a deleted record is not listed"
	like "$(gq dump --canonical)" "^[a-z_]+	$2	[^	]*	[^	]*	[^	]*	1	" "$1: the dump keeps it with deleted=1"
}

# ---- user ----
run gq user add --name 王网格 --role grid_worker --phone 13912345678
is "$rc" 0 "user add succeeds"
u=$out
crud user "$u" phone=13912345679 'Phone +13912345679'
want_err='Role'
refused "user add with an unknown role" gq user add --name 赵 --role emperor
want_err='Name'
refused "user add without a name" gq user add --role grid_worker

# ---- grid ----
run gq grid add --name 第一网格 --worker "$u"
is "$rc" 0 "grid add with its grid worker succeeds"
g=$out
crud grid "$g" name=宋岗一组网格 'Grid name +宋岗一组网格'
like "$(gq grid list)" '王网格' "the grid list names its worker"
want_err='.'
refused "grid add with a worker who does not exist" gq grid add --name 第二网格 --worker "$nil"

# ---- household ----
run gq household add --address 宋岗村一组12号 --grid "$g" --head "$zs" --phone 13700000001
is "$rc" 0 "household add succeeds"
h=$out
crud household "$h" address=宋岗村一组13号 'Address +宋岗村一组13号'
run gq person edit "$zs" --set household="$h" --set relation=self
is "$rc" 0 "a person can join the household as its head"
want_err='Address'
refused "household add without an address" gq household add --grid "$g"
want_err='.'
refused "household add with a head who does not exist" gq household add --address x --head "$nil"

# ---- guardian ----
run gq guardian add --person "$oy" --kind guardian --guardian-person "$lao" --relation grandparent
is "$rc" 0 "guardian add (a person in the register) succeeds"
gd=$out
run gq guardian add --person "$oy" --kind father --name 欧阳强 --phone 13700000000 --working-away yes --away-place 深圳
is "$rc" 0 "guardian add (a father working away) succeeds"
gf=$out
crud guardian "$gf" away-place=广州 'Where working +广州'
like "$(gq person show "$oy")" '欧阳强' "person show lists the child's guardians"
want_err='Phone'
refused "guardian add with a bad phone" gq guardian add --person "$oy" --kind mother --name 李芳 --phone 555
want_err='Kind'
refused "guardian add with an unknown kind" gq guardian add --person "$oy" --kind uncle --name 李芳

# ---- application (station) ----
run gq application add --person "$zs" --kind dibao --amount 300
is "$rc" 0 "application add succeeds"
a=$out
like "$(gq application list --format csv --codes)" "^$a,2026-11-28,$zs,dibao,300\\.00,submitted," "a new application is submitted today"
crud application "$a" amount=350 'Amount asked.* +350'
want_err='[Ss]tatus.*county'
refused "application add with --status approved at a station" gq application add --person "$zs" --kind dibao --status approved
want_err='county'
refused "application edit of a county-only field at a station" gq application edit "$a" --set amount-granted=300
want_err='county'
refused "application decide at a station" gq application decide "$a" --status approved
want_err='Kind'
refused "application add with an unknown kind" gq application add --person "$zs" --kind lottery
want_err='.'
refused "application add with a negative amount" gq application add --person "$zs" --kind temporary --amount -5

# ---- application decide (county) ----
county=$T/county.db
gq --db "$county" county init --division 411524 $ADMIN_OPTS >/dev/null
run gq --db "$county" person add --name 赵六 --village 411524103205
is "$rc" 0 "person add at the county with --village succeeds"
z6=$out
run gq --db "$county" person add --name 赵七
is "$rc" 1 "person add at the county without --village is refused"
run gq --db "$county" application add --person "$z6" --kind temporary --amount 500
is "$rc" 0 "application add at the county succeeds"
ca=$out
run gq --db "$county" application decide "$ca" --status approved --amount-granted 400 --reason 符合条件
is "$rc" 0 "application decide at the county succeeds"
like "$(gq --db "$county" application list --format csv --codes)" "^$ca,[^,]*,$z6,temporary,500\\.00,approved,400\\.00\$" \
	"the decided application is approved with 400.00 granted"
like "$(gq --db "$county" application show "$ca")" '符合条件' "the decision reason is kept"
run gq --db "$county" application decide "$ca" --status bogus
is "$rc" 1 "application decide with an unknown status is refused"
run gq --db "$county" application decide "$ca"
is "$rc" 2 "application decide without --status is a usage error"
gone application "$a"

# ---- facility ----
run gq facility add --kind canteen --name 宋岗老年食堂 --delivers-meals yes --capacity 40
is "$rc" 0 "facility add (a canteen that delivers meals) succeeds"
f=$out
like "$(gq facility show "$f")" 'Delivers meals +yes' "the canteen delivers meals"
crud facility "$f" capacity=60 'Capacity +60'
want_err='Kind'
refused "facility add with an unknown kind" gq facility add --kind casino --name 赌场
want_err='Capacity'
refused "facility add with a capacity that is not a number" gq facility add --kind canteen --name 食堂 --capacity many

# ---- meal ----
run gq meal add --facility "$f" --person "$lao" --meals 2 --delivered yes
is "$rc" 0 "meal add (delivered to the home) succeeds"
m=$out
crud meal "$m" meals=3 'Meals +3'
want_err='Meals'
refused "meal add without meals" gq meal add --facility "$f" --person "$lao"
want_err='.'
refused "meal add at a facility that does not exist" gq meal add --facility "$nil" --meals 1
gone meal "$m"

# ---- activity ----
run gq activity add --kind civilised_memorial --title 清明文明祭扫宣传 --date 2026-04-04 --participants 60 --leaflets 300
is "$rc" 0 "activity add (a 清明 campaign with leaflets) succeeds"
ac=$out
like "$(gq activity show "$ac")" 'Leaflets handed out +300' "the activity keeps its leaflets"
crud activity "$ac" leaflets=500 'Leaflets handed out +500'
want_err='Title'
refused "activity add without a title" gq activity add --kind outreach
want_err='Date'
refused "activity add with an impossible date" gq activity add --kind outreach --title 宣传 --date 2026-02-30
gone activity "$ac"

# ---- referral ----
run gq referral add --person "$oy" --reason 监护人重病，无人照料
is "$rc" 0 "referral of a child succeeds"
r=$out
crud referral "$r" status=accepted 'Status +accepted'
want_err='minor'
refused "referral of an adult" gq referral add --person "$zs" --reason 无人照料
want_err='Reason'
refused "referral without a reason" gq referral add --person "$oy"
gone referral "$r"

# ---- death ----
want_err='Burial'
refused "death report with an unknown burial kind" gq death add --person "$lao" --date 2026-11-20 --burial rocket
want_err='.'
refused "death report dated in the future" gq death add --person "$lao" --date 2026-12-20 --burial tree
run gq death add --person "$lao" --date 2026-11-20 --burial tree --fee-waiver yes --informant 李强 --informant-phone 13800000002
is "$rc" 0 "death report (tree burial, fee waiver asked) succeeds"
d=$out
run gq person show "$lao"
like "$out" 'Status +deceased' "person show says the person is deceased"
like "$out" 'Status date +2026-11-20' "the status date is the date of death"
crud death "$d" place=home 'Place of death +home|Place of death +[^ ]'
want_err='deceased'
refused "a new visit for a deceased person" gq visit add --person "$lao" --form elderly_visit \
	--set visit_kind=home --set elder_seen=yes --set self_care=self --set health=good \
	--set meals=family --set delivery_needed=no --set daily_check=child \
	--set check_frequency=daily --set emergency_contact_reached=yes --set next_visit=2026-12-10
gone death "$d"

# ---- the remaining deletes ----
gone guardian "$gd"
gone facility "$f"
gone household "$h"
gone grid "$g"
gone user "$u"

# A reference to a record that does not exist names the field and the id.
want_err='Field "Person": There is no person with the id abcdef\.$'
refused "an application for an unknown person" gq application add --person abcdef --kind dibao

# ---- a death: categories end, the burial kind may come later ----
gu=$(gq person add --name 顾大爷 --id-number "$(idnum 41152419380303001)" --category elderly_alone --category dibao)
gq category add --person "$gu" --category elderly_empty_nest --start-date 2020-01-01 >/dev/null
run gq death add --person "$gu" --date 2026-11-21
is "$rc" 0 "a death report without the burial kind is saved (it is completed later)"
d_gu=$out
run gq category list --person "$gu" --format csv --codes
is "$(printf '%s\n' "$out" | awk -F, 'NR > 1 && $5 == ""' | wc -l | tr -d ' ')" 0 "no category of the dead person stays open"
like "$out" 'elderly_empty_nest,2020-01-01,2026-11-21' "a category ends on the day of death"
like "$out" 'dibao,2026-11-28,2026-11-28' "one registered after the death ends the day it starts"
run gq death edit "$d_gu" --set burial_kind=tree
is "$rc" 0 "the burial kind is completed later"
refused "a second death report for the same person" gq death add --person "$gu" --date 2026-11-22
refused "a visit to a person recorded as deceased" gq visit add --person "$gu" --form elderly_visit

finish
