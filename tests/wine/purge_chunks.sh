#!/bin/sh
# purge.exe over three chunks of entries (two threads check and delete them,
# each with its own open folders, closed before the folders go): a store
# entry replaced after verify in the first and the last chunk is kept, one
# renamed (the counts unchanged) is found unknown and kept, everything else
# goes, folders included, and no restored file is touched. A folder emptied
# in the first chunk goes with the entries, not after them: neither thread
# holds it open any more.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked_grid 24 50
map_drive S "$T"
uk_tool verify --root 'C=S:\m\c' 'S:\m\store'
expect_rc 0 "verify.exe"
before=$(ps_snap "$C")
for d in 01 22; do
	rm "$SF/Users/u/d$d/f10.txt"
	printf 'another file' >"$SF/Users/u/d$d/f10.txt"
done
mv "$SF/Users/u/d12/f20.txt" "$SF/Users/u/d12/g20.txt"

uk_tool purge --json --log 'S:\m\purge.log' 'S:\m\store'
expect_rc 1 "purge.exe keeps the replaced and the renamed entries"
expect_eq "$(json result)" kept result
expect_eq "$(json deleted_files)" 1197 deleted_files
expect_eq "$(json kept)" 3 kept
left=$(cd "$SF" && find . -type f | LC_ALL=C sort | tr '\n' ' ')
expect_eq "$left" "./Users/u/d01/f10.txt ./Users/u/d12/g20.txt ./Users/u/d22/f10.txt " \
	"files left in the store"
[ ! -e "$SF/Users/u/d05" ] || die "an emptied folder is still there"
line() { grep -n "deleted USMT/File/C\$/Users/u/$1]LOG" "$T/m/purge.log" | cut -d: -f1; }
[ -n "$(line d00)" ] && [ "$(line d00)" -lt "$(line d23/f49.txt)" ] ||
	die "d00 was not removed with the entries: $(line d00) vs $(line d23/f49.txt)"
expect_eq "$(ps_snap "$C")" "$before" "restored tree"
