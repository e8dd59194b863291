#!/bin/sh
# Copies are checked against the recorded hash, never taken on trust:
# - a store file changed after verify (hash differs from entry.hash) is
#   reported failed with the reason, and no copy of it is left in DEST;
# - a store file gone since verify is reported failed, and the run goes on;
# - a baseline table (schema version 2, filled here by hand) is preferred to
#   entry.hash: a file that differs from its baseline fails, while a corrupt
#   entry is checked against what verify read in the store.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
D="$T/usb"; mkdir -p "$D"
mount -t tmpfs -o size=4m tmpfs "$D"
trap 'rc=$?; umount "$D" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT
ps_init "$T/m"
# Restored as another version of the same size (modified): verify hashes both.
mod() { ps_sole "$1" "$2"; mkdir -p "$C/${1%/*}"; printf '%s' "$2" | tr a-z A-Z >"$C/$1"; }
mod "Users/a/changed.txt" "as verified"
mod "Users/a/gone.txt" "gone later"
mod "Users/a/good.txt" "good"
mod "Users/a/base-bad.txt" "differs from its baseline"
mod "Users/a/corrupt.txt" "corrupt but what we have"
ps_verify
expect_rc 1 verify
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE hash IS NOT NULL")" 5 "hashed"
host=$(sql "$db" "SELECT host FROM verify_run")
B="$D/$host/C\$/Users/a"

printf 'changed after!' >"$SF/Users/a/changed.txt"
rm "$SF/Users/a/gone.txt"
sql "$db" "INSERT INTO baseline SELECT store_id, rel, size, mtime, readonly,
	  CASE WHEN rel LIKE '%/base-bad.txt' OR rel LIKE '%/corrupt.txt'
	       THEN '0123456789abcdef0123456789abcdef' ELSE hash END,
	  'PC1', '2026-11-01T00:00:00Z' FROM entry;
	UPDATE entry SET verdict = 'corrupt' WHERE rel LIKE '%/corrupt.txt';"

uk_tool rescue --json --log "$T/rescue.log" "$S" "$D"
expect_rc 1 "some failed"
expect_eq "$(json result)" partial result
expect_eq "$(json copied)" 2 copied
expect_eq "$(json failed)" 3 failed
expect_err "changed.txt: its content .* differs from the hash recorded for it"
expect_err "gone.txt: cannot read it"
expect_err "base-bad.txt: its content .* differs from the hash recorded for it (0123456789abcdef"
[ ! -e "$B/changed.txt" ] && [ ! -e "$B/gone.txt" ] && [ ! -e "$B/base-bad.txt" ] ||
	die "a copy that does not verify is in DEST"
cmp "$SF/Users/a/good.txt" "$B/good.txt" || die "good.txt"
cmp "$SF/Users/a/corrupt.txt" "$B/corrupt.txt" || die "corrupt.txt: what the store holds"
expect_eq "$(find "$D" -name '.usmtkit-rescue.part' | wc -l)" 0 "temporary file left"
expect_eq "$(sql "$D/.usmtkit-rescue.db" "SELECT count(*) FROM rescue_file
	WHERE state = 'failed' AND error LIKE '%recorded%'")" 2 "journal: failed, with why"

# The CMTrace log: each failure a warning, each copy with its hash.
grep -q '<!\[LOG\[C\$/Users/a/changed.txt: its content .*component="usmt-rescue" .*type="2"' \
	"$T/rescue.log" || die "--log lacks the failure"
grep -q '<!\[LOG\[C\$/Users/a/good.txt: copied (modified), XXH3-128 [0-9a-f]\{32\}\]LOG\]!>.*type="1"' \
	"$T/rescue.log" || die "--log lacks the copy"

uk_tool rescue "$S" "$D"
expect_rc 1 "failed again on a re-run"
expect_out "usmt-rescue: partial"
expect_out "failed         3 files:"
expect_out "store still holds the only copy"
