#!/bin/sh
# usmtkit benchmarks: `make bench` (full) or `make bench BENCH_QUICK=1` (small
# sets, a few minutes). See docs/HACKING.md ("Benchmarks") for the time each takes.
# Environment: UK_BUILD (build folder, default build), BENCH_QUICK=1,
# BENCH_DATA (where the generated data lives, default $UK_BUILD/bench-data),
# BENCH_OUT (the Markdown written; default docs/BENCHMARKS.md, or
# $UK_BUILD/bench/BENCHMARKS-quick.md in quick mode), BENCH_ONLY=linked,copies,fleet,...
# (re-measure some workloads, keep the other figures of the last run),
# BENCH_BEFORE (a git ref whose tools are built in $UK_BUILD/bench-before and
# timed in the same hyperfine call as this tree's on the target workloads;
# default b25cc4e, where issue 13's round began; empty: no before columns),
# BENCH_SCALE (1: also bench/scale.sh, verify and purge on 10 k, 100 k and 1 M
# files, SCALE_SIZES to change them; 0: not; default 1 without BENCH_ONLY or
# when BENCH_ONLY names "scale"; in quick mode at 2 k and 20 k files;
# `make bench-scale` runs it alone). Figures not measured in this run,
# the scale table's included, are kept from the last run of the same mode.
set -eu
cd "$(dirname "$0")/.."
UK_BUILD=${UK_BUILD:-build}
mode=full
out=${BENCH_OUT:-docs/BENCHMARKS.md}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	mode=quick
	out=${BENCH_OUT:-$UK_BUILD/bench/BENCHMARKS-quick.md}
fi
data=${BENCH_DATA:-$UK_BUILD/bench-data}
mkdir -p "$UK_BUILD/bench" "$data"
# The peers come from Debian, like everything else (make bench also runs this).
scripts/deps.sh bench
[ -x "$UK_BUILD/bin/usmt-verify" ] ||
	echo "bench: $UK_BUILD/bin/usmt-verify not built: only floors and peers are measured" >&2
before=${BENCH_BEFORE-b25cc4e}
set --
if [ -n "$before" ]; then
	if bdir=$(bench/before.sh "$before" "$UK_BUILD/bench-before"); then
		set -- --before-bin "$bdir"
	fi
	set -- "$@" --before-ref "$before" --before-dir "$UK_BUILD/bench-before"
fi
results="$UK_BUILD/bench/results-$mode.json"
# bench.py's workloads: BENCH_ONLY without "scale" (BENCH_ONLY=scale alone: none).
steps=$(echo "${BENCH_ONLY:-}" | tr ',' '\n' | grep -v -x -e scale -e '' | paste -sd, -) || :
[ -n "${BENCH_ONLY:-}" ] && [ -z "$steps" ] && steps=none
python3 bench/bench.py --build "$UK_BUILD" --data "$data" --out "$results" \
	--mode "$mode" --only "$steps" "$@"
only=${BENCH_ONLY:-}
run_scale=0
case ",$only," in
,,|*,scale,*) run_scale=1 ;;
esac
run_scale=${BENCH_SCALE:-$run_scale}
scale="$UK_BUILD/bench/scale-$mode.md"
if [ "$run_scale" = 1 ]; then
	rm -f "$scale" "$scale.tsv"
	sizes="10000 100000 1000000" massif_max=100000
	[ "$mode" = quick ] && sizes="2000 20000" massif_max=2000
	# A wrong result fails the bench after the page is written, with the table.
	UK_BUILD="$UK_BUILD" BENCH_DATA="$data" SCALE_OUT="$scale" \
		SCALE_SIZES="${SCALE_SIZES:-$sizes}" SCALE_MASSIF_MAX="${SCALE_MASSIF_MAX:-$massif_max}" \
		bench/scale.sh >/dev/null || scale_rc=$?
fi
[ -f "$scale" ] || scale=
python3 bench/render.py "$results" bench/before-after.md $scale >"$out.tmp"
mv "$out.tmp" "$out"
echo "bench: wrote $out"
[ "${scale_rc:-0}" = 0 ] || { echo "bench: bench/scale.sh found a wrong result or a missed size" >&2; exit 1; }
