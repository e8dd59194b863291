#!/bin/sh
# usmt-report.exe under Wine reads the sample LoadState logs (UTF-8, UTF-16LE,
# progress log, appended runs) exactly as the Linux build does: identical JSON
# and CSV, byte for byte, from the same relative names.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"

logs="loadstate-c.log loadstate-c-utf16.log loadstate-abort-retry.log loadstate-progress.log scanstate.log"
for side in n w; do
	mkdir -p "$T/$side"
	for l in $logs; do cp "$UK_ROOT/samples/logs/$l" "$T/$side/"; done
done

cd "$T/n"
native_tool report --format json --db r.db $logs
expect_rc 1 "native report: the logs show risk"
cp "$out" "$T/native.json"
native_tool report --format csv --db r.db
cp "$out" "$T/native.csv"

cd "$T/w"
uk_tool report --format json --db r.db $logs
expect_rc 1 "report.exe: the logs show risk"
cp "$out" "$T/wine.json"
uk_tool report --format csv --db r.db
expect_rc 1 "report.exe csv"
cp "$out" "$T/wine.csv"

cmp "$T/native.json" "$T/wine.json" || { diff "$T/native.json" "$T/wine.json" | head -20 >&2; die "JSON differs"; }
cmp "$T/native.csv" "$T/wine.csv" || { diff "$T/native.csv" "$T/wine.csv" | head -20 >&2; die "CSV differs"; }
out="$T/wine.json"
note "same JSON and CSV under Wine: risk $(json risk), $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"]))' "$out") runs"
expect_eq "$(json risk)" critical risk
