#!/usr/bin/env python3
"""Runs the usmtkit benchmarks side by side with their floors and peers and
saves every figure to a JSON file; bench/render.py turns it into Markdown.
Called by bench/run.sh (`make bench`); standard library only.

Timing is hyperfine's (median of --runs, after --warmup); cold-cache runs drop
the page cache before every run. On the target workloads the tools of an
earlier commit (--before-bin, built by bench/before.sh) are timed in the same
hyperfine call as this tree's, with the floor, so a load hits them alike. Peak RSS comes from /usr/bin/time, instruction
counts from valgrind's callgrind (repeatable on a noisy machine)."""
import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkdata  # noqa: E402

SIZES = {
    #        linked  rss_small copies    log        purge   real   runs cg_files cg_copies cg_log
    "full": (100000, 10000, 1 << 30, 512 << 20, 100000, 20000, 5, 10000, 64 << 20, 32 << 20),
    "quick": (10000, 2000, 128 << 20, 32 << 20, 10000, 3000, 3, 2000, 16 << 20, 8 << 20),
}
# usmt-report --merge: machine databases at the small and the large figure
FLEET = {"full": (1000, 10000), "quick": (100, 1000)}
DROP = "/proc/sys/vm/drop_caches"
q = shlex.quote


def log(msg):
    print("bench: %s" % msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, **kw)


class Bench:
    def __init__(self, a):
        self.a = a
        (self.n_linked, self.n_small, self.copies, self.logsize, self.n_purge, self.n_real,
         self.runs, self.cg_files, self.cg_copies, self.cg_log) = SIZES[a.mode]
        self.data = os.path.abspath(a.data)
        self.bin = os.path.abspath(os.path.join(a.build, "bin"))
        self.work = os.path.abspath(os.path.join(a.build, "bench"))
        os.makedirs(self.work, exist_ok=True)
        os.makedirs(os.path.join(self.data, "db"), exist_ok=True)
        self.r = {"mode": a.mode, "runs": self.runs, "workloads": {}, "rss": {},
                  "callgrind": {}, "checks": {}, "notes": [], "steps": {},
                  "started": time.time()}
        self.calls = 0
        self.cold = self.can_drop()
        self.bbin = os.path.abspath(a.before_bin) if a.before_bin else None
        self.r["before"] = self.before_info()

    def before_info(self):
        a = self.a
        if not a.before_ref:
            return None
        info = {"ref": a.before_ref}
        d = a.before_dir or ""
        if self.bbin:
            try:
                with open(os.path.join(d, "commit")) as f:
                    info["commit"] = f.read().strip()[:7]
            except OSError:
                pass
        else:
            try:
                with open(os.path.join(d, "error")) as f:
                    info["error"] = f.read().strip()
            except OSError:
                info["error"] = "not built"
        return info

    def before_label(self, tool):
        b = self.r["before"]
        ref = b.get("commit", b["ref"])
        if b["ref"] != ref and not ref.startswith(b["ref"]):
            ref = "%s, %s" % (b["ref"], ref)
        return "usmt-%s, before (%s)" % (tool, ref)

    # ---- primitives -------------------------------------------------------
    def tool(self, name, before=False):
        if before and not self.bbin:
            return None
        p = os.path.join(self.bbin if before else self.bin, "usmt-" + name)
        return p if os.access(p, os.X_OK) else None

    def can_drop(self):
        try:
            with open(DROP, "w") as f:
                f.write("3\n")
            return True
        except OSError as e:
            self.r["notes"].append("Page cache cannot be dropped here (%s): "
                                   "cold-cache figures are missing." % e.strerror)
            return False

    def db(self, name):
        p = os.path.join(self.data, "db", name + ".db")
        return p, "rm -f %s %s-wal %s-shm %s-journal" % (q(p), q(p), q(p), q(p))

    def hf(self, wl, label, cmd, role, prepare=None, cold=False, ignore=False, runs=None):
        """Times cmd with hyperfine; role is floor, usmtkit, before or peer."""
        self.hf_set(wl, [(label, cmd, role, prepare)], cold=cold, ignore=ignore, runs=runs)

    def hf_set(self, wl, entries, cold=False, ignore=False, runs=None):
        """Times the commands of entries, (label, cmd, role, prepare) each, in one
        hyperfine call: one after the other, under the same load. When the call
        fails, each command is timed alone, so one broken command (a before build)
        costs only its own figure."""
        entries = [e for e in entries if e[1]]
        if not entries or (cold and not self.cold):
            return
        runs = runs or self.runs
        out = os.path.join(self.work, "hf.json")
        args = ["hyperfine", "--style", "none", "--runs", str(runs), "--export-json", out,
                "--output", "pipe", "--warmup", "0" if cold else "1"]
        preps = ["; ".join(p for p in (e[3], "sync; echo 3 > %s" % DROP if cold else None)
                           if p) or "true" for e in entries]
        if any(p != "true" for p in preps):
            for p in preps:
                args += ["--prepare", p]
        if ignore:
            args.append("-i")
        for e in entries:
            args += ["-n", e[0]]
        args += [e[1] for e in entries]
        t0 = time.time()
        p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        key = "cold" if cold else "hot"
        if p.returncode != 0 and len(entries) > 1:
            log("%s/%s: the call of %d commands failed (%s), each timed alone" % (
                wl, key, len(entries), p.stderr.strip().splitlines()[-1:]))
            self.r["notes"].append("%s (%s cache): the side-by-side hyperfine call failed, "
                                   "so its commands were timed one call each." % (wl, key))
            for e in entries:
                self.hf_set(wl, [e], cold=cold, ignore=ignore, runs=runs)
            return
        self.calls += 1
        res = []
        if p.returncode == 0:
            with open(out) as f:
                res = json.load(f)["results"]
        for i, (label, cmd, role, _) in enumerate(entries):
            entry = {"label": label, "cmd": cmd, "role": role, "call": self.calls}
            if p.returncode != 0:
                entry["error"] = p.stderr.strip().splitlines()[-1:] or ["failed"]
                log("%s/%s %s: FAILED %s" % (wl, key, label, entry["error"]))
            else:
                r = res[i]
                for k in ("median", "mean", "stddev", "min", "max"):
                    entry[k] = r[k]
                entry["cpu"] = r["user"] + r["system"]  # means: no per-run split kept
                entry["times"] = r["times"]
                log("%s/%s %-30s median %.3f s" % (wl, key, label, r["median"]))
            self.r["workloads"].setdefault(wl, {}).setdefault(key, []).append(entry)
        log("%s/%s: %d command(s) in %.0f s" % (wl, key, len(entries), time.time() - t0))

    def check(self, name, cmd, expect, lines=False):
        """One untimed run of a usmtkit command, its JSON kept beside the figures
        (lines: JSON lines, handed to expect as c["lines"] and not kept)."""
        if not cmd:
            self.r["notes"].append("%s: usmtkit's tool not built, not measured." % name)
            return False
        p = sh(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        c = {"cmd": cmd, "rc": p.returncode}
        try:
            if lines:
                c["lines"] = [json.loads(x) for x in p.stdout.splitlines()]
            else:
                c["json"] = json.loads(p.stdout)
        except ValueError:
            c["stdout"] = p.stdout[-2000:]
        c["stderr"] = p.stderr[-1000:]
        try:
            c["ok"] = bool(expect(c))
        except (KeyError, TypeError, AttributeError) as e:
            c["ok"] = False
            c["stderr"] += "\nbench: check raised %r" % e
        if lines:
            c["line_count"] = len(c.pop("lines", []))
        self.r["checks"][name] = c
        log("check %s: %s (exit %d)" % (name, "ok" if c["ok"] else "WRONG", p.returncode))
        return c["ok"]

    def rss(self, name, cmd, prepare=None):
        if prepare:
            sh(prepare)
        out = os.path.join(self.work, "rss.txt")
        sh("/usr/bin/time -f %%M -o %s sh -c %s >/dev/null 2>&1" % (q(out), q(cmd)))
        with open(out) as f:
            kib = int(f.read().split()[-1])
        self.r["rss"][name] = {"kib": kib, "cmd": cmd}
        log("rss %s: %.1f MiB" % (name, kib / 1024))

    def callgrind(self, name, cmd, prepare=None):
        if prepare:
            sh(prepare)
        out = os.path.join(self.work, "callgrind.%s.out" % name)
        sh("valgrind --tool=callgrind --callgrind-out-file=%s %s >/dev/null 2>&1"
           % (q(out), cmd))
        ir = None
        with open(out) as f:
            for line in f:
                if line.startswith(("summary:", "totals:")):
                    ir = int(line.split()[1])
        top = subprocess.run(["callgrind_annotate", "--threshold=99", out],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True).stdout
        rows = []
        for line in top.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S.*)$", line)
            if m and "PROGRAM TOTALS" not in line and len(rows) < 8:
                rows.append([int(m.group(1).replace(",", "")), m.group(3)])
        self.r["callgrind"][name] = {"ir": ir, "cmd": cmd, "top": rows}
        log("callgrind %s: %s Ir" % (name, ir))

    # ---- commands ---------------------------------------------------------
    def verify_cmd(self, store, restored, db, extra="", before=False):
        t = self.tool("verify", before)
        if not t:
            return None
        return "%s --no-progress --json %s--db %s --root C=%s %s" % (
            q(t), extra, q(db), q(restored), q(store))

    @staticmethod
    def diff_cmd(a, b):
        return "diff -rq %s %s >/dev/null" % (q(a), q(b))

    def peers(self, wl, a, b, ignore=False, skip=()):
        """The tools an admin would use instead, over both trees a and b."""
        both = "%s %s" % (q(a), q(b))
        for label, cmd in [
                ("hashdeep -r -c md5", "hashdeep -r -c md5 %s >/dev/null" % both),
                ("xxhsum -H2", "find %s -type f -print0 | xargs -0 xxhsum -H2 >/dev/null" % both),
                ("b3sum", "find %s -type f -print0 | xargs -0 b3sum >/dev/null" % both),
                ("rsync -rcn", "rsync -rcn %s/ %s/ >/dev/null" % (q(a), q(b))),
                ("diff -rq", self.diff_cmd(a, b))]:
            if label not in skip:
                self.hf(wl, label, cmd, "peer", ignore=ignore or label == "diff -rq")

    @staticmethod
    def find_cmd(a, b):
        return "find %s %s -printf '%%i %%n %%s\\n' >/dev/null" % (q(a), q(b))

    # ---- workloads --------------------------------------------------------
    def store_set(self, name, n):
        d = os.path.join(self.data, name)
        log("data: %s (%d linked files)" % (d, n))
        mkdata.make_linked(d, n, 6)
        return d, os.path.join(d, "store"), os.path.join(d, "restored"), \
            os.path.join(d, "store", "USMT", "File", "C$")

    def w_linked(self):
        wl = "linked"
        d, store, restored, cdir = self.store_set("linked-%d" % self.n_linked, self.n_linked)
        db, rm = self.db("linked")
        dbb, rmb = self.db("linked-before")
        self.r["workloads"][wl] = {"files": self.n_linked}
        v = self.verify_cmd(store, restored, db)
        vb = self.verify_cmd(store, restored, dbb, before=True)
        n = self.n_linked
        for name, cmd, clear in ((wl, v, rm), (wl + " (before)", vb, rmb)):
            if cmd or name == wl:
                sh(clear)
                self.check(name, cmd, lambda c: c["rc"] == 0 and c.get("json", {})
                           .get("verdicts", {}).get("linked") == n)
        # diff -rq, the peer issue 13 measures verify against, in the same call.
        for cold in (False, True):
            self.hf_set(wl, [("find (stat both trees)", self.find_cmd(cdir, restored), "floor",
                              None),
                             (self.before_label("verify"), vb, "before", rmb),
                             ("usmt-verify", v, "usmtkit", rm)] +
                        ([] if cold else [("diff -rq", self.diff_cmd(cdir, restored), "peer",
                                           None)]), cold=cold)
        self.peers(wl, cdir, restored, skip=("diff -rq",))

    def w_copies(self):
        wl = "copies"
        d = os.path.join(self.data, "copies-%d" % self.copies)
        log("data: %s" % d)
        mkdata.make_copies(d, self.copies, 4 << 20, 6)
        store, restored = os.path.join(d, "store"), os.path.join(d, "restored")
        cdir = os.path.join(store, "USMT", "File", "C$")
        db, rm = self.db("copies")
        self.r["workloads"][wl] = {"bytes": self.copies, "files": self.copies >> 22}
        v = self.verify_cmd(store, restored, db)
        sh(rm)
        n = self.copies >> 22
        self.check(wl, v, lambda c: c["rc"] == 0 and c.get("json", {}).get("verdicts", {})
                   .get("identical") == n)
        cat = "find %s %s -type f -exec cat {} + >/dev/null" % (q(cdir), q(restored))
        for cold in (False, True):
            self.hf(wl, "cat (both trees)", cat, "floor", cold=cold)
            self.hf(wl, "usmt-verify", v, "usmtkit", prepare=rm, cold=cold)
        self.peers(wl, cdir, restored)

    def w_realistic(self):
        wl = "realistic"
        gen = os.path.join(self.a.root, "samples", "gen-store.py")
        if not os.path.exists(gen):
            self.r["notes"].append("Realistic store: samples/gen-store.py not present yet.")
            return
        d = os.path.join(self.data, "real-%d" % self.n_real)
        log("data: %s (gen-store.py, %d files)" % (d, self.n_real))
        if not os.path.exists(os.path.join(d, ".complete")):
            if os.path.lexists(d):
                shutil.rmtree(d)
            p = sh("%s %s --out %s --files %d --seed 6" % (
                sys.executable, q(gen), q(d), self.n_real), stdout=subprocess.DEVNULL)
            if p.returncode != 0:
                self.r["notes"].append("Realistic store: gen-store.py failed (exit %d)."
                                       % p.returncode)
                return
            open(os.path.join(d, ".complete"), "w").close()
        with open(os.path.join(d, "manifest.json")) as f:
            man = json.load(f)
        store, restored = os.path.join(d, "store"), os.path.join(d, "c")
        # Peers compare the user trees; the restored drive also holds Windows.old.
        a = os.path.join(store, "USMT", "File", "C$", "Users")
        b = os.path.join(restored, "Users")
        lst = self.copies_list(d, a, b)
        db, rm = self.db("real")
        dbb, rmb = self.db("real-before")
        self.r["workloads"][wl] = {"files": man["files"], "bytes": man["bytes"]}
        ex = "--exclude %s " % q(man["exclude"])
        v = self.verify_cmd(store, restored, db, ex)
        vb = self.verify_cmd(store, restored, dbb, ex, before=True)
        for name, cmd, clear in ((wl, v, rm), (wl + " (before)", vb, rmb)):
            if cmd or name == wl:
                sh(clear)
                self.check(name, cmd, lambda c: all(
                    c.get("json", {}).get(k) == man[k] for k in ("files", "verdicts",
                                                                   "sole_copy")))
        floor = "%s; xargs -0 cat < %s >/dev/null" % (self.find_cmd(a, b), q(lst))
        # Verify exits 1 here (files at risk) and diff -rq too (they differ): -i.
        for cold in (False, True):
            self.hf_set(wl, [("find + cat copies", floor, "floor", None),
                             (self.before_label("verify"), vb, "before", rmb),
                             ("usmt-verify", v, "usmtkit", rm)] +
                        ([] if cold else [("diff -rq", self.diff_cmd(a, b), "peer", None)]),
                        cold=cold, ignore=True)
        self.peers(wl, a, b, ignore=True, skip=("diff -rq",))

    @staticmethod
    def copies_list(d, a, b):
        """The store's copies (link count 1) and their restored files, NUL-separated:
        the bytes any checker must read."""
        lst = os.path.join(d, "copies.list")
        with open(lst, "wb") as f:
            for root, _, files in os.walk(a):
                for name in files:
                    p = os.path.join(root, name)
                    st = os.lstat(p)
                    if st.st_nlink != 1 or not os.path.isfile(p) or os.path.islink(p):
                        continue
                    f.write(p.encode() + b"\0")
                    r = os.path.join(b, os.path.relpath(p, a))
                    if os.path.isfile(r) and not os.path.islink(r):
                        f.write(r.encode() + b"\0")
        return lst

    def w_report(self):
        wl = "report"
        lp = os.path.join(self.data, "loadstate-%d.log" % self.logsize)
        log("data: %s" % lp)
        mkdata.make_log(lp, self.logsize, 6)
        self.r["workloads"][wl] = {"bytes": os.path.getsize(lp)}
        rep = self.tool("report")
        grep = "grep -c Error %s" % q(lp)
        for cold in (False, True):
            self.hf_set(wl, [("grep -c Error", grep, "floor", None),
                             (self.before_label("report"), self.report_cmd(lp, before=True),
                              "before", None),
                             ("usmt-report", self.report_cmd(lp), "usmtkit", None)],
                        cold=cold, ignore=True)
        if rep:
            self.check(wl, self.report_cmd(lp, "json"),
                       lambda c: len(c.get("json", {}).get("runs", [])) == 8)
        if self.tool("report", True):
            self.check(wl + " (before)", self.report_cmd(lp, "json", before=True),
                       lambda c: len(c.get("json", {}).get("runs", [])) == 8)
        else:
            self.r["notes"].append("usmt-report not built yet: report workload has only its "
                                   "floor.")

    def w_fleet(self):
        """--merge over generated machine databases (bench/mkfleet.py), hot cache;
        three runs each: the large set takes half a minute a run."""
        wl = "fleet"
        if not self.tool("report") or not self.tool("verify"):
            self.r["notes"].append("usmt-report or usmt-verify not built: no fleet figures.")
            return
        counts = FLEET[self.a.mode]
        self.r["workloads"][wl] = {"machines": list(counts)}
        for n in counts:
            d = os.path.join(self.data, "fleet-%d" % n)
            sh("python3 %s %s --machines %d --bin %s" % (
                q(os.path.join(self.a.root, "bench", "mkfleet.py")), q(d), n, q(self.bin)),
               check=True)
            for fmt in ("text", "jsonl"):
                self.hf(wl, "usmt-report --merge %d dbs, %s" % (n, fmt),
                        self.merge_cmd(d, fmt), "usmtkit", ignore=True, runs=3)
            for fmt in ("jsonl", "html"):
                self.rss("report --merge %d dbs %s" % (n, fmt), self.merge_cmd(d, fmt))
        d = os.path.join(self.data, "fleet-%d" % counts[-1])
        self.check(wl, self.merge_cmd(d, "json"), lambda c: c.get("json", {}).get(
            "totals", {}).get("machines") == counts[-1])
        with open(os.path.join(d, "fleet.json")) as f:
            want = {m["machine"]: m["risk"] for m in json.load(f)}
        # jsonl: every line an object, one machine line a database with its risk.
        self.check(wl + " jsonl", self.merge_cmd(d, "jsonl"), lambda c: {
            x["machine"]: x["risk"] for x in c["lines"] if x["kind"] == "machine"} == want
            and all(x["kind"] in ("machine", "at_risk") for x in c["lines"]), lines=True)

    def merge_cmd(self, d, fmt):
        # The list is expanded by the shell hyperfine starts: one argument a
        # database, as `*.usmtkit.db` would give them.
        return "%s --merge --format %s $(cat %s)" % (q(self.tool("report")), fmt,
                                                     q(os.path.join(d, "list")))

    def report_cmd(self, lp, fmt="text", before=False):
        t = self.tool("report", before)
        return "%s --format %s %s" % (q(t), fmt, q(lp)) if t else None

    def purge_prep(self, r, s, db_snap=None, db_name="purge"):
        """Rebuilds a store at s whose entries are links to the restored tree r."""
        t = os.path.join(os.path.dirname(r), "tmpl")
        cmd = "rm -rf %s && cp -a %s %s && cp -al %s %s" % (
            q(s), q(t), q(s), q(os.path.join(r, "Users")),
            q(os.path.join(s, "USMT", "File", "C$", "Users")))
        if db_snap:
            db, rm = self.db(db_name)
            cmd += " && %s && cp %s %s" % (rm, q(db_snap), q(db))
        # The copy's metadata written out first: else the journal commit of
        # the prepare falls into whichever timed run comes next.
        return cmd + " && sync"

    def w_purge(self):
        wl = "purge"
        d = os.path.join(self.data, "purge-%d" % self.n_purge)
        log("data: %s" % d)
        mkdata.make_linked(d, self.n_purge, 7, link=False)
        r = os.path.join(d, "restored")
        t = os.path.join(d, "tmpl", "USMT")
        if not os.path.isdir(t):
            mkdata.store_skeleton(os.path.join(d, "tmpl-build"))
            os.rename(os.path.join(d, "tmpl-build", "store"), os.path.join(d, "tmpl"))
            shutil.rmtree(os.path.join(d, "tmpl-build"))
        self.r["workloads"][wl] = {"files": self.n_purge}
        s, x = os.path.join(d, "store"), os.path.join(d, "copy")
        if not self.tool("purge") or not self.tool("verify"):
            self.r["notes"].append("usmt-purge not built yet: purge workload has only its "
                                   "floor.")
            self.hf(wl, "rm -rf (identical copy)", "rm -rf %s" % q(x), "floor",
                    prepare=self.purge_prep(r, x))
            return
        n = self.n_purge
        # Each build purges with a database its own verify wrote (the schema may
        # differ); the store is rebuilt from the same inodes before every run.
        runs = []
        for name, before in (("purge", False), ("purge-before", True)):
            pgb, vb = self.tool("purge", before), self.tool("verify", before)
            if not pgb or not vb:
                runs.append(None)
                continue
            db, rm = self.db(name)
            snap = os.path.join(self.data, "db", name + "-verified.db")
            sh("%s && %s" % (self.purge_prep(r, s), rm))
            sh(self.verify_cmd(s, r, db, before=before) + " >/dev/null")
            shutil.copyfile(db, snap)
            cmd = "%s --no-progress --json --db %s %s" % (q(pgb), q(db), q(s))
            sh(self.purge_prep(r, s, snap, name))
            self.check(wl + (" (before)" if before else ""), cmd, lambda c: c["rc"] == 0 and
                       not os.path.exists(os.path.join(s, "USMT")) and
                       c.get("json", {}).get("deleted_files", 0) >= n)
            runs.append((cmd, self.purge_prep(r, s, snap, name)))
        after, before = runs
        self.hf_set(wl, [("rm -rf (identical copy)", "rm -rf %s" % q(x), "floor",
                          self.purge_prep(r, x))] +
                    ([(self.before_label("purge"), before[0], "before", before[1])]
                     if before else []) +
                    [("usmt-purge", after[0], "usmtkit", after[1])])

    def w_rss(self):
        if not self.tool("verify"):
            return
        for n in (self.n_small, self.n_linked):
            _, store, restored, _ = self.store_set("linked-%d" % n, n)
            db, rm = self.db("rss")
            self.rss("verify linked %d" % n, self.verify_cmd(store, restored, db), rm)
        d = os.path.join(self.data, "copies-%d" % self.copies)
        if os.path.isdir(d):
            db, rm = self.db("rss")
            self.rss("verify copies %d MiB" % (self.copies >> 20), self.verify_cmd(
                os.path.join(d, "store"), os.path.join(d, "restored"), db), rm)
        lp = os.path.join(self.data, "loadstate-%d.log" % self.logsize)
        if self.tool("report") and os.path.exists(lp):
            self.rss("report %d MiB log" % (self.logsize >> 20), self.report_cmd(lp))

    def w_callgrind(self):
        if not self.tool("verify"):
            return
        _, store, restored, _ = self.store_set("linked-%d" % self.cg_files, self.cg_files)
        db, rm = self.db("cg")
        self.callgrind("verify linked %d files" % self.cg_files,
                       self.verify_cmd(store, restored, db), rm)
        d = os.path.join(self.data, "copies-%d" % self.cg_copies)
        mkdata.make_copies(d, self.cg_copies, 4 << 20, 6)
        self.callgrind("verify copies %d MiB" % (self.cg_copies >> 20), self.verify_cmd(
            os.path.join(d, "store"), os.path.join(d, "restored"), db), rm)
        if self.tool("report"):
            lp = os.path.join(self.data, "loadstate-%d.log" % self.cg_log)
            mkdata.make_log(lp, self.cg_log, 6)
            self.callgrind("report %d MiB log" % (self.cg_log >> 20), self.report_cmd(lp))

    # ---- machine ----------------------------------------------------------
    def machine(self):
        def first(cmd):
            p = sh(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            return (p.stdout.strip().splitlines() or [""])[0]
        cpu = first("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-").strip()
        mem = first("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
        fs = " ".join(first("findmnt -n -o FSTYPE,SOURCE -T %s" % q(self.data)).split())
        self.r["machine"] = {
            "cpu": cpu, "cores": os.cpu_count(), "memory": mem,
            "kernel": platform.release(), "os": first(". /etc/os-release; echo $PRETTY_NAME"),
            "fs": fs, "cc": first("${CC:-cc} --version"),
            # A tree with uncommitted changes is not the commit it names.
            # (The pages the bench writes or copies in do not count.)
            "commit": first("git -C %s rev-parse --short HEAD" % q(self.a.root)) +
            ("" if sh("git -C %s diff --quiet HEAD -- . ':!docs/BENCHMARKS.md' "
                      "':!bench/before-after.md'" % q(self.a.root)).returncode == 0
             else " + uncommitted changes"),
            "perf": first("perf stat -e instructions true 2>&1 | grep -m1 instructions"),
            "tools": {t: first(c) for t, c in [
                ("hyperfine", "hyperfine --version"), ("hashdeep", "hashdeep -V"),
                ("xxhsum", "xxhsum --version 2>&1"), ("b3sum", "b3sum --version"),
                ("rsync", "rsync --version"), ("diff", "diff --version"),
                ("find", "find --version"), ("grep", "grep --version"),
                ("valgrind", "valgrind --version")]},
        }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True, help="results JSON")
    ap.add_argument("--mode", choices=sorted(SIZES), default="full")
    ap.add_argument("--only", default="", help="comma-separated workloads")
    ap.add_argument("--before-bin", help="the earlier build's bin folder")
    ap.add_argument("--before-ref", help="the git ref it was built from")
    ap.add_argument("--before-dir", help="bench/before.sh's folder (commit, error)")
    a = ap.parse_args()
    a.root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.environ["LC_ALL"] = "C"  # the floors' fastest locale (grep, find)
    b = Bench(a)
    b.r["load"] = os.getloadavg()
    b.machine()
    base = None
    if a.only and os.path.exists(a.out):
        # A partial run updates the figures it measured and keeps the others.
        with open(a.out) as f:
            base = json.load(f)
        for k in ("workloads", "rss", "callgrind", "checks", "steps"):
            base.setdefault(k, {}).update(b.r[k])
            b.r[k] = base[k]
    steps = ["linked", "copies", "realistic", "report", "fleet", "purge", "rss", "callgrind"]
    only = [s for s in a.only.split(",") if s] or steps
    for s in steps:
        if s in only:
            t0 = time.time()
            getattr(b, "w_" + s)()
            b.r["steps"][s] = time.time() - t0
    b.r["seconds"] = time.time() - b.r["started"]
    b.r["load"] = [b.r["load"], os.getloadavg()]
    if base is not None and "started" in base:
        # The page keeps the whole run's date, commit and load, and names
        # each partial run after it with what it measured again.
        part = {"only": [s for s in steps if s in only], "started": b.r["started"],
                "seconds": b.r["seconds"], "commit": b.r["machine"]["commit"],
                "load": b.r["load"]}
        for k in ("started", "seconds", "machine", "load"):
            b.r[k] = base[k]
        b.r["partial"] = base.get("partial", []) + [part]
    with open(a.out, "w") as f:
        json.dump(b.r, f, indent=1)
    log("done in %.0f s -> %s" % (b.r["seconds"], a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
