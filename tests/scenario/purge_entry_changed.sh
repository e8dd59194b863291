#!/bin/sh
# A store entry that is not a link of its restored file is only deleted when
# it is still what verify saw: size and mtime always, the content (XXH3-128
# against entry.hash) for identical copies and whenever size or mtime moved.
# Every way an entry can change between verify and purge is kept, with its
# reason, and the run says `kept`, exit 1.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
A=Users/alice
ps_copy $A/appended.pst "mailbox A"
ps_copy $A/rewritten.pst "mailbox B"
ps_copy $A/shrunk.pst "mailbox C"
ps_copy $A/touched.pst "mailbox D"
ps_copy $A/copy-fine.pst "mailbox E"
ps_linked $A/twin.txt "twin"
ps_linked $A/link-edited.txt "edited through the link"
ps_linked $A/replaced.txt "replaced"
ps_sole $A/ntuser.dat.LOG1 "transaction log"
ps_sole $A/ntuser.dat.LOG2 "another log"
ps_verify --hash=always --exclude 'C:\Users\* [ntuser.dat.LOG*]'
expect_rc 0 verify
db="$S.usmtkit.db"
expect_eq "$(sql "$db" "SELECT group_concat(verdict, ' ') FROM (SELECT verdict FROM entry
	ORDER BY rel)")" "identical identical linked excluded excluded linked identical identical identical linked" verdicts

# After verify, the store side changes in every way it can:
printf ' and more' >>"$SF/$A/appended.pst"               # appended: larger
cp -p "$SF/$A/rewritten.pst" "$T/ref"                     # same size, in place,
printf 'mailbox Z' | dd of="$SF/$A/rewritten.pst" conv=notrunc 2>/dev/null
touch -r "$T/ref" "$SF/$A/rewritten.pst"                  # mtime put back: only the hash sees it
printf 'mbx' >"$SF/$A/shrunk.pst"                         # rewritten shorter (same inode)
touch -d '2001-01-01' "$SF/$A/touched.pst"                # only touched: same content
rm "$C/$A/twin.txt"; printf 'twin' >"$C/$A/twin.txt"       # restored twin is another file now
printf ' twice' >>"$C/$A/link-edited.txt"                 # one file: the edit is on both sides
rm "$SF/$A/replaced.txt"; printf 'replaced' >"$SF/$A/replaced.txt" # a new file in its place
printf ' grown' >>"$SF/$A/ntuser.dat.LOG1"                # excluded, changed
touch -d '2001-01-01' "$SF/$A/ntuser.dat.LOG2"            # excluded, touched, no hash recorded

uk_tool purge --json "$S"
expect_rc 1 "a purge that keeps changed entries"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 7 kept
expect_eq "$(json exit_code)" 1 "exit_code in JSON"
reason() { sql "$db" "SELECT reason FROM purge_step WHERE run_id = (SELECT max(id) FROM
	purge_run) AND rel = 'C\$/$A/$1'"; }
expect_eq "$(reason appended.pst)" "changed since verify: the store entry is 18 bytes now, verify saw 9" appended
expect_eq "$(reason rewritten.pst)" "changed since verify: the store entry's content differs" "rewritten in place"
expect_eq "$(reason shrunk.pst)" "changed since verify: the store entry is 3 bytes now, verify saw 9" shrunk
expect_eq "$(reason twin.txt)" "changed since verify: the restored path is no longer the same file" twin
expect_eq "$(reason replaced.txt)" "changed since verify: the store entry is another file now" replaced
expect_eq "$(reason ntuser.dat.LOG1)" "changed since verify: the store entry is 21 bytes now, verify saw 15" "excluded, grown"
expect_eq "$(reason ntuser.dat.LOG2)" "changed since verify: the store entry's modification time differs and verify recorded no hash to compare" "excluded, touched"
expect_err "kept C\\\$/$A/rewritten.pst: changed since verify: the store entry's content differs"
for f in appended.pst rewritten.pst shrunk.pst twin.txt replaced.txt ntuser.dat.LOG1 ntuser.dat.LOG2; do
	[ -f "$SF/$A/$f" ] || die "changed $f was deleted"
done
expect_eq "$(cat "$SF/$A/rewritten.pst")" "mailbox Z" "the rewritten entry, intact"
for f in touched.pst copy-fine.pst link-edited.txt; do
	[ ! -e "$SF/$A/$f" ] || die "$f (still what verify saw, or the restored file itself) not deleted"
done
expect_eq "$(cat "$C/$A/link-edited.txt")" "edited through the link twice" "restored link-edited.txt"
expect_eq "$(cat "$C/$A/touched.pst")" "mailbox D" "restored touched.pst"

note "text: the result word, the reasons, exit 1"
uk_tool purge "$S"
expect_rc 1 "second run, text"
expect_out "^usmt-purge: kept"
expect_out "content differs"

note "--force deletes what verify judged, not a later version of it"
ps_init "$T/f"
ps_sole Users/bob/old.doc "older version"
printf 'newer version!' >"$C/Users/bob/old.doc"          # modified
mkdir -p "$C/Windows.old"; ln "$SF/Users/bob/old.doc" "$C/Windows.old/old.doc" # not a sole copy
ps_sole Users/bob/gone.doc "still in Windows.old"       # missing, not a sole copy
ln "$SF/Users/bob/gone.doc" "$C/Windows.old/gone.doc"
ps_verify --hash=always
expect_rc 1 "verify: modified and missing"
printf ' edited later' >>"$SF/Users/bob/old.doc"         # through either link
uk_tool purge --json --force "$S"
expect_rc 1 "--force keeps the entry that changed after verify"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 1 kept
expect_eq "$(sql "$S.usmtkit.db" "SELECT reason FROM purge_step WHERE rel LIKE '%old.doc'")" \
	"changed since verify: the store entry is 26 bytes now, verify saw 13" "modified, grown"
[ -f "$SF/Users/bob/old.doc" ] || die "the changed entry was deleted"
[ ! -e "$SF/Users/bob/gone.doc" ] || die "the unchanged missing entry (linked from Windows.old) not deleted"
