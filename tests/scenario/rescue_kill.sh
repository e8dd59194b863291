#!/bin/sh
# Crash safety: usmt-rescue is SIGKILLed at random instants while copying 600
# sole copies and re-run until it finishes. Afterwards every copy equals its
# source byte for byte, no temporary file is left, and a resumed run counted
# the files done before it (skipped_done > 0) instead of copying them again.
set -e; . "$UK_ROOT/tests/lib.sh"
rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }
D="$T/usb"; mkdir -p "$D"
mount -t tmpfs -o size=64m tmpfs "$D"
trap 'rc=$?; umount "$D" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT

S="$T/m/store"; C="$T/m/c"
python3 - "$T/m" 600 <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
S, C = os.path.join(root, "store"), os.path.join(root, "c")
SF = os.path.join(S, "USMT", "File", "C$")
os.makedirs(SF); os.makedirs(os.path.join(C, "Users"))
for f in ("catalog.mig", "MIGSTATE.DAT", "hardlink.main"):
    open(os.path.join(S, "USMT", f), "wb").close()
for i in range(n):  # only in the store: LoadState skipped them
    s = os.path.join(SF, "Users/u%d/Documents/f%02d/file %d.bin" % (i % 3, i % 20, i))
    os.makedirs(os.path.dirname(s), exist_ok=True)
    with open(s, "wb") as fh:
        fh.write(os.urandom(1000 + (i * 7919) % 60000))
    if i % 9 == 4:
        os.chmod(s, 0o444)
PY
uk_tool verify --root "C=$C" "$S"
expect_rc 1 verify
host=$(sql "$S.usmtkit.db" "SELECT host FROM verify_run")
total=600
copies() { find "$D/$host" -type f ! -name '.usmtkit-rescue.part' 2>/dev/null | wc -l; }

run() { # N: a rescue in the background, $pid
	$UK_RUN "$UK_BIN/usmt-rescue$UK_EXE" -q --no-progress --json "$S" "$D" \
		>"$T/out.$1" 2>"$T/err.$1" &
	pid=$!
}
# How long a whole rescue takes here, so the kills land inside one.
t0=$(date +%s%N); run 0; wait $pid || die "calibration run failed"
full=$(( ($(date +%s%N) - t0) / 1000000 )); note "a whole rescue: $full ms"
rm -rf "$D/$host" "$D"/.usmtkit-rescue.*

attempt=0; mid=0; fin=""
while [ $mid = 0 ]; do
	attempt=$((attempt + 1))
	[ $attempt -le 4 ] || die "no kill landed mid-copy in 4 attempts"
	i=0
	while [ $i -lt 8 ]; do
		i=$((i + 1))
		run $i
		ms=$(( $(rnd) % (full * 9 / 10 + 1) ))
		sleep "$(printf "%d.%03d" $((ms / 1000)) $((ms % 1000)))"
		kill -9 $pid 2>/dev/null || true
		set +e; wait $pid; rc=$?; set -e
		now=$(copies)
		echo "run $i: exit $rc after ${ms} ms, $now copies"
		[ $rc = 0 ] && { fin=$i; break; }
		[ $rc = 137 ] || { cat "$T/err.$i"; die "run $i: exit $rc, expected 0 or a kill"; }
		[ "$now" -gt 0 ] && [ "$now" -lt $total ] && mid=$((mid + 1))
	done
	[ $mid -gt 0 ] || fin=""
	[ $mid -gt 0 ] || rm -rf "$D/$host" "$D"/.usmtkit-rescue.*
done
note "$mid kills mid-copy"
if [ -z "$fin" ]; then
	fin=9; run 9; wait $pid || { cat "$T/err.9"; die "the run left alone failed"; }
fi
out="$T/out.$fin"   # the run that finished the job after the kills
[ "$(json skipped_done)" -gt 0 ] || die "the finishing run skipped nothing done before"
expect_eq "$(json failed)" 0 failed
expect_eq "$(( $(json copied) + $(json skipped_done) ))" $total "copied + skipped_done"

expect_eq "$(find "$D" -name '.usmtkit-rescue.part' | wc -l)" 0 "temporary files left"
src=$(cd "$S/USMT/File" && find . -type f -printf '%m %T@ %p\n' | LC_ALL=C sort &&
	find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
dst=$(cd "$D/$host" && find . -type f -printf '%m %T@ %p\n' | LC_ALL=C sort &&
	find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
expect_eq "$dst" "$src" "every copy, its mode and mtime"
expect_eq "$(sql "$D/.usmtkit-rescue.db" "SELECT count(*) FROM rescue_file
	WHERE state = 'done'")" $total "journal: all done"
