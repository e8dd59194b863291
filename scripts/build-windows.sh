#!/bin/sh
# `make windows`: the tools as static Windows x64 executables in $BUILD/win64/,
# the cmocka unit tests and the Wine test helpers in $BUILD/win64-obj/tests/.
# Dependencies come from scripts/win-deps.sh (Debian sources, cached).
# Env: BUILD (default "build").
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
HOST=x86_64-w64-mingw32
OBJ="$BUILD/win64-obj"
OUT="$BUILD/win64"

prefix=$(BUILD="$BUILD" scripts/win-deps.sh | tail -n 1)
[ -f "$prefix/.complete" ] || { echo "build-windows: no dependency prefix" >&2; exit 1; }

# Unit tests named test_*_posix.c test what only POSIX has. Of the native
# test helpers, holdlock (fs.h only) is built for Windows too.
tests=""
for t in tests/unit/test_*.c; do
	case "$t" in *_posix.c) continue ;; esac
	n=${t##*/}
	tests="$tests $OBJ/tests/${n%.c}.exe"
done

# pkg-config --static: libxml2's .pc lists the system libraries it needs there.
PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH="" \
	${MAKE:-make} -s --no-print-directory PLATFORM=win32 CC=$HOST-gcc AR=$HOST-ar \
	BUILD="$OBJ" PKG_CONFIG="pkg-config --static" \
	CPPFLAGS="-I$prefix/include" LDFLAGS="-L$prefix/lib" \
	binaries $tests "$OBJ/tests/holdlock.exe"

mkdir -p "$OUT" "$OBJ/tests"
for h in tests/wine/helpers/*.c; do
	[ -f "$h" ] || continue
	n=${h##*/}
	$HOST-gcc -std=gnu11 -Wall -Wextra -O2 -municode -static -DUNICODE -D_UNICODE \
		-o "$OBJ/tests/${n%.c}.exe" "$h"
done

# Only Windows' own DLLs may be imported: the .exe files run on a bare system.
system_dll='^(kernel32|msvcrt|advapi32|ntdll|user32|shell32|ws2_32|bcrypt|api-ms-win-.*)\.dll$'
bad=0
for exe in "$OBJ"/bin/usmt-*.exe "$OBJ"/tests/*.exe; do
	for dll in $($HOST-objdump -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p'); do
		echo "$dll" | tr 'A-Z' 'a-z' | grep -Eq "$system_dll" && continue
		echo "build-windows: $exe imports $dll (not a system DLL)" >&2
		bad=1
	done
done
[ "$bad" = 0 ] || exit 1

rm -f "$OUT"/*.exe
cp "$OBJ"/bin/usmt-*.exe "$OUT"/
echo "build-windows: $(ls "$OUT" | tr '\n' ' ')in $OUT (static; imports:" \
	"$($HOST-objdump -p "$OUT"/usmt-*.exe | sed -n 's/^[[:space:]]*DLL Name: //p' |
	sort -u | tr '\n' ' '| sed 's/ $//'))"
