#!/bin/sh
# Every format on the sample logs against committed expectations.
# UK_REGEN=1 tests/run.sh cli  rewrites tests/cli/golden/report_* instead.
set -e; . "$UK_ROOT/tests/lib.sh"

G="$UK_ROOT/tests/cli/golden"

# golden NAME WHY LOG...: every format against tests/cli/golden/report_NAME.*
# (exit 1: each set holds a finding). Stderr is compared too when a
# report_NAME.stderr is kept.
golden() {
	name=$1 why=$2; shift 2
	for fmt in text json jsonl csv html cmtrace; do
		uk_tool report --format "$fmt" "$@"
		expect_rc 1 "$fmt: $why"
		# CMTrace stamps the time of the report and the thread: not comparable.
		if [ "$fmt" = cmtrace ]; then
			sed 's/time="[^"]*" date="[^"]*"/time="T" date="D"/; s/thread="[0-9]*"/thread="N"/' "$out" >"$out.cmp"
		else
			cp "$out" "$out.cmp"
		fi
		case "$fmt" in text) ext=txt ;; *) ext=$fmt ;; esac
		if [ "${UK_REGEN:-0}" = 1 ]; then
			cp "$out.cmp" "$G/report_$name.$ext"
			[ -s "$err" ] && cp "$err" "$G/report_$name.stderr"
			note "regenerated $G/report_$name.$ext"
		else
			diff -u "$G/report_$name.$ext" "$out.cmp" || die "$fmt differs from $G/report_$name.$ext"
			if [ -f "$G/report_$name.stderr" ]; then
				diff -u "$G/report_$name.stderr" "$err" || die "$fmt: stderr differs"
			else
				[ ! -s "$err" ] || { cat "$err"; die "$fmt: unexpected diagnostics"; }
			fi
		fi
	done
}

# Relative names: the report shows logs as they were given.
cd "$UK_ROOT/samples/logs"
golden samples "the samples hold a skipped profile" \
	loadstate-abort-retry.log loadstate-c.log loadstate-progress.log scanstate.log
# A file that is no USMT log is a finding in every format, said on stderr.
(cd "$UK_ROOT/tests/logs/not-usmt" && golden notalog "not a USMT log" binary.log)

# The clean log alone: risk none, exit 0, in every format.
for fmt in text json csv html cmtrace; do
	uk_tool report --format "$fmt" loadstate-clean.log
	expect_rc 0 "$fmt: clean log alone"
done
uk_tool report --format json loadstate-clean.log
expect_eq "$(json risk)" none "clean log risk"
expect_eq "$(json at_risk)" "[]" "nothing at risk"
