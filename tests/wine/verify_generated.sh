#!/bin/sh
# The same generated store (Unicode and awkward names, paths over 260
# characters, case differences between store and restored paths) verified by
# the Linux build and by usmt-verify.exe under Wine, on drive S: mapped
# through dosdevices: equal JSON summaries, equal per-file rows, and both
# equal to the generator's manifest.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"

python3 "$UK_ROOT/samples/gen-store.py" --out "$T/g" --files 1500 --seed 7 --users 4 >/dev/null
M="$T/g/manifest.json"
m() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(json.dumps(v) if isinstance(v,(dict,list)) else v)' "$M" "$1"; }
[ "$(m long_paths)" -gt 0 ] || die "the generator made no path over 260 characters"
[ "$(m case_differs)" -gt 0 ] || die "the generator made no case difference"
map_drive S "$T"

native_tool verify --root "C=$T/g/c" --exclude "$(m exclude)" --db "$T/native.db" --json "$T/g/store"
expect_rc 1 "native verify: the generated store has findings"
cp "$out" "$T/native.json"
uk_tool verify --root 'C=S:\g\c' --exclude "$(m exclude)" --db 'S:\wine.db' --json 'S:\g\store'
expect_rc 1 "verify.exe under Wine"
expect_eq "$(json stores.0)" 'S:\g\store' "stores, as Windows names them"
expect_eq "$(json db)" 'S:\wine.db' "db"
# The new database was built as wine.db-new and moved into place (MoveFileExW
# without replacing) after SQLite closed it: nothing of it is left beside it.
for f in wine.db-new wine.db-new-wal wine.db-new-shm wine.db-wal wine.db-shm; do
	[ ! -e "$T/$f" ] || die "$f is left beside the database"
done
expect_eq "$(sql "$T/wine.db" 'PRAGMA journal_mode')" wal "the published database is in WAL mode"

python3 - "$T/native.json" "$out" "$M" <<'PY' || die "JSON summaries differ"
import json, sys
n, w, m = (json.load(open(p)) for p in sys.argv[1:4])
bad = 0
for k in "files bytes verdicts sole_copy readonly hashed_bytes copies links repaired result".split():
    if w[k] != n[k]:
        print("%s: Wine %s, Linux %s" % (k, w[k], n[k])); bad = 1
    if k != "links" and w[k] != m[k]:
        print("%s: Wine %s, manifest %s" % (k, w[k], m[k])); bad = 1
sys.exit(bad)
PY
note "JSON summary equal on Linux and under Wine: $(json verdicts)"

q="SELECT rel, type, verdict, size, nlink, readonly, sole_copy, coalesce(hash, '')
	FROM entry ORDER BY rel"
sql "$T/native.db" "$q" >"$T/native.rows"
sql "$T/wine.db" "$q" >"$T/wine.rows"
diff -u "$T/native.rows" "$T/wine.rows" >&2 || die "per-file rows differ between Linux and Wine"
note "$(wc -l <"$T/wine.rows") rows equal, verdict by verdict"

# Windows paths over 260 characters were judged through \\?\ names.
long=$(sql "$T/wine.db" "SELECT count(*) FROM entry WHERE length(local_path) > 260")
[ "$long" -ge "$(m long_paths)" ] || die "long local paths: $long"
expect_eq "$(sql "$T/wine.db" "SELECT count(*) FROM entry WHERE length(win_path) > 260 AND verdict = 'unreadable'")" 0 "long paths readable"
wine_differs 'paths over 260 characters work under Wine even without the \\?\ prefix: this proves they are handled, not that MAX_PATH is avoided (fs_path_win32.c gives every call the \\?\ form)'
# A linked file's identity on Windows is the volume serial and file ID.
expect_eq "$(sql "$T/wine.db" "SELECT count(*) FROM entry WHERE verdict = 'linked' AND (fid != restored_fid OR fid NOT LIKE '0000000053000000:%')")" 0 "linked = same volume serial and file ID"
