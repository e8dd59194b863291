#!/bin/sh
# --help, --version, bad options and unreadable input: exit 2, one clear line.
set -e; . "$UK_ROOT/tests/lib.sh"

uk_tool report --help
expect_rc 0 help
expect_out '^Usage: usmt-report'
expect_out -- '--merge'
uk_tool report --version
expect_rc 0 version
expect_out '^usmt-report [0-9]'

one_line() { [ "$(wc -l <"$err")" = 1 ] || { cat "$err"; die "$1: not one line on stderr"; }; }
uk_tool report
expect_rc 2 "nothing to report"; one_line "no arguments"
uk_tool report --bogus x.log
expect_rc 2 "unknown option"; expect_err "unknown option '--bogus'"; one_line bogus
uk_tool report --format pdf "$UK_ROOT/samples/logs/loadstate-clean.log"
expect_rc 2 "bad format"; expect_err "text, json, jsonl, csv, html or cmtrace"; one_line format
uk_tool report --db "$T/a.db" --store "$T/s"
expect_rc 2 "both --db and --store"; one_line both
uk_tool report --format
expect_rc 2 "missing value"; expect_err "needs a value"; one_line value
uk_tool report "$T/no-such.log"
expect_rc 2 "unreadable log"; expect_err "no-such.log"; one_line unreadable
uk_tool report "$T"
expect_rc 2 "a folder"; expect_err "is a folder"; one_line folder
uk_tool report --store "$T/nostore"
expect_rc 2 "no database yet"; expect_err "no such database"; one_line nodb
uk_tool report --merge
expect_rc 2 "merge without databases"; one_line merge
uk_tool report --merge "$T/none.db"
expect_rc 2 "merge: missing database"; one_line "merge missing"

# A database holding nothing to judge is not "nothing at risk".
uk_tool report --db "$T/empty.db" "$UK_ROOT/samples/logs/loadstate-clean.log"
expect_rc 0 "a clean log"
sqlite3 "$T/empty.db" 'DELETE FROM log_file'
uk_tool report --db "$T/empty.db"
expect_rc 2 "nothing to report"; expect_err "nothing to report"; one_line empty

# Not a database: unreadable input, exit 2; one that cannot be created: exit 3.
printf 'not sqlite at all, just text long enough to be a header....................................' >"$T/bad.db"
uk_tool report --db "$T/bad.db"
expect_rc 2 "not a database"; expect_err "bad.db"
uk_tool report --db "$T/no/such/dir/x.db" "$UK_ROOT/samples/logs/loadstate-clean.log"
expect_rc 3 "database cannot be created"

# --output: the report goes to the file, nothing to stdout.
uk_tool report --output "$T/r.json" --format json "$UK_ROOT/samples/logs/loadstate-clean.log"
expect_rc 0 "--output"
[ ! -s "$out" ] || die "--output also wrote to stdout"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["risk"] == "none"' "$T/r.json" || die "--output file"
uk_tool report --output "$T/no/dir/r.txt" "$UK_ROOT/samples/logs/loadstate-clean.log"
expect_rc 2 "--output cannot be created"; expect_err "cannot create"
