#!/bin/sh
# `make check-windows`: builds the Windows executables (`make windows`), then
# runs under Wine the cross-compiled cmocka unit tests and tests/wine/*.sh
# against the .exe files. Ends with the line "wine: N passed, N failed".
# Env: BUILD (default "build").
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac

BUILD="$BUILD" ${MAKE:-make} --no-print-directory BUILD="$BUILD" windows
# The Linux build too: some tests run both on one store and compare.
${MAKE:-make} -s --no-print-directory BUILD="$BUILD" binaries

# A prefix of our own under the build folder; Wine's messages off; no Mono or
# Gecko installer dialogs (the tools need neither).
export WINEPREFIX="$BUILD/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export UK_WINE_BUILD="$BUILD"
# Wine reads the Linux command line in the locale's charset: UTF-8 it is.
export LC_ALL=C.UTF-8
if [ ! -f "$WINEPREFIX/system.reg" ]; then
	echo "check-windows: creating the Wine prefix $WINEPREFIX (first run only)"
	wineboot -i >"$BUILD/wineboot.log" 2>&1 || { cat "$BUILD/wineboot.log" >&2; exit 1; }
fi
# One persistent wineserver for the whole run: each cold start would run
# wineboot, which carries out pending deletions by itself. Tests that need a
# restart trigger it explicitly (wine wineboot -r).
wineserver -k 2>/dev/null || true
# Drives S: and T: for the tests' stores, made before Wine starts: Wine's
# mount manager sees a new drive letter only after a delay (serial 0 until
# then). Each is a link to a link that a test points at its scratch folder.
for l in s t; do
	mkdir -p "$BUILD/wine-drives/empty"
	[ -L "$BUILD/wine-drives/$l" ] || ln -sfn empty "$BUILD/wine-drives/$l"
	ln -sfn "$BUILD/wine-drives/$l" "$WINEPREFIX/dosdevices/$l:"
done
wineserver -p
trap 'wineserver -k 2>/dev/null || true' EXIT INT TERM

echo "check-windows: the tests below run the Windows .exe files under $(wine --version)" \
	"(WINEPREFIX=${WINEPREFIX#$PWD/}), not natively"
UK_BUILD="$BUILD/win64-obj" UK_RUN=wine UK_EXE=.exe UK_SUITE_NAME=wine tests/run.sh "unit wine"
