#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""breaks.py [--target T] [BREAK ...]: break the handover of build/BASE/linux on
purpose, one break at a time, build, run the KUnit suites with
scripts/kunit.sh, and list the cases that failed (and whether the console
showed a splat); the source is restored after each break (git checkout of
the one file).  Not part of make test: each break costs a build and a boot
(1 to 2 minutes).  A break runs on its own target unless --target says
otherwise.

A break that fails no case is printed as "NONE": a case that cannot fail.
A break that names a layout is judged by "compare.py run" on that layout
instead (what KUnit does not reach, memory hotplug): it must FAIL there.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from paths import LOGS, ROOT, TREE  # noqa: E402
# name: (file, code, broken code, target[, compare layout])
BREAKS = {
    # The merge path.
    "order": ("mm/internal.h", "\tif (buddy_order(buddy) != order)\n\t\treturn false;\n", "",
              "x86_64"),
    "zone": ("mm/internal.h",
             "\tif (page_zone_id(page) != page_zone_id(buddy))\n\t\treturn false;\n", "",
             "x86_64"),
    "guard": ("mm/internal.h", "if (!page_is_guard(buddy) && !PageBuddy(buddy))",
              "if (!PageBuddy(buddy))", "x86_64"),
    "guard-count": ("mm/page_alloc.c",
                    "\t\tclear_page_guard(zone, buddy, order);\n"
                    "\t\taccount_freepages(zone, 1 << order, migratetype);\n",
                    "\t\tclear_page_guard(zone, buddy, order);\n", "x86_64"),
    "migratetype": ("mm/page_alloc.c", "\tif (migratetype != *buddy_mt &&\n",
                    "\tif (0 && migratetype != *buddy_mt &&\n", "x86_64"),
    "placement": ("mm/page_alloc.c",
                  "to_tail = buddy_merge_likely(pfn, buddy_pfn, page, order);",
                  "to_tail = !buddy_merge_likely(pfn, buddy_pfn, page, order);", "x86_64"),
    "stop-early": ("mm/page_alloc.c",
                   "\taccount_freepages(zone, 1 << order, migratetype);\n\n"
                   "\twhile (order < MAX_PAGE_ORDER) {",
                   "\taccount_freepages(zone, 1 << order, migratetype);\n\n"
                   "\twhile (order < MAX_PAGE_ORDER - 1) {", "x86_64"),
    "shuffle": ("mm/page_alloc.c", "to_tail = shuffle_pick_tail();", "to_tail = false;",
                "x86_64"),
    "capture": ("mm/page_alloc.c", "if (compaction_capture(capc, page, order, migratetype)) {",
                "if (0 && compaction_capture(capc, page, order, migratetype)) {", "x86_64"),
    "report": ("mm/page_alloc.c",
               "\tif (!(fpi_flags & FPI_SKIP_REPORT_NOTIFY))\n\t\tpage_reporting_notify_free(order);\n",
               "", "x86_64"),
    # The release of boot memory.
    "highmem": ("mm/mm_init.c", "\t\treturn max_pfn;\n\treturn max_low_pfn;",
                "\t\treturn max_low_pfn;\n\treturn max_low_pfn;", "i386-highmem"),
    "span-zone": ("mm/mm_init.c",
                  "\tif (early_page_initialised(pfn, nid))\n\t\treturn memblock_spanning_page_zone",
                  "\tif (0 && early_page_initialised(pfn, nid))\n\t\treturn memblock_spanning_page_zone",
                  "x86_64"),
    # The zone a struct page names, trusted though it does not span the
    # page frame (MIPS Malta: the hole below high memory).
    "span-check": ("mm/mm_init.c",
                   "\tstruct zone *zone = page_zone(pfn_to_page(pfn));\n\n"
                   "\treturn zone_spans_pfn(zone, pfn) ? zone : NULL;",
                   "\tstruct zone *zone = page_zone(pfn_to_page(pfn));\n\n\treturn zone;",
                   "mips-highmem"),
    "late-count": ("mm/mm_init.c",
                   "\t\tif (memblock_free_pages(pfn_to_page(chunk.pfn), chunk.pfn,\n"
                   "\t\t\t\t\tchunk.order))\n\t\t\treleased += nr;",
                   "\t\tmemblock_free_pages(pfn_to_page(chunk.pfn), chunk.pfn,\n"
                   "\t\t\t\t\tchunk.order);\n\t\treleased += nr;", "x86_64"),
    # The walk skips the first page frame of each free range: its own
    # counters stay consistent, only the audit against memblock sees it.
    "walk-skip": ("mm/mm_init.c",
                  "\treturn memblock_release_range(start, end, &memblock_boot_release.walk);",
                  "\treturn memblock_release_range(start + 1, end, &memblock_boot_release.walk);",
                  "i386-highmem"),
    # Deferred struct page init and the reserved struct pages.
    "deferred-tail": ("mm/mm_init.c",
                      "\twhile (pfn < end_pfn) {\n\t\tunsigned int order = aligned_chunk_order(",
                      "\twhile (pfn + 1 < end_pfn) {\n\t\tunsigned int order = aligned_chunk_order(",
                      "x86_64"),
    "deferred-refcount": ("mm/mm_init.c",
                          "set_page_count(page, as == INIT_PAGE_FREE ? 0 : 1);",
                          "set_page_count(page, 1);", "x86_64"),
    "deferred-zone": ("mm/mm_init.c",
                      "\tint zid = zone_idx(zone);\n\tstruct page *page = pfn_to_page(pfn);\n"
                      "\tstruct page *end",
                      "\tint zid = zone_idx(zone) - 1;\n\tstruct page *page = pfn_to_page(pfn);\n"
                      "\tstruct page *end", "x86_64"),
    # A faster init of free struct pages that clears only the flags.
    "deferred-nozero": ("mm/mm_init.c",
                        "\tmm_zero_struct_page(page);\n\tset_page_links(page, zone, nid, pfn);",
                        "\tif (as != INIT_PAGE_FREE)\n\t\tmm_zero_struct_page(page);\n"
                        "\telse\n\t\tpage->flags = 0;\n\tset_page_links(page, zone, nid, pfn);",
                        "x86_64"),
    "reserved-uninit": ("mm/mm_init.c",
                        "\tif (early_page_initialised(pfn, nid)) {\n\t\tdo {\n"
                        "\t\t\t__set_bit(PG_reserved",
                        "\tif (1) {\n\t\tdo {\n\t\t\t__set_bit(PG_reserved", "x86_64"),
    # free_reserved_area().
    "hwpoison": ("mm/page_alloc.c",
                 "\t\tif (unlikely(PageHWPoison(page + i)))\n\t\t\treturn i ? ilog2(i) : 0;\n",
                 "", "x86_64"),
    "reserved-zone": ("mm/page_alloc.c",
                      "\t\tif (unlikely(page_zone(page + i) != zone))\n\t\t\treturn ilog2(i);\n",
                      "", "x86_64"),
    # Memory hotplug: online_pages() hands the memory over through
    # __free_pages_core(), whose hotplug branch a refactor could merge
    # into the boot branch, which leaves totalram_pages() to its caller.
    "hotplug-totalram": ("mm/page_alloc.c",
                         "\t\tadjust_managed_page_count(page, nr_pages);\n",
                         "\t\tatomic_long_add(nr_pages, &page_zone(page)->managed_pages);\n",
                         "x86_64+hotplug", "x86_64+hotplug 4G q35"),
}


def compare_break(name, layout):
    """The verdict of compare.py on the layout, with the patched kernel broken."""
    r = subprocess.run([os.path.join(ROOT, "scripts", "compare.py"), "run", "--layout", layout,
                        "--retries", "0", "--no-build"],
                       capture_output=True, text=True, check=False)
    tail = r.stdout.split("Verdicts:", 1)[1] if "Verdicts:" in r.stdout else ""
    line = next((ln.strip() for ln in tail.splitlines() if ln.startswith("  ")), None)
    if not line:
        return f"{name} ({layout}): no verdict\n{r.stdout[-1500:]}{r.stderr[-800:]}"
    if line.startswith("PASS"):
        return f"{name} ({layout}): compare PASS: NONE (a comparison that cannot fail?)"
    return f"{name}: compare {' '.join(line.split())}"


def run_break(name, target):
    path, old, new, own = BREAKS[name][:4]
    layout = BREAKS[name][4] if len(BREAKS[name]) > 4 else None
    target = target or own
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
        if layout:
            return compare_break(name, layout)
        subprocess.run([os.path.join(ROOT, "scripts", "kunit.sh"), target],
                       capture_output=True, text=True, check=False)
        log = os.path.join(LOGS, f"kunit-{target}.log")
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        failed = [m.group(1) for m in re.finditer(r"not ok \d+ (\S.*)", text)]
        ran = re.search(r"^\s*(\[[ .0-9]+\] )?\s*ok \d+ ", text, re.M)
        splat = re.search(r"(BUG: .*|WARNING: .*|kernel BUG .*)", text)
        console = f"; console: {splat.group(1).strip()}" if splat else ""
        if not failed and not ran and splat:
            # DEBUG_VM stopped the boot before any suite ran: caught too.
            return f"{name} ({target}): the boot stopped before the suites{console}"
        return (f"{name} ({target}): {len(failed)} failed: "
                + (", ".join(failed) or "NONE (a test that cannot fail?)") + console)
    finally:
        subprocess.run(["git", "-C", TREE, "checkout", "--", path], check=False)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", help="run every break on this target")
    ap.add_argument("breaks", nargs="*")
    a = ap.parse_args(argv[1:])
    names = a.breaks or list(BREAKS)
    bad = [n for n in names if n not in BREAKS]
    if bad:
        ap.error(f"unknown break {bad[0]!r}; one of: {', '.join(BREAKS)}")
    targets = set()
    missed = 0
    for n in names:
        line = run_break(n, a.target)
        missed += "NONE" in line or ": the code to break is not" in line
        print(line, flush=True)
        targets.add(a.target or BREAKS[n][3])
    # Rebuild the unbroken kernels, so that build/ is left as it was.
    for t in sorted(targets):
        subprocess.run([os.path.join(ROOT, "scripts", "build.sh"), "patched", t, "debug"],
                       capture_output=True, check=False)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
