#!/usr/bin/env python3
"""Turns bench.py's results JSON into docs/BENCHMARKS.md (standard library only).
  render.py RESULTS.json BEFORE_AFTER.md [SCALE.md] > BENCHMARKS.md
The hand-written "Before/after" section is kept in bench/before-after.md and
copied in verbatim, so regenerating the page never loses it. SCALE.md, written
by bench/scale.sh when `make bench BENCH_SCALE=1` ran it, becomes the "Scale"
section."""
import json
import sys
import time

MIB = 1 << 20

# (workload, what the reach in issue 6 asks, the floor's limit)
TARGETS = [("linked", "usmt-verify <= 1.5 x find stat-ing both trees", 1.5),
           ("copies", "usmt-verify <= 1.5 x cat of both trees", 1.5),
           ("report", "usmt-report <= 2 x grep -c Error (issue 13)", 2.0),
           ("purge", "usmt-purge <= 2 x rm -rf of an identical copy", 2.0)]
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


def pick(rows, role):
    for r in rows:
        if r["role"] == role and "median" in r:
            return r
    return None


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
        out.append("| %s | %s | %.3f | %s | %s | %s | %s | %s | %s |" % (
            name, fmt_s(r["median"]), r["stddev"] or 0, fmt_s(r["min"]), fmt_s(r["max"]),
            fmt_s(r["cpu"]), xf, xc, fast))
    return out


def commands(rows):
    return ["- %s: `%s`" % (r["label"], r["cmd"].replace("`", "'")) for r in rows]


def targets(res):
    out = ["| target | measured (hot cache) | cold cache | met |", "|---|---:|---:|:---:|"]
    wls = res["workloads"]
    for wl, what, limit in TARGETS:
        cells = []
        for key in ("hot", "cold"):
            rows = wls.get(wl, {}).get(key, [])
            f, o = pick(rows, "floor"), pick(rows, "usmtkit")
            cells.append(o["median"] / f["median"] if f and o else None)
        hot, cold = cells
        met = "not measured" if hot is None else ("yes" if hot <= limit else "**no**")
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
    fleet = [r for r in wls.get("fleet", {}).get("hot", []) if "median" in r]
    big = [k for k in rss if k.startswith("report --merge")]
    if fleet and len(big) == 2:
        small, large = sorted(big, key=lambda k: int(k.split()[2]))
        worst = max(r["median"] for r in fleet)
        ratio = rss[large]["kib"] / rss[small]["kib"]
        met = worst < 60 and ratio <= 1.25
        out.append("| usmt-report --merge over %s databases < 60 s, peak RSS flat (<= 1.25 x "
                   "the %s figure) | %.1f s, %.1f MiB (%.2f x) | | %s |" % (
                       large.split()[2], small.split()[2], worst, rss[large]["kib"] / 1024,
                       ratio, "yes" if met else "**no**"))
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
        out.append("| faster than every peer on every workload | %s | | %s |" % (
            "slower than " + ", ".join(slower) if slower else "every peer is slower",
            "**no**" if slower else "yes"))
    return out


def short_fn(fn):
    """"./nptl/x.c:f [/usr/lib/libc.so.6]" -> "f (libc.so.6)"; "common/x.c:f [bin]" -> "common/x.c:f"."""
    name, _, obj = fn.partition(" [")
    where, _, func = name.rpartition(":")
    if where.startswith(("common/", "verify/", "report/", "purge/")):
        return name
    obj = obj.rstrip("]").rsplit("/", 1)[-1]
    return "%s (%s)" % (func or name, obj) if obj else func or name


def render(res, before_after, scale=None):
    m = res["machine"]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(res["started"]))
    L = ["# Benchmarks", "",
         "Generated by `make bench` (bench/run.sh) on %s at commit %s, mode `%s`, in %.0f "
         "minutes. Do not edit by hand: bench/before-after.md, written by hand, is copied into "
         "the last two sections." % (when, m["commit"], res["mode"], res["seconds"] / 60), "",
         "## Machine", "",
         "- CPU: %s, %d cores; memory %s" % (m["cpu"], m["cores"], m["memory"]),
         "- %s, kernel %s; data on %s" % (m["os"], m["kernel"], m["fs"]),
         "- compiler: %s (the project's default `-O2 -g`)" % m["cc"],
         "- perf hardware counters: %s" % ("not supported here: profiles and counts come "
                                             "from callgrind" if "not supported" in m["perf"]
                                             else "available"),
         "- tools: " + "; ".join("%s (%s)" % (k, v) for k, v in m["tools"].items()), "",
         "## Method", "",
         "- Run: `make bench` (this page; about 20-30 minutes on 2 cores) or "
         "`make bench BENCH_QUICK=1` (small sets, a few minutes, written to "
         "`$(BUILD)/bench/BENCHMARKS-quick.md`). The peers are installed from Debian by "
         "`scripts/deps.sh bench`; generated data lives in `$(BUILD)/bench-data` "
         "(`BENCH_DATA` to move it) and is never committed.",
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
         "(the same inodes, so verify's recorded identities hold) and the database is copied "
         "back from a snapshot taken after one verify run; `rm -rf` gets the same copy.",
         "- Peak RSS from `/usr/bin/time -f %M`; instruction counts from "
         "`valgrind --tool=callgrind` (repeatable whatever else the machine does).", ""]
    L += ["## Targets (issue 6)", ""] + targets(res) + [""]
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
    if res["notes"]:
        L += ["## Notes", ""] + ["- " + n for n in res["notes"]] + [""]
    if scale:
        L += ["## Scale: 10 k, 100 k and 1 M files (`BENCH_SCALE=1`, bench/scale.sh)", "",
              "usmt-verify `--json --no-progress`, again on the same database (a "
              "re-run prunes the run before), then usmt-purge `--json` on it, on hard-link stores from bench/mkscale.py (100 files a folder, "
              "0-1023 bytes each, every 1,000th store entry a separate copy); time and "
              "peak RSS from `/usr/bin/time`, peak heap from valgrind massif. Each "
              "result is checked exactly: the verdict counts, the files and folders "
              "deleted, the store gone, every restored file still there and no longer "
              "linked.", "", scale.rstrip(), ""]
    L += [before_after.rstrip(), ""]
    return "\n".join(L)


def main():
    with open(sys.argv[1]) as f:
        res = json.load(f)
    with open(sys.argv[2]) as f:
        ba = f.read()
    scale = None
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            scale = f.read()
    sys.stdout.write(render(res, ba, scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
