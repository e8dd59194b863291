#!/bin/sh
# DEST on other media, but DEST/<machine> already there as a symbolic link
# into the store: rescue wrote each copy over its own store entry (a new file
# in the store, nothing on DEST) and said rescued, exit 0. Now where
# DEST/<machine> leads passes the place checks (refused: inside the store),
# and a folder below it that leads outside it (a link to the store's drive
# folder) fails its files, nothing written there.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
D="$T/usb"; mkdir -p "$D"
mount -t tmpfs -o size=1m tmpfs "$D"
trap 'rc=$?; umount "$D" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT
ps_init "$T/m"
ps_sole Users/a/s.txt "only in the store"
ps_verify
expect_rc 1 "a sole copy"
host=$(sql "$S.usmtkit.db" "SELECT host FROM verify_run")
before=$(ps_snap "$S")

note "DEST/<machine> is a link to the store's File folder"
ln -s "$S/USMT/File" "$D/$host"
uk_tool rescue --json "$S" "$D"
expect_rc 1 "refused"
expect_eq "$(json result)" refused result
expect_eq "$(json copied)" 0 copied
expect_err "$D/$host leads to $S/USMT/File"
expect_err "refused: DEST $S/USMT/File is inside the store"
expect_eq "$(ps_snap "$S")" "$before" "the store untouched"

note "DEST/<machine>/C\$ is a link to the store's drive folder"
rm "$D/$host"; mkdir "$D/$host"; ln -s "$SF" "$D/$host/C\$"
uk_tool rescue --json "$S" "$D"
expect_rc 1 "the file fails"
expect_eq "$(json result)" partial result
expect_eq "$(json copied)" 0 copied
expect_eq "$(json failed)" 1 failed
expect_err "C\$/Users/a/s.txt: the folder $D/$host/C\$/Users/a leads outside DEST to $SF/Users/a"
expect_eq "$(ps_snap "$S")" "$before" "the store untouched"

note "a real folder: rescued"
rm "$D/$host/C\$"
uk_tool rescue --json "$S" "$D"
expect_rc 0 rescued
cmp "$SF/Users/a/s.txt" "$D/$host/C\$/Users/a/s.txt" || die "the copy"
