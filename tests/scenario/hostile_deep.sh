#!/bin/sh
# A store file at the end of a 32,000-character path (128 folders of 250
# characters): far beyond PATH_MAX on POSIX, reached relative to open folders
# and judged like any other file. Nothing is restored there, so it is a
# missing sole copy: verify exits 1, the purge gate refuses, and --force
# deletes the linked entry but keeps the sole copy.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/helpers/purge-store.sh"

ps_init "$T/m"
ps_linked Users/a/ok.txt "ok"
# Built and read with relative steps (python: dash's cd needs the whole path).
deep() { # write|read
	python3 - "$SF/Users/a" "$1" <<'PY'
import os, sys
os.chdir(sys.argv[1])
for _ in range(128):
    if sys.argv[2] == "write":
        os.mkdir("d" * 250)
    os.chdir("d" * 250)
if sys.argv[2] == "write":
    open("deep.txt", "w").write("deep data")
print(open("deep.txt").read())
PY
}
deep write >/dev/null
deep_cat() { deep read; }
expect_eq "$(deep_cat)" "deep data" "the deep file"

ps_verify --json
expect_rc 1 "a folder that cannot be listed is a finding"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" || die "--json is not valid JSON"
expect_eq "$(json verdicts.linked)" 1 linked
expect_eq "$(json verdicts.missing)" 1 "the deep file, judged"
expect_eq "$(json verdicts.unreadable)" 0 "nothing unreadable"
expect_eq "$(json sole_copy)" 1 "counted as a sole copy"
expect_eq "$(json result)" risk result

uk_tool purge --json "$S"
expect_rc 1 "the gate refuses"
expect_eq "$(json deleted_files)" 0 deleted
expect_eq "$(deep_cat)" "deep data" "the deep file after the refusal"

uk_tool purge --force --json "$S"
expect_rc 1 "--force deletes what it can see, keeps the sole copy"
expect_eq "$(json result)" kept result
expect_eq "$(json kept)" 1 "the deep sole copy kept"
expect_eq "$(json deleted_files)" 1 "the linked file's store entry"
expect_eq "$(deep_cat)" "deep data" "the deep file after --force"
expect_eq "$(cat "$C/Users/a/ok.txt")" ok "restored file"
