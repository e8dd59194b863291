#!/bin/sh
# usmt-verify --baseline on real files: one row per store file with the
# same hash as xxhsum -H2, each inode read once however many names it has
# in the store, links never followed, every store in one transaction, and
# no verify run recorded (purge never takes a baseline for a verify run).
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/a/Documents/report.docx "a linked file"
ps_copy Users/a/AppData/locked.dat "a locked file, copied"
head -c 3000000 /dev/urandom >"$SF/Users/a/big.bin"
# ScanState links every name of a hard-linked source file: one inode, 3 names.
ln "$SF/Users/a/big.bin" "$SF/Users/a/big again.bin"
mkdir -p "$SF/Users/b" && ln "$SF/Users/a/big.bin" "$SF/Users/b/big.bin"
ps_readonly Users/a/ro.txt "read-only"
echo secret >"$T/secret.txt"
ln -s "$T/secret.txt" "$SF/Users/a/trap"
db="$S.usmtkit.db"
small=$(cat "$SF/Users/a/Documents/report.docx" "$SF/Users/a/AppData/locked.dat" \
	"$SF/Users/a/ro.txt" | wc -c)

uk_tool verify --baseline --json --threads 2 "$S"
expect_rc 0 baseline
expect_eq "$(json mode)" baseline mode
expect_eq "$(json files)" 6 files
expect_eq "$(json bytes)" $((small + 3 * 3000000)) bytes
expect_eq "$(json hashed_bytes)" $((small + 3000000)) "the shared inode is read once"
expect_eq "$(json readonly)" 1 readonly
expect_eq "$(json links)" 1 "the symbolic link"
expect_eq "$(json copies)" 1 copies
expect_eq "$(json result)" ok result
expect_err "trap: symbolic link"
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline")" 6 rows
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline WHERE rel LIKE '%trap%'")" 0 "link not recorded"
h=$(xxhsum -H2 "$SF/Users/a/big.bin" | cut -d' ' -f1)
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline WHERE hash = '$h' AND size = 3000000")" 3 \
	"every name of the inode recorded with its hash"
expect_eq "$(sql "$db" "SELECT readonly FROM baseline WHERE rel = 'C\$/Users/a/ro.txt'")" 1 read-only
host=$(hostname)
expect_eq "$(sql "$db" "SELECT count(DISTINCT machine || taken_at), min(machine) FROM baseline")" "1|$host" machine
sql "$db" "SELECT taken_at FROM baseline LIMIT 1" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' ||
	die "taken_at is ISO 8601 UTC"
expect_eq "$(sql "$db" "SELECT count(*) FROM verify_run")" 0 "a baseline is no verify run"
expect_eq "$(sql "$db" "PRAGMA user_version")" 3 "schema version"

note "purge does not take a baseline for a verify run"
uk_tool purge --json "$S"
expect_rc 1 "refused"
json reason | grep -q "no finished verify run" || die "reason: $(json reason)"

note "text summary"
uk_tool verify --baseline "$S"
expect_rc 0 "baseline (text)"
expect_out "baseline of 1 store"
expect_out "Result: ok -- baseline recorded"

note "two stores: both baselines in one run; a second run replaces, never adds"
ps_init "$T/d"
S2=$S; S=$T/m/store
ps_copy Users/z/d.txt "on D:"
uk_tool verify --baseline --json "$S" "$S2"
expect_rc 0 "two stores"
expect_eq "$(json files)" 7 "files of both stores"
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline")" 7 "rows of both stores"
expect_eq "$(sql "$db" "SELECT count(DISTINCT store_id) FROM baseline")" 2 "one set a store"
rm "$T/d/store/USMT/File/C\$/Users/z/d.txt"
uk_tool verify --baseline --json "$S" "$S2"
expect_rc 0 "again"
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline")" 6 "replaced"

note "usage"
uk_tool verify --baseline --repair "$S"
expect_rc 2 "--repair with --baseline"
expect_err "repairs nothing"
uk_tool verify --baseline "$T/secret.txt"
expect_rc 2 "not a store"
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline")" 6 "refusals change nothing"
note "baseline exact"
