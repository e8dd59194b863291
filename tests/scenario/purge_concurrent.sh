#!/bin/sh
# Two purges of one store at once: the second refuses (exit 1, result
# "refused", the reason says so) and touches nothing. The first is played
# by tests/helpers/holdlock, which holds the same OS lock (<db>.lock).
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
holdlock="$UK_BUILD/tests/holdlock$UK_EXE"
[ -x "$holdlock" ] || die "missing $holdlock (make unit-tests)"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha"
ps_verify
expect_rc 0 verify
before=$(ps_snap)

mkfifo "$T/hold"
$UK_RUN "$holdlock" "$S.usmtkit.db.lock" <"$T/hold" >"$T/ready" &
holder=$!
exec 3>"$T/hold"          # the holder keeps the lock until fd 3 closes
n=0
until grep -q locked "$T/ready" 2>/dev/null; do
	n=$((n + 1)); [ $n -lt 600 ] || die "holdlock never took the lock"
	kill -0 $holder 2>/dev/null || die "holdlock exited"
	sleep 0.1
done

for mode in "" --dry-run --readonly-only --run-pending; do
	uk_tool purge --json $mode "$S"
	expect_rc 1 "second purge $mode"
	expect_eq "$(json result)" refused "result $mode"
	json reason | grep -q "another usmt-purge is running" || die "reason: $(json reason)"
done
expect_eq "$(ps_snap)" "$before" "tree while locked"

exec 3>&-
wait $holder
uk_tool purge "$S"
expect_rc 0 "purge once the lock is free"
[ ! -e "$S" ] || die "store still there"
