#!/bin/sh
# Awkward names: newline, tab, invalid UTF-8, a 255-byte name,
# Unicode, brackets and '$'. They are purged like any other; the JSON stays
# valid and every CMTrace line stays one line.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
long=$(printf 'L%.0s' $(seq 1 251)).txt
for n in "new
line.txt" "tab	bed.txt" "$(printf 'bad\377utf8.txt')" "$long" \
	"Ünïcødé 契約書 😀.docx" "[brackets] & \$dollar.txt"; do
	ps_linked "Users/alice/$n" "content of $n"
done
ps_readonly "Users/alice/$(printf 'ro\nnewline.txt')" "read-only"
restored=$(ps_snap "$C")
ps_verify
expect_rc 0 verify
expect_eq "$(sql "$S.usmtkit.db" "SELECT count(*) FROM entry WHERE verdict = 'linked'")" 7 linked

uk_tool purge --json --log "$T/purge.log" "$S"
expect_rc 0 purge
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" || die "JSON not valid"
expect_eq "$(json deleted_files)" 10 "7 entries + 3 control files"
expect_eq "$(json readonly_restored)" 1 readonly_restored
[ ! -e "$S" ] || die "store still there"
expect_eq "$(ps_snap "$C")" "$restored" "restored tree"
bad=$(tr -d '\r' <"$T/purge.log" |
	grep -cv '^<!\[LOG\[.*\]LOG\]!><time=".*" component="usmt-purge" .*>$' || true)
expect_eq "$bad" 0 "CMTrace lines that are not one whole record"
grep -q 'deleted USMT/File/C\$/Users/alice/new\\nline.txt' "$T/purge.log" || {
	cat "$T/purge.log"; die "escaped name not logged"; }
