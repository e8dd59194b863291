#!/bin/sh
# --config rules recorded for copies, --exclude-from, --db, --log (CMTrace),
# and a database that cannot be written (exit 3).
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a/AppData/Local/Microsoft/Outlook" "$C/Users/a/AppData/Local/Microsoft/Outlook" \
	"$S/ProgramData/App" "$C/ProgramData/App" "$S/Users/a/Documents" "$C/Users/a/Documents"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
printf 'ost' >"$S/Users/a/AppData/Local/Microsoft/Outlook/mail.ost"
printf 'ost' >"$C/Users/a/AppData/Local/Microsoft/Outlook/mail.ost"
printf 'cfg' >"$S/ProgramData/App/locked.cfg"; printf 'cfg' >"$C/ProgramData/App/locked.cfg"
printf 'doc' >"$C/Users/a/Documents/a.doc"; ln "$C/Users/a/Documents/a.doc" "$S/Users/a/Documents/a.doc"
printf 'junk' >"$S/Users/a/Documents/~\$a.doc"
printf '# temp files Word leaves behind\n\nC:\\Users\\* [~$*]\n' >"$T/excludes"

uk_tool verify --root "C=$C" --config "$UK_ROOT/samples/Config.xml" --exclude-from "$T/excludes" \
	--db "$T/custom.db" --log "$T/verify.log" --json "$T/store"
expect_rc 0 "clean store"
expect_eq "$(json result)" ok result
expect_eq "$(json verdicts.excluded)" 1 "excluded by --exclude-from"
expect_eq "$(json db)" "$T/custom.db" "--db"
[ ! -e "$T/store.usmtkit.db" ] || die "--db given, but a database was made beside the store"
DB="$T/custom.db"
expect_eq "$(sql "$DB" "SELECT rule FROM entry WHERE rel LIKE '%mail.ost'")" \
	'createHardLink C:\Users\*\AppData\Local\Microsoft\Outlook\ [*.ost]' "most specific rule"
expect_eq "$(sql "$DB" "SELECT rule FROM entry WHERE rel LIKE '%locked.cfg'")" 'errorHardLink C:\* [*]' "rule"
expect_eq "$(sql "$DB" "SELECT rule IS NULL FROM entry WHERE rel LIKE '%/a.doc'")" 1 "no rule for links"
# A warning goes to the CMTrace log as type 2.
ln -s /etc "$S/Users/a/Documents/link"
uk_tool verify --root "C=$C" --db "$T/custom.db" --log "$T/verify.log" -q "$T/store"
expect_rc 1 "the ~\$ file is a missing sole copy without the exclusion"
grep -q '^<!\[LOG\[.*\]LOG\]!><time="[0-9:.+-]*" date="[0-9-]*" component="usmt-verify" context="" type="2" thread="[0-9]*" file="">' "$T/verify.log" || { cat "$T/verify.log"; die "no CMTrace warning"; }
grep -q 'Documents/link: symbolic link' "$T/verify.log" || die "warning text not in the log"

# A database that cannot be created: runtime failure, exit 3, one error.
uk_tool verify --root "C=$C" --db "$T/no/such/dir/x.db" "$T/store"
expect_rc 3 "database cannot be opened"
expect_err "database"
uk_tool verify --root "C=$C" --config "$T/nope.xml" "$T/store"
expect_rc 2 "unreadable Config.xml"
