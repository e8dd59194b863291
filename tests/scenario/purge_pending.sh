#!/bin/sh
# Locked leftovers (here: made undeletable with chattr +i) are scheduled:
# exit 10, result "scheduled", the pending list in the database, files before
# their folders; --run-pending carries it out once the lock is gone.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
command -v chattr >/dev/null || die "chattr missing (e2fsprogs)"

ps_init "$T/m"
ps_linked Users/alice/locked.txt "in use"
ps_linked Users/alice/free.txt "free"
ps_linked Users/bob/inside.txt "in a locked folder"
ps_readonly Users/bob/ro.txt "read-only"
ps_verify
expect_rc 0 verify
locked="$SF/Users/alice/locked.txt"; ldir="$SF/Users/bob"
# Scratch must stay removable whatever happens.
trap 'rc=$?; chattr -i "$locked" "$ldir" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi; exit $rc' EXIT
chattr +i "$locked" "$ldir"
restored=$(ps_snap "$C")

uk_tool purge --json "$S"
expect_rc 10 "leftovers scheduled"
expect_eq "$(json result)" scheduled result
# locked.txt, bob's 2 files, and the folders alice, bob, Users, C$, File, USMT, root
expect_eq "$(json scheduled)" 10 scheduled
expect_eq "$(json kept)" 0 kept
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_pending WHERE os_scheduled = 0")" 10 pending
expect_eq "$(sql "$db" "SELECT min(seq) < (SELECT min(seq) FROM purge_pending WHERE phase >= 2)
	FROM purge_pending WHERE phase = 1")" 1 "files before folders"
[ ! -e "$SF/Users/alice/free.txt" ] || die "free.txt not deleted"
[ ! -e "$S/USMT/catalog.mig" ] || die "control files stay only when entries are kept"
expect_eq "$(ps_snap "$C")" "$restored" "restored tree"
# ro.txt sits in the immutable folder: the delete was refused, so its read-only
# was cleared (journaled first) for a retry, as on NTFS -- and re-applied.
expect_eq "$(sql "$db" "SELECT ro_cleared FROM purge_step WHERE rel LIKE '%bob/ro.txt'")" 1 \
	"ro_cleared journaled"
expect_eq "$(stat -c %a "$C/Users/bob/ro.txt")" 444 "ro.txt read-only again"

note "--run-pending while still locked"
uk_tool purge --json --run-pending "$S"
expect_rc 10 "still pending"
expect_eq "$(json result)" scheduled result
expect_eq "$(json scheduled)" 10 "still pending"

note "the lock is gone: --run-pending finishes"
chattr -i "$locked" "$ldir"
uk_tool purge --json --run-pending "$S"
expect_rc 0 "pending done"
expect_eq "$(json result)" purged result
expect_eq "$(json deleted_files)" 3 "files deleted by --run-pending"
expect_eq "$(json deleted_dirs)" 7 "folders deleted by --run-pending"
[ ! -e "$S" ] || die "store still there"
expect_eq "$(ps_snap "$C")" "$restored" "restored tree (read-only included)"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_pending")" 0 "pending list empty"
uk_tool purge --run-pending "$S"
expect_rc 0 "nothing left pending"

note "--no-schedule leaves leftovers in place: result kept, exit 1"
ps_init "$T/n"
ps_linked Users/dave/d.txt "dave"
ps_verify
locked="$SF/Users/dave/d.txt"; ldir="$SF/Users/dave"
chattr +i "$locked"
uk_tool purge --json --no-schedule "$S"
expect_rc 1 "--no-schedule with a leftover"
expect_eq "$(json result)" kept result
expect_eq "$(json scheduled)" 0 scheduled
expect_eq "$(json left)" 1 left
expect_eq "$(sql "$S.usmtkit.db" "SELECT count(*) FROM purge_pending")" 0 "nothing pending"
[ -f "$locked" ] || die "the locked file is gone?"
chattr -i "$locked"

note "a leftover handed to the OS (Windows: MoveFileExW) is only confirmed by --run-pending"
ps_init "$T/w"
ps_readonly Users/eve/e.txt "eve"
ps_verify
locked="$SF/Users/eve/e.txt"; ldir="$SF/Users/eve"
chattr +i "$locked"
uk_tool purge "$S"
expect_rc 10 "scheduled"
chattr -i "$locked"
db="$S.usmtkit.db"
# What fs_win32 records: the OS took the file, with read-only cleared first.
sql "$db" "UPDATE purge_pending SET os_scheduled = 1 WHERE phase = 1"
chmod u+w "$C/Users/eve/e.txt"
uk_tool purge --json --run-pending "$S"
expect_rc 10 "before the restart"
expect_eq "$(json scheduled)" 7 "the file (only the OS may delete it) and its 6 folders"
[ -f "$locked" ] || die "--run-pending deleted a file handed to the OS"
expect_eq "$(stat -c %a "$C/Users/eve/e.txt")" 644 "read-only waits until the store link is gone"
rm "$locked"    # the restart
uk_tool purge --json --run-pending "$S"
expect_rc 0 "after the restart"
expect_eq "$(json readonly_restored)" 1 readonly_restored
expect_eq "$(stat -c %a "$C/Users/eve/e.txt")" 444 "read-only re-applied after the restart"
[ ! -e "$S" ] || die "store still there"
