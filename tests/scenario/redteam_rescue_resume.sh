#!/bin/sh
# A rescue's journal says a file is done only for the very data to rescue
# now: after the store entry changed (verify run again) or for another store
# of the same machine with the same path, the copy already in DEST is another
# version. It is neither taken as the rescue (result rescued, exit 0, with
# the store's data copied nowhere) nor overwritten (it may be the only copy
# of that version left): the file is failed with the reason, exit 1.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
D="$T/usb"; mkdir -p "$D"
ps_init "$T/m"
ps_sole Users/a/sole.txt "version one"
ps_sole Users/a/same.txt "never changes"
ps_verify
expect_rc 1 "sole copies"
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE hash IS NULL")" 2 \
	"missing sole copies are not hashed by verify (auto)"
host=$(sql "$db" "SELECT host FROM verify_run")
B="$D/$host/C\$/Users/a"
uk_tool rescue --json --same-volume "$S" "$D"
expect_rc 0 "first rescue"
expect_eq "$(json copied)" 2 copied

note "resumed unchanged: both taken as done (the store entries read, no hash recorded)"
uk_tool rescue --json --same-volume "$S" "$D"
expect_rc 0 "nothing changed"
expect_eq "$(json skipped_done)" 2 skipped_done
expect_eq "$(json result)" rescued result

note "the store entry changed, verify run again: DEST holds the old version"
printf '%s' "version two, longer" >"$SF/Users/a/sole.txt"
ps_verify
expect_rc 1 "sole copies"
uk_tool rescue --json --same-volume "$S" "$D"
expect_rc 1 "another version in DEST"
expect_eq "$(json result)" partial result
expect_eq "$(json failed)" 1 failed
expect_eq "$(json skipped_done)" 1 "same.txt is done"
expect_err "sole.txt: DEST already holds another version of it"
expect_eq "$(cat "$B/sole.txt")" "version one" "the earlier copy is not overwritten"

note "the same change without a new verify run: not done either"
uk_tool rescue --json --same-volume "$S" "$D"
expect_rc 1 "still another version"
expect_eq "$(json failed)" 1 failed

note "a same-size rewrite, its recorded hash given by a baseline: not done"
printf '%s' "version one" >"$SF/Users/a/sole.txt"
uk_tool verify --baseline "$S"
expect_rc 0 baseline
ps_verify
uk_tool rescue --json --same-volume "$S" "$D"
expect_rc 0 "back to version one: its hash is the journal's"
expect_eq "$(json skipped_done)" 2 skipped_done
printf '%s' "version 1ne" >"$SF/Users/a/sole.txt"
touch -d '2031-01-01' "$SF/Users/a/sole.txt"
uk_tool verify --baseline "$S"
ps_verify
uk_tool rescue --json --same-volume "$S" "$D"
expect_rc 1 "same size, other content"
expect_eq "$(json failed)" 1 failed
expect_eq "$(cat "$B/sole.txt")" "version one" "not overwritten"

note "another store of the same machine, a file of the same path"
S1=$S
ps_init "$T/m2"
ps_sole Users/a/sole.txt "the other store's own data"
ps_sole Users/a/new.txt "only here"
ps_verify
expect_rc 1 "sole copies"
uk_tool rescue --json --same-volume "$S" "$D"
expect_rc 1 "a collision in DEST"
expect_eq "$(json failed)" 1 failed
expect_eq "$(json copied)" 1 "new.txt copied"
expect_err "sole.txt: DEST already holds another version of it"
expect_eq "$(cat "$B/sole.txt")" "version one" "store one's copy kept"
uk_tool rescue --same-volume "$S" "$T/usb2"
expect_rc 0 "into another DEST"
expect_eq "$(cat "$T/usb2/$host/C\$/Users/a/sole.txt")" "the other store's own data" copy
