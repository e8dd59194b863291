#!/bin/sh
# usmt-purge.exe while another program (holdopen.exe) holds a store file open
# without FILE_SHARE_DELETE: the file and its folders are scheduled with
# MoveFileExW(MOVEFILE_DELAY_UNTIL_REBOOT), files before folders, exit 3010;
# the entries are in PendingFileRenameOperations; after `wine wineboot -r`
# they are gone, the restored files intact, and `--run-pending` makes the
# held read-only file read-only again.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/wine/wine.inc"; . "$UK_ROOT/tests/helpers/purge-store.sh"

KEY='HKLM\System\CurrentControlSet\Control\Session Manager'
pending() { wine reg query "$KEY" /v PendingFileRenameOperations 2>/dev/null || true; }
# Leftovers of a killed earlier run name scratch folders long gone: clear them.
if pending | grep -aq PendingFile; then wine wineboot -r >/dev/null 2>&1; fi

ps_init "$T/m"
# Read-only too: scheduling clears it (the Session Manager cannot delete a
# read-only file) and --run-pending puts it back after the restart.
ps_readonly "Users/alice/Docs/held ü.txt" "held by an application"
ps_linked Users/alice/Docs/other.txt "other"
ps_readonly "Users/alice/contract.pdf" "signed, read-only"
ps_copy Users/bob/copy.txt "copied"
map_drive S "$T"
restored=$(ps_snap "$C")

uk_tool verify --root 'C=S:\m\c' 'S:\m\store'
expect_rc 0 "verify.exe"

note "holdopen.exe holds a store file without FILE_SHARE_DELETE"
wine "$W_HELPERS/holdopen.exe" 'S:\m\store\USMT\File\C$\Users\alice\Docs\held ü.txt' 'S:\flag' &
holder=$!
i=0; while [ ! -e "$T/flag" ]; do
	i=$((i + 1)); [ $i -lt 600 ] || die "holdopen.exe did not start"; sleep 0.1
done
uk_tool purge --json 'S:\m\store'
rm -f "$T/flag"; wait $holder || die "holdopen.exe failed"
expect_rc 3010 "purge with a locked leftover (ERROR_SUCCESS_REBOOT_REQUIRED)"
expect_eq "$(json result)" scheduled result
expect_eq "$(json exit_code)" 3010 exit_code
expect_err 'held .*Sharing violation (error 32)'
# The held file, then its folders up to the store itself, deepest first.
expect_eq "$(json scheduled)" 8 "scheduled: 1 file and 7 folders"
expect_eq "$(json readonly_restored)" 1 "readonly_restored (contract.pdf; the held file's comes after the restart)"
[ -e "$S/USMT/File/C\$/Users/alice/Docs/held ü.txt" ] || die "the held file is gone already"
[ ! -e "$S/USMT/File/C\$/Users/alice/Docs/other.txt" ] || die "other.txt was not deleted"

note "PendingFileRenameOperations (wine reg query), in order"
pending >"$T/reg"
cat "$T/reg"
# reg.exe prints in the OEM code page: the one non-ASCII letter is matched as any.
python3 - "$T/reg" <<'PY' || die "pending entries wrong"
import re, sys
text = open(sys.argv[1], "rb").read().decode("latin-1")
names = [n for n in re.findall(r"\\\?\?\\([^\\]*(?:\\[^\\]+)*?)\\0", text)]
want = [r"S:\m\store\USMT\File\C$\Users\alice\Docs\held ?.txt",
        r"S:\m\store\USMT\File\C$\Users\alice\Docs", r"S:\m\store\USMT\File\C$\Users\alice",
        r"S:\m\store\USMT\File\C$\Users", r"S:\m\store\USMT\File\C$",
        r"S:\m\store\USMT\File", r"S:\m\store\USMT", r"S:\m\store"]
got = [re.sub(r"held .+\.txt", "held ?.txt", n) for n in names]
print("pending:", got)
sys.exit(got != want)
PY

note "restart: wine wineboot -r carries the list out"
wine wineboot -r >/dev/null 2>&1
[ ! -e "$S" ] || { find "$S" >&2; die "the store is still there after the restart"; }
pending | grep -aq 'PendingFile' && die "PendingFileRenameOperations not emptied by the restart"
expect_eq "$(stat -c %a "$C/Users/alice/contract.pdf")" 444 "contract.pdf still read-only"
# The held file shares its attributes with the scheduled store link.
expect_eq "$(stat -c %a "$C/Users/alice/Docs/held ü.txt")" 644 "held file writable until --run-pending"

note "after the restart, --run-pending confirms and re-applies read-only"
uk_tool purge --run-pending --json 'S:\m\store'
expect_rc 0 "--run-pending after the restart"
expect_eq "$(sql "$T/m/store.usmtkit.db" "SELECT count(*) FROM purge_pending")" 0 "pending list emptied"
expect_eq "$(ps_snap "$C")" "$restored" "restored files intact, every read-only file read-only again"
wine_differs "read-only is kept as missing write bits (mode 444) under Wine, FILE_ATTRIBUTE_READONLY on NTFS; both are what fs_stat_win32.c reads back as read-only"
