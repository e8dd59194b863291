#!/bin/sh
# Issue 11, the report's side: what is no evidence is never "safe". A file
# that is no USMT log, a verify run that never finished, a merged database
# that is no usmtkit database or holds nothing judged.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/scenario/report_lib.inc"

N="$UK_ROOT/tests/logs/not-usmt"
CLEAN="$UK_ROOT/samples/logs/loadstate-clean.log"
warnings_hold() { # TEXT: the JSON warnings hold one string containing TEXT
	python3 -c 'import json,sys
w=json.load(open(sys.argv[1]))["warnings"]
assert any(sys.argv[2] in x for x in w), w' "$out" "$1" || die "warnings lack '$1'"
}

note "a file that is no USMT log: high, exit 1, said on stderr and in every format"
for f in empty.log binary.log setupact.log; do
	uk_tool report --format json "$N/$f"
	expect_rc 1 "$f alone"
	expect_eq "$(json risk)" high "$f: risk"
	expect_err "$f could not be read as a USMT log"
	warnings_hold "$f could not be read as a USMT log"
	for fmt in text csv html cmtrace; do
		uk_tool report --format $fmt "$N/$f"
		expect_rc 1 "$f --format $fmt"
		expect_out "could not be read as a USMT log"
	done
done
uk_tool report --format json "$CLEAN" "$N/binary.log"
expect_rc 1 "beside a clean log"
expect_eq "$(json risk)" high "beside a clean log: risk"
uk_tool report --format json "$CLEAN"
expect_rc 0 "a clean log alone"
expect_eq "$(json risk)" none "clean: risk"
expect_eq "$(json warnings)" "[]" "clean: no warning"

note "a verify run that found nothing at risk, and a file that is no log"
ST="$T/one/USMTMIG"; C="$T/one/c"
make_store "$ST"
linked "$ST" "$C" "Users/ann/Documents/x.docx" x
uk_tool verify --root "C=$C" "$ST"
expect_rc 0 "verify: all linked"
uk_tool report --store "$ST" "$CLEAN"
expect_rc 0 "verified store, clean log"
expect_out "RISK: NONE -- nothing at risk: the store can be deleted"
uk_tool report --store "$ST" "$N/empty.log"
expect_rc 1 "verified store, empty log"
expect_out "RISK: HIGH"
! grep -q "RISK: NONE" "$out" || die "an empty log left the store 'safe'"

note "a verify run that never finished is not 'no verify run', nor evidence"
ST="$T/two/USMTMIG"; C="$T/two/c"
make_store "$ST"
linked "$ST" "$C" "Users/ann/Documents/x.docx" x
uk_tool verify --root "C=$C" "$ST"
expect_rc 0 "verify"
DB="$ST.usmtkit.db"
# As a killed run leaves it (tests/scenario/hostile_verify_kill.sh kills one for real).
sql "$DB" "UPDATE verify_run SET finished = NULL"
run=$(sql "$DB" "SELECT max(id) FROM verify_run")
uk_tool report --store "$ST"
expect_rc 2 "only an unfinished verify run"
expect_err "verify run $run never finished"
uk_tool report --store "$ST" "$CLEAN"
expect_rc 0 "clean log, unfinished verify run"
expect_err "warning: verify run $run (started"
expect_out "the verify run never finished: run usmt-verify again"
expect_out "Verify: no finished verify run; run $run never finished"
expect_out "Warning: verify run $run (started"
! grep -q "no verify run in the database" "$out" || die "said there is no verify run"
uk_tool report --store "$ST" --format json "$CLEAN"
warnings_hold "verify run $run (started"
uk_tool report --store "$ST" --format html "$CLEAN"
expect_out 'id="warnings"'
expect_out "none finished (run $run never finished)"
uk_tool report --store "$ST" --format cmtrace "$CLEAN"
expect_out "verify run $run (started"

note "--merge on a database that is not one exits as --db does"
printf 'not sqlite at all, just text long enough to be a header....................................' >"$T/bad.db"
uk_tool report --db "$T/bad.db"; dbrc=$rc
uk_tool report --merge "$T/bad.db"
expect_rc "$dbrc" "--merge on what --db refuses"
expect_err "bad.db"
sqlite3 "$T/other.db" "CREATE TABLE notes(a); INSERT INTO notes VALUES (1)"
uk_tool report --db "$T/other.db"; dbrc=$rc
[ "$dbrc" = 2 ] || die "--db on another SQLite database: exit $dbrc"
expect_err "other.db: not a usmtkit database"
uk_tool report --merge "$T/other.db"
expect_rc "$dbrc" "--merge on another SQLite database"
expect_err "other.db: not a usmtkit database"
expect_eq "$(sql "$T/other.db" "SELECT group_concat(name) FROM sqlite_master")" notes \
	"the other database was left as it was"

note "--merge on a usmtkit database holding nothing judged is not 'none'"
uk_tool report --db "$T/nothing.db" "$CLEAN"
expect_rc 0 "a clean log into a new database"
sql "$T/nothing.db" "DELETE FROM log_file"
uk_tool report --merge "$T/nothing.db"
expect_rc 2 "merge: nothing judged"
expect_err "nothing to report"
