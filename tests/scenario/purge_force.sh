#!/bin/sh
# --force purges past the gate but keeps every sole copy (counted in kept);
# --force --force-data-loss deletes them too. A missing file still linked
# from Windows.old is not a sole copy: its store link goes, its data stays.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha"
ps_sole Users/alice/lost.txt "only in the store"
ps_sole Users/bob/old.doc "older version"
printf 'newer version!' >"$C/Users/bob/old.doc"     # modified, store copy alone
ps_sole Users/carol/w.txt "still in Windows.old"
mkdir -p "$C/Windows.old"; ln "$SF/Users/carol/w.txt" "$C/Windows.old/w.txt"
ps_verify
expect_rc 1 "verify findings"
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT group_concat(verdict || ':' || sole_copy, ' ') FROM
	(SELECT verdict, sole_copy FROM entry ORDER BY rel)")" \
	"linked:0 missing:1 modified:1 missing:0" "verdicts"

uk_tool purge --force-data-loss "$S"
expect_rc 2 "--force-data-loss alone is a usage error"

note "--force keeps the two sole copies"
uk_tool purge --json --force "$S"
expect_rc 1 "--force purge keeps sole copies"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 2 kept
[ -f "$SF/Users/alice/lost.txt" ] || die "sole copy lost.txt deleted"
[ -f "$SF/Users/bob/old.doc" ] || die "sole copy old.doc deleted"
[ ! -e "$SF/Users/alice/a.txt" ] || die "linked a.txt not deleted"
[ ! -e "$SF/Users/carol" ] || die "w.txt (linked from Windows.old) not deleted"
expect_eq "$(cat "$C/Windows.old/w.txt")" "still in Windows.old" "Windows.old copy"
expect_eq "$(cat "$SF/Users/alice/lost.txt")" "only in the store" "lost.txt content"
[ -f "$S/USMT/catalog.mig" ] || die "control files deleted while entries are kept"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_step WHERE state = 'kept' AND
	reason LIKE 'sole copy%'")" 2 "journal: kept as sole copies"
expect_eq "$(sql "$db" "SELECT count(*) FROM purge_step WHERE state = 'blocked'")" 10 \
	"blocked: alice, bob, Users, C\$, File, USMT, root and the 3 control files"

note "a second --force run keeps them again"
uk_tool purge --force "$S"
expect_rc 1 "second --force"
expect_out "sole copy: --force keeps it"
[ -f "$SF/Users/alice/lost.txt" ] || die "sole copy deleted by the second run"

note "--force --force-data-loss deletes them"
uk_tool purge --json --force --force-data-loss "$S"
expect_rc 0 "--force-data-loss"
expect_eq "$(json kept)" 0 kept
expect_eq "$(json deleted_files)" 5 "2 sole copies + 3 control files"
expect_err "deleting the sole copy"
[ ! -e "$S" ] || die "store still there"
expect_eq "$(cat "$C/Users/alice/a.txt")" alpha "restored a.txt"
expect_eq "$(cat "$C/Users/bob/old.doc")" "newer version!" "restored old.doc"
