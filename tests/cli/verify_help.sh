#!/bin/sh
# --help names every option of SPEC section 2; --version prints the version.
set -e; . "$UK_ROOT/tests/lib.sh"
uk_tool verify --help
expect_rc 0 --help
expect_out "Usage: usmt-verify \[options\] STORE..."
for o in --exclude --exclude-from --config --db --root --map --threads --hash=auto --repair \
	--json --log --progress --no-progress -q --help --version; do
	expect_out " $o"
done
[ ! -s "$err" ] || die "--help wrote to stderr"
uk_tool verify -h
expect_rc 0 -h
uk_tool verify --version
expect_rc 0 --version
expect_eq "$(cat "$out")" "usmt-verify $(sed -n 's/^VERSION *:= *//p' "$UK_ROOT/Makefile")" version
