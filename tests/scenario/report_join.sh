#!/bin/sh
# A real verify run on a hand-built store joined with LoadState and progress
# logs naming its skipped files: every risk level, case-insensitive paths,
# the database re-rendered without the logs, re-reading never duplicating.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/scenario/report_lib.inc"

ST="$T/USMTMIG"; C="$T/c"
make_store "$ST"
linked "$ST" "$C" "Users/alice/Documents/Budget & Plan.xlsx" budget
linked "$ST" "$C" "Users/alice/Pictures/Ski trip, 2023/DSC_0412.JPG" jpeg
skipped "$ST" "Users/alice/Documents/Outlook Files/alice.pst" pst-data
# notes.txt: the store's version is also in Windows.old (not a sole copy); restored one edited.
mkdir -p "$C/Users/bob/Desktop" "$C/Windows.old/Users/bob/Desktop"
skipped "$ST" "Users/bob/Desktop/notes.txt" old
ln "$ST/USMT/File/C\$/Users/bob/Desktop/notes.txt" "$C/Windows.old/Users/bob/Desktop/notes.txt"
printf 'new' >"$C/Users/bob/Desktop/notes.txt"
linked "$ST" "$C" "Users/bob/Documents/contract.pdf" signed
chmod a-w "$C/Users/bob/Documents/contract.pdf"

uk_tool verify --root "C=$C" --json "$ST"
expect_rc 1 "verify finds the skipped pst"
expect_eq "$(json verdicts.missing)" 1 missing
expect_eq "$(json sole_copy)" 1 "sole copy"

{
	usmt_line 21:40:02 Info 0x000000 'LOADSTATE.EXE Version 10.0.19041[gle=0x000000b7]'
	usmt_line 21:40:02 Info 0x000000 'USMT Started at 2024/01/24:21:40:02.120'
	usmt_line 21:40:02 Info 0x000000 'Command line: loadstate.exe C:\USMTMIG /c /hardlink /nocompress /lac'
	usmt_line 21:41:03 Error 0x0802e9 'CopyStream: Can'"'"'t copy streams from {"c:\users\ALICE\documents\outlook files\ALICE.PST"} to {"x"} object. Error 32.[gle=0x00000020]'
	usmt_line 21:41:04 Error 0x080000 'Read error 33 for C:\Users\alice\Pictures\Ski trip, 2023\DSC_0412.JPG. Win32Exception: locked.'
	usmt_line 21:41:05 Error 0x080000 'Read error 5 for C:\Users\zoë\Music\Prélude & Fugue.mp3. Win32Exception: denied.'
	usmt_line 21:44:51 Info 0x000000 'Success, 3 errors ignored. See the log for more information.'
	usmt_line 21:44:51 Info 0x000000 'USMT Completed at 2024/01/24:21:44:51.690'
} >"$T/loadstate.log"
printf '24 Jan 2024, 21:41:03 +01:00, 00:01:01, error, UnableToCopy, objectName, C:\\Users\\alice\\Documents\\Outlook Files\\alice.pst, action, Ignore, errorCode, 32\r\n' >"$T/progress.log"

uk_tool report --store "$ST" --format json "$T/loadstate.log" "$T/progress.log"
expect_rc 1 "risk found"
expect_eq "$(json risk)" critical risk
expect_eq "$(json verify.run_id)" "$(sql "$ST.usmtkit.db" 'SELECT max(id) FROM verify_run')" "joined the verify run"
expect_eq "$(json at_risk_files.critical)" 1 critical
expect_eq "$(json at_risk_files.high)" 1 high
expect_eq "$(json at_risk_files.medium)" 2 medium
expect_eq "$(at_risk 'alice.pst' reasons)" "logged-error,missing,sole-copy" "pst reasons"
expect_eq "$(at_risk 'alice.pst' verdict)" missing "pst on disk"
expect_eq "$(at_risk 'alice.pst' risk)" critical "pst risk"
expect_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len([e for e in d["at_risk"] if e["path"].endswith("alice.pst")][0]["logged"]))' "$out")" 2 "log and progress both quoted"
expect_eq "$(at_risk 'Prélude & Fugue.mp3' reasons)" logged-error "unknown to verify"
expect_eq "$(at_risk 'Prélude & Fugue.mp3' verdict)" null "no verdict"
expect_eq "$(at_risk 'notes.txt' reasons)" modified "modified"
expect_eq "$(at_risk 'notes.txt' risk)" medium "modified is medium"
expect_eq "$(at_risk 'contract.pdf' reasons)" readonly "read-only to re-apply"
expect_eq "$(at_risk 'DSC_0412.JPG' reasons)" absent "logged but linked: accounted for"
expect_eq "$(at_risk 'Plan.xlsx' reasons)" absent "clean"
expect_eq "$(json runs.0.errors_ignored)" 3 "errors ignored"
expect_eq "$(json progress.0.errors.0.action)" Ignore "progress action"
cp "$out" "$T/first.json"

# Re-rendered from the database alone, and the logs read again: identical.
uk_tool report --store "$ST" --format json
expect_rc 1 "from the database"
cmp "$out" "$T/first.json" || die "re-rendered report differs"
uk_tool report --store "$ST" --format json "$T/loadstate.log" "$T/progress.log"
cmp "$out" "$T/first.json" || die "re-reading the logs changed the report"
expect_eq "$(sql "$ST.usmtkit.db" 'SELECT count(*) FROM log_event')" 3 "no duplicate events"

# Text: the verdict first.
uk_tool report --store "$ST"
expect_rc 1 text
head -n 1 "$out" | grep -q '^RISK: CRITICAL' || { cat "$out"; die "verdict not first"; }
expect_out 'alice.pst'
expect_out 'on disk now: missing'

# The pst restored by hand and verified again: it is no longer at risk.
mkdir -p "$C/Users/alice/Documents/Outlook Files"
cp "$ST/USMT/File/C\$/Users/alice/Documents/Outlook Files/alice.pst" "$C/Users/alice/Documents/Outlook Files/"
uk_tool verify --root "C=$C" "$ST"
uk_tool report --store "$ST" --format json
expect_eq "$(at_risk 'alice.pst' reasons)" absent "identical now"
expect_eq "$(json at_risk_files.critical)" 0 "no critical file"
expect_eq "$(json risk)" high "the mp3 LoadState could not read is still unaccounted for"
