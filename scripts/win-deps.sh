#!/bin/sh
# Builds the Windows (x86_64-w64-mingw32) dependencies -- libxml2, sqlite3 and
# cmocka as static libraries, xxhash.h -- from Debian's source packages with
# Debian's patches applied, into a cache under $BUILD/win-deps/ keyed by the
# source versions (and this recipe). A cache whose key is unchanged is reused.
# Prints the prefix (with include/, lib/, lib/pkgconfig/) as its last stdout line.
# apt-get runs with a private configuration: /etc/apt is never touched.
# Usage: scripts/win-deps.sh   (env: BUILD, default "build")
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
SELF="$ROOT/scripts/win-deps.sh"
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
W="$BUILD/win-deps"
HOST=x86_64-w64-mingw32
SRCPKGS="libxml2 sqlite3 cmocka xxhash"
JOBS=$(nproc 2>/dev/null || echo 2)

say() { echo "win-deps: $*" >&2; }
die() { say "$*"; exit 1; }

# deb-src twins of the system's Debian deb entries (same URIs and keys).
write_sources() {
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	out="$W/apt/sources.d/debian-src.sources"
	: >"$out.new"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*deb([ \n]|$)/ && /debian-archive-keyring/ {
			sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f" >>"$out.new"
	done
	if ! grep -q '^Types: deb-src' "$out.new"; then
		# No deb822 Debian entries (an old-style sources.list): Debian's own.
		cat >"$out.new" <<-EOF
		Types: deb-src
		URIs: http://deb.debian.org/debian
		Suites: $codename $codename-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb-src
		URIs: http://deb.debian.org/debian-security
		Suites: $codename-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
	fi
	mv "$out.new" "$out"
}

apt_private() {
	set -- -q -o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$W/apt/sources.d" \
		-o Dir::State::Lists="$W/apt/lists" \
		-o Dir::Cache="$W/apt/cache" "$@"
	# As root apt drops to the _apt user, who may not reach this folder.
	[ "$(id -u)" = 0 ] && set -- -o APT::Sandbox::User=root "$@"
	apt-get "$@"
}

# The .dsc file names apt would fetch now, one a line: name_version.dsc
source_dscs() {
	apt_private source --print-uris $SRCPKGS 2>/dev/null |
		sed -n "s/^'[^']*' \([^ ]*\.dsc\) .*/\1/p" | sort
}

mkdir -p "$W/apt/sources.d" "$W/apt/lists/partial" "$W/apt/cache/archives/partial"
write_sources
if ! apt_private update >"$W/apt/update.log" 2>&1; then
	say "apt-get update (deb-src, private lists) failed; see $W/apt/update.log"
	[ -n "$(ls "$W/apt/lists" 2>/dev/null | grep Sources || true)" ] ||
		{ cat "$W/apt/update.log" >&2; die "no source lists"; }
	say "using the source lists from the last successful update"
fi
dscs=$(source_dscs)
[ "$(echo "$dscs" | grep -c .)" = 4 ] || die "cannot find the source packages: $SRCPKGS"
key=$( { echo "$dscs"; cat "$SELF"; $HOST-gcc -dumpversion; } | sha256sum | cut -c1-12)
P="$W/prefix-$key"
if [ -f "$P/.complete" ]; then
	say "cache hit: $(echo $dscs | sed 's/\.dsc//g') -> ${P#$ROOT/}"
	echo "$P"; exit 0
fi

say "building $(echo $dscs | sed 's/\.dsc//g') for $HOST (cache ${P#$ROOT/})"
start=$(date +%s)
S="$W/src-$key"
rm -rf "$S" "$P"
mkdir -p "$S" "$P/include" "$P/lib/pkgconfig"
log="$S/download.log"
run() { "$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "failed: $* (log: $log)"; }; }

cd "$S"
run apt_private source --download-only $SRCPKGS
for d in $dscs; do run dpkg-source -x "$d"; done
xml=$(ls -d libxml2-*/) sql=$(ls -d sqlite3-*/) cmo=$(ls -d cmocka-*/) xxh=$(ls -d xxhash-*/)

# xxHash: header-only use (XXH_INLINE_ALL in common/hash.c).
cp "$xxh/xxhash.h" "$P/include/"

# The three builds run side by side (SQLite's one big compile is serial),
# each into its own log.

# SQLite: the amalgamation is generated natively (tclsh), then compiled with
# the -D feature flags of Debian's own build so both platforms behave alike.
(
	log="$S/sqlite3.log"
	cd "$sql"
	run ./configure --disable-tcl --disable-readline
	run make sqlite3.c
	flags=$(sed -n '/^export CFLAGS += /,/[^\\]$/p' debian/rules |
		grep -o -- '-DSQLITE_[A-Za-z0-9_]*\(=[0-9]*\)\{0,1\}' | tr '\n' ' ')
	[ -n "$flags" ] || die "no SQLITE flags found in $sql/debian/rules"
	echo "$flags" >"$P/lib/sqlite3.flags"
	run $HOST-gcc -O2 -fno-strict-aliasing $flags -c sqlite3.c -o sqlite3.o
	run $HOST-ar rcs "$P/lib/libsqlite3.a" sqlite3.o
	cp sqlite3.h sqlite3ext.h "$P/include/"
	version=$(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"/\1/p' sqlite3.h)
	cat >"$P/lib/pkgconfig/sqlite3.pc" <<-EOF
	prefix=$P
	Name: SQLite
	Description: SQL database engine (static, $HOST)
	Version: $version
	Libs: -L\${prefix}/lib -lsqlite3
	Cflags: -I\${prefix}/include
	EOF
) &
sql_pid=$!

# libxml2: a Debian patch touches Makefile.am; keep automake from rerunning.
(
	log="$S/libxml2.log"
	cd "$xml"
	touch aclocal.m4 && touch configure config.h.in && find . -name Makefile.in -exec touch {} +
	run ./configure --host=$HOST --prefix="$P" --disable-shared --enable-static \
		--without-python --without-zlib --without-lzma --without-iconv --without-icu \
		--without-http --without-ftp --without-modules --without-debug
	run make -j"$JOBS" libxml2.la
	run make install-libLTLIBRARIES install-pkgconfigDATA
	run make -C include/libxml install
) &
xml_pid=$!

# cmocka: CMake with a mingw toolchain file; static archive only.
(
	log="$S/cmocka.log"
	cd "$cmo"
	cat >toolchain.cmake <<-EOF
	set(CMAKE_SYSTEM_NAME Windows)
	set(CMAKE_C_COMPILER $HOST-gcc)
	set(CMAKE_RC_COMPILER $HOST-windres)
	set(CMAKE_FIND_ROOT_PATH /usr/$HOST)
	set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
	set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
	set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
	set(CMAKE_CROSSCOMPILING_EMULATOR wine)
	EOF
	run cmake -S . -B obj -DCMAKE_TOOLCHAIN_FILE="$PWD/toolchain.cmake" \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$P" \
		-DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF
	run cmake --build obj -j "$JOBS"
	run cmake --install obj
) || { kill $xml_pid $sql_pid 2>/dev/null; exit 1; }
wait $xml_pid || { kill $sql_pid 2>/dev/null; exit 1; }
wait $sql_pid || exit 1
grep -q LIBXML_STATIC "$P/lib/pkgconfig/libxml-2.0.pc" ||
	die "libxml-2.0.pc lacks -DLIBXML_STATIC"
# Without the DLL's import library, -lcmocka links the static archive.
rm -rf "$P/lib/libcmocka.dll.a" "$P/bin"
[ -f "$P/lib/libcmocka-static.a" ] && cp "$P/lib/libcmocka-static.a" "$P/lib/libcmocka.a"
[ -f "$P/lib/libcmocka.a" ] || die "no static libcmocka.a"

echo "$dscs" >"$P/SOURCES"
cd "$W" && rm -rf "$S"
# Older prefixes are stale now.
for old in "$W"/prefix-*; do [ "$old" = "$P" ] || rm -rf "$old"; done
touch "$P/.complete"
say "built in $(( $(date +%s) - start ))s"
echo "$P"
