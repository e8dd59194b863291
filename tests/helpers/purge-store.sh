# Hand-built stores for the usmt-purge tests, with real hard links:
#   . "$UK_ROOT/tests/helpers/purge-store.sh"; ps_init "$T/m"
# makes $S (a hard-link store) and $C (the restored C: drive). REL is a path
# below C:, '/'-separated ("Users/alice/a.txt").
ps_init() {
	S=$1/store; C=$1/c; SF="$S/USMT/File/C\$"
	mkdir -p "$SF/Users" "$C/Users"
	: >"$S/USMT/catalog.mig"; : >"$S/USMT/MIGSTATE.DAT"; : >"$S/USMT/hardlink.main"
}
_ps_dirs() { mkdir -p "$(dirname "$C/$1")" "$(dirname "$SF/$1")"; }
# Restored file linked into the store (the common case).
ps_linked() { _ps_dirs "$1"; printf '%s' "$2" >"$C/$1"; ln "$C/$1" "$SF/$1"; }
# A file the store holds as a separate, identical copy (locked at ScanState).
ps_copy() { _ps_dirs "$1"; printf '%s' "$2" >"$C/$1"; printf '%s' "$2" >"$SF/$1"; }
# Only in the store: LoadState skipped it (missing, sole copy).
ps_sole() { _ps_dirs "$1"; printf '%s' "$2" >"$SF/$1"; }
# $1 folders Users/u/dNN of $2 linked files fNN.txt each ("file NN NN").
ps_linked_grid() {
	for d in $(seq -w 0 $(($1 - 1))); do
		mkdir -p "$C/Users/u/d$d" "$SF/Users/u/d$d"
		for f in $(seq -w 0 $(($2 - 1))); do
			printf 'file %s %s' "$d" "$f" >"$C/Users/u/d$d/f$f.txt"
			ln "$C/Users/u/d$d/f$f.txt" "$SF/Users/u/d$d/f$f.txt"
		done
	done
}
# Store entry and restored file both read-only (one file, one attribute).
ps_readonly() { ps_linked "$1" "$2"; chmod a-w "$C/$1"; }
# usmt-verify of $S against $C (extra options first); sets $rc like uk_tool.
ps_verify() {
	uk_tool verify --root "C=$C" "$@" "$S"
}
# Every path's type and mode and every file's hash under the store and the
# restored tree (or the folders given), sorted: equal snapshots = untouched.
ps_snap() {
	[ $# -gt 0 ] || set -- "$S" "$C"
	for d in "$@"; do
		[ -e "$d" ] || { echo "absent $d"; continue; }
		(cd "$d" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
			find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
	done
}
