#!/bin/sh
# A store on two volumes, as ScanState leaves it on Windows: S:\USMTMIG
# holding S$ and T:\USMTMIG holding T$, restored in place on S: and T:. With
# no --root the restored path is the Windows path itself; each volume has its
# own serial in the identities; purge.exe removes both stores, with the same
# JSON as the Linux build purging an identical copy.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"

mkstore() { mkdir -p "$1/USMT/File"; : >"$1/USMT/catalog.mig"; : >"$1/USMT/MIGSTATE.DAT"; : >"$1/USMT/hardlink.main"; }
build() { # DIR: DIR/s is volume S:, DIR/t is volume T:
	mkstore "$1/s/USMTMIG"; mkstore "$1/t/USMTMIG"
	sf="$1/s/USMTMIG/USMT/File/S\$"; tf="$1/t/USMTMIG/USMT/File/T\$"
	mkdir -p "$sf/Users/ana" "$1/s/Users/ana" "$tf/Data/Projects" "$1/t/Data/Projects"
	printf one >"$1/s/Users/ana/one.txt"; ln "$1/s/Users/ana/one.txt" "$sf/Users/ana/one.txt"
	printf ro >"$1/s/Users/ana/ro.txt"; ln "$1/s/Users/ana/ro.txt" "$sf/Users/ana/ro.txt"
	chmod a-w "$1/s/Users/ana/ro.txt"
	printf plan >"$1/t/Data/Projects/plan.txt"; ln "$1/t/Data/Projects/plan.txt" "$tf/Data/Projects/plan.txt"
	printf copy >"$1/t/Data/Projects/copy.txt"; printf copy >"$tf/Data/Projects/copy.txt"
}
build "$T"
build "$T/linux"
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

native_tool verify --root "S=$T/linux/s" --root "T=$T/linux/t" "$T/linux/s/USMTMIG" "$T/linux/t/USMTMIG"
expect_rc 0 "the same store verified on Linux"
native_tool purge --json "$T/linux/s/USMTMIG" "$T/linux/t/USMTMIG"
expect_rc 0 "purged on Linux"
cp "$out" "$T/linux.json"
uk_tool purge --json 'S:\USMTMIG' 'T:\USMTMIG'
expect_rc 0 "purge.exe of both"
python3 - "$T/linux.json" "$out" <<'PY' || die "purge JSON differs between Linux and Wine"
import json, sys
n, w = (json.load(open(p)) for p in sys.argv[1:3])
keys = "result reason deleted_files deleted_dirs readonly_restored scheduled kept".split()
bad = [k for k in keys if n[k] != w[k]]
for k in bad:
    print("%s: Linux %s, Wine %s" % (k, n[k], w[k]))
sys.exit(1 if bad else 0)
PY
expect_eq "$(json deleted_files)" 10 "deleted_files: 4 + catalog.mig, MIGSTATE.DAT, hardlink.main twice"
[ ! -e "$T/s/USMTMIG" ] && [ ! -e "$T/t/USMTMIG" ] || die "a store is still there"
expect_eq "$(cat "$T/s/Users/ana/one.txt")$(cat "$T/t/Data/Projects/plan.txt")" oneplan "restored intact"
expect_eq "$(stat -c %a "$T/s/Users/ana/ro.txt")" 444 "read-only kept"
