#!/usr/bin/env python3
"""Turns bench.py's results JSON into docs/BENCHMARKS.md (standard library only).
  render.py RESULTS.json BEFORE_AFTER.md [SCALE.md] > BENCHMARKS.md
The hand-written part is kept in bench/before-after.md and copied in verbatim
as the last section, so regenerating the page never loses it. SCALE.md, written
by bench/scale.sh when `make bench BENCH_SCALE=1` ran it, becomes the "Scale"
section; SCALE.md.tsv beside it (its targets, computed there) goes into the
issue 13 targets. Every "met" is computed from the figures, never typed."""
import json
import sys
import time

MIB = 1 << 20

# (workload, what the reach in issue 6 asks, the floor's limit)
TARGETS = [("linked", "usmt-verify <= 1.5 x find stat-ing both trees", 1.5),
           ("copies", "usmt-verify <= 1.5 x cat of both trees", 1.5),
           ("report", "usmt-report <= 3 x grep -c Error", 3.0),
           ("purge", "usmt-purge <= 2 x rm -rf of an identical copy", 2.0)]
# The workloads whose before and after builds run in one hyperfine call.
SIDE_BY_SIDE = ("linked", "realistic", "purge", "report")
# What the issue 13 targets are measured on at full size (quick mode is smaller).
FULL = "purge and verify 100,000 files, a 512 MiB log, 10,000 databases, 1,000,000 files"
TITLES = {
    "linked": "verify: hard-linked small files (100 a folder)",
    "copies": "verify: 1 GiB held as separate copies (4 MiB files)",
    "realistic": "verify: a realistic generated store (samples/gen-store.py)",
    "report": "report: a LoadState log",
    "fleet": "report --merge: the fleet view (bench/mkfleet.py databases)",
    "purge": "purge: a hard-linked store",
}
FLOOR_WHAT = {
    "linked": "`find` stat-ing both trees",
    "copies": "`cat` of both trees",
    "realistic": "`find` stat-ing both trees + `cat` of the store's copies and their "
                 "restored files",
    "report": "`grep -c Error` (through a pipe: grep stops at the first match when its "
              "output is /dev/null)",
    "fleet": "none; the target is under 60 s for 10000 databases, memory flat",
    "purge": "`rm -rf` of an identical copy (same folders, links to the same inodes)",
}


def fmt_s(x):
    return "%.3f" % x if x < 10 else "%.2f" % x


def size_of(w):
    if "machines" in w:
        return " and ".join("%d" % n for n in w["machines"]) + " machine databases"
    if "files" in w and "bytes" in w:
        return "%d files, %d MiB" % (w["files"], w["bytes"] // MIB)
    if "files" in w:
        return "%d files" % w["files"]
    return "%d MiB" % (w["bytes"] // MIB)


def pick(rows, role, label=None):
    for r in rows:
        if r["role"] == role and "median" in r and label in (None, r["label"]):
            return r
    return None


def yes(ok):
    return "yes" if ok else "**no**"


def check_ok(res, wl):
    c = res["checks"].get(wl)
    return bool(c and c["ok"])


def table(rows):
    floor, ours = pick(rows, "floor"), pick(rows, "usmtkit")
    out = ["| command | median s | stddev | min | max | CPU s | x floor | x floor (CPU) | "
           "usmt is faster by |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "median" not in r:
            out.append("| %s | failed: %s | | | | | | | |" % (r["label"], " ".join(r["error"])))
            continue
        xf = "%.2f" % (r["median"] / floor["median"]) if floor else ""
        xc = "%.2f" % (r["cpu"] / floor["cpu"]) if floor and floor["cpu"] > 0 else ""
        fast = ""
        if ours and r is not ours and r["role"] == "peer":
            fast = "%.1f x" % (r["median"] / ours["median"])
        name = "**%s**" % r["label"] if r["role"] == "usmtkit" else r["label"]
        if r.get("call") is not None and sum(x.get("call") == r["call"] for x in rows) > 1:
            name += " [%d]" % r["call"]
        out.append("| %s | %s | %.3f | %s | %s | %s | %s | %s | %s |" % (
            name, fmt_s(r["median"]), r["stddev"] or 0, fmt_s(r["min"]), fmt_s(r["max"]),
            fmt_s(r["cpu"]), xf, xc, fast))
    return out


def commands(rows):
    return ["- %s: `%s`" % (r["label"], r["cmd"].replace("`", "'")) for r in rows]


def targets6(res):
    out = ["| target | measured (hot cache) | cold cache | met |", "|---|---:|---:|:---:|"]
    wls = res["workloads"]
    for wl, what, limit in TARGETS:
        cells = []
        for key in ("hot", "cold"):
            rows = wls.get(wl, {}).get(key, [])
            f, o = pick(rows, "floor"), pick(rows, "usmtkit")
            cells.append(o["median"] / f["median"] if f and o else None)
        hot, cold = cells
        met = "not measured" if hot is None else yes(hot <= limit)
        out.append("| %s | %s | %s | %s |" % (
            what, "%.2f x" % hot if hot is not None else "-",
            "%.2f x" % cold if cold is not None else "-", met))
    rss = res.get("rss", {})
    names = sorted((k for k in rss if k.startswith("verify linked")),
                   key=lambda k: int(k.split()[-1]))
    if len(names) == 2:
        small, large = rss[names[0]]["kib"], rss[names[1]]["kib"]
        met = large <= 64 * 1024 and large <= 1.25 * small
        out.append("| verify peak RSS <= 64 MiB at %s files, flat (<= 1.25 x the %s-file "
                   "figure) | %.1f MiB (%.2f x) | | %s |" % (
                       names[1].split()[-1], names[0].split()[-1], large / 1024,
                       large / small, "yes" if met else "**no**"))
    return out


def ratio_of(rows, a, b):
    return a["median"] / b["median"] if a and b else None


def x(v):
    return "%.2f x" % v if v is not None else "-"


def scale_targets(scale_tsv):
    """bench/scale.sh's computed targets: (target, measured, met) rows."""
    rows = []
    for line in (scale_tsv or "").splitlines():
        f = line.split("\t")
        if len(f) == 3:
            rows.append(f)
    return rows


def targets13(res, scale_tsv=None):
    """Issue 13's targets, each from the figures of this run (after = this tree;
    before = BENCH_BEFORE's build, timed in the same call)."""
    wls, rss = res["workloads"], res.get("rss", {})
    out = ["| target | before | after | met |", "|---|---:|---:|:---:|"]
    met_names, missed = [], []

    def row(name, before, after, ok, measured=True, short=None):
        out.append("| %s | %s | %s | %s |" % (name, before, after,
                                             yes(ok) if measured else "not measured"))
        (met_names if measured and ok else missed).append(short or name)

    # (1) purge against rm -rf, (3) report against grep -c Error.
    for wl, what, limit, short in (
            ("purge", "usmt-purge <= 1.5 x `rm -rf` of the same %s-file store, every re-check "
             "kept (result checked)", 1.5, "purge <= 1.5 x rm -rf"),
            ("report", "usmt-report <= 2 x `grep -c Error` on the %s MiB log", 2.0,
             "report <= 2 x grep -c Error")):
        w = wls.get(wl, {})
        rows = w.get("hot", [])
        f, o, b = pick(rows, "floor"), pick(rows, "usmtkit"), pick(rows, "before")
        size = w.get("files") or w.get("bytes", 0) // MIB
        r = ratio_of(rows, o, f)
        row(what % size, x(ratio_of(rows, b, f)), x(r),
            r is not None and r <= limit and check_ok(res, wl), r is not None, short)
    # (2) verify faster than diff -rq, linked and realistic, hot cache.
    for wl, what in (("linked", "%s hard-linked files"), ("realistic", "the realistic store, "
                                                           "%s files")):
        w = wls.get(wl, {})
        rows = w.get("hot", [])
        d, o, b = pick(rows, "peer", "diff -rq"), pick(rows, "usmtkit"), pick(rows, "before")
        r = ratio_of(rows, o, d)
        row("usmt-verify faster than `diff -rq`: %s, hot cache, median of %d, every row "
            "written (x diff's median)" % (what % w.get("files", 0), res["runs"]),
            x(ratio_of(rows, b, d)), x(r),
            r is not None and r < 1 and check_ok(res, wl), r is not None,
            "verify faster than diff -rq (%s)" % wl)
    # (4) the scale table's own computed targets.
    srows = scale_targets(scale_tsv)
    if srows:
        for name, measured, ok in srows:
            row(name, "", measured, ok == "yes",
                short="scale: " + name.split(" (")[0].split(":")[0])
    else:
        row("1,000,000-file store: verify and purge finish, RSS <= 64 MiB and flat, time "
            "linear (bench/scale.sh)", "", "not run (`make bench BENCH_SCALE=1` or "
            "`make bench-scale`)", False, False, "1,000,000 files (scale)")
    # Fleet: --merge at 10,000 databases, memory flat, --format jsonl.
    fleet = [r for r in wls.get("fleet", {}).get("hot", []) if "median" in r]
    counts = wls.get("fleet", {}).get("machines", [])
    if fleet and len(counts) == 2:
        small, large = counts
        worst = max(r["median"] for r in fleet)
        row("usmt-report --merge over %d databases < 60 s (text and jsonl, the slower)"
            % large, "", "%.1f s" % worst, worst < 60, short="--merge %d < 60 s" % large)
        for fmt in ("jsonl", "html"):
            a = rss.get("report --merge %d dbs %s" % (small, fmt))
            z = rss.get("report --merge %d dbs %s" % (large, fmt))
            if a and z:
                rr = z["kib"] / a["kib"]
                row("--merge %s: peak RSS flat (%d databases <= 1.25 x the %d figure)"
                    % (fmt, large, small), "", "%.1f MiB (%.2f x)" % (z["kib"] / 1024, rr),
                    rr <= 1.25, short="--merge %s memory flat" % fmt)
        c = res["checks"].get("fleet jsonl")
        row("--merge --format jsonl: every line an object, one machine line a database with "
            "its risk, the rest at-risk files", "",
            ("%d lines, correct" % c.get("line_count", 0) if c["ok"] else "**WRONG**")
            if c else "-", bool(c and c["ok"]), c is not None, "--merge jsonl")
    else:
        row("usmt-report --merge over 10000 databases", "", "-", False, False, "fleet")
    slower = []
    measured = False
    for wl, w in wls.items():
        for key in ("hot", "cold"):
            rows = w.get(key, [])
            o = pick(rows, "usmtkit")
            if not o:
                continue
            for r in rows:
                if r["role"] == "peer" and "median" in r:
                    measured = True
                    if r["median"] <= o["median"]:
                        slower.append("%s: %s (%s)" % (wl, r["label"], key))
    if measured:
        row("ahead of every peer on every workload (hot and cold)", "",
            "slower than " + ", ".join(slower) if slower else "every peer is slower",
            not slower, short="ahead of every peer")
    out.append("")
    if res["mode"] == "quick":
        out += ["Quick mode: the sets are smaller than the ones the targets name (%s), so "
                "\"met\" says how these small sets did, not the target." % FULL, ""]
    out.append("Met: %s. Not met or not measured: %s." % (
        "; ".join(met_names) or "none", "; ".join(missed) or "none"))
    return out


def before_after(res):
    """The before and after builds side by side (one hyperfine call a row)."""
    b = res.get("before")
    if not b:
        return ["No before build: `BENCH_BEFORE` was empty."]
    ref = b["ref"] + (" (%s)" % b["commit"] if b.get("commit") and
                      not b["commit"].startswith(b["ref"]) else "")
    if b.get("error"):
        return ["The tools of %s could not be built, so this run has no before figures: %s"
                % (ref, b["error"].replace("|", "\\|"))]
    out = ["The tools of %s (`BENCH_BEFORE`, built by bench/before.sh in "
           "`$(BUILD)/bench-before`) and of this tree (%s), timed in the same hyperfine call "
           "with the floor (and `diff -rq` for verify, hot cache), median of %d. Ratios "
           "below 1 are faster." % (ref, res["machine"]["commit"], res["runs"]), "",
           "| workload | cache | floor s | before s | after s | after / before | x floor: "
           "before -> after | CPU s: before -> after |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for wl in SIDE_BY_SIDE:
        w = res["workloads"].get(wl, {})
        for key in ("hot", "cold"):
            rows = w.get(key, [])
            f, o, bb = pick(rows, "floor"), pick(rows, "usmtkit"), pick(rows, "before")
            if not o or not bb:
                if rows:
                    out.append("| %s | %s | | %s | %s | | | |" % (
                        TITLES[wl], key, "failed" if not bb else "", "failed" if not o else ""))
                continue
            out.append("| %s | %s | %s | %s | %s | %.2f | %s -> %s | %s -> %s |" % (
                TITLES[wl], key, fmt_s(f["median"]) if f else "-", fmt_s(bb["median"]),
                fmt_s(o["median"]), o["median"] / bb["median"],
                "%.2f" % (bb["median"] / f["median"]) if f else "-",
                "%.2f" % (o["median"] / f["median"]) if f else "-",
                fmt_s(bb["cpu"]), fmt_s(o["cpu"])))
    return out


def short_fn(fn):
    """"./nptl/x.c:f [/usr/lib/libc.so.6]" -> "f (libc.so.6)"; "common/x.c:f [bin]" -> "common/x.c:f"."""
    name, _, obj = fn.partition(" [")
    where, _, func = name.rpartition(":")
    if where.startswith(("common/", "verify/", "report/", "purge/")):
        return name
    obj = obj.rstrip("]").rsplit("/", 1)[-1]
    return "%s (%s)" % (func or name, obj) if obj else func or name


def render(res, hand, scale=None, scale_tsv=None):
    m = res["machine"]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(res["started"]))
    L = ["# Benchmarks", "",
         "Generated by `make bench` (bench/run.sh) on %s at commit %s, mode `%s`, in %.0f "
         "minutes. Do not edit by hand: bench/before-after.md, written by hand, is copied in as "
         "the last section." % (when, m["commit"], res["mode"], res["seconds"] / 60)
         + "".join(" Measured again afterwards (`BENCH_ONLY=%s`), replacing those figures: "
                   "on %s at commit %s, load average %.1f -> %.1f."
                   % (",".join(p["only"]),
                      time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(p["started"])),
                      p["commit"], p["load"][0][0], p["load"][1][0])
                   for p in res.get("partial", [])), "",
         "## Machine", "",
         "- CPU: %s, %d cores; memory %s" % (m["cpu"], m["cores"], m["memory"]),
         "- %s, kernel %s; data on %s" % (m["os"], m["kernel"], m["fs"]),
         "- compiler: %s (the project's default `-O2 -g`)" % m["cc"],
         "- perf hardware counters: %s" % ("not supported here: profiles and counts come "
                                             "from callgrind" if "not supported" in m["perf"]
                                             else "available"),
         "- tools: " + "; ".join("%s (%s)" % (k, v) for k, v in m["tools"].items()), "",
         "## Method", "",
         "- Run: `make bench` (this page, bench/scale.sh's 1 M-file table included; see "
         "\"Run time\" for what each step took) or `make bench BENCH_QUICK=1` (small sets, "
         "a minute or two, written to `$(BUILD)/bench/BENCHMARKS-quick.md`). The peers are "
         "installed from Debian by `scripts/deps.sh bench`; generated data lives in "
         "`$(BUILD)/bench-data` (`BENCH_DATA` to move it) and is never committed.",
         "- Before/after: `BENCH_BEFORE=<git ref>` (default b25cc4e, where issue 13's round "
         "began) is built by bench/before.sh from `git archive` in `$(BUILD)/bench-before`; "
         "on the target workloads (linked and realistic verify, purge, the report log) its "
         "tools and this tree's run in **one hyperfine call** with the floor (and `diff -rq` "
         "for verify, hot cache), so a load on the shared machine hits them alike; rows "
         "timed in one call carry the same `[n]` in the tables below.",
         "- Every figure is the **median of %d runs** timed by hyperfine (wall clock), after "
         "one warm-up run for hot-cache figures. Cold-cache figures drop the page cache "
         "(`sync; echo 3 > /proc/sys/vm/drop_caches`) before every run and have no warm-up."
         % res["runs"],
         "- All commands run with `LC_ALL=C` (the floors' fastest locale) and their output "
         "sent through a pipe or to /dev/null. `x floor` is the median over the floor's "
         "median; `usmt is faster by` is the peer's median over usmtkit's.",
         "- usmtkit runs with its defaults (`--threads` = online CPUs) and `--json "
         "--no-progress`; each verify run starts from an empty database (removed in "
         "hyperfine's `--prepare`), so the figure includes writing every row.",
         "- Peers are run as an admin would run them over the store's `File\\C$` folder and "
         "the restored tree, with their fastest documented option where they have one "
         "(`hashdeep -c md5`; `xxhsum -H2` is XXH3-128 as in usmtkit). Both hashers of "
         "whole trees are fed by `find -print0 | xargs -0`.",
         "- Data is generated by bench/mkdata.py (deterministic, seed 6) under the build "
         "folder and reused between runs; small files have log-normal sizes (median 2 KiB, "
         "at most 64 KiB, 2 % empty), 100 a folder; the log is LoadState's line layout "
         "(USMT-FACTS.md) with 8 appended runs, the first aborted, ~0.3 % Error lines.",
         "- `CPU s` is user + system time (hyperfine's means); `x floor (CPU)` compares it "
         "with the floor's. The machine is shared: load average %.1f when the run started, "
         "%.1f when it ended (2 cores), so wall-clock figures carry noise that CPU "
         "figures and instruction counts do not." % (res["load"][0][0], res["load"][1][0]),
         "- The realistic store is samples/gen-store.py's (mostly linked; copies, missing, "
         "edited, read-only, Unicode and long paths, a Windows.old); verify runs with the "
         "manifest's `--exclude` and its counts are checked against the manifest; peers "
         "compare the store's `Users` folder with the restored one.",
         "- Purge: before every run the store is rebuilt with `cp -al` from the restored tree "
         "(the same inodes, so verify's recorded identities hold), the database is copied "
         "back from a snapshot taken after one verify run of the same build, and `sync` "
         "writes the rebuilt metadata out, so no run pays for the one before; `rm -rf` gets "
         "the same copy.",
         "- Peak RSS from `/usr/bin/time -f %M`; instruction counts from "
         "`valgrind --tool=callgrind` (repeatable whatever else the machine does).", ""]
    L += ["## Targets (issue 13)", ""] + targets13(res, scale_tsv) + [""]
    L += ["## Before/after, side by side", ""] + before_after(res) + [""]
    L += ["## Targets (issue 6)", ""] + targets6(res) + [""]
    for wl in ("linked", "copies", "realistic", "report", "fleet", "purge"):
        w = res["workloads"].get(wl)
        if not w:
            continue
        L += ["## %s" % TITLES[wl], "", "Size: %s. Floor: %s." % (size_of(w), FLOOR_WHAT[wl]),
              ""]
        for key in ("hot", "cold"):
            if w.get(key):
                L += ["**%s cache**" % key.capitalize(), ""] + table(w[key]) + [""]
        c = res["checks"].get(wl)
        if c:
            v = c.get("json", {}).get("verdicts")
            L += ["Result check (one untimed run): %s, exit %d%s." % (
                "correct" if c["ok"] else "**WRONG**", c["rc"],
                ", verdicts %s" % json.dumps(v, sort_keys=True) if v else ""), ""]
        for name, what in ((wl + " (before)", "before build"), (wl + " jsonl", "jsonl")):
            c = res["checks"].get(name)
            if c:
                L += ["Result check, %s (one untimed run): %s, exit %d." % (
                    what, "correct" if c["ok"] else "**WRONG**", c["rc"]), ""]
        L += ["<details><summary>commands</summary>", ""] + \
            commands(w.get("hot", []) + [r for r in w.get("cold", [])
                                         if r["cmd"] not in {x["cmd"] for x in w.get("hot", [])}]) + \
            ["", "</details>", ""]
    if res["rss"]:
        L += ["## Peak memory", "", "| run | peak RSS |", "|---|---:|"]
        for k, v in res["rss"].items():
            L.append("| %s | %.1f MiB |" % (k, v["kib"] / 1024))
        L.append("")
    if res["callgrind"]:
        L += ["## Instruction counts (callgrind)", "",
              "Total instructions executed (Ir) for the three hot paths; a regression shows "
              "up here even on a noisy machine. Top functions by their own instructions "
              "below each.", "",
              "| hot path | Ir |", "|---|---:|"]
        for k, v in res["callgrind"].items():
            L.append("| %s | %s |" % (k, "{:,}".format(v["ir"]) if v["ir"] else "-"))
        L.append("")
        for k, v in res["callgrind"].items():
            L += ["<details><summary>%s: top functions</summary>" % k, "",
                  "| Ir (self) | function |", "|---:|---|"]
            L += ["| {:,} | `{}` |".format(ir, short_fn(fn)) for ir, fn in v["top"]]
            L += ["", "</details>", ""]
    if res.get("steps"):
        L += ["## Run time", "", "| step | s |", "|---|---:|"]
        L += ["| %s | %.0f |" % (k, v) for k, v in res["steps"].items()] + [""]
    if res["notes"]:
        L += ["## Notes", ""] + ["- " + n for n in res["notes"]] + [""]
    if scale:
        L += ["## Scale: verify and purge from 10 k to 1 M files (bench/scale.sh)", "",
              "usmt-verify `--json --no-progress`, again on the same database (a "
              "re-run prunes the run before), then usmt-purge `--json` on it, on hard-link stores from bench/mkscale.py (100 files a folder, "
              "0-1023 bytes each, every 1,000th store entry a separate copy); time and "
              "peak RSS from `/usr/bin/time`, peak heap from valgrind massif. Each "
              "result is checked exactly: the verdict counts, the files and folders "
              "deleted, the store gone, every restored file still there and no longer "
              "linked.", "", scale.rstrip(), ""]
    L += [hand.rstrip(), ""]
    return "\n".join(L)


def main():
    with open(sys.argv[1]) as f:
        res = json.load(f)
    with open(sys.argv[2]) as f:
        ba = f.read()
    scale = scale_tsv = None
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            scale = f.read()
        try:
            with open(sys.argv[3] + ".tsv") as f:
                scale_tsv = f.read()
        except OSError:
            pass
    sys.stdout.write(render(res, ba, scale, scale_tsv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
