#!/bin/sh
# Folder links inside a store, pointing outside it: verify.exe lists them as
# links and never follows them, purge.exe never touches what they point to.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"; . "$UK_ROOT/tests/helpers/purge-store.sh"

mkdir -p "$T/outside/dir"
printf 'precious' >"$T/outside/dir/keep.txt"
ps_init "$T/m"
ps_linked Users/alice/a.txt "aaa"
ln -s "$T/outside/dir" "$SF/Users/alice/trap"
ln -s "$T/outside" "$SF/Users/alice/Trap 2"
map_drive S "$T"
outside=$(ps_snap "$T/outside")

uk_tool verify --root 'C=S:\m\c' --json 'S:\m\store'
expect_rc 0 "verify.exe: the links are warnings, not files"
expect_eq "$(json files)" 1 files
expect_eq "$(json links)" 2 "links in the store"
expect_err 'trap: symbolic link or reparse point in the store'
expect_eq "$(json hashed_bytes)" 0 "nothing behind a link was read"

uk_tool purge --json 'S:\m\store'
expect_eq "$(ps_snap "$T/outside")" "$outside" "what the links point to is untouched"
expect_eq "$(cat "$C/Users/alice/a.txt")" aaa "restored file intact"
[ ! -e "$SF/Users/alice/a.txt" ] || die "the store's file link was not deleted"
expect_rc 1 "purge.exe: the links Wine cannot remove are kept, so the store is"
expect_eq "$(json result)" kept result
[ -L "$SF/Users/alice/trap" ] || die "Wine removed a folder symlink: update this test and docs/WINDOWS.md"
expect_eq "$(json kept)" 2 "links kept"
expect_err 'kept C\$/Users/alice/trap: cannot delete'
wine_differs "a Linux symlink to a folder is a reparse point to Windows programs, but Wine 8 cannot remove it (RemoveDirectoryW: not empty; DeleteFileW: access denied): kept, with the reason on stderr; on NTFS RemoveDirectoryW removes a junction or folder symlink itself"
wine_differs "a Linux symlink to a file looks like the file itself to Windows programs under Wine 8 (which has no file symlinks), and DeleteFileW on it deletes the target: not exercised here; on NTFS a file symlink is a reparse point that fs_*_win32.c never follow"
