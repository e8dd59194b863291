#!/bin/sh
# --merge --format jsonl writes each machine's lines as it goes: with a fine
# database first and another program's SQLite file (or a missing file) after
# it, the fine machine's "risk":"none" lines were on stdout before the
# refusal (exit 2), a fleet stream with the refused machine simply
# absent. Now every database is opened first: nothing is written then.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
ps_init "$T/m"
ps_linked Users/a/l.txt "linked"
ps_verify
expect_rc 0 clean
good="$S.usmtkit.db"
sqlite3 "$T/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES(1);"
sum=$(sha256sum <"$T/foreign.db")

uk_tool report --merge --format jsonl "$good" "$T/foreign.db"
expect_rc 2 "a foreign database (exit 2 in every tool)"
expect_err "foreign.db: not a usmtkit database"
[ ! -s "$out" ] || { cat "$out"; die "lines written before the refusal"; }
expect_eq "$(sha256sum <"$T/foreign.db")" "$sum" "the foreign database untouched"

uk_tool report --merge --format jsonl "$good" "$T/absent.db"
expect_rc 2 "a missing database"
[ ! -s "$out" ] || { cat "$out"; die "lines written before the refusal"; }
[ ! -e "$T/absent.db" ] || die "the missing database was created"

uk_tool report --merge --format jsonl "$good" "$good"
expect_rc 0 "two fine ones"
expect_eq "$(grep -c '"kind":"machine"' "$out")" 2 "a machine line each"
