# Shared by the CLI and scenario tests:  . "$UK_ROOT/tests/lib.sh"
# A test script exits non-zero on the first failed check (set -e style via die).
set -u
UK_ROOT=${UK_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
UK_BUILD=${UK_BUILD:-build}
case "$UK_BUILD" in /*) ;; *) UK_BUILD="$UK_ROOT/$UK_BUILD" ;; esac
UK_BIN=${UK_BIN:-$UK_BUILD/bin}
case "$UK_BIN" in /*) ;; *) UK_BIN="$UK_ROOT/$UK_BIN" ;; esac
UK_RUN=${UK_RUN:-}
UK_EXE=${UK_EXE:-}
# Scratch space for this test; removed on success, kept on failure.
T=$(mktemp -d "${TMPDIR:-/tmp}/usmtkit-test.XXXXXX")
trap 'rc=$?; if [ $rc = 0 ]; then rm -rf "$T"; else echo "kept scratch: $T" >&2; fi' EXIT

die() { echo "FAILED: $*" >&2; exit 1; }
note() { echo "-- $*"; }

# Run a tool: uk_tool verify ARGS... ; sets $rc, $out (stdout file), $err (stderr file)
uk_tool() {
	tool=$1; shift
	out="$T/out.$$"; err="$T/err.$$"
	set +e
	$UK_RUN "$UK_BIN/usmt-$tool$UK_EXE" "$@" >"$out" 2>"$err"
	rc=$?
	set -e 2>/dev/null || true
	return 0
}
expect_rc() { [ "$rc" = "$1" ] || { echo "stdout:"; cat "$out"; echo "stderr:"; cat "$err"; die "exit $rc, expected $1 ($2)"; }; }
expect_out() { grep -q -- "$1" "$out" || { cat "$out"; die "stdout lacks '$1'"; }; }
expect_err() { grep -q -- "$1" "$err" || { cat "$err"; die "stderr lacks '$1'"; }; }
expect_eq() { [ "$1" = "$2" ] || die "${3:-value}: got '$1', expected '$2'"; }
# JSON field of the object in $out: jq-free, through python3.
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[int(k)] if isinstance(d,list) else d[k]
print(json.dumps(d) if isinstance(d,(dict,list)) else ("null" if d is None else (str(d).lower() if isinstance(d,bool) else d)))' "$out" "$1"; }
sql() { sqlite3 -batch -noheader "$1" "$2"; }
