#!/bin/sh
# Every reason JSON names has its CSV record: each entry of `risk_reasons`
# (a skipped profile, an unfinished LoadState run, errors ignored with no
# verify run, a file that is no USMT log) is a record without a path, each
# `at_risk` file a record with its path, with the same risk and reasons. The
# CSV had no record for skipped-profile, loadstate-incomplete and
# errors-ignored: a spreadsheet of a critical report showed nothing critical.
set -e; . "$UK_ROOT/tests/lib.sh"

# records FORMAT FILE: "risk<TAB>path<TAB>reason;reason" a line, sorted.
records() {
	python3 - "$1" "$2" <<'PY'
import csv, json, sys
fmt, path = sys.argv[1], sys.argv[2]
rows = []
if fmt == "json":
    d = json.load(open(path, encoding="utf-8"))
    rows += [(r["risk"], "", r["reason"]) for r in d["risk_reasons"]]
    rows += [(a["risk"], a["path"], ";".join(a["reasons"])) for a in d["at_risk"]]
else:
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append((r["risk"], r["path"], r["reasons"]))
for r in sorted(rows):
    print("\t".join(r))
PY
}

# check NAME LOG...: the same records in both formats.
check() {
	name=$1; shift
	uk_tool report --format json "$@"
	jrc=$rc
	records json "$out" >"$T/json"
	uk_tool report --format csv "$@"
	expect_rc "$jrc" "$name: csv exits as json does"
	records csv "$out" >"$T/csv"
	diff -u "$T/json" "$T/csv" || die "$name: CSV records differ from JSON's reasons"
	cut -f3 "$T/json" | tr ';' '\n' >>"$T/seen"
}

: >"$T/seen"
for log in "$UK_ROOT"/tests/logs/real/*.log "$UK_ROOT"/samples/logs/*.log \
           "$UK_ROOT"/tests/logs/not-usmt/*.log; do
	check "${log##*/}" "$log"
done
cd "$UK_ROOT/samples/logs"
check "the samples together" loadstate-abort-retry.log loadstate-c.log loadstate-progress.log \
	scanstate.log
# The comparison covered every reason that is not one file.
for r in skipped-profile loadstate-incomplete errors-ignored not-a-usmt-log logged-error; do
	grep -qx -- "$r" "$T/seen" || die "no input gave reason $r: the check proved nothing for it"
done
