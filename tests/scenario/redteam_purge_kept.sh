#!/bin/sh
# "Purged means gone", and no plan that keeps something exits 0:
# - --run-pending with nothing pending said result purged, exit 0, while the
#   store was still there (kept by an earlier --force purge, or never purged
#   at all): now kept, exit 1, the reason says why;
# - --dry-run whose plan keeps an entry (changed since verify) exited 0 like a
#   clean plan: now exit 1 (result still dry-run), a clean plan 0.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"

note "--force kept a sole copy; --run-pending after it"
ps_init "$T/m"
ps_linked Users/a/l.txt "linked"
ps_sole Users/a/s.txt "sole"
ps_verify
expect_rc 1 "a sole copy"
uk_tool purge --force --json "$S"
expect_rc 1 "kept"
expect_eq "$(json result)" kept result
uk_tool purge --run-pending --json "$S"
expect_rc 1 "the store is still there"
expect_eq "$(json result)" kept result
expect_eq "$(json scheduled)" 0 scheduled
json reason | grep -q "the store is still there and nothing is pending" || die "reason: $(json reason)"
[ -f "$SF/Users/a/s.txt" ] || die "the sole copy is gone"
expect_eq "$(sql "$S.usmtkit.db" "SELECT result FROM purge_run ORDER BY id DESC LIMIT 1")" \
	kept "journal"
uk_tool purge --run-pending "$S"
expect_rc 1 "text"
expect_out "kept"

note "--run-pending on a store never purged"
ps_init "$T/n"
ps_linked Users/a/l.txt "linked"
ps_verify
expect_rc 0 clean
before=$(ps_snap)
uk_tool purge --run-pending --json "$S"
expect_rc 1 "not purged"
expect_eq "$(json result)" kept result
expect_eq "$(ps_snap)" "$before" "nothing touched"
uk_tool purge --json "$S"
expect_rc 0 "purged"
[ ! -e "$S" ] || die "store still there"
uk_tool purge --run-pending --json "$S"
expect_rc 0 "gone, nothing pending"
expect_eq "$(json result)" purged result

note "--dry-run of a plan that keeps an entry"
ps_init "$T/d"
ps_linked Users/a/l.txt "linked"
ps_copy Users/a/c.txt "copy content"
ps_verify
expect_rc 0 clean
uk_tool purge --dry-run --json "$S"
expect_rc 0 "a clean plan"
expect_eq "$(json kept)" 0 kept
cp -p "$SF/Users/a/c.txt" "$T/ref"
printf '%s' "COPY content" >"$SF/Users/a/c.txt"
touch -r "$T/ref" "$SF/Users/a/c.txt"
before=$(ps_snap)
uk_tool purge --dry-run --json "$S"
expect_rc 1 "the plan keeps the changed copy"
expect_eq "$(json result)" dry-run result
expect_eq "$(json kept)" 1 kept
expect_eq "$(json exit_code)" 1 exit_code
expect_eq "$(ps_snap)" "$before" "nothing touched"
uk_tool purge --json "$S"
expect_rc 1 "the real run agrees"
expect_eq "$(json result)" kept result

note "--run-pending --dry-run on a store never purged: exit 1, as the run would"
ps_init "$T/p"
ps_linked Users/a/l.txt "linked"
ps_verify
expect_rc 0 clean
uk_tool purge --run-pending --dry-run --json "$S"
expect_rc 1 "the store would still be there"
expect_eq "$(json result)" dry-run result
[ -d "$S/USMT" ] || die "a dry run deleted something"
