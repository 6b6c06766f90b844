#!/bin/sh
# cli_demo.sh - the demo comes with its county: "demo" makes a demo county
# database beside the station's, with the station enrolled in it through a
# real setup file, and export at the station and import at the county work
# with nothing more given than the users and their PIN.
. "${0%/*}/lib.sh"

plan 16

demo=$T/demo.db
county=$T/demo-county.db
printf '246810\n' > "$T/demo.pin"
run gq --db "$demo" demo
is "$rc" 0 "demo succeeds"
ok '[ -f "$county" ]' "demo makes the county database demo-county.db beside the station's"
like "$out" "guanqing --db $county ui" "demo says the command that opens the county"
is "$(stat -c %a "$county")" 600 "the county database has mode 0600"
is "$(find "$T/demo-stick" -name '*.gqsetup' | wc -l | tr -d ' ')" 0 \
	"the setup file the station was made from is not left in the stick folder"

st() { gq --db "$demo" --user 陈志强 --pin-file "$T/demo.pin" "$@"; }
co() { gq --db "$county" --user 张主任 --pin-file "$T/demo.pin" "$@"; }

run co stations --format csv
is "$rc" 0 "the county's admin signs in with the demo PIN"
like "$out" '411524103205' "the county lists the demo village's station as enrolled"

# Export at the station: to the demo's stick folder, no --to needed.
run st export
is "$rc" 0 "export at the demo station succeeds"
like "$out" "$T/demo-stick" "export writes to the demo's stick folder"
ok '[ "$(find "$T/demo-stick/guanqing/to-county" -name "*.gqb" | wc -l)" -eq 1 ]' \
	"one bundle for the county is on the stick"

# Import at the county: from the same folder, no path needed.
run co import
is "$rc" 0 "import at the demo county succeeds"
like "$out" '宋岗村' "the import names the village the bundle came from"

st person list --format csv --codes | sed 1d | cut -d, -f1 | sort >"$T/station.ids"
co person list --format csv --codes | sed 1d | cut -d, -f1 | sort >"$T/county.ids"
ok '[ "$(wc -l <"$T/station.ids")" -ge 120 ]' "the demo station has its people ($(wc -l <"$T/station.ids"))"
ok 'cmp -s "$T/station.ids" "$T/county.ids"' "the county lists every person of the station, and no other"
run co check
is "$rc" 0 "the county database passes check after the import"

run gq --db "$demo" demo
is "$rc" 1 "demo over an existing demo is refused"
finish
