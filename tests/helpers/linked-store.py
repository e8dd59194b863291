#!/usr/bin/env python3
"""A hard-link store of N empty files and the restored drive they link to:
   linked-store.py ROOT N [PER_FOLDER]
makes ROOT/store (USMT/File/C$/...) and ROOT/c, PER_FOLDER files a folder
(default 100) in "Users/uK/Documents/Projekt NNN", four users in turn."""
import os
import sys

root, n = sys.argv[1], int(sys.argv[2])
per = int(sys.argv[3]) if len(sys.argv) > 3 else 100
S, C = os.path.join(root, "store"), os.path.join(root, "c")
SF = os.path.join(S, "USMT", "File", "C$")
os.makedirs(os.path.join(S, "USMT"))
for f in ("catalog.mig", "MIGSTATE.DAT", "hardlink.main"):
    open(os.path.join(S, "USMT", f), "wb").close()
for i in range(n):
    d = "Users/u%d/Documents/Projekt %03d" % (i // per % 4, i // per)
    if i % per == 0:
        os.makedirs(os.path.join(C, d))
        os.makedirs(os.path.join(SF, d))
    rel = d + "/file %06d.docx" % i
    open(os.path.join(C, rel), "wb").close()
    os.link(os.path.join(C, rel), os.path.join(SF, rel))
