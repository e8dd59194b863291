#!/bin/sh
# Hostile logs given to usmt-report: random bytes, a 20 MB line (with and
# without a record prefix), odd-length UTF-16, NUL bytes, printf format
# directives and markup in paths. Every format finishes without a crash
# (exit 0 or 1), JSON stays valid JSON, no output holds a NUL byte, format
# directives come out verbatim, HTML escapes the markup, and memory stays
# flat on the 20 MB line (checked when no wrapper such as valgrind runs).
set -e; . "$UK_ROOT/tests/lib.sh"

python3 - "$T" <<'EOF'
import random, sys
T = sys.argv[1]
rec = lambda lvl, msg: "2024-01-24 21:44:51, %-22s[0x080000] %s\r\n" % (lvl, msg)
head = rec("Info", "LOADSTATE.EXE Version 10.0.19041") + rec("Info", "USMT Started at 2024/01/24:21:40:02.120")
tail = rec("Info", "USMT Completed at 2024/01/24:21:44:51.690")
rnd = random.Random(7)
open(T + "/random.log", "wb").write(bytes(rnd.getrandbits(8) for _ in range(1 << 20)))
open(T + "/longline.log", "wb").write(b"x" * (20 << 20) + b"\r\n")
open(T + "/longrecord.log", "w").write(head + rec("Error", "Read error 32 for C:\\Users\\a\\" + "y" * (20 << 20)) + tail)
body = (head + rec("Error", "Read error 32 for C:\\Users\\bob\\odd.pst. Win32Exception: x[gle=0x00000020]") + tail).encode("utf-16-le")
open(T + "/odd16.log", "wb").write(b"\xff\xfe" + body + b"\x41")        # a lone last byte
i = body.find("odd.pst".encode("utf-16-le"))   # a lone high surrogate inside the path
open(T + "/surrogate16.log", "wb").write(b"\xff\xfe" + body[:i] + b"\x00\xd8\x41\x00" + body[i:])
nul = (head + rec("Error", "Read error 5 for C:\\Users\\a\\nul\x00byte.doc") + "\x00\x00\x00\r\n" + tail).encode()
open(T + "/nul.log", "wb").write(nul)
fmt = head + rec("Error", "Read error 32 for C:\\Users\\%n%s%x\\%s%p%n.docx. Win32Exception: %n%n%n%s[gle=0x00000020]") \
    + rec("Warning", 'Unable to apply {"C:\\Users\\<script>alert(1)</script> & \\"q\\".txt"} : 0x80070020') + tail
open(T + "/fmt.log", "w").write(fmt)
EOF

# report LOG FORMAT: runs usmt-report, checks exit, NUL-free output, valid JSON.
report() {
	uk_tool report --format "$2" "$1"
	case $rc in 0|1) ;; *) cat "$err"; die "$1 ($2): exit $rc" ;; esac
	[ "$(tr -d '\000' <"$out" | wc -c)" = "$(wc -c <"$out")" ] || die "$1 ($2): NUL in output"
	[ "$(wc -l <"$err")" -le 3 ] || { head "$err"; die "$1 ($2): stderr flooded"; }
	if [ "$2" = json ]; then
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" ||
			die "$1: --format json is not valid JSON"
	fi
	return 0
}

for log in random longline longrecord odd16 surrogate16 nul fmt; do
	note "$log"
	for f in text json csv html cmtrace; do report "$T/$log.log" $f; done
done

note "format directives come out verbatim"
report "$T/fmt.log" json
expect_eq "$(json runs.0.events.0.path)" 'C:\Users\%n%s%x\%s%p%n.docx' "path with %n"
report "$T/fmt.log" text
grep -qF '%n%s%x' "$out" || die "text report lost the literal %n%s%x"
report "$T/fmt.log" html
! grep -q '<script>' "$out" || die "html report holds raw <script>"
grep -q '&lt;script&gt;' "$out" || die "html report lacks the escaped name"

note "odd-length UTF-16 and a lone surrogate still give the run"
report "$T/odd16.log" json
expect_eq "$(json runs.0.events.0.path)" 'C:\Users\bob\odd.pst' "UTF-16 path"
report "$T/surrogate16.log" json
expect_eq "$(json runs.0.program)" loadstate "run with a lone surrogate"
expect_eq "$(json runs.0.events.0.path)" 'C:\Users\bob\�Aodd.pst' "lone surrogate -> U+FFFD"

note "NUL bytes do not end the record early nor reach the output"
report "$T/nul.log" json
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
p = d["runs"][0]["events"][0]["path"] or ""
assert p.startswith("C:\\Users\\a\\nul"), p' "$out" || die "NUL log: path not kept"

note "a 20 MB record is cut, not held whole"
report "$T/longrecord.log" json
expect_eq "$(json runs.0.completed)" "2024-01-24T21:44:51.690" "run after the long record"
if [ -z "$UK_RUN" ]; then
	kb=$(python3 -c 'import os,subprocess,sys
p = subprocess.Popen([sys.argv[1], "--format", "json", sys.argv[2]], stdout=subprocess.DEVNULL)
_, st, ru = os.wait4(p.pid, 0)
print(ru.ru_maxrss)' "$UK_BIN/usmt-report$UK_EXE" "$T/longrecord.log")
	[ "$kb" -lt 65536 ] || die "peak memory ${kb} KiB on a 20 MB line"
fi
