#!/bin/sh
# cli_pin_limits.sh - a PIN is hashed with libsodium's interactive limits
# (64 MiB, two passes); the test build's GUANQING_TEST_FAST_PIN=1, which
# the rest of the suite sets to sign in quickly, gives the smallest ones.
# Each hash carries its limits, and the key slot wrapped under a PIN is
# derived with them: a PIN set either way signs in and opens the keys
# either way.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/sync_lib.sh"

hash_of() { sqlite3 "$1" "SELECT pin_hash FROM user_secret LIMIT 1"; }

# Interactive limits without the variable.
C=$T/county.db
unset GUANQING_TEST_FAST_PIN
county_init
like "$(hash_of "$C")" '^\$argon2id\$v=19\$m=65536,t=2,p=1\$' "without the variable the PIN takes 64 MiB and two passes"

# The fast limits set nothing else apart: that PIN checks with the
# variable set, and the county's keys open (an enrolment signs with them).
GUANQING_TEST_FAST_PIN=1
export GUANQING_TEST_FAST_PIN
run gqc person list
is "$rc" 0 "a PIN hashed slowly signs in with the variable set"
enroll_station 411524103205 a
ok "[ -s '$T/a.db' ]" "and the county's keys open to enrol a station"
like "$(hash_of "$T/a.db")" '^\$argon2id\$v=19\$m=8,t=1,p=1\$' "with the variable the station admin's PIN takes the smallest limits"

# That fast PIN signs in, and its slot opens, with the variable unset.
gqs a person add --name 张桂兰 --sex F --address "宋岗村一组" >/dev/null
unset GUANQING_TEST_FAST_PIN
run gqs a export --to "$STICK"
is "$rc" 0 "a PIN hashed fast signs in without the variable, and its keys sign the bundle"
run gqc import "$STICK"
is "$rc" 0 "the county takes the bundle"
like "$(gqc person list --format csv --codes)" '张桂兰' "and holds the station's person"

cp "$T/a.db" "$T/spoilt.db"

# A wrong PIN is still wrong under either limits.
printf '999999\n' > "$T/bad.pin"
chmod 600 "$T/bad.pin"
run gqs a --pin-file "$T/bad.pin" person list
is "$rc" 1 "a wrong PIN is refused"
like "$err" 'Wrong PIN' "and named a wrong PIN"

# The slot is the PIN's check when it opens; when it no longer matches
# (here its wrapped key is spoilt) the PIN's hash decides the sign-in, and
# the keys stay closed.
sqlite3 "$T/spoilt.db" "UPDATE key_slot SET wrapped = zeroblob(length(wrapped))"
run gqs spoilt person list --format csv --codes
is "$rc" 0 "with a spoilt slot the right PIN still signs in"
like "$out" '张桂兰' "and the records read"
run gqs spoilt --pin-file "$T/bad.pin" person list
is "$rc" 1 "a wrong PIN is still refused"
run gqs spoilt export --to "$T/stick2"
ok "[ $rc -ne 0 ]" "but the station's keys do not open to sign a bundle"
ok "[ ! -d '$T/stick2/guanqing' ] || [ -z \"\$(ls '$T/stick2/guanqing' 2>/dev/null | grep -v '^\\.')\" ]" "and no bundle is written"

done_testing
