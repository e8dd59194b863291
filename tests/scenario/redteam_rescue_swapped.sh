#!/bin/sh
# Without a recorded hash (verify reads no missing sole copy), a copy was
# only checked against itself and its size: a store entry replaced by
# another file of the same size, or reached through a store folder swapped
# for a symbolic link, was copied and called rescued (exit 0), although
# links are never followed and a file changed since verify is never passed
# off as rescued. Now the entry must still be the file verify saw (entry.fid)
# with its modification time; with a recorded hash the hash decides.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
ps_init "$T/m"
ps_sole Users/a/swap/s.txt "sole data"
ps_sole Users/a/repl.txt "replaced"
ps_sole Users/a/rewr.txt "rewritten"
ps_sole Users/a/ok.txt "untouched"
ps_verify
expect_rc 1 "sole copies"
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE hash IS NULL AND fid IS NOT NULL")" 4 \
	"no hash recorded, identities recorded"
host=$(sql "$db" "SELECT host FROM verify_run")
B="$T/d/$host/C\$/Users/a"

# The folder moved away, a link to a look-alike in its place.
mv "$SF/Users/a/swap" "$T/moved"
mkdir "$T/fake"; printf '%s' "fake data" >"$T/fake/s.txt"
ln -s "$T/fake" "$SF/Users/a/swap"
# Another file of the same size put in the entry's place.
printf '%s' "REPLACED" >"$T/new"; touch -r "$SF/Users/a/repl.txt" "$T/new"
mv "$T/new" "$SF/Users/a/repl.txt"
# Rewritten in place, same size, the time moved.
printf '%s' "REWRITTEN" >"$SF/Users/a/rewr.txt"; touch -d '2031-01-01' "$SF/Users/a/rewr.txt"

uk_tool rescue --json --same-volume "$S" "$T/d"
expect_rc 1 "three changed since verify"
expect_eq "$(json result)" partial result
expect_eq "$(json copied)" 1 copied
expect_eq "$(json failed)" 3 failed
expect_err "swap/s.txt: changed since verify: the store entry is another file now"
expect_err "repl.txt: changed since verify: the store entry is another file now"
expect_err "rewr.txt: changed since verify: its modification time differs"
[ ! -e "$B/swap/s.txt" ] && [ ! -e "$B/repl.txt" ] && [ ! -e "$B/rewr.txt" ] ||
	die "a file verify never saw is in DEST"
cmp "$SF/Users/a/ok.txt" "$B/ok.txt" || die ok.txt

note "with a recorded hash, the content decides: a same-content copy in place is rescued"
ps_init "$T/h"
ps_sole Users/a/b.txt "baselined"
uk_tool verify --baseline "$S"
expect_rc 0 baseline
ps_verify
expect_rc 1 "a sole copy"
cp -p "$SF/Users/a/b.txt" "$T/b2"; mv "$T/b2" "$SF/Users/a/b.txt"
uk_tool rescue --json --same-volume "$S" "$T/e"
expect_rc 0 "the baseline's hash matches"
expect_eq "$(json copied)" 1 copied
