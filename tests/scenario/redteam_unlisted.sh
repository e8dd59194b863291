#!/bin/sh
# A store folder verify cannot list (run as an account that may not read it:
# nobody, through setpriv) is recorded as an entry of type other, unreadable,
# a sole copy. Verify says risk and purge refuses, but report left it out of
# its join (files only) and said none, exit 0 ("the store can be deleted"),
# and rescue copied nothing and said rescued, exit 0. Now report lists it
# (critical: unreadable, sole copy) and rescue counts it failed (partial).
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
command -v setpriv >/dev/null || die "setpriv (util-linux) is not installed"
# Not under $UK_RUN: a valgrind or sanitizer log is not writable by nobody.
chmod 755 "$T"
ps_init "$T/m"
ps_linked Users/a/l.txt "linked"
ps_sole Users/b/hidden.txt "only in the store"
chmod -R a+rX "$T/m"; chmod 1777 "$T/m"
chmod 000 "$SF/Users/b"
trap 'rc=$?; chmod 755 "$SF/Users/b" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT
db="$S.usmtkit.db"
set +e
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$UK_BIN/usmt-verify$UK_EXE" --json --root "C=$C" "$S" >"$T/v.json" 2>"$T/v.err"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$T/v.json" "$T/v.err"; die "verify as nobody: exit $rc, expected 1"; }
grep -q "Users/b: store folder could not be listed" "$T/v.err" || die "verify: $(cat "$T/v.err")"
expect_eq "$(sql "$db" "SELECT type, verdict, sole_copy FROM entry WHERE rel = 'C\$/Users/b'")" \
	"other|unreadable|1" "the folder's row"

uk_tool purge --json "$S"
expect_rc 1 "the gate refuses"
expect_eq "$(json result)" refused purge

uk_tool report --store "$S" --format json
expect_rc 1 "report"
expect_eq "$(json risk)" critical risk
expect_eq "$(json at_risk.0.path)" 'C:\Users\b' "the folder at risk"
expect_eq "$(json at_risk.0.reasons)" '["unreadable", "sole-copy"]' reasons
uk_tool report --store "$S"
expect_rc 1 "report, text"
expect_out "^RISK: CRITICAL"

uk_tool rescue --json --same-volume "$S" "$T/d"
expect_rc 1 "rescue"
expect_eq "$(json result)" partial result
expect_eq "$(json failed)" 1 failed
expect_err "C\$/Users/b: verify could not judge it (store folder could not be listed"
