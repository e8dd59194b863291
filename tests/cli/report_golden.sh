#!/bin/sh
# Every format on the sample logs against committed expectations.
# UK_REGEN=1 tests/run.sh cli  rewrites tests/cli/golden/report_* instead.
set -e; . "$UK_ROOT/tests/lib.sh"

G="$UK_ROOT/tests/cli/golden"
LOGS="loadstate-abort-retry.log loadstate-c.log loadstate-progress.log scanstate.log"
# Relative names: the report shows logs as they were given.
cd "$UK_ROOT/samples/logs"
for fmt in text json csv html cmtrace; do
	uk_tool report --format "$fmt" $LOGS
	expect_rc 1 "$fmt: the samples hold a skipped profile"
	[ ! -s "$err" ] || { cat "$err"; die "$fmt: unexpected diagnostics"; }
	# CMTrace stamps the time of the report and the thread: not comparable.
	if [ "$fmt" = cmtrace ]; then
		sed 's/time="[^"]*" date="[^"]*"/time="T" date="D"/; s/thread="[0-9]*"/thread="N"/' "$out" >"$out.cmp"
	else
		cp "$out" "$out.cmp"
	fi
	case "$fmt" in text) ext=txt ;; *) ext=$fmt ;; esac
	if [ "${UK_REGEN:-0}" = 1 ]; then
		cp "$out.cmp" "$G/report_samples.$ext"
		note "regenerated $G/report_samples.$ext"
	else
		diff -u "$G/report_samples.$ext" "$out.cmp" || die "$fmt differs from $G/report_samples.$ext"
	fi
done

# The clean log alone: risk none, exit 0, in every format.
for fmt in text json csv html cmtrace; do
	uk_tool report --format "$fmt" loadstate-clean.log
	expect_rc 0 "$fmt: clean log alone"
done
uk_tool report --format json loadstate-clean.log
expect_eq "$(json risk)" none "clean log risk"
expect_eq "$(json at_risk)" "[]" "nothing at risk"
