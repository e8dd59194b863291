#!/bin/sh
# A finished verify run prunes older runs nothing needs: kept are the latest
# run of each store set, any run a purge journal names, and unfinished runs.
# The file then stays the same size run after run (SQLite reuses the freed
# pages: no VACUUM needed).
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"; DB="$T/store.usmtkit.db"
mkdir -p "$S/Users/a" "$C/Users/a" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
python3 - "$S/Users/a" "$C/Users/a" <<'PY'
import os, sys
s, c = sys.argv[1], sys.argv[2]
for d in range(30):
    os.makedirs(f"{s}/d{d}"); os.makedirs(f"{c}/d{d}")
    for i in range(100):
        p = f"{c}/d{d}/file number {i}.txt"
        open(p, "w").write(str(i)); os.link(p, f"{s}/d{d}/file number {i}.txt")
PY
run() { uk_tool verify --root "C=$C" --map 'C:\Users\x=C:\Users\y' --json "$T/store"; expect_rc 0 "$1"; }
rows() { sql "$DB" "SELECT (SELECT count(*) FROM entry WHERE run_id = $1) || ' ' ||
	(SELECT count(*) FROM entry_dir WHERE run_id = $1) || ' ' ||
	(SELECT count(*) FROM verify_map WHERE run_id = $1) || ' ' ||
	(SELECT count(*) FROM verify_run_store WHERE run_id = $1) || ' ' ||
	(SELECT count(*) FROM verify_run WHERE id = $1)"; }

run "run 1"
# A purge journal that names run 1 (a read-only pass changes nothing on disk).
uk_tool purge --readonly-only --no-progress "$T/store"
expect_rc 0 "purge journal written"
expect_eq "$(sql "$DB" "SELECT verify_run_id FROM purge_run")" 1 "journal names run 1"
# An interrupted run: never trusted, never pruned.
sql "$DB" "INSERT INTO verify_run(started, version, host, command_line) VALUES('t', 'v', 'h', 'killed')"
run "run 3"
run "run 4"
expect_eq "$(sql "$DB" "SELECT group_concat(id, ' ') FROM verify_run")" "1 2 4" "runs kept"
expect_eq "$(rows 1)" "3000 33 1 1 1" "run 1 kept whole (the journal's)"
expect_eq "$(rows 3)" "0 0 0 0 0" "run 3 pruned from every table"
expect_eq "$(rows 4)" "3000 33 1 1 1" "the latest run"

# While a purge runs (it holds <db>.lock from its gate to its end) nothing is
# pruned: the run it took stays. The next run after it prunes.
holdlock="$UK_BUILD/tests/holdlock$UK_EXE"
[ -x "$holdlock" ] || die "missing $holdlock (make unit-tests)"
mkfifo "$T/hold"
$UK_RUN "$holdlock" "$DB.lock" <"$T/hold" >"$T/ready" &
holder=$!
exec 3>"$T/hold"
n=0
until grep -q locked "$T/ready" 2>/dev/null; do
	n=$((n + 1)); [ $n -lt 600 ] || die "holdlock never took the lock"
	sleep 0.1
done
run "run 5, a purge running"
expect_eq "$(sql "$DB" "SELECT group_concat(id, ' ') FROM verify_run")" "1 2 4 5" "nothing pruned"
exec 3>&-
wait $holder
run "run 6"
expect_eq "$(sql "$DB" "SELECT group_concat(id, ' ') FROM verify_run")" "1 2 6" "pruned after the purge"

# The latest run of another store set is kept too.
S2="$T/store2/USMT/File/D\$"; D="$T/d"
mkdir -p "$S2/x" "$D/x"; cp -a "$T/store/USMT/catalog.mig" "$T/store/USMT/MIGSTATE.DAT" \
	"$T/store/USMT/hardlink.main" "$T/store2/USMT/"
printf 'd' >"$D/x/d.txt"; ln "$D/x/d.txt" "$S2/x/d.txt"
uk_tool verify --root "C=$C" --root "D=$D" --db "$DB" --json "$T/store" "$T/store2"
expect_rc 0 "two-store run"
run "run 8"
expect_eq "$(sql "$DB" "SELECT group_concat(id, ' ') FROM verify_run")" "1 2 7 8" "latest of each set"

# Size: flat after the second run (freed pages reused).
run "warm-up"
pages=$(sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA page_count" | tail -n 1)
for i in 1 2 3 4 5 6; do run "repeat $i"; done
after=$(sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA page_count" | tail -n 1)
note "page_count $pages -> $after after 6 more runs"
[ "$after" -le $((pages + pages / 20)) ] || die "database grew: $pages -> $after pages"
