#!/bin/sh
# Read-only restored files are still read-only after the purge; the attribute
# is re-applied only to the very file verify saw; --readonly-only re-applies
# the recorded attributes and deletes nothing, even after the store is gone.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_readonly Users/alice/contract.pdf "signed"
ps_readonly "Users/alice/Docs/Ünïcødé [1].txt" "ro unicode"
ps_copy Users/alice/ro-copy.txt "copied"; chmod a-w "$C/Users/alice/ro-copy.txt"
ps_linked Users/alice/plain.txt "writable"
ps_verify
expect_rc 0 verify
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE restored_readonly = 1")" 3 "recorded r/o"

note "--readonly-only puts back an attribute that was lost, deletes nothing"
store=$(ps_snap "$S")
chmod u+w "$C/Users/alice/contract.pdf"
uk_tool purge --json --readonly-only "$S"
expect_rc 0 "--readonly-only"
expect_eq "$(json result)" readonly-only result
expect_eq "$(json readonly_restored)" 3 readonly_restored
expect_eq "$(json deleted_files)" 0 deleted
expect_eq "$(stat -c %a "$C/Users/alice/contract.pdf")" 444 "contract.pdf mode"
# contract.pdf is one file with its store entry: the store is as verify saw it.
expect_eq "$(ps_snap "$S")" "$store" "store unchanged"

note "purge: every read-only file stays read-only"
uk_tool purge --json "$S"
expect_rc 0 purge
expect_eq "$(json readonly_restored)" 3 readonly_restored
[ ! -e "$S" ] || die "store still there"
for f in contract.pdf "Docs/Ünïcødé [1].txt" ro-copy.txt; do
	expect_eq "$(stat -c %a "$C/Users/alice/$f")" 444 "$f mode"
done
expect_eq "$(stat -c %a "$C/Users/alice/plain.txt")" 644 "plain.txt mode"

note "--readonly-only after the store is gone, from the database"
chmod u+w "$C/Users/alice/ro-copy.txt"
# Saved by temp-and-rename: another file (the old inode is still held by
# the rename's source until then, so ext4 cannot hand the same number back).
printf 'new file, writable' >"$C/Users/alice/contract.tmp"
mv -f "$C/Users/alice/contract.tmp" "$C/Users/alice/contract.pdf"
uk_tool purge --readonly-only "$S"
expect_rc 0 "--readonly-only without a store"
expect_eq "$(stat -c %a "$C/Users/alice/ro-copy.txt")" 444 "ro-copy.txt mode"
expect_eq "$(stat -c %a "$C/Users/alice/contract.pdf")" 644 "a replaced file is left alone"
expect_err "read-only not re-applied to .*contract.pdf: it is another file"

note "--readonly-only after the store was deleted by other means (rd /s)"
ps_init "$T/n"
ps_readonly Users/ann/plan.xlsx "plan"
ps_verify
expect_rc 0 verify
rm -rf "$S"
chmod u+w "$C/Users/ann/plan.xlsx"    # what NTFS does when the store link goes
uk_tool purge --json --readonly-only "$S"
expect_rc 0 "--readonly-only from the verify run alone"
expect_eq "$(json readonly_restored)" 1 readonly_restored
expect_eq "$(stat -c %a "$C/Users/ann/plan.xlsx")" 444 "plan.xlsx read-only again"
uk_tool purge "$S"
expect_rc 2 "but purging a store that is not there is refused"
