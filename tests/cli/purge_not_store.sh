#!/bin/sh
# Anything that is not a recognised store is refused: exit 2, one line on
# stderr, nothing touched -- /, a home folder (even one that looks like a
# store), a folder holding profiles, a random folder, a store whose root or
# USMT folder is a symbolic link, a compressed store, a database inside the store.
set -e; . "$UK_ROOT/tests/lib.sh"

mkstore() { mkdir -p "$1/USMT/File/C\$/Users/a"; : >"$1/USMT/catalog.mig"
	: >"$1/USMT/MIGSTATE.DAT"; : >"$1/USMT/hardlink.main"; printf x >"$1/USMT/File/C\$/Users/a/f"; }
snap() { (cd "$T" && find . -printf '%y %m %s %p\n' | LC_ALL=C sort); }
refused() { # expected-text path [env...]
	want=$1; path=$2; shift 2
	before=$(snap)
	out="$T/.out"; err="$T/.err"
	set +e; env "$@" $UK_RUN "$UK_BIN/usmt-purge$UK_EXE" --force --force-data-loss "$path" \
		>"$out" 2>"$err"; rc=$?; set -e
	expect_rc 2 "refused: $path"
	[ ! -s "$out" ] || { cat "$out"; die "stdout not empty"; }
	[ "$(wc -l <"$err")" = 1 ] || { cat "$err"; die "not one line on stderr"; }
	expect_err "$want"
	rm -f "$out" "$err"
	[ "$(snap)" = "$before" ] || die "something changed under $T for $path"
}

refused "refusing to purge the file-system root" /
mkstore "$T/home"
refused "refusing to purge a home folder" "$T/home" HOME="$T/home"
refused "refusing to purge a home folder or a folder holding one" "$T" HOME="$T/home"
refused "refusing to purge a user profile" /home/someone
refused "refusing to purge a user profile" /root HOME=/nonexistent
mkdir "$T/random"; printf keep >"$T/random/file"
refused "not a USMT store: no USMT folder" "$T/random"
refused "not a USMT store: it does not exist" "$T/absent"

mkstore "$T/real"
ln -s "$T/real" "$T/rootlink"
refused "store folder is a symbolic link" "$T/rootlink"
mkdir "$T/usmtlink"; ln -s "$T/real/USMT" "$T/usmtlink/USMT"
refused "USMT folder is a symbolic link" "$T/usmtlink"
mkdir -p "$T/comp/USMT"; printf 'MIG' >"$T/comp/USMT/USMT.MIG"
refused "compressed store .*UsmtUtils /verify" "$T/comp"

# A recognised store, but the database would be inside it (existing or not).
for i in 1 2; do
	uk_tool purge --db "$T/real/inside.db" "$T/real"
	expect_rc 2 "database inside the store"
	expect_err "must not be inside the store"
	: >"$T/real/inside.db"
done
[ -f "$T/real/USMT/File/C\$/Users/a/f" ] || die "store touched"

# --json prints its object even then.
uk_tool purge --json /
expect_rc 2 "--json /"
expect_eq "$(json result)" refused result
expect_eq "$(json exit_code)" 2 exit_code
