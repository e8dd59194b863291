#!/bin/sh
# Crash safety of usmt-verify: SIGKILL it at many instants (from before its
# database exists to after its last row), re-run it each time. The database
# stays consistent: it passes SQLite's integrity check, an interrupted run
# keeps finished NULL, every finished run holds exactly its files, the next
# run completes with exact counts, and purge trusts only a finished run.
set -e; . "$UK_ROOT/tests/lib.sh"

python3 - "$T" <<'EOF'
import os, sys
T = sys.argv[1]
S = T + "/store/USMT/File/C$/Users"; C = T + "/c/Users"
for f in ("catalog.mig", "MIGSTATE.DAT", "hardlink.main"):
    os.makedirs(T + "/store/USMT", exist_ok=True); open(T + "/store/USMT/" + f, "w").close()
for u in range(4):
    for d in range(10):
        for i in range(50):  # 2000 linked files
            rel = "u%d/Documents/d%d/f%d.txt" % (u, d, i)
            os.makedirs(os.path.dirname(C + "/" + rel), exist_ok=True)
            os.makedirs(os.path.dirname(S + "/" + rel), exist_ok=True)
            open(C + "/" + rel, "w").write("file %s\n" % rel)
            os.link(C + "/" + rel, S + "/" + rel)
    for i in range(10):  # 40 copies of 256 KiB: hashed
        rel = "u%d/AppData/locked%d.dat" % (u, i)
        os.makedirs(os.path.dirname(C + "/" + rel), exist_ok=True)
        os.makedirs(os.path.dirname(S + "/" + rel), exist_ok=True)
        data = bytes([u, i]) * (128 * 1024)
        open(C + "/" + rel, "wb").write(data); open(S + "/" + rel, "wb").write(data)
EOF
DB="$T/store.usmtkit.db"

consistent() { # label
	[ -f "$DB" ] || return 0
	expect_eq "$(sql "$DB" 'PRAGMA integrity_check')" ok "$1: integrity"
	# Killed while the database was being created: no schema yet is fine.
	[ "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'verify_run'")" = 1 ] ||
		return 0
	# A run is either finished with all its rows, or unfinished.
	bad=$(sql "$DB" "SELECT count(*) FROM verify_run r WHERE finished IS NOT NULL AND
		files != (SELECT count(*) FROM entry e WHERE e.run_id = r.id AND e.type = 'file')")
	expect_eq "$bad" 0 "$1: finished runs hold all their files"
	bad=$(sql "$DB" "SELECT count(*) FROM verify_run WHERE finished IS NOT NULL AND result IS NULL")
	expect_eq "$bad" 0 "$1: a finished run has its result"
}

# Kill at instants from "before the database exists" to "after the last row":
# the delays only pick the instants, nothing is asserted about time. Under a
# wrapper (valgrind) everything is some 20 times slower.
delays="0 0.005 0.01 0.02 0.04 0.06 0.08 0.1 0.13 0.16 0.2 0.3 0.5"
[ -z "$UK_RUN" ] || delays="0.4 0.7 1 1.3 1.6 2"
runs=0
for delay in $delays; do
	$UK_RUN "$UK_BIN/usmt-verify$UK_EXE" --root "C=$T/c" --threads 2 --no-progress -q \
		"$T/store" >/dev/null 2>"$T/kill.err" &
	pid=$!
	sleep "$delay"
	kill -KILL $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	consistent "killed after ${delay}s"
	runs=$((runs + 1))
done
note "$runs kills, $(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'verify_run'" |
	sed 's/1/schema created/; s/0/killed before the schema/')"

uk_tool verify --root "C=$T/c" --json "$T/store"
expect_rc 0 "the run after the kills"
expect_eq "$(json files)" 2040 files
expect_eq "$(json verdicts.linked)" 2000 linked
expect_eq "$(json verdicts.identical)" 40 identical
expect_eq "$(json hashed_bytes)" $((2 * 40 * 256 * 1024)) hashed_bytes
good=$(json run_id)
consistent "after a complete run"
# Each run killed before its first database was complete built it under
# "<db>-new": the complete run replaced that leftover and moved its own in.
[ ! -e "$DB-new" ] || die "a killed run's $DB-new is left beside the database"
note "$(sql "$DB" "SELECT count(*) FROM verify_run WHERE finished IS NULL") interrupted runs before it"
expect_eq "$(sql "$DB" "SELECT finished IS NOT NULL, files, result FROM verify_run WHERE id = $good")" \
	"1|2040|ok" "the complete run"

note "an interrupted run after it is never trusted"
$UK_RUN "$UK_BIN/usmt-verify$UK_EXE" --root "C=$T/c" --no-progress -q "$T/store" >/dev/null 2>&1 &
pid=$!
sleep 0.05
kill -KILL $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
consistent "last run killed"
uk_tool purge --dry-run --json "$T/store"
expect_rc 0 "dry-run purge after the interrupted run"
expect_eq "$(json verify_run)" "$(sql "$DB" 'SELECT max(id) FROM verify_run WHERE finished IS NOT NULL')" \
	"purge plans from the last finished run"
[ "$(find "$T/store" -type f | wc -l)" = 2043 ] || die "dry-run changed the store"
