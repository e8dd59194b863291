#!/bin/sh
# --format jsonl (SPEC.md 4a): one JSON object a line, the machine first,
# then one at_risk object per file: the same verdict and files as --format json.
set -e; . "$UK_ROOT/tests/lib.sh"

cd "$UK_ROOT/samples/logs"
LOGS="loadstate-abort-retry.log loadstate-c.log loadstate-progress.log scanstate.log"
uk_tool report --format json $LOGS
expect_rc 1 "json"
cp "$out" "$T/one.json"
uk_tool report --format jsonl $LOGS
expect_rc 1 "jsonl"
python3 - "$T/one.json" "$out" <<'PY' || die "jsonl does not say what json says"
import json, sys
one = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
m, rest = lines[0], lines[1:]
assert m["kind"] == "machine", m
for k in ("risk", "risk_reasons", "warnings", "at_risk_files"):
    assert m[k] == one[k], k
assert all(r["kind"] == "at_risk" for r in rest), rest
assert [r["path"] for r in rest] == [a["path"] for a in one["at_risk"]]
for r, a in zip(rest, one["at_risk"]):
    assert {k: v for k, v in r.items() if k not in ("kind", "machine")} == a, r["path"]
PY
uk_tool report --format jsonl loadstate-clean.log
expect_rc 0 "clean"
expect_eq "$(wc -l <"$out")" 1 "a clean log: the machine line alone"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["risk"] == "none" and d["warnings"] == []' "$out" ||
	die "clean jsonl"
