#!/bin/sh
# A hand-built store on drive S: with Unicode names, paths over 260
# characters, restored folders whose case differs from the store's, read-only
# files and a file LoadState skipped: verify.exe (with --repair) gives the
# same JSON as the Linux build on an identical copy; a purge.exe is refused
# while holdlock.exe holds the purge lock, then deletes the store and keeps
# every read-only restored file read-only.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"

SEG="Engineering Review Board Minutes – Ünïcødé 日本語"
DEEP="Users/José/Documents/$SEG/$SEG/$SEG/$SEG/$SEG"
build() { # DIR: store DIR/store, restored C: drive DIR/c
	s="$1/store/USMT/File/C\$"; c="$1/c"
	mkdir -p "$s/$DEEP" "$c/$DEEP" "$s/Users/alice/Documents" "$c/Users/ALICE/documents"
	: >"$1/store/USMT/catalog.mig"; : >"$1/store/USMT/MIGSTATE.DAT"; : >"$1/store/USMT/hardlink.main"
	printf 'deep' >"$c/$DEEP/Résumé 😀.docx"; ln "$c/$DEEP/Résumé 😀.docx" "$s/$DEEP/Résumé 😀.docx"
	printf 'deep ro' >"$c/$DEEP/signed.pdf"; ln "$c/$DEEP/signed.pdf" "$s/$DEEP/signed.pdf"
	chmod a-w "$c/$DEEP/signed.pdf"
	# Restored under other case: Users\ALICE\documents\report.docx.
	printf 'report' >"$c/Users/ALICE/documents/report.docx"
	ln "$c/Users/ALICE/documents/report.docx" "$s/Users/alice/Documents/Report.DOCX"
	printf 'ro' >"$c/Users/ALICE/documents/ro.txt"
	ln "$c/Users/ALICE/documents/ro.txt" "$s/Users/alice/Documents/RO.txt"
	chmod a-w "$c/Users/ALICE/documents/ro.txt"
	printf 'same bytes' >"$c/Users/ALICE/documents/copy.txt"
	printf 'same bytes' >"$s/Users/alice/Documents/copy.txt"
	# Skipped by LoadState: --repair links it back.
	printf 'skipped' >"$s/Users/alice/Documents/skipped.txt"
}
build "$T/n"
build "$T/w"
[ ${#DEEP} -gt 260 ] || die "DEEP is not over 260 characters"
map_drive S "$T/w"

native_tool verify --root "C=$T/n/c" --repair --json "$T/n/store"
cp "$out" "$T/native.json"
uk_tool verify --root 'C=S:\c' --repair --json 'S:\store'
python3 - "$T/native.json" "$out" <<'PY' || die "verify JSON differs between Linux and Wine"
import json, sys
n, w = (json.load(open(p)) for p in sys.argv[1:3])
keys = "files bytes verdicts sole_copy readonly hashed_bytes copies links repaired result".split()
bad = [k for k in keys if n[k] != w[k]]
for k in bad:
    print("%s: Linux %s, Wine %s" % (k, n[k], w[k]))
print("verdicts:", w["verdicts"], "repaired:", w["repaired"])
sys.exit(1 if bad else 0)
PY
expect_eq "$(json repaired)" 1 "repaired under Wine"
expect_eq "$(json readonly)" 2 "read-only recorded under Wine"
expect_eq "$(json verdicts.linked)" 5 "linked (the repaired one too), through case differences and long paths"
# The repair is a hard link (CreateHardLinkW) into the folder whatever its case.
expect_eq "$(stat -c %i "$T/w/c/Users/ALICE/documents/skipped.txt")" \
	"$(stat -c %i "$T/w/store/USMT/File/C\$/Users/alice/Documents/skipped.txt")" "repaired link"
expect_eq "$(sql "$T/w/store.usmtkit.db" "SELECT count(*) FROM entry WHERE length(win_path) > 260 AND verdict = 'linked'")" 2 "long paths linked"
wine_differs 'paths over 260 characters work under Wine even without the \\?\ prefix: this shows they are handled, not that MAX_PATH is avoided'

note "a second purge while one holds the lock (holdlock.exe) is refused"
mkfifo "$T/in"
wine "$W_HELPERS/holdlock.exe" 'S:\store.usmtkit.db.lock' <"$T/in" >"$T/holdlock.out" &
holder=$!
exec 3>"$T/in"
i=0; until grep -q locked "$T/holdlock.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 600 ] || die "holdlock.exe did not take the lock"; sleep 0.1
done
uk_tool purge --json 'S:\store'
exec 3>&-; wait $holder
expect_rc 1 "purge while another holds the lock"
expect_eq "$(json result)" refused result
expect_out "another usmt-purge"
[ -d "$T/w/store/USMT" ] || die "a refused purge deleted something"

note "purge: the store goes, read-only restored files stay read-only"
uk_tool purge --json 'S:\store'
expect_rc 0 purge
expect_eq "$(json result)" purged result
expect_eq "$(json readonly_restored)" 2 readonly_restored
[ ! -e "$T/w/store" ] || die "store still there"
expect_eq "$(stat -c %a "$T/w/c/$DEEP/signed.pdf")" 444 "deep signed.pdf read-only"
expect_eq "$(stat -c %a "$T/w/c/Users/ALICE/documents/ro.txt")" 444 "ro.txt read-only"
expect_eq "$(cat "$T/w/c/$DEEP/Résumé 😀.docx")" deep "deep Unicode file intact"
expect_eq "$(cat "$T/w/c/Users/ALICE/documents/skipped.txt")" skipped "repaired file intact"
wine_differs "read-only is kept as missing write bits under Wine (root ignores them when writing), FILE_ATTRIBUTE_READONLY on NTFS"
