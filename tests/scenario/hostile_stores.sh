#!/bin/sh
# Stores that are not what they seem: a store that is a symbolic link, one
# whose USMT folder is a link, symlink loops inside a store, a store nested
# inside another store, and purges pointed at /, a home folder or a folder
# of profiles -- even when it holds a genuine, verified store. Refusals exit
# 2 and leave every byte; loops neither hang nor get followed.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

note "a store that is a symbolic link, and one whose USMT folder is a link"
ps_init "$T/real"
ps_linked Users/alice/a.txt "alpha"
ps_sole Users/alice/only.txt "only copy"
ln -s "$S" "$T/linkstore"
mkdir -p "$T/usmtlink"; ln -s "$S/USMT" "$T/usmtlink/USMT"
snap=$(ps_snap)
for st in "$T/linkstore" "$T/usmtlink"; do
	uk_tool verify --root "C=$C" "$st"
	expect_rc 2 "verify $st"
	[ "$(wc -l <"$err")" = 1 ] || { cat "$err"; die "$st: one line"; }
	uk_tool purge --force --force-data-loss "$st"
	expect_rc 2 "purge $st"
	[ ! -e "$st.usmtkit.db" ] || die "$st: a database was created"
done
expect_eq "$(ps_snap)" "$snap" "store and restored tree after refusals"

note "symlink loops inside a store: reported, never followed, removed themselves"
ps_init "$T/loops"
ps_linked Users/bob/b.txt "bob"
ln -s . "$SF/Users/bob/self"
ln -s loop2 "$SF/Users/bob/loop1"; ln -s loop1 "$SF/Users/bob/loop2"
ln -s .. "$SF/Users/bob/up"
ln -s "$SF" "$SF/Users/bob/root"
ps_verify --json
expect_rc 0 "links are warnings, not findings"
expect_eq "$(json files)" 1 "files (links are not files)"
expect_eq "$(json verdicts.linked)" 1 linked
expect_eq "$(sql "$S.usmtkit.db" "SELECT count(*) FROM entry WHERE type = 'link'")" 5 "links recorded"
expect_err "symbolic link"
uk_tool purge --json "$S"
expect_rc 0 "purge a store holding loops"
[ ! -e "$S" ] && [ ! -L "$S" ] || die "store still there"
expect_eq "$(cat "$C/Users/bob/b.txt")" bob "restored file"

note "a store nested inside another store's files"
ps_init "$T/outer"
OS=$S; OC=$C; OSF=$SF
ps_linked Users/carol/c.txt "carol"
# The inner store is data of the outer one: C:\USMTMIG captured by a later ScanState.
S="$OSF/USMTMIG"; SF="$S/USMT/File/C\$"; C="$T/inner-c"
mkdir -p "$SF/Users" "$C/Users"
: >"$S/USMT/catalog.mig"; : >"$S/USMT/MIGSTATE.DAT"; : >"$S/USMT/hardlink.main"
ps_linked Users/dave/d.txt "dave"
IS=$S
S=$OS; C=$OC; SF=$OSF
mkdir -p "$OC/USMTMIG"
(cd "$OSF/USMTMIG" && find . -type d -exec mkdir -p "$OC/USMTMIG/{}" \; &&
	find . -type f -exec ln {} "$OC/USMTMIG/{}" \;)
outer_snap=$(ps_snap "$OS")
uk_tool verify --root "C=$T/inner-c" --db "$T/inner.db" --json "$IS"
expect_rc 0 "verify the inner store"
expect_eq "$(json files)" 1 "inner files"
uk_tool verify --root "C=$OC" --json "$OS"
expect_rc 0 "verify the outer store: the inner one is its data"
expect_eq "$(json files)" 5 "outer files: carol + the inner store's four"
before=$(find "$OS" | grep -v "^$IS" | LC_ALL=C sort)
uk_tool purge --db "$T/inner.db" --json "$IS"
expect_rc 0 "purge the inner store"
[ ! -e "$IS" ] || die "inner store still there"
expect_eq "$(find "$OS" | LC_ALL=C sort)" "$before" "the outer store beyond the inner one"
expect_eq "$(cat "$T/inner-c/Users/dave/d.txt")" dave "inner restored file"

note "purge pointed at /, a home folder or the profiles folder: refused, exit 2"
for p in / /root /home /home/ "$HOME"; do
	uk_tool purge --force --force-data-loss --json "$p"
	expect_rc 2 "purge $p"
	expect_eq "$(json result)" refused "purge $p"
done
# A genuine, verified store that is also the home folder (or holds it).
ps_init "$T/home"
ps_linked Users/erin/e.txt "erin"
ps_verify
expect_rc 0 "verify the store used as a home folder"
snap=$(ps_snap)
home=$HOME
for h in "$S" "$S/USMT/File"; do
	export HOME="$h"
	uk_tool purge --json "$S"
	HOME=$home
	expect_rc 2 "purge with HOME=$h"
	expect_err "home folder"
done
ln -s / "$T/slash"
uk_tool purge --json "$T/slash"
expect_rc 2 "purge a link to /"
expect_eq "$(ps_snap)" "$snap" "the store used as a home folder"
