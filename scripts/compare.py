#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare what the baseline and the patched kernel gave the page allocator.

    compare.py run [--matrix FILE | --layout "TARGET MEM MACHINE [APPEND...]"]
                   [--flavour debug|perf] [--jobs N] [--no-build]
                   [--retries N] [--rst FILE]
        build both kernels for every target named (a target may name
        configuration fragments: x86_64+kasan), boot both on every layout
        (in parallel), print the side-by-side tables and a verdict line per
        layout, write build/BASE/results/compare.json and the SVG; exit 0 only
        when every layout passes.
    compare.py check BASELINE_DIR PATCHED_DIR [--json FILE]
        compare two capture directories: written by boot.sh, or by
        scripts/capture-host.sh on a real machine.

The rule is in compare_rule.py, the layouts, builds and boots in
compare_runner.py, the tables and files in compare_report.py.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_report  # noqa: E402
import compare_rule  # noqa: E402
import compare_runner  # noqa: E402
import fragments  # noqa: E402
import procparse  # noqa: E402
from paths import RESULTS, ROOT, TREE  # noqa: E402
import paths  # noqa: E402


def kernel_version():
    kv = paths.kernel_version()
    if "KERNELVERSION" not in kv:
        return "unknown kernel"
    return f"Linux {kv['KERNELVERSION']} (Debian {kv.get('DEBIAN_PACKAGE', '')} {kv['DEBIAN_VERSION']})"


def series_length():
    return subprocess.run(["git", "-C", TREE, "rev-list", "--count", "base..HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip()


def run(args):
    try:
        layouts = ([compare_runner.parse_layout(args.layout)] if args.layout
                   else compare_runner.read_matrix(args.matrix))
    except (OSError, ValueError) as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    unfit = {lay["name"]: fragments.unfit(lay["target"]) for lay in layouts}
    runnable = [lay for lay in layouts if not unfit[lay["name"]]]
    t0 = time.time()
    targets = list(dict.fromkeys(lay["target"] for lay in runnable))
    if not args.no_build and not compare_runner.build(targets, args.flavour):
        return 1
    compare_runner.boot_all(runnable, args.flavour, args.jobs)

    report = {"flavour": args.flavour, "layouts": []}
    verdicts = []
    for lay in layouts:
        if unfit[lay["name"]]:
            res, bdir, pdir = compare_runner.not_applicable(lay, unfit[lay["name"]]), None, None
        else:
            res, base, pat = compare_runner.judge_layout(lay, args.flavour, args.retries)
            bdir, pdir = base["dir"], pat["dir"]
        print()
        print(compare_report.render(lay["name"], res))
        if bdir:
            print(f"   files: {os.path.relpath(bdir, ROOT)}  {os.path.relpath(pdir, ROOT)}")
        verdicts.append(compare_report.verdict_line(lay["name"], res))
        report["layouts"].append({**{k: v for k, v in lay.items()},
                                  "baseline_dir": bdir, "patched_dir": pdir, **res})
    out_json = os.path.join(RESULTS, "compare.json")
    compare_report.write_json(report, out_json)
    print()
    print("Verdicts:")
    for v in verdicts:
        print("  " + v)
    npass = sum(v.split()[0] in compare_report.PASSING for v in verdicts)
    svg = compare_report.plot(report, os.path.join(RESULTS, "compare-buddyinfo.svg"))
    print(f"compare: {npass} of {len(verdicts)} layouts pass, {time.time() - t0:.0f}s in all")
    print(f"report: {os.path.relpath(out_json, ROOT)}")
    if svg:
        print(f"report: {os.path.relpath(svg, ROOT)} (free blocks per order, baseline vs patched)")
    if args.rst:
        source = (f"--layout \"{args.layout}\"" if args.layout else
                  f"MATRIX={os.path.relpath(os.path.abspath(args.matrix), ROOT)}")
        compare_report.write_rst(report, verdicts, args.rst, source, kernel_version(),
                                 series_length())
        print(f"report: {os.path.relpath(os.path.abspath(args.rst), ROOT)}")
    return 0 if npass == len(verdicts) else 1


def check(args):
    base, pat = procparse.load(args.baseline), procparse.load(args.patched)
    res = compare_rule.compare(base, pat)
    name = f"{args.baseline} vs {args.patched}"
    print(compare_report.render(name, res))
    print(compare_report.verdict_line(name, res))
    if args.json:
        compare_report.write_json({"flavour": None, "layouts": [
            {"name": name, "baseline_dir": base["dir"], "patched_dir": pat["dir"], **res}]},
            args.json)
    return 0 if res["verdict"] == "PASS" else 1


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sp = ap.add_subparsers(dest="cmd", required=True)
    r = sp.add_parser("run")
    r.add_argument("--matrix", default=os.path.join(ROOT, "configs", "compare.matrix"))
    r.add_argument("--layout")
    r.add_argument("--flavour", default="debug", choices=("debug", "perf"))
    r.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    r.add_argument("--no-build", action="store_true")
    r.add_argument("--rst", help="also write the results as reStructuredText here")
    r.add_argument("--retries", type=int, default=2,
                   help="extra boots of both kernels of a failing layout, to measure their noise")
    c = sp.add_parser("check")
    c.add_argument("baseline")
    c.add_argument("patched")
    c.add_argument("--json", help="also write the result as JSON here")
    args = ap.parse_args(argv[1:])
    return run(args) if args.cmd == "run" else check(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
