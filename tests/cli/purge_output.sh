#!/bin/sh
# Where output goes: the result on stdout; --progress draws a progress line
# on stderr (off by default when stderr is not a terminal); -q silences
# information but never warnings; --log appends CMTrace lines.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha"
ps_sole Users/alice/lost.txt "only here"
ps_verify
uk_tool purge --dry-run --force "$S"
expect_rc 1 "dry run, default progress (the plan keeps the sole copy)"
! grep -q "planning\|checking" "$err" || die "progress drawn although stderr is not a terminal"
uk_tool purge --dry-run --force --progress "$S"
expect_rc 1 "dry run, --progress"
grep -q "usmt-purge: \(planning\|checking\)" "$err" || { cat "$err"; die "no progress line"; }
expect_out "^usmt-purge: DRY RUN"
! grep -q "planning\|checking" "$out" || die "progress on stdout"

uk_tool purge -q --force --log "$T/cm.log" "$S"
expect_rc 1 "purge -q: the sole copy is kept"
expect_err "warning: --force"                 # warnings stay
expect_out "^usmt-purge: kept: the store is still there: 1 kept, 1 because sole copy"
grep -q 'component="usmt-purge" context="" type="2"' "$T/cm.log" || die "no warning in the CMTrace log"
grep -q 'deleted USMT/File/C\$/Users/alice/a.txt' "$T/cm.log" || die "no deletion in the log"
rm "$SF/Users/alice/lost.txt"
uk_tool purge -q "$S"
expect_rc 1 "the verify run still has the sole copy: refused"
uk_tool purge -q --force "$S"
expect_rc 0 "the rest goes"
! grep -q "working from the database" "$err" || die "-q did not silence information"
uk_tool purge --force "$S"
expect_rc 0 "again, without -q"
expect_err "already gone; working from the database"
