#!/bin/sh
# --all: every file entry of the verify run, linked ones too. Without any
# verify run --all walks USMT/File (a symbolic link in the store is neither
# followed nor copied) and names this host as the machine.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
D="$T/usb"; mkdir -p "$D"
mount -t tmpfs -o size=4m tmpfs "$D"
trap 'rc=$?; umount "$D" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT
ps_init "$T/m"
ps_linked "Users/a/linked.txt" "linked"
ps_readonly "Users/a/ro.txt" "read-only linked"
ps_copy "Users/a/same.txt" "identical"
ps_sole "Users/b/sole.txt" "sole"
mkdir -p "$T/outside"; echo secret >"$T/outside/secret.txt"
ln -s "$T/outside" "$SF/Users/b/link-out"
ln -s "$T/outside/secret.txt" "$SF/Users/b/file-link"

# No verify run yet: the walk.
uk_tool rescue --json --all "$S" "$D/walk"
expect_rc 0 "--all without a verify run"
expect_eq "$(json copied)" 4 "every file found"
expect_eq "$(json machine)" "$(hostname | tr -c 'A-Za-z0-9._\n-' _)" "this host"
B="$D/walk/$(json machine)/C\$"
for f in Users/a/linked.txt Users/a/ro.txt Users/a/same.txt Users/b/sole.txt; do
	cmp "$SF/$f" "$B/$f" || die "$f differs"
done
expect_eq "$(stat -c %a "$B/Users/a/ro.txt" | cut -c1)" 4 "read-only kept"
[ ! -e "$B/Users/b/link-out" ] && [ ! -e "$B/Users/b/file-link" ] || die "a link was copied"
[ -z "$(find "$D/walk" -name secret.txt)" ] || die "a link was followed"
expect_err "link-out: a link, not a file: not followed"

ps_verify
expect_rc 1 verify
host=$(sql "$S.usmtkit.db" "SELECT host FROM verify_run")
uk_tool rescue --json --all "$S" "$D/run"
expect_rc 0 "--all with a verify run"
expect_eq "$(json copied)" 4 "every file entry"
expect_eq "$(json verify_run)" 1 "the verify run"
expect_eq "$(sql "$D/run/.usmtkit-rescue.db" "SELECT selection FROM rescue_run")" all selection
cmp "$SF/Users/a/linked.txt" "$D/run/$host/C\$/Users/a/linked.txt" || die "linked file"
uk_tool rescue --json "$S" "$D/run"
expect_rc 0 "default selection after --all"
expect_eq "$(json skipped_done)" 1 "the sole copy is done already"
expect_eq "$(json copied)" 0 "nothing copied again"
