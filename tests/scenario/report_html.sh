#!/bin/sh
# The HTML report opened in headless Chromium: the DOM holds the verdict and
# one row per file at risk, and a name with '&' (and a literal "&amp;") is
# shown exactly as the file is named. The page is self-contained.
set -e; . "$UK_ROOT/tests/lib.sh"; . "$UK_ROOT/tests/scenario/report_lib.inc"
"$UK_ROOT/scripts/deps.sh" browser

ST="$T/USMTMIG"; C="$T/c"
WNAME='Tom & Jerry &amp; Co.txt' # a literal "&amp;" too: escaped once, never twice
make_store "$ST"
linked "$ST" "$C" "Users/ann/Documents/ok.txt" fine
skipped "$ST" "Users/ann/Documents/$WNAME" only-here
linked "$ST" "$C" "Users/ann/Documents/edited.txt" v1
rm "$C/Users/ann/Documents/edited.txt"; printf 'v2' >"$C/Users/ann/Documents/edited.txt"
ln "$ST/USMT/File/C\$/Users/ann/Documents/edited.txt" "$T/second-link"
uk_tool verify --root "C=$C" "$ST"
expect_rc 1 "verify: a sole copy"
{
	usmt_line 10:00:00 Info 0x000000 'LOADSTATE.EXE Version 10.0.22621'
	usmt_line 10:00:00 Info 0x000000 'USMT Started at 2024/01/24:10:00:00.000'
	usmt_line 10:00:01 Error 0x080000 "Read error 32 for C:\\Users\\ann\\Documents\\$WNAME. Win32Exception: in use."
	usmt_line 10:00:09 Info 0x000000 'USMT Completed at 2024/01/24:10:00:09.000'
} >"$T/loadstate.log"
uk_tool report --store "$ST" --format html --output "$T/report.html" "$T/loadstate.log"
expect_rc 1 "risk"

# Self-contained: no scripts, nothing loaded from elsewhere.
! grep -qi '<script' "$T/report.html" || die "the page has a script"
! grep -Eqi '(src|href)=' "$T/report.html" || die "the page loads an external resource"
grep -q '<style>' "$T/report.html" || die "no inline CSS"

chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --user-data-dir="$T/chrome" \
	--dump-dom "file://$T/report.html" >"$T/dom.html" 2>"$T/chrome.err" ||
	{ tail -5 "$T/chrome.err"; die "chromium failed"; }
[ -s "$T/dom.html" ] || die "chromium printed no DOM"

# Read the DOM Chromium built (text as a reader sees it, entities decoded).
python3 - "$T/dom.html" "C:\\Users\\ann\\Documents\\$WNAME" <<'PY' || die "DOM check failed"
import sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.rows, self.risk, self.in_risk = [], [], None, False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append((tag, a))
        if tag == "table" and a.get("id") == "at-risk-files":
            self.table = True
        if tag == "tr" and getattr(self, "table", False) and a.get("class"):
            self.rows.append({"class": a["class"], "cells": []})
        if tag == "td" and self.rows and getattr(self, "table", False):
            self.rows[-1]["cells"].append("")
        if tag == "strong" and a.get("id") == "risk":
            self.in_risk = True
    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "table":
            self.table = False
        if tag == "strong":
            self.in_risk = False
    def handle_data(self, d):
        if self.in_risk:
            self.risk = (self.risk or "") + d
        if self.stack and self.stack[-1][0] == "td" and self.rows and getattr(self, "table", False):
            self.rows[-1]["cells"][-1] += d

dom = open(sys.argv[1], encoding="utf-8").read()
# Summary first, then the files at risk, then a section per run.
order = [dom.find('id="summary"'), dom.find('id="at-risk"'), dom.find('class="run"')]
assert -1 not in order and order == sorted(order), "section order %r" % order
p = Dom()
p.feed(dom)
want = sys.argv[2]
assert p.risk == "critical", "risk shown: %r" % p.risk
paths = {r["cells"][1]: r for r in p.rows}
assert len(p.rows) == 2, "rows: %r" % [r["cells"][:2] for r in p.rows]
assert want in paths, "the & name is not shown as named: %r" % list(paths)
r = paths[want]
assert r["class"] == "critical" and r["cells"][0] == "critical", r
assert "sole-copy" in r["cells"][2] and "missing" in r["cells"][2], r
assert "ERROR_SHARING_VIOLATION" in r["cells"][4], r
e = [k for k in paths if k.endswith("edited.txt")][0]
assert paths[e]["class"] == "medium" and "modified" in paths[e]["cells"][2], paths[e]
print("DOM ok:", len(p.rows), "rows")
PY
