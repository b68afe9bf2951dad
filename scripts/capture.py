#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers for boot.sh.

    capture.py slug MEM MACHINE [APPEND]  directory name of a layout
    capture.py split CONSOLE OUTDIR       write the sections /init printed
                                          between @@HANDOVER-BEGIN/END x@@
                                          markers to OUTDIR/x; exit 1 when
                                          the @@HANDOVER-DONE@@ line is missing
"""
import os
import re
import sys

BEGIN = re.compile(r"@@HANDOVER-BEGIN (\w+)@@")
END = re.compile(r"@@HANDOVER-END (\w+)@@")
DONE = "@@HANDOVER-DONE@@"


def slug(mem, machine, append=""):
    """A file-system safe, readable name for one layout."""
    parts = [mem, machine]
    if append.strip():
        parts.append(re.sub(r"[^A-Za-z0-9.,=+@-]+", "_", append.strip()))
    return "-".join(parts)


def split(text):
    """Return ({section: text}, done) from a console log."""
    sections = {}
    cur = None
    buf = []
    done = False
    for line in text.splitlines():
        line = line.rstrip("\r")
        if cur is None:
            m = BEGIN.search(line)
            if m:
                cur, buf = m.group(1), []
            elif DONE in line:
                done = True
            continue
        m = END.search(line)
        if m and m.group(1) == cur:
            sections[cur] = "\n".join(buf) + "\n"
            cur = None
        else:
            buf.append(line)
    return sections, done


def main(argv):
    if len(argv) >= 4 and argv[1] == "slug":
        print(slug(argv[2], argv[3], " ".join(argv[4:])))
        return 0
    if len(argv) == 4 and argv[1] == "split":
        with open(argv[2], encoding="utf-8", errors="replace") as f:
            sections, done = split(f.read())
        for name, body in sections.items():
            with open(os.path.join(argv[3], name), "w", encoding="utf-8") as f:
                f.write(body)
        return 0 if done else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
