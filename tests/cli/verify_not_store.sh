#!/bin/sh
# Not a store (exit 2, one line, nothing created): missing path, a file, an
# empty folder, a USMT folder without the marker files, stores whose root,
# USMT or File folder is a symbolic link; a compressed store is refused with
# a pointer to UsmtUtils /verify.
set -e; . "$UK_ROOT/tests/lib.sh"

refused() { # expected-text path
	uk_tool verify --root "C=$T" "$2"
	expect_rc 2 "refused: $2"
	[ ! -s "$out" ] || die "stdout not empty"
	[ "$(wc -l <"$err")" = 1 ] || { cat "$err"; die "not one line on stderr"; }
	expect_err "$1"
}
mkstore() { mkdir -p "$1/USMT/File/C\$"; : >"$1/USMT/catalog.mig"; : >"$1/USMT/MIGSTATE.DAT"; }

refused "not a USMT store: No such file" "$T/absent"
: >"$T/file"; refused "not a USMT store: not a folder" "$T/file"
mkdir "$T/empty"; refused "not a USMT store: no USMT folder" "$T/empty"
mkdir -p "$T/nomarks/USMT/File"; refused "catalog.mig is missing" "$T/nomarks"
refused "not a USMT store" /proc

mkstore "$T/real"
ln -s "$T/real" "$T/rootlink"; refused "store folder is a symbolic link" "$T/rootlink"
refused "store folder is a symbolic link" "$T/rootlink/"
mkdir "$T/usmtlink"; ln -s "$T/real/USMT" "$T/usmtlink/USMT"; refused "USMT folder is a symbolic link" "$T/usmtlink"
mkdir -p "$T/filelink/USMT"; : >"$T/filelink/USMT/catalog.mig"; : >"$T/filelink/USMT/MIGSTATE.DAT"
ln -s "$T/real/USMT/File" "$T/filelink/USMT/File"; refused "File folder is a symbolic link" "$T/filelink"

mkdir -p "$T/comp/USMT"; head -c 1000 /dev/urandom >"$T/comp/USMT/USMT.MIG"
refused "compressed store .*UsmtUtils /verify" "$T/comp"

# One bad store among good ones refuses the whole run.
refused "no USMT folder" "$T/empty"
uk_tool verify --root "C=$T" "$T/real" "$T/empty"
expect_rc 2 "second store not a store"
for d in absent file empty nomarks rootlink usmtlink filelink comp; do
	[ ! -e "$T/$d.usmtkit.db" ] || die "a database was created for $d"
done
[ ! -e "$T/real.usmtkit.db" ] || die "a database was created before all stores were checked"
