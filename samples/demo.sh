#!/bin/sh
# make demo: a short guided tour of usmtkit on a generated store. Each step
# shows its command, then what the command printed (stdout and stderr in the
# order they came), with long lists cut to their first few lines; the full
# output of every command is saved in the demo folder. A summary, computed
# from the tools' own JSON, comes last. The demo store has findings on purpose
# (files LoadState skipped, files edited after the restore, and one store
# file a disk fault damages after the baseline), so the tools report risk and
# usmt-rescue saves what only the store holds; the demo exits 0 when every
# tool ran and said what it should.
# Env: UK_BUILD (build folder), UK_DEMO_FILES (store size, default 2000),
# UK_DEMO_DIR (where the demo goes, default $UK_BUILD/demo).
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
UK_BUILD=${UK_BUILD:-build}
case "$UK_BUILD" in /*) ;; *) UK_BUILD="$PWD/$UK_BUILD" ;; esac
BIN="$UK_BUILD/bin"
DEMO=${UK_DEMO_DIR:-$UK_BUILD/demo}
case "$DEMO" in /*) ;; *) DEMO="$PWD/$DEMO" ;; esac
FILES=${UK_DEMO_FILES:-2000}
STEPS=8
# A list longer than LONG lines is cut to its first KEEP.
LONG=12
KEEP=3
# Line-buffered stdout, so a tool's stderr lands where it was written.
LINEBUF=""
command -v stdbuf >/dev/null 2>&1 && LINEBUF="stdbuf -oL"

step=0
# step TITLE [LINE...]: a numbered header and what the step is about.
step() {
	step=$((step + 1))
	printf '\n==== Step %d of %d: %s\n' "$step" "$STEPS" "$1"
	shift
	for l in "$@"; do
		printf '%s\n' "$l"
	done
	echo
}

# The command as an admin would type it: tools by name, odd arguments quoted.
show_cmd() {
	line='$'
	for a in "$@"; do
		case "$a" in "$BIN"/*) a=${a#"$BIN"/} ;; esac
		case "$a" in *[!A-Za-z0-9_./=:,+-]* | '') a="'$a'" ;; esac
		line="$line $a"
	done
	printf '%s\n' "$line"
}

# cut FILE: FILE as shown, every indented list longer than LONG lines cut to
# its first KEEP, then "... and N more, see FILE". Lines indented deeper
# than a list's own belong to the line above them.
cut_lists() {
	awk -v long="$LONG" -v keep="$KEEP" -v file="${1##*/}" '
	function depth(s) { match(s, /^ */); return s == "" ? 0 : RLENGTH }
	# Pass 1: the number of items of each list.
	NR == FNR {
		d = depth($0)
		if (d == 0) { run = 0; next }
		if (!run || d < base) { run = ++runs; base = d }
		if (d == base) items[run]++
		next
	}
	function close_run() {
		if (run && items[run] > long)
			printf "%s... and %d more, see %s\n", ind, items[run] - keep, file
		run = 0
	}
	# Pass 2: print, counting items the same way.
	FNR == 1 { run = 0; runs = 0 }
	{
		d = depth($0)
		if (d == 0) { close_run(); print; next }
		if (!run || d < base) {
			close_run(); run = ++runs; base = d; ind = substr($0, 1, d); n = 0
		}
		if (d == base) n++
		if (items[run] <= long || n <= keep) print
	}
	END { close_run() }' "$1" "$1"
}

# run ALLOWED FILE TOOL ARGS...: show the command, run it with everything it
# prints saved in FILE, show FILE cut. An exit code up to ALLOWED is a
# finding; above it the demo fails.
run() {
	allowed=$1 file=$2
	shift 2
	show_cmd "$@"
	set +e
	$LINEBUF "$@" >"$file" 2>&1
	rc=$?
	set -e
	cut_lists "$file"
	echo "(exit $rc)"
	[ "$rc" -le "$allowed" ] || { echo "demo: ${1##*/} failed (exit $rc)" >&2; exit 1; }
}

rm -rf "$DEMO"
step "a migration store to check" \
	"A store as ScanState /hardlink /nocompress leaves it, and the C: drive after" \
	"LoadState, with Windows.old: $FILES files of 3 users (samples/gen-store.py)."
# The generator refuses a folder that is not empty: its summary is saved after.
made=$(python3 "$ROOT/samples/gen-store.py" --out "$DEMO" --files "$FILES" --seed 2024 --users 3)
printf '%s\n' "$made" >"$DEMO/gen-store.json"
cp samples/Config.xml "$DEMO/Config.xml"
# LoadState's log and /progress log of this store: a /c run that skipped the
# files verify will find missing.
python3 "$ROOT/samples/logs/demo-logs.py" "$DEMO"
cd "$DEMO" # the commands below read like an admin's, with short paths
echo "store/    the migration store (ScanState /hardlink /nocompress)"
echo "c/        the restored C: drive, with c/Windows.old"
echo "loadstate.log, loadstate-progress.log   LoadState's logs of the restore"

step "usmt-verify --baseline: the store's fingerprint, right after ScanState" \
	"In a task sequence this runs right after Capture User State, before the old" \
	"OS goes: size, time and XXH3-128 of every store file, in the store's database."
run 0 baseline.txt "$BIN/usmt-verify" --baseline --no-progress store
# A disk fault during Apply OS: one byte of a store file (a copy, so the store
# holds its only other version) flips; its size and modification time stay.
hit=$(python3 - store <<'EOF2'
import os, sys
top = os.path.join(sys.argv[1], "USMT", "File")
for d, dirs, files in sorted(os.walk(top)):
    dirs.sort()
    for f in sorted(files):
        p = os.path.join(d, f)
        st = os.lstat(p)
        if st.st_nlink == 1 and st.st_size > 0 and not f.lower().startswith("ntuser"):
            with open(p, "r+b") as fh:
                b = fh.read(1)
                fh.seek(0)
                fh.write(bytes([b[0] ^ 0x20]))
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
            print(os.path.relpath(p, top).replace(os.sep, "\\"))
            sys.exit(0)
sys.exit("demo: no store copy to damage")
EOF2
)

step "usmt-verify: is every store file back where LoadState should have put it?" \
	"Since the baseline a disk fault flipped one byte of a store file, its size and" \
	"time unchanged: store\\USMT\\File\\$hit" \
	"It compares each store file with its restored path and with the baseline" \
	"(exit 1 = files at risk; corrupt = changed since the baseline, nobody edited it)."
run 1 verify.txt "$BIN/usmt-verify" --root C=c --exclude 'C:\Users\* [ntuser.dat.LOG*]' \
	--config Config.xml --no-progress store

step "usmt-report: is it safe to delete the store?" \
	"It joins LoadState's logs with the verify run in the database (exit 1 = risk)."
run 1 report.txt "$BIN/usmt-report" --store store loadstate.log loadstate-progress.log
run 1 report-html.txt "$BIN/usmt-report" --store store --format html --output report.html
echo "report.html: the same report as one self-contained file, to open or attach to a ticket"

step "usmt-purge --dry-run: may the store go?" \
	"The gate refuses while verify found files at risk (exit 1 = refused)."
run 1 purge-gate.txt "$BIN/usmt-purge" --dry-run --no-progress store

step "usmt-purge --dry-run --force: the plan if an admin overrides the gate" \
	"--force deletes the rest but keeps every sole copy; --dry-run changes nothing." \
	"A plan that keeps anything exits 1, as the purge it previews would."
run 1 purge-plan.txt "$BIN/usmt-purge" --dry-run --force --no-progress -q \
	--log purge-plan.log store

step "usmt-rescue: save what only the store holds before anything else happens" \
	"Sole copies and missing, modified or corrupt files, each verified after the copy." \
	"Here the destination is on the store's disk (--same-volume); use other media."
run 0 rescue.txt "$BIN/usmt-rescue" --same-volume --no-progress store rescue

# The summary's numbers come from the same runs' JSON, never from this script.
"$BIN/usmt-report" --store store --format json loadstate.log loadstate-progress.log \
	>report.json || [ $? -le 1 ]
"$BIN/usmt-purge" --dry-run --json --no-progress store >purge-gate.json 2>/dev/null || [ $? -le 1 ]
"$BIN/usmt-purge" --dry-run --force --json --no-progress -q store >purge-plan.json 2>/dev/null ||
	[ $? -le 1 ]
"$BIN/usmt-rescue" --same-volume --json --no-progress store rescue >rescue.json 2>/dev/null
printf '\n==== Summary (from the same tools run with --json: report.json, purge-*.json)\n\n'
python3 - "$DEMO" <<'EOF'
import json, os, sys

demo = sys.argv[1]
rep = json.load(open(os.path.join(demo, "report.json")))
plan = json.load(open(os.path.join(demo, "purge-plan.json")))
gate = json.load(open(os.path.join(demo, "purge-gate.json")))
v = rep["verify"]["verdicts"]
count = lambda k: v.get(k, 0)
bad = count("missing") + count("modified") + count("corrupt") + count("unreadable")
risk = rep["at_risk"]
sole = sum(1 for a in risk if a["sole_copy"])
levels = ", ".join("%d %s" % (n, k) for k, n in rep["at_risk_files"].items())
print("verify:  %d files: %d restored (%d linked, %d identical), %d excluded;"
      % (rep["verify"]["files"], count("linked") + count("identical"), count("linked"),
         count("identical"), count("excluded")))
print("         %d not restored as stored (%d missing, %d modified, %d corrupt, %d unreadable),"
      % (bad, count("missing"), count("modified"), count("corrupt"), count("unreadable")))
print("         %d of them sole copies%s" % (sole, "; corrupt: changed since the baseline while "
      "size and time say nobody edited it" if count("corrupt") else ""))
print("report:  risk %s: %d files at risk (%s)" % (rep["risk"], len(risk), levels))

# Why the report lists more files than verify: what it adds, by reason.
phrase = {"readonly": "read-only (an attribute purge must re-apply)",
          "logged-error": "named in a LoadState error"}
extra = {}
for a in risk:
    if a["verdict"] in ("linked", "identical", None):
        why = " and ".join(phrase.get(r, r) for r in a["reasons"])
        what = ("restored but " if a["verdict"] else "only in the logs, ") + why
        extra[what] = extra.get(what, 0) + 1
print("why:     the report's %d are verify's %d not restored as stored%s"
      % (len(risk), bad, "".join(", plus %d %s" % (n, w) for w, n in sorted(extra.items()))))

# A missing file that is not a sole copy: its store entry has another link.
gone = [a for a in risk if a["verdict"] == "missing" and not a["sole_copy"]]
if gone:
    where = "(not under c/)"
    rel = gone[0]["path"].replace("\\", "/")
    entry = os.path.join(demo, "store", "USMT", "File", rel[0] + "$", rel[3:])
    try:
        ino = os.lstat(entry).st_ino
        for top, dirs, files in os.walk(os.path.join(demo, "c")):
            hit = [f for f in files if os.lstat(os.path.join(top, f)).st_ino == ino]
            if hit:
                where = os.path.relpath(os.path.join(top, hit[0]), demo)
                break
    except OSError:
        pass
    print("missing: %d of the %d missing files are not sole copies: their store entry has "
          "another link, so" % (len(gone), count("missing")))
    print("         deleting the store loses no data yet, but the file is not back at its path")
    print("         (usmt-verify --repair links it back); one such link: %s" % where)
print("purge:   %s; with --force it would delete %d files and %d folders,"
      % ("refused by the gate" if gate["result"] == "refused" else "the gate says " +
         gate["result"], plan["deleted_files"], plan["deleted_dirs"]))
print("         keep %d (each with its reason in purge-plan.txt), re-apply read-only to %d"
      % (plan["kept"], plan["readonly_restored"]))

res = json.load(open(os.path.join(demo, "rescue.json")))
print("rescue:  %s: %d files in rescue/, each verified; run again for this summary, it found"
      % (res["result"], res["copied"] + res["skipped_done"]))
print("         %d of them done and copied %d (it resumes, never copies twice), %d failed"
      % (res["skipped_done"], res["copied"], res["failed"]))
# Every purge above was a dry run: the store still holds every file.
left = sum(len(f) for _, _, f in os.walk(os.path.join(demo, "store", "USMT", "File")))
print("files:   every command's full output is in %s" % demo)
print("         (baseline.txt, verify.txt, report.txt, report.html, purge-gate.txt,")
print("         purge-plan.txt, purge-plan.log, rescue.txt);")
print("         %s" % ("nothing was deleted: the store still holds all %d files" % left
                       if left == rep["verify"]["files"] else
                       "the store now holds %d of its %d files" % (left, rep["verify"]["files"])))
EOF
