#!/bin/sh
# usmt-rescue's default selection from a real verify run: exactly the sole
# copies and the missing and modified entries land in DEST/<host>/C$/...,
# content, modification time and read-only equal to the store's; linked and
# identical files are not copied; a second run copies nothing again.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
ps_init "$T/m"
D="$T/usb"; mkdir -p "$D"
mount -t tmpfs -o size=8m tmpfs "$D"
cleanup() { umount "$D" 2>/dev/null || true; }
trap 'rc=$?; cleanup; if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT

ps_linked "Users/a/linked.txt" "linked"
ps_copy "Users/a/same.txt" "identical copy"
ps_sole "Users/a/Documents/only here.doc" "the only copy"
ps_sole "Users/b/ro [x].txt" "read-only sole copy"
chmod a-w "$SF/Users/b/ro [x].txt"
mkdir -p "$C/Users/a"; printf 'restored, different' >"$C/Users/a/changed.txt"
mkdir -p "$SF/Users/a"; printf 'store version' >"$SF/Users/a/changed.txt"
touch -d '2021-03-04 05:06:07 UTC' "$SF/Users/a/Documents/only here.doc" \
	"$SF/Users/a/changed.txt"
ps_verify
expect_rc 1 "verify finds files at risk"
db="$S.usmtkit.db"
host=$(sql "$db" "SELECT host FROM verify_run")
expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE sole_copy OR verdict IN
	('missing', 'modified')")" 3 "entries at risk"

uk_tool rescue --json "$S" "$D"
expect_rc 0 "every file at risk copied and verified"
expect_eq "$(json result)" rescued result
expect_eq "$(json copied)" 3 copied
expect_eq "$(json failed)" 0 failed
expect_eq "$(json skipped_done)" 0 skipped_done
expect_eq "$(json dest)" "$D" dest
expect_eq "$(json bytes)" $((13 + 19 + 13)) bytes
B="$D/$host/C\$"
for f in "Users/a/Documents/only here.doc" "Users/b/ro [x].txt" "Users/a/changed.txt"; do
	cmp "$SF/$f" "$B/$f" || die "$f: content differs"
	expect_eq "$(stat -c %Y "$B/$f")" "$(stat -c %Y "$SF/$f")" "$f: mtime"
	expect_eq "$(stat -c %a "$B/$f")" "$(stat -c %a "$SF/$f")" "$f: mode"
done
expect_eq "$(stat -c %Y "$B/Users/a/changed.txt")" 1614834367 "mtime kept exactly"
[ ! -w "$B/Users/b/ro [x].txt" ] || [ "$(id -u)" = 0 ] || die "read-only lost"
expect_eq "$(stat -c %a "$B/Users/b/ro [x].txt" | cut -c1)" 4 "read-only kept"
[ ! -e "$B/Users/a/linked.txt" ] || die "a linked file was copied"
[ ! -e "$B/Users/a/same.txt" ] || die "an identical file was copied"
expect_eq "$(cd "$D" && find . -type f ! -name '.usmtkit-rescue.*' | wc -l)" 3 "files in DEST"
expect_eq "$(find "$D" -name '*.part' | wc -l)" 0 "no temporary file left"
j="$D/.usmtkit-rescue.db"
expect_eq "$(sql "$j" "SELECT count(*) FROM rescue_file WHERE state = 'done'")" 3 journal
expect_eq "$(sql "$j" "SELECT result FROM rescue_run")" rescued "journal result"

uk_tool rescue --json "$S" "$D"
expect_rc 0 "second run"
expect_eq "$(json copied)" 0 "copied again"
expect_eq "$(json skipped_done)" 3 "skipped_done"

# A copy deleted from DEST since is copied again, not counted as done.
rm -f "$B/Users/a/changed.txt"
uk_tool rescue --json "$S" "$D"
expect_rc 0 "third run"
expect_eq "$(json copied)" 1 "the deleted copy"
cmp "$SF/Users/a/changed.txt" "$B/Users/a/changed.txt" || die "re-copied content"

# Text output names the outcome and the folder.
uk_tool rescue "$S" "$D"
expect_rc 0 "text"
expect_out "usmt-rescue: rescued"
expect_out "$D/$host"
