#!/bin/sh
# Crash safety: usmt-purge is SIGKILLed at random instants on a 3000-file
# store and re-run until it finishes. Afterwards every restored byte and
# read-only bit is as before, the store is gone and the journal complete.
set -e; . "$UK_ROOT/tests/lib.sh"
rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }

S="$T/m/store"; C="$T/m/c"
python3 - "$T/m" 3000 <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
S, C = os.path.join(root, "store"), os.path.join(root, "c")
SF = os.path.join(S, "USMT", "File", "C$")
os.makedirs(SF); os.makedirs(C)
for f in ("catalog.mig", "MIGSTATE.DAT", "hardlink.main"):
    open(os.path.join(S, "USMT", f), "wb").close()
for i in range(n):
    rel = "Users/u%d/Documents/f%02d/file %d.txt" % (i % 5, i % 40, i)
    c, s = os.path.join(C, rel), os.path.join(SF, rel)
    os.makedirs(os.path.dirname(c), exist_ok=True)
    os.makedirs(os.path.dirname(s), exist_ok=True)
    with open(c, "wb") as fh:
        fh.write(("content of %d\n" % i).encode() * (1 + i % 7))
    if i % 25 == 0:   # a copy (locked at ScanState): re-checked by hash
        with open(c, "rb") as src, open(s, "wb") as dst:
            dst.write(src.read())
    else:
        os.link(c, s)
    if i % 10 == 3:
        os.chmod(c, 0o444)
PY
uk_tool verify --root "C=$C" "$S"
expect_rc 0 verify
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE readonly = 1")" 300 "read-only entries"
restored=$(cd "$C" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
	find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
total=$(find "$S" -type f | wc -l)

i=0; mid=0
while :; do
	i=$((i + 1)); before=$(find "$S" -type f 2>/dev/null | wc -l)
	[ $i -le 12 ] || die "purge did not finish when left alone"
	$UK_RUN "$UK_BIN/usmt-purge$UK_EXE" -q --no-progress "$S" >"$T/out.$i" 2>"$T/err.$i" &
	pid=$!
	if [ $i -gt 10 ]; then
		:   # enough kills: this run is left to finish (slow under valgrind)
	elif [ $((i % 3)) != 0 ] && [ "$before" -gt 0 ]; then
		# Kill once a random share (up to half) of what is left is gone:
		# mid-deletion even when a loaded machine makes each poll slow.
		want=$(( before - 1 - $(rnd) % (before / 2 + 1) ))
		while kill -0 $pid 2>/dev/null &&
			[ "$(find "$S" -type f 2>/dev/null | wc -l)" -gt "$want" ]; do :; done
	else
		sleep "$(printf "0.%03d" $(( $(rnd) % 200 )))"   # anywhere: start-up, planning, deleting
	fi
	[ $i -gt 10 ] || kill -9 $pid 2>/dev/null || true
	set +e; wait $pid; rc=$?; set -e
	left=$(find "$S" -type f 2>/dev/null | wc -l)
	echo "run $i: exit $rc, $left store files left"
	[ $rc = 0 ] && break
	[ $rc = 137 ] || { cat "$T/err.$i"; die "run $i: exit $rc, expected 0 or a kill"; }
	[ "$left" -gt 0 ] && [ "$left" -lt "$total" ] && mid=$((mid + 1))
done
note "$((i - 1)) kills, $mid of them mid-deletion"
[ $mid -ge 1 ] || die "no kill landed mid-deletion"

[ ! -e "$S" ] || die "store still there"
now=$(cd "$C" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
	find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
expect_eq "$now" "$restored" "every restored byte and read-only bit"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_run WHERE finished IS NULL")" 0 \
	"no unfinished run left"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_step WHERE run_id = (SELECT min(id)
	FROM purge_run) AND state NOT IN ('done', 'gone')")" 0 "every step of the first run done"
uk_tool purge "$S"
expect_rc 0 "re-running after the end"
