#!/usr/bin/env python3
"""Scale data for bench/scale.sh (standard library only).

  mkscale.py all DIR --files N     restored tree + hard-link store
  mkscale.py store DIR --files N   the store again, over the existing restored tree
                                   (a purge deleted the previous one)
  mkscale.py expect DIR --files N  prints "files links copies bytes" of the set

Layout, 100 files a folder, tiny files (0-1023 bytes, so a million fit in ~4 GiB
of blocks):
  DIR/restored/Users/<user>/Documents/Ordner NNNNN/datei NNNNNNN.txt
  DIR/store/USMT/{catalog.mig,MIGSTATE.DAT,hardlink.main}
  DIR/store/USMT/File/C$/Users/...   a hard link to each restored file, except
                                     every COPY_EVERY-th, a separate copy (same bytes)
So verify must find N - N/COPY_EVERY `linked` and N/COPY_EVERY `identical`, and
purge must delete N files and the whole store.
"""
import argparse
import os
import sys

PER_DIR = 100
COPY_EVERY = 1000
USERS = ["alice", "bob", "carol", "dmitri", "elena", "farid", "grace", "hiro"]
CONTROL = ("catalog.mig", "MIGSTATE.DAT", "hardlink.main")


def folders(n):
    """(folder rel path, first index, last index + 1) for n files."""
    for f in range((n + PER_DIR - 1) // PER_DIR):
        rel = "Users/%s/Documents/Ordner %05d" % (USERS[f % len(USERS)], f)
        yield rel, f * PER_DIR, min(n, (f + 1) * PER_DIR)


def name(i):
    return "datei %07d.txt" % i


def content(i):
    size = (i * 37) % 1024
    line = b"%07d\n" % i
    return (line * (size // len(line) + 1))[:size]


def is_copy(i):
    return i % COPY_EVERY == COPY_EVERY - 1


def skeleton(d):
    usmt = os.path.join(d, "store", "USMT")
    os.makedirs(os.path.join(usmt, "File", "C$"))
    for c in CONTROL:
        with open(os.path.join(usmt, c), "wb") as f:
            f.write(b"\0" * 64)
    return os.path.join(usmt, "File", "C$")


def make(d, n, restored):
    """Writes the store (and, when restored is true, the restored tree first, in the
    same pass: one walk of the names)."""
    cdir = skeleton(d)
    rroot = os.path.join(d, "restored")
    for rel, lo, hi in folders(n):
        rdir = os.path.join(rroot, rel)
        sdir = os.path.join(cdir, rel)
        if restored:
            os.makedirs(rdir)
        os.makedirs(sdir)
        for i in range(lo, hi):
            nm = name(i)
            rp = os.path.join(rdir, nm)
            if restored:
                with open(rp, "wb") as f:
                    f.write(content(i))
            if is_copy(i):
                with open(os.path.join(sdir, nm), "wb") as f:
                    f.write(content(i))
            else:
                os.link(rp, os.path.join(sdir, nm))


def expect(n):
    copies = sum(1 for i in range(n) if is_copy(i))
    total = sum((i * 37) % 1024 for i in range(n))
    return n, n - copies, copies, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["all", "store", "expect"])
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, required=True)
    a = ap.parse_args()
    if a.what == "expect":
        print("%d %d %d %d" % expect(a.files))
    elif a.what == "all":
        os.makedirs(a.dir)
        make(a.dir, a.files, True)
    else:
        make(a.dir, a.files, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
