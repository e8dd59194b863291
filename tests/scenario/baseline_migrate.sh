#!/bin/sh
# A version-1 database (before the baseline table) written by a verify run
# migrates to version 3 when --baseline opens it, and keeps its rows: the
# old verify run still drives report and the purge gate.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/a/a.txt "alpha"
ps_sole Users/a/only.txt "only in the store"
db="$S.usmtkit.db"
ps_verify --json
expect_rc 1 "a sole copy"
# Version 1 is version 3 without the baseline table and the four columns
# version 3 added to purge_pending: its SQL is never edited.
sql "$db" "DROP TABLE baseline; ALTER TABLE purge_pending DROP COLUMN fid;
	ALTER TABLE purge_pending DROP COLUMN type; ALTER TABLE purge_pending DROP COLUMN size;
	ALTER TABLE purge_pending DROP COLUMN mtime; PRAGMA user_version = 1"
expect_eq "$(sql "$db" "PRAGMA user_version")" 1 "version 1 database"
entries=$(sql "$db" "SELECT rel, verdict, sole_copy FROM entry ORDER BY rel")

uk_tool verify --baseline --json "$S"
expect_rc 0 "baseline on a version-1 database"
expect_eq "$(sql "$db" "PRAGMA user_version")" 3 "migrated"
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline")" 2 "baseline rows"
expect_eq "$(sql "$db" "SELECT rel, verdict, sole_copy FROM entry ORDER BY rel")" "$entries" \
	"the verify run's rows are kept"
expect_eq "$(sql "$db" "SELECT count(*) FROM verify_run WHERE finished IS NOT NULL")" 1 "run kept"
uk_tool report --store "$S" --format json
expect_rc 1 "the old run still counts"
expect_eq "$(json at_risk.0.reasons)" '["missing", "sole-copy"]' reasons
uk_tool purge --json "$S"
expect_rc 1 "the gate still reads the old run"
json reason | grep -q "1 missing" || die "reason: $(json reason)"

note "a database from a newer usmtkit is refused"
sql "$db" "PRAGMA user_version = 4"
uk_tool verify --baseline "$S"
expect_rc 3 "newer schema"
expect_err "newer than this usmtkit"
note "migration exact"
