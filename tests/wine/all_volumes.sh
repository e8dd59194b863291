#!/bin/sh
# --all-volumes, as UsmtUtils /rd: naming S:\USMTMIG also finds T:\USMTMIG,
# the store ScanState left on the second volume; a same-named folder that is
# not a store (U:) is left out, and the named store is listed first, once.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"

mkstore() { mkdir -p "$1/USMT/File"; : >"$1/USMT/catalog.mig"; : >"$1/USMT/MIGSTATE.DAT"; : >"$1/USMT/hardlink.main"; }
mkstore "$T/s/USMTMIG"; mkstore "$T/t/USMTMIG"
mkdir -p "$T/s/USMTMIG/USMT/File/S\$/Users/ana" "$T/s/Users/ana" \
	"$T/t/USMTMIG/USMT/File/T\$/Data" "$T/t/Data"
printf one >"$T/s/Users/ana/one.txt"; ln "$T/s/Users/ana/one.txt" "$T/s/USMTMIG/USMT/File/S\$/Users/ana/one.txt"
printf two >"$T/t/Data/two.txt"; ln "$T/t/Data/two.txt" "$T/t/USMTMIG/USMT/File/T\$/Data/two.txt"
printf lost >"$T/t/USMTMIG/USMT/File/T\$/Data/lost.txt"   # only in the T: store
map_drive S "$T/s"
map_drive T "$T/t"

uk_tool verify --json --all-volumes 'S:\USMTMIG'
expect_rc 1 "verify.exe --all-volumes (T: holds a sole copy)"
expect_eq "$(json stores)" '["S:\\USMTMIG", "T:\\USMTMIG"]' "stores found"
expect_eq "$(json files)" 3 files
expect_eq "$(json verdicts.linked)" 2 linked
expect_eq "$(json verdicts.missing)" 1 "missing (the file only the T: store holds)"
expect_eq "$(json sole_copy)" 1 sole_copy

uk_tool verify --json --all-volumes 's:\usmtmig' 'T:\USMTMIG'
expect_eq "$(json stores)" '["s:\\usmtmig", "T:\\USMTMIG"]' "each store once, whatever its case"

note "purge.exe --all-volumes: the gate sees T:'s sole copy and refuses both"
uk_tool verify --all-volumes 'S:\USMTMIG'
uk_tool purge --json --all-volumes 'S:\USMTMIG'
expect_rc 1 "purge.exe refused"
expect_eq "$(json stores)" '["S:\\USMTMIG", "T:\\USMTMIG"]' "purge stores found"
[ -e "$T/t/USMTMIG/USMT/File/T\$/Data/lost.txt" ] || die "the sole copy was touched"

note "once LoadState's skipped file is restored, both stores go"
cp "$T/t/USMTMIG/USMT/File/T\$/Data/lost.txt" "$T/t/Data/lost.txt"
uk_tool verify --all-volumes 'S:\USMTMIG'
expect_rc 0 "verify.exe after the restore"
uk_tool purge --json --all-volumes 'S:\USMTMIG'
expect_rc 0 "purge.exe --all-volumes"
expect_eq "$(json result)" purged result
[ ! -e "$T/s/USMTMIG" ] && [ ! -e "$T/t/USMTMIG" ] || die "a store is still there"
expect_eq "$(cat "$T/s/Users/ana/one.txt")$(cat "$T/t/Data/two.txt")$(cat "$T/t/Data/lost.txt")" onetwolost "restored intact"
