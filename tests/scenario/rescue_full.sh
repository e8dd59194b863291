#!/bin/sh
# A DEST that fills up: the free-space check passes (the sizes fit) but the
# files take whole pages, so the disk fills mid-run. usmt-rescue stops with a
# clear error, exit 1, result partial, no temporary file left, the journal
# says where it stopped; after the volume grows a re-run finishes, verified.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
D="$T/usb"; mkdir -p "$D"
mount -t tmpfs -o size=600k tmpfs "$D"
trap 'rc=$?; umount "$D" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT
ps_init "$T/m"
python3 - "$SF" <<'PY'
import os, sys
for i in range(120):   # 4097 bytes: two pages each on tmpfs
    p = os.path.join(sys.argv[1], "Users/a/f%03d.bin" % i)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as fh:
        fh.write(os.urandom(4097))
PY
ps_verify
expect_rc 1 verify

uk_tool rescue --json "$S" "$D"
expect_rc 1 "disk full"
expect_eq "$(json result)" partial result
expect_err "DEST $D is full: stopped at C\\$/Users/a/f"
copied=$(json copied)
[ "$copied" -gt 0 ] && [ "$copied" -lt 120 ] || die "copied $copied: expected a part"
expect_eq "$(find "$D" -name '.usmtkit-rescue.part' | wc -l)" 0 "temporary file left"
j="$D/.usmtkit-rescue.db"
expect_eq "$(sql "$j" "SELECT result FROM rescue_run")" partial "journal result"
case "$(sql "$j" "SELECT stopped_at FROM rescue_run")" in
C\$/Users/a/f*) ;; *) die "the journal does not say where it stopped" ;; esac
# Still full: what is left no longer fits, and the check says so up front.
uk_tool rescue --json "$S" "$D"
expect_rc 1 "still full"
expect_eq "$(json result)" refused "still full: result"
expect_err "not enough free space on DEST $D: [0-9]* bytes .* to copy in $((120 - copied)) files"

mount -o remount,size=4m "$D"
uk_tool rescue --json "$S" "$D"
expect_rc 0 "after the volume grew"
expect_eq "$(json result)" rescued result
[ "$(json skipped_done)" -ge "$copied" ] || die "skipped_done $(json skipped_done) < $copied"
expect_eq "$(( $(json copied) + $(json skipped_done) ))" 120 "every file"
host=$(sql "$S.usmtkit.db" "SELECT host FROM verify_run")
for f in "$SF"/Users/a/*.bin; do
	cmp "$f" "$D/$host/C\$/Users/a/${f##*/}" || die "${f##*/} differs"
done
expect_eq "$(find "$D" -name '.usmtkit-rescue.part' | wc -l)" 0 "temporary file left"
