#!/bin/sh
# Bad arguments: exit 2, nothing on stdout, ONE clear line on stderr, nothing
# created. Not a store: exit 2, refused with the reason, DEST not created.
set -e; . "$UK_ROOT/tests/lib.sh"
mkdir -p "$T/s/USMT/File/C\$"; : >"$T/s/USMT/catalog.mig"; : >"$T/s/USMT/MIGSTATE.DAT"
mkdir -p "$T/d"

bad() { # expected-stderr-text args...
	want=$1; shift
	uk_tool rescue "$@"
	expect_rc 2 "usmt-rescue $*"
	[ ! -s "$out" ] || { cat "$out"; die "stdout not empty for: $*"; }
	[ "$(wc -l <"$err")" = 1 ] || { cat "$err"; die "not one line on stderr for: $*"; }
	expect_err "^usmt-rescue: error: .*$want"
}
bad "no STORE and DEST given"
bad "no DEST given" "$T/s"
bad "too many arguments" "$T/s" "$T/d" "$T/e"
bad "unknown option '--frobnicate'" --frobnicate "$T/s" "$T/d"
bad "unknown option '-f'" -f "$T/s" "$T/d"
bad "option '--db' needs a value" "$T/s" "$T/d" --db
bad "option '--db' needs a value" --db= "$T/s" "$T/d"
bad "option '--log' needs a value" "$T/s" "$T/d" --log
bad "cannot open it for appending" --log "$T/no/such/dir/x.log" "$T/s" "$T/d/x"
[ ! -e "$T/d/x" ] && [ ! -e "$T/s.usmtkit.db" ] || die "a file was created"

uk_tool rescue --json "$T" "$T/d/new"
expect_rc 2 "not a store"
expect_eq "$(json result)" refused result
expect_err "not a USMT store"
mkdir -p "$T/c/USMT"; : >"$T/c/USMT/USMT.MIG"
uk_tool rescue "$T/c" "$T/d/new"
expect_rc 2 "a compressed store"
expect_err "compressed store"
uk_tool rescue --same-volume --all "$T/s" "$T/d/a/../b"
expect_rc 2 "'..' below a folder that does not exist"
expect_err "'\.\.' below a folder that does not exist yet"
[ ! -e "$T/d/new" ] && [ ! -e "$T/d/a" ] || die "DEST was created"
