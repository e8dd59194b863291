#!/bin/sh
# A multi-volume store: one STORE per volume, one database (the first
# store's). The gate needs a verify run covering every store given; the
# purge removes all of them.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/c-vol"; S1=$S; C1=$C
ps_linked Users/alice/a.txt "on C"
S2="$T/d-vol/store"; D="$T/d-vol/d"
mkdir -p "$S2/USMT/File/D\$/Data" "$D/Data"
: >"$S2/USMT/catalog.mig"; : >"$S2/USMT/MIGSTATE.DAT"
printf 'on D' >"$D/Data/d.txt"; ln "$D/Data/d.txt" "$S2/USMT/File/D\$/Data/d.txt"

note "verify of C alone does not open the gate for C and D"
uk_tool verify --root "C=$C1" "$S1"
expect_rc 0 "verify C"
uk_tool purge --json "$S1" "$S2"
expect_rc 1 "no run covers both"
expect_eq "$(json result)" refused result
[ -f "$S2/USMT/File/D\$/Data/d.txt" ] && [ -f "$S1/USMT/File/C\$/Users/alice/a.txt" ] ||
	die "refusal touched a store"

uk_tool verify --root "C=$C1" --root "D=$D" "$S1" "$S2"
expect_rc 0 "verify C and D"
uk_tool purge --json "$S1" "$S2"
expect_rc 0 "purge both"
expect_eq "$(json stores.1)" "$S2" "second store"
expect_eq "$(json deleted_files)" 7 "2 entries + 3 + 2 control files"
[ ! -e "$S1" ] && [ ! -e "$S2" ] || die "a store is still there"
expect_eq "$(cat "$C1/Users/alice/a.txt") $(cat "$D/Data/d.txt")" "on C on D" "restored files"
[ -f "$S1.usmtkit.db" ] || die "the database must survive the purge"
