#!/bin/sh
# A realistic generated store (samples/gen-store.py): verify's counts, sole
# copies, read-only, bytes and hashed bytes equal the generator's manifest,
# and the files it lists as needing attention are exactly the manifest's.
set -e; . "$UK_ROOT/tests/lib.sh"

python3 "$UK_ROOT/samples/gen-store.py" --out "$T/gen" --files 2500 --seed 42 --users 4 >/dev/null
M="$T/gen/manifest.json"
m() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(json.dumps(v) if isinstance(v,(dict,list)) else v)' "$M" "$1"; }
[ "$(m long_paths)" -gt 0 ] || die "the generator made no path over 260 characters"
[ "$(m windows_old_links)" -gt 0 ] || die "no Windows.old links"

uk_tool verify --root "$(m root)" --exclude "$(m exclude)" --json "$T/gen/store"
expect_rc 1 "the generated store has findings"
for k in files bytes verdicts sole_copy readonly hashed_bytes copies repaired result; do
	expect_eq "$(json $k)" "$(m $k)" "$k"
done
DB="$T/gen/store.usmtkit.db"
sql "$DB" "SELECT win_path || '|' || verdict || '|' || sole_copy FROM entry
	WHERE verdict IN ('modified', 'missing', 'unreadable') ORDER BY win_path" >"$T/ours"
python3 -c 'import json,sys
for a in json.load(open(sys.argv[1]))["attention"]:
    print("%s|%s|%d" % (a["path"], a["verdict"], a["sole_copy"]))' "$M" | LC_ALL=C sort >"$T/expected"
LC_ALL=C sort "$T/ours" >"$T/ours.sorted"
diff -u "$T/expected" "$T/ours.sorted" || die "files needing attention differ from the manifest"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry WHERE verdict = 'linked' AND fid != restored_fid")" 0 "linked = same identity"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry WHERE length(win_path) > 260")" "$(m long_paths)" "long paths"
expect_eq "$(sql "$DB" "SELECT count(*) FROM entry_dir WHERE rel LIKE '%/Empty Folder'")" 4 "empty folders"
note "counts equal the manifest"
