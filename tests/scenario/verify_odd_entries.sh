#!/bin/sh
# Odd things in a store: a FIFO (a warning, never opened: opening one could
# hang), a file outside any drive folder (unreadable: nowhere to compare),
# a restored path that is a folder or a symbolic link (modified, not followed);
# --progress draws on stderr only.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"
mkdir -p "$S/Users/a" "$C/Users/a/dir.txt" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"
mkfifo "$S/Users/a/pipe"
printf 'stray' >"$T/store/USMT/File/stray.txt"
printf 'was a file' >"$S/Users/a/dir.txt"
printf 'target' >"$T/target"; printf 'target' >"$S/Users/a/sym.txt"; ln -s "$T/target" "$C/Users/a/sym.txt"

uk_tool verify --root "C=$C" --progress --json "$T/store"
expect_rc 1 risk
expect_eq "$(json verdicts)" '{"linked": 0, "identical": 0, "modified": 2, "missing": 0, "unreadable": 1, "excluded": 0, "corrupt": 0, "changed-since-capture": 0, "lost-since-capture": 0}' verdicts
expect_eq "$(json links)" 1 "the FIFO"
expect_eq "$(json hashed_bytes)" 0 "nothing read"
expect_err "pipe: special file in the store"
DB="$T/store.usmtkit.db"
expect_eq "$(sql "$DB" "SELECT type, verdict IS NULL FROM entry WHERE rel LIKE '%pipe'")" "other|1" fifo
expect_eq "$(sql "$DB" "SELECT verdict, error FROM entry WHERE rel = 'stray.txt'")" \
	"unreadable|not under a drive folder (X\$) of the store" stray
expect_eq "$(sql "$DB" "SELECT verdict, error FROM entry WHERE rel LIKE '%dir.txt'")" "modified|the restored path is a folder" folder
expect_eq "$(sql "$DB" "SELECT verdict, error FROM entry WHERE rel LIKE '%sym.txt'")" \
	"modified|the restored path is a symbolic link (not followed)" symlink
[ "$(wc -l <"$out")" = 1 ] || die "--progress must not touch stdout"
