#!/bin/sh
# --db naming an SQLite file of another program is refused (exit 2) and left
# untouched, by every tool through common/db.c; a new or empty file is
# initialised.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a" "$C/Users/a" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
printf 'x' >"$C/Users/a/x.txt"; ln "$C/Users/a/x.txt" "$S/Users/a/x.txt"

sql "$T/other.db" "CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos(name) VALUES('cat.jpg');"
before=$(sha256sum <"$T/other.db")
uk_tool verify --root "C=$C" --db "$T/other.db" "$T/store"
expect_rc 2 "foreign database refused"
expect_err "other.db: not a usmtkit database"
expect_eq "$(wc -l <"$err")" 1 "one line"
expect_eq "$(sha256sum <"$T/other.db")" "$before" "file unchanged"
expect_eq "$(sql "$T/other.db" "SELECT group_concat(name) FROM sqlite_master")" photos "no tables added"

uk_tool purge --db "$T/other.db" --dry-run "$T/store"
expect_rc 2 "purge on a foreign database"
expect_err "not a usmtkit database"
expect_eq "$(sql "$T/other.db" "SELECT group_concat(name) FROM sqlite_master")" photos "purge added nothing"

# Not SQLite at all: refused the same way.
printf 'plain text, not a database\n%.0s' $(seq 1 200) >"$T/text.db"
uk_tool verify --root "C=$C" --db "$T/text.db" "$T/store"
expect_rc 2 "not SQLite"

# An empty file and a new file are initialised.
: >"$T/empty.db"
uk_tool verify --root "C=$C" --db "$T/empty.db" "$T/store"
expect_rc 0 "empty file initialised"
expect_eq "$(sql "$T/empty.db" "PRAGMA user_version")" 3 "schema"
uk_tool verify --root "C=$C" --db "$T/new.db" "$T/store"
expect_rc 0 "new file created"
uk_tool verify --root "C=$C" --db "$T/new.db" "$T/store"
expect_rc 0 "own database opened again"
