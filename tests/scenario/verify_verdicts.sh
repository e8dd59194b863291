#!/bin/sh
# Every verdict and edge case on a store built by hand with real hard links:
# exact JSON counts and exact database rows.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$T/store/USMT" && : >"$T/store/USMT/catalog.mig" && : >"$T/store/USMT/MIGSTATE.DAT"
: >"$T/store/USMT/hardlink.main"
A=Users/a
mkdir -p "$S/$A/Documents/Empty Folder" "$C/$A/Documents/Empty Folder" "$S/$A/Desktop" \
	"$C/$A/Desktop" "$S/$A/AppData/Local" "$C/$A/AppData/Local" "$S/$A/Pictures" \
	"$C/$A/Pictures" "$S/$A/Music" "$C/$A/Music" "$C/Windows.old/$A/Documents" \
	"$C/Windows.old/$A/Desktop" "$S/Users/b" "$T/outside"
linked() { # rel content: restored file, hard-linked into the store
	printf '%s' "$2" >"$C/$1"; ln "$C/$1" "$S/$1"; }
copy() { # rel store-content restored-content
	printf '%s' "$2" >"$S/$1"; printf '%s' "$3" >"$C/$1"; }

linked "$A/Documents/linked.txt" "linked content"
linked "$A/Documents/readonly.docx" "read-only content"; chmod 444 "$S/$A/Documents/readonly.docx"
linked "$A/Desktop/old linked.txt" "three names"; ln "$C/$A/Desktop/old linked.txt" "$C/Windows.old/$A/Desktop/old linked.txt"
linked "$A/Documents/empty linked.txt" ""
linked "$A/Documents/Budget [final] & \$x 😀.xlsx" "awkward"
printf 'song' >"$S/$A/Music/Song.MP3"; ln "$S/$A/Music/Song.MP3" "$C/$A/Music/song.mp3"
copy "$A/AppData/Local/locked.dat" "locked file contents
" "locked file contents
"
copy "$A/AppData/Local/empty.dat" "" ""
# 8 MiB copied into the store; the restored copy differs in one byte in the middle.
head -c 8388608 /dev/urandom >"$S/$A/Pictures/big.bin"
printf '\000' | dd of="$S/$A/Pictures/big.bin" bs=1 seek=4194304 conv=notrunc 2>/dev/null
cp "$S/$A/Pictures/big.bin" "$C/$A/Pictures/big.bin"
printf '\377' | dd of="$C/$A/Pictures/big.bin" bs=1 seek=4194304 conv=notrunc 2>/dev/null
# Saved by temp-file-and-rename: the store keeps the old version (another size).
linked "$A/Documents/edited.docx" "version 1"
printf 'version 2, longer' >"$T/tmp.docx"; mv "$T/tmp.docx" "$C/$A/Documents/edited.docx"
printf 'skipped by LoadState' >"$S/$A/Documents/skipped.pst"
printf 'old OS still has it' >"$S/$A/Documents/still in old.txt"
ln "$S/$A/Documents/still in old.txt" "$C/Windows.old/$A/Documents/still in old.txt"
copy "$A/ntuser.dat.LOG1" "store log" "other log"
echo secret >"$T/outside/secret.txt"
ln -s "$T/outside" "$S/$A/Documents/trap"
printf 'b data' >"$S/Users/b/file.txt"
long=$(printf 'x%.0s' $(seq 1 300)) # a 300-byte name: the restored folder cannot be opened

bytes=$(find "$S" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
secret_before=$(stat -c '%i %s %Y' "$T/outside/secret.txt")
uk_tool verify --root "C=$C" --exclude 'C:\Users\* [ntuser.dat.LOG*]' \
	--map "C:\\Users\\b=C:\\Users\\$long" --threads 2 --json "$T/store"
expect_rc 1 "risk found"
expect_eq "$(json files)" 14 files
expect_eq "$(json bytes)" "$bytes" bytes
expect_eq "$(json verdicts)" '{"linked": 6, "identical": 2, "modified": 2, "missing": 2, "unreadable": 1, "excluded": 1, "corrupt": 0, "changed-since-capture": 0, "lost-since-capture": 0}' verdicts
expect_eq "$(json sole_copy)" 4 sole_copy
expect_eq "$(json readonly)" 1 readonly
expect_eq "$(json hashed_bytes)" $((2 * 21 + 2 * 8388608)) hashed_bytes
expect_eq "$(json repaired)" 0 repaired
expect_eq "$(json result)" risk result
expect_eq "$(json links)" 1 links
expect_eq "$(json copies)" 7 copies
expect_eq "$(json tool)" usmt-verify tool
expect_eq "$(json stores.0)" "$T/store" stores
expect_eq "$(json db)" "$T/store.usmtkit.db" "database beside the store"
expect_err "trap: symbolic link"
[ "$(wc -l <"$out")" = 1 ] || die "--json prints one line"

DB="$T/store.usmtkit.db"
q() { sql "$DB" "SELECT $1 FROM entry WHERE rel = 'C\$/$2'"; }
expect_eq "$(q 'verdict, sole_copy, readonly, nlink, size, fid = restored_fid, hash IS NULL' "$A/Documents/linked.txt")" "linked|0|0|2|14|1|1" linked
expect_eq "$(q 'verdict, readonly, restored_readonly' "$A/Documents/readonly.docx")" "linked|1|1" read-only
expect_eq "$(q 'verdict, nlink' "$A/Desktop/old linked.txt")" "linked|3" "Windows.old link"
expect_eq "$(q 'verdict, size' "$A/Documents/empty linked.txt")" "linked|0" "empty linked"
expect_eq "$(q 'verdict, win_path' "$A/Music/Song.MP3")" 'linked|C:\Users\a\Music\Song.MP3' "case differs"
expect_eq "$(q verdict "$A/Documents/Budget [final] & \$x 😀.xlsx")" linked awkward
h=$(xxhsum -H2 "$S/$A/AppData/Local/locked.dat" | cut -d' ' -f1)
expect_eq "$(q 'verdict, sole_copy, nlink, hash' "$A/AppData/Local/locked.dat")" "identical|0|1|$h" identical
expect_eq "$(q 'verdict, size, hash' "$A/AppData/Local/empty.dat")" "identical|0|99aa06d3014798d86001c324468d497f" "empty copy"
h=$(xxhsum -H2 "$S/$A/Pictures/big.bin" | cut -d' ' -f1)
expect_eq "$(q 'verdict, sole_copy, size, hash' "$A/Pictures/big.bin")" "modified|1|8388608|$h" "one byte in 8 MiB"
expect_eq "$(q 'verdict, sole_copy, hash IS NULL' "$A/Documents/edited.docx")" "modified|1|1" "renamed: decided by size"
expect_eq "$(q 'verdict, sole_copy, restored_fid IS NULL' "$A/Documents/skipped.pst")" "missing|1|1" "missing sole copy"
expect_eq "$(q 'verdict, sole_copy, nlink' "$A/Documents/still in old.txt")" "missing|0|2" "missing, still in Windows.old"
expect_eq "$(q 'verdict, sole_copy' "$A/ntuser.dat.LOG1")" "excluded|0" excluded
expect_eq "$(q 'type, verdict IS NULL, sole_copy' "$A/Documents/trap")" "link|1|0" "symlink"
expect_eq "$(q "verdict, sole_copy, error LIKE '%too long%', win_path = 'C:\\Users\\$long\\file.txt'" Users/b/file.txt)" "unreadable|1|1|1" unreadable
expect_eq "$(q 'local_path' "$A/Documents/linked.txt")" "$C/$A/Documents/linked.txt" local_path
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry")" 15 "entry rows"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry WHERE rel LIKE '%secret%'")" 0 "link not followed"
expect_eq "$(stat -c '%i %s %Y' "$T/outside/secret.txt")" "$secret_before" "link target untouched"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry_dir WHERE rel = 'C\$/$A/Documents/Empty Folder'")" 1 "empty folder"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry_dir")" 11 "store folders"
expect_eq "$(sql "$DB" "SELECT files, bytes, sole_copy, readonly, repaired, result, finished IS NOT NULL, hashed_bytes FROM verify_run")" \
	"14|$bytes|4|1|0|risk|1|$((2 * 21 + 2 * 8388608))" verify_run
expect_eq "$(sql "$DB" "SELECT kind, path FROM store")" "hardlink|$T/store" store
expect_eq "$(sql "$DB" "SELECT seq, from_prefix FROM verify_map")" '1|C:\Users\b' verify_map
expect_eq "$(sql "$DB" "SELECT count(*) FROM verify_run_store")" 1 verify_run_store

# The human summary lists every file that needs attention, and nothing else.
uk_tool verify --root "C=$C" --exclude 'C:\Users\* [ntuser.dat.LOG*]' \
	--map "C:\\Users\\b=C:\\Users\\$long" "$T/store"
expect_rc 1 "risk (text)"
expect_out "Result: RISK"
expect_out "missing    SOLE-COPY C:.Users.a.Documents.skipped.pst"
expect_out "missing              C:.Users.a.Documents.still in old.txt"
expect_out "modified   SOLE-COPY C:.Users.a.Pictures.big.bin"
expect_out "warning              C:.Users.a.Documents.trap"
[ "$(grep -c ' C:.Users' "$out")" = 6 ] || { cat "$out"; die "6 findings listed"; }
grep -q 'linked.txt' "$out" && die "a linked file is listed"
# The second run of the same store replaces the first (docs/DATABASE.md).
expect_eq "$(sql "$DB" "SELECT group_concat(id) FROM verify_run WHERE finished IS NOT NULL")" 2 "second run recorded"
note "all verdicts exact"
