#!/bin/sh
# Real LoadState/ScanState excerpts (tests/logs/real/): every run, every
# Error/Warning record with its Win32 code and path, every skipped profile
# as a person reading the log names them.
set -e; . "$UK_ROOT/tests/lib.sh"

n=0
for log in "$UK_ROOT"/tests/logs/real/*.log; do
	name=${log##*/}
	uk_tool report --format json "$log"
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat "$err"; die "$name: exit $rc"; }
	python3 - "$out" >"$T/got" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
dash = lambda v: "-" if v is None else str(v)
for r in d["runs"]:
    print("run\t%s\taborted=%s\terrors_ignored=%s" % (dash(r["program"]),
          str(r["aborted"]).lower(), dash(r["errors_ignored"])))
    for e in r["events"]:
        print("event\t%s\t%s\t%s" % (e["level"], dash(e["win32"]), dash(e["path"])))
    for s in r["skipped_profiles"]:
        print("skipped\t%s" % s["sid"])
PY
	diff -u "${log%.log}.expect" "$T/got" || die "$name: the report reads it otherwise"
	n=$((n + 1))
done
[ "$n" -ge 6 ] || die "only $n real excerpts"
note "$n real excerpts read as a person reads them"
