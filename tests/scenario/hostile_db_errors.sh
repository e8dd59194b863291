#!/bin/sh
# SQLite failing under the tools: a database locked by another process, a
# read-only (immutable) database, and a full disk (a file-size limit). Each
# gives one clear error and exit 3; verify leaves its run unfinished; purge
# deletes nothing it could not journal, and once the disk has room again a
# re-run finishes with every restored byte and read-only bit intact. A
# usmtkit database with a table renamed by hand fails every statement that
# names it: each tool says so in exactly one line and exits 3.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
command -v chattr >/dev/null || die "chattr is not installed (scripts/deps.sh test)"

ps_init "$T/m"
i=0
while [ $i -lt 60 ]; do
	ps_linked "Users/u$((i % 3))/Documents/f$i.txt" "file $i"
	i=$((i + 1))
done
ps_readonly Users/u0/ro.txt "read-only"
ps_verify
expect_rc 0 "first verify"
DB="$S.usmtkit.db"
store=$(ps_snap "$S"); restored=$(ps_snap "$C")
# lib.sh's clean-up, and never leave an immutable file or a lock holder behind.
trap 'rc=$?; chattr -i "$DB" 2>/dev/null; [ -z "${holder:-}" ] || kill "$holder" 2>/dev/null
if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT

one_clear_line() { # label
	[ "$(wc -l <"$err")" -ge 1 ] || die "$1: no error line"
	grep -q "error: " "$err" || { cat "$err"; die "$1: no 'error:' line"; }
	! grep -qi "segmentation\|assert\|abort" "$err" || { cat "$err"; die "$1: crashed"; }
}

note "a database locked by another process"
mkfifo "$T/hold"
sqlite3 "$DB" <"$T/hold" >/dev/null 2>&1 &
holder=$!
exec 7>"$T/hold"
printf '.timeout 30000\nBEGIN EXCLUSIVE;\nINSERT INTO meta VALUES (%s, %s);\n' "'held'" "'1'" >&7
# Wait until the lock is really held (the delay only polls, nothing is timed).
n=0
while sqlite3 "$DB" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null; do
	n=$((n + 1)); [ $n -lt 200 ] || die "could not lock the database"; sleep 0.05
done
ps_verify
expect_rc 3 "verify on a locked database"
one_clear_line "verify locked"
expect_err "locked"
uk_tool purge "$S"
expect_rc 3 "purge on a locked database"
one_clear_line "purge locked"
expect_eq "$(ps_snap "$S")" "$store" "store after a purge on a locked database"
exec 7>&-
wait $holder 2>/dev/null || true
holder=""

note "a read-only database"
chattr +i "$DB"
ps_verify
expect_rc 3 "verify on a read-only database"
one_clear_line "verify read-only"
uk_tool purge "$S"
expect_rc 3 "purge on a read-only database"
one_clear_line "purge read-only"
chattr -i "$DB"
expect_eq "$(ps_snap "$S")" "$store" "store after a purge on a read-only database"
expect_eq "$(sql "$DB" 'PRAGMA integrity_check')" ok "integrity after read-only"

# A file-size limit with SIGXFSZ ignored: writes past it fail with EFBIG,
# as on a full disk (no mount needed).
limited() { # bytes tool args...
	lim=$1; tool=$2; shift 2
	(trap '' XFSZ; exec prlimit --fsize="$lim" $UK_RUN "$UK_BIN/usmt-$tool$UK_EXE" "$@") \
		>"$T/out" 2>"$T/err" && rc=0 || rc=$?
	out="$T/out"; err="$T/err"
}

note "a full disk: verify"
rm -f "$DB" "$DB-wal" "$DB-shm"
limited 8192 verify --root "C=$C" "$S"
expect_rc 3 "verify when the database cannot grow"
one_clear_line "verify disk full"
if [ "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'verify_run'")" = 1 ]; then
	expect_eq "$(sql "$DB" 'SELECT count(*) FROM verify_run WHERE finished IS NOT NULL')" 0 \
		"no finished run on a full disk"
fi
ps_verify
expect_rc 0 "verify once there is room"

note "a full disk at several points of a purge: it stops, nothing lost; the re-run finishes"
# From "no room for the plan" to "room for everything": whatever the point
# of failure, exit 3, the restored tree intact, and a re-run completes.
failed=0
limits="16384 20480 24576 28672 32768 40960 65536"
[ -z "$UK_RUN" ] || limits="16384 24576 32768" # valgrind: a few points suffice
for lim in $limits; do
	ps_init "$T/p$lim"
	i=0
	while [ $i -lt 60 ]; do
		ps_linked "Users/u$((i % 3))/Documents/f$i.txt" "file $i"
		i=$((i + 1))
	done
	ps_readonly Users/u0/ro.txt "read-only"
	ps_verify
	expect_rc 0 "verify for the $lim-byte purge"
	restored=$(ps_snap "$C")
	limited $lim purge "$S"
	case $rc in
	0) ;;
	3) one_clear_line "purge limited to $lim bytes"
	   failed=$((failed + 1)) ;;
	*) cat "$err"; die "purge limited to $lim bytes: exit $rc" ;;
	esac
	expect_eq "$(ps_snap "$C")" "$restored" "restored tree after a purge limited to $lim bytes"
	expect_eq "$(sql "$S.usmtkit.db" 'PRAGMA integrity_check')" ok "integrity ($lim bytes)"
	uk_tool purge --json "$S"
	expect_rc 0 "re-run after a purge limited to $lim bytes"
	[ ! -e "$S" ] || die "store still there after the re-run ($lim bytes)"
	expect_eq "$(ps_snap "$C")" "$restored" "restored tree after the re-run ($lim bytes)"
	expect_eq "$(stat -c %A "$C/Users/u0/ro.txt")" -r--r--r-- "read-only bit ($lim bytes)"
done
[ $failed -gt 0 ] || die "no file-size limit made purge fail: the test proves nothing"
note "$failed of $(echo $limits | wc -w) limited purges failed cleanly"

note "a table renamed by hand: every tool, one 'database:' line naming it, exit 3"
for table in entry verify_run store; do
	ps_init "$T/t$table"
	ps_linked Users/u/a.txt "linked"
	ps_sole Users/u/sole.txt "sole copy"
	ps_verify
	expect_rc 1 "verify before renaming $table"
	DB="$S.usmtkit.db"
	sql "$DB" "ALTER TABLE $table RENAME TO renamed_by_hand"
	store=$(ps_snap "$S")
	for run in "verify --root C=$C $S" "report --db $DB" "report --format json --db $DB" \
	           "report --format html --db $DB" "report --merge $DB" \
	           "report --format csv --merge $DB" "purge --dry-run $S" "purge $S" \
	           "rescue --same-volume $S $T/t$table/dest"; do
		# shellcheck disable=SC2086 # the words of $run are the arguments
		uk_tool $run
		expect_rc 3 "$table renamed: usmt-$run"
		one_clear_line "$table renamed: usmt-$run"
		[ "$(grep -c 'error: ' "$err")" = 1 ] && [ "$(wc -l <"$err")" = 1 ] ||
			{ cat "$err"; die "$table renamed: usmt-$run: not exactly one line"; }
		grep -q "error: database.*: no such table: $table" "$err" ||
			{ cat "$err"; die "$table renamed: usmt-$run: the line does not name the error"; }
	done
	expect_eq "$(ps_snap "$S")" "$store" "store after the tools on a renamed $table"
	[ ! -e "$T/t$table/dest" ] || die "rescue copied with $table renamed"
done
# Tables only report reads (verify, purge and rescue do not need them).
for table in verify_map log_file; do
	ps_init "$T/r$table"
	ps_sole Users/u/sole.txt "sole copy"
	ps_verify
	DB="$S.usmtkit.db"
	sql "$DB" "ALTER TABLE $table RENAME TO renamed_by_hand"
	for run in "report --db $DB" "report --format jsonl --db $DB" \
	           "report --format cmtrace --merge $DB" "report --format html --merge $DB"; do
		# shellcheck disable=SC2086 # the words of $run are the arguments
		uk_tool $run
		expect_rc 3 "$table renamed: usmt-$run"
		[ "$(grep -c 'error: ' "$err")" = 1 ] && [ "$(wc -l <"$err")" = 1 ] ||
			{ cat "$err"; die "$table renamed: usmt-$run: not exactly one line"; }
		grep -q "error: database: no such table: $table" "$err" ||
			{ cat "$err"; die "$table renamed: usmt-$run: the line does not name the error"; }
	done
done
