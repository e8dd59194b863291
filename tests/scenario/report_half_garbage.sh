#!/bin/sh
# A log half USMT and half garbage (a NUL run, a binary tail, lines of random
# bytes) is no clean log: what could not be read as records is counted, the
# report is high at least and says so, naming the file, in every format.
# Real logs (tests/logs/real, samples/logs) never trip it.
set -e; . "$UK_ROOT/tests/lib.sh"

UTF16="$UK_ROOT/samples/logs/loadstate-c-utf16.log"
CLEAN="$UK_ROOT/samples/logs/loadstate-clean.log"
warnings_hold() { # TEXT: the JSON warnings hold one string containing TEXT
	python3 -c 'import json,sys
w=json.load(open(sys.argv[1]))["warnings"]
assert any(sys.argv[2] in x for x in w), w' "$out" "$1" || die "warnings lack '$1'"
}
# garbage FILE SEED: a NUL run, lines of random bytes and a binary tail.
garbage() {
	python3 - "$1" "$2" <<'PY'
import random, sys
r = random.Random(int(sys.argv[2]))
with open(sys.argv[1], "ab") as f:
    f.write(b"\0" * 4096 + b"\n")
    for _ in range(40):
        f.write(bytes(r.randrange(256) for _ in range(r.randrange(20, 200))) + b"\n")
    f.write(bytes(r.randrange(256) for _ in range(30000)))
PY
}

note "a USMT log + garbage: was none, now high with the file and the count"
cp "$CLEAN" "$T/half.log"
garbage "$T/half.log" 11
uk_tool report --format json "$CLEAN"
expect_rc 0 "the excerpt alone"
expect_eq "$(json risk)" none "the excerpt alone"
uk_tool report --format json "$T/half.log"
expect_rc 1 "half garbage"
expect_eq "$(json risk)" high "half garbage: risk"
DB="$T/half.db"
uk_tool report --db "$DB" "$T/half.log"
n=$(sql "$DB" "SELECT unknown_lines FROM log_file")
total=$(sql "$DB" "SELECT lines FROM log_file")
[ "$n" -ge 35 ] || die "only $n unreadable lines counted"
expect_eq "$(sql "$DB" "SELECT kind FROM log_file")" usmt "still a USMT log"
expect_eq "$(sql "$DB" "SELECT count(*) FROM log_run WHERE completed IS NOT NULL")" 1 "its run read"
# The garbage never became the last record's text.
expect_eq "$(sql "$DB" "SELECT count(*) FROM log_event WHERE message GLOB '*[?]*'")" 0 "no binary in a record"
uk_tool report --format json "$T/half.log"
msg="half.log could not be read as a USMT log in part: $n of its $total line(s)"
expect_err "$msg"
warnings_hold "$msg"
expect_eq "$(json risk_reasons.0.reason)" not-a-usmt-log "reason"
for fmt in text csv html cmtrace; do
	uk_tool report --format $fmt "$T/half.log"
	expect_rc 1 "--format $fmt"
	expect_out "$msg"
done
uk_tool report --format text "$T/half.log"
expect_out "RISK: HIGH"

note "a NUL run inside the log: the records after it are still read"
head -n 6 "$CLEAN" >"$T/nul.log"
head -c 2048 /dev/zero >>"$T/nul.log"
printf '\n' >>"$T/nul.log"
tail -n +7 "$CLEAN" >>"$T/nul.log"
uk_tool report --db "$T/nul.db" --format json "$T/nul.log"
expect_rc 1 "NUL run"
expect_eq "$(json risk)" high "NUL run: risk"
expect_eq "$(sql "$T/nul.db" "SELECT unknown_lines FROM log_file")" 1 "one NUL line"
expect_eq "$(json runs.0.completed)" "2024-01-24T09:04:51.690" "the run after it"
warnings_hold "nul.log could not be read as a USMT log in part: 1 of its"

note "UTF-16 with NUL units and random units after it"
cp "$UTF16" "$T/u16.log"
python3 - "$T/u16.log" <<'PY'
import random, sys
r = random.Random(5)
with open(sys.argv[1], "ab") as f:
    f.write(b"\0\0" * 600 + "\r\n".encode("utf-16-le"))
    f.write(bytes(r.randrange(256) for _ in range(20000)))
PY
uk_tool report --format json "$T/u16.log"
expect_rc 1 "UTF-16 garbage"
warnings_hold "u16.log could not be read as a USMT log in part"

note "real logs, UTF-16, CRLF, progress logs: no such warning"
for f in "$UK_ROOT"/tests/logs/real/*.log "$UK_ROOT"/samples/logs/*.log; do
	uk_tool report --format json "$f"
	! grep -q "in part" "$err" || die "${f##*/}: $(cat "$err")"
	expect_eq "$(json warnings)" "[]" "${f##*/}: warnings"
done
