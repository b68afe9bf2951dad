#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare what the baseline and the patched kernel gave the page allocator.

    compare.py run [--matrix FILE | --layout "TARGET MEM MACHINE [APPEND...]"]
                   [--flavour debug|perf] [--jobs N] [--no-build]
        build both kernels for every target named, boot both on every
        layout (in parallel), print the side-by-side tables and a verdict
        line per layout, write build/results/compare.json; exit 0 only
        when every layout passes.
    compare.py check BASELINE_DIR PATCHED_DIR
        compare two capture directories written by boot.sh.

The nothing-lost rule, per zone and in total (see Documentation/):
  - both kernels booted and captured everything;
  - the same zones; spanned and present pages identical;
  - managed and free pages (buddy free lists plus per-cpu lists) equal up
    to the kernel image size difference (free also up to the per-cpu vmstat
    thresholds /proc/zoneinfo shows, by which NR_FREE_PAGES may lag)
    (from the "Memory:" lines, in pages, plus one page per image section for
    rounding);
  - the "Memory:" physical total and the highmem totals identical;
  - in each capture, buddyinfo summed over orders equals the zone's free
    pages (up to the per-cpu vmstat thresholds);
  - patched no more fragmented: pages in free blocks of order >=
    pageblock_order not fewer than baseline's; where the zone has fewer
    managed pages (the image difference), minus the pageblocks those pages
    can touch.
A layout that fails is booted again with the baseline (--retries times):
where the baseline itself varies from boot to boot (free pages and pages
in blocks >= pageblock_order, per zone), that spread is added to what
free and fragmentation may differ by, and a layout that then passes is
reported as PASS-NOISY with the spread, so that run-time noise (runtime
allocations on numa=fake= nodes, say) is told apart from lost pages.
"""
import argparse
import concurrent.futures
import json
import math
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import capture  # noqa: E402
import procparse  # noqa: E402
import rst  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("HO_BUILD", os.path.join(ROOT, "build"))
RESULTS = os.path.join(BUILD, "results")
# "free" is what the allocator holds free: the buddy free lists plus the
# per-cpu lists (a page freed through the per-cpu lists sits there, off
# NR_FREE_PAGES, until they are drained).  "buddy" and "pcp" are shown but
# not judged on their own.
FIELDS = ("spanned", "present", "managed", "free", "buddy", "pcp")
EXACT = ("spanned", "present")
JUDGED = ("spanned", "present", "managed", "free")


def image_allowance(mb, mp):
    """Pages by which managed/free may differ: the image size difference."""
    diff_k = sum(abs(mp[s] - mb[s]) for s in procparse.IMAGE_SECTIONS)
    return math.ceil(diff_k / 4) + len(procparse.IMAGE_SECTIONS)


def hi_order_pages(counts, pb_order):
    return sum(n << o for o, n in enumerate(counts) if o >= pb_order)


def buddy_pages(counts):
    return sum(n << o for o, n in enumerate(counts))


def zone_field(zone, field):
    if field == "free":
        return zone.get("free", 0) + zone.get("pcp", 0)
    if field == "buddy":
        return zone.get("free", 0)
    return zone.get(field, 0)


def tolerance(field, allow, lag):
    """How far apart the kernels may be: 0 for the exact fields, the image
    allowance (plus the vmstat lag for "free"), None for unjudged ones."""
    if field in EXACT:
        return 0
    if field in JUDGED:
        return allow + (lag if field == "free" else 0)
    return None


def judge(field, vb, vp, allow, lag):
    tol = tolerance(field, allow, lag)
    return tol is None or abs(vb - vp) <= tol


def baseline_noise(captures):
    """How much the baseline's free and >= pageblock pages vary between its
    own boots (loaded captures of one layout): {zone key: {"free": n,
    "hi": n}}, the most any zone varied, plus "total" for the free total."""
    seen = {}
    for cap in captures:
        if not cap["status"].startswith("ok") or cap["missing"]:
            continue
        pb_order = cap["pagetypeinfo"]["pageblock_order"] or 0
        total = 0
        for key, z in cap["zoneinfo"].items():
            free = zone_field(z, "free")
            total += free
            hi = hi_order_pages(cap["buddyinfo"].get(key, []), pb_order)
            seen.setdefault(key, {"free": [], "hi": []})
            seen[key]["free"].append(free)
            seen[key]["hi"].append(hi)
        seen.setdefault("total", {"free": []})["free"].append(total)
    spread = {k: {f: max(v) - min(v) for f, v in d.items()} for k, d in seen.items()}
    # Which zone a run-time allocation lands in varies too: every zone may
    # differ by as much as the most any zone of the layout did.
    worst = {f: max((d.get(f, 0) for k, d in spread.items() if k != "total"), default=0)
             for f in ("free", "hi")}
    return {k: (d if k == "total" else dict(worst)) for k, d in spread.items()}


def compare(base, pat, noise=None):
    """Apply the rule to two loaded captures (procparse.load); noise, from
    baseline_noise(), widens what free and fragmentation may differ by."""
    noise = noise or {}
    res = {"verdict": "PASS", "problems": [], "zones": [], "allowance": None,
           "memory": {"baseline": base.get("memory"), "patched": pat.get("memory")}}
    probs = res["problems"]
    bok = base["status"].startswith("ok")
    pok = pat["status"].startswith("ok")
    if not bok:
        res["verdict"] = "BASELINE-FAILED"
        probs.append("baseline did not boot: " + base["status"])
        if not pok:
            probs.append("patched did not boot either: " + pat["status"])
        return res
    if not pok:
        res["verdict"] = "FAIL"
        probs.append("patched did not boot: " + pat["status"])
        return res
    for who, cap in (("baseline", base), ("patched", pat)):
        if cap["missing"]:
            probs.append(f"{who}: not captured: {', '.join(cap['missing'])}")
        elif cap["memory"] is None:
            probs.append(f"{who}: no 'Memory:' line in the kernel log")
    if probs:
        res["verdict"] = "FAIL"
        return res

    mb, mp = base["memory"], pat["memory"]
    allow = image_allowance(mb, mp)
    res["allowance"] = allow
    if mb["total"] != mp["total"]:
        probs.append(f"Memory: physical total {mb['total']}K -> {mp['total']}K")
    if mb.get("highmem") != mp.get("highmem") and mb.get("highmem") is not None:
        probs.append(f"Memory: highmem {mb.get('highmem')}K -> {mp.get('highmem')}K")
    for key in ("HighTotal",):
        vb, vp = base["meminfo"].get(key), pat["meminfo"].get(key)
        if vb != vp:
            probs.append(f"meminfo {key} {vb}K -> {vp}K")
    vb, vp = base["meminfo"].get("MemTotal"), pat["meminfo"].get("MemTotal")
    if vb is None or vp is None or abs(vb - vp) > 4 * allow:
        probs.append(f"meminfo MemTotal {vb}K -> {vp}K (allowed +-{4 * allow}K)")

    zb, zp = base["zoneinfo"], pat["zoneinfo"]
    pb_order = base["pagetypeinfo"]["pageblock_order"] or 0
    pb_pages = 1 << pb_order
    totals = {f: [0, 0] for f in FIELDS}
    total_lag = 0
    for key in list(zb) + [k for k in zp if k not in zb]:
        name = f"{key[1]}" if key[0] == 0 and len({k[0] for k in zb}) == 1 else f"{key[0]}:{key[1]}"
        if key not in zb or key not in zp:
            probs.append(f"zone {name} only in the {'patched' if key in zp else 'baseline'} kernel")
            continue
        b, p = zb[key], zp[key]
        if not b.get("spanned") and not p.get("spanned"):
            continue
        z = {"zone": name, "node": key[0], "name": key[1], "fields": {}}
        # NR_FREE_PAGES as /proc shows it may lag by up to the per-cpu
        # vmstat thresholds, in either capture.
        lag = b.get("stat_threshold", 0) + p.get("stat_threshold", 0)
        lag += noise.get(key, {}).get("free", 0)
        total_lag += lag
        for f in FIELDS:
            vb, vp = zone_field(b, f), zone_field(p, f)
            totals[f][0] += vb
            totals[f][1] += vp
            ok = judge(f, vb, vp, allow, lag)
            z["fields"][f] = [vb, vp, ok]
            if not ok:
                probs.append(f"zone {name}: {f} {vb} -> {vp} ({vp - vb:+d}"
                             + ("" if f in EXACT else
                                f", allowed +-{tolerance(f, allow, lag)}") + ")")
        bb = base["buddyinfo"].get(key, [])
        bp = pat["buddyinfo"].get(key, [])
        z["buddy"] = [bb, bp]
        for who, counts, zi in (("baseline", bb, b), ("patched", bp, p)):
            if abs(buddy_pages(counts) - zi.get("free", 0)) > zi.get("stat_threshold", 0):
                probs.append(f"zone {name}: {who} buddyinfo sums to {buddy_pages(counts)} pages, "
                             f"zoneinfo says {zi.get('free', 0)} free")
        hb, hp = hi_order_pages(bb, pb_order), hi_order_pages(bp, pb_order)
        z["hi_order_pages"] = [hb, hp]
        # Pages the patched kernel may lack in this zone (a larger image)
        # can break the pageblocks they sit in, and no more.
        lost = max(0, b.get("managed", 0) - p.get("managed", 0))
        frag_slack = (-(-lost // pb_pages) + 1) * pb_pages if lost else 0
        frag_slack += noise.get(key, {}).get("hi", 0)
        if hb - hp > frag_slack:
            probs.append(f"zone {name}: more fragmented: {hp} pages in blocks of order >= {pb_order}, "
                         f"baseline {hb} (allowed -{frag_slack})")
        res["zones"].append(z)
    res["totals"] = {}
    for f in FIELDS:
        vb, vp = totals[f]
        ok = judge(f, vb, vp, allow, total_lag)
        res["totals"][f] = [vb, vp, ok]
        if not ok:
            probs.append(f"total {f} {vb} -> {vp} ({vp - vb:+d})")
    res["pageblock_order"] = pb_order
    if probs:
        res["verdict"] = "FAIL"
    return res


def _mark(vb, vp, ok):
    if vb == vp:
        return ""
    return f"{vp - vb:+d}" + ("" if ok else " !")


def render(layout, res):
    """The side-by-side text tables of one layout."""
    out = []
    mem = res["memory"]
    head = f"== {layout}: {res['verdict']}"
    if res["allowance"] is not None:
        head += (f"  (kernel image {mem['baseline']['image']}K -> {mem['patched']['image']}K,"
                 f" managed/free may differ by {res['allowance']} pages)")
    out.append(head)
    if res["zones"]:
        w = 8
        hdr = f"{'zone':<10}" + "".join(f"{f:^{3 * w}}  " for f in FIELDS)
        sub = f"{'':<10}" + "".join(f"{'base':>{w}}{'patched':>{w}}{'diff':>{w}}  " for f in FIELDS)
        out += [hdr.rstrip(), sub.rstrip()]
        rows = [(z["zone"], z["fields"]) for z in res["zones"]] + [("total", res["totals"])]
        for name, fields in rows:
            line = f"{name:<10}"
            for f in FIELDS:
                vb, vp, ok = fields[f]
                line += f"{vb:>{w}}{vp:>{w}}{_mark(vb, vp, ok):>{w}}  "
            out.append(line.rstrip())
        norder = max(len(c) for z in res["zones"] for c in z["buddy"])
        out.append("")
        out.append(f"{'buddyinfo':<18}" + "".join(f"{o:>7}" for o in range(norder))
                   + f"{'>=pb':>9}")
        for z in res["zones"]:
            bb, bp = z["buddy"]
            for who, counts, hi in (("base", bb, z["hi_order_pages"][0]),
                                    ("patched", bp, z["hi_order_pages"][1])):
                line = f"{z['zone'] + ' ' + who:<18}" + "".join(f"{n:>7}" for n in counts)
                line += f"{hi:>9}"
                if who == "patched":
                    diff = [o for o in range(len(counts)) if o >= len(bb) or counts[o] != bb[o]]
                    if diff:
                        line += "   differs at order " + ",".join(map(str, diff))
                out.append(line)
    for p in res["problems"]:
        out.append(f"   ! {p}")
    return "\n".join(out)


def layout_name(target, mem, machine, append):
    """A layout as its matrix line says it: "i386-highmem 3G pc mem=1500M"."""
    return " ".join(x for x in (target, mem, machine, append) if x)


def verdict_line(layout, res):
    extra = f": {res['problems'][0]}" if res["problems"] else ""
    more = f" (+{len(res['problems']) - 1} more)" if len(res["problems"]) > 1 else ""
    return f"{res['verdict']:<16} {layout}{extra}{more}"


def read_matrix(path):
    """Layouts of a matrix file: "TARGET MEM MACHINE [APPEND...]" a line."""
    layouts = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            parts = line.split()
            if len(parts) < 3:
                raise ValueError(f"{path}:{n}: want TARGET MEM MACHINE [APPEND...]: {line!r}")
            layouts.append((parts[0], parts[1], parts[2], " ".join(parts[3:])))
    return layouts


def result_dir(kernel, flavour, target, mem, machine, append):
    label = kernel if flavour == "debug" else f"{kernel}-{flavour}"
    return os.path.join(RESULTS, label, target, capture.slug(mem, machine, append))


def _run(cmd, env=None):
    return subprocess.run(cmd, env=env, check=False).returncode


def run(args):
    if args.layout:
        parts = args.layout.split()
        if len(parts) < 3:
            print("--layout wants \"TARGET MEM MACHINE [APPEND...]\"", file=sys.stderr)
            return 2
        layouts = [(parts[0], parts[1], parts[2], " ".join(parts[3:]))]
    else:
        try:
            layouts = read_matrix(args.matrix)
        except (OSError, ValueError) as e:
            print(f"compare: {e}", file=sys.stderr)
            return 2
    targets = list(dict.fromkeys(lay[0] for lay in layouts))
    t0 = time.time()
    if not args.no_build:
        for t in targets:
            for kernel in ("patched", "baseline"):
                t1 = time.time()
                print(f">>> build {kernel} {t}-{args.flavour}", flush=True)
                if _run([os.path.join(ROOT, "scripts", "build.sh"), kernel, t, args.flavour]):
                    print(f"compare: build of {kernel} {t} failed", file=sys.stderr)
                    return 1
                print(f"<<< build {kernel} {t}-{args.flavour}: {time.time() - t1:.1f}s", flush=True)
    t1 = time.time()
    env = dict(os.environ, FLAVOUR=args.flavour, QUIET="1")
    jobs = [(lay, k) for lay in layouts for k in ("baseline", "patched")]
    print(f">>> boot {len(jobs)} kernels ({len(layouts)} layouts x baseline, patched), "
          f"{args.jobs} at a time", flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        list(ex.map(lambda j: _run([os.path.join(ROOT, "scripts", "boot.sh"), j[1], *j[0][:3],
                                    *j[0][3].split()], env), jobs))
    print(f"<<< boot: {time.time() - t1:.1f}s", flush=True)

    report = {"flavour": args.flavour, "layouts": []}
    verdicts = []
    for lay in layouts:
        name = layout_name(*lay)
        base = procparse.load(result_dir("baseline", args.flavour, *lay))
        pat = procparse.load(result_dir("patched", args.flavour, *lay))
        res = compare(base, pat)
        if res["verdict"] == "FAIL" and args.retries > 0 and base["status"].startswith("ok") \
                and pat["status"].startswith("ok"):
            res = judge_with_noise(args, lay, name, base, pat, res, env)
        print()
        print(render(name, res))
        print(f"   files: {os.path.relpath(base['dir'], ROOT)}  {os.path.relpath(pat['dir'], ROOT)}")
        verdicts.append(verdict_line(name, res))
        report["layouts"].append({"target": lay[0], "mem": lay[1], "machine": lay[2],
                                  "append": lay[3], "baseline_dir": base["dir"],
                                  "patched_dir": pat["dir"], **res})
    os.makedirs(RESULTS, exist_ok=True)
    out_json = os.path.join(RESULTS, "compare.json")
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, sort_keys=True)
    print()
    print("Verdicts:")
    for v in verdicts:
        print("  " + v)
    npass = sum(v.startswith("PASS") for v in verdicts)
    svg = plot(report, os.path.join(RESULTS, "compare-buddyinfo.svg"))
    print(f"compare: {npass} of {len(verdicts)} layouts pass, {time.time() - t0:.0f}s in all")
    print(f"report: {os.path.relpath(out_json, ROOT)}")
    if svg:
        print(f"report: {os.path.relpath(svg, ROOT)} (free blocks per order, baseline vs patched)")
    if args.rst:
        source = f"--layout \"{args.layout}\"" if args.layout else \
            f"MATRIX={os.path.relpath(os.path.abspath(args.matrix), ROOT)}"
        write_rst(report, verdicts, args.rst, source)
        print(f"report: {os.path.relpath(os.path.abspath(args.rst), ROOT)}")
    return 0 if npass == len(verdicts) else 1


def judge_with_noise(args, lay, name, base, pat, first, env):
    """Boot the baseline of a failing layout again, measure how much it
    varies by itself, and judge once more with that spread allowed."""
    print(f">>> {name}: FAIL; booting the baseline {args.retries} more time(s) "
          "to measure its own boot-to-boot variation", flush=True)
    captures = [base]
    bdir = result_dir("baseline", args.flavour, *lay)
    keep = bdir + ".first"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(bdir, keep)
    for _ in range(args.retries):
        _run([os.path.join(ROOT, "scripts", "boot.sh"), "baseline", *lay[:3], *lay[3].split()], env)
        captures.append(procparse.load(bdir))
    # The first capture stays the one compared, and on disk.
    shutil.rmtree(bdir, ignore_errors=True)
    shutil.move(keep, bdir)
    noise = baseline_noise(captures)
    res = compare(base, pat, noise)
    spread = {"any zone": noise[next(k for k in noise if k != "total")],
              "total": noise.get("total", {})} if len(noise) > 1 else {}
    res["noise"] = {"boots": len(captures), "spread": spread,
                    "first_problems": first["problems"]}
    if res["verdict"] == "PASS":
        res["verdict"] = "PASS-NOISY"
    desc = ", ".join(f"{z}: " + " ".join(f"{f} {n}" for f, n in v.items() if n)
                     for z, v in spread.items()) or "none"
    res["problems"] = res["problems"] + [
        f"(baseline varies between its own {len(captures)} boots by: {desc}; "
        f"without that: {'; '.join(first['problems'])})"]
    return res


def write_rst(report, verdicts, path, source):
    """The verdicts and zone tables of one run, for Documentation/."""
    version = "unknown kernel"
    try:
        with open(os.path.join(BUILD, "kernel-version"), encoding="utf-8") as f:
            kv = dict(line.strip().split("=", 1) for line in f if "=" in line)
        version = f"Linux {kv['KERNELVERSION']} (Debian {kv['DEBIAN_VERSION']})"
    except (OSError, KeyError):
        pass
    tree = os.path.join(BUILD, "linux")
    series = subprocess.run(["git", "-C", tree, "rev-list", "--count", "base..HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    title = f"make compare {source}"
    out = [".. SPDX-License-Identifier: GPL-2.0",
           ".. Generated by scripts/compare.py run --rst; do not edit.", "",
           "=" * len(title), title, "=" * len(title), "",
           "Command::", "", f"  make compare {source}", "",
           f"Kernel: {version}, baseline and the {series or '?'} patches of the series,",
           f"{report['flavour']} flavour. The rule is in ``scripts/compare.py`` and",
           "``Documentation/handover.rst``; a number ``b -> p`` is baseline, then patched.", "",
           "Verdicts::", ""]
    out += ["  " + v for v in verdicts] + [""]
    for lay in report["layouts"]:
        name = layout_name(lay["target"], lay["mem"], lay["machine"], lay["append"])
        out += [name, "-" * len(name), "", f"Verdict: {lay['verdict']}.", ""]
        for prob in lay["problems"]:
            out += [f"- {prob}"]
        if lay["problems"]:
            out.append("")
        if not lay["zones"]:
            continue
        rows = []
        for z in lay["zones"] + [{"zone": "total", "fields": lay["totals"]}]:
            cells = [z["zone"]]
            for f in JUDGED:
                vb, vp, _ = z["fields"][f]
                cells.append(str(vb) if vb == vp else f"{vb} -> {vp}")
            if "hi_order_pages" in z:
                hb, hp = z["hi_order_pages"]
                cells.append(str(hb) if hb == hp else f"{hb} -> {hp}")
            else:
                cells.append("")
            rows.append(cells)
        out += rst.simple_table(["zone", *JUDGED, "pages in blocks >= pageblock"], rows) + [""]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")


def plot(report, path):
    """One SVG: per layout and zone, free blocks per order, baseline vs
    patched (gnuplot, from Debian's gnuplot-nox).  Returns the path, or
    None when there is nothing to plot or no gnuplot."""
    panels = []
    for lay in report["layouts"]:
        name = layout_name(lay["target"], lay["mem"], lay["machine"], lay["append"])
        for z in lay.get("zones", []):
            panels.append((f"{name}: {z['zone']}", z["buddy"]))
    if not panels or not shutil.which("gnuplot"):
        return None
    cols = 4
    rows = -(-len(panels) // cols)
    data = path + ".dat"
    with open(data, "w", encoding="utf-8") as f:
        for _, (bb, bp) in panels:
            for o in range(max(len(bb), len(bp))):
                vb = bb[o] if o < len(bb) else 0
                vp = bp[o] if o < len(bp) else 0
                f.write(f"{o} {vb} {vp}\n")
            f.write("\n\n")
    cmds = [f"set terminal svg size {cols * 420},{rows * 260} font 'sans,10'",
            f"set output '{path}'",
            f"set multiplot layout {rows},{cols}",
            "set logscale y", "set yrange [0.8:*]", "set xrange [-0.5:10.5]",
            "set xtics 1", "set key top left", "set style fill solid 0.5",
            "set boxwidth 0.4"]
    for i, (title, _) in enumerate(panels):
        t = title.replace("'", "").replace("$", "\\$")
        cmds.append(f"set title '{t}' noenhanced")
        cmds.append(f"plot '{data}' index {i} using ($1-0.2):($2+0.001) with boxes"
                    f" title 'baseline' lc rgb '#4477aa', "
                    f"'' index {i} using ($1+0.2):($3+0.001) with boxes title 'patched'"
                    f" lc rgb '#ee6677'")
    cmds.append("unset multiplot")
    res = subprocess.run(["gnuplot"], input="\n".join(cmds) + "\n", text=True,
                         capture_output=True, check=False)
    if res.returncode != 0:
        print(f"compare: gnuplot failed: {res.stderr.strip()[:300]}", file=sys.stderr)
        return None
    return path


def check(args):
    res = compare(procparse.load(args.baseline), procparse.load(args.patched))
    print(render(f"{args.baseline} vs {args.patched}", res))
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
                   help="extra baseline boots of a failing layout, to measure its noise")
    c = sp.add_parser("check")
    c.add_argument("baseline")
    c.add_argument("patched")
    args = ap.parse_args(argv[1:])
    return run(args) if args.cmd == "run" else check(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
