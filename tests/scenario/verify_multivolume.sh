#!/bin/sh
# A store on two volumes (C:\USMTMIG and D:\USMTMIG) given as two STORE
# arguments; --root for each drive; a store whose drives have no root is refused.
set -e; . "$UK_ROOT/tests/lib.sh"

mkstore() { # dir
	mkdir -p "$1/USMT/File"; : >"$1/USMT/catalog.mig"; : >"$1/USMT/MIGSTATE.DAT"; : >"$1/USMT/hardlink.main"; }
mkstore "$T/cvol/USMTMIG"; mkstore "$T/dvol/USMTMIG"
mkdir -p "$T/cvol/USMTMIG/USMT/File/C\$/Users/a" "$T/cvol/Users/a" \
	"$T/dvol/USMTMIG/USMT/File/D\$/Data/Projects" "$T/dvol/Data/Projects"
printf c1 >"$T/cvol/Users/a/c1.txt"; ln "$T/cvol/Users/a/c1.txt" "$T/cvol/USMTMIG/USMT/File/C\$/Users/a/c1.txt"
printf c2 >"$T/cvol/Users/a/c2.txt"; ln "$T/cvol/Users/a/c2.txt" "$T/cvol/USMTMIG/USMT/File/C\$/Users/a/c2.txt"
printf d1 >"$T/dvol/Data/Projects/d1.txt"; ln "$T/dvol/Data/Projects/d1.txt" "$T/dvol/USMTMIG/USMT/File/D\$/Data/Projects/d1.txt"
printf d2 >"$T/dvol/USMTMIG/USMT/File/D\$/Data/Projects/gone.txt"

uk_tool verify --root "C=$T/cvol" --root "d=$T/dvol" --json "$T/cvol/USMTMIG" "$T/dvol/USMTMIG"
expect_rc 1 "gone.txt is missing"
expect_eq "$(json stores)" "[\"$T/cvol/USMTMIG\", \"$T/dvol/USMTMIG\"]" stores
expect_eq "$(json files)" 4 files
expect_eq "$(json verdicts.linked)" 3 linked
expect_eq "$(json verdicts.missing)" 1 missing
expect_eq "$(json db)" "$T/cvol/USMTMIG.usmtkit.db" "database beside the first store"
DB="$T/cvol/USMTMIG.usmtkit.db"
expect_eq "$(sql "$DB" "SELECT count(*) FROM verify_run_store")" 2 "both stores in the run"
expect_eq "$(sql "$DB" "SELECT s.path, count(*) FROM entry e JOIN store s ON s.id = e.store_id GROUP BY s.path ORDER BY s.path")" \
	"$T/cvol/USMTMIG|2
$T/dvol/USMTMIG|2" "entries per store"
expect_eq "$(sql "$DB" "SELECT win_path, local_path FROM entry WHERE verdict = 'missing'")" \
	"D:\\Data\\Projects\\gone.txt|$T/dvol/Data/Projects/gone.txt" "D: mapped to its root"

# A store holding C$ and D$ with no --root for D: refused before anything is written.
mkdir -p "$T/cvol/USMTMIG/USMT/File/D\$"
uk_tool verify --root "C=$T/cvol" "$T/cvol/USMTMIG"
expect_rc 2 "no root for D:"
expect_err "drive D: but no folder is given for it: use --root D=DIR"
[ "$(wc -l <"$err")" = 1 ] || die "one line on stderr"
uk_tool verify "$T/cvol/USMTMIG"
expect_rc 2 "two drive folders: no default root"
# The same store twice.
uk_tool verify --root "C=$T/cvol" --root "D=$T/dvol" "$T/dvol/USMTMIG" "$T/dvol/USMTMIG/"
expect_rc 2 "a store given twice"
expect_err "given twice"
