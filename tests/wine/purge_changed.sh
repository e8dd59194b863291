#!/bin/sh
# purge.exe re-checks a store entry that is a separate copy before it goes:
# one rewritten in place with the same size and its mtime put back is caught
# by the XXH3-128 alone and kept (result kept, exit 1); an appended one by its
# size; the unchanged copy and the link go.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_copy Users/alice/rewritten.pst "mailbox B"
ps_copy Users/alice/appended.pst "mailbox A"
ps_copy Users/alice/fine.pst "mailbox C"
ps_linked Users/alice/a.txt "alpha"
map_drive S "$T"

uk_tool verify --root 'C=S:\m\c' --hash=always 'S:\m\store'
expect_rc 0 "verify.exe"
cp -p "$SF/Users/alice/rewritten.pst" "$T/ref"
printf 'mailbox Z' | dd of="$SF/Users/alice/rewritten.pst" conv=notrunc 2>/dev/null
touch -r "$T/ref" "$SF/Users/alice/rewritten.pst"
printf ' and more' >>"$SF/Users/alice/appended.pst"

uk_tool purge --json 'S:\m\store'
expect_rc 1 "purge.exe keeps the changed copies"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 2 kept
expect_err "kept C\\\$/Users/alice/rewritten.pst: changed since verify: the store entry's content differs"
expect_err "kept C\\\$/Users/alice/appended.pst: changed since verify: the store entry is 18 bytes now, verify saw 9"
expect_eq "$(cat "$SF/Users/alice/rewritten.pst")" "mailbox Z" "the rewritten entry, intact"
[ -f "$SF/Users/alice/appended.pst" ] || die "appended.pst deleted"
[ ! -e "$SF/Users/alice/fine.pst" ] || die "the unchanged copy was not deleted"
[ ! -e "$SF/Users/alice/a.txt" ] || die "the link was not deleted"
expect_eq "$(cat "$C/Users/alice/fine.pst")" "mailbox C" "restored fine.pst"
