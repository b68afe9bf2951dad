#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""merge_breaks.py [--target T] [BREAK ...]: break the buddy merge path of
build/linux on purpose, one break at a time, build, run the KUnit suites
with scripts/kunit.sh, and list the cases that failed; the source is
restored after each break (git checkout of the one file).  Not part of
make test: each break costs a build and a boot (1 to 2 minutes).

Breaks: order, zone, guard, guard-count, migratetype, placement,
stop-early (all of them without arguments).
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TREE = os.path.join(ROOT, "build", "linux")
BREAKS = {
    "order": ("mm/internal.h", "\tif (buddy_order(buddy) != order)\n\t\treturn false;\n", ""),
    "zone": ("mm/internal.h",
             "\tif (page_zone_id(page) != page_zone_id(buddy))\n\t\treturn false;\n", ""),
    "guard": ("mm/internal.h", "if (!page_is_guard(buddy) && !PageBuddy(buddy))",
              "if (!PageBuddy(buddy))"),
    "guard-count": ("mm/page_alloc.c",
                    "\t\tclear_page_guard(zone, buddy, order);\n"
                    "\t\taccount_freepages(zone, 1 << order, migratetype);\n",
                    "\t\tclear_page_guard(zone, buddy, order);\n"),
    "migratetype": ("mm/page_alloc.c", "\tif (migratetype != *buddy_mt &&\n",
                    "\tif (0 && migratetype != *buddy_mt &&\n"),
    "placement": ("mm/page_alloc.c",
                  "to_tail = buddy_merge_likely(pfn, buddy_pfn, page, order);",
                  "to_tail = !buddy_merge_likely(pfn, buddy_pfn, page, order);"),
    "stop-early": ("mm/page_alloc.c",
                   "\taccount_freepages(zone, 1 << order, migratetype);\n\n"
                   "\twhile (order < MAX_PAGE_ORDER) {",
                   "\taccount_freepages(zone, 1 << order, migratetype);\n\n"
                   "\twhile (order < MAX_PAGE_ORDER - 1) {"),
}


def run_break(name, target):
    path, old, new = BREAKS[name]
    full = os.path.join(TREE, path)
    with open(full, encoding="utf-8") as f:
        text = f.read()
    if text.count(old) != 1:
        return f"{name}: the code to break is not in {path} (the series changed?)"
    with open(full, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))
    try:
        b = subprocess.run([os.path.join(ROOT, "scripts", "build.sh"), "patched", target, "debug"],
                           capture_output=True, text=True, check=False)
        if b.returncode:
            return f"{name}: build failed\n{b.stderr[-1500:]}"
        subprocess.run([os.path.join(ROOT, "scripts", "kunit.sh"), target],
                       capture_output=True, text=True, check=False)
        log = os.path.join(ROOT, "build", "logs", f"kunit-{target}.log")
        with open(log, encoding="utf-8", errors="replace") as f:
            failed = [m.group(1) for m in re.finditer(r"not ok \d+ (\S.*)", f.read())]
        return f"{name}: {len(failed)} failed: " + (", ".join(failed) or "NONE (a test that cannot fail?)")
    finally:
        subprocess.run(["git", "-C", TREE, "checkout", "--", path], check=False)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", default="x86_64")
    ap.add_argument("breaks", nargs="*")
    a = ap.parse_args(argv[1:])
    names = a.breaks or list(BREAKS)
    bad = [n for n in names if n not in BREAKS]
    if bad:
        ap.error(f"unknown break {bad[0]!r}; one of: {', '.join(BREAKS)}")
    for n in names:
        print(run_break(n, a.target), flush=True)
    # Rebuild the unbroken kernel, so that build/ is left as it was.
    subprocess.run([os.path.join(ROOT, "scripts", "build.sh"), "patched", a.target, "debug"],
                   capture_output=True, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
