#!/bin/sh
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs them one at a
# time, never in parallel (the machine has other work to do).
#   tests/fuzz/run.sh brief   `make check-fuzz`: replay regress/, then each
#                             target for FUZZ_BRIEF_SECONDS (default 20)
#   tests/fuzz/run.sh long    `make fuzz`: each target for FUZZ_SECONDS
#                             (default 240) on a corpus kept across runs
# FUZZ_TARGETS="config pattern" limits the targets. A finding stops nothing:
# every target runs, the crashing input is saved under $UK_BUILD/fuzz/findings/
# (keep it in tests/fuzz/regress/<target>/ once fixed) and the exit is 1.
set -u
cd "$(dirname "$0")/../.."
mode=${1:-brief}
UK_BUILD=${UK_BUILD:-build}
F="$UK_BUILD/fuzz"
case $mode in
brief) secs=${FUZZ_BRIEF_SECONDS:-20}
	# A fixed seed: `make check` explores the same inputs on every run, so
	# a finding there comes from the change under test, and reproduces.
	seedopt="-seed=${FUZZ_SEED:-1}" ;;
long) secs=${FUZZ_SECONDS:-240}; seedopt="" ;;
*) echo "run.sh: mode is brief or long" >&2; exit 2 ;;
esac
targets=${FUZZ_TARGETS:-"config pattern pathmap usmtlog progress"}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS_FUZZ="-O1 -g -fno-omit-frame-pointer $SAN -fsanitize=fuzzer-no-link"
make --no-print-directory -s BUILD="$F/build" CC=clang CFLAGS="$CFLAGS_FUZZ" lib >/dev/null ||
	{ echo "fuzz: building the instrumented library failed" >&2; exit 1; }
LIB="$F/build/lib/libusmtlog.a $F/build/lib/libusmtkit.a"
DEPS=$(pkg-config --cflags --libs libxml-2.0 sqlite3)

# Seeds: the committed ones plus the project's samples, as each target reads them.
seed() { # target dir
	cp tests/fuzz/seeds/"$1"/* "$2"/ 2>/dev/null
	case $1 in
	config) for x in samples/*.xml; do [ -f "$x" ] && cp "$x" "$2/sample-${x##*/}"; done ;;
	usmtlog) for x in samples/logs/* tests/logs/real/*.log tests/logs/not-usmt/*.log; do
			[ -f "$x" ] && { printf '\000\000'; head -c 262144 "$x"; } >"$2/sample-${x##*/}"
		done ;;
	progress) for x in samples/logs/*progress*; do
			[ -f "$x" ] && { printf '\000'; head -c 262144 "$x"; } >"$2/sample-${x##*/}"
		done ;;
	esac
	return 0
}

maxlen() {
	case $1 in
	usmtlog|progress) echo 200000 ;; # past the 64 KiB line limit
	config) echo 65536 ;;
	*) echo 4096 ;;
	esac
}

found=0
mkdir -p "$F/bin" "$F/findings"
: >"$F/stats-$mode.txt"
for t in $targets; do
	bin="$F/bin/fuzz_$t"
	src="tests/fuzz/fuzz_$t.c"
	[ -f "$src" ] || { echo "fuzz: no target $t" >&2; exit 2; }
	clang -std=gnu11 -O1 -g -fno-omit-frame-pointer $SAN -fsanitize=fuzzer \
		-D_GNU_SOURCE -Icommon -Ilog -Itests/fuzz "$src" $LIB $DEPS -lpthread -o "$bin" ||
		{ echo "fuzz: building $t failed" >&2; exit 1; }

	# Every kept finding and every seed must pass first.
	if [ -d "tests/fuzz/regress/$t" ] && [ -n "$(ls -A "tests/fuzz/regress/$t")" ]; then
		if ! "$bin" "tests/fuzz/regress/$t"/* >"$F/regress-$t.log" 2>&1; then
			echo "FAIL fuzz/$t: a kept regression input fails again -- $F/regress-$t.log"
			tail -n 30 "$F/regress-$t.log" | sed 's/^/    /'
			found=1
			continue
		fi
	fi

	if [ "$mode" = long ]; then
		corpus="$F/corpus/$t"
	else
		corpus="$F/corpus-brief/$t"
		rm -rf "$corpus"
	fi
	mkdir -p "$corpus"
	seed "$t" "$corpus"
	dict=""
	case $t in
	config) dict="-dict=tests/fuzz/dict/config.dict" ;;
	pattern|pathmap) dict="-dict=tests/fuzz/dict/pattern.dict" ;;
	usmtlog|progress) dict="-dict=tests/fuzz/dict/usmtlog.dict" ;;
	esac
	log="$F/$mode-$t.log"
	art="$F/findings/$t-"
	start=$(date +%s)
	"$bin" -max_total_time="$secs" $seedopt -timeout=10 -rss_limit_mb=2048 -max_len="$(maxlen "$t")" \
		-print_final_stats=1 -artifact_prefix="$art" $dict "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	files=$(ls "$corpus" | wc -l)
	took=$(( $(date +%s) - start ))
	if [ $rc = 0 ]; then
		echo "PASS fuzz/$t: ${runs:-?} runs in ${took}s, corpus $files inputs"
	else
		found=1
		echo "FAIL fuzz/$t (exit $rc) after ${runs:-?} runs: input saved as $(sed -n \
			's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1) -- $log"
		grep -m 12 -E 'ERROR|SUMMARY|invariant|#[0-9]+ 0x' "$log" | sed 's/^/    /'
	fi
	echo "$t ${runs:-0} ${took}" >>"$F/stats-$mode.txt"
done
[ $found = 0 ] && echo "fuzz ($mode): no findings"
[ $found = 0 ]
