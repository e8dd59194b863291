#!/bin/sh
# Regenerates loadstate-c-utf16.log: loadstate-c.log as UTF-16LE with a BOM
# (how some USMT builds and editors save logs). Run from anywhere.
set -eu
cd "$(dirname "$0")"
python3 -c 'import sys; d = open("loadstate-c.log", "rb").read().decode("utf-8")
sys.stdout.buffer.write(b"\xff\xfe" + d.encode("utf-16-le"))' >loadstate-c-utf16.log
