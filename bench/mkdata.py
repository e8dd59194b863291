#!/usr/bin/env python3
"""Benchmark data for bench/run.sh (standard library only).

  mkdata.py linked DIR --files N      hard-link store + restored tree, 100 files a folder
  mkdata.py copies DIR --bytes B      store + restored tree of separate 4 MiB copies
  mkdata.py restored DIR --files N    a restored tree only (the purge store is linked
                                      to it before each timed run, see run.sh)
  mkdata.py log FILE --bytes B        LoadState log in USMT's line layout, several runs

Every set is deterministic for a seed and is written once: a `.complete`
stamp holding the parameters makes a second call with the same ones a no-op.

Layout of a store set DIR:
  DIR/store/USMT/{catalog.mig,MIGSTATE.DAT,hardlink.main}
  DIR/store/USMT/File/C$/Users/...    the store entries
  DIR/restored/Users/...              the restored files (verify --root C=DIR/restored)
"""
import argparse
import json
import os
import random
import shutil
import sys
import time

PER_DIR = 100
USERS = ["alice", "bob", "carol", "dmitri", "elena", "farid", "grace", "hiro"]
KINDS = [("Documents", ".docx"), ("Documents", ".xlsx"), ("Desktop", ".lnk"),
         ("Pictures", ".jpg"), ("AppData/Roaming/Microsoft/Signatures", ".htm"),
         ("Documents", ".pdf"), ("Downloads", ".txt")]


def stamp_ok(d, params):
    try:
        with open(os.path.join(d, ".complete")) as f:
            return json.load(f) == params
    except (OSError, ValueError):
        return False


def stamp_write(d, params):
    with open(os.path.join(d, ".complete"), "w") as f:
        json.dump(params, f)


def fresh(d):
    if os.path.lexists(d):
        shutil.rmtree(d)
    os.makedirs(d)


def store_skeleton(d):
    usmt = os.path.join(d, "store", "USMT")
    os.makedirs(os.path.join(usmt, "File", "C$"))
    for name in ("catalog.mig", "MIGSTATE.DAT", "hardlink.main"):
        with open(os.path.join(usmt, name), "wb") as f:
            f.write(b"\0" * 64)
    os.makedirs(os.path.join(d, "restored"))
    return os.path.join(usmt, "File", "C$")


def small_size(rng):
    """Small user files: log-normal, median 2 KiB, capped at 64 KiB, 2% empty."""
    if rng.random() < 0.02:
        return 0
    return min(int(rng.lognormvariate(7.6, 1.2)), 65536)


def small_tree(rng, n):
    """(rel_path, size) for n small files, PER_DIR a folder."""
    pool = 1 << 20
    for i in range(n):
        folder = i // PER_DIR
        user = USERS[folder % len(USERS)]
        sub, ext = KINDS[folder % len(KINDS)]
        rel = "Users/%s/%s/Projekt %04d/file %06d%s" % (user, sub, folder, i, ext)
        yield rel, small_size(rng), rng.randrange(pool)


def make_linked(d, files, seed, link=True):
    params = {"kind": "linked" if link else "restored", "files": files, "seed": seed}
    if stamp_ok(d, params):
        return
    fresh(d)
    cdir = store_skeleton(d) if link else None
    if not link:
        os.makedirs(os.path.join(d, "restored"))
    rng = random.Random(seed)
    blob = rng.randbytes((1 << 20) + 65536)
    made = set()
    for rel, size, off in small_tree(rng, files):
        rdst = os.path.join(d, "restored", rel)
        parent = os.path.dirname(rel)
        if parent not in made:
            os.makedirs(os.path.dirname(rdst), exist_ok=True)
            if link:
                os.makedirs(os.path.join(cdir, parent), exist_ok=True)
            made.add(parent)
        with open(rdst, "wb") as f:
            f.write(blob[off:off + size])
        if link:
            os.link(rdst, os.path.join(cdir, rel))
    stamp_write(d, params)


def make_copies(d, total, size, seed):
    params = {"kind": "copies", "bytes": total, "size": size, "seed": seed}
    if stamp_ok(d, params):
        return
    fresh(d)
    cdir = store_skeleton(d)
    rng = random.Random(seed)
    for i in range(total // size):
        rel = "Users/%s/Videos/Aufnahmen %02d/clip %04d.mp4" % (
            USERS[i % len(USERS)], i // PER_DIR, i)
        data = rng.randbytes(size)
        for root in (cdir, os.path.join(d, "restored")):
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
    stamp_write(d, params)


# ---- LoadState log ------------------------------------------------------
# Line layout (USMT-FACTS.md): "YYYY-MM-DD HH:MM:SS, <level padded to 22>[0xHHHHHH] msg",
# optional "[gle=0xHHHHHHHH]" suffix, continuation lines without the prefix.

def _lvl(level):
    return level.ljust(22)


class LogWriter:
    """Writes UTF-8 lines with CRLF (USMT runs on Windows) and counts bytes."""

    def __init__(self, f, rng):
        self.f = f
        self.rng = rng
        self.t = 1706130000  # 2024-01-24 21:00 UTC, advanced now and then
        self.stamp = ""
        self.bytes = 0

    def ts(self):
        if not self.stamp or self.rng.random() < 0.01:
            self.t += 1
            self.stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.t))
        return self.stamp

    def line(self, level, comp, msg, gle=None):
        s = "%s, %s[0x%06x] %s" % (self.ts(), _lvl(level), comp, msg)
        if gle is not None:
            s += "[gle=0x%08x]" % gle
        self.raw(s)

    def raw(self, s):
        b = (s + "\r\n").encode("utf-8")
        self.f.write(b)
        self.bytes += len(b)


def _winpath(rng):
    user = rng.choice(USERS)
    sub, ext = rng.choice(KINDS)
    name = rng.choice(["Angebot", "Quarterly report", "Résumé", "日本語メモ", "budget (2)",
                       "IMG_%04d" % rng.randrange(10000), "notes [draft]", "Ü & ß"])
    return "C:\\Users\\%s\\%s\\%s %d%s" % (user, sub.replace("/", "\\"), name,
                                           rng.randrange(100000), ext)


def _run(w, rng, target, aborted):
    """One LoadState run, about `target` bytes, appended to the log."""
    start = w.bytes
    w.line("Info", 0, "LOADSTATE.EXE Version 10.0.19041", 0xb7)
    w.line("Info", 0, "USMT Started at 2024/01/24:21:%02d:07.851" % rng.randrange(60))
    w.line("Info", 0, "Command line: loadstate.exe C:\\USMTMIG /i:MigDocs.xml /i:MigApp.xml "
           "/c /hardlink /nocompress /lac /v:13 /l:C:\\Windows\\CCM\\Logs\\loadstate.log "
           "/progress:C:\\Windows\\CCM\\Logs\\loadstateprogress.log")
    errors = 0
    codes = {}
    while w.bytes - start < target:
        r = rng.random()
        p = _winpath(rng)
        if r < 0.30:
            w.line("Info", 0x080000, "Creating stream copy in C:\\Users\\%s\\AppData\\Local\\"
                   "Temp\\tmp%04X.tmp\\Temp\\tmp%04X.tmp (%d bytes)" % (
                       rng.choice(USERS), rng.randrange(65536), rng.randrange(65536),
                       rng.randrange(1, 1 << 20)))
        elif r < 0.55:
            w.line("Info", 0x080000, "Apply: creating hard link for %s" % p)
        elif r < 0.75:
            w.line("Info", 0x0803a6, "Processing %s [%s]" % (p.rsplit("\\", 1)[0],
                                                             p.rsplit("\\", 1)[1]))
        elif r < 0.88:
            w.line("Status", 0x080046, "Applying settings for component "
                   "Microsoft-Windows-%s" % rng.choice(["Shell", "IE", "TCPIP", "Explorer"]))
        elif r < 0.993:
            w.line("Info", 0x080000, "Transferring object {\"%s\"} to {\"%s\"}" % (p, p), 0)
            if rng.random() < 0.05:
                w.raw("    Object attributes: 0x%08x, size %d" % (
                    rng.randrange(1 << 16), rng.randrange(1 << 24)))
        elif r < 0.997:
            w.line("Warning", 0x08080e, "Could not apply the attributes of %s. "
                   "Error 5" % p, 5)
        else:
            code = rng.choice([32, 33, 5, 395, 112, 1920])
            codes[code] = codes.get(code, 0) + 1
            errors += 1
            w.line("Error", 0x080201, "Read error %d for %s. Windows error %d" % (
                code, p, code), code)
    if rng.random() < 0.5:
        sid = "S-1-5-21-91555185-1181623535-1233803906-%d" % rng.randrange(1000, 9999)
        w.line("Warning", 0x0803ba, "Found valid profile but can't get user credentials. "
               "Will ignore due to error code: 0x00000534 User SID: %s" % sid, 0xcb)
    if aborted:
        w.line("Error", 0, "Unable to process object %s -> 733, aborting..." % _winpath(rng))
        w.line("Error", 0, "Migration failed to complete successfully")
        return
    w.line("Info", 0, "Success, %d errors ignored. See the log for more information." % errors,
           0x91)
    w.line("Info", 0, "USMT Completed at 2024/01/24:21:44:51.690", 0x91)
    if codes:
        w.line("Info", 0, "----------------------------------- USMT ERROR SUMMARY "
               "-----------------------------------")
        w.line("Info", 0, "* One or more errors were encountered in migration "
               "(ordered by first occurence)")
        w.line("Info", 0, "+" + "-" * 89)
        w.line("Info", 0, "|    Error Code | Caused Abort | Recurrence | First Occurence")
        for code, n in sorted(codes.items()):
            w.line("Info", 0, "| %13d | %12s | %10d | Read error %d for %s" % (
                code, "No", n, code, _winpath(rng)[:40] + "..."))
        w.line("Info", 0, "+" + "-" * 89)


def make_log(path, total, seed, runs=8):
    params = {"kind": "log", "bytes": total, "seed": seed, "runs": runs}
    stamp = path + ".complete"
    try:
        with open(stamp) as f:
            if json.load(f) == params and os.path.exists(path):
                return
    except (OSError, ValueError):
        pass
    rng = random.Random(seed)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb", buffering=1 << 20) as f:
        w = LogWriter(f, rng)
        for i in range(runs):
            # The first run aborts and is retried, as in the field.
            _run(w, rng, total // runs, aborted=(i == 0))
    with open(stamp, "w") as f:
        json.dump(params, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["linked", "copies", "restored", "log"])
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=100000)
    ap.add_argument("--bytes", type=int, default=1 << 30)
    ap.add_argument("--file-size", type=int, default=4 << 20)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    if a.kind == "linked":
        make_linked(a.out, a.files, a.seed)
    elif a.kind == "restored":
        make_linked(a.out, a.files, a.seed, link=False)
    elif a.kind == "copies":
        make_copies(a.out, a.bytes, a.file_size, a.seed)
    else:
        make_log(a.out, a.bytes, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
