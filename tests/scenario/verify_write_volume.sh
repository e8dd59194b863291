#!/bin/sh
# verify writes a database it makes once (no log: it is built under a name
# of its own and moved into place), and one that is there about twice (the
# write-ahead log, then the checkpoint into the file), not nine times: its
# INSERTs of 32 rows used to copy every page they touched into a statement
# journal first (a temporary file SQLite deletes at once, so only the bytes
# written show it). The bytes are the kernel's count for the tool's process
# (wchar in /proc/PID/io, which a shell receives from each child it reaps).
set -e; . "$UK_ROOT/tests/lib.sh"
N=5000

python3 "$UK_ROOT/tests/helpers/linked-store.py" "$T" "$N"
wchar() { awk '/^wchar:/ { print $2 }' /proc/$$/io; }
[ -r /proc/$$/io ] || die "no /proc/PID/io here"
db="$T/v.db"
run() { # label: one verify run, its bytes written checked against the database
	before=$(wchar)
	uk_tool verify --db "$db" --root "C=$T/c" --json --no-progress "$T/store"
	after=$(wchar)
	expect_rc 0 "$1: all linked"
	expect_eq "$(json verdicts.linked)" "$N" "$1: linked files"
	expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE run_id = $(json run_id)")" "$N" \
		"$1: rows"
	size=$(stat -c %s "$db")
	wrote=$((after - before))
	note "$1: verify wrote $wrote bytes for a $size-byte database"
	[ "$wrote" -ge "$size" ] || die "$1: wrote $wrote bytes, less than the database ($size): not counted?"
}
run "a new database"
[ "$wrote" -lt $((size * 3 / 2)) ] ||
	die "wrote $wrote bytes for a new $size-byte database (> 1.5 x: a log?)"
[ ! -e "$db-new" ] || die "the file it was built in is still there"
run "the database it made"
[ "$wrote" -lt $((size * 4)) ] || die "wrote $wrote bytes for a $size-byte database (> 4 x)"
echo ok
