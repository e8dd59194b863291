#!/bin/sh
# --merge over 200 machines' databases made by bench/mkfleet.py (one real
# verify run and one real log, cloned with varied verdicts): the totals and
# every machine's counts are the ones the generator wrote, and the jsonl
# export has one line a machine plus one an at-risk file, no more.
set -e; . "$UK_ROOT/tests/lib.sh"
F="$T/fleet"
python3 "$UK_ROOT/bench/mkfleet.py" "$F" --machines 200 --bin "$UK_BIN" || die "mkfleet"
# The databases one an argument, as a shell glob gives them.
set -- $(cat "$F/list")
[ $# = 200 ] || die "$# databases"

uk_tool report --merge --format json "$@"
expect_rc 1 "fleet at risk"
python3 - "$out" "$F/fleet.json" <<'PY' || die "fleet totals"
import json, sys
d = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
t = d["totals"]
assert t["machines"] == 200, t
assert t["at_risk"] == sum(m["risk"] != "none" for m in want), t
for r in ("critical", "high", "medium", "none"):
    assert t["by_risk"][r] == sum(m["risk"] == r for m in want), (r, t)
for r in ("critical", "high", "medium"):
    assert t["at_risk_files"][r] == sum(m[r] for m in want), (r, t)
assert t["skipped_profiles"] == 0 and t["loadstate_incomplete"] == 0, t
assert d["risk"] == "critical", d["risk"]
got = [(m["machine"], m["risk"], m["at_risk_files"]) for m in d["machines"]]
exp = [(m["machine"], m["risk"], {k: m[k] for k in ("critical", "high", "medium")})
       for m in want]
assert got == exp, [g for g, e in zip(got, exp) if g != e][:3]
PY

uk_tool report --merge --format jsonl "$@"
expect_rc 1 jsonl
python3 - "$out" "$F/fleet.json" <<'PY' || die "fleet jsonl"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
want = json.load(open(sys.argv[2]))
files = sum(m["critical"] + m["high"] + m["medium"] for m in want)
assert len(lines) == 200 + files, (len(lines), 200 + files)
objs = [json.loads(l) for l in lines]
assert [o["machine"] for o in objs if o["kind"] == "machine"] == [m["machine"] for m in want]
assert sum(o["kind"] == "at_risk" for o in objs) == files
PY

uk_tool report --merge "$@"
expect_rc 1 text
expect_out "TOTAL (200 machines, $(python3 -c 'import json,sys
print(sum(m["risk"] != "none" for m in json.load(open(sys.argv[1]))))' "$F/fleet.json") at risk)"
