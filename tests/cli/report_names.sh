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

# Control characters in a name or in what a log says about its run (a version,
# a start stamp) never reach text or CMTrace output raw: they would read as a
# line or column separator.
name=$(printf 'cr\rsoh\001.log')
{
	printf '2024-01-24 21:40:02, Info                  [0x000000] LOADSTATE.EXE Version 10.0\t19041\033[31m\r\n'
	printf '2024-01-24 21:40:02, Info                  [0x000000] USMT Started at 2024/01/24\t21:40\r\n'
	printf '2024-01-24 21:40:03, Error                 [0x080000] Read error 5 for C:\\Users\\a\\b.txt\r\n'
} >"$name"
raw_ctl() { LC_ALL=C tr -d '\n' <"$out" | LC_ALL=C grep -q '[[:cntrl:]]'; }
uk_tool report "$name"
expect_rc 1 "an error logged"
! raw_ctl || { od -c "$out" | head -20; die "text: a raw control character"; }
expect_out 'cr\\rsoh\\x01.log run 1: loadstate 10.0\\t19041\\x1b\[31m, 2024/01/24\\t21:40'
uk_tool report --format cmtrace "$name"
expect_rc 1 "cmtrace"
# CMTrace lines end in CRLF: any other control character is raw.
LC_ALL=C tr -d '\r\n' <"$out" | LC_ALL=C grep -q '[[:cntrl:]]' && die "cmtrace: a raw control character"
expect_out 'cr\\rsoh\\x01.log run 1'
