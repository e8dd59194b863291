#!/bin/sh
# A --root (or --map) that leads into the store: every store entry was judged
# "linked" to itself, verify said ok (exit 0) and report none ("the store can
# be deleted") over a sole copy. Now an entry whose restored folder is a store
# root or below one (links resolved) is unreadable, with the reason: verify
# risk, exit 1, and report does not say none.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
ps_init "$T/m"
ps_sole Users/a/only.txt "only in the store"
ps_linked Users/b/l.txt "linked"

uk_tool verify --json --root "C=$SF" "$S"
expect_rc 1 "--root into the store"
expect_eq "$(json result)" risk result
expect_eq "$(json verdicts.linked)" 0 "nothing linked to itself"
expect_eq "$(json verdicts.unreadable)" 2 unreadable
expect_eq "$(json sole_copy)" 1 "the sole copy is one"
expect_eq "$(sql "$S.usmtkit.db" "SELECT count(*) FROM entry WHERE error LIKE
	'its restored folder is inside the store%'")" 2 "the reason recorded"
uk_tool report --store "$S" --format json
expect_rc 1 "report"
expect_eq "$(json risk)" critical risk

note "through a link to the store, and through --map"
ln -s "$S/USMT/File" "$T/via"
uk_tool verify --json --root "C=$T/via/C\$" "$S"
expect_rc 1 "a link to the store"
expect_eq "$(json verdicts.unreadable)" 2 unreadable
uk_tool verify --json --root "C=$T/m" --map 'C:\Users=C:\store\USMT\File\C$\Users' "$S"
expect_rc 1 "--map into the store"
expect_eq "$(json verdicts.unreadable)" 2 unreadable

note "the right root: judged as usual"
ps_verify --json
expect_rc 1 "the sole copy"
expect_eq "$(json verdicts.linked) $(json verdicts.missing) $(json verdicts.unreadable)" "1 1 0" verdicts
