#!/bin/sh
# Each entry is re-checked at deletion time: a change after verify (a
# restored file replaced or edited, a store entry replaced, a file added to
# the store) is caught, kept and reported; unchanged entries still go.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/alice/saved.docx "version 1"
ps_copy Users/alice/copy.pst "mailbox A"
ps_copy Users/alice/same.pst "mailbox B"
ps_linked Users/alice/store-swapped.txt "original"
ps_linked Users/alice/fine.txt "fine"
ps_verify --hash=always
expect_rc 0 verify
expect_eq "$(sql "$S.usmtkit.db" "SELECT verdict FROM entry WHERE rel LIKE '%copy.pst'")" identical

# After verify: an app saves by temp-and-rename (the link breaks), the copy's
# restored file is edited in place (same size), the store entry is swapped,
# and something new lands in the store.
rm "$C/Users/alice/saved.docx"; printf 'version 2' >"$C/Users/alice/saved.docx"
printf 'mailbox Z' >"$C/Users/alice/copy.pst"
rm "$SF/Users/alice/store-swapped.txt"; printf 'original' >"$SF/Users/alice/store-swapped.txt"
printf 'new' >"$SF/Users/alice/appeared.tmp"

uk_tool purge --json "$S"
expect_rc 1 "purge keeps changed entries"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 4 kept
expect_err "kept C\$/Users/alice/saved.docx: changed since verify: the restored path is no longer"
expect_err "kept C\$/Users/alice/copy.pst: changed since verify: the restored file's content"
expect_err "kept C\$/Users/alice/store-swapped.txt: changed since verify: the store entry"
for f in saved.docx copy.pst store-swapped.txt appeared.tmp; do
	[ -f "$SF/Users/alice/$f" ] || die "$f was deleted"
done
expect_eq "$(cat "$SF/Users/alice/saved.docx")" "version 1" "store keeps version 1"
for f in same.pst fine.txt; do
	[ ! -e "$SF/Users/alice/$f" ] || die "unchanged $f not deleted"
done
expect_eq "$(cat "$C/Users/alice/saved.docx")" "version 2" "restored saved.docx"
expect_eq "$(cat "$C/Users/alice/copy.pst")" "mailbox Z" "restored copy.pst"
expect_eq "$(cat "$C/Users/alice/same.pst")" "mailbox B" "restored same.pst"
expect_eq "$(sql "$S.usmtkit.db" "SELECT reason FROM purge_step WHERE rel LIKE '%appeared.tmp'")" \
	"not in the verify run: usmt-verify never checked it" "unknown file"
[ -f "$S/USMT/catalog.mig" ] || die "a store with kept entries must stay recognisable"
