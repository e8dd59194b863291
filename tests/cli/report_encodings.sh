#!/bin/sh
# The UTF-8 and UTF-16LE copies of one log give identical JSON; every field
# SPEC section 3 lists comes out of the sample logs.
set -e; . "$UK_ROOT/tests/lib.sh"

L="$UK_ROOT/samples/logs"
mkdir -p "$T/u8" "$T/u16"
cp "$L/loadstate-c.log" "$T/u8/loadstate.log"
cp "$L/loadstate-c-utf16.log" "$T/u16/loadstate.log"
head -c 2 "$T/u16/loadstate.log" | od -An -tx1 | grep -q 'ff fe' || die "the UTF-16 sample lost its BOM"
(cd "$T/u8" && uk_tool report --format json loadstate.log && cp "$out" "$T/u8.json")
(cd "$T/u16" && uk_tool report --format json loadstate.log && cp "$out" "$T/u16.json")
cmp "$T/u8.json" "$T/u16.json" || { diff "$T/u8.json" "$T/u16.json"; die "UTF-8 and UTF-16 reports differ"; }
# The committed UTF-16 copy is what the script makes of the UTF-8 one.
cp -r "$L" "$T/regen"; sh "$T/regen/make-utf16.sh"
cmp "$T/regen/loadstate-c-utf16.log" "$L/loadstate-c-utf16.log" || die "make-utf16.sh output differs"

out="$T/u16.json"
expect_eq "$(json runs.0.program)" loadstate program
expect_eq "$(json runs.0.version)" 10.0.19041 version
expect_eq "$(json runs.0.started)" 2024-01-24T21:40:02.120 started
expect_eq "$(json runs.0.completed)" 2024-01-24T21:44:51.690 completed
expect_eq "$(json runs.0.used_c)" true "/c"
expect_eq "$(json runs.0.errors_ignored)" 3 "errors ignored"
expect_eq "$(json runs.0.return_code)" 3 "return code"
expect_eq "$(json runs.0.aborted)" false aborted
expect_eq "$(json runs.0.skipped_profiles.0.sid)" S-1-5-21-91555185-1181623535-1233803906-1640 sid
expect_eq "$(json runs.0.error_summary.0.win32)" 395 "summary code"
expect_eq "$(json runs.0.error_summary.0.caused_abort)" false "summary abort"
expect_eq "$(json runs.0.error_summary.0.recurrence)" 1 "summary recurrence"
expect_eq "$(json runs.0.events.2.win32)" 32 "event code"
expect_eq "$(json runs.0.events.2.win32_name)" ERROR_SHARING_VIOLATION "event code name"
expect_eq "$(json runs.0.events.2.path)" 'C:\Users\alice\Documents\Outlook Files\alice@contoso.com.pst' "quoted path"
expect_eq "$(json runs.0.events.3.path)" 'C:\Users\zoë\Pictures\Ski trip, 2023\DSC_0412.JPG' "plain path"
expect_eq "$(json runs.0.events.0.path)" null "no path"

cd "$L"
uk_tool report --format json loadstate-abort-retry.log loadstate-progress.log scanstate.log
expect_eq "$(json runs.0.aborted)" true "aborted run"
expect_eq "$(json runs.0.completed)" null "no completion"
expect_eq "$(json runs.0.return_code)" 61 "return code 61"
expect_eq "$(json runs.0.events.1.win32)" 112 "disk full"
expect_eq "$(json runs.1.aborted)" false "the retry completed"
expect_eq "$(json runs.2.program)" scanstate scanstate
expect_eq "$(json runs.2.return_code)" null "no return code stated"
expect_eq "$(json progress.0.errors.2.path)" 'C:\Users\zoë\Pictures\Ski trip, 2023\DSC_0412.JPG' "progress path"
expect_eq "$(json progress.0.errors.2.action)" Ignore "progress action"
expect_eq "$(json progress.0.errors.2.win32)" 33 "progress code"
expect_eq "$(json risk)" high "an aborted run retried to completion is not critical"
