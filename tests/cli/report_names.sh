#!/bin/sh
# Log names with a newline, a tab or bytes that are not UTF-8 (POSIX names
# are bytes): JSON stays valid, text shows them escaped, HTML stays well-formed.
set -e; . "$UK_ROOT/tests/lib.sh"

cd "$T"
name=$(printf 'bad\377 tab\t new\nline.log')
cp "$UK_ROOT/samples/logs/loadstate-c.log" "$name"
uk_tool report --format json "$name"
expect_rc 1 "risk"
python3 - "$out" <<'PY' || die "JSON not valid UTF-8 JSON"
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
log = d["runs"][0]["log"]
assert log == "bad\ufffd tab\t new\nline.log", repr(log)
assert d["at_risk"][0]["logged"][0]["log"] == log
PY
uk_tool report "$name"
expect_out 'bad\\xff tab\\t new\\nline.log run 1'
uk_tool report --format html "$name"
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$out" || die "HTML not UTF-8"
expect_out 'bad\\xff tab\\t new\\nline.log, run 1'
