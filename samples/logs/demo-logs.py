#!/usr/bin/env python3
"""Write the LoadState logs of a gen-store.py demo store.

    demo-logs.py DIR

reads DIR/manifest.json and writes DIR/loadstate.log (a LoadState /c run that
logged a sharing or lock violation for every file it skipped, with the error
summary) and DIR/loadstate-progress.log (the same errors as /progress
`action, Ignore` records), in USMT's line layout with CRLF line ends, so
`usmt-report` can join them with the demo's verify run. Standard library only.
"""
import json
import os
import sys


def line(clock, level, code, msg):
    return "2024-01-24 %s, %-22s[%s] %s" % (clock, level, code, msg)


def clock(s):
    return "%02d:%02d:%02d" % (21 + s // 3600, (s // 60) % 60, s % 60)


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    skipped = [a["path"] for a in manifest["attention"] if a["verdict"] == "missing"]
    codes = [32, 33]
    log = [
        line(clock(0), "Info", "0x000000", "LOADSTATE.EXE Version 10.0.19041[gle=0x000000b7]"),
        line(clock(0), "Info", "0x000000", "USMT Started at 2024/01/24:21:00:00.250"),
        line(clock(0), "Info", "0x000000", "Command line: loadstate.exe C:\\USMTMIG /c /hardlink "
             "/nocompress /lac /v:5 /l:loadstate.log /progress:loadstate-progress.log"),
        line(clock(5), "Status", "0x000000", "Applying"),
    ]
    prog = ["24 Jan 2024, %s +01:00, 00:00:00, program, LoadState.exe, productVersion, "
            "10.0.19041.1, computerName, DEMO-PC, commandLine, loadstate.exe C:\\USMTMIG /c"
            % clock(0)]
    for i, path in enumerate(skipped):
        code = codes[i % 2]
        t = clock(10 + i)
        log.append(line(t, "Error", "0x0802e9", "CopyStream: Can't copy streams from {\"%s\"} "
                        "to {\"%s\"} object. Error %d.[gle=0x%08x]" % (path, path, code, code)))
        prog.append("24 Jan 2024, %s +01:00, 00:00:%02d, error, UnableToApply, objectName, %s, "
                    "action, Ignore, errorCode, %d, numberOfIgnoredErrors, %d"
                    % (t, (10 + i) % 60, path, code, i + 1))
    end = clock(10 + len(skipped) + 60)
    log += [
        line(end, "Info", "0x000000", "Success, %d errors ignored. See the log for more "
             "information.[gle=0x00000091]" % len(skipped)),
        line(end, "Info", "0x000000", "LoadState return code: %d" % (3 if skipped else 0)),
        line(end, "Info", "0x000000", "USMT Completed at 2024/01/24:%s.000" % end),
    ]
    if skipped:
        log += [line(end, "Info", "0x000000", "-" * 35 + " USMT ERROR SUMMARY " + "-" * 35),
                line(end, "Info", "0x000000", "|    Error Code | Caused Abort | Recurrence | "
                     "First Occurence")]
        for n, code in enumerate(codes):
            count = len(skipped[n::2])
            if count:
                log.append(line(end, "Info", "0x000000", "| %13d | %12s | %10d | CopyStream: "
                                "Can't copy streams from {\"%s..." % (code, "No", count,
                                                                      skipped[n][:40])))
    for name, lines in (("loadstate.log", log), ("loadstate-progress.log", prog)):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            f.write("\r\n".join(lines) + "\r\n")


if __name__ == "__main__":
    main()
