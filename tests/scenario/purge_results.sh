#!/bin/sh
# Every outcome of usmt-purge, run twice on fresh stores (--json, then text):
# the result word, the JSON exit_code, the exit status and the text's first
# line tell the same story (docs/usmt-purge.md, EXIT STATUS).
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
command -v chattr >/dev/null || die "chattr is not installed (scripts/deps.sh test)"
trap 'rc=$?; [ -z "${locked:-}" ] || chattr -i "$locked" 2>/dev/null
if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT

# The scenarios: each builds a store in $1 and sets $args.
s_purged() { ps_init "$1"; ps_linked Users/a/a.txt a; ps_verify; args=; }
s_changed() { ps_init "$1"; ps_copy Users/a/c.pst c; ps_verify; printf x >>"$SF/Users/a/c.pst"; args=; }
s_force() { ps_init "$1"; ps_linked Users/a/a.txt a; ps_sole Users/a/s.txt s; ps_verify; args=--force; }
s_scheduled() { ps_init "$1"; ps_linked Users/a/a.txt a; ps_verify; locked="$SF/Users/a/a.txt"
	chattr +i "$locked"; args=; }
s_no_schedule() { s_scheduled "$1"; args=--no-schedule; }
s_gate() { ps_init "$1"; ps_sole Users/a/s.txt s; ps_verify; args=; }
s_no_db() { ps_init "$1"; ps_linked Users/a/a.txt a; args=; }
s_db_readonly() { s_purged "$1"; chattr +i "$S.usmtkit.db"; locked="$S.usmtkit.db"; args=; }
s_dry() { s_purged "$1"; args=--dry-run; }
# A plan that keeps a sole copy is a run that would end kept: exit 1.
s_dry_kept() { s_force "$1"; args="--dry-run --force"; }
s_ro_only() { ps_init "$1"; ps_readonly Users/a/r.txt r; ps_verify; args=--readonly-only; }
s_ro_error() { ps_init "$1"; ps_copy Users/a/r.txt r; chmod a-w "$C/Users/a/r.txt"; ps_verify
	chmod u+w "$C/Users/a/r.txt"; locked="$C/Users/a/r.txt"; chattr +i "$locked"; args=; }
# A database error once files are gone (a trigger refuses the first folder's
# mark): the store is partly deleted, so not "refused, nothing was deleted".
s_midway() { s_purged "$1"; sql "$S.usmtkit.db" "CREATE TRIGGER fail_dir BEFORE UPDATE OF
	state ON purge_step WHEN NEW.phase = 2 BEGIN SELECT RAISE(ABORT, 'injected'); END"; args=; }
# A database error on the entries' first marks: the file is gone, but no
# step says so yet (a state lags its step): not "refused" either, whatever
# the journal counts.
s_midway_entries() { s_purged "$1"; sql "$S.usmtkit.db" "CREATE TRIGGER fail_entry BEFORE
	UPDATE OF state ON purge_step WHEN NEW.phase = 1 BEGIN SELECT RAISE(ABORT, 'injected'); END"
	args=; }
# A database error after the store is gone (re-applying read-only cannot
# read its table): the store is purged, and exit 3 says something failed.
s_ro_db_error() { s_purged "$1"; sql "$S.usmtkit.db" "DROP TABLE purge_pending"; args=; }
s_not_store() { mkdir -p "$1/store"; S="$1/store"; args=; }
s_pending() { s_scheduled "$1"; uk_tool purge "$S"; expect_rc 10 "scheduled first"
	chattr -i "$locked"; locked=; args=--run-pending; }

# scenario word exit first-line-of-text
check() {
	for mode in --json text; do
		d="$T/$1$mode"; locked=
		"s_$1" "$d"
		if [ "$mode" = --json ]; then uk_tool purge --json $args "$S"; else uk_tool purge $args "$S"; fi
		[ -z "$locked" ] || { chattr -i "$locked"; locked=; }
		expect_rc "$3" "$1 $mode"
		if [ "$mode" = --json ]; then
			expect_eq "$(json result)" "$2" "$1: result"
			expect_eq "$(json exit_code)" "$3" "$1: exit_code"
			case "$2" in purged|scheduled|dry-run|readonly-only)
				[ "$3" = 3 ] || expect_eq "$(json reason)" null "$1: reason" ;;
			*) [ "$(json reason)" != null ] || die "$1: $2 without a reason" ;; esac
		else
			first=$(head -n 1 "$out")
			case "$first" in "$4"*) ;; *) die "$1 text: '$first', expected '$4...'" ;; esac
		fi
	done
}

check purged     purged        0  "usmt-purge: purged"
check changed    kept          1  "usmt-purge: kept: the store is still there: 1 kept, 1 because changed since verify"
check force      kept          1  "usmt-purge: kept: the store is still there: 1 kept, 1 because sole copy"
check scheduled  scheduled     10 "usmt-purge: scheduled"
check no_schedule kept         1  "usmt-purge: kept: the store is still there: 1 kept, 1 because locked"
check gate       refused       1  "usmt-purge: refused: verify run 1 found"
check no_db      refused       1  "usmt-purge: refused: no usmtkit database"
check db_readonly refused      3  "usmt-purge: refused: planning the purge failed"
check dry        dry-run       0  "usmt-purge: DRY RUN"
check dry_kept   dry-run       1  "usmt-purge: DRY RUN"
check ro_only    readonly-only 0  "usmt-purge: readonly-only"
check ro_error   purged        3  "usmt-purge: purged: read-only could not be re-applied to 1 restored files"
check pending    purged        0  "usmt-purge: purged"
check midway     kept          3  "usmt-purge: kept: deleting failed (see the messages above); the store is partly deleted: run usmt-purge again to carry on"
check midway_entries kept     3  "usmt-purge: kept: deleting failed (see the messages above); the store may be partly deleted: run usmt-purge again to carry on"
[ ! -e "$T/midway_entries--json/store/USMT/File/C\$/Users/a/a.txt" ] ||
	die "midway_entries: the entry should be gone (the journal lagging behind it is the point)"
check ro_db_error purged       3  "usmt-purge: purged: re-applying read-only failed (see the messages above): run usmt-purge again"
check not_store  refused       2  ""
[ ! -s "$out" ] || { cat "$out"; die "not a store, text: the error belongs on stderr alone"; }
expect_err "not a USMT store"
