#!/bin/sh
# A database that is not a usmtkit one -- another program's SQLite file, or
# a file that is not SQLite at all -- is refused the same way by all four
# tools (and report --merge): exit 2, one error line naming the file, its
# bytes unchanged. A database from a newer usmtkit stays exit 3.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a" "$C/Users/a" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
printf 'x' >"$C/Users/a/x.txt"; ln "$C/Users/a/x.txt" "$S/Users/a/x.txt"
mkdir -p "$T/dest"

sql "$T/other.db" "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos(name) VALUES('cat.jpg');"
printf 'plain text, not a database\n%.0s' $(seq 1 200) >"$T/text.db"

run_all() { # label expected-rc expected-stderr db
	label=$1; want=$2; msg=$3; db=$4
	before=$(sha256sum <"$db")
	for run in "verify --root C=$C --db $db $T/store" "verify --baseline --db $db $T/store" \
	           "report --db $db" "report --merge $db" \
	           "purge --db $db --dry-run $T/store" "purge --db $db $T/store" \
	           "rescue --same-volume --db $db $T/store $T/dest/r"; do
		# shellcheck disable=SC2086 # the words of $run are the arguments
		uk_tool $run
		expect_rc "$want" "$label: usmt-$run"
		[ "$(grep -c 'error: ' "$err")" = 1 ] || { cat "$err"; die "$label: usmt-$run: not one error line"; }
		grep -q "error: database $db: $msg" "$err" || { cat "$err"; die "$label: usmt-$run: message"; }
		expect_eq "$(sha256sum <"$db")" "$before" "$label: usmt-$run left the file unchanged"
		[ ! -e "$T/dest/r" ] || die "$label: usmt-$run created DEST"
	done
}

run_all "another program's SQLite file" 2 "not a usmtkit database" "$T/other.db"
expect_eq "$(sql "$T/other.db" "SELECT group_concat(name) FROM sqlite_master")" photos "no tables added"
run_all "not SQLite" 2 "file is not a database" "$T/text.db"

# A newer usmtkit's database: a runtime refusal (exit 3), also untouched.
uk_tool verify --root "C=$C" --db "$T/newer.db" "$T/store"
expect_rc 0 "a database of ours"
sql "$T/newer.db" "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99" >/dev/null
run_all "a newer usmtkit's database" 3 "schema version 99 is newer" "$T/newer.db"
