#!/bin/sh
# File names no Windows store would hold but a POSIX one can: newlines, tabs,
# terminal escape sequences, invalid UTF-8, 255-byte components, printf
# directives, and '\' forming "..\..\" (which mapped to a local path would
# climb out of --root). verify's text output and diagnostics escape them,
# --json stays valid JSON, the database keeps the exact bytes, --repair never
# writes outside the restored tree, and report reads the database back as
# valid JSON.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$/Users/a"; C="$T/c/Users/a"
mkdir -p "$S" "$C" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
nl=$(printf 'new\nline.txt'); tab=$(printf 'tab\there.txt'); bad=$(printf 'bad\377\376utf8.bin')
esc=$(printf 'ctl\001\033[31mred.txt'); fmt='%n%s%x%p.txt'
long=$(printf 'n%.0s' $(seq 1 251)).txt # 255 bytes, the longest ext4 name
# Restored and linked: linked. A "missing-" twin of each: missing, repaired.
for n in "$nl" "$tab" "$bad" "$esc" "$fmt" "$long"; do
	echo linked >"$C/$n"; ln "$C/$n" "$S/$n"
done
for n in "$nl" "$tab" "$bad" "$esc" "$fmt"; do echo missing >"$S/missing-$n"; done
echo sole >"$S/..\\..\\..\\escape.txt"
echo sole >"$S/..\\x"
mkdir -p "$T/store/USMT/File/C\$/Users/..\\..\\etc"; echo sole >"$T/store/USMT/File/C\$/Users/..\\..\\etc/passwd"

note "text output escapes every name"
uk_tool verify --root "C=$T/c" "$T/store"
expect_rc 1 "missing and unreadable files"
for f in "$out" "$err"; do
	! grep -q "$(printf '\033')" "$f" || die "$f: raw ESC reaches the terminal"
	! grep -q "$(printf '\001')" "$f" || die "$f: raw control character"
	! grep -q "$(printf '\t')here" "$f" || die "$f: raw tab"
	! LC_ALL=C grep -q "$(printf '\377')" "$f" || die "$f: raw invalid UTF-8"
	! grep -q '^line.txt' "$f" || die "$f: a name split over two lines"
done
expect_out 'missing-new\\nline.txt'
expect_out 'missing-tab\\there.txt'
expect_out 'missing-bad\\xff\\xfeutf8.bin'
expect_out 'missing-ctl\\x01\\x1b\[31mred.txt'
expect_out 'missing-%n%s%x%p.txt'

note "--json is valid JSON with exact counts"
rm -f "$T/store.usmtkit.db"
uk_tool verify --root "C=$T/c" --json "$T/store"
expect_rc 1 "json run"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" || die "--json is not valid JSON"
expect_eq "$(json files)" 14 files
expect_eq "$(json verdicts.linked)" 6 linked
expect_eq "$(json verdicts.missing)" 5 missing
expect_eq "$(json verdicts.unreadable)" 3 "names climbing out of the root"
expect_eq "$(json sole_copy)" 8 "sole copies"

note "the database keeps the exact bytes"
DB="$T/store.usmtkit.db"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry WHERE hex(rel) = hex(CAST(X'$(printf 'C$/Users/a/%s' "$bad" | od -An -tx1 | tr -d ' \n')' AS TEXT))")" 1 "invalid UTF-8 name stored as is"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry WHERE rel = 'C\$/Users/a/$long'")" 1 "255-byte name"
expect_eq "$(sql "$DB" "SELECT verdict FROM entry WHERE rel = 'C\$/Users/a/..\\..\\..\\escape.txt'")" unreadable "..\\ name"
expect_eq "$(sql "$DB" "SELECT error FROM entry WHERE rel = 'C\$/Users/a/..\\..\\..\\escape.txt'")" "its name has a '.' or '..' folder: never mapped outside the restored tree" "..\\ name: why"

note "--repair re-creates the missing names in place, and nothing outside the tree"
outside() { find "$T" -path "$T/c" -prune -o -print | grep -v '\.usmtkit\.db' | sort | md5sum; }
before=$(outside)
uk_tool verify --root "C=$T/c" --repair "$T/store"
expect_rc 1 "still unreadable"
expect_eq "$(outside)" "$before" "files outside the restored tree"
[ ! -e "$T/escape.txt" ] && [ ! -e "$T/c/escape.txt" ] && [ ! -e "$T/etc" ] && [ ! -e "$T/c/etc" ] ||
	die "--repair wrote outside the restored tree"
for n in "$nl" "$tab" "$bad" "$esc" "$fmt"; do
	[ "$(stat -c %i "$C/missing-$n")" = "$(stat -c %i "$S/missing-$n")" ] || die "not repaired: $n"
done
expect_err 'repaired: C:\\Users\\a\\missing-new\\nline.txt'

note "report reads the names back from the database as valid JSON"
uk_tool report --db "$DB" --format json
case $rc in 0|1) ;; *) cat "$err"; die "report exit $rc" ;; esac
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" || die "report JSON invalid"
for f in text csv html cmtrace; do
	uk_tool report --db "$DB" --format $f
	case $rc in 0|1) ;; *) cat "$err"; die "report --format $f exit $rc" ;; esac
	! grep -q "$(printf '\033')" "$out" || die "report $f: raw ESC"
done
