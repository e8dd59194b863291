#!/bin/sh
# Symbolic links in a store are removed themselves, never what they point
# to -- also a store folder swapped for a link after verify, which would lead
# deletions into the restored profile.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

mkdir -p "$T/outside/dir"
printf 'keep me' >"$T/outside/secret.txt"
printf 'me too' >"$T/outside/dir/inner.txt"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha"
ln -s "$T/outside/secret.txt" "$SF/Users/alice/link.txt"
ln -s "$T/outside/dir" "$SF/Users/alice/Docs"
ln -s "$T/outside/dir" "$SF/Users/alice/dangling-later"
mkfifo "$SF/Users/alice/pipe"
outside=$(ps_snap "$T/outside")
ps_verify
expect_eq "$(sql "$S.usmtkit.db" "SELECT count(*) FROM entry WHERE type = 'link'")" 3 \
	"verify records the links"
expect_eq "$(sql "$S.usmtkit.db" "SELECT count(*) FROM entry WHERE type = 'other'")" 1 \
	"verify records the fifo"
uk_tool purge --json "$S"
expect_rc 0 "purge with links in the store"
expect_eq "$(json result)" purged result
[ ! -e "$S" ] && [ ! -L "$S" ] || die "store still there"
expect_eq "$(ps_snap "$T/outside")" "$outside" "link targets"
expect_eq "$(cat "$C/Users/alice/a.txt")" alpha "restored a.txt"

note "a store folder replaced by a link to the restored profile after verify"
ps_init "$T/n"
ps_linked Users/bob/b1.txt "bob one"
ps_linked Users/bob/sub/b2.txt "bob two"
ps_linked Users/carol/c.txt "carol"
ps_verify
expect_rc 0 verify
restored=$(ps_snap "$C")
rm -rf "$SF/Users/bob"
ln -s "$C/Users/bob" "$SF/Users/bob"
uk_tool purge --json "$S"
expect_rc 1 "purge keeps what it cannot reach safely"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 3 "kept: b1, b2 and the swapped folder"
expect_eq "$(ps_snap "$C")" "$restored" "restored tree"
[ -L "$SF/Users/bob" ] || die "the link itself should be kept (verify never saw it)"
expect_err "a folder on its path is a link"
[ ! -e "$SF/Users/carol" ] || die "carol's entry should be gone"

note "a store root that became a link is refused"
mv "$S" "$T/n/real"
ln -s "$T/n/real" "$S"
before=$(ps_snap "$T/n/real")
uk_tool purge "$S"
expect_rc 2 "store root is a link"
expect_err "symbolic link"
expect_eq "$(ps_snap "$T/n/real")" "$before" "linked store untouched"

note "a verify run whose --root pointed into the store itself"
ps_init "$T/r"
ps_linked Users/zoe/z.txt "zoe"
# Every store entry would then be "linked" to itself: verify calls it
# unreadable, and the gate refuses.
uk_tool verify --root "C=$SF" "$S"
expect_rc 1 "verify against the store itself"
expect_out "unreadable .*its restored folder is inside the store"
uk_tool purge --json "$S"
expect_rc 1 "the gate refuses"
expect_eq "$(json result)" refused result
# A run that said linked (as verify did before it checked): purge's own guard.
sql "$S.usmtkit.db" "UPDATE entry SET verdict = 'linked', error = NULL"
uk_tool purge --json "$S"
expect_rc 1 "nothing deleted: the store is kept, not purged"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 1 kept
expect_err "restored path is inside the store"
expect_eq "$(cat "$SF/Users/zoe/z.txt")" zoe "store entry kept"

note "a database whose rel climbs out of the store (tampered or corrupt)"
ps_init "$T/t"
ps_linked Users/tom/t.txt "tom"
ps_linked Users/tom/v.txt "precious"
ps_verify
expect_rc 0 verify
# From USMT/File, four levels up is $T/t: the rel now names the restored file,
# which is the same file as the store entry, so every other check would pass.
sql "$S.usmtkit.db" "UPDATE entry SET rel = 'C\$/../../../../c/Users/tom/v.txt'
	WHERE rel LIKE '%v.txt'"
uk_tool purge --json "$S"
expect_rc 1 "the unsafe entry is kept"
expect_eq "$(json result)" kept result
expect_err "unsafe path in the database: refused"
expect_eq "$(cat "$C/Users/tom/v.txt")" precious "restored file outside the store"
expect_eq "$(cat "$C/Users/tom/t.txt")" tom "restored t.txt"
