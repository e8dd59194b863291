#!/bin/sh
# usmt-purge refuses (exit 1, result "refused", nothing touched) without a
# finished verify run that found nothing at risk; --dry-run predicts the same.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha"
ps_copy Users/alice/b.txt "bravo"
ps_sole Users/alice/lost.txt "only in the store"
before=$(ps_snap)

note "no database yet"
uk_tool purge --json "$S"
expect_rc 1 "no verify run"
expect_eq "$(json result)" refused result
json reason | grep -q "run usmt-verify first" || die "reason: $(json reason)"
# Said once: in the JSON object on stdout, not again on stderr.
! grep -q "refused\|verify first" "$err" || { cat "$err"; die "the refusal repeated on stderr"; }
expect_eq "$(ps_snap)" "$before" "tree after refusal"

note "verify finds a missing file (a sole copy)"
ps_verify
expect_rc 1 "verify finds the missing file"
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT verdict, sole_copy FROM entry WHERE rel LIKE '%lost.txt'")" "missing|1"
for mode in "" --dry-run; do
	uk_tool purge --json $mode "$S"
	expect_rc 1 "gate refusal $mode"
	expect_eq "$(json result)" refused "result $mode"
	json reason | grep -q "1 missing, 0 unreadable and 1 sole-copy" || die "reason: $(json reason)"
	expect_eq "$(json deleted_files)" 0 deleted
done
expect_eq "$(ps_snap)" "$before" "tree after gate refusal"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_step")" 0 "journal untouched"

note "an interrupted verify run is never trusted"
rm "$SF/Users/alice/lost.txt"
printf 'only in the store' >"$C/Users/alice/lost.txt"
ps_verify
expect_rc 0 "clean verify"
sql "$db" "UPDATE verify_run SET finished = NULL WHERE id = (SELECT max(id) FROM verify_run)"
sql "$db" "DELETE FROM verify_run WHERE id <> (SELECT max(id) FROM verify_run)"
before=$(ps_snap)
uk_tool purge "$S"
expect_rc 1 "unfinished verify run"
expect_out "refused: .*no finished verify run"
expect_eq "$(ps_snap)" "$before" "tree after refusal"

note "the gate opens on a finished clean run; excluded files are not protected"
ps_sole Users/alice/ntuser.dat.LOG1 "transaction log"
ps_verify --exclude 'C:\Users\* [ntuser.dat.LOG*]'
expect_rc 0 "clean verify"
expect_eq "$(sql "$db" "SELECT verdict || ':' || sole_copy FROM entry WHERE
	run_id = (SELECT max(id) FROM verify_run) AND rel LIKE '%LOG1'")" "excluded:0" "excluded"
uk_tool purge --json "$S"
expect_rc 0 "purge"
expect_eq "$(json result)" purged result
expect_eq "$(json deleted_files)" 6 "3 entries (one excluded) + 3 control files"
[ ! -e "$S" ] || die "store still there"
expect_eq "$(cat "$C/Users/alice/a.txt")" alpha "restored a.txt"
expect_eq "$(cat "$C/Users/alice/lost.txt")" "only in the store" "restored lost.txt"
