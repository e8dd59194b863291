#!/bin/sh
# usmt-rescue refuses (exit 1, result refused, the reason on stderr, nothing
# copied) when DEST is inside the store or the store inside DEST, when DEST
# is on the store's volume without --same-volume, when the database holds no
# verify run (without --all), and when DEST has less room than the files to
# copy need (both numbers given).
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
D="$T/usb"; mkdir -p "$D"
mount -t tmpfs -o size=64k tmpfs "$D"
trap 'rc=$?; umount "$D" 2>/dev/null || true
	if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT
ps_init "$T/m"
ps_sole "Users/a/big.bin" "$(head -c 100000 /dev/zero | tr '\0' x)"
ps_sole "Users/a/small.txt" "small"

refused() { # what args...
	what=$1; shift
	uk_tool rescue --json "$@"
	expect_rc 1 "$what"
	expect_eq "$(json result)" refused "$what: result"
	expect_eq "$(json copied)" 0 "$what: copied"
	expect_err "refused: "
}

refused "no verify run" "$S" "$D"
expect_err "holds no finished verify run"
ps_verify
expect_rc 1 verify

refused "DEST inside the store" --same-volume "$S" "$S/USMT/File/rescue"
expect_err "is inside the store"
[ ! -e "$S/USMT/File/rescue" ] || die "DEST created inside the store"
refused "the store itself as DEST" --same-volume "$S" "$S/"
refused "store inside DEST" --same-volume "$S" "$T/m"
expect_err "is inside DEST"
refused "same volume" "$S" "$T/other"
expect_err "on the store's own volume"
[ ! -e "$T/other" ] || die "DEST created on refusal"

refused "no room" "$S" "$D"
expect_err "not enough free space on DEST $D: 100005 bytes"
grep -q "bytes (.*) free" "$err" || die "free space not given"
expect_eq "$(find "$D" -path "$D/.usmtkit-rescue.*" -prune -o -type f -print | wc -l)" 0 \
	"nothing copied"

# --same-volume allows it: the files land and verify; the progress line
# (forced on: stderr is no terminal here) gives bytes, files, rate and ETA.
uk_tool rescue --json --same-volume --progress "$S" "$T/other"
expect_rc 0 "--same-volume"
expect_eq "$(json copied)" 2 "copied with --same-volume"
expect_err "copying .* of .*, [0-9]*/2 files, .*/s, ETA [0-9]*:[0-9][0-9]:[0-9][0-9]"

# One rescue at a time into a DEST: a second one is refused while the lock is held.
mkfifo "$T/in"
"$UK_BUILD/tests/holdlock" "$T/other/.usmtkit-rescue.lock" <"$T/in" >"$T/holdlock.out" &
holder=$!
exec 3>"$T/in"
i=0; until grep -q locked "$T/holdlock.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || die "holdlock did not start"; sleep 0.05
done
refused "another rescue writing" --same-volume "$S" "$T/other"
expect_err "another usmt-rescue is writing to $T/other"
exec 3>&-; wait $holder
uk_tool rescue --json --same-volume "$S" "$T/other"
expect_rc 0 "after the other one ended"
expect_eq "$(json skipped_done)" 2 "skipped_done"
