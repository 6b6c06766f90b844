#!/bin/sh
# sync_keyslot.sh - a station's and the county's secret keys are sealed
# under a key wrapped once per user's PIN: a copied database file alone
# cannot sign or open bundles; a user whose PIN was set there can.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

CRAFT=${top_builddir:-.}/tests/gq_craft
county_init
enroll_station 411524103205 a
for db in "$C" "$T/a.db"; do
	sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	is "$(sqlite3 "$db" "SELECT count(*) FROM meta WHERE key IN ('sign_secret', 'box_secret')")" 0 \
		"$(basename "$db"): no secret key in meta"
	is "$(sqlite3 "$db" "SELECT count(*) FROM meta WHERE key = 'keys_sealed'")" 1 \
		"$(basename "$db"): the keys are sealed"
	ok "! cat '$db'* | grep -aq 'gq-sign-sec\|gq-box-sec'" "$(basename "$db"): no key text in the files"
	is "$(sqlite3 "$db" "SELECT count(*) FROM key_slot")" 1 "$(basename "$db"): one key slot, the admin's"
done

# the admin signs in and exports
mkdir -p "$T/out"
gqs a person add --name 张桂兰 --sex F >/dev/null
run gqs a export --to "$STICK"
is "$rc" 0 "the station admin exports"
run gqc import "$STICK"
is "$rc" 0 "the county admin imports"

# a copied file without a PIN opens no key
cp "$T/a.db" "$T/stolen.db"
run env -u GUANQING_USER -u GUANQING_PIN_FILE "$CRAFT" --db "$T/stolen.db" --out "$T/out" </dev/null
is "$rc" 2 "a copied file cannot sign a bundle without a PIN"
like "$err" "keys of .* are locked" "the keys are locked"
printf '111222\n' >"$T/wrong.pin"
run env GUANQING_PIN_FILE="$T/wrong.pin" "$CRAFT" --db "$T/stolen.db" --out "$T/out" </dev/null
is "$rc" 2 "nor with a wrong PIN"
ok '[ -z "$(ls "$T/out")" ]' "no bundle was written"

# a second admin gets a slot when the admin sets their PIN
gqs a user add --name 李建军 --role station_admin >/dev/null
printf '806427\n' >"$T/li.pin"
gqs a user pin 李建军 --pin-file "$T/li.pin" >/dev/null
is "$(sqlite3 "$T/a.db" "SELECT count(*) FROM key_slot")" 2 "setting a PIN wraps the key for that user"
rm -rf "$STICK/guanqing"
gqs a person add --name 王德明 --sex M >/dev/null
run env GUANQING_USER=李建军 GUANQING_PIN_FILE="$T/li.pin" "$GUANQING" --db "$T/a.db" export --to "$STICK"
is "$rc" 0 "the second admin exports with their own PIN"
run gqc import "$STICK"
is "$rc" 0 "and the county imports it"
like "$(gqc person list --format csv --codes)" '王德明' "the bundle was signed with the station's key"
# changing one's own PIN re-wraps the key
printf '593108\n' >"$T/li2.pin"
env GUANQING_USER=李建军 GUANQING_PIN_FILE="$T/li.pin" "$GUANQING" --db "$T/a.db" user pin 李建军 \
	--pin-file "$T/li2.pin" >/dev/null 2>&1
rm -rf "$STICK/guanqing"
run env GUANQING_USER=李建军 GUANQING_PIN_FILE="$T/li2.pin" "$GUANQING" --db "$T/a.db" export --to "$STICK"
is "$rc" 0 "after a new PIN the keys open with it"
run env GUANQING_USER=李建军 GUANQING_PIN_FILE="$T/li.pin" "$CRAFT" --db "$T/a.db" --out "$T/out" </dev/null
is "$rc" 2 "and no longer with the old one"

finish
