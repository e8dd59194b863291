#!/bin/sh
# Builds the tools of an earlier commit for `make bench`'s before/after columns:
#   bench/before.sh REF DIR
# `git archive` of REF into DIR/src, built there with its own Makefile into
# DIR/build (the Debian packages scripts/deps.sh installed serve both builds).
# A build of the same commit is reused. On success prints the folder of the
# binaries; on failure writes why to DIR/error (the bench runs without the
# before columns and the page says so) and exits 1.
set -u
ref=$1
dir=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -f "$dir/error"
fail() {
	echo "$*" >"$dir/error"
	echo "bench: before ($ref): $*" >&2
	exit 1
}
commit=$(git rev-parse --verify -q "$ref^{commit}") || fail "'$ref' is no commit of this repository"
if [ "$(cat "$dir/commit" 2>/dev/null)" = "$commit" ] && [ -x "$dir/build/bin/usmt-verify" ]; then
	echo "$dir/build/bin"
	exit 0
fi
rm -rf "$dir/src" "$dir/build" "$dir/commit"
mkdir -p "$dir/src"
git archive "$commit" | tar -x -C "$dir/src" || fail "git archive $commit failed"
echo "bench: building the tools of $ref ($(git rev-parse --short "$commit")) in $dir" >&2
# -j2: the machine has two cores; its log stays beside the build.
if ! nice make -C "$dir/src" -j2 BUILD="$dir/build" all >"$dir/build.log" 2>&1; then
	fail "make failed: $(grep -m1 -E 'error|Error' "$dir/build.log" || tail -n 1 "$dir/build.log") (log: $dir/build.log)"
fi
[ -x "$dir/build/bin/usmt-verify" ] || fail "make built no usmt-verify (log: $dir/build.log)"
echo "$commit" >"$dir/commit"
echo "$dir/build/bin"
