#!/bin/sh
# cli_help.sh - the command table: every command's --help says what it
# does and gives an example; what each command needs is opened once
# before it runs; villages without a database and by a town's name; the
# messages of enrolment, set-up and decisions say what was done.
. "${0%/*}/lib.sh"
. "${0%/*}/sync_lib.sh"

# ---- COMMAND --help ----
for c in county station villages form check dump demo config history export import \
	conflicts stations summary report ui kit backup restore doctor; do
	run gq "$c" --help
	is "$rc" 0 "$c --help exits 0"
	like "$out" "guanqing \\[?$c" "$c --help prints its usage"
	like "$out" 'Example: guanqing' "$c --help gives an example"
	is "$err" "" "$c --help writes nothing on stderr"
done
run gq export --help
like "$out" 'compressed' "export --help says what a bundle is"
like "$out" '--to DIR' "export --help names --to"
run gq import --help
like "$out" 'already read is skipped' "import --help says a bundle is read once"

# ---- NOUN VERB --help ----
run gq application decide --help
is "$rc" 0 "application decide --help exits 0"
like "$out" 'amount-granted 300' "application decide --help gives an example"
run gq user pin --help
like "$out" 'asked twice' "user pin --help says the PIN is asked twice"
run gq person search --help
like "$out" 'pinyin' "person search --help says pinyin is searched"
run gq visit add --help
like "$out" '--set QUESTION=ANSWER' "visit add --help shows the answers"
like "$out" '--person' "visit add --help lists the fields too"
run gq grid list --help
like "$out" '--format table\|csv\|json' "a generic list --help names the formats"
unlike "$out" '--category' "grid list --help does not offer person filters"

# The Chinese help.
run env LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$GUANQING" --lang zh export --help
like "$out" '示例：guanqing export' "export --help in Chinese gives an example"

# ---- villages: without a database, by a town's name ----
rm -f "$GUANQING_DB"
run gq villages --format csv
is "$rc" 0 "villages without a database succeeds"
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 378 "villages without a database lists 378 villages"
ok '[ ! -e "$GUANQING_DB" ]' "villages makes no database"
run gq villages --town 双椿铺镇 --format csv
is "$rc" 0 "villages --town by name succeeds"
like "$out" '宋岗村' "双椿铺镇 has 宋岗村"
unlike "$out" '东街社区' "双椿铺镇 has no 东街社区 (赤城街道)"
n_name=$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')
run gq villages --town 411524103 --format csv
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" "$n_name" "the town by code gives the same villages"
run gq villages --town 不存在镇
is "$rc" 1 "an unknown town is refused"
like "$err" '不存在镇' "the refusal names the town"
gq station init --village 411524103205 >/dev/null 2>&1
run gq villages --town 双椿铺镇 --format csv
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" "$n_name" \
	"with a database, the same villages of 双椿铺镇"

# ---- enrolment, set-up and decisions say what was done ----
county_init
mkdir -p "$T/setup/a" "$T/setup/b" "$T/setup/c"
run gqc county enroll --village 411524103205 --out "$T/setup/a" --passphrase-file "$T/a.pass"
is "$rc" 0 "county enroll succeeds"
like "$out" '宋岗村' "the enrolment names the village"
setup=$(ls "$T/setup/a"/*.gqsetup)
run gqs a station init --setup "$setup" --passphrase-file "$T/a.pass" $ADMIN_OPTS
is "$rc" 0 "station init --setup succeeds"
like "$out" 'no longer needed' "station init says the setup file can be removed"
ok '[ -f "$setup" ]' "the setup file is left without --remove-setup"
run gqc county enroll --village 411524103206 --out "$T/setup/b" --passphrase-file "$T/b.pass"
setup=$(ls "$T/setup/b"/*.gqsetup)
run gqs b station init --setup "$setup" --passphrase-file "$T/b.pass" --remove-setup $ADMIN_OPTS
is "$rc" 0 "station init --setup --remove-setup succeeds"
ok '[ ! -e "$setup" ]' "--remove-setup removes the setup file"
like "$out" 'was removed' "and says so"

# A wrong passphrase from a file is refused once, naming the file, and
# makes no database.
run gqc county enroll --village 411524103207 --out "$T/setup/c" --passphrase-file "$T/c.pass"
setup=$(ls "$T/setup/c"/*.gqsetup)
printf 'wrong wrong wrong\n' >"$T/wrong.pass"
run gqs c station init --setup "$setup" --passphrase-file "$T/wrong.pass" $ADMIN_OPTS
is "$rc" 1 "a wrong passphrase is refused"
like "$err" 'passphrase does not open' "the refusal says the passphrase is wrong"
ok '[ ! -e "$T/c.db" ]' "no database is left behind"

# The command table opens what a command needs once: a usage error of a
# verb comes before any sign-in.
run env GUANQING_USER= GUANQING_PIN_FILE= "$GUANQING" --db "$C" person search
is "$rc" 2 "person search without TEXT is a usage error before signing in"
run env GUANQING_USER= GUANQING_PIN_FILE= "$GUANQING" --db "$C" person list
is "$rc" 1 "person list on a protected database asks who signs in"
like "$err" 'protected by PINs' "and says so"

done_testing
