#!/bin/sh
# Windows paths are case-insensitive: a restored folder spelled in another
# case than the store's (Users\ALICE\documents vs Users\alice\Documents) is
# the same place. verify records the path as found on disk, and purge's
# re-check at deletion time finds the file there, on a case-sensitive Linux
# file system too. A relative --root is recorded as an absolute path, so a
# purge started from another folder re-checks the same files.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
mkdir -p "$C/Users/ALICE/documents" "$SF/Users/alice/Documents"
printf 'report' >"$C/Users/ALICE/documents/Q3.xlsx"
ln "$C/Users/ALICE/documents/Q3.xlsx" "$SF/Users/alice/Documents/Q3.xlsx"
printf 'copy' >"$C/Users/ALICE/documents/locked.pst"
printf 'copy' >"$SF/Users/alice/Documents/locked.pst"
cd "$T/m"
uk_tool verify --json --root C=c "$S"
cd /
expect_rc 0 verify
expect_eq "$(json verdicts.linked)" 1 linked
expect_eq "$(json verdicts.identical)" 1 identical
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT local_path FROM entry WHERE rel LIKE '%Q3.xlsx'")" \
	"$C/Users/ALICE/documents/Q3.xlsx" "local_path as found on disk"

uk_tool purge --json "$S"
expect_rc 0 purge
expect_eq "$(json result)" purged result
expect_eq "$(json deleted_files)" 5 "deleted_files (2 user files + 3 USMT control files)"
expect_eq "$(json kept)" 0 kept
[ ! -e "$S" ] || die "store still there"
expect_eq "$(cat "$C/Users/ALICE/documents/Q3.xlsx")" report "restored Q3.xlsx"
expect_eq "$(cat "$C/Users/ALICE/documents/locked.pst")" copy "restored locked.pst"
