#!/usr/bin/env python3
"""A fleet of machine databases for `usmt-report --merge` (standard library only).

  mkfleet.py DIR --machines N [--entries E] [--bin BUILD/bin]

One database is made with the real tools: a small hard-link store of E
entries (E-8 linked, 5 sole copies the restore skipped, 3 modified copies:
sole copies too), `usmt-verify` over it, and `usmt-report --store` reading a
LoadState log with errors on sole-copy files, on linked ones and on a file
the store does not hold. That database is then cloned N times by file copy
plus SQL (fast: no verify per machine), each clone with its own machine name
and verdicts, deterministic from its number i:
  i % 5 == 0   clean: every entry linked, no logged error
  otherwise    i % 9 sole copies (critical), i % 4 read-only linked files
               (medium), the error on the file the store lacks (high)
               on odd i
DIR/dbs/mNNNNN.usmtkit.db are the databases, DIR/fleet.json the expected
per-machine counts (what the SQL made, not what the report says), DIR/list
the database paths one a line.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys

SOLE = 5
MODIFIED = 3


def line(t, level, code, msg):
    return "2024-01-24 %s, %-22s[%s] %s\r\n" % (t, level, code, msg)


def template(d, entries, bindir):
    st = os.path.join(d, "tpl", "USMTMIG")
    root = os.path.join(d, "tpl", "c")
    usmt = os.path.join(st, "USMT")
    os.makedirs(os.path.join(usmt, "File"))
    for n in ("catalog.mig", "MIGSTATE.DAT", "hardlink.main"):
        open(os.path.join(usmt, n), "wb").close()
    rels = ["Users/u%d/Documents/Projekt %02d/file %04d.docx" % (i % 3, i // 20, i)
            for i in range(entries)]
    for i, rel in enumerate(rels):
        s = os.path.join(usmt, "File", "C$", rel)
        r = os.path.join(root, rel)
        os.makedirs(os.path.dirname(s), exist_ok=True)
        os.makedirs(os.path.dirname(r), exist_ok=True)
        body = ("content %d\n" % i).encode() * (1 + i % 7)
        with open(s, "wb") as f:
            f.write(body)
        if i < SOLE:
            continue  # skipped by the restore: the store holds the only copy
        if i < SOLE + MODIFIED:
            with open(r, "wb") as f:
                f.write(body + b"edited after the restore\n")
            continue
        os.link(s, r)
    rc = subprocess.run([os.path.join(bindir, "usmt-verify"), "--root", "C=" + root, st],
                        stdout=subprocess.DEVNULL).returncode
    if rc not in (0, 1):
        sys.exit("mkfleet: usmt-verify exit %d" % rc)
    log = os.path.join(d, "tpl", "loadstate.log")
    with open(log, "w", newline="") as f:
        f.write(line("10:00:00", "Info", "0x000000", "LOADSTATE.EXE Version 10.0.22621"))
        f.write(line("10:00:00", "Info", "0x000000", "USMT Started at 2024/01/24:10:00:00.000"))
        wins = ["C:\\" + rels[i].replace("/", "\\")
                for i in (0, 1, SOLE + MODIFIED, SOLE + MODIFIED + 1)]
        for win in wins + ["C:\\Users\\u0\\AppData\\Local\\Temp\\gone.tmp"]:
            f.write(line("10:00:05", "Error", "0x080000",
                         "Error 5 copying %s [gle=0x00000005]" % win))
        f.write(line("10:00:09", "Info", "0x000000", "USMT Completed at 2024/01/24:10:00:09.000"))
    rc = subprocess.run([os.path.join(bindir, "usmt-report"), "--store", st, log],
                        stdout=subprocess.DEVNULL).returncode
    if rc not in (0, 1):
        sys.exit("mkfleet: usmt-report exit %d" % rc)
    db = st + ".usmtkit.db"
    c = sqlite3.connect(db)
    c.execute("PRAGMA journal_mode = DELETE")  # one file, so a copy is the whole database
    c.close()
    return db


def clone(tpl, path, i):
    shutil.copyfile(tpl, path)
    clean = i % 5 == 0
    sole = 0 if clean else i % 9
    ro = 0 if clean else i % 4
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA synchronous = OFF")
    c.execute("BEGIN")
    name = "PC-%05d" % i
    c.execute("UPDATE verify_run SET host = ?", (name,))
    c.execute("UPDATE progress_log SET computer = ?", (name,))
    at_risk = [r for (r,) in c.execute("SELECT rel FROM entry WHERE sole_copy ORDER BY rel")]
    # A sole copy made safe: restored and linked, as a good restore leaves it.
    for r in at_risk[sole:]:
        c.execute("UPDATE entry SET verdict = 'linked', sole_copy = 0, nlink = 2,"
                  " restored_fid = fid, restored_readonly = 0 WHERE rel = ?", (r,))
    c.execute("UPDATE entry SET readonly = 1 WHERE rel IN (SELECT rel FROM entry"
              " WHERE verdict = 'linked' AND rel NOT IN (%s) ORDER BY rel DESC LIMIT ?)"
              % ",".join("?" * len(at_risk)), at_risk + [ro])
    high = 0 if clean or i % 2 == 0 else 1
    if clean:
        c.execute("DELETE FROM log_event WHERE level = 'error'")
    elif not high:
        c.execute("DELETE FROM log_event WHERE path LIKE '%\\gone.tmp'")
    c.execute("COMMIT")
    c.execute("PRAGMA journal_mode = WAL")  # as usmt-verify leaves its database
    c.close()
    # A logged error on a file made safe is accounted for (linked): no risk.
    return {"machine": name, "critical": sole, "high": high, "medium": ro,
            "risk": "critical" if sole else "high" if high else "medium" if ro else "none"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--machines", type=int, required=True)
    ap.add_argument("--entries", type=int, default=200)
    ap.add_argument("--bin", default="build/bin")
    a = ap.parse_args()
    stamp = os.path.join(a.dir, ".complete")
    params = {"machines": a.machines, "entries": a.entries}
    try:
        with open(stamp) as f:
            if json.load(f) == params:
                return
    except (OSError, ValueError):
        pass
    if os.path.lexists(a.dir):
        shutil.rmtree(a.dir)
    os.makedirs(os.path.join(a.dir, "dbs"))
    tpl = template(a.dir, a.entries, a.bin)
    rows, paths = [], []
    for i in range(a.machines):
        p = os.path.join(a.dir, "dbs", "m%05d.usmtkit.db" % i)
        rows.append(clone(tpl, p, i))
        paths.append(p)
    with open(os.path.join(a.dir, "fleet.json"), "w") as f:
        json.dump(rows, f)
    with open(os.path.join(a.dir, "list"), "w") as f:
        f.write("".join(p + "\n" for p in paths))
    with open(stamp, "w") as f:
        json.dump(params, f)


if __name__ == "__main__":
    main()
