#!/bin/sh
# docs/SPEC.md is the contract in the tree; it must be the team's current one
# (../shared/SPEC.md beside the clone, where that folder exists).
set -e; . "$UK_ROOT/tests/lib.sh"
[ -s "$UK_ROOT/docs/SPEC.md" ] || die "docs/SPEC.md is missing"
grep -q '^## 5\. Exit codes' "$UK_ROOT/docs/SPEC.md" || die "docs/SPEC.md lacks the exit-code table"
shared="$UK_ROOT/../shared/SPEC.md"
if [ -f "$shared" ]; then
	diff -u "$shared" "$UK_ROOT/docs/SPEC.md" ||
		die "docs/SPEC.md differs from ../shared/SPEC.md: cp ../shared/SPEC.md docs/SPEC.md"
else
	note "no ../shared/SPEC.md beside this checkout: docs/SPEC.md not compared"
fi
