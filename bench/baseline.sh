#!/bin/sh
# usmt-verify --baseline against `xxhsum -H2` of the same store tree (goal:
# <= 1.1 x xxhsum's time). Prints both times (best of BENCH_RUNS, page cache
# warm) and the ratio. The tree is generated once: files of a few sizes, as a
# profile holds them, BENCH_MB MiB in all (default 1024, at most 2048).
# Environment: UK_BUILD (default build), BENCH_DATA (default
# $UK_BUILD/bench-data/baseline), BENCH_MB, BENCH_RUNS (default 3). Not part of
# `make bench` (bench/run.sh): run it by hand, `sh bench/baseline.sh`.
set -eu
cd "$(dirname "$0")/.."
UK_BUILD=${UK_BUILD:-build}
data=${BENCH_DATA:-$UK_BUILD/bench-data/baseline}
mb=${BENCH_MB:-1024}
runs=${BENCH_RUNS:-3}
verify=$UK_BUILD/bin/usmt-verify
[ "$mb" -le 2048 ] || { echo "bench/baseline.sh: BENCH_MB is at most 2048" >&2; exit 2; }
[ -x "$verify" ] || { echo "bench/baseline.sh: build $verify first (make)" >&2; exit 2; }
command -v xxhsum >/dev/null || { echo "bench/baseline.sh: xxhsum missing (apt-get install xxhash)" >&2; exit 2; }

mkdir -p "$data"
data=$(cd "$data" && pwd)
store=$data/store
if [ "$(cat "$data/.complete" 2>/dev/null)" != "$mb" ]; then
	rm -rf "$store" "$data/.complete"
	mkdir -p "$store/USMT/File/C\$/Users"
	: >"$store/USMT/catalog.mig"; : >"$store/USMT/MIGSTATE.DAT"; : >"$store/USMT/hardlink.main"
	python3 - "$store/USMT/File/C\$/Users" "$mb" <<'EOF'
import os, random, sys
root, total = sys.argv[1], int(sys.argv[2]) << 20
rng = random.Random(12)
# Bytes by size class: a few large files hold most of the data, as in a profile.
sizes = [(4 << 20, 0.70), (256 << 10, 0.20), (16 << 10, 0.08), (1 << 10, 0.02)]
block = rng.randbytes(8 << 20)
n = 0
for size, share in sizes:
    for i in range(int(total * share) // size):
        d = os.path.join(root, "user%d" % (n % 8), "Documents", "f%03d" % (n // 800))
        os.makedirs(d, exist_ok=True)
        off = rng.randrange(0, len(block) - size)
        with open(os.path.join(d, "file%06d.bin" % n), "wb") as f:
            f.write(block[off:off + size])
        n += 1
print("bench/baseline.sh: generated %d files" % n, file=sys.stderr)
EOF
	echo "$mb" >"$data/.complete"
fi
files=$(find "$store/USMT/File" -type f | wc -l)

find "$store" -type f -print0 | xargs -0 cat >/dev/null # warm the page cache
# Best of $runs for each, wall clock and CPU (user + system: steadier than the
# wall clock on a shared machine); the peer's progress lines go to /dev/null.
# usmt-verify writes a new database each run, as right after ScanState.
python3 - "$runs" "$files" "$mb" "$store" "$verify" "$data/baseline.usmtkit.db" <<'EOF'
import json, os, resource, subprocess, sys, time
runs, files, mb, store, verify, db = sys.argv[1:]
peer = ["sh", "-c", 'cd "$0/USMT/File" && find . -type f -print0 | xargs -0 xxhsum -H2', store]
ours = [verify, "--baseline", "--db", db, "--no-progress", "-q", "--json", store]

def best(cmd):
    wall = cpu = None
    for _ in range(int(runs)):
        # A baseline is taken once, right after ScanState: into a new database.
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        t = time.monotonic() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        c = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        wall = t if wall is None else min(wall, t)
        cpu = c if cpu is None else min(cpu, c)
    return wall, cpu, p

xw, xc, _ = best(peer)
vw, vc, p = best(ours)
if p.returncode != 0 or json.loads(p.stdout)["files"] != int(files):
    sys.exit("bench/baseline.sh: usmt-verify did not record every file")
load = open("/proc/loadavg").read().split()[:3]
print("%s files, %s MiB, best of %s, load average %s" % (files, mb, runs, " ".join(load)))
print("xxhsum -H2:             %.3f s wall, %.3f s CPU" % (xw, xc))
print("usmt-verify --baseline: %.3f s wall, %.3f s CPU" % (vw, vc))
print("ratio: %.2f x wall, %.2f x CPU (goal <= 1.10)" % (vw / xw, vc / xc))
EOF
