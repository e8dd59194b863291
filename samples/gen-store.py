#!/usr/bin/env python3
"""Generate a realistic USMT hard-link store and the restored C: drive.

    gen-store.py --out DIR --files N --seed S [--users K]

creates DIR/store (a hard-link store: USMT/File/C$/..., catalog.mig,
MIGSTATE.DAT, hardlink.main) and DIR/c (the restored C: drive, with a
Windows.old that still links some files), using real hard links, as LoadState
leaves them after a refresh. Most files are linked; some were copied into the
store (locked files), some were skipped by LoadState (missing), some were
edited after restore (replaced by save-to-temp-and-rename, or edited in place),
some are read-only, empty, Unicode- or awkwardly named, or deeper than 260
characters. DIR/manifest.json says what was made and the exact verdict counts
`usmt-verify --root C=DIR/c --exclude PATTERN` must report (PATTERN is in the
manifest). The same seed gives the same tree. Standard library only.
"""
import argparse
import json
import os
import random
import sys

EXCLUDE = r"C:\Users\* [ntuser.dat.LOG*]"

USERS = ["alice", "bob.smith", "José", "chen.wei", "o'connor", "admin-kiosk", "ünal", "maria"]
FOLDERS = [
    ("Documents", ["Report {n}.docx", "Budget [final] & v{n}.xlsx", "Résumé {n}.pdf",
                   "Отчёт {n}.docx", "notes $ {n}.txt", "契約書 {n}.pdf", "scan ({n}).tif"]),
    ("Desktop", ["todo {n}.txt", "shortcut {n}.lnk", "emoji 😀 party {n}.png",
                 "Quarterly#{n}.pptx"]),
    ("Pictures", ["IMG_{n:04d}.JPG", "Vacation Été {n}.jpg", "family & friends {n}.heic"]),
    ("AppData/Roaming/Microsoft/Signatures", ["sig {n}.htm"]),
    ("AppData/Local/Google/Chrome/User Data/Default", ["Bookmarks {n}", "Preferences {n}"]),
    ("Music/Playlists", ["mix {n}.m3u"]),
]
DEEP = ["Projects", "Client Deliverables 2023 - Final Versions", "Engineering Review Board Minutes",
        "Subsystem Integration Test Reports", "Appendix B - Measurement Raw Data Files",
        "Calibration Records for Lab Instruments"]

# Shares of the population; the rest is linked.
KINDS = [("copy", 0.04), ("copy_edited", 0.015), ("missing", 0.03),
         ("renamed", 0.03), ("renamed_same_size", 0.01)]


def pick_kind(rng):
    x = rng.random()
    for kind, share in KINDS:
        if x < share:
            return kind
        x -= share
    return "linked"


def pick_size(rng, big_left):
    x = rng.random()
    if x < 0.03:
        return 0, big_left
    if big_left > 0 and x > 0.997:
        return rng.randint(1 << 20, 3 << 20), big_left - 1
    if x > 0.88:
        return rng.randint(8 << 10, 64 << 10), big_left
    return rng.randint(1, 6000), big_left


class Gen:
    def __init__(self, out, seed, users):
        self.out = os.path.abspath(out)
        self.rng = random.Random(seed)
        self.users = USERS[:users]
        self.store_file = os.path.join(self.out, "store", "USMT", "File", "C$")
        self.c = os.path.join(self.out, "c")
        self.verdicts = dict.fromkeys(
            ["linked", "identical", "modified", "missing", "unreadable", "excluded",
             "corrupt", "changed-since-capture", "lost-since-capture"], 0)
        self.files = self.bytes = self.sole = self.readonly = self.copies = 0
        self.hashed = self.long_paths = self.windows_old = self.case_differs = 0
        self.inplace_linked = 0
        self.attention = []  # every non-ok file: {path, verdict, sole_copy}
        self.used = set()

    def content(self, n):
        return self.rng.randbytes(n)

    @staticmethod
    def write(path, data):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    @staticmethod
    def link(src, dst):
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.link(src, dst)

    def record(self, rel, size, verdict, nlink, readonly):
        win = "C:\\" + rel.replace("/", "\\")
        self.files += 1
        self.bytes += size
        self.verdicts[verdict] += 1
        self.readonly += readonly
        self.copies += nlink == 1
        sole = verdict in ("modified", "missing", "unreadable") and nlink <= 1
        self.sole += sole
        if len(win) > 260:
            self.long_paths += 1
        if verdict not in ("linked", "identical", "excluded"):
            self.attention.append({"path": win, "verdict": verdict, "sole_copy": sole})

    def new_rel(self, user, i):
        rng = self.rng
        while True:
            folder, names = rng.choice(FOLDERS)
            name = rng.choice(names).format(n=rng.randint(1, 10 * (i + 10)))
            parts = ["Users", user, folder]
            if rng.random() < 0.01:
                parts += DEEP  # Windows path well over 260 characters
            rel = "/".join(parts + [name])
            if rel.lower() not in self.used:
                self.used.add(rel.lower())
                return rel

    def one(self, i, big_left):
        rng = self.rng
        user = rng.choice(self.users)
        rel = self.new_rel(user, i)
        size, big_left = pick_size(rng, big_left)
        kind = pick_kind(rng)
        store = os.path.join(self.store_file, rel)
        restored = os.path.join(self.c, rel)
        old = os.path.join(self.c, "Windows.old", rel)
        with_old = rng.random() < 0.4 and kind in ("linked", "missing", "renamed",
                                                   "renamed_same_size")
        readonly = rng.random() < 0.05
        data = self.content(size)
        nlink = 1
        if kind == "linked":
            # Sometimes the restored name differs in case (Windows does not care).
            if rng.random() < 0.02 and rel[-1].isalpha():
                restored = os.path.join(os.path.dirname(restored),
                                        os.path.basename(restored).swapcase())
                self.case_differs += 1
            self.write(restored, data)
            self.link(restored, store)
            nlink = 2
            if size and rng.random() < 0.03:
                # An in-place edit changes the one shared file: still linked.
                with open(restored, "r+b") as f:
                    f.seek(size // 2)
                    f.write(b"\x00")
                self.inplace_linked += 1
            verdict = "linked"
        elif kind in ("copy", "copy_edited"):
            # A locked file ScanState copied; LoadState copied it back.
            self.write(store, data)
            self.write(restored, data)
            verdict = "identical"
            if kind == "copy_edited" and size:
                with open(restored, "r+b") as f:  # edited in place after restore
                    f.seek(size // 2)
                    f.write(bytes([data[size // 2] ^ 0xFF]))
                verdict = "modified"
            self.hashed += 2 * size
        elif kind == "missing":
            self.write(store, data)  # skipped by LoadState /c
            verdict = "missing"
        else:
            # Saved by writing a temp file and renaming: the link is broken and
            # the store keeps the old version.
            self.write(restored, data)
            self.link(restored, store)
            if kind == "renamed_same_size" and size:
                new = bytes([b ^ 0x5A for b in data])
                self.hashed += 2 * size
            else:
                new = self.content(size + rng.randint(1, 500))
            tmp = restored + ".~tmp"
            self.write(tmp, new)
            os.replace(tmp, restored)
            verdict = "modified"
        if with_old:
            self.link(store, old)
            nlink += 1
            self.windows_old += 1
        if readonly:
            os.chmod(store, 0o444)
        self.record(rel, size, verdict, nlink, readonly)
        return big_left

    def specials(self):
        """Per user: ntuser.dat.LOG copies (excluded), an empty folder."""
        for user in self.users:
            for log in ("ntuser.dat.LOG1", "ntuser.dat.LOG2"):
                rel = "Users/%s/%s" % (user, log)
                data = self.content(self.rng.randint(1000, 4000))
                self.write(os.path.join(self.store_file, rel), data)
                self.write(os.path.join(self.c, rel), self.content(len(data)))
                self.record(rel, len(data), "excluded", 1, 0)
            for base in (self.store_file, self.c):
                os.makedirs(os.path.join(base, "Users", user, "Documents", "Empty Folder"),
                            exist_ok=True)

    def markers(self):
        usmt = os.path.join(self.out, "store", "USMT")
        os.makedirs(usmt, exist_ok=True)
        for name, size in (("catalog.mig", 4096), ("MIGSTATE.DAT", 1024), ("hardlink.main", 0)):
            self.write(os.path.join(usmt, name), self.content(size))

    def run(self, n):
        if os.path.exists(self.out) and os.listdir(self.out):
            sys.exit("gen-store.py: %s exists and is not empty" % self.out)
        self.markers()
        os.makedirs(self.store_file, exist_ok=True)
        self.specials()
        big_left = max(1, n // 400)
        for i in range(max(0, n - self.files)):
            big_left = self.one(i, big_left)
        manifest = {
            "store": os.path.join(self.out, "store"),
            "root": "C=" + self.c,
            "exclude": EXCLUDE,
            "files": self.files,
            "bytes": self.bytes,
            "verdicts": self.verdicts,
            "sole_copy": self.sole,
            "readonly": self.readonly,
            "copies": self.copies,
            "hashed_bytes": self.hashed,
            "repaired": 0,
            "result": "ok" if self.files == self.verdicts["linked"] + self.verdicts["identical"]
                      + self.verdicts["excluded"] else "risk",
            "long_paths": self.long_paths,
            "windows_old_links": self.windows_old,
            "case_differs": self.case_differs,
            "inplace_edited_linked": self.inplace_linked,
            "attention": sorted(self.attention, key=lambda a: a["path"]),
        }
        with open(os.path.join(self.out, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=1)
        return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="empty or new folder")
    ap.add_argument("--files", type=int, required=True, help="number of store files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--users", type=int, default=3, help="1 to %d" % len(USERS))
    a = ap.parse_args()
    if not 1 <= a.users <= len(USERS) or a.files < 0:
        ap.error("--users must be 1 to %d and --files >= 0" % len(USERS))
    m = Gen(a.out, a.seed, a.users).run(a.files)
    summary = {k: m[k] for k in ("files", "bytes", "verdicts", "sole_copy", "readonly",
                                 "long_paths")}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
