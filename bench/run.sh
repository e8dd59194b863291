#!/bin/sh
# usmtkit benchmarks: `make bench` (full, ~20-30 minutes on 2 cores) or
# `make bench BENCH_QUICK=1` (small sets, a few minutes).
# Environment: UK_BUILD (build folder, default build), BENCH_QUICK=1,
# BENCH_DATA (where the generated data lives, default $UK_BUILD/bench-data),
# BENCH_OUT (the Markdown written; default docs/BENCHMARKS.md, or
# $UK_BUILD/bench/BENCHMARKS-quick.md in quick mode), BENCH_ONLY=linked,copies,fleet,...
# (re-measure some workloads, keep the other figures of the last run),
# BENCH_SCALE=1 (also bench/scale.sh: verify and purge on 10 k, 100 k and 1 M
# files, ~10 more minutes and ~5 GiB of scratch disk, removed afterwards).
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
results="$UK_BUILD/bench/results-$mode.json"
python3 bench/bench.py --build "$UK_BUILD" --data "$data" --out "$results" \
	--mode "$mode" --only "${BENCH_ONLY:-}"
scale=
if [ "${BENCH_SCALE:-0}" = 1 ]; then
	scale="$UK_BUILD/bench/scale.md"
	rm -f "$scale"
	# A wrong result fails the bench after the page is written, with the table.
	UK_BUILD="$UK_BUILD" BENCH_DATA="$data" SCALE_OUT="$scale" bench/scale.sh >/dev/null ||
		scale_rc=$?
	[ -f "$scale" ] || scale=
fi
python3 bench/render.py "$results" bench/before-after.md $scale >"$out.tmp"
mv "$out.tmp" "$out"
echo "bench: wrote $out"
[ "${scale_rc:-0}" = 0 ] || { echo "bench: bench/scale.sh found a wrong result or a missed size" >&2; exit 1; }
