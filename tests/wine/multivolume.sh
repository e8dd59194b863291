#!/bin/sh
# A store on two volumes, as ScanState leaves it on Windows: S:\USMTMIG
# holding S$ and T:\USMTMIG holding T$, restored in place on S: and T:. With
# no --root the restored path is the Windows path itself; each volume has its
# own serial in the identities; purge.exe removes both stores.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"

mkstore() { mkdir -p "$1/USMT/File"; : >"$1/USMT/catalog.mig"; : >"$1/USMT/MIGSTATE.DAT"; : >"$1/USMT/hardlink.main"; }
mkstore "$T/s/USMTMIG"; mkstore "$T/t/USMTMIG"
sf="$T/s/USMTMIG/USMT/File/S\$"; tf="$T/t/USMTMIG/USMT/File/T\$"
mkdir -p "$sf/Users/ana" "$T/s/Users/ana" "$tf/Data/Projects" "$T/t/Data/Projects"
printf one >"$T/s/Users/ana/one.txt"; ln "$T/s/Users/ana/one.txt" "$sf/Users/ana/one.txt"
printf ro >"$T/s/Users/ana/ro.txt"; ln "$T/s/Users/ana/ro.txt" "$sf/Users/ana/ro.txt"
chmod a-w "$T/s/Users/ana/ro.txt"
printf plan >"$T/t/Data/Projects/plan.txt"; ln "$T/t/Data/Projects/plan.txt" "$tf/Data/Projects/plan.txt"
printf copy >"$T/t/Data/Projects/copy.txt"; printf copy >"$tf/Data/Projects/copy.txt"
map_drive S "$T/s"
map_drive T "$T/t"

uk_tool verify --json 'S:\USMTMIG' 'T:\USMTMIG'
expect_rc 0 "verify.exe of a two-volume store"
expect_eq "$(json stores)" '["S:\\USMTMIG", "T:\\USMTMIG"]' stores
expect_eq "$(json db)" 'S:\USMTMIG.usmtkit.db' "database beside the first store"
expect_eq "$(json files)" 4 files
expect_eq "$(json verdicts.linked)" 3 linked
expect_eq "$(json verdicts.identical)" 1 identical
DB="$T/s/USMTMIG.usmtkit.db"
expect_eq "$(sql "$DB" "SELECT win_path || '|' || local_path FROM entry WHERE rel LIKE '%plan.txt'")" \
	'T:\Data\Projects\plan.txt|T:\Data\Projects\plan.txt' "restored path = Windows path"
expect_eq "$(sql "$DB" "SELECT substr(fid, 1, 16) FROM entry GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" \
	"0000000053000000 0000000054000000 " "one volume serial per drive"

uk_tool purge --json 'S:\USMTMIG' 'T:\USMTMIG'
expect_rc 0 "purge.exe of both"
expect_eq "$(json deleted_files)" 10 "deleted_files: 4 + catalog.mig, MIGSTATE.DAT, hardlink.main twice"
[ ! -e "$T/s/USMTMIG" ] && [ ! -e "$T/t/USMTMIG" ] || die "a store is still there"
expect_eq "$(cat "$T/s/Users/ana/one.txt")$(cat "$T/t/Data/Projects/plan.txt")" oneplan "restored intact"
expect_eq "$(stat -c %a "$T/s/Users/ana/ro.txt")" 444 "read-only kept"
