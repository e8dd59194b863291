#!/bin/sh
# The parsed log tables of one log, for comparing two usmt-report builds:
#   bench/logtables.sh USMT-REPORT LOG >dump.sql
# The log is read into a fresh database and its log tables dumped, minus
# log_file.ingested (the time it was read).
set -eu
db=$(mktemp -d)/t.usmtkit.db
trap 'rm -rf "$(dirname "$db")"' EXIT
"$1" --db "$db" --format json "$2" >/dev/null 2>&1 || [ $? -le 1 ]
sqlite3 "$db" "UPDATE log_file SET ingested = ''" >/dev/null
for t in log_file log_run log_event log_error_summary log_skipped_profile progress_log \
	progress_error log_unknown; do
	sqlite3 "$db" ".dump $t"
done
