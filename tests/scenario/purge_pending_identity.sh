#!/bin/sh
# --run-pending deletes only what was scheduled: each pending row records the
# identity, type, size and mtime of what was at its path, and whatever is
# there now instead (another file, a new file, a symbolic link, a folder) is
# kept and reported, result kept, exit 1. Leftovers made undeletable with
# chattr +i, as in purge_pending.sh.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
command -v chattr >/dev/null || die "chattr missing (e2fsprogs)"

ps_init "$T/m"
ps_linked Users/a/same.txt "left alone"
ps_linked Users/a/other.txt "replaced by another file"
ps_linked Users/b/new.txt "deleted, then a new one made"
ps_linked Users/b/link.txt "replaced by a symbolic link"
ps_linked Users/c/dir.txt "replaced by a folder"
ps_verify
expect_rc 0 verify
files="$SF/Users/a/same.txt $SF/Users/a/other.txt $SF/Users/b/new.txt $SF/Users/b/link.txt
	$SF/Users/c/dir.txt"
trap 'rc=$?; chattr -i $files 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi; exit $rc' EXIT
# shellcheck disable=SC2086
chattr +i $files
uk_tool purge --json "$S"
expect_rc 10 "leftovers scheduled"
db="$S.usmtkit.db"
# 5 files, folders a b c Users C$ File USMT and the root
expect_eq "$(json scheduled)" 13 scheduled
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_pending WHERE fid IS NOT NULL AND
	type IS NOT NULL")" 13 "what was scheduled is recorded"
expect_eq "$(sql "$db" "SELECT type, size IS NOT NULL, mtime IS NOT NULL FROM purge_pending
	WHERE rel = 'C\$/Users/a/same.txt'")" "file|1|1" "a file's size and mtime"
expect_eq "$(sql "$db" "SELECT DISTINCT type || (size IS NULL) FROM purge_pending WHERE
	phase >= 2")" "dir1" "a folder's identity only"

note "after scheduling, four of the paths get something else"
# shellcheck disable=SC2086
chattr -i $files
printf 'another file, same size!' >"$T/other" && mv "$T/other" "$SF/Users/a/other.txt"
rm "$SF/Users/b/new.txt" && printf 'a new file' >"$SF/Users/b/new.txt"
rm "$SF/Users/b/link.txt" && ln -s "$C/Users/b/link.txt" "$SF/Users/b/link.txt"
rm "$SF/Users/c/dir.txt" && mkdir "$SF/Users/c/dir.txt"
before=$(ps_snap)

uk_tool purge --json --dry-run --run-pending "$S"
expect_rc 1 "a dry run that keeps something"
expect_eq "$(json kept)" 4 "dry run: the four changed paths"
expect_eq "$(ps_snap)" "$before" "a dry run changes nothing"

uk_tool purge --json --run-pending "$S"
expect_rc 1 "kept, as elsewhere"
expect_eq "$(json result)" kept result
expect_eq "$(json deleted_files)" 1 "only the file left alone"
# the four paths, and the 8 folders that hold them
expect_eq "$(json kept)" 12 kept
expect_eq "$(json scheduled)" 0 "nothing left pending"
json reason | grep -q "changed since it was scheduled" || die "reason: $(json reason)"
expect_err "other.txt: changed since it was scheduled: another item is at its path now"
expect_err "new.txt: changed since it was scheduled: another item is at its path now\|new.txt: changed since it was scheduled: its size"
expect_err "link.txt: changed since it was scheduled: it was a file, it is a symbolic link now"
expect_err "dir.txt: changed since it was scheduled: it was a file, it is a folder now"
[ ! -e "$SF/Users/a/same.txt" ] || die "the file left alone is still there"
expect_eq "$(cat "$SF/Users/a/other.txt")" "another file, same size!" "the other file kept"
expect_eq "$(cat "$SF/Users/b/new.txt")" "a new file" "the new file kept"
[ -L "$SF/Users/b/link.txt" ] || die "the symbolic link is gone"
[ -d "$SF/Users/c/dir.txt" ] || die "the folder is gone"
expect_eq "$(cat "$C/Users/b/link.txt")" "replaced by a symbolic link" "the link's target"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_pending")" 0 "kept paths leave the list"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_step WHERE state = 'kept' AND
	reason LIKE 'changed since it was scheduled%'")" 4 "journaled kept, with why"

uk_tool purge --json --run-pending "$S"
expect_rc 1 "nothing pending, the store still there"
expect_eq "$(json result)" kept result

note "a pending list written by schema version 2 (no identity): migrated, still re-checked"
ps_init "$T/v2"
ps_linked Users/d/kept.txt "replaced later"
ps_linked Users/d/gone.txt "left alone"
ps_verify
expect_rc 0 verify
files="$SF/Users/d/kept.txt $SF/Users/d/gone.txt"
# shellcheck disable=SC2086
chattr +i $files
uk_tool purge --json "$S"
expect_rc 10 "scheduled"
# shellcheck disable=SC2086
chattr -i $files
db="$S.usmtkit.db"
# Version 3 is version 2 plus these four columns (common/db_schema.c).
sql "$db" "ALTER TABLE purge_pending DROP COLUMN fid; ALTER TABLE purge_pending DROP COLUMN type;
	ALTER TABLE purge_pending DROP COLUMN size; ALTER TABLE purge_pending DROP COLUMN mtime;
	PRAGMA user_version = 2"
printf 'replaced later' >"$T/k" && mv "$T/k" "$SF/Users/d/kept.txt"
uk_tool purge --json --run-pending "$S"
expect_rc 1 "kept"
expect_eq "$(sql "$db" "PRAGMA user_version")" 3 "migrated"
expect_eq "$(json deleted_files)" 1 "the file verify's identity still matches"
[ -f "$SF/Users/d/kept.txt" ] || die "the replaced file was deleted"
expect_err "kept.txt: changed since it was scheduled: another item is at its path now"
