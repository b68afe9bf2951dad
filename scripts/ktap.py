#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""KTAP streams of a kernel log, for kunit.py parse.

    ktap.py split LOG OUTDIR      write each top-level KTAP stream of LOG to
                                  OUTDIR/ktap-N.log; print their paths
    ktap.py merge OUT JSON...     write the suites of kunit.py's --json
                                  results as one result to OUT

Every KUnit module that loads prints a KTAP stream of its own ("KTAP version
1" at the start of a line, after the timestamp), and kunit.py parse reads
only the first stream of a log.
"""
import json
import os
import re
import sys

HEADER = re.compile(r"^(\[[ \d.]+\] )?(K?TAP version \d+)\s*$")


def split(text):
    """[stream text], one per top-level KTAP header."""
    streams = []
    for line in text.splitlines():
        if HEADER.match(line):
            streams.append([])
        if streams:
            streams[-1].append(line)
    return ["\n".join(s) + "\n" for s in streams]


def merge(results):
    """One kunit.py JSON result holding the suites of all of them."""
    if not results:
        return {"name": "KUnit Test Group", "sub_groups": [], "test_cases": []}
    out = dict(results[0])
    out["sub_groups"] = []
    seen = {}
    for g in (g for r in results for g in r.get("sub_groups", [])):
        # A suite run again after boot (the rerun fragment) keeps its
        # results apart: "buddy_merge", then "buddy_merge.rerun".
        name = g.get("name", "")
        n = seen.get(name, 0)
        seen[name] = n + 1
        if n:
            g = dict(g, name=name + ".rerun" + (str(n) if n > 1 else ""))
        out["sub_groups"].append(g)
    return out


def main(argv):
    if len(argv) == 4 and argv[1] == "split":
        with open(argv[2], encoding="utf-8", errors="replace") as f:
            streams = split(f.read())
        os.makedirs(argv[3], exist_ok=True)
        for i, s in enumerate(streams):
            path = os.path.join(argv[3], f"ktap-{i}.log")
            with open(path, "w", encoding="utf-8") as f:
                f.write(s)
            print(path)
        return 0 if streams else 1
    if len(argv) >= 3 and argv[1] == "merge":
        results = []
        for path in argv[3:]:
            with open(path, encoding="utf-8") as f:
                results.append(json.load(f))
        with open(argv[2], "w", encoding="utf-8") as f:
            json.dump(merge(results), f, indent=1)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
