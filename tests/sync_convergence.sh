#!/bin/bash
# sync_convergence.sh - the convergence property test of the USB exchange.
#
# One county and five stations (villages 411524103205-209), each its own
# database. In each of a few cycles, random edits are made at every place
# with a fixed seed ($SEED, default 1): people added, phones and addresses
# changed, visits, deletes; plus planned concurrent edits (the same field
# of the same person changed at the county and at its station before they
# exchange) and deletes against edits. Bundles are carried through a
# folder standing for the stick in random order, some imported twice, some
# lost and found again later. After two full rounds (every station
# exports, the county imports all, the county exports, every station
# imports) every station's dump equals the county's rows of its village,
# `check` passes everywhere and the county has exactly as many open
# conflicts as concurrent edits were made.
#
# Within a cycle (between two points where everything has converged) a
# person is touched from one side only (its station or the county), except
# for the planned concurrent edits; so each planned one is exactly one
# conflict and nothing else conflicts. The county also moves people to
# other villages, and the old village's station, not knowing yet, edits
# them: those edits must reach the county and the new village, and no
# change saved at a station may be lost.

. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

SEED=${SEED:-1}
CYCLES=${CYCLES:-3}
OPS=${OPS:-6}		# random edits per place and export
echo "# seed $SEED, $CYCLES cycles"

# A small LCG (the constants of the C standard's example rand), so that a
# seed gives the same run everywhere. rnd N sets R to 0..N-1.
state=$(( (SEED * 2654435761 + 1) % 2147483648 ))
rnd() {
	state=$(( (state * 1103515245 + 12345) % 2147483648 ))
	R=$(( (state / 65536) % $1 ))
}

NAMES=(s1 s2 s3 s4 s5)
VILLAGES=(411524103205 411524103206 411524103207 411524103208 411524103209)
SURNAMES=(张 王 李 刘 陈 杨 黄 赵 周 吴)
GIVEN=(桂兰 秀英 建国 玉兰 德明 小红 国强 春梅 志刚 淑珍)

county_init
for i in 0 1 2 3 4; do
	enroll_station "${VILLAGES[$i]}" "${NAMES[$i]}"
	ID[$i]=$(station_id "${NAMES[$i]}")
done
ok '[ ${#ID[4]} = 36 ]' "five stations enrolled"

# The live people of each village, one id a line, in $T/live.VILLAGE (the
# same at every place once a cycle has converged). "known" marks people
# every place has.
for v in "${VILLAGES[@]}"; do : >"$T/live.$v"; done
declare -A side		# person -> S (its station), C (county) or X (planned) this cycle
declare -A known	# person -> 1 when every place holds it
declare -A planned	# person -> 1 once in a planned conflict (its conflict stays open)
concurrent=0
serial=0
bad_ops=0

# db_of PLACE: the database of place (county or a station index).
db_of() {
	if [ "$1" = c ]; then echo "$C"; else echo "$T/${NAMES[$1]}.db"; fi
}

# pick_person VILLAGE SIDE [KNOWN]: a live person of VILLAGE that the other
# side has not touched this cycle (and, with KNOWN, that every place has and
# nobody touched this cycle); into P, empty when there is none.
pick_person() {
	P=
	_n=$(wc -l <"$T/live.$1")
	[ "$_n" -gt 0 ] || return 0
	rnd "$_n"
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		_p=$(sed -n "$(( (R + _i) % _n + 1 ))p" "$T/live.$1")
		_s=${side[$_p]:-}
		if [ -n "${3:-}" ]; then
			if [ -n "${known[$_p]:-}" ] && [ -z "$_s" ] && [ -z "${planned[$_p]:-}" ]; then
				P=$_p
				return 0
			fi
		elif [ -z "$_s" ] || [ "$_s" = "$2" ]; then
			# a person added this cycle exists only where it was made
			if [ -n "${known[$_p]:-}" ] || [ "$_s" = "$2" ]; then P=$_p; return 0; fi
		fi
		_i=$((_i + 1))
	done
}

# new_value FIELD: a value never used before, into NV.
new_value() {
	serial=$((serial + 1))
	case $1 in
	phone) NV=$(printf '139%08d' "$serial") ;;
	address) NV="$serial组$((serial % 50 + 1))号" ;;
	esac
}

gqp() {
	_db=$(db_of "$1")
	shift
	"$GUANQING" --db "$_db" "$@"
}

# random_op PLACE: one random edit at PLACE (c or a station index).
random_op() {
	_pl=$1
	if [ "$_pl" = c ]; then
		rnd 5
		_v=${VILLAGES[$R]}
		_sd=C
	else
		_v=${VILLAGES[$_pl]}
		_sd=S
	fi
	rnd 12
	_k=$R
	if [ "$_k" -ge 10 ]; then
		[ "$_pl" = c ] && move_op "$_v"
		return 0
	fi
	if [ "$_k" -lt 3 ]; then
		rnd 10
		_nm=${SURNAMES[$R]}
		rnd 10
		_nm=$_nm${GIVEN[$R]}
		rnd 2
		_sx=M
		[ "$R" = 1 ] && _sx=F
		if [ "$_pl" = c ]; then
			new_value phone
			_id=$(gqp c person add --name "$_nm" --sex "$_sx" --village "$_v" \
				--phone "$NV" 2>&1)
		else
			new_value phone
			_id=$(gqp "$_pl" person add --name "$_nm" --sex "$_sx" \
				--phone "$NV" 2>&1)
		fi
		case $_id in
		????????-????-????-????-????????????) ;;
		*) bad_ops=$((bad_ops + 1)); diag "person add at $_pl: $_id"; return ;;
		esac
		echo "$_id" >>"$T/live.$_v"
		side[$_id]=$_sd
		return
	fi
	pick_person "$_v" "$_sd"
	[ -n "$P" ] || return 0
	# A tombstone sees only the winners: deleting a person whose planned
	# conflict is still open would make a second conflict of it.
	[ "$_k" = 9 ] && [ -n "${planned[$P]:-}" ] && return 0
	side[$P]=$_sd
	if [ "$_k" -lt 5 ]; then
		new_value phone
		gqp "$_pl" person edit "$P" --set "phone=$NV" >/dev/null 2>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "phone edit at $_pl: $(cat "$T/.operr")"; }
	elif [ "$_k" -lt 7 ]; then
		new_value address
		gqp "$_pl" person edit "$P" --set "address=$NV" >/dev/null 2>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "address edit at $_pl: $(cat "$T/.operr")"; }
	elif [ "$_k" -lt 9 ]; then
		# shellcheck disable=SC2086
		gqp "$_pl" visit add --person "$P" --form elderly_visit $VISIT_ARGS >/dev/null 2>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "visit add at $_pl: $(cat "$T/.operr")"; }
	else
		gqp "$_pl" person delete "$P" >/dev/null 2>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "delete at $_pl: $(cat "$T/.operr")"; }
		grep -vx "$P" "$T/live.$_v" >"$T/.live" || :
		mv "$T/.live" "$T/live.$_v"
	fi
}

# move_op VILLAGE: the county moves a person of VILLAGE that every place
# holds to another village; the old village's station, not knowing yet,
# edits the person (a late phone, and sometimes a visit). Nobody else
# touches the person this cycle (side M).
moves=0
late_edits=0
move_op() {
	pick_person "$1" M known
	[ -n "$P" ] || return 0
	rnd 4
	_to=${VILLAGES[$(( ( $(index_of "$1") + 1 + R ) % 5 ))]}
	gqp c person move "$P" --village "$_to" >/dev/null 2>"$T/.operr" ||
		{ bad_ops=$((bad_ops + 1)); diag "move of $P: $(cat "$T/.operr")"; return; }
	side[$P]=M
	moves=$((moves + 1))
	grep -vx "$P" "$T/live.$1" >"$T/.live" || :
	mv "$T/.live" "$T/live.$1"
	echo "$P" >>"$T/live.$_to"
	_old=$(index_of "$1")
	new_value phone
	gqp "$_old" person edit "$P" --set "phone=$NV" >/dev/null 2>"$T/.operr" ||
		{ bad_ops=$((bad_ops + 1)); diag "late edit of $P at $_old: $(cat "$T/.operr")"; }
	late_edits=$((late_edits + 1))
	rnd 2
	if [ "$R" = 1 ]; then
		# shellcheck disable=SC2086
		gqp "$_old" visit add --person "$P" --form elderly_visit $VISIT_ARGS >/dev/null 2>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "late visit of $P at $_old: $(cat "$T/.operr")"; }
		late_edits=$((late_edits + 1))
	fi
}

# index_of VILLAGE: the index of its station.
index_of() {
	_j=0
	while [ "${VILLAGES[$_j]}" != "$1" ]; do _j=$((_j + 1)); done
	echo "$_j"
}

# planned_conflict: the same field of one person changed at its station and
# at the county (or a delete at one against an edit at the other).
planned_conflict() {
	rnd 5
	_st=$R
	_v=${VILLAGES[$_st]}
	pick_person "$_v" X known
	[ -n "$P" ] || return 0
	side[$P]=X
	planned[$P]=1
	: >"$T/.operr"
	rnd 4
	case $R in
	0 | 1)
		rnd 2
		_f=phone
		[ "$R" = 1 ] && _f=address
		new_value $_f
		_v1=$NV
		new_value $_f
		gqp "$_st" person edit "$P" --set "$_f=$_v1" >/dev/null 2>>"$T/.operr" &&
			gqp c person edit "$P" --set "$_f=$NV" >/dev/null 2>>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "concurrent edit of $P failed: $(cat "$T/.operr")"; }
		;;
	2)
		new_value address
		gqp "$_st" person delete "$P" >/dev/null 2>>"$T/.operr" &&
			gqp c person edit "$P" --set "address=$NV" >/dev/null 2>>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "delete/edit of $P failed: $(cat "$T/.operr")"; }
		grep -vx "$P" "$T/live.$_v" >"$T/.live" || :
		mv "$T/.live" "$T/live.$_v"
		;;
	3)
		new_value phone
		gqp c person delete "$P" >/dev/null 2>>"$T/.operr" &&
			gqp "$_st" person edit "$P" --set "phone=$NV" >/dev/null 2>>"$T/.operr" ||
			{ bad_ops=$((bad_ops + 1)); diag "edit/delete of $P failed: $(cat "$T/.operr")"; }
		grep -vx "$P" "$T/live.$_v" >"$T/.live" || :
		mv "$T/.live" "$T/live.$_v"
		;;
	esac
	concurrent=$((concurrent + 1))
}

# shuffle FILE: its lines in a random order (Fisher-Yates with rnd).
shuffle() {
	mapfile -t _a <"$1"
	_n=${#_a[@]}
	while [ "$_n" -gt 1 ]; do
		rnd "$_n"
		_n=$((_n - 1))
		_t=${_a[$_n]}
		_a[$_n]=${_a[$R]}
		_a[$R]=$_t
	done
	[ ${#_a[@]} -gt 0 ] && printf '%s\n' "${_a[@]}"
	return 0
}

# Carried bundles: $T/carry/to-X/NAME, after each export, so that
# several exports can be delivered in any order. imported.X lists the
# numbers X imported from each sender.
mkdir -p "$T/carry" "$T/lost"
carry() {
	for _d in "$STICK"/guanqing/to-*; do
		[ -d "$_d" ] || continue
		_to=${_d##*/}
		mkdir -p "$T/carry/$_to"
		for _f in "$_d"/*.gqb; do
			[ -f "$_f" ] && mv "$_f" "$T/carry/$_to/"
		done
	done
	rm -rf "$STICK/guanqing"
}

# expected_gaps FILE: the gaps in the sorted numbers of FILE, as the
# program prints them ("1", "2-3, 5").
expected_gaps() {
	sort -n -u "$1" | awk '
		{ if ($1 > e) { g = g (g == "" ? "" : ", ") (($1 - 1 == e) ? e : e "-" ($1 - 1)) }
		  e = $1 + 1 }
		BEGIN { e = 1 }
		END { print g }'
}

import_failures=0
gap_failures=0
dup_failures=0
imports=0
dups=0
gap_reports=0

# deliver DB WHO FILE: import one carried bundle at DB (WHO names the
# receiver for the gap bookkeeping); check the gap report.
deliver() {
	_db=$1 _who=$2 _f=$3
	_base=${_f##*/}
	_sender=${_base%-*}
	_num=$(( 10#$(echo "${_base##*-}" | sed 's/\.gqb$//') ))
	"$GUANQING" --db "$_db" import "$_f" >"$T/.imp" 2>&1
	_rc=$?
	imports=$((imports + 1))
	if [ "$_rc" != 0 ]; then
		import_failures=$((import_failures + 1))
		diag "import of $_f at $_who: exit $_rc: $(cat "$T/.imp")"
		return
	fi
	_book=$T/imported.$_who.$_sender
	if grep -qx "$_num" "$_book" 2>/dev/null; then
		dups=$((dups + 1))
		grep -q 'already imported' "$T/.imp" || {
			dup_failures=$((dup_failures + 1))
			diag "second import of $_f did not say so: $(cat "$T/.imp")"
		}
		return
	fi
	echo "$_num" >>"$_book"
	_want=$(expected_gaps "$_book")
	_got=$(sed -n 's/.*Missing bundles from this sender: \(.*\) (later.*/\1/p' "$T/.imp")
	[ -n "$_want" ] && gap_reports=$((gap_reports + 1))
	[ "$_got" = "$_want" ] || {
		gap_failures=$((gap_failures + 1))
		diag "import of $_f at $_who: gaps reported '$_got', expected '$_want'"
	}
}

# messy_delivery DB WHO DIR: deliver DIR's bundles to DB in a random order,
# about one in five lost (set aside in $T/lost) and one in four twice.
messy_delivery() {
	ls "$3"/*.gqb 2>/dev/null >"$T/.list" || return 0
	shuffle "$T/.list" >"$T/.order"
	while read -r _f; do
		rnd 5
		if [ "$R" = 0 ]; then
			mkdir -p "$T/lost/$2"
			mv "$_f" "$T/lost/$2/"
			continue
		fi
		deliver "$1" "$2" "$_f"
		rnd 4
		[ "$R" = 0 ] && deliver "$1" "$2" "$_f"
		rm -f "$_f"
	done <"$T/.order"
}

# found_again DB WHO: the lost bundles turn up: delivered in a random order.
found_again() {
	messy_delivery_all=$T/lost/$2
	ls "$messy_delivery_all"/*.gqb 2>/dev/null >"$T/.list" || return 0
	shuffle "$T/.list" >"$T/.order"
	while read -r _f; do
		deliver "$1" "$2" "$_f"
		rm -f "$_f"
	done <"$T/.order"
}

# book WHO REPORTFILE: note the bundles an import report says were imported.
book() {
	sed -n 's/.*\/\([0-9a-f-]\{36\}\)-0*\([0-9][0-9]*\)\.gqb: bundle .* from .*/\1 \2/p' "$2" |
		while read -r _s _n; do echo "$_n" >>"$T/imported.$1.$_s"; done
	if grep -q 'Missing bundles' "$2"; then
		diag "a full round reported gaps: $(cat "$2")"
		return 1
	fi
}

full_round() {
	_fail=0
	rm -rf "$STICK/guanqing"
	for i in 0 1 2 3 4; do
		gqs "${NAMES[$i]}" export --to "$STICK" >/dev/null 2>"$T/.err" ||
			{ _fail=1; diag "export at ${NAMES[$i]}: $(cat "$T/.err")"; }
	done
	gqc import "$STICK" >"$T/.imp" 2>&1 || { _fail=1; diag "county import: $(cat "$T/.imp")"; }
	book county "$T/.imp" || _fail=1
	rm -rf "$STICK/guanqing"
	gqc export --to "$STICK" >/dev/null 2>"$T/.err" || { _fail=1; diag "county export: $(cat "$T/.err")"; }
	for i in 0 1 2 3 4; do
		gqs "${NAMES[$i]}" import "$STICK" >"$T/.imp" 2>&1 ||
			{ _fail=1; diag "import at ${NAMES[$i]}: $(cat "$T/.imp")"; }
		book "${NAMES[$i]}" "$T/.imp" || _fail=1
	done
	rm -rf "$STICK/guanqing"
	return $_fail
}

cycle=1
while [ "$cycle" -le "$CYCLES" ]; do
	side=()
	# Two exports a cycle from every station, with edits before each.
	for half in 1 2; do
		for i in 0 1 2 3 4; do
			n=0
			while [ "$n" -lt "$OPS" ]; do random_op "$i"; n=$((n + 1)); done
		done
		n=0
		while [ "$n" -lt "$OPS" ]; do random_op c; n=$((n + 1)); done
		# The planned concurrent edits come after the people exist
		# everywhere (from the second cycle on, or the first cycle's
		# second half for people made before it: none).
		rnd 3
		n=0
		while [ "$n" -le "$R" ]; do planned_conflict; n=$((n + 1)); done
		for i in 0 1 2 3 4; do
			gqs "${NAMES[$i]}" export --to "$STICK" >/dev/null 2>"$T/.err" ||
				diag "export at ${NAMES[$i]}: $(cat "$T/.err")"
		done
		carry
	done
	# The stations' bundles reach the county in any order, some lost or
	# doubled; then the county answers, and its bundles reach the
	# stations the same way; then the lost ones turn up.
	messy_delivery "$C" county "$T/carry/to-county"
	gqc export --to "$STICK" >/dev/null 2>"$T/.err" || diag "county export: $(cat "$T/.err")"
	carry
	for i in 0 1 2 3 4; do
		messy_delivery "$T/${NAMES[$i]}.db" "${NAMES[$i]}" "$T/carry/to-${ID[$i]}"
	done
	found_again "$C" county
	for i in 0 1 2 3 4; do
		found_again "$T/${NAMES[$i]}.db" "${NAMES[$i]}"
	done
	ok 'full_round' "cycle $cycle: the first full round of exchanges succeeds"
	ok 'full_round' "cycle $cycle: the second full round of exchanges succeeds"
	# Everything converged: every live person is known everywhere.
	for v in "${VILLAGES[@]}"; do
		while read -r p; do known[$p]=1; done <"$T/live.$v"
	done
	cycle=$((cycle + 1))
done

is "$bad_ops" 0 "every edit was accepted where it was made"
is "$import_failures" 0 "every carried bundle was imported ($imports imports)"
is "$dup_failures" 0 "every bundle imported again said so ($dups of them)"
is "$gap_failures" 0 "every import reported the exact gaps ($gap_reports with gaps)"

for i in 0 1 2 3 4; do
	rows_of_village "$T/${NAMES[$i]}.db" "${VILLAGES[$i]}" >"$T/st.$i"
	rows_of_village "$C" "${VILLAGES[$i]}" >"$T/co.$i"
	if cmp -s "$T/st.$i" "$T/co.$i"; then
		pass "${NAMES[$i]} (${VILLAGES[$i]}): its dump equals the county's rows of its village ($(wc -l <"$T/st.$i") rows)"
	else
		fail "${NAMES[$i]} (${VILLAGES[$i]}): its dump equals the county's rows of its village" \
			"$(diff "$T/co.$i" "$T/st.$i" | head -20)"
	fi
done
ok '[ "$(wc -l <"$T/live.411524103205")" -gt 0 ]' "the villages hold people"

run gqc check
is "$rc" 0 "check passes at the county"
for i in 0 1 2 3 4; do
	run gqs "${NAMES[$i]}" check
	is "$rc" 0 "check passes at ${NAMES[$i]}"
done

# No station change is lost: every change saved at a station is in the
# county's log (applied by the merge rule, or an open conflict), moves or
# not.
lost=0
sqlite3 "$C" "SELECT origin || ':' || oseq FROM change_log" | sort >"$T/county.changes"
for i in 0 1 2 3 4; do
	sqlite3 "$T/${NAMES[$i]}.db" "SELECT origin || ':' || oseq FROM change_log WHERE origin = '${ID[$i]}'" |
		sort >"$T/station.changes"
	lost=$((lost + $(comm -23 "$T/station.changes" "$T/county.changes" | wc -l)))
done
is "$lost" 0 "every change saved at a station reached the county"
ok '[ "$moves" -gt 0 ] && [ "$late_edits" -gt 0 ]' "the run moved people ($moves) and the old stations edited them late ($late_edits)"

is "$(open_conflicts "$C")" "$concurrent" "the county has one open conflict per concurrent edit ($concurrent)" ||
	diag "$(gqc conflicts --format csv 2>&1)"
total=0
for i in 0 1 2 3 4; do
	total=$((total + $(open_conflicts "$T/${NAMES[$i]}.db")))
done
is "$total" "$concurrent" "the stations hold the same open conflicts, each of its own village"
ok '[ "$concurrent" -gt 0 ]' "the run made concurrent edits"

finish
