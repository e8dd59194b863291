#!/bin/sh
# Identity before bytes: a linked file is decided without reading its data.
# Under strace, neither the store entry nor its restored path is ever opened
# (only their folders are listed), and no byte is hashed.
set -e; . "$UK_ROOT/tests/lib.sh"
command -v strace >/dev/null || die "strace is not installed (scripts/deps.sh test)"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a/Documents" "$C/Users/a/Documents" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
for i in 1 2 3 4 5; do
	head -c 100000 /dev/urandom >"$C/Users/a/Documents/linked $i.bin"
	ln "$C/Users/a/Documents/linked $i.bin" "$S/Users/a/Documents/linked $i.bin"
done
# A copy with equal size must be read: proves the trace sees file opens.
printf 'same bytes' >"$S/Users/a/Documents/copy.txt"; printf 'same bytes' >"$C/Users/a/Documents/copy.txt"

# LeakSanitizer cannot run under ptrace (the sanitizer suite runs this too).
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -e trace=open,openat,openat2,open_by_handle_at -o "$T/trace" \
	$UK_RUN "$UK_BIN/usmt-verify$UK_EXE" --root "C=$C" --json "$T/store" >"$T/out.json" 2>"$T/err" ||
	{ cat "$T/err"; die "verify failed under strace"; }
out="$T/out.json"
expect_eq "$(json verdicts.linked)" 5 linked
expect_eq "$(json verdicts.identical)" 1 identical
expect_eq "$(json hashed_bytes)" 20 "only the copy is hashed"
grep -q 'copy.txt' "$T/trace" || die "the trace does not show the copy being opened"
if grep 'linked [0-9].bin' "$T/trace"; then die "a linked file was opened"; fi
grep -q "openat(.*Users/a/Documents\"" "$T/trace" || die "the folders were not listed?"
note "5 linked files decided without opening them"
