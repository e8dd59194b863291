#!/bin/sh
# --merge: three machines' databases (real verify runs, logs ingested), one
# row a machine and the fleet totals, in every format.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/scenario/report_lib.inc"

machine() { # NAME KIND: clean | sole | profile
	ST="$T/$1/USMTMIG"; C="$T/$1/c"
	make_store "$ST"
	linked "$ST" "$C" "Users/u/Documents/a.txt" a
	[ "$2" != sole ] || skipped "$ST" "Users/u/Documents/only.txt" only
	uk_tool verify --root "C=$C" "$ST"
	{
		usmt_line 10:00:00 Info 0x000000 'LOADSTATE.EXE Version 10.0.22621'
		usmt_line 10:00:00 Info 0x000000 'USMT Started at 2024/01/24:10:00:00.000'
		[ "$2" != profile ] || usmt_line 10:00:01 Warning 0x0803ba "Found valid profile but can't get user credentials. Will ignore due to error code: 0x00000534 User SID: S-1-5-21-1-2-3-1001"
		usmt_line 10:00:09 Info 0x000000 'USMT Completed at 2024/01/24:10:00:09.000'
	} >"$T/$1/loadstate.log"
	uk_tool report --store "$ST" "$T/$1/loadstate.log"
}
machine pc1 clean;   expect_rc 0 "pc1 clean"
machine pc2 sole;    expect_rc 1 "pc2 sole copy"
machine pc3 profile; expect_rc 1 "pc3 skipped profile"
DBS="$T/pc1/USMTMIG.usmtkit.db $T/pc2/USMTMIG.usmtkit.db $T/pc3/USMTMIG.usmtkit.db"
HOST=$(hostname)

uk_tool report --merge --format json $DBS
expect_rc 1 "fleet at risk"
expect_eq "$(json risk)" critical "fleet risk"
expect_eq "$(json totals.machines)" 3 machines
expect_eq "$(json totals.at_risk)" 2 "machines at risk"
expect_eq "$(json totals.by_risk.none)" 1 "clean machines"
expect_eq "$(json totals.at_risk_files.critical)" 1 "critical files"
expect_eq "$(json totals.skipped_profiles)" 1 "skipped profiles"
expect_eq "$(json machines.0.risk)" none "pc1"
expect_eq "$(json machines.0.machine)" "$HOST" "machine named by verify's host"
expect_eq "$(json machines.1.at_risk_files.critical)" 1 "pc2"
expect_eq "$(json machines.2.skipped_profiles)" 1 "pc3"
expect_eq "$(json machines.2.db)" "$T/pc3/USMTMIG.usmtkit.db" "db"

uk_tool report --merge $DBS
expect_rc 1 text
head -n 1 "$out" | grep -q '^FLEET RISK: CRITICAL' || { cat "$out"; die "verdict first"; }
expect_eq "$(grep -c "^  $HOST" "$out")" 3 "a line a machine"
expect_out 'TOTAL (3 machines, 2 at risk)'

uk_tool report --merge --format csv --output "$T/fleet.csv" $DBS
expect_rc 1 csv
python3 - "$T/fleet.csv" <<'PY' || die "fleet CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0][:2] == ["machine", "risk"], rows[0]
assert [r[1] for r in rows[1:]] == ["none", "critical", "critical", "critical"], rows
assert rows[-1][0].startswith("TOTAL"), rows[-1]
PY
uk_tool report --merge --format html --output "$T/fleet.html" $DBS
expect_rc 1 html
expect_eq "$(grep -o '<tr>' "$T/fleet.html" | wc -l)" 5 "header, 3 machines and the total"
uk_tool report --merge --format cmtrace $DBS
expect_eq "$(grep -c 'type="3"' "$out")" 2 "two machines in error"

uk_tool report --merge --format jsonl $DBS
expect_rc 1 jsonl
python3 - "$out" "$HOST" "$T" <<'PY' || die "fleet JSON lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
kinds = [(l["kind"], l.get("risk")) for l in lines]
# pc1 clean; pc2 its sole copy; pc3 its skipped profile (no file).
assert kinds == [("machine", "none"), ("machine", "critical"), ("at_risk", "critical"),
                 ("machine", "critical")], kinds
assert all(l["machine"] == sys.argv[2] for l in lines), lines
assert lines[1]["db"] == sys.argv[3] + "/pc2/USMTMIG.usmtkit.db", lines[1]
assert lines[2]["path"].endswith("only.txt") and "sole-copy" in lines[2]["reasons"], lines[2]
assert lines[3]["skipped_profiles"] == 1 and lines[3]["warnings"] == [], lines[3]
PY

uk_tool report --merge "$T/pc1/USMTMIG.usmtkit.db"
expect_rc 0 "one clean machine"

# Without a verify run or a progress log the machine is its database's file
# name: the last component by this OS's separator ('\' is a name character on POSIX).
mkdir -p "$T/share"
uk_tool report --db "$T/share/desk\\07.usmtkit.db" "$UK_ROOT/samples/logs/loadstate-clean.log"
expect_rc 0 "logs only"
uk_tool report --merge --format json "$T/share/desk\\07.usmtkit.db"
expect_rc 0 "merge: logs only"
expect_eq "$(json machines.0.machine)" 'desk\07' "machine named by its file"
