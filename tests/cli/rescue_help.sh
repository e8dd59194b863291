#!/bin/sh
# --help lists every option of SPEC section 4a and the exit codes; --version.
set -e; . "$UK_ROOT/tests/lib.sh"

uk_tool rescue --help
expect_rc 0 --help
[ ! -s "$err" ] || die "stderr not empty"
for o in --all --same-volume --db --json --log --progress --no-progress -q --help --version; do
	grep -q -- "$o\b" "$out" || die "--help lacks $o"
done
expect_out "Usage: usmt-rescue \[options\] STORE DEST"
expect_out "Exit: 0 all copied and verified, 1 "
uk_tool rescue --version
expect_rc 0 --version
expect_out "^usmt-rescue [0-9][0-9.]*$"
