#!/bin/sh
# Install the Debian packages a target needs, only those missing.
# Usage: scripts/deps.sh GROUP...   (build, test, windows, bench, fuzz, browser)
# Set USMTKIT_NO_APT=1 to only report what is missing.
set -eu

pkgs_for() {
	case "$1" in
	build)   echo "gcc make pkg-config libxml2-dev libsqlite3-dev libxxhash-dev" ;;
	test)    echo "libcmocka-dev sqlite3 python3 e2fsprogs valgrind strace xxhash clang libclang-rt-14-dev time" ;;
	windows) echo "gcc-mingw-w64-x86-64-win32 wine wine64 dpkg-dev tcl cmake pkg-config xz-utils" ;;
	bench)   echo "hashdeep xxhash b3sum rsync diffutils hyperfine time" ;;
	fuzz)    echo "clang libclang-rt-14-dev" ;;
	browser) echo "chromium" ;;
	*) echo "deps.sh: unknown group '$1'" >&2; exit 2 ;;
	esac
}

want=""
for g in "$@"; do want="$want $(pkgs_for "$g")"; done
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "${USMTKIT_NO_APT:-0}" = 1 ]; then
	echo "deps.sh: missing packages:$missing" >&2; exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
# Lists may be absent or stale on a fresh machine: update once, then retry.
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
	$SUDO apt-get update -q >/dev/null
	$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
}
