#!/bin/bash
# sync_corruption.sh - damaged, truncated, altered and forged bundles.
#
# A real bundle from a station to the county is damaged in many ways; each
# copy is imported at the county and must be refused (exit 1) with the
# right reason, leave the county's content byte-identical (dump
# --canonical, person and visit lists) and be renamed NAME.refused. A
# fresh copy of the bundle is used for every case. Header fields are
# changed with and without recomputing header_sum and the file checksum
# (doc/bundle-format.md), so that damage, malformed headers and forgery
# (checksum right, signature wrong) are each reached.

. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

county_init
enroll_station 411524103205 a
enroll_station 411524103206 b
A=$(station_id a)
B=$(station_id b)
p1=$(gqs a person add --name 张桂兰 --sex F --phone 13800000001 --address 宋岗村东组3号)
gqs a person add --name 王德明 --sex M --phone 13800000002 >/dev/null
# shellcheck disable=SC2086
gqs a visit add --person "$p1" --form elderly_visit $VISIT_ARGS >/dev/null
gqs b person add --name 李秀英 --sex F >/dev/null
gqs a export --to "$STICK" >/dev/null
gqs b export --to "$STICK" >/dev/null
A1=$STICK/guanqing/to-county/$A-00000000000000000001.gqb
B1=$STICK/guanqing/to-county/$B-00000000000000000001.gqb
ok '[ -f "$A1" ] && [ -f "$B1" ]' "stations a and b wrote their first bundles"
cp "$A1" "$T/A1.orig"
cp "$B1" "$T/B1.orig"
rm -rf "$STICK/guanqing"

# A station of another county (not enrolled here): its bundle.
C_saved=$C
C=$T/other-county.db
county_init
enroll_station 411524103207 y
Y=$(station_id y)
gqs y person add --name 陈国强 --sex M >/dev/null
gqs y export --to "$STICK" >/dev/null
cp "$STICK/guanqing/to-county/$Y-00000000000000000001.gqb" "$T/Y1.orig"
rm -rf "$STICK/guanqing"
C=$C_saved
COUNTY_ID=$(gqc dump --canonical | awk -F'\t' '$1 == "station" && /\trole=county\t/ { print $2; exit }')
ok '[ ${#COUNTY_ID} = 36 ]' "the county's id is known"

# Something already at the county, so that "unchanged" means something.
gqc person add --name 赵春梅 --sex F --village 411524103208 >/dev/null

# ---- byte tools ----
size_of() { wc -c <"$1" | tr -d ' '; }
byte_at() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
put_byte() {
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
flip() { put_byte "$1" "$2" $(( $(byte_at "$1" "$2") ^ (1 << $3) )); }
put_hex() { printf '%s' "$3" | xxd -r -p | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
put_text() { printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
u32_at() { od -An -tu4 --endian=little -j "$2" -N4 "$1" | tr -d ' '; }
# le64 N: N as 8 little-endian bytes in hex.
le64() {
	_n=$1 _h=
	for _i in 1 2 3 4 5 6 7 8; do
		_h=$_h$(printf '%02x' $((_n & 255)))
		_n=$((_n >> 8))
	done
	echo "$_h"
}
hdr_len() { echo $((184 + $(u32_at "$1" 160))); }
# fix_header_sum F: header_sum = BLAKE2b-16 of bytes 0..167.
fix_header_sum() {
	put_hex "$1" 168 "$(head -c 168 "$1" | b2sum -l 128 | cut -d' ' -f1)"
}
# fix_checksum F: checksum = BLAKE2b-32(header || sealed key || ct_hash ||
# signature), ct_hash = BLAKE2b-32(ciphertext).
fix_checksum() {
	_sz=$(size_of "$1")
	_h=$(hdr_len "$1")
	_ct=$(tail -c +$((_h + 81)) "$1" | head -c $((_sz - _h - 80 - 96)) | b2sum -l 256 | cut -d' ' -f1)
	{
		head -c $((_h + 80)) "$1"
		printf '%s' "$_ct" | xxd -r -p
		tail -c +$((_sz - 96 + 1)) "$1" | head -c 64
	} | b2sum -l 256 | cut -d' ' -f1 >"$T/.sum"
	put_hex "$1" $((_sz - 32)) "$(cat "$T/.sum")"
}

# fresh NAME [ORIG]: a fresh copy of the bundle (A1 by default) under its
# real name in a folder of its own; its path in F.
fresh() {
	_o=${2:-$T/A1.orig}
	mkdir -p "$T/case/$1"
	case $_o in
	*A1.orig) F=$T/case/$1/$A-00000000000000000001.gqb ;;
	*B1.orig) F=$T/case/$1/$B-00000000000000000001.gqb ;;
	*Y1.orig) F=$T/case/$1/$Y-00000000000000000001.gqb ;;
	esac
	cp "$_o" "$F"
}

# refused_case NAME REGEX: importing F at the county is refused for the
# reason REGEX, nothing changes and F is set aside.
ncases=0
refused_case() {
	_before=$(county_state)
	run gqc import "$F"
	ncases=$((ncases + 1))
	is "$rc" 1 "$1: refused (exit 1)"
	like "$out $err" "$2" "$1: the reason is given"
	is "$(county_state)" "$_before" "$1: the county's content is unchanged"
	ok '[ -f "$F.refused" ] && [ ! -f "$F" ]' "$1: the file is set aside as .refused"
}

DAMAGED='REFUSED: .*is damaged'
TRUNC='REFUSED: .*(is truncated|is empty)'
SIGNATURE='REFUSED: .*is intact but its signature does not match'
MALFORMED='REFUSED: .*has a malformed header'
SIZE=$(size_of "$T/A1.orig")
H=$(hdr_len "$T/A1.orig")
echo "# bundle A1: $SIZE bytes, header $H bytes"

# ---- single bits flipped ----
for off in 0 3 7; do
	fresh "magic$off"; flip "$F" "$off" $((off % 8))
	refused_case "bit flipped in the magic at $off" 'REFUSED: .*is not a guanqing bundle'
done
for off in 8 9; do
	fresh "version$off"; flip "$F" "$off" 1
	refused_case "bit flipped in the format version at $off" 'REFUSED: .*has format version [0-9]+, which this program cannot read'
done
mid=$(( (H + 80 + SIZE - 96) / 2 ))
for off in 10 12 16 40 52 80 88 96 104 112 120 128 136 144 152 160 164 168 175 183 \
	$H $((H + 40)) $((H + 79)) $((H + 80)) $((H + 103)) $((H + 104)) $mid \
	$((SIZE - 97)) $((SIZE - 96)) $((SIZE - 64)) $((SIZE - 33)) $((SIZE - 32)) $((SIZE - 1)); do
	fresh "bit$off"; flip "$F" "$off" $((off % 8))
	refused_case "bit flipped at $off of $SIZE" "$DAMAGED"
done

# ---- truncated ----
for len in 0 1 4 8 10 100 167 183 184 $H $((H + 40)) $((H + 80)) $((H + 104)) $mid \
	$((SIZE - 96)) $((SIZE - 64)) $((SIZE - 32)) $((SIZE - 1)); do
	fresh "trunc$len"; truncate -s "$len" "$F"
	refused_case "truncated to $len bytes" "$TRUNC"
done
fresh trailing; printf 'x' >>"$F"
refused_case "a byte appended" 'REFUSED: .*unexpected data after its end'

# ---- header fields changed ----
fresh number1; put_hex "$F" 88 "$(le64 7)"
refused_case "number changed, nothing recomputed" "$DAMAGED: the checksum of its header"
fresh number2; put_hex "$F" 88 "$(le64 7)"; fix_header_sum "$F"
refused_case "number changed, header sum recomputed" "$DAMAGED: its checksum does not match its contents"
fresh number3; put_hex "$F" 88 "$(le64 7)"; fix_header_sum "$F"; fix_checksum "$F"
refused_case "number changed, header sum and checksum recomputed" "$SIGNATURE"
fresh count; put_hex "$F" 128 "$(le64 1)"; fix_header_sum "$F"; fix_checksum "$F"
refused_case "record count changed, sums recomputed" "$SIGNATURE"
fresh clock; put_hex "$F" 112 "$(le64 4102444800000)"; fix_header_sum "$F"; fix_checksum "$F"
refused_case "sender's clock changed, sums recomputed" "$SIGNATURE"
fresh flags; put_hex "$F" 10 0100; fix_header_sum "$F"
refused_case "flags set, header sum recomputed" "$MALFORMED"
fresh cipherlen; put_hex "$F" 152 "$(le64 $(( $(od -An -tu8 --endian=little -j152 -N8 "$F" | tr -d ' ') + 1 )))"
fix_header_sum "$F"
refused_case "ciphertext length changed, header sum recomputed" "$MALFORMED"
fresh chunk; put_hex "$F" 164 00020000; fix_header_sum "$F"
refused_case "chunk size out of range, header sum recomputed" "$MALFORMED"
fresh schema; put_hex "$F" 12 63000000; fix_header_sum "$F"; fix_checksum "$F"
refused_case "schema version changed, sums recomputed" 'REFUSED: .*schema version 99'
fresh sender; put_text "$F" 16 "$B"; fix_header_sum "$F"; fix_checksum "$F"
refused_case "sender changed to station b, sums recomputed" "$SIGNATURE"
fresh senderbad; put_text "$F" 16 "ABCDEFAB"; fix_header_sum "$F"
refused_case "sender not a lower-case UUID, header sum recomputed" "$MALFORMED"

# ---- re-signed with a wrong key: station b's bundle passed off as a's ----
fresh resign "$T/B1.orig"; put_text "$F" 16 "$A"; fix_header_sum "$F"; fix_checksum "$F"
mv "$F" "$T/case/resign/$A-00000000000000000001.gqb"
F=$T/case/resign/$A-00000000000000000001.gqb
refused_case "station b's bundle re-headed as station a's" "$SIGNATURE"

# ---- a station this county never enrolled ----
fresh stranger "$T/Y1.orig"
_before=$(county_state)
run gqc import "$F"
is "$rc" 0 "another county's bundle: skipped, not refused (exit 0)"
like "$out" 'skipped: it is addressed to' "another county's bundle: the note says it is not for us"
is "$(county_state)" "$_before" "another county's bundle: the county's content is unchanged"
ok '[ -f "$F" ] && [ ! -f "$F.refused" ]' "another county's bundle: left where it is"
fresh stranger2 "$T/Y1.orig"; put_text "$F" 52 "$COUNTY_ID"; fix_header_sum "$F"; fix_checksum "$F"
refused_case "a bundle of a station not enrolled here, addressed to us" 'REFUSED: .*not an enrolled station'

# ---- a bundle for another station, re-addressed ----
fresh readdr; put_text "$F" 52 "$B"; fix_header_sum "$F"; fix_checksum "$F"
_before=$(county_state)
run gqc import "$F"
is "$rc" 0 "a bundle addressed to station b: skipped (exit 0)"
like "$out" "skipped: it is addressed to $B" "a bundle addressed to station b: the note names it"
is "$(county_state)" "$_before" "a bundle addressed to station b: the county's content is unchanged"

# ---- payloads swapped between two bundles ----
HB=$(hdr_len "$T/B1.orig")
SB=$(size_of "$T/B1.orig")
mkdir -p "$T/case/swap1"
F=$T/case/swap1/$A-00000000000000000001.gqb
{ head -c $((H + 80)) "$T/A1.orig"; tail -c +$((HB + 81)) "$T/B1.orig"; } >"$F"
refused_case "a's header and sealed key with b's ciphertext" "REFUSED: .*(is damaged|is truncated|unexpected data)"
# The same with the lengths made to agree and both sums recomputed: forged.
mkdir -p "$T/case/swap2"
F=$T/case/swap2/$A-00000000000000000001.gqb
{ head -c $((H + 80)) "$T/A1.orig"; tail -c +$((HB + 81)) "$T/B1.orig"; } >"$F"
put_hex "$F" 128 "$(od -An -tx1 -j128 -N40 "$T/B1.orig" | tr -d ' \n')"
fix_header_sum "$F"; fix_checksum "$F"
refused_case "b's ciphertext under a's header, lengths and sums made right" "$SIGNATURE"
# b's sealed key and ciphertext under a's header and signature.
mkdir -p "$T/case/swap3"
F=$T/case/swap3/$A-00000000000000000001.gqb
{ head -c "$H" "$T/A1.orig"; tail -c +$((HB + 1)) "$T/B1.orig"; } >"$F"
put_hex "$F" 128 "$(od -An -tx1 -j128 -N40 "$T/B1.orig" | tr -d ' \n')"
fix_header_sum "$F"; fix_checksum "$F"
refused_case "b's sealed key, ciphertext and signature under a's header" "$SIGNATURE"

# ---- after all that, the real bundles are taken ----
fresh real; run gqc import "$F"
is "$rc" 0 "the genuine bundle of a is imported after the refused copies"
like "$out" 'bundle 1 from 411524103205.* 0 conflicts' "its report names bundle 1 of 宋岗村"
like "$(gqc person list --format csv --codes)" '张桂兰' "张桂兰 is at the county now"
fresh realb "$T/B1.orig"; run gqc import "$F"
is "$rc" 0 "the genuine bundle of b is imported"
run gqc check
is "$rc" 0 "check passes at the county"
echo "# $ncases refused cases"

finish
