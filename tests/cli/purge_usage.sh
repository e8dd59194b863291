#!/bin/sh
# Bad options and combinations: exit 2, nothing on stdout, ONE clear line on
# stderr, nothing touched.
set -e; . "$UK_ROOT/tests/lib.sh"
mkdir -p "$T/s/USMT/File/C\$"; : >"$T/s/USMT/catalog.mig"; : >"$T/s/USMT/MIGSTATE.DAT"

bad() { # expected-stderr-text args...
	want=$1; shift
	uk_tool purge "$@"
	expect_rc 2 "usmt-purge $*"
	[ ! -s "$out" ] || { cat "$out"; die "stdout not empty for: $*"; }
	[ "$(wc -l <"$err")" = 1 ] || { cat "$err"; die "not one line on stderr for: $*"; }
	expect_err "^usmt-purge: error: .*$want"
}
bad "no STORE given"
bad "no STORE given" --force --json
bad "unknown option '--frobnicate'" --frobnicate "$T/s"
bad "unknown option '-f'" -f "$T/s"
bad "option '--db' needs a value" "$T/s" --db
bad "option '--db' needs a value" --db= "$T/s"
bad "option '--log' needs a value" "$T/s" --log
bad "--force-data-loss only goes with --force" --force-data-loss "$T/s"
bad "--readonly-only and --run-pending do not go together" --readonly-only --run-pending "$T/s"
bad "--force does not go with --run-pending" --force --run-pending "$T/s"
bad "the same store is given twice" "$T/s" "$T/s/"
bad "cannot open it for appending" --log "$T/no/such/dir/x.log" "$T/s"
[ ! -e "$T/s.usmtkit.db" ] && [ ! -e "$T/s.usmtkit.db.lock" ] || die "a file was created"
bad "--all-volumes .* works on Windows only" --all-volumes "$T/s"
bad "unknown option '--no'" --no "$T/s"
bad "option '--force' takes no value" --force=yes "$T/s"

# Abbreviated long options, as getopt_long gives verify and report: --forc
# is --force (a prefix of --force-data-loss too), --force-d the other.
uk_tool purge --dry --json "$T/s"
expect_rc 1 "--dry is --dry-run (the gate refuses: no database)"
expect_eq "$(json result)" refused "--dry result"
uk_tool purge --forc --readonly-only "$T/s"
expect_rc 2 "--forc is --force"
expect_err "^usmt-purge: error: --force does not go with --readonly-only"
uk_tool purge --force-d "$T/s"
expect_rc 2 "--force-d is --force-data-loss"
expect_err "^usmt-purge: error: --force-data-loss only goes with --force"
uk_tool purge --forc --force-d --dry --js "$T/s"
expect_rc 1 "--forc --force-d --dry --js"
expect_eq "$(json result)" refused "abbreviated options, JSON"
[ ! -e "$T/s.usmtkit.db" ] || die "a database was created"
