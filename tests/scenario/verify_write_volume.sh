#!/bin/sh
# verify writes about twice its database (the write-ahead log, then the
# checkpoint into the file), not nine times: its INSERTs of 32 rows used to
# copy every page they touched into a statement journal first (a temporary
# file SQLite deletes at once, so only the bytes written show it). The bytes
# are the kernel's count for the tool's process (wchar in /proc/PID/io, which
# a shell receives from each child it reaps).
set -e; . "$UK_ROOT/tests/lib.sh"
N=5000

python3 - "$T" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
S, C = os.path.join(root, "store"), os.path.join(root, "c")
SF = os.path.join(S, "USMT", "File", "C$")
os.makedirs(os.path.join(S, "USMT"))
for f in ("catalog.mig", "MIGSTATE.DAT", "hardlink.main"):
    open(os.path.join(S, "USMT", f), "wb").close()
for i in range(n):
    d = "Users/u%d/Documents/Projekt %03d" % (i // 100 % 4, i // 100)
    if i % 100 == 0:
        os.makedirs(os.path.join(C, d)); os.makedirs(os.path.join(SF, d))
    rel = d + "/file %06d.docx" % i
    open(os.path.join(C, rel), "wb").close()
    os.link(os.path.join(C, rel), os.path.join(SF, rel))
PY
wchar() { awk '/^wchar:/ { print $2 }' /proc/$$/io; }
[ -r /proc/$$/io ] || die "no /proc/PID/io here"
db="$T/v.db"
before=$(wchar)
uk_tool verify --db "$db" --root "C=$T/c" --json --no-progress "$T/store"
after=$(wchar)
expect_rc 0 "all linked"
expect_eq "$(json verdicts.linked)" "$N" "linked files"
expect_eq "$(sql "$db" "SELECT count(*) FROM entry")" "$N" "rows"
size=$(stat -c %s "$db")
wrote=$((after - before))
note "verify wrote $wrote bytes for a $size-byte database"
[ "$wrote" -ge "$size" ] || die "wrote $wrote bytes, less than the database ($size): not counted?"
[ "$wrote" -lt $((size * 4)) ] || die "wrote $wrote bytes for a $size-byte database (> 4 x)"
echo ok
