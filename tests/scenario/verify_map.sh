#!/bin/sh
# --map for a renamed profile (recorded in verify_map, applied to win_path);
# the default root (the store's mount point) when the store has one drive.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/jsmith/Documents" "$S/Users/other" "$C/Users/john.smith/Documents" "$C/Users/other" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
printf 'x' >"$C/Users/john.smith/Documents/cv.doc"; ln "$C/Users/john.smith/Documents/cv.doc" "$S/Users/jsmith/Documents/cv.doc"
printf 'y' >"$C/Users/other/y.txt"; ln "$C/Users/other/y.txt" "$S/Users/other/y.txt"

uk_tool verify --root "C=$C" "$T/store" --json
expect_rc 1 "without --map the renamed profile looks missing"
expect_eq "$(json verdicts.missing)" 1 missing

uk_tool verify --root "C=$C" --map 'c:\users\JSMITH=C:\Users\john.smith' --map 'C:\Users\jsmith=C:\never' --json "$T/store"
expect_rc 0 "mapped"
expect_eq "$(json verdicts.linked)" 2 linked
DB="$T/store.usmtkit.db"
run=$(json run_id)
expect_eq "$(sql "$DB" "SELECT win_path FROM entry WHERE run_id = $run AND rel LIKE '%cv.doc'")" 'C:\Users\john.smith\Documents\cv.doc' "win_path after --map"
expect_eq "$(sql "$DB" "SELECT seq || ' ' || from_prefix || ' ' || to_prefix FROM verify_map WHERE run_id = $run ORDER BY seq")" \
	'1 c:\users\JSMITH C:\Users\john.smith
2 C:\Users\jsmith C:\never' "rules recorded in order"
uk_tool verify --map 'nothing' "$T/store"
expect_rc 2 "bad --map"

# No --root and one drive folder: C: is the mount point holding the store.
mnt=$(df --output=target "$T/store" | tail -n 1)
uk_tool verify --json "$T/store"
expect_rc 1 "nothing restored under the mount point"
expect_eq "$(sql "$DB" "SELECT local_path FROM entry WHERE run_id = $(json run_id) AND rel LIKE '%y.txt'")" \
	"${mnt%/}/Users/other/y.txt" "default root"
