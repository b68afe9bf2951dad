# SPDX-License-Identifier: GPL-2.0
"""Layouts to compare, and the builds and boots that capture them.

A matrix file holds one layout a line:

    TARGET MEM MACHINE [KERNEL COMMAND LINE...]  [# comment [expectations]]

TARGET may name configuration fragments (x86_64+kasan, see fragments.py).
Expectations in square brackets at the end of the comment say what the
capture must show, or the layout is reported as not what it claims:
nodes=N, zones=A,B,C (populated zones), highmem, movable, hole=ADDR (a
reserved e820 range starting there).
"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import time

import capture
import compare_rule
import fragments
import procparse

from paths import ROOT, RESULTS
EXPECT = re.compile(r"\[([^]]*)\]\s*$")


def layout_name(target, mem, machine, append):
    """A layout as its matrix line says it: "i386-highmem 3G pc mem=1500M"."""
    return " ".join(x for x in (target, mem, machine, append) if x)


def parse_expect(comment):
    """{key: value} of the bracketed expectations at the end of a comment."""
    m = EXPECT.search(comment)
    if not m:
        return {}
    out = {}
    for word in m.group(1).split():
        key, _, value = word.partition("=")
        out[key] = value or True
    return out


def make_layout(target, mem, machine, append="", comment=""):
    base, frags = fragments.split_target(target)
    return {"target": target, "base_target": base, "fragments": frags,
            "mem": mem, "machine": machine, "append": append,
            "comment": comment.strip(), "expect": parse_expect(comment),
            "name": layout_name(target, mem, machine, append)}


def parse_layout(text):
    """One layout from "TARGET MEM MACHINE [APPEND...] [# comment]"."""
    line, _, comment = text.partition("#")
    parts = line.split()
    if len(parts) < 3:
        raise ValueError(f"want TARGET MEM MACHINE [APPEND...]: {text.strip()!r}")
    return make_layout(parts[0], parts[1], parts[2], " ".join(parts[3:]), comment)


def read_matrix(path):
    """The layouts of a matrix file."""
    layouts = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.split("#", 1)[0].strip():
                continue
            try:
                layouts.append(parse_layout(line))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: {e}") from None
    return layouts


def result_dir(kernel, flavour, lay):
    label = kernel if flavour == "debug" else f"{kernel}-{flavour}"
    return os.path.join(RESULTS, label, lay["target"],
                        capture.slug(lay["mem"], lay["machine"], lay["append"]))


def _run(cmd, env=None):
    return subprocess.run(cmd, env=env, check=False).returncode


def build(targets, flavour):
    """Build both kernels of every target; False when one does not build."""
    for t in targets:
        for kernel in ("patched", "baseline"):
            t1 = time.time()
            print(f">>> build {kernel} {t}-{flavour}", flush=True)
            if _run([os.path.join(ROOT, "scripts", "build.sh"), kernel, t, flavour]):
                print(f"compare: build of {kernel} {t} failed")
                return False
            print(f"<<< build {kernel} {t}-{flavour}: {time.time() - t1:.1f}s", flush=True)
    return True


def boot(kernel, lay, flavour):
    env = dict(os.environ, FLAVOUR=flavour, QUIET="1")
    return _run([os.path.join(ROOT, "scripts", "boot.sh"), kernel, lay["target"],
                 lay["mem"], lay["machine"], *lay["append"].split()], env)


def boot_all(layouts, flavour, jobs):
    runs = [(lay, k) for lay in layouts for k in ("baseline", "patched")]
    print(f">>> boot {len(runs)} kernels ({len(layouts)} layouts x baseline, patched), "
          f"{jobs} at a time", flush=True)
    t1 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        list(ex.map(lambda r: boot(r[1], r[0], flavour), runs))
    print(f"<<< boot: {time.time() - t1:.1f}s", flush=True)


def load(kernel, flavour, lay):
    return procparse.load(result_dir(kernel, flavour, lay))


def reboot_captures(kernel, flavour, lay, times):
    """Boot one kernel of a layout @times more and return those captures;
    the first capture stays the one on disk."""
    d = result_dir(kernel, flavour, lay)
    keep = d + ".first"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(d, keep)
    caps = []
    for _ in range(times):
        boot(kernel, lay, flavour)
        caps.append(procparse.load(d))
    shutil.rmtree(d, ignore_errors=True)
    shutil.move(keep, d)
    return caps


def judge_with_noise(lay, base, pat, first, flavour, retries):
    """Boot both kernels of a failing layout again, measure how much each
    varies by itself, and judge once more with that spread allowed."""
    print(f">>> {lay['name']}: FAIL; booting both kernels {retries} more time(s) "
          "to measure their own boot-to-boot variation", flush=True)
    bcaps = [base] + reboot_captures("baseline", flavour, lay, retries)
    pcaps = [pat] + reboot_captures("patched", flavour, lay, retries)
    noise = compare_rule.noise(bcaps, pcaps)
    res = compare_rule.compare(base, pat, noise)
    widths = {who: compare_rule.spread(caps) for who, caps in
              (("baseline", bcaps), ("patched", pcaps))}
    desc = []
    for who, w in widths.items():
        zone = next((v for k, v in w.items() if k != "total"), {})
        parts = [f"{f} {n}" for f, n in zone.items() if n]
        if w.get("total", {}).get("free"):
            parts.append(f"total free {w['total']['free']}")
        desc.append(f"{who} {', '.join(parts) or 'not at all'}")
    res["noise"] = {"boots": [len(bcaps), len(pcaps)], "allowed": noise,
                    "spread": {who: {str(k): v for k, v in w.items()}
                               for who, w in widths.items()},
                    "first_problems": first["problems"]}
    if res["verdict"] == "PASS":
        res["verdict"] = "PASS-NOISY"
    res["problems"] = res["problems"] + [
        f"(each kernel varies between its own {len(bcaps)} boots by, in any zone: "
        f"{'; '.join(desc)}; without that: {'; '.join(first['problems'])})"]
    res["noise"]["allowed"] = {str(k): v for k, v in noise.items()}
    return res


def judge_layout(lay, flavour, retries):
    """The verdict of one booted layout, with its expectations checked."""
    base = load("baseline", flavour, lay)
    pat = load("patched", flavour, lay)
    res = compare_rule.compare(base, pat)
    if (res["verdict"] == "FAIL" and retries > 0 and base["status"].startswith("ok")
            and pat["status"].startswith("ok")):
        res = judge_with_noise(lay, base, pat, res, flavour, retries)
    probs = []
    for who, cap in (("baseline", base), ("patched", pat)):
        probs += [f"{who} {p}" for p in compare_rule.layout_problems(cap, lay["expect"])]
    if probs:
        res["problems"] = probs + res["problems"]
        if res["verdict"].startswith("PASS"):
            res["verdict"] = "LAYOUT-MISMATCH"
    return res, base, pat


def not_applicable(lay, why):
    return {"verdict": "NOT-APPLICABLE", "problems": [why], "zones": [],
            "allowance": None, "memory": None}
