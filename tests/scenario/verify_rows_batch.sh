#!/bin/sh
# verify writes its rows 32 to an INSERT, holding the rest until a flush:
# every row must still be there, exactly, whatever the count (not a multiple
# of 32, two stores, folders in between), and a linked file's local_path is
# the restored path as found on disk (its case may differ). A new database
# gets 16 KiB pages; an existing one keeps its own.
set -e; . "$UK_ROOT/tests/lib.sh"

mkstore() { # mkstore DIR: an empty USMT store skeleton
	mkdir -p "$1/USMT"
	: >"$1/USMT/catalog.mig"; : >"$1/USMT/MIGSTATE.DAT"; : >"$1/USMT/hardlink.main"
}
mkstore "$T/s1"; mkstore "$T/s2"
C="$T/c"; D="$T/d"
python3 - "$T/s1/USMT/File/C\$" "$C" "$T/s2/USMT/File/D\$" "$D" <<'PY'
import os, sys
s1, c, s2, d = sys.argv[1:]
def linked(store, restored, rel, data, rrel=None):
    p, q = os.path.join(restored, rrel or rel), os.path.join(store, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True); os.makedirs(os.path.dirname(q), exist_ok=True)
    open(p, "w").write(data); os.link(p, q)
def copy(store, restored, rel, data, rdata):
    for root, x in ((store, data), (restored, rdata)):
        p = os.path.join(root, rel); os.makedirs(os.path.dirname(p), exist_ok=True)
        if x is not None: open(p, "w").write(x)
for f in range(7):                      # 7 folders of 11 linked files: 77 rows
    for i in range(11):
        linked(s1, c, f"Users/a/f{f}/n{i}.txt", f"{f}-{i}")
copy(s1, c, "Users/a/same.txt", "x", "x")          # identical
copy(s1, c, "Users/a/edit.txt", "x", "y")          # modified
copy(s1, c, "Users/a/gone.txt", "x", None)         # missing
linked(s1, c, "Data/B/Case.TXT", "k", "data/b/case.txt")  # found with another case
for i in range(5):                      # second store: 5 more rows, another drive
    linked(s2, d, f"data/x{i}", str(i))
PY
# An existing, still empty database made with 4 KiB pages keeps them.
sqlite3 "$T/old.db" "PRAGMA page_size=4096; PRAGMA journal_mode=WAL;" >/dev/null

for db in "$T/new.db" "$T/old.db"; do
	uk_tool verify --root "C=$C" --root "D=$D" --db "$db" --json "$T/s1" "$T/s2"
	expect_rc 1 "verify ($db)"
	expect_eq "$(json files)" 86 "files ($db)"
	expect_eq "$(sql "$db" "SELECT count(*) FROM entry")" 86 "one row per file ($db)"
	expect_eq "$(sql "$db" "SELECT verdict || ' ' || count(*) FROM entry GROUP BY verdict
		ORDER BY verdict" | tr '\n' ',')" "identical 1,linked 83,missing 1,modified 1," \
		"verdicts ($db)"
	expect_eq "$(sql "$db" "SELECT count(*) FROM entry_dir")" \
		"$(find "$T/s1/USMT/File" "$T/s2/USMT/File" -mindepth 1 -type d | wc -l)" "folders ($db)"
	# Every linked row: both identities, the restored path where the file is.
	expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE verdict = 'linked' AND
		fid = restored_fid AND restored_readonly = readonly AND sole_copy = 0 AND
		hash IS NULL AND error IS NULL AND rule IS NULL AND repaired = 0")" 83 \
		"linked rows ($db)"
	expect_eq "$(sql "$db" "SELECT local_path FROM entry WHERE rel = 'C\$/Users/a/f6/n10.txt'")" \
		"$C/Users/a/f6/n10.txt" "local_path as spelled ($db)"
	expect_eq "$(sql "$db" "SELECT local_path FROM entry WHERE rel = 'C\$/Data/B/Case.TXT'")" \
		"$C/data/b/case.txt" "local_path as found on disk ($db)"
	expect_eq "$(sql "$db" "SELECT local_path || ' ' || win_path FROM entry
		WHERE rel = 'D\$/data/x4'")" "$D/data/x4 D:\\data\\x4" "second store ($db)"
	expect_eq "$(sql "$db" "SELECT count(*) FROM entry WHERE fid IS NULL OR size IS NULL
		OR nlink IS NULL OR mtime IS NULL")" 0 "identity, size, links, time on every row ($db)"
done
expect_eq "$(sql "$T/new.db" "PRAGMA page_size")" 16384 "a new database: 16 KiB pages"
expect_eq "$(sql "$T/old.db" "PRAGMA page_size")" 4096 "an existing database keeps its pages"
echo ok
