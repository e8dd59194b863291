#!/bin/sh
# verify's text output keeps its shape: a risk run, a repaired run, a clean
# run and a baseline against committed expectations (paths, seconds, the
# baseline's time and machine normalised).
# Names with a newline or control character are shown escaped.
# UK_REGEN=1 tests/run.sh cli  rewrites tests/cli/golden/verify_* instead.
set -e; . "$UK_ROOT/tests/lib.sh"

G="$UK_ROOT/tests/cli/golden"
S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a/Docs" "$C/Users/a/Docs" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
printf 'linked' >"$C/Users/a/Docs/linked.txt"; ln "$C/Users/a/Docs/linked.txt" "$S/Users/a/Docs/linked.txt"
printf 'same' >"$S/Users/a/Docs/copy.txt"; printf 'same' >"$C/Users/a/Docs/copy.txt"
printf 'old' >"$S/Users/a/Docs/edited.txt"; printf 'new!' >"$C/Users/a/Docs/edited.txt"
printf 'only here' >"$S/Users/a/Docs/$(printf 'two\nlines\001.txt')"
chmod 444 "$S/Users/a/Docs/$(printf 'two\nlines\001.txt')"
printf 'tmp' >"$S/Users/a/Docs/x.tmp"
ln -s /etc "$S/Users/a/Docs/link"

check() { # name
	sed "s|$T|T|g; s|in [0-9.]* s|in N s|; s|taken [^ ]* on [^)]*)|taken TIME on HOST)|" \
		"$out" >"$out.cmp"
	if [ "${UK_REGEN:-0}" = 1 ]; then
		cp "$out.cmp" "$G/verify_$1.txt"
		note "regenerated $G/verify_$1.txt"
	else
		diff -u "$G/verify_$1.txt" "$out.cmp" || die "$1 differs from $G/verify_$1.txt"
	fi
}
# A relative store argument: the header shows the store root it opened.
cd "$T"
uk_tool verify --root "C=$C" --exclude 'C:\Users\* [*.tmp]' --threads 1 store
expect_rc 1 "risk"
check risk
grep -q 'lines\\x01.txt' "$out" || die "control character not escaped"
uk_tool verify --root "C=$C" --exclude 'C:\Users\* [*.tmp]' --threads 1 --repair store
expect_rc 1 "repaired, still modified"
check repaired
expect_err 'repaired: C:\\Users\\a\\Docs\\two\\nlines\\x01.txt (hard link'
rm "$S/Users/a/Docs/edited.txt" "$S/Users/a/Docs/link"
uk_tool verify --root "C=$C" --exclude 'C:\Users\* [*.tmp]' --threads 1 store
expect_rc 0 "clean"
check ok
# The baseline's header names the store root it opened too, not the argument.
uk_tool verify --baseline --db "$T/baseline.db" --threads 1 store
expect_rc 0 "baseline"
check baseline
