#!/bin/sh
# usmt-rescue.exe under Wine: a store on drive S:, DEST on drive T: (another
# volume). The sole copies land under T:\usb\<host>\C$\... with content,
# modification time and read-only equal; a file another program holds with
# no sharing (holdopen.exe --exclusive) is reported failed and the run goes on; once it
# is released a re-run copies it and counts the rest as done. DEST on the
# store's own drive is refused.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"
. "$UK_ROOT/tests/helpers/purge-store.sh"

mkdir -p "$T/s" "$T/t/usb"
ps_init "$T/s/m"
ps_linked "Users/alice/linked.txt" "linked"
ps_sole "Users/alice/Docs/Résumé ü.docx" "only in the store"
ps_sole "Users/alice/Docs/signed.pdf" "read-only sole copy"
chmod a-w "$SF/Users/alice/Docs/signed.pdf"
ps_sole "Users/alice/Docs/held.txt" "held by another program"
touch -d '2021-03-04 05:06:07.1234567 UTC' "$SF/Users/alice/Docs/Résumé ü.docx"
map_drive S "$T/s"
map_drive T "$T/t"

uk_tool verify --root 'C=S:\m\c' 'S:\m\store'
expect_rc 1 "verify.exe: sole copies"
host=$(sql "$T/s/m/store.usmtkit.db" "SELECT host FROM verify_run")
[ -n "$host" ] || die "verify.exe recorded no host"

uk_tool rescue --json 'S:\m\store' 'S:\rescue'
expect_rc 1 "DEST on the store's drive"
expect_eq "$(json result)" refused "same volume: result"
expect_err "on the store's own volume"

note "holdopen.exe --exclusive holds a store file with no sharing"
wine "$W_HELPERS/holdopen.exe" --exclusive 'S:\m\store\USMT\File\C$\Users\alice\Docs\held.txt' 'T:\flag' &
holder=$!
i=0; while [ ! -e "$T/t/flag" ]; do
	i=$((i + 1)); [ $i -lt 600 ] || die "holdopen.exe did not start"; sleep 0.1
done
uk_tool rescue --json 'S:\m\store' 'T:\usb'
rm -f "$T/t/flag"; wait $holder || die "holdopen.exe failed"
expect_rc 1 "a held file"
expect_eq "$(json result)" partial result
expect_eq "$(json copied)" 2 copied
expect_eq "$(json failed)" 1 failed
expect_err 'held.txt: cannot read it: .*(error 32)'
B="$T/t/usb/$host/C\$/Users/alice/Docs"
[ ! -e "$B/held.txt" ] || die "the held file looks copied"
for f in "Résumé ü.docx" signed.pdf; do
	cmp "$SF/Users/alice/Docs/$f" "$B/$f" || die "$f differs"
	expect_eq "$(stat -c %Y "$B/$f")" "$(stat -c %Y "$SF/Users/alice/Docs/$f")" "$f: mtime"
done
expect_eq "$(stat -c %y "$B/Résumé ü.docx")" "$(stat -c %y "$SF/Users/alice/Docs/Résumé ü.docx")" \
	"mtime to the 100 ns"
[ ! -w "$B/signed.pdf" ] || wine_differs "root can write anyway"
expect_eq "$(stat -c %a "$B/signed.pdf" | cut -c1)" 4 "read-only kept (FILE_ATTRIBUTE_READONLY)"
[ ! -e "$T/t/usb/$host/C\$/Users/alice/linked.txt" ] || die "a linked file was copied"
expect_eq "$(find "$T/t" -name '.usmtkit-rescue.part' | wc -l)" 0 "temporary file left"

uk_tool rescue --json 'S:\m\store' 'T:\usb'
expect_rc 0 "after it was released"
expect_eq "$(json result)" rescued result
expect_eq "$(json copied)" 1 "the held file now"
expect_eq "$(json skipped_done)" 2 skipped_done
cmp "$SF/Users/alice/Docs/held.txt" "$B/held.txt" || die "held.txt differs"
