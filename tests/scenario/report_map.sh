#!/bin/sh
# verify --map (a renamed profile): the log names the old path, the report
# applies the verify run's rules before joining. Then an unfinished last
# LoadState run makes the report critical even with every file linked.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/scenario/report_lib.inc"

ST="$T/USMTMIG"; C="$T/c"
make_store "$ST"
mkdir -p "$ST/USMT/File/C\$/Users/jsmith/Documents" "$C/Users/john.smith/Documents"
printf 'cv' >"$C/Users/john.smith/Documents/cv.doc"
ln "$C/Users/john.smith/Documents/cv.doc" "$ST/USMT/File/C\$/Users/jsmith/Documents/cv.doc"
printf 'draft' >"$ST/USMT/File/C\$/Users/jsmith/Documents/draft.doc" # never restored
uk_tool verify --root "C=$C" --map 'C:\Users\jsmith=C:\Users\john.smith' "$ST"
expect_rc 1 "draft.doc missing"
{
	usmt_line 10:00:00 Info 0x000000 'LOADSTATE.EXE Version 10.0.22621'
	usmt_line 10:00:00 Info 0x000000 'USMT Started at 2024/01/24:10:00:00.000'
	usmt_line 10:00:01 Error 0x080000 'Read error 32 for C:\USERS\JSMITH\Documents\draft.doc. Win32Exception: in use.'
	usmt_line 10:00:02 Error 0x080000 'Read error 32 for C:\Users\jsmith\Documents\cv.doc. Win32Exception: in use.'
	usmt_line 10:00:09 Info 0x000000 'USMT Completed at 2024/01/24:10:00:09.000'
} >"$T/loadstate.log"
uk_tool report --store "$ST" --format json "$T/loadstate.log"
expect_rc 1 risk
expect_eq "$(json at_risk.0.path)" 'C:\Users\john.smith\Documents\draft.doc' "mapped, spelled as verify recorded it"
expect_eq "$(json at_risk.0.reasons)" '["logged-error", "missing", "sole-copy"]' reasons
expect_eq "$(json at_risk.0.logged.0.message)" 'Read error 32 for C:\USERS\JSMITH\Documents\draft.doc. Win32Exception: in use.' "what LoadState said"
expect_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["at_risk"]))' "$out")" 1 "cv.doc is linked after the map: accounted"

# The draft restored; a later LoadState run appended to the log never completed.
cp "$ST/USMT/File/C\$/Users/jsmith/Documents/draft.doc" "$C/Users/john.smith/Documents/draft.doc"
uk_tool verify --root "C=$C" --map 'C:\Users\jsmith=C:\Users\john.smith' "$ST"
expect_rc 0 "all accounted for"
uk_tool report --store "$ST" --format json
expect_rc 0 "nothing at risk"
expect_eq "$(json risk)" none risk
{
	usmt_line 11:00:00 Info 0x000000 'LOADSTATE.EXE Version 10.0.22621'
	usmt_line 11:00:00 Info 0x000000 'USMT Started at 2024/01/24:11:00:00.000'
	usmt_line 11:00:05 Status 0x000000 'Applying'
} >>"$T/loadstate.log"
uk_tool report --store "$ST" --format json "$T/loadstate.log"
expect_rc 1 "unfinished last run"
expect_eq "$(json risk)" critical risk
expect_eq "$(json risk_reasons.0.reason)" loadstate-incomplete reason
expect_eq "$(json runs.1.aborted)" true "second run aborted"
expect_eq "$(sql "$ST.usmtkit.db" 'SELECT count(*) FROM log_run')" 2 "the grown log replaced, not duplicated"
