#!/bin/sh
# report and purge take the same verify run for the same stores: the latest
# finished run covering every store (report, given only --db: every store the
# database knows). Before, report took the latest run of any store.
set -e; . "$UK_ROOT/tests/lib.sh"

DB="$T/machine.usmtkit.db"
for v in A B; do
	S="$T/store$v/USMT/File/C\$"
	mkdir -p "$S/Users/$v" "$T/c/Users/$v"
	: >"$T/store$v/USMT/catalog.mig"; : >"$T/store$v/USMT/MIGSTATE.DAT"
	: >"$T/store$v/USMT/hardlink.main"
	printf '%s' "$v" >"$T/c/Users/$v/f.txt"; ln "$T/c/Users/$v/f.txt" "$S/Users/$v/f.txt"
done
uk_tool verify --root "C=$T/c" --db "$DB" --json "$T/storeA" "$T/storeB"
expect_rc 0 "run 1: both stores, all linked"
# Run 2 covers store A only, and finds a file missing there.
printf 'gone' >"$T/storeA/USMT/File/C\$/Users/A/skipped.txt"
uk_tool verify --root "C=$T/c" --db "$DB" --json "$T/storeA"
expect_rc 1 "run 2: store A only, a file missing"

uk_tool purge --db "$DB" --dry-run --json "$T/storeA" "$T/storeB"
purge_run=$(json verify_run)
uk_tool report --db "$DB" --format json
report_run=$(json verify.run_id)
expect_eq "$purge_run" 1 "purge of both stores takes run 1"
expect_eq "$report_run" "$purge_run" "report takes the run purge takes"

# Store A alone: purge takes run 2 and refuses (the missing file).
uk_tool purge --db "$DB" --dry-run --json "$T/storeA"
expect_eq "$(json verify_run)" 2 "purge of store A alone takes run 2"
