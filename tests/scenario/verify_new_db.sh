#!/bin/sh
# A database verify makes is built under "<db>-new" and moved into place
# only once the run is complete and on the disk: nothing half-made is ever
# under the real name, a killed run's leftover is replaced, not read; a
# database that appears meanwhile is never replaced (the run fails and
# prints no result); with the lock held elsewhere, the database is made the
# shared way, in place, as an existing one is written.
set -e; . "$UK_ROOT/tests/lib.sh"
N=20000
case "$UK_RUN" in *valgrind*) N=3000 ;; esac

python3 "$UK_ROOT/tests/helpers/linked-store.py" "$T" "$N" 400
DB="$T/v.db"
V="$UK_BIN/usmt-verify$UK_EXE"

# Waits (in a busy loop: the window is a run's length) until $1 exists.
wait_for() {
	while [ ! -e "$1" ]; do kill -0 "$2" 2>/dev/null || return 1; done
}
published() { # label
	expect_eq "$(sql "$DB" 'PRAGMA journal_mode')" wal "$1: WAL, as every usmtkit database"
	expect_eq "$(sql "$DB" 'PRAGMA integrity_check')" ok "$1: integrity"
	expect_eq "$(sql "$DB" "SELECT files, result FROM verify_run WHERE finished IS NOT NULL")" \
		"$N|ok" "$1: the finished run"
	for f in "$DB-new" "$DB-new-journal" "$DB-new-wal" "$DB-new-shm" "$DB-wal" "$DB-journal"; do
		[ ! -e "$f" ] || die "$1: $f is left"
	done
}

note "a new database: not under its name until complete"
$UK_RUN "$V" --db "$DB" --root "C=$T/c" --json --no-progress "$T/store" >"$T/a.json" 2>"$T/a.err" &
pid=$!
wait_for "$DB-new" $pid || die "the run ended before $DB-new was seen"
[ ! -e "$DB" ] || die "$DB exists while the run builds it"
wait $pid || die "the run failed: $(cat "$T/a.err")"
out="$T/a.json"
expect_eq "$(json verdicts.linked)" "$N" "linked"
published "new"
uk_tool report --db "$DB" --format json
expect_rc 0 "report reads the published database"
expect_eq "$(json verify.files)" "$N" "report: the run it read"
cp "$DB" "$T/first.db"

note "a killed run's leftovers are replaced, never read"
rm -f "$DB" "$DB.lock"
printf 'not a database' >"$DB-new"
printf 'stale journal' >"$DB-new-journal"
uk_tool verify --db "$DB" --root "C=$T/c" --json --no-progress "$T/store"
expect_rc 0 "over leftovers"
published "over leftovers"

note "a database that appears while the run builds its own is never replaced"
rm -f "$DB"
$UK_RUN "$V" --db "$DB" --root "C=$T/c" --json --no-progress "$T/store" >"$T/b.json" 2>"$T/b.err" &
pid=$!
wait_for "$DB-new" $pid || die "the run ended before $DB-new was seen"
cp "$T/first.db" "$DB.tmp" && mv "$DB.tmp" "$DB"
rc=0; wait $pid || rc=$?
expect_eq "$rc" 3 "exit code when the database appeared"
grep -q "appeared while this run wrote its own" "$T/b.err" || { cat "$T/b.err"; die "no reason given"; }
[ ! -s "$T/b.json" ] || { cat "$T/b.json"; die "a result was printed"; }
cmp -s "$DB" "$T/first.db" || die "the database that appeared was changed"
[ ! -e "$DB-new" ] || die "the unpublished $DB-new is left"

note "the lock held elsewhere: made in place, the shared way"
rm -f "$DB"
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "w"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(120)' "$DB.lock" "$T/locked" &
holder=$!
wait_for "$T/locked" $holder || die "the lock holder did not start"
$UK_RUN "$V" --db "$DB" --root "C=$T/c" --json --no-progress "$T/store" >"$T/c.json" 2>"$T/c.err" &
pid=$!
seen=0
while kill -0 $pid 2>/dev/null; do [ ! -e "$DB-new" ] || seen=1; done
[ $seen = 0 ] || die "$DB-new made while another process held the lock"
rc=0; wait $pid || rc=$?
kill $holder 2>/dev/null || true
expect_eq "$rc" 0 "exit code with the lock held: $(cat "$T/c.err")"
published "lock held"
echo ok
