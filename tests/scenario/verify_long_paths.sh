#!/bin/sh
# Store entries and restored twins at more than PATH_MAX (4096) bytes of path
# are judged like any other file -- linked, identical (hashed), modified,
# repaired -- through folders opened one piece at a time; then usmt-purge
# deletes that store completely and the restored files stay.
set -e; . "$UK_ROOT/tests/lib.sh"

S="$T/store/USMT/File/C\$"; C="$T/c"; DB="$T/store.usmtkit.db"
mkdir -p "$S/Users/a" "$C/Users/a" "$T/store/USMT"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
# 20 folders of 240 bytes: 4,800 bytes below Users/a, built and read with
# relative steps (the kernel refuses the whole path).
deep() { # op [args]: python does what the shell cannot at this depth
	python3 - "$S/Users/a" "$C/Users/a" "$@" <<'PY'
import os, sys
store, restored, op = sys.argv[1], sys.argv[2], sys.argv[3]
names = ["%02d" % i + "d" * 238 for i in range(20)]
def chain(base, create):
    fd = os.open(base, os.O_DIRECTORY)
    for n in names:
        if create:
            os.mkdir(n, dir_fd=fd)
        nfd = os.open(n, os.O_DIRECTORY, dir_fd=fd); os.close(fd); fd = nfd
    return fd
def put(fd, name, data):
    f = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=fd)
    os.write(f, data.encode()); os.close(f)
def get(fd, name):
    f = os.open(name, os.O_RDONLY, dir_fd=fd); d = os.read(f, 100).decode(); os.close(f)
    return d
if op == "build":
    s, c = chain(store, True), chain(restored, True)
    put(c, "linked.txt", "one file, two names")
    os.link("linked.txt", "linked.txt", src_dir_fd=c, dst_dir_fd=s)
    put(s, "copy.txt", "same bytes"); put(c, "copy.txt", "same bytes")
    put(s, "edited.txt", "version 1"); put(c, "edited.txt", "version 2")
    os.mkdir("sub", dir_fd=s); sub = os.open("sub", os.O_DIRECTORY, dir_fd=s)
    put(sub, "skipped.txt", "only in the store")
    print(len(os.path.join(store, *names, "sub", "skipped.txt")))
elif op == "fix":
    put(chain(restored, False), "edited.txt", "version 1")
elif op == "restored":
    c = chain(restored, False)
    sub = os.open("sub", os.O_DIRECTORY, dir_fd=c)
    print(" | ".join(get(c, n) for n in ("linked.txt", "copy.txt", "edited.txt")) +
          " | " + get(sub, "skipped.txt") + " | links " +
          str(os.stat("sub/skipped.txt", dir_fd=c).st_nlink))
PY
}
len=$(deep build)
[ "$len" -gt 4096 ] || die "the deep path is only $len bytes"
note "deepest store path: $len bytes"

uk_tool verify --root "C=$C" --json "$T/store"
expect_rc 1 "one modified, one missing"
expect_eq "$(json verdicts)" '{"linked": 1, "identical": 1, "modified": 1, "missing": 1, "unreadable": 0, "excluded": 0, "corrupt": 0, "changed-since-capture": 0, "lost-since-capture": 0}' verdicts
expect_eq "$(sql "$DB" "SELECT group_concat(substr(rel, -11) || '=' || verdict || ':' || (length(local_path) > 4096), ' ') FROM (SELECT * FROM entry ORDER BY rel)")" \
	"dd/copy.txt=identical:1 /edited.txt=modified:1 /linked.txt=linked:1 skipped.txt=missing:1" "verdict rows"
expect_eq "$(json hashed_bytes)" $((2 * 10 + 2 * 9)) "the copy and the edit were hashed"

# Repair re-creates the deep missing file (and its folder) as a hard link.
deep fix
uk_tool verify --root "C=$C" --repair --json "$T/store"
expect_rc 0 "repaired, all ok"
expect_eq "$(json verdicts)" '{"linked": 2, "identical": 2, "modified": 0, "missing": 0, "unreadable": 0, "excluded": 0, "corrupt": 0, "changed-since-capture": 0, "lost-since-capture": 0}' verdicts
expect_eq "$(json repaired)" 1 repaired
expect_eq "$(deep restored)" "one file, two names | same bytes | version 1 | only in the store | links 2" "restored side"

# Purge deletes the whole store, however deep.
uk_tool purge --json --no-progress "$T/store"
expect_rc 0 "purged"
expect_eq "$(json result)" purged result
expect_eq "$(json deleted_files)" 7 "deleted files (4 entries, 3 control files)"
[ ! -e "$T/store" ] || { find "$T/store" | head -n 5; die "the store is still there"; }
expect_eq "$(deep restored)" "one file, two names | same bytes | version 1 | only in the store | links 1" "restored files kept"
