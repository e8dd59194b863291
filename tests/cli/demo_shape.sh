#!/bin/sh
# `make demo` keeps the shape of a guided tour: numbered steps, each command
# shown before what it printed (stderr in order with it), long lists cut with
# "... and N more, see FILE" (FILE holding the full output), each step within
# a screenful, and a summary last whose numbers are the tools' own.
# The golden file holds the demo's structure only (tool lines collapse to
# "[output]"), so the tools' wording may change without touching it.
# UK_REGEN=1 tests/run.sh cli  rewrites tests/cli/golden/demo_shape.txt instead.
set -e; . "$UK_ROOT/tests/lib.sh"

G="$UK_ROOT/tests/cli/golden/demo_shape.txt"
SCREEN=30 # lines: a screenful, header and blank lines included
KEEP=3    # lines a cut list keeps (samples/demo.sh)
D="$T/demo"

set +e
UK_DEMO_DIR="$D" UK_DEMO_FILES=400 sh "$UK_ROOT/samples/demo.sh" >"$T/demo.out" 2>"$T/demo.err"
rc=$?
set -e
[ "$rc" = 0 ] || { cat "$T/demo.out" "$T/demo.err"; die "demo exit $rc, expected 0"; }
# Every tool's stderr is shown in its step: nothing may bypass the tour.
[ ! -s "$T/demo.err" ] || { cat "$T/demo.err"; die "demo wrote to stderr"; }

# ---- the structure, against the golden file ------------------------------
# Step headers, the steps' own words, command lines, cut markers, exit codes
# and summary lines stay; a run of tool lines becomes one "[output]"; numbers
# become N (exit codes excepted) and the demo folder DIR.
awk -v dir="$D" '
function norm(s) { gsub(dir, "DIR", s); gsub(/[0-9]+/, "N", s); return s }
function out() { if (!pending) print "[output]"; pending = 1 }
/^==== Summary/ { summary = 1 }
/^==== / { print norm($0); intro = 1; pending = 0; next }
intro && $0 == "" { intro = 0; print ""; next }
intro || summary { sub(/one such link: .*$/, "one such link: PATH"); print norm($0); next }
/^\$ / { print norm($0); pending = 0; next }
/^ *\.\.\. and [0-9]+ more, see / { print norm($0); pending = 0; next }
/^\(exit [0-9]+\)$/ { print; pending = 0; next }
$0 == "" { next }
{ out() }' "$T/demo.out" >"$T/shape.txt"
if [ "${UK_REGEN:-0}" = 1 ]; then
	cp "$T/shape.txt" "$G"
	note "regenerated $G"
else
	diff -u "$G" "$T/shape.txt" || die "the demo's shape differs from $G"
fi

# ---- what the golden file cannot say -------------------------------------
# Each step within a screenful.
awk -v max="$SCREEN" '
/^==== / { if (n > max) { print h " has " n " lines"; bad = 1 } h = $0; n = 0 }
{ n++ }
END { if (n > max) { print h " has " n " lines"; bad = 1 } exit bad }' "$T/demo.out" ||
	die "a step is longer than a screenful ($SCREEN lines)"

# A command comes before everything it printed, and its exit code after:
# between a step's first line of its own and its "$ " line there is nothing.
awk '
/^==== Summary/ { exit bad }
/^==== / { cmd = 0; intro = 1; next }
intro { if ($0 == "") intro = 0; next }
/^\$ / { cmd = 1; next }
/^\(exit / { if (!cmd) { print "exit before its command: " FILENAME ":" NR; bad = 1 } cmd = 0; next }
cmd == 0 && $0 != "" && !/^report\.html: / && !/^(store\/|c\/|loadstate)/ {
	print "output before its command, line " NR ": " $0; bad = 1 }
END { exit bad }' "$T/demo.out" || die "a command does not precede its output"
# The --force warning (stderr) is shown after the command that printed it.
awk '/^\$ usmt-purge .*--force/ { c = NR } /warning: --force/ { w = NR }
END { exit !(c && w && c < w) }' "$T/demo.out" || die "--force warning not after its command"

# Every cut names a file of the demo that holds the whole list.
grep -E '^ *\.\.\. and [0-9]+ more, see ' "$T/demo.out" >"$T/cuts"
[ -s "$T/cuts" ] || die "no list was cut: UK_DEMO_FILES too small for the test"
while read -r _ _ n _ _ f; do
	[ -f "$D/$f" ] || die "cut marker names $f, not in the demo folder"
	[ "$(wc -l <"$D/$f")" -gt "$n" ] || die "$f is shorter than the $n lines it is said to hold"
done <"$T/cuts"
for f in baseline.txt verify.txt report.txt report.html purge-gate.txt purge-plan.txt \
	purge-plan.log rescue.txt; do
	[ -s "$D/$f" ] || die "the demo folder lacks $f"
done

# The numbers are the tools' own: verify's cut list is every file not
# restored as stored, and the summary's counts are those of report.json.
out="$D/report.json"
bad=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["verify"]["verdicts"]
print(sum(v.get(k, 0) for k in ("missing", "modified", "corrupt", "unreadable")))' "$out")
atrisk=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["at_risk"]))' "$out")
n=$(sed -n 's/^ *\.\.\. and \([0-9]*\) more, see verify\.txt$/\1/p' "$T/demo.out")
expect_eq "$((n + KEEP))" "$bad" "files in verify's cut list"
# "why:" adds up: verify's count plus what the report adds is the report's.
python3 - "$T/demo.out" "$atrisk" "$bad" <<'EOF' || die "the summary's why: line does not add up"
import re, sys
line = [l for l in open(sys.argv[1], encoding="utf-8") if l.startswith("why:")][0]
m = re.match(r"why: +the report's (\d+) are verify's (\d+) not restored as stored", line)
plus = sum(int(n) for n in re.findall(r", plus (\d+) ", line))
atrisk, bad = int(sys.argv[2]), int(sys.argv[3])
ok = m and int(m.group(1)) == atrisk and int(m.group(2)) == bad and bad + plus == atrisk
sys.exit(0 if ok else "%s(report.json: %d at risk, verify %d)" % (line, atrisk, bad))
EOF
grep -q "^missing: [0-9]* of the $(json verify.verdicts.missing) missing files" "$T/demo.out" ||
	die "summary lacks why missing files that are not sole copies matter"
# The summary is last, and says what is true: every purge was a dry run.
tail -n 4 "$T/demo.out" | head -n 1 | grep -q '^files: ' || die "the summary is not last"
files=$(json verify.files)
tail -n 1 "$T/demo.out" | grep -q "nothing was deleted: the store still holds all $files files" ||
	die "the summary's last line is not that the store is whole ($files files)"
[ "$(find "$D/store/USMT/File" -type f | wc -l)" = "$files" ] || die "the demo deleted files"
# The byte the demo flipped after the baseline is found, and rescue saved
# every file it names, the damaged one among them, outside the store.
expect_eq "$(json verify.verdicts.corrupt)" 1 "corrupt files found by verify"
hit=$(sed -n 's/^time unchanged: store\\USMT\\File\\//p' "$T/demo.out" | tr '\\' /)
[ -n "$hit" ] || die "the step naming the damaged file is missing"
out="$D/rescue.json"
expect_eq "$(json result)" rescued "rescue result"
saved=$(find "$D/rescue" -type f ! -name '.usmtkit-rescue*' | wc -l)
expect_eq "$saved" "$(( $(json copied) + $(json skipped_done) ))" "files rescued"
[ "$(find "$D/rescue" -type f -path "*/$hit" | wc -l)" = 1 ] || die "the damaged file $hit was not rescued"
