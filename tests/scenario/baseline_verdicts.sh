#!/bin/sh
# usmt-verify against a baseline, on real hard links: a byte flipped with
# size and mtime kept is corrupt (and blocks purge), an edit is
# changed-since-capture, a deleted entry lost-since-capture; a corrupt linked
# file is found only with --rehash; report names the reasons in every format.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/a/linked.txt "linked content"
ps_linked Users/a/rotlink.txt "a linked file that rots"
ps_copy Users/a/rot.txt "a copy that rots in the store"
ps_copy Users/a/edit.txt "a copy edited after capture"
ps_copy Users/a/gone.txt "deleted from the store"
ps_copy Users/a/ok.txt "untouched copy"
ps_copy Users/a/skip.LOG "excluded, then deleted"
db="$S.usmtkit.db"
X='C:\Users\* [*.LOG]'
copies=$(cat "$SF"/Users/a/rot.txt "$SF"/Users/a/edit.txt "$SF"/Users/a/gone.txt \
	"$SF"/Users/a/ok.txt | wc -c)

note "no baseline yet: the new verdicts are there, all 0; linked files are not read"
ps_verify --json --exclude "$X"
expect_rc 0 "clean store"
expect_eq "$(json verdicts)" '{"linked": 2, "identical": 4, "modified": 0, "missing": 0, "unreadable": 0, "excluded": 1, "corrupt": 0, "changed-since-capture": 0, "lost-since-capture": 0}' verdicts
expect_eq "$(json hashed_bytes)" $((2 * copies)) "copies hashed on both sides, links not at all"
expect_eq "$(json mode)" verify mode
ps_verify --exclude "$X"
expect_rc 0 "clean store (text)"
grep -q "baseline" "$out" && die "the summary of a store without a baseline is as it was"

note "the baseline"
runs=$(sql "$db" "SELECT group_concat(id) FROM verify_run")
uk_tool verify --baseline --json "$S"
expect_rc 0 "baseline"
expect_eq "$(json mode)" baseline mode
expect_eq "$(json run_id)" null "a baseline is no verify run"
expect_eq "$(json files)" 7 files
expect_eq "$(json result)" ok result
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline")" 7 "baseline rows"
expect_eq "$(sql "$db" "SELECT group_concat(id) FROM verify_run")" "$runs" "no verify run added"
for f in "$SF"/Users/a/*; do
	rel="C\$/Users/a/${f##*/}"
	expect_eq "$(sql "$db" "SELECT hash, size, mtime, readonly FROM baseline WHERE rel = '$rel'")" \
		"$(xxhsum -H2 "$f" | cut -d' ' -f1)|$(stat -c '%s|%Y' "$f")|0" "row of $rel"
done

note "right after the baseline nothing is found"
ps_verify --json --exclude "$X"
expect_rc 0 "clean against the baseline"
expect_eq "$(json verdicts.identical)" 4 identical
expect_eq "$(json verdicts.corrupt)" 0 corrupt

# One byte changed, size and modification time kept: what bit rot looks like.
flip() { # rel offset char
	cp -p "$SF/$1" "$T/ref"
	printf '%s' "$3" | dd of="$SF/$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
	touch -r "$T/ref" "$SF/$1"
	expect_eq "$(stat -c %s.%Y "$SF/$1")" "$(stat -c %s.%Y "$T/ref")" "size and mtime of $1 kept"
}
flip Users/a/rot.txt 3 X
flip Users/a/rotlink.txt 0 Z # one file: the restored name rots with it
printf '%s' "A copy edited after capture" >"$SF/Users/a/edit.txt" # same size
touch -d '2030-01-02 03:04:05' "$SF/Users/a/edit.txt"
rm "$SF/Users/a/gone.txt" "$SF/Users/a/skip.LOG"
before=$(ps_snap)

note "verify against the baseline"
ps_verify --json --exclude "$X"
expect_rc 1 "findings"
expect_eq "$(json verdicts)" '{"linked": 2, "identical": 1, "modified": 0, "missing": 0, "unreadable": 0, "excluded": 0, "corrupt": 1, "changed-since-capture": 1, "lost-since-capture": 1}' verdicts
expect_eq "$(json result)" risk result
expect_eq "$(json sole_copy)" 2 "corrupt, and the edited copy (its restored twin differs)"
run=$(json run_id)
q() { sql "$db" "SELECT $1 FROM entry WHERE run_id = $run AND rel = 'C\$/Users/a/$2'"; }
expect_eq "$(q "verdict, sole_copy, error LIKE '%size and modification time do not%restored file: modified'" rot.txt)" \
	"corrupt|1|1" corrupt
expect_eq "$(q "verdict, sole_copy, error LIKE '%restored file: modified'" edit.txt)" \
	"changed-since-capture|1|1" changed
expect_eq "$(q "verdict, sole_copy, type, size, nlink, fid IS NULL, hash IS NULL, local_path" gone.txt)" \
	"lost-since-capture|0|file|22|0|1|1|$C/Users/a/gone.txt" lost
expect_eq "$(q "verdict, sole_copy" rotlink.txt)" "linked|0" "linked: identity, no read"
expect_eq "$(q "count(*)" skip.LOG)" 0 "an excluded path is not reported lost"
expect_eq "$(q verdict ok.txt)" identical untouched

note "text summary"
ps_verify --exclude "$X"
expect_rc 1 "findings (text)"
expect_out "corrupt 1, changed-since-capture 1, lost-since-capture 1"
expect_out "corrupt    SOLE-COPY C:.Users.a.rot.txt"
expect_out "lost-since-capture .*C:.Users.a.gone.txt"
expect_out "changed-since-capture SOLE-COPY C:.Users.a.edit.txt"

note "purge refuses a corrupt file like a sole copy"
for mode in "" --dry-run; do
	uk_tool purge --json $mode "$S"
	expect_rc 1 "purge refused $mode"
	expect_eq "$(json result)" refused "result $mode"
	json reason | grep -q "2 sole-copy files (1 of them corrupt" || die "reason: $(json reason)"
done
expect_eq "$(ps_snap)" "$before" "nothing touched"

note "report: its own reasons, in every format"
uk_tool report --store "$S" --format json
expect_rc 1 "report risk"
expect_eq "$(json risk)" critical risk
python3 - "$out" <<'EOF' || die "at_risk reasons"
import json, sys
d = {a["path"]: a for a in json.load(open(sys.argv[1]))["at_risk"]}
want = {
    r"C:\Users\a\rot.txt": ("critical", ["corrupt", "sole-copy"]),
    r"C:\Users\a\edit.txt": ("critical", ["changed-since-capture", "sole-copy"]),
    r"C:\Users\a\gone.txt": ("high", ["lost-since-capture"]),
}
got = {p: (a["risk"], a["reasons"]) for p, a in d.items()}
assert got == want, got
EOF
for fmt in text csv html cmtrace; do
	uk_tool report --store "$S" --format $fmt
	expect_rc 1 "report $fmt"
	expect_out "corrupt"
	expect_out "lost-since-capture"
done

note "--rehash reads linked files too and finds the corrupt one"
ps_verify --json --rehash --exclude "$X"
expect_rc 1 "rehash findings"
expect_eq "$(json verdicts.corrupt)" 2 "corrupt with --rehash"
expect_eq "$(json verdicts.linked)" 1 "linked with --rehash"
run=$(json run_id)
expect_eq "$(q "verdict, sole_copy, error LIKE '%restored file: linked'" rotlink.txt)" "corrupt|1|1" \
	"corrupt linked file"
expect_eq "$(q verdict linked.txt)" linked "a sound linked file stays linked"

note "a new baseline replaces the old one"
uk_tool verify --baseline --json "$S"
expect_rc 0 "second baseline"
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline")" 5 "rows of the files there now"
expect_eq "$(sql "$db" "SELECT count(*) FROM baseline WHERE rel LIKE '%gone.txt'")" 0 "gone row"
expect_eq "$(sql "$db" "SELECT hash FROM baseline WHERE rel LIKE '%/rot.txt'")" \
	"$(xxhsum -H2 "$SF/Users/a/rot.txt" | cut -d' ' -f1)" "new hash"
ps_verify --json --exclude "$X"
expect_rc 1 "the store still differs from the restored files"
expect_eq "$(json verdicts)" '{"linked": 2, "identical": 1, "modified": 2, "missing": 0, "unreadable": 0, "excluded": 0, "corrupt": 0, "changed-since-capture": 0, "lost-since-capture": 0}' \
	"verdicts against the new baseline"

note "a lost linked entry: lost data, yet nothing purge could destroy"
rm "$SF/Users/a/linked.txt"
ps_verify --json --exclude "$X"
expect_rc 1 "lost"
run=$(json run_id)
expect_eq "$(q "verdict, sole_copy" linked.txt)" "lost-since-capture|0" "lost, not a sole copy"

note "purge: a lost entry is nothing to delete, and blocks nothing"
ps_init "$T/p"
ps_linked Users/a/a.txt "alpha"
ps_linked Users/a/b.txt "bravo"
uk_tool verify --baseline "$S"
expect_rc 0 "baseline"
rm "$SF/Users/a/b.txt"
ps_verify --json
expect_rc 1 "lost"
expect_eq "$(json verdicts.lost-since-capture)" 1 lost
expect_eq "$(json sole_copy)" 0 "no sole copy"
uk_tool purge --json "$S"
expect_rc 0 "purged"
expect_eq "$(json result)" purged result
expect_eq "$(sql "$S.usmtkit.db" "SELECT state FROM purge_step WHERE rel = 'C\$/Users/a/b.txt'")" \
	gone "the lost entry's step"
expect_eq "$(cat "$C/Users/a/a.txt" "$C/Users/a/b.txt")" "alphabravo" "restored files intact"
note "all baseline verdicts exact"
