# sync_lib.sh - helpers for the USB exchange scenario tests (tests/sync_*.sh).
# Source it after tests/lib.sh:
#
#	. "${top_srcdir:-.}/tests/lib.sh"
#	. "${top_srcdir:-.}/tests/sync_lib.sh"
#
# The county database is $C ($T/county.db); a station enrolled with
# `enroll_station VILLAGE NAME` lives in $T/NAME.db and its id is printed by
# `station_id NAME`. A folder standing for the stick is $T/stick unless told.

C=$T/county.db
STICK=$T/stick
mkdir -p "$STICK" "$T/setup"

# gqc ARGS...: the county database.  gqs NAME ARGS...: station NAME's.
gqc() { "$GUANQING" --db "$C" "$@"; }
gqs() {
	_db=$T/$1.db
	shift
	"$GUANQING" --db "$_db" "$@"
}

# county_init: make the county database (商城县). Where databases are
# protected by PINs, tests/lib.sh sets ADMIN_OPTS for the first admin.
county_init() {
	gqc county init --division 411524 ${ADMIN_OPTS:-} >/dev/null 2>&1 ||
		echo "Bail out! county init failed"
}

# enroll_station VILLAGE NAME: enrol a station for VILLAGE at the county and
# make its database $T/NAME.db from the setup file.
enroll_station() {
	rm -rf "$T/setup/$2"
	mkdir -p "$T/setup/$2"
	gqc county enroll --village "$1" --out "$T/setup/$2" \
		--passphrase-file "$T/setup/$2.pass" >/dev/null 2>&1 ||
		echo "Bail out! county enroll --village $1 failed"
	rm -f "$T/$2.db"
	gqs "$2" station init --setup "$T/setup/$2"/*.gqsetup \
		--passphrase-file "$T/setup/$2.pass" ${ADMIN_OPTS:-} >"$T/setup/$2.out" 2>&1 ||
		echo "Bail out! station init for $2 failed"
	sed -n 's/.*station id \([0-9a-f-]*\)\..*/\1/p' "$T/setup/$2.out" >"$T/setup/$2.id"
	echo "$1" >"$T/setup/$2.village"
}

# station_id NAME: the id of station NAME (from its own database).
station_id() {
	cat "$T/setup/$1.id"
}

# village_of NAME: the village of station NAME.
village_of() {
	cat "$T/setup/$1.village"
}

# rows_of_village DB VILLAGE: the canonical dump's lines of DB for the
# village's rows, leaving out the tables station and users.
rows_of_village() {
	"$GUANQING" --db "$1" dump --canonical 2>/dev/null |
		awk -F'\t' -v v="$2" '$1 != "station" && $1 != "users" && $4 == v'
}

# station_rows NAME: station NAME's dump without the tables station and users.
station_rows() {
	gqs "$1" dump --canonical 2>/dev/null |
		awk -F'\t' '$1 != "station" && $1 != "users"'
}

# open_conflicts DB: the number of open conflicts at DB.
open_conflicts() {
	"$GUANQING" --db "$1" conflicts --format csv 2>/dev/null | sed 1d | wc -l | tr -d ' '
}

# county_sum / county_list: the county's content, to compare before and after.
county_state() {
	gqc dump --canonical 2>/dev/null | cksum
	gqc person list --format csv --codes 2>/dev/null | cksum
	gqc visit list --format csv --codes 2>/dev/null | cksum
}

# stations_field NAME|ID COLUMN: one column of the county's `stations --format
# csv` for a station (by its id).
stations_field() {
	gqc stations --format csv 2>/dev/null | awk -v id="$1" -v c="$2" '
		function split_csv(line, f,    n, i, ch, q, cur) {
			n = 0; cur = ""; q = 0
			for (i = 1; i <= length(line); i++) {
				ch = substr(line, i, 1)
				if (q) {
					if (ch == "\"") {
						if (substr(line, i + 1, 1) == "\"") { cur = cur ch; i++ }
						else q = 0
					} else cur = cur ch
				} else if (ch == "\"") q = 1
				else if (ch == ",") { f[++n] = cur; cur = "" }
				else cur = cur ch
			}
			f[++n] = cur
			return n
		}
		NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) if (h[i] == c) k = i; next }
		{ split_csv($0, f); if (f[1] == id && k) print f[k] }'
}

# A visit's required answers (elderly_visit).
VISIT_ARGS="--set visit_kind=home --set elder_seen=yes --set self_care=partial
 --set health=fair --set chronic_diseases=hypertension --set takes_medicine=yes
 --set meals=self_cook --set delivery_needed=no --set daily_check=neighbour
 --set check_frequency=daily --set emergency_contact_reached=yes
 --set next_visit=2026-12-10"
