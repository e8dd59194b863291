#!/bin/sh
# --root given twice for one drive letter: the last one silently won, so a
# store could be judged (even "ok", against an identical old copy) under a
# folder that is not where it was restored. Now a usage error (exit 2) naming
# both folders, nothing judged, no run recorded; the same folder twice is fine.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
ps_init "$T/m"
ps_copy Users/a/doc.txt "the document"
# An old copy elsewhere with the same content; the restored drive lost the file.
mkdir -p "$T/old/Users/a"; cp "$C/Users/a/doc.txt" "$T/old/Users/a/doc.txt"
rm "$C/Users/a/doc.txt"
uk_tool verify --json --root "C=$C" --root "C=$T/old" "$S"
expect_rc 2 "one drive, two roots"
expect_err "--root C: given twice, as $C and as $T/old"
[ ! -s "$out" ] || { cat "$out"; die "a result was printed"; }
[ ! -e "$S.usmtkit.db" ] || die "a database was written"
uk_tool verify --json --root "C=$C" --root "c:=$C" "$S"
expect_rc 1 "the same root twice: judged, the file is missing"
expect_eq "$(json verdicts.missing)" 1 missing
