#!/bin/sh
# --dry-run prints the plan (deleted, kept, read-only re-applied) and changes
# nothing: the trees and the database file are byte-identical afterwards,
# and the plan's counts are what the real purge then does.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha"
ps_readonly Users/alice/ro.txt "read-only"
ps_copy Users/bob/b.txt "bravo"
ps_sole Users/bob/sole.txt "only here"
ps_verify
expect_rc 1 "verify finds the sole copy"
db="$S.usmtkit.db"
tables() { sqlite3 "$db" ".dump entry entry_dir verify_run store purge_run purge_step purge_pending"; }
before=$(ps_snap); dump=$(tables); dbsum=$(sha256sum <"$db")

uk_tool purge --dry-run --force "$S"
expect_rc 1 "dry run: the plan keeps the sole copy"
expect_out "DRY RUN -- nothing was changed"
expect_out "would delete *3 files, 1 folders"
expect_out "would re-apply r/o 1 restored files"
expect_out "$C/Users/alice/ro.txt"
expect_out "1  sole copy: --force keeps it"
expect_out "kept *USMT/File/C\$/Users/bob/sole.txt  (sole copy)"
uk_tool purge --dry-run --force --json "$S"
expect_rc 1 "dry run (json)"
expect_eq "$(json result)" dry-run result
plan="$(json deleted_files) $(json deleted_dirs) $(json readonly_restored) $(json kept)"
expect_eq "$plan" "3 1 1 1" "plan: files dirs readonly kept"
expect_eq "$(json purge_run)" null "no purge run recorded"

expect_eq "$(ps_snap)" "$before" "trees after --dry-run"
expect_eq "$(tables)" "$dump" "database tables after --dry-run"
expect_eq "$(sha256sum <"$db")" "$dbsum" "database file after --dry-run"

uk_tool purge --force --json "$S"
expect_rc 1 "real purge: the sole copy is kept"
expect_eq "$(json deleted_files) $(json deleted_dirs) $(json readonly_restored) $(json kept)" \
	"$plan" "the purge did what the plan said"
