#!/bin/sh
# cli_death.sh - a death report's cause and certificate number; a death is
# not a visit; an application's household figures, the income a person
# computed from them, and the refusals of wrong figures; the county's
# decision shows the case; --help says all of it; a database of schema
# version 8 is migrated and passes check.
. "${0%/*}/lib.sh"

plan 91
station_db
liu=$(gq person add --name 刘德胜 --id-number "$(idnum 41152419400203001)" --category disability)
zzh=$(gq person add --name 张振华 --id-number "$(idnum 41152419580312123)")
# Records made before the new fields, kept in a copy for the migration.
gu=$(gq person add --name 顾大爷 --id-number "$(idnum 41152419380303001)")
gq death add --person "$gu" --date 2026-11-21 >/dev/null
a0=$(gq application add --person "$zzh" --kind dibao --amount 300)
cp "$GUANQING_DB" "$T/old.db"

# ---- the death report ----
want_err='Cause of death'
refused "a death report with an unknown cause" gq death add --person "$liu" --date 2026-11-20 --cause rocket
want_err='Field "Death certificate number": "出生证" may hold only letters, digits and "-"\.'
refused "a certificate number with Chinese characters" gq death add --person "$liu" --date 2026-11-20 --certificate-no 出生证
want_err='Field "Death certificate number": Q1 has 2 characters; it should have 4 to 30\.'
refused "a certificate number too short" gq death add --person "$liu" --date 2026-11-20 --certificate-no Q1
want_err='只能填写字母、数字和“-”'
refused "the refusal in Chinese" gq --lang zh death add --person "$liu" --date 2026-11-20 --certificate-no 出生证
like "$(gq person show "$liu")" 'Status +active' "after the refusals the person is alive"
run gq death add --person "$liu" --date 2026-11-20 --cause illness --certificate-no 'Q4115 2026-00123'
is "$rc" 0 "a death report with its cause and certificate number is saved"
d=$out
run gq death show "$d"
like "$out" 'Cause of death +illness' "show gives the cause"
like "$out" 'Death certificate number +Q41152026-00123' "and the certificate number, the spaces dropped"
like "$(gq --lang zh death show "$d")" '死亡原因 +疾病' "in Chinese too"
like "$(gq death list --format csv --codes)" "^$d,2026-11-20,$liu,illness," "the list has the cause"
run gq death edit "$d" --set cause=old_age
is "$rc" 0 "the cause can be corrected"
like "$(gq death show "$d")" 'Cause of death +old age' "and is"
want_err='A death report for this person already exists'
refused "a second death report for a dead person" gq death add --person "$liu" --date 2026-11-21
want_err='deceased'
refused "an application for a dead person" gq application add --person "$liu" --kind dibao

# A death is not a visit: the death form is not offered by visit add.
want_err='A death is not recorded as a visit: use the death report, "guanqing death add'
refused "visit add with the death form" gq visit add --person "$zzh" --form death_report \
	--set death_date=2026-11-20
want_err='死亡不作为走访登记'
refused "and in Chinese" gq --lang zh visit add --person "$zzh" --form death_report

# ---- the application for assistance ----
run gq application add --person "$zzh" --kind dibao --amount 480 --household-size 3 --income 1000 \
	--houses 1 --vehicles 0 --savings 2000 --apply-reason 因病致贫，老伴长期住院 --bank 商城农商银行 \
	--account '6228 4801 2345 6789 012'
is "$rc" 0 "an application with the household's figures is saved"
a=$out
run gq application show "$a"
like "$out" 'Household size +3' "show gives the household size"
like "$out" 'Monthly income \(yuan\) +1000\.00' "its income"
like "$out" 'Per person a month \(yuan\) +333\.33' "the income a person, computed"
like "$out" 'Houses owned +1' "the houses"
like "$out" 'Vehicles owned +0' "the vehicles"
like "$out" 'Savings \(yuan\) +2000\.00' "the savings"
like "$out" 'Reason for applying +因病致贫，老伴长期住院' "the reason"
like "$out" 'Payment account +6228480123456789012' "and the account, its digits"
gq application edit "$a" --set household_size=4 >/dev/null
like "$(gq application show "$a")" 'Per person a month \(yuan\) +250\.00' "a new household size computes the income a person again"
gq application edit "$a" --income 1001 >/dev/null
like "$(gq application show "$a")" 'Per person a month \(yuan\) +250\.25' "and so does a new income"
like "$(gq --lang zh application show "$a")" '人均月收入（元） +250\.25' "in Chinese: 人均月收入"

want_err='Field "Household size": 0 is less than 1'
refused "a household of 0" gq application add --person "$zzh" --kind dibao --household-size 0
want_err='Household size'
refused "a household of 2.5" gq application add --person "$zzh" --kind dibao --household-size 2.5
want_err='Field "Monthly income \(yuan\)": -5 is less than 0\.00'
refused "a negative income" gq application add --person "$zzh" --kind dibao --income -5
want_err='Savings'
refused "negative savings" gq application add --person "$zzh" --kind dibao --savings -1
want_err='Houses owned'
refused "a negative number of houses" gq application add --person "$zzh" --kind dibao --houses -1
want_err='Field "Payment account": "6228-48" may hold only digits\.'
refused "an account with a dash" gq application add --person "$zzh" --kind dibao --account 6228-48
want_err='Field "Payment account": 12345 has 5 characters; it should have 10 to 30\.'
refused "an account too short" gq application add --person "$zzh" --kind dibao --account 12345
want_err='Field "Per person a month \(yuan\)" is set by the program and cannot be typed\.'
refused "the income a person typed" gq application add --person "$zzh" --kind dibao --income-per-person 100
want_err='只能填写数字'
refused "the account refusal in Chinese" gq --lang zh application add --person "$zzh" --kind dibao --account 12ab567890

# ---- --help ----
run gq death add --help
like "$out" 'recorded as deceased on --date' "death add --help says what the report does"
like "$out" '--certificate-no +Death certificate number' "and lists the certificate number"
like "$out" '--cause +Cause of death: illness old_age' "and the causes"
run gq application add --help
like "$out" 'household-size 3 --income 1200' "application add --help has an example with the figures"
like "$out" '--account +Payment account' "and lists the account"
run env LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$GUANQING" --lang zh death add --help
like "$out" '报告一人死亡' "death add --help in Chinese"

# ---- the county decides on the case ----
county=$T/county.db
gq --db "$county" county init --division 411524 $ADMIN_OPTS >/dev/null
zx=$(gq --db "$county" person add --name 周秀英 --village 411524103206)
ca=$(gq --db "$county" application add --person "$zx" --kind tekun --household-size 1 --income 260 \
	--apply-reason 无劳动能力，无赡养人 --account 6228480123456789013)
run gq --db "$county" application decide "$ca" --status approved --amount-granted 520
is "$rc" 0 "the county decides"
like "$out" 'is now approved' "decide says what was done"
like "$out" 'Person +周秀英' "and shows the applicant"
like "$out" 'Village +411524103206 王店村' "the village"
like "$out" 'Per person a month \(yuan\) +260\.00' "and the figures decided on"

# ---- a database of schema version 8 ----
log_as_v9 "$T/old.db"
sqlite3 "$T/old.db" "ALTER TABLE death_report DROP COLUMN cause; ALTER TABLE death_report DROP COLUMN certificate_no;
	ALTER TABLE application DROP COLUMN household_size; ALTER TABLE application DROP COLUMN income_month;
	ALTER TABLE application DROP COLUMN income_per_person; ALTER TABLE application DROP COLUMN houses;
	ALTER TABLE application DROP COLUMN vehicles; ALTER TABLE application DROP COLUMN savings;
	ALTER TABLE application DROP COLUMN apply_reason; ALTER TABLE application DROP COLUMN bank_name;
	ALTER TABLE application DROP COLUMN bank_account; PRAGMA user_version = 8"
is "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" 8 "the old database is at version 8"
run "$GUANQING" --db "$T/old.db" check
is "$rc" 0 "check passes on the migrated database"
is "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" 13 "it is migrated to version 13"
like "$(gq --db "$T/old.db" person show "$gu")" 'Status +deceased' "its records are kept"
like "$(gq --db "$T/old.db" application show "$a0")" 'Amount asked \(yuan\) +300\.00' "its application too"
run gq --db "$T/old.db" application edit "$a0" --household-size 2 --income 1001
is "$rc" 0 "the new fields can be filled in on it"
like "$(gq --db "$T/old.db" application show "$a0")" 'Per person a month \(yuan\) +500\.50' "and the income a person is computed"
run gq --db "$T/old.db" death edit "$(gq --db "$T/old.db" death list --format csv --codes | awk -F, 'NR == 2 { print $1 }')" \
	--cause old_age --certificate-no Q4115202600077
is "$rc" 0 "and the cause and certificate of a death reported before"
run "$GUANQING" --db "$T/old.db" check
is "$rc" 0 "check still passes"
finish
