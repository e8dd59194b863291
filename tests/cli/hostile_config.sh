#!/bin/sh
# Hostile Config.xml given to usmt-verify --config: external entities (a
# file:// entity naming a secret, a parameter entity, an external DTD), a
# billion-laughs bomb, a million levels of nesting and a 4 GiB file. Each is
# refused with one line on stderr and exit 2, before the store is touched
# (no database is created); strace shows the secret is never opened and the
# 4 GiB file is not read past the size cap.
set -e; . "$UK_ROOT/tests/lib.sh"
command -v strace >/dev/null || die "strace is not installed (scripts/deps.sh test)"

mkdir -p "$T/store/USMT/File/C\$/Users/a" "$T/c/Users/a"
: >"$T/store/USMT/catalog.mig"; : >"$T/store/USMT/MIGSTATE.DAT"; : >"$T/store/USMT/hardlink.main"
echo data >"$T/c/Users/a/f.txt"; ln "$T/c/Users/a/f.txt" "$T/store/USMT/File/C\$/Users/a/f.txt"
echo TOPSECRET >"$T/secret.txt"
rules='<HardLinkStoreControl><fileLocked><createHardLink>C:\Users\* [*]</createHardLink></fileLocked></HardLinkStoreControl>'

# Runs verify on Config.xml $1 under strace; expects exit 2 and stderr holding $2.
refused() {
	set +e
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -qq -o "$T/trace" \
		-e trace=open,openat,openat2,read,connect \
		$UK_RUN "$UK_BIN/usmt-verify$UK_EXE" --root "C=$T/c" --config "$1" "$T/store" \
		>"$T/out" 2>"$T/err"
	rc=$?
	set -e
	out="$T/out"; err="$T/err"
	expect_rc 2 "$1 refused"
	expect_err "$2"
	[ "$(wc -l <"$T/err")" = 1 ] || { cat "$T/err"; die "$1: one line on stderr"; }
	grep -q "open.*$1" "$T/trace" || die "$1: strace did not see Config.xml opened"
	! grep -q "secret.txt" "$T/trace" || die "$1: the secret file was opened"
	! grep -q "TOPSECRET" "$T/out" "$T/err" || die "$1: the secret leaked"
	! grep -q "connect(" "$T/trace" || die "$1: a network connection was attempted"
	[ ! -e "$T/store.usmtkit.db" ] || die "$1: the store was touched (database created)"
}

note "external general entity naming a local file"
cat >"$T/xxe.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE Policies [<!ENTITY xxe SYSTEM "file://$T/secret.txt">]>
<Policies><HardLinkStoreControl><fileLocked>
<createHardLink>C:\\&xxe; [*]</createHardLink>
</fileLocked></HardLinkStoreControl></Policies>
EOF
refused "$T/xxe.xml" "declares a DTD"

note "parameter entity and external DTD"
printf '<!DOCTYPE P [<!ENTITY %% p SYSTEM "file://%s/secret.txt"> %%p;]><Policies>%s</Policies>\n' \
	"$T" "$rules" >"$T/pe.xml"
refused "$T/pe.xml" "declares a DTD"
printf '<!DOCTYPE Policies SYSTEM "file://%s/secret.txt"><Policies>%s</Policies>\n' \
	"$T" "$rules" >"$T/dtd.xml"
refused "$T/dtd.xml" "declares a DTD"
printf '<!DOCTYPE Policies SYSTEM "http://192.0.2.1/evil.dtd"><Policies>%s</Policies>\n' \
	"$rules" >"$T/net.xml"
refused "$T/net.xml" "declares a DTD"

note "billion laughs"
{
	echo '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		printf '<!ENTITY lol%s "' $i
		for j in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' $prev; done
		echo '">'
		prev=lol$i
	done
	echo "]><Policies><HardLinkStoreControl><fileLocked><createHardLink>&lol9;</createHardLink>"
	echo "</fileLocked></HardLinkStoreControl></Policies>"
} >"$T/lol.xml"
refused "$T/lol.xml" "declares a DTD"

note "a million levels of nesting"
python3 -c 'import sys; n=1000000; sys.stdout.write("<a>"*n + "</a>"*n)' >"$T/deep.xml"
refused "$T/deep.xml" "nested deeper than 64"

note "4 GiB of nesting (sparse): refused after reading at most the 16 MiB cap"
python3 -c 'import sys; sys.stdout.write("<a>"*1000)' >"$T/huge.xml"
truncate -s 4G "$T/huge.xml"
refused "$T/huge.xml" "larger than"
read_bytes=$(awk -F' = ' '/^[0-9]+ +read\(/ { if ($NF+0 > 0) s += $NF } END { print s+0 }' "$T/trace")
[ "$read_bytes" -lt $((20 * 1024 * 1024)) ] || die "read $read_bytes bytes of a 4 GiB Config.xml"

note "not XML, bad UTF-8, a bad pattern: one clear line each"
printf 'not xml at all' >"$T/text.xml"
refused "$T/text.xml" "not well-formed XML"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<Policies>\212\232</Policies>' >"$T/utf8.xml"
refused "$T/utf8.xml" "line 2: not well-formed XML"
printf '<Policies><HardLinkStoreControl><fileLocked>\n<errorHardLink>C:\\X [*</errorHardLink>' >"$T/pat.xml"
printf '</fileLocked></HardLinkStoreControl></Policies>' >>"$T/pat.xml"
refused "$T/pat.xml" "line 2: <errorHardLink>: bad pattern"

note "the same rules without a DTD are accepted"
printf '<Policies>%s</Policies>' "$rules" >"$T/good.xml"
uk_tool verify --root "C=$T/c" --config "$T/good.xml" --json "$T/store"
expect_rc 0 "a plain Config.xml"
expect_eq "$(json verdicts.linked)" 1 linked
