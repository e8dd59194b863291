#!/bin/sh
# The UTF-8 and UTF-16LE copies of one log give identical JSON; every field
# SPEC section 3 lists comes out of the sample logs.
set -e; . "$UK_ROOT/tests/lib.sh"

L="$UK_ROOT/samples/logs"
mkdir -p "$T/u8" "$T/u16"
cp "$L/loadstate-c.log" "$T/u8/loadstate.log"
cp "$L/loadstate-c-utf16.log" "$T/u16/loadstate.log"
head -c 2 "$T/u16/loadstate.log" | od -An -tx1 | grep -q 'ff fe' || die "the UTF-16 sample lost its BOM"
(cd "$T/u8" && uk_tool report --format json loadstate.log && cp "$out" "$T/u8.json")
(cd "$T/u16" && uk_tool report --format json loadstate.log && cp "$out" "$T/u16.json")
cmp "$T/u8.json" "$T/u16.json" || { diff "$T/u8.json" "$T/u16.json"; die "UTF-8 and UTF-16 reports differ"; }
# The committed UTF-16 copy is what the script makes of the UTF-8 one.
cp -r "$L" "$T/regen"; sh "$T/regen/make-utf16.sh"
cmp "$T/regen/loadstate-c-utf16.log" "$L/loadstate-c-utf16.log" || die "make-utf16.sh output differs"

# Every field SPEC section 3 lists, in one pass (key path = expected JSON value).
fields() { # JSON-FILE, then "key=value" lines on stdin
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
bad = 0
for spec in sys.stdin.read().splitlines():
    key, want = spec.split("=", 1)
    v = d
    for k in key.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
    got = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    if got != want:
        print("%s: got %s, expected %s" % (key, got, want)); bad = 1
sys.exit(bad)' "$1"
}
fields "$T/u16.json" <<'EOF2' || die "fields of the UTF-16 log"
runs.0.program=loadstate
runs.0.version=10.0.19041
runs.0.started=2024-01-24T21:40:02.120
runs.0.completed=2024-01-24T21:44:51.690
runs.0.used_c=true
runs.0.errors_ignored=3
runs.0.return_code=3
runs.0.aborted=false
runs.0.skipped_profiles.0.sid=S-1-5-21-91555185-1181623535-1233803906-1640
runs.0.error_summary.0.win32=395
runs.0.error_summary.0.caused_abort=false
runs.0.error_summary.0.recurrence=1
runs.0.events.2.win32=32
runs.0.events.2.win32_name=ERROR_SHARING_VIOLATION
runs.0.events.2.path=C:\Users\alice\Documents\Outlook Files\alice@contoso.com.pst
runs.0.events.3.path=C:\Users\zoë\Pictures\Ski trip, 2023\DSC_0412.JPG
runs.0.events.0.path=null
EOF2

cd "$L"
uk_tool report --format json loadstate-abort-retry.log loadstate-progress.log scanstate.log
fields "$out" <<'EOF2' || die "fields of the aborted, progress and ScanState logs"
runs.0.aborted=true
runs.0.completed=null
runs.0.return_code=61
runs.0.events.1.win32=112
runs.1.aborted=false
runs.2.program=scanstate
runs.2.return_code=null
progress.0.errors.2.path=C:\Users\zoë\Pictures\Ski trip, 2023\DSC_0412.JPG
progress.0.errors.2.action=Ignore
progress.0.errors.2.win32=33
risk=high
EOF2
