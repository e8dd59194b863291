#!/bin/sh
# make bench's page (bench/render.py) from a results file of known figures:
# every "met" of issue 13's targets is computed from them (a ratio over its
# limit, a result check that failed, verify level with diff -rq: all "no"),
# bench/scale.sh's computed targets are folded in, the before build stands
# beside this tree's with its ratio, and a before ref that cannot be built
# (bench/before.sh) leaves its reason on the page and the rest of it whole.
set -e; . "$UK_ROOT/tests/lib.sh"
R="$T/results.json"
# figures: workload -> (floor, before, after, diff -rq) medians, hot cache
python3 - "$R" <<'PY'
import json, sys
def e(label, role, med, call):
    return {"label": label, "cmd": label, "role": role, "call": call, "median": med,
            "mean": med, "stddev": 0.0, "min": med, "max": med, "cpu": med, "times": [med]}
def wl(call, floor, before, after, diff=None, **size):
    rows = [e("floor", "floor", floor, call), e("usmt, before (b25cc4e)", "before", before, call),
            e("usmt", "usmtkit", after, call)]
    if diff is not None:
        rows.append(e("diff -rq", "peer", diff, call))
    return dict(size, hot=rows)
ok = lambda: {"cmd": "x", "rc": 0, "ok": True}
res = {"mode": "full", "runs": 5, "started": 0, "seconds": 60, "load": [[0.1], [0.2]],
       "notes": [], "steps": {"linked": 1.0}, "callgrind": {},
       "before": {"ref": "b25cc4e", "commit": "b25cc4e"},
       "machine": {"cpu": "c", "cores": 2, "memory": "1 GiB", "kernel": "k", "os": "o",
                   "fs": "f", "cc": "cc", "commit": "abc1234", "perf": "not supported",
                   "tools": {}},
       # purge 1.40 x rm -rf (met), report 2.10 x grep (missed), verify 0.90 x diff on
       # linked files (met) and 1.00 x on the realistic store (level: missed)
       "workloads": {"purge": wl(1, 1.0, 2.2, 1.4, files=100000),
                     "report": wl(2, 1.0, 2.9, 2.1, bytes=512 << 20),
                     "linked": wl(3, 0.5, 0.7, 0.45, 0.5, files=100000),
                     "realistic": wl(4, 0.2, 0.3, 0.25, 0.25, files=20000, bytes=1 << 28),
                     "fleet": {"machines": [1000, 10000],
                               "hot": [e("merge 10000 text", "usmtkit", 30.0, 5),
                                       e("merge 10000 jsonl", "usmtkit", 61.0, 6)]}},
       "rss": {"report --merge 1000 dbs jsonl": {"kib": 6000, "cmd": "x"},
               "report --merge 10000 dbs jsonl": {"kib": 7000, "cmd": "x"},
               "report --merge 1000 dbs html": {"kib": 10000, "cmd": "x"},
               "report --merge 10000 dbs html": {"kib": 40000, "cmd": "x"}},
       "checks": {"purge": ok(), "report": ok(), "linked": ok(), "realistic": ok(),
                  "fleet jsonl": dict(ok(), line_count=12345)}}
json.dump(res, open(sys.argv[1], "w"))
PY
printf '## by hand\n' >"$T/hand.md"
printf 'scale table\n' >"$T/scale.md"
printf 'verify and purge finish at 1000000 files, every result exact\tall correct\tyes\npeak RSS <= 64 MiB\t70.0 MiB\tno\n' \
	>"$T/scale.md.tsv"
render() { python3 "$UK_ROOT/bench/render.py" "$@" >"$T/page.md" || die "render.py $*"; out="$T/page.md"; }
# The issue 13 row starting with $1: its before, after and met cells.
row() { grep -F "| $1" "$out" | head -n 1 | awk -F' [|] ' '{print $2 "|" $3 "|" $4}' | sed 's/ |$//'; }

render "$R" "$T/hand.md" "$T/scale.md"
expect_eq "$(row 'usmt-purge <= 1.5 x')" "2.20 x|1.40 x|yes" "purge target"
expect_eq "$(row 'usmt-report <= 2 x')" "2.90 x|2.10 x|**no**" "report target"
expect_eq "$(row 'usmt-verify faster than `diff -rq`: 100000 hard-linked')" "1.40 x|0.90 x|yes" \
	"verify linked target"
expect_eq "$(row 'usmt-verify faster than `diff -rq`: the realistic')" "1.20 x|1.00 x|**no**" \
	"verify realistic target (level is not faster)"
expect_eq "$(row 'verify and purge finish at 1000000')" "|all correct|yes" "scale finish"
expect_eq "$(row 'peak RSS <= 64 MiB')" "|70.0 MiB|**no**" "scale RSS"
expect_eq "$(row 'usmt-report --merge over 10000')" "|61.0 s|**no**" "fleet time (the slower format)"
expect_eq "$(row '--merge jsonl: peak RSS flat')" "|6.8 MiB (1.17 x)|yes" "fleet jsonl memory"
expect_eq "$(row '--merge html: peak RSS flat')" "|39.1 MiB (4.00 x)|**no**" "fleet html memory"
expect_eq "$(row '--merge --format jsonl')" "|12345 lines, correct|yes" "fleet jsonl check"
expect_out "^Met: purge <= 1.5 x rm -rf; verify faster than diff -rq (linked); "
expect_out "^| report: a LoadState log | hot | 1.000 | 2.900 | 2.100 | 0.72 | 2.90 -> 2.10 |"
expect_out "^## Targets (issue 6)"
expect_out "^## by hand"

# A met target whose result check failed is not met.
python3 - "$R" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); r["checks"]["purge"]["ok"] = False
json.dump(r, open(sys.argv[1], "w"))
PY
render "$R" "$T/hand.md"
expect_eq "$(row 'usmt-purge <= 1.5 x')" "2.20 x|1.40 x|**no**" "purge target, wrong result"
expect_eq "$(row '1,000,000-file store')" "|not run (\`make bench BENCH_SCALE=1\` or \`make bench-scale\`)|not measured" \
	"scale not run"

# A before ref that is no commit: bench/before.sh says why and fails; the page
# carries the reason and every figure of this tree.
cd "$UK_ROOT"
set +e
bench/before.sh no-such-ref-at-all "$T/before" >"$T/bin" 2>"$T/err"
brc=$?
set -e
expect_eq "$brc" 1 "before.sh exit"
[ ! -s "$T/bin" ] || die "before.sh printed a bin folder: $(cat "$T/bin")"
grep -q "is no commit" "$T/before/error" || die "before.sh error: $(cat "$T/before/error")"
python3 - "$R" "$T/before/error" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["before"] = {"ref": "no-such-ref-at-all", "error": open(sys.argv[2]).read().strip()}
for w in r["workloads"].values():
    w["hot"] = [x for x in w["hot"] if x["role"] != "before"]
json.dump(r, open(sys.argv[1], "w"))
PY
render "$R" "$T/hand.md"
expect_out "The tools of no-such-ref-at-all could not be built, so this run has no before figures: 'no-such-ref-at-all' is no commit"
expect_eq "$(row 'usmt-report <= 2 x')" "-|2.10 x|**no**" "report target without a before build"
note "bench page: targets computed, before/after side by side, a failed before build named"
