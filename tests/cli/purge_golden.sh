#!/bin/sh
# usmt-purge's words, stdout and stderr, against committed expectations
# (tests/cli/golden/purge_*.txt): a reason's head without stray blanks, the
# store root named, folders held by scheduled leftovers saying so, a restored
# file that became a symbolic link, an unfinished verify run, a refusal said
# once, control characters in names and paths escaped.
# UK_REGEN=1 tests/run.sh cli  rewrites them instead.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"
command -v chattr >/dev/null || die "chattr is not installed (scripts/deps.sh test)"
G="$UK_ROOT/tests/cli/golden"
trap 'rc=$?; [ -z "${locked:-}" ] || chattr -i "$locked" 2>/dev/null
if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT

golden() { # name expected-rc
	expect_rc "$2" "$1"
	{ echo "exit $rc"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; } |
		sed "s|$T|T|g" >"$T/$1.cmp"
	if [ "${UK_REGEN:-0}" = 1 ]; then
		cp "$T/$1.cmp" "$G/purge_$1.txt"
		note "regenerated $G/purge_$1.txt"
	else
		diff -u "$G/purge_$1.txt" "$T/$1.cmp" || die "$1 differs from $G/purge_$1.txt"
	fi
}

note "--no-schedule: the reason's head is (locked), the result kept"
ps_init "$T/n"
ps_linked Users/dave/d.txt "dave"
ps_linked Users/dave/e.txt "eve"
ps_verify
locked="$SF/Users/dave/d.txt"; chattr +i "$locked"
uk_tool purge --no-schedule "$S"
golden no_schedule 1
chattr -i "$locked"

note "scheduled: the store root by its path, its folders held by the leftover"
ps_init "$T/s"
ps_linked Users/dave/d.txt "dave"
ps_verify
locked="$SF/Users/dave/d.txt"; chattr +i "$locked"
uk_tool purge "$S"
golden scheduled 10
chattr -i "$locked"; locked=

note "a restored file that became a symbolic link; a name with a newline"
ps_init "$T/l"
ps_linked Users/al/doc.txt "doc"
ps_copy "Users/al/two
lines.txt" "copy"
ps_linked Users/al/fine.txt "fine"
ps_verify --hash=always
rm "$C/Users/al/doc.txt"; ln -s "$SF/Users/al/doc.txt" "$C/Users/al/doc.txt"
printf 'COPY' >"$SF/Users/al/two
lines.txt"
uk_tool purge "$S"
golden link_newline 1

note "a store whose path holds a newline and a tab: shown escaped, one line each"
ps_init "$T/n
l	t"
ps_copy Users/al/c.txt "copy"
ps_verify --hash=always
printf 'C' >>"$SF/Users/al/c.txt"
uk_tool purge "$S"
golden path_control 1

note "a killed verify: its run is unfinished, not absent"
ps_init "$T/k"
ps_linked Users/kim/k.txt "kim"
ps_verify
sql "$S.usmtkit.db" "UPDATE verify_run SET finished = NULL; DELETE FROM verify_run_store;
	DELETE FROM store"
uk_tool purge "$S"
golden unfinished_verify 1
uk_tool purge --json "$S"
expect_rc 1 "unfinished verify, --json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" || die "stdout is not one JSON object"
[ ! -s "$err" ] || { cat "$err"; die "the refusal repeated on stderr"; }
