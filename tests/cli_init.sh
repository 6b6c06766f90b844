#!/bin/sh
# cli_init.sh - making county and station databases, help, version, usage
# errors and the database file itself.
. "${0%/*}/lib.sh"

# ---- county ----
county=$T/county.db
run gq --db "$county" county init --division 411524 $ADMIN_OPTS
is "$rc" 0 "county init --division 411524 --admin NAME succeeds"
like "$out" '商城县' "county init names 商城县"
is "$(gq --db "$county" station init --village 411524103205 >/dev/null 2>&1; echo $?)" 1 \
	"a county database cannot be made a station"

run gq --db "$T/county2.db" county init --division 411525 $ADMIN_OPTS
is "$rc" 1 "county init with another county's code is refused"
like "$err" '411525' "the message names the refused code"

run gq --db "$T/county3.db" county init --division 41152x $ADMIN_OPTS
is "$rc" 1 "county init with a malformed code is refused"
like "$err" '41152x' "the message names the malformed code"

snap=$(gq --db "$county" dump --canonical | cksum)
run gq --db "$county" county init --division 411524 $ADMIN_OPTS
is "$rc" 1 "county init twice is refused"
like "$err" 'already initiali[sz]ed' "the message says the database is already initialised"
is "$(gq --db "$county" dump --canonical | cksum)" "$snap" "the second county init wrote nothing"

run gq county init
is "$rc" 2 "county init without --division is a usage error"

# ---- station ----
run gq station init --village 411524103205
is "$rc" 0 "station init --village 411524103205 succeeds"
like "$out" '宋岗村' "station init names 宋岗村"
like "$out" '411524103205' "station init repeats the village code"
ok '[ -f "$GUANQING_DB" ]' "the station database file exists"
mode=$(stat -c %a "$GUANQING_DB" 2>/dev/null || stat -f %Lp "$GUANQING_DB")
is "$mode" 600 "the database file has mode 0600"
like "$(gq dump --canonical)" '^station	' "the dump has the station row"

run gq station init --village 411524103205
is "$rc" 1 "station init twice is refused"
like "$err" 'already initiali[sz]ed' "the message says the database is already initialised"

run gq --db "$T/town.db" station init --village 411524103
is "$rc" 1 "station init with a town code is refused"
like "$err" '411524103' "the message names the town code"

run gq --db "$T/unknown.db" station init --village 411524999999
is "$rc" 1 "station init with an unknown village code is refused"
like "$err" '411524999999' "the message names the unknown code"

run gq --db "$T/other.db" station init --village 411525103205
is "$rc" 1 "station init with a village of another county is refused"

run gq station init
is "$rc" 2 "station init without --village is a usage error"

# ---- villages ----
run gq villages --format csv
is "$rc" 0 "villages succeeds"
is "$(printf '%s\n' "$out" | sed 1d | wc -l | tr -d ' ')" 378 "villages lists 378 villages"
like "$out" '^411524103205,宋岗村' "the list has 宋岗村"
like "$out" 'urban community' "urban communities are told apart"
like "$out" 'rural village' "rural villages are told apart"
run gq villages --town 411524103 --format csv
like "$out" '^411524103205,' "villages --town lists the town's villages"
unlike "$out" '^411524001' "villages --town leaves out other towns"

# ---- help, version, usage errors ----
run gq --help
is "$rc" 0 "--help exits 0"
like "$out" 'Usage: guanqing' "--help prints the usage"
like "$out" 'county init --division' "--help lists county init"
like "$out" 'person search' "--help lists person search"
is "$err" "" "--help writes nothing on stderr"

run gq --version
is "$rc" 0 "--version exits 0"
like "$out" '^guanqing [0-9]+\.[0-9]+' "--version prints the name and version"

run gq person --help
is "$rc" 0 "person --help exits 0"
like "$out" '--id-number' "person --help lists --id-number"
run gq visit --help
like "$out" '--form' "visit --help lists --form"
run gq application --help
like "$out" 'county only' "application --help marks the county-only fields"
run gq county init --help
is "$rc" 0 "county init --help exits 0"
like "$out" '--division' "county init --help names --division"

run gq frobnicate
is "$rc" 2 "an unknown command exits 2"
like "$err" 'frobnicate' "the message names the unknown command"
run gq --frobnicate person list
is "$rc" 2 "an unknown global option exits 2"
run gq person frobnicate
is "$rc" 2 "an unknown action exits 2"
run gq person list --frobnicate 1
is "$rc" 2 "an unknown option exits 2"
run gq person list --format xml
is "$rc" 2 "an unknown --format exits 2"

# ---- missing or uninitialised database ----
run gq --db "$T/missing.db" person list
is "$rc" 1 "a missing database exits 1"
like "$err" 'missing\.db.*(does not exist|not found)' "the message names the missing database"
ok '[ ! -e "$T/missing.db" ]' "listing does not create the missing database"
run env GUANQING_DB="$T/missing.db" "$GUANQING" check
is "$rc" 1 "GUANQING_DB naming a missing database exits 1"
run env -u GUANQING_DB XDG_DATA_HOME="$T/xdg" "$GUANQING" check
is "$rc" 1 "the default database under XDG_DATA_HOME, missing, exits 1"
like "$err" "$T/xdg/guanqing/guanqing.db" "the message names the default database path"

finish
