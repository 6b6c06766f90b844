#!/bin/sh
# tap_honest.sh - a skipped check is reported as skipped, never as passed:
# lib.sh's skip writes TAP "ok N # SKIP", pass refuses a directive as its
# name, and no test script turns a check into a todo or a skip into a pass.
. "${top_srcdir:-.}/tests/lib.sh"

# A small script using lib.sh, run on its own.
cat >"$T/inner.sh" <<'INNER'
. "$top_srcdir/tests/lib.sh"
skip "no such locale" 2
pass "# SKIP hidden"
pass "a real pass"
finish
INNER
run env top_srcdir="$top_srcdir" sh "$T/inner.sh"
is "$(printf '%s\n' "$out" | grep -c '^ok [0-9]* # SKIP no such locale$')" 2 "skip writes a SKIP directive, once per check"
like "$out" '^not ok 3 - # SKIP hidden' "pass with a directive as its name is a failure"
like "$out" '^ok 4 - a real pass' "pass with a name passes"
isnt "$rc" 0 "the script fails when pass is misused"

# The automake TAP driver counts skips as SKIP.
cat >"$T/skips.sh" <<'INNER'
echo 1..2
echo "ok 1 # SKIP not here"
echo "ok 2 - here"
INNER
run sh "$top_srcdir/build-aux/tap-driver.sh" --test-name skips --log-file "$T/skips.log" \
	--trs-file "$T/skips.trs" -- sh "$T/skips.sh"
like "$out" 'SKIP: skips 1' "the TAP driver reports the skipped check as SKIP"
like "$out" 'PASS: skips 2' "and the other as PASS"

# No test script hides a skip or makes a check expected to fail.
hidden=$(grep -lE 'pass "# ?(SKIP|TODO)|^[[:space:]]*todo ' "$top_srcdir"/tests/*.sh |
	grep -v -e '/lib.sh$' -e '/tap_honest.sh$')
is "$hidden" "" "no test script passes a skip or marks a check todo"
finish
