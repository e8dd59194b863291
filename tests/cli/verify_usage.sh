#!/bin/sh
# Bad options and missing arguments: exit 2, nothing on stdout, ONE clear
# line on stderr.
set -e; . "$UK_ROOT/tests/lib.sh"
mkdir -p "$T/s/USMT/File/C\$"; : >"$T/s/USMT/catalog.mig"; : >"$T/s/USMT/MIGSTATE.DAT"

bad() { # expected-stderr-text args...
	want=$1; shift
	uk_tool verify "$@"
	expect_rc 2 "usmt-verify $*"
	[ ! -s "$out" ] || { cat "$out"; die "stdout not empty for: $*"; }
	[ "$(wc -l <"$err")" = 1 ] || { cat "$err"; die "not one line on stderr for: $*"; }
	expect_err "^usmt-verify: error: .*$want"
}
bad "no STORE given"
bad "no STORE given" --json
bad "unknown option '--frobnicate'" --frobnicate "$T/s"
bad "unknown option '-x'" -x "$T/s"
bad "option '--db' needs a value" "$T/s" --db
bad "option '--root' needs a value" "$T/s" --root
bad "--threads '0'" --threads 0 "$T/s"
bad "--threads 'many'" --threads many "$T/s"
bad "--hash 'sometimes'" --hash=sometimes "$T/s"
bad "--root 'C'" --root C "$T/s"
bad "--root '1=/x'" --root 1=/x "$T/s"
bad "--map 'C:.x'" --map 'C:\x' "$T/s"
bad "--exclude" --exclude 'C:\Users\* [unclosed' "$T/s"
bad "nope.txt" --exclude-from "$T/nope.txt" "$T/s"
bad "nope.xml" --config "$T/nope.xml" --root "C=$T" "$T/s"
bad "--log" --log "$T/no/such/dir/v.log" "$T/s"
# Drive letters are a Windows notion (tests/wine/all_volumes.sh covers it there).
bad "--all-volumes .* works on Windows only" --all-volumes "$T/s"
[ ! -e "$T/s.usmtkit.db" ] || die "a usage error created a database"
