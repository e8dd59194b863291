#!/bin/sh
# Runs one suite of tests and ends with the line "N passed, N failed".
#   tests/run.sh native    unit tests (cmocka), CLI tests, scenario tests
#   tests/run.sh scenario  scenario tests only (the valgrind suite)
#   tests/run.sh unit|cli  one kind only
#   tests/run.sh wine      tests/wine/*.sh (scripts/check-windows.sh runs them)
# Environment: UK_BUILD (build dir), UK_RUN (wrapper, e.g. valgrind),
# UK_ONLY (a substring: run only matching tests), UK_SUITE_NAME (label).
set -u
cd "$(dirname "$0")/.."
UK_BUILD=${UK_BUILD:-build}
export UK_BUILD UK_ROOT="$PWD" UK_BIN="$UK_BUILD/bin" UK_RUN="${UK_RUN:-}" UK_EXE="${UK_EXE:-}"
name=${UK_SUITE_NAME:-$1}
pass=0; fail=0; failed=""
logdir="$UK_BUILD/test-logs/$name"; rm -rf "$logdir"; mkdir -p "$logdir"

run_one() { # label command...
	label=$1; shift
	case "$label" in *"${UK_ONLY:-}"*) ;; *) return ;; esac
	log="$logdir/$(echo "$label" | tr '/ ' '__').log"
	start=$(date +%s)
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1)); echo "PASS $label ($(( $(date +%s) - start ))s)"
	else
		rc=$?
		fail=$((fail + 1)); failed="$failed $label"
		echo "FAIL $label (exit $rc) -- last lines of $log:"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
}

kinds=$1
[ "$kinds" = native ] && kinds="unit cli scenario"
for k in $kinds; do
	case $k in
	unit)
		# Each unit test runs in a scratch folder of its own (they create files).
		for t in "$UK_BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			case "$t" in /*) ;; *) t="$PWD/$t" ;; esac
			w="$logdir/work-${t##*/}"; mkdir -p "$w"
			run_one "unit/${t##*/}" sh -c 'cd "$1" && shift && exec "$@"' sh "$w" $UK_RUN "$t"
		done ;;
	cli|scenario|wine)
		for t in tests/$k/*.sh; do
			[ -f "$t" ] || continue
			run_one "$k/$(basename "$t" .sh)" sh "$t"
		done ;;
	*) echo "run.sh: unknown suite $k" >&2; exit 2 ;;
	esac
done
echo "[$name]$failed" | sed 's/^\[\([^]]*\)\]$/[\1] no failures/'
echo "$name: $pass passed, $fail failed"
[ "$fail" = 0 ]
