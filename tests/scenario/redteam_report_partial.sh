#!/bin/sh
# Two stores verified one at a time into one database (or one verified, the
# other only baselined): no finished run covers every store the database
# knows, so none is the run that counts. The report said "no verify run in
# the database" and, with a clean log, risk none, exit 0 -- while store A's
# run had found a sole copy. Now: a warning in every format, risk critical
# when a store's latest run found a sole copy, else high; verified together,
# the stores are judged as usual.
set -e; . "$UK_ROOT/tests/lib.sh"
. "$UK_ROOT/tests/helpers/purge-store.sh"
L="$UK_ROOT/samples/logs/loadstate-clean.log"
db="$T/one.db"
ps_init "$T/a"; A=$S; CA=$C
ps_linked Users/a/l.txt "linked"
ps_sole Users/a/sole.txt "only in store A"
ps_verify --db "$db"
expect_rc 1 "A: a sole copy"
ps_init "$T/b"; B=$S; CB=$C
ps_linked Users/b/l.txt "linked"
ps_verify --db "$db"
expect_rc 0 "B: clean"

uk_tool report --db "$db" --format json "$L"
expect_rc 1 "A's sole copy is not 'none'"
expect_eq "$(json risk)" critical risk
expect_eq "$(json risk_reasons.0.reason)" verify-partial reason
expect_eq "$(json risk_reasons.0.risk)" critical "reason's risk"
json warnings | grep -q "no finished verify run covers all 2 stores" || die "no warning"
uk_tool report --db "$db"
expect_rc 1 text
expect_out "^RISK: CRITICAL"
expect_out "^Verify: no finished verify run covers every store in the database (2 cover only some)"
grep -q "no verify run in the database" "$out" && die "there are verify runs in the database"
expect_err "warning: no finished verify run covers all 2 stores"
uk_tool report --db "$db" --format jsonl
expect_rc 1 jsonl
head -1 "$out" | grep -q '"risk":"critical"' || die "jsonl machine line: $(head -1 "$out")"
uk_tool report --merge --format json "$db"
expect_rc 1 merge
expect_eq "$(json machines.0.risk)" critical "merged machine"

note "the sole copy restored: each store's own run is clean, still not joined"
cp "$A/USMT/File/C\$/Users/a/sole.txt" "$CA/Users/a/sole.txt"
uk_tool verify --db "$db" --root "C=$CA" "$A"
expect_rc 0 "A: clean now"
uk_tool report --db "$db" --format json "$L"
expect_rc 1 "runs of single stores are no 'none'"
expect_eq "$(json risk)" high risk

note "verified together (B's files restored under A's root too): judged as usual"
cp -a "$CB/Users/b" "$CA/Users/b"
uk_tool verify --db "$db" --root "C=$CA" "$A" "$B"
expect_rc 0 "A and B in one run: clean"
uk_tool report --db "$db" --format json "$L"
expect_rc 0 "a run covers both: none"
expect_eq "$(json risk)" none risk
expect_eq "$(json warnings)" "[]" "no warning"

note "a store only baselined into the database of another's clean verify run"
db2="$T/two.db"
uk_tool verify --db "$db2" --root "C=$CA" "$A"
expect_rc 0 "A clean"
uk_tool report --db "$db2" --format json "$L"
expect_rc 0 "A alone: none"
uk_tool verify --baseline --db "$db2" "$B"
expect_rc 0 "B baselined"
uk_tool report --db "$db2" --format json "$L"
expect_rc 1 "B was never verified"
expect_eq "$(json risk)" high risk

note "a newer run of one store found a sole copy; the run that counts (both stores) is older"
rm "$CA/Users/a/sole.txt"
uk_tool verify --db "$db" --root "C=$CA" "$A"
expect_rc 1 "A alone: the sole copy again"
uk_tool report --db "$db" --format json "$L"
expect_rc 1 "the newer run's sole copy is no 'none'"
expect_eq "$(json risk)" critical risk
expect_eq "$(json risk_reasons.0.reason)" verify-partial reason
json warnings | grep -q "newer than run .* cover only some of them and found files at risk" ||
	die "warning: $(json warnings)"
note "a newer clean run of one store: said, not a risk"
cp "$A/USMT/File/C\$/Users/a/sole.txt" "$CA/Users/a/sole.txt"
uk_tool verify --db "$db" --root "C=$CA" "$A"
expect_rc 0 "A alone: clean"
uk_tool report --db "$db" --format json "$L"
expect_rc 0 "the run that counts is clean, and so is A's newer one"
expect_eq "$(json risk)" none risk
json warnings | grep -q "newer than run" || die "the newer run is not mentioned"

note "CSV: the runs not joined are a record of their own"
uk_tool report --db "$db2" --format csv "$L"
expect_rc 1 csv
grep -q '^high,,verify-partial,' "$out" || { cat "$out"; die "no verify-partial record"; }
