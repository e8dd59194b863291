#!/bin/sh
# verify.exe --baseline under Wine: the same rows as the Linux build (file IDs,
# link counts and times through the Win32 calls), each inode read once, then a
# corrupt copy and a corrupt linked file (with --rehash) found, purge.exe refusing.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/alice/a.txt "alpha, linked"
ps_linked Users/alice/rot.txt "linked, and it rots"
ps_copy Users/alice/copy.txt "a copy that rots"
head -c 2000000 /dev/urandom >"$SF/Users/alice/big.bin"
ln "$SF/Users/alice/big.bin" "$SF/Users/alice/big twin.bin"
cp "$SF/Users/alice/big.bin" "$C/Users/alice/big.bin"
cp "$SF/Users/alice/big.bin" "$C/Users/alice/big twin.bin"
map_drive S "$T"
small=$(cat "$SF/Users/alice/a.txt" "$SF/Users/alice/rot.txt" "$SF/Users/alice/copy.txt" | wc -c)

uk_tool verify --baseline --json 'S:\m\store'
expect_rc 0 "verify.exe --baseline"
expect_eq "$(json mode)" baseline mode
expect_eq "$(json files)" 5 files
expect_eq "$(json hashed_bytes)" $((small + 2000000)) "the two names of big.bin read once"
db="$T/m/store.usmtkit.db"
native_tool verify --baseline --db "$T/native.db" "$S"
expect_rc 0 "the Linux build's baseline"
rows() { sql "$1" "SELECT rel, size, mtime, readonly, hash FROM baseline ORDER BY rel"; }
expect_eq "$(rows "$db")" "$(rows "$T/native.db")" "the same rows on Linux and under Wine"

flip() { # rel offset char: one byte changed, size and mtime kept
	cp -p "$SF/$1" "$T/ref"
	printf '%s' "$3" | dd of="$SF/$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
	touch -r "$T/ref" "$SF/$1"
}
flip Users/alice/copy.txt 2 X
flip Users/alice/rot.txt 0 Z

uk_tool verify --root 'C=S:\m\c' --json 'S:\m\store'
expect_rc 1 "verify.exe finds the corrupt copy"
expect_eq "$(json verdicts.corrupt)" 1 corrupt
expect_eq "$(json verdicts.linked)" 2 "linked files: identity, no read"
expect_eq "$(json verdicts.identical)" 2 identical
expect_eq "$(sql "$db" "SELECT verdict, sole_copy FROM entry WHERE run_id = $(json run_id) AND rel LIKE '%copy.txt'")" \
	"corrupt|1" "corrupt is a sole copy"
uk_tool verify --root 'C=S:\m\c' --json --rehash 'S:\m\store'
expect_rc 1 "--rehash"
expect_eq "$(json verdicts.corrupt)" 2 "the corrupt linked file too"
uk_tool purge --json 'S:\m\store'
expect_rc 1 "purge.exe refuses"
json reason | grep -q "2 of them corrupt" || die "reason: $(json reason)"
[ -f "$SF/Users/alice/copy.txt" ] || die "purge.exe deleted something"
