#!/bin/sh
# verify's write-ahead log stays bounded however large the store: once the
# log passes UK_VDB_CKPT_WAIT_PAGES a commit waits for a checkpoint, so the
# next transaction starts the log over. Without that, PASSIVE checkpoints
# never caught up and the log grew as large as the database (394 MB beside
# 367 MB at 1 M files). A database of 1 KiB pages (an older file keeps its
# page size) makes 80,000 files enough to show it: the log must stay under
# half the database. Under valgrind a small store only runs the waiting path.
set -e; . "$UK_ROOT/tests/lib.sh"
N=80000
case "$UK_RUN" in *valgrind*) N=6000 ;; esac

python3 "$UK_ROOT/tests/helpers/linked-store.py" "$T" "$N" 400
db="$T/small-pages.db"
sql "$db" "PRAGMA page_size=1024; VACUUM;"
# The log's largest size, sampled while verify runs.
( max=0
  while [ ! -e "$T/done" ]; do
	s=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
	[ "$s" -le "$max" ] || { max=$s; echo "$max" >"$T/maxwal"; }
  done ) &
poll=$!
uk_tool verify --db "$db" --root "C=$T/c" --json --no-progress "$T/store"
: >"$T/done"; wait $poll
expect_rc 0 "all linked"
expect_eq "$(json verdicts.linked)" "$N" "linked files"
expect_eq "$(sql "$db" "PRAGMA page_size")" 1024 "the database kept its 1 KiB pages"
expect_eq "$(sql "$db" "SELECT count(*) FROM entry")" "$N" "rows"
maxwal=$(cat "$T/maxwal" 2>/dev/null || echo 0)
size=$(stat -c %s "$db")
note "largest log $maxwal bytes, database $size bytes"
[ "$maxwal" -gt 0 ] || die "the log was never seen"
case "$UK_RUN" in *valgrind*) exit 0 ;; esac
[ "$maxwal" -lt $((size / 2)) ] || die "the log grew to $maxwal bytes beside a $size-byte database"
