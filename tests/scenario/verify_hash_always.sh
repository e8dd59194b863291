#!/bin/sh
# --hash=always records the XXH3-128 of every store file (linked ones too),
# equal to what xxhsum computes; verdicts do not change.
set -e; . "$UK_ROOT/tests/lib.sh"
command -v xxhsum >/dev/null || die "xxhsum is not installed (scripts/deps.sh test)"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a" "$C/Users/a" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"
i=0; while [ $i -lt 20 ]; do
	head -c $((i * 9973)) /dev/urandom >"$C/Users/a/f$i.bin"; ln "$C/Users/a/f$i.bin" "$S/Users/a/f$i.bin"
	i=$((i + 1))
done
head -c 1500000 /dev/urandom >"$S/Users/a/copy.bin"; cp "$S/Users/a/copy.bin" "$C/Users/a/copy.bin"
printf 'old' >"$S/Users/a/changed.txt"; printf 'new text' >"$C/Users/a/changed.txt"
total=$(find "$S" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

uk_tool verify --root "C=$C" --hash=always --threads 3 --json "$T/store"
expect_rc 1 "changed.txt is a modified sole copy"
expect_eq "$(json verdicts)" '{"linked": 20, "identical": 1, "modified": 1, "missing": 0, "unreadable": 0, "excluded": 0, "corrupt": 0, "changed-since-capture": 0, "lost-since-capture": 0}' verdicts
expect_eq "$(json hashed_bytes)" $((total + 1500000)) "every store file once, plus the copy's twin"
DB="$T/store.usmtkit.db"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry WHERE hash IS NULL")" 0 "every file hashed"
sql "$DB" "SELECT hash || ' ' || substr(rel, 12) FROM entry ORDER BY rel" >"$T/ours"
(cd "$S/Users/a" && xxhsum -H2 *) | sed 's/  / /' | sort -k2 >"$T/theirs"
sort -k2 "$T/ours" >"$T/ours.sorted"
diff -u "$T/theirs" "$T/ours.sorted" || die "hashes differ from xxhsum"
expect_eq "$(wc -l <"$T/ours")" 22 rows

uk_tool verify --root "C=$C" --hash=auto --json "$T/store"
expect_eq "$(json hashed_bytes)" 3000000 "auto: only the equal-size copy is read"
