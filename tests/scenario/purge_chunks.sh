#!/bin/sh
# usmt-purge over several chunks of entries (512 a chunk, checked and deleted
# on one thread while the other records the chunk before): entries kept or
# gone in the first, a middle and the last chunk are recorded as exactly
# those, every other entry is done, and no restored file is touched. A file
# renamed after verify leaves the store with as many entries as verify saw:
# the plan still finds the new name unknown (and keeps it), not only a
# changed count. A folder goes as soon as the entries in it have (before the
# last chunk's entries), unless something is left in it: a kept entry, or
# an empty folder made after verify (which the folder phase removes first).
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
trap 'rc=$?; if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT

ps_init "$T/m"
# 30 folders of 50 files: 1,500 entries, three chunks in rel order.
ps_linked_grid 30 50
ps_verify
expect_rc 0 "verify"
before=$(ps_snap "$C")

# After verify: three store entries replaced by other files (kept), two gone.
for d in 02 15 29; do
	rm "$SF/Users/u/d$d/f10.txt"
	printf 'another file' >"$SF/Users/u/d$d/f10.txt"
done
rm "$SF/Users/u/d07/f33.txt" "$SF/Users/u/d22/f01.txt"
mv "$SF/Users/u/d05/f20.txt" "$SF/Users/u/d05/g20.txt"
mkdir "$SF/Users/u/d03/new"

uk_tool purge --json --log "$T/purge.log" "$S"
expect_rc 1 "purge keeps the three changed entries and the renamed one"
expect_eq "$(json result)" kept "result"
expect_eq "$(json deleted_files)" 1494 "deleted_files"
expect_eq "$(json kept)" 4 "kept"
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT group_concat(state || ' ' || n, ', ') FROM (SELECT state,
	count(*) n FROM purge_step WHERE phase = 1 GROUP BY state ORDER BY state)")" \
	"done 1494, gone 3, kept 4" "entry states"
expect_eq "$(sql "$db" "SELECT group_concat(rel, ' ') FROM (SELECT rel FROM purge_step
	WHERE phase = 1 AND state = 'kept' AND kind <> 'unknown' ORDER BY rel)")" \
	"C\$/Users/u/d02/f10.txt C\$/Users/u/d15/f10.txt C\$/Users/u/d29/f10.txt" "kept entries"
expect_eq "$(sql "$db" "SELECT DISTINCT reason FROM purge_step WHERE phase = 1 AND
	state = 'kept' AND kind <> 'unknown'")" \
	"changed since verify: the store entry is another file now" "kept reason"
expect_eq "$(sql "$db" "SELECT rel || ': ' || reason FROM purge_step WHERE kind = 'unknown'")" \
	"C\$/Users/u/d05/g20.txt: not in the verify run: usmt-verify never checked it" \
	"the renamed entry"

expect_eq "$(sql "$db" "SELECT group_concat(state || ' ' || n, ', ') FROM (SELECT state,
	count(*) n FROM purge_step WHERE phase = 2 GROUP BY state ORDER BY state)")" \
	"blocked 7, done 27" "folder states"
expect_eq "$(sql "$db" "SELECT group_concat(rel, ' ') FROM (SELECT rel FROM purge_step
	WHERE phase = 2 AND state = 'blocked' ORDER BY rel)")" \
	"C\$ C\$/Users C\$/Users/u C\$/Users/u/d02 C\$/Users/u/d05 C\$/Users/u/d15 C\$/Users/u/d29" \
	"blocked folders"
# d00 (emptied in the first chunk) went before the last chunk's entries were
# recorded; d03 only once the folder phase had removed d03/new.
line() { grep -n "deleted USMT/File/C\$/Users/u/$1]LOG" "$T/purge.log" | cut -d: -f1; }
[ -n "$(line d00)" ] && [ "$(line d00)" -lt "$(line d29/f49.txt)" ] ||
	die "d00 was not removed with the entries: $(line d00) vs $(line d29/f49.txt)"
[ -n "$(line d03/new)" ] && [ "$(line d03/new)" -lt "$(line d03)" ] &&
	[ "$(line d03)" -gt "$(line d29/f49.txt)" ] ||
	die "d03 went before the folder made after verify in it"

# What stays in the store is the three kept files and the folders above them.
left=$(cd "$SF" && find . -type f | LC_ALL=C sort | tr '\n' ' ')
expect_eq "$left" "./Users/u/d02/f10.txt ./Users/u/d05/g20.txt ./Users/u/d15/f10.txt ./Users/u/d29/f10.txt " \
	"files left in the store"
expect_eq "$(cat "$SF/Users/u/d15/f10.txt")" "another file" "a kept file's content"
[ ! -e "$SF/Users/u/d03" ] || die "an emptied folder is still there"
expect_eq "$(ps_snap "$C")" "$before" "restored tree"

# As many entries and folders as verify saw, one of them under another name
# (a rename after verify): the new name is found unknown and kept.
ps_init "$T/r"
for f in $(seq -w 0 19); do ps_linked "Users/v/f$f.txt" "v $f"; done
ps_verify
expect_rc 0 "verify of the second store"
mv "$SF/Users/v/f07.txt" "$SF/Users/v/h07.txt"
uk_tool purge --json "$S"
expect_rc 1 "purge keeps the renamed entry"
expect_eq "$(json deleted_files)" 19 "deleted_files (renamed store)"
expect_eq "$(sql "$S.usmtkit.db" "SELECT rel || ': ' || state FROM purge_step WHERE
	kind = 'unknown'")" "C\$/Users/v/h07.txt: kept" "the renamed entry (same count)"
[ -f "$SF/Users/v/h07.txt" ] || die "the renamed entry was deleted"
