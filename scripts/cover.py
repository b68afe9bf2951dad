#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Round-trip a format-patch cover letter through a branch description.

    cover.py read patches/0000-cover-letter.patch

prints the subject (without "[PATCH 0/N]") on the first line, a blank line,
then the letter's own text (without git's shortlog, diffstat and base-commit
lines), which is what "git format-patch --cover-from-description=subject"
turns back into the same letter.
"""
import re
import sys

SHORTLOG = re.compile(r"^\S.* \(\d+\):$")


def read_cover(text):
    head, _, body = text.partition("\n\n")
    subject = ""
    lines = head.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("Subject: "):
            subject = line[len("Subject: "):]
            for cont in lines[i + 1:]:
                if not cont.startswith((" ", "\t")):
                    break
                subject += " " + cont.strip()
    subject = re.sub(r"^\[[^]]*\]\s*", "", subject)
    out = []
    blines = body.split("\n")
    for i, line in enumerate(blines):
        nxt = blines[i + 1] if i + 1 < len(blines) else ""
        if SHORTLOG.match(line) and nxt.startswith("  "):
            break
        out.append(line)
    return subject, "\n".join(out).rstrip("\n")


def main(argv):
    if len(argv) != 3 or argv[1] != "read":
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        subject, body = read_cover(f.read())
    if not subject or "*** SUBJECT HERE ***" in subject:
        print(f"{argv[2]}: no subject", file=sys.stderr)
        return 1
    print(subject)
    print()
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
