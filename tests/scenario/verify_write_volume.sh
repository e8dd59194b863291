#!/bin/sh
# verify writes about twice its database (the write-ahead log, then the
# checkpoint into the file), not nine times: its INSERTs of 32 rows used to
# copy every page they touched into a statement journal first (a temporary
# file SQLite deletes at once, so only the bytes written show it). The bytes
# are the kernel's count for the tool's process (wchar in /proc/PID/io, which
# a shell receives from each child it reaps).
set -e; . "$UK_ROOT/tests/lib.sh"
N=5000

python3 "$UK_ROOT/tests/helpers/linked-store.py" "$T" "$N"
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
