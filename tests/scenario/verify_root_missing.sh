#!/bin/sh
# A --root folder that does not exist is a usage error naming it (it used to
# make every file `missing`, and --repair built the whole tree there); with
# an existing root, --repair creates missing folders inside it only.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a/Documents/Sub" "$C/Users/a" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
printf 'one' >"$S/Users/a/Documents/Sub/one.txt"

for opt in "" --repair; do
	uk_tool verify --root "C=$T/nowhere" $opt --json "$T/store"
	expect_rc 2 "missing root $opt"
	expect_err "--root C=$T/nowhere: no such folder"
	expect_eq "$(wc -l <"$err")" 1 "one line"
	expect_eq "$(cat "$out")" "" "no summary"
	[ ! -e "$T/nowhere" ] || die "--repair $opt created the root"
	[ ! -e "$T/store.usmtkit.db" ] || die "a run was recorded"
done
# A file given as the root is no folder either.
: >"$T/plain"
uk_tool verify --root "C=$T/plain" "$T/store"
expect_rc 2 "root is a file"
expect_err "--root C=$T/plain: "
# A link to a folder is followed, as for every path below it.
ln -s "$C" "$T/c-link"
uk_tool verify --root "C=$T/c-link" --json "$T/store"
expect_rc 1 "linked root accepted"
expect_eq "$(json verdicts.missing)" 1 missing

# Inside an existing root, repair creates the missing folders, no more.
uk_tool verify --root "C=$C" --repair --json "$T/store"
expect_rc 0 "repaired"
expect_eq "$(json repaired)" 1 repaired
expect_eq "$(stat -c %i "$C/Users/a/Documents/Sub/one.txt")" \
	"$(stat -c %i "$S/Users/a/Documents/Sub/one.txt")" "hard link"
expect_eq "$(find "$T" -maxdepth 1 ! -name 'store.usmtkit.db*' | sort | tr '\n' ' ')" \
	"$T $T/c $T/c-link $T/err.$$ $T/out.$$ $T/plain $T/store " "nothing created outside the root"
