#!/bin/sh
# --merge reads its databases and never writes them: every input file, and
# every file beside it, is byte-identical after any run, refused or not, in
# every format. A 0-byte input was turned into a usmtkit database before it
# was refused; a database with a WAL verify left behind (killed) was
# checkpointed into the main file and its WAL deleted. And every input is
# checked before the first line is written: a database with nothing to judge
# (its only verify run never finished) after a fine one left the fine
# machine's jsonl lines on stdout before the refusal.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
ps_init "$T/m"
ps_linked Users/a/l.txt "linked"
ps_verify
expect_rc 0 clean
I="$T/in"
mkdir "$I"
cp "$S.usmtkit.db" "$I/good.db"
: >"$I/empty.db"
sqlite3 "$I/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES(1);"
printf 'not a database\n' >"$I/text.db"
mkdir "$I/folder.db"
cp "$S.usmtkit.db" "$I/newer.db"
sql "$I/newer.db" "PRAGMA user_version = 99"
cp "$S.usmtkit.db" "$I/unfinished.db"
sql "$I/unfinished.db" "UPDATE verify_run SET finished = NULL"
# A WAL left behind by a writer that died: the run's end is in the WAL only,
# so a reader that ignored the WAL would judge a finished run.
cp "$S.usmtkit.db" "$I/wal.db"
python3 - "$I/wal.db" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("UPDATE verify_run SET finished = NULL")
c.commit()
os._exit(0)  # no close: the WAL stays, as a killed usmt-verify leaves it
PY
[ -s "$I/wal.db-wal" ] || die "no WAL left behind"
# wal.db-shm is left out: it is SQLite's shared lock index, which every
# reader of a WAL database writes (its read marks), no data.
snap() { ps_snap "$I" | grep -v 'wal\.db-shm$'; }
snap >"$T/before"

untouched() {
	snap >"$T/after"
	diff "$T/before" "$T/after" || die "$1: an input changed"
}

for fmt in text json jsonl csv html cmtrace; do
	uk_tool report --merge --format "$fmt" "$I/good.db"
	expect_rc 0 "$fmt: the fine database alone"
	untouched "$fmt: good.db"
	for bad in empty foreign text folder unfinished wal newer; do
		want=2
		[ "$bad" = newer ] && want=3 # a newer schema: exit 3, as every tool says
		uk_tool report --merge --format "$fmt" "$I/good.db" "$I/$bad.db"
		expect_rc $want "$fmt: good.db then $bad.db"
		[ ! -s "$out" ] || { cat "$out"; die "$fmt: $bad.db: written before the refusal"; }
		untouched "$fmt: $bad.db"
	done
done
uk_tool report --merge "$I/good.db" "$I/empty.db"
expect_err "empty.db: an empty file, not a usmtkit database"
uk_tool report --merge "$I/good.db" "$I/wal.db"
expect_err "wal.db holds no log and no finished verify run (verify run 1 never finished)"
uk_tool report --merge "$I/good.db" "$I/folder.db"
expect_err "folder.db: a folder, not a usmtkit database"
untouched "messages"
