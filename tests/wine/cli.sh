#!/bin/sh
# The three .exe files under Wine: --help and --version (exit 0), a bad
# option or a non-store (exit 2, one line on stderr), purge refusing a volume
# root and the profiles folder (exit 2, nothing touched), and output written
# as UTF-8 bytes, with no CR added, when redirected.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"

for t in verify report purge; do
	uk_tool $t --version
	expect_rc 0 "$t --version"
	expect_out "^usmt-$t 0\.[0-9]"
	uk_tool $t --help
	expect_rc 0 "$t --help"
	expect_out "Usage: usmt-$t"
	if grep -q "$(printf '\r')" "$out"; then die "$t --help: CR in redirected output"; fi
	uk_tool $t --no-such-option
	expect_rc 2 "$t bad option"
	expect_eq "$(wc -l <"$err")" 1 "$t: one line on stderr"
done

mkdir -p "$T/Ünïcødé 日本語"
map_drive S "$T"
uk_tool verify 'S:\Ünïcødé 日本語'
expect_rc 2 "verify of a folder that is not a store"
expect_eq "$(wc -l <"$err")" 1 "one line on stderr"
expect_err 'S:\\Ünïcødé 日本語'   # UTF-8 bytes on a redirected stderr
uk_tool purge 'C:\'
expect_rc 2 "purge of a volume root"
expect_err "refusing to purge the root of a volume"
uk_tool purge 'C:\users'
expect_rc 2 "purge of the profiles folder"
expect_err "refusing to purge a home folder"
[ -d "$WINEPREFIX/drive_c/users" ] || die "C:\\users touched"

# --log and --output files with names outside the ANSI code page.
uk_tool verify --log 'S:\ログ.log' 'S:\Ünïcødé 日本語'
expect_rc 2 "verify with a Unicode --log"
grep -q '^<!\[LOG\[.*not a USMT store' "$T/ログ.log" || die "no CMTrace line in S:\\ログ.log"
uk_tool report --format csv --output 'S:\レポート.csv' --db 'S:\r.db' "$(winname "$UK_ROOT/samples/logs/loadstate-clean.log")"
expect_rc 0 "report to a Unicode --output"
[ -s "$T/レポート.csv" ] || die "no S:\\レポート.csv"
