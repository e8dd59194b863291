#!/bin/sh
# --help lists every option of SPEC section 4 and the exit codes; --version.
set -e; . "$UK_ROOT/tests/lib.sh"

uk_tool purge --help
expect_rc 0 --help
[ ! -s "$err" ] || die "stderr not empty"
for o in --db --dry-run --force --force-data-loss --no-schedule --readonly-only --run-pending \
	--json --log --progress --no-progress -q --help --version; do
	grep -q -- "$o\b" "$out" || die "--help lacks $o"
done
expect_out "Usage: usmt-purge \[options\] STORE..."
expect_out "leftovers scheduled for deletion at restart"
expect_out "or kept (the store is still there"
uk_tool purge --version
expect_rc 0 --version
expect_out "^usmt-purge [0-9][0-9.]*$"
