#!/bin/sh
# A generated store (samples/gen-store.py), a real verify run, and the
# LoadState logs naming the files it skipped (samples/logs/demo-logs.py):
# every skipped file is at risk with what LoadState said and what is on disk;
# the counts agree with the generator's manifest.
set -e; . "$UK_ROOT/tests/lib.sh"

python3 "$UK_ROOT/samples/gen-store.py" --out "$T/gen" --files 600 --seed 7 --users 3 >/dev/null
M="$T/gen/manifest.json"
m() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(json.dumps(v) if isinstance(v,(dict,list)) else v)' "$M" "$1"; }
uk_tool verify --root "$(m root)" --exclude "$(m exclude)" "$T/gen/store"
expect_rc 1 "the generated store has findings"
python3 "$UK_ROOT/samples/logs/demo-logs.py" "$T/gen"
missing=$(python3 -c 'import json,sys; print(sum(a["verdict"] == "missing" for a in json.load(open(sys.argv[1]))["attention"]))' "$M")
[ "$missing" -gt 0 ] || die "the generator skipped no file"

uk_tool report --store "$T/gen/store" --format json "$T/gen/loadstate.log" "$T/gen/loadstate-progress.log"
expect_rc 1 risk
expect_eq "$(json runs.0.errors_ignored)" "$missing" "LoadState's ignored errors"
expect_eq "$(json progress.0.ignored)" "$missing" "progress numberOfIgnoredErrors"
expect_eq "$(json at_risk_files.critical)" "$(m sole_copy)" "critical files = sole copies"
python3 - "$out" "$M" <<'PY' || die "at-risk files do not match the manifest"
import json, sys
rep = json.load(open(sys.argv[1]))
man = json.load(open(sys.argv[2]))
risk = {e["path"]: e for e in rep["at_risk"]}
for a in man["attention"]:
    e = risk.get(a["path"])
    assert e, "not at risk: " + a["path"]
    assert e["verdict"] == a["verdict"], (a, e)
    assert ("sole-copy" in e["reasons"]) == bool(a["sole_copy"]), (a, e)
    if a["verdict"] == "missing":
        # Named by the log and the progress log, both quoted, never accounted for.
        assert e["reasons"][0] == "logged-error", e
        assert [l["source"] for l in e["logged"]] == ["loadstate", "progress"], e
        assert e["logged"][0]["win32_name"] in ("ERROR_SHARING_VIOLATION", "ERROR_LOCK_VIOLATION"), e
        assert e["risk"] == ("critical" if a["sole_copy"] else "high"), e
logged = [e for e in rep["at_risk"] if "logged-error" in e["reasons"]]
assert len(logged) == sum(a["verdict"] == "missing" for a in man["attention"]), len(logged)
extra = [p for p, e in risk.items() if e["reasons"] != ["readonly"]
         and p not in {a["path"] for a in man["attention"]}]
assert not extra, extra[:5]
PY
ro=$(sql "$T/gen/store.usmtkit.db" "SELECT count(*) FROM entry WHERE run_id = (SELECT max(id) FROM verify_run) AND type = 'file' AND readonly AND verdict IS NOT 'excluded'")
[ "$ro" -gt 0 ] || die "the generator made no read-only file"
expect_eq "$(python3 -c 'import json,sys; print(sum("readonly" in e["reasons"] for e in json.load(open(sys.argv[1]))["at_risk"]))' "$out")" "$ro" "read-only files to re-apply"
