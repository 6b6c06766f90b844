#!/bin/sh
# cli_auth_memory.sh - a sign-in that cannot get the memory to check the
# PIN (Argon2id needs 64 MiB) says so, and is not counted as a wrong PIN:
# no failure recorded, no lockout delay, and the next sign-in with memory
# works at once.
. "${top_srcdir:-.}/tests/lib.sh"

# The PIN's real limits, not the suite's fast ones (tests/cli_pin_limits.sh).
unset GUANQING_TEST_FAST_PIN

# A sanitizer build reserves terabytes of address space and cannot start
# under any small limit: there this test cannot run, and says so.
if ! sh -c "ulimit -v 40000 && exec \"\$GUANQING\" --version" >/dev/null 2>&1; then
	echo "1..0 # SKIP this build cannot start in 40 MB of address space (a sanitizer build)"
	exit 0
fi

county=$T/county.db
run gq --db "$county" county init --division 411524 $ADMIN_OPTS
is "$rc" 0 "the county is made with its admin"

# 40 MB of address space: enough to start and open the database, not for
# the 64 MiB the PIN's hash takes.
run sh -c "ulimit -v 40000 && exec \"\$GUANQING\" --db '$county' person list"
is "$rc" 1 "a sign-in without the memory for the PIN fails"
like "$err" 'Not enough memory to check the PIN of 张主任' "it says there is not enough memory, and whose PIN"
like "$err" 'not counted' "and that the try is not counted"
unlike "$err" 'Wrong PIN' "it does not say the PIN is wrong"
is "$(sqlite3 "$county" 'SELECT coalesce(max(failures), 0) FROM user_secret')" 0 "no failure is recorded"
is "$(sqlite3 "$county" 'SELECT coalesce(max(next_try_ms), 0) FROM user_secret')" 0 "no delay is set before the next try"

run gq --db "$county" person list
is "$rc" 0 "with its memory, the same sign-in works at once"

printf '999999\n' > "$T/bad.pin"
chmod 600 "$T/bad.pin"
run gq --db "$county" --pin-file "$T/bad.pin" person list
is "$rc" 1 "a wrong PIN with enough memory is refused"
like "$err" 'Wrong PIN for 张主任' "and named a wrong PIN"
is "$(sqlite3 "$county" 'SELECT max(failures) FROM user_secret')" 1 "and counted"

done_testing
