#!/bin/sh
# --repair re-creates missing restored files as hard links to the store entry
# (parent folders too), reports each, and a second run finds the store ok.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a/Documents/Sub dir" "$C/Users/a/Documents" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
printf 'one' >"$C/Users/a/Documents/kept.txt"; ln "$C/Users/a/Documents/kept.txt" "$S/Users/a/Documents/kept.txt"
printf 'skipped' >"$S/Users/a/Documents/skipped.txt"; chmod 444 "$S/Users/a/Documents/skipped.txt"
printf 'deeper' >"$S/Users/a/Documents/Sub dir/new folder file.txt"

uk_tool verify --root "C=$C" --repair --hash=always --json "$T/store"
expect_rc 0 "everything repaired"
expect_eq "$(json verdicts.linked)" 3 linked
expect_eq "$(json verdicts.missing)" 0 missing
expect_eq "$(json repaired)" 2 repaired
expect_eq "$(json sole_copy)" 0 "no sole copy left"
expect_eq "$(json result)" ok result
expect_eq "$(json hashed_bytes)" $((3 + 7 + 6)) "--hash=always hashes each linked file once"
expect_err "repaired: C:.Users.a.Documents.skipped.txt"
expect_err "repaired: C:.Users.a.Documents.Sub dir.new folder file.txt"
expect_eq "$(stat -c %i "$C/Users/a/Documents/skipped.txt")" "$(stat -c %i "$S/Users/a/Documents/skipped.txt")" "a hard link"
expect_eq "$(stat -c %h "$C/Users/a/Documents/Sub dir/new folder file.txt")" 2 "link count"
expect_eq "$(cat "$C/Users/a/Documents/Sub dir/new folder file.txt")" deeper content
DB="$T/store.usmtkit.db"
expect_eq "$(sql "$DB" "SELECT verdict, repaired, nlink, readonly, restored_readonly, fid = restored_fid, hash IS NOT NULL FROM entry WHERE rel LIKE '%skipped.txt'")" \
	"linked|1|2|1|1|1|1" "repaired row"
expect_eq "$(sql "$DB" "SELECT repaired FROM verify_run")" 2 "run total"

# The text output lists each repaired file.
rm "$C/Users/a/Documents/skipped.txt"
uk_tool verify --root "C=$C" --repair "$T/store"
expect_rc 0 "repaired again"
expect_out "repaired   read-only C:.Users.a.Documents.skipped.txt"
uk_tool verify --root "C=$C" --json "$T/store"
expect_rc 0 "second run clean"
expect_eq "$(json repaired)" 0 "nothing to repair"
expect_eq "$(json verdicts.linked)" 3 linked
