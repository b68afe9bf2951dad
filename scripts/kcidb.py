#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The results of make compare, make kunit and make bench as one KernelCI
KCIDB I/O document (schema v5), for kcidb-submit.

    kcidb.py write [--out build/BASE/results/kcidb.json]
        gather what build/BASE/results/ and build/BASE/logs/ hold now:
        build/BASE/results/compare.json (the last make compare), every
        build/BASE/logs/kunit-TARGET.json (the last make kunit of each target)
        and build/BASE/results/bench.json (the last make bench)
    kcidb.py validate FILE
        check FILE against scripts/kcidb-schema.json (the required fields
        and types of KCIDB v5), with Debian's python3-jsonschema

Two checkouts: the base tree, and the base with the series (its
patchset_hash as KCIDB defines it: the sha256 of the sha256 lines of the
patches, in order).  A build per kernel, target and flavour; a test per
compared layout (path handover.compare.TARGET.LAYOUT), per KUnit case
(handover.kunit.TARGET.SUITE.CASE) and per benchmark figure
(handover.bench.TARGET.MEM.FIGURE, DONE with the instructions per page as
its number).
"""
import argparse
import glob
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paths import LOGS, PATCHES, RESULTS, ROOT  # noqa: E402
import paths  # noqa: E402

ORIGIN = "handover"
SCHEMA = os.path.join(ROOT, "scripts", "kcidb-schema.json")
# What a compare verdict is as a KCIDB test status.
VERDICT_STATUS = {"PASS": "PASS", "PASS-NOISY": "PASS", "FAIL": "FAIL",
                  "NOT-APPLICABLE": "SKIP", "BASELINE-FAILED": "ERROR",
                  "LAYOUT-MISMATCH": "ERROR"}
KUNIT_STATUS = {"PASS": "PASS", "FAIL": "FAIL", "SKIP": "SKIP"}


def path_part(text):
    """A piece of a dot-separated KCIDB test path: [a-zA-Z0-9_-]+."""
    return re.sub(r"[^a-zA-Z0-9_-]+", "_", text).strip("_") or "_"


def series_files():
    return sorted(p for p in glob.glob(os.path.join(PATCHES, "[0-9]" * 4 + "-*.patch"))
                  if not os.path.basename(p).startswith("0000-"))


def patchset_hash(files):
    lines = ""
    for p in files:
        with open(p, "rb") as f:
            lines += hashlib.sha256(f.read()).hexdigest() + "\n"
    return hashlib.sha256(lines.encode()).hexdigest()


class Document:
    def __init__(self):
        kv = paths.kernel_version()
        base = kv.get("BASE_COMMIT", "")
        pset = patchset_hash(series_files())
        self.checkout = {"base": f"{ORIGIN}:base-{base[:12] or 'unknown'}",
                         "patched": f"{ORIGIN}:series-{pset[:16]}"}
        self.doc = {"version": {"major": 5, "minor": 0}, "checkouts": [], "builds": [],
                    "tests": []}
        tree = f"linux-{paths.BASE}.y" if paths.BASE[0].isdigit() else paths.BASE
        common = {"origin": ORIGIN, "tree_name": tree,
                  "git_commit_name": f"v{kv.get('KERNELVERSION', '6.12')}", "valid": True}
        if re.fullmatch(r"[0-9a-f]{40}", base):
            common["git_commit_hash"] = base
        self.doc["checkouts"] += [
            {**common, "id": self.checkout["base"], "patchset_hash": "",
             "comment": f"Debian {kv.get('DEBIAN_PACKAGE', '?')} {kv.get('DEBIAN_VERSION', '?')}"},
            {**common, "id": self.checkout["patched"], "patchset_hash": pset,
             "comment": f"the handover series, {len(series_files())} patches"}]
        self.builds = {}

    def build(self, kernel, target, flavour):
        """The id of the build of @kernel (baseline or patched), added once."""
        kernel = "baseline" if kernel.startswith(("baseline", "bench-baseline")) else "patched"
        key = (kernel, target, flavour)
        if key not in self.builds:
            bid = f"{self.checkout[('base' if kernel == 'baseline' else 'patched')]}-" \
                  f"{path_part(target)}-{flavour}"
            self.builds[key] = bid
            arch = next((a for a in ("x86_64", "arm", "mips") if target.startswith(a)), "i386")
            self.doc["builds"].append({
                "id": bid, "origin": ORIGIN,
                "checkout_id": self.checkout["base" if kernel == "baseline" else "patched"],
                "architecture": arch, "config_name": f"{target}-{flavour}",
                "compiler": "gcc", "status": "PASS",
                "comment": f"{kernel} {target}, {flavour} flavour (tinyconfig and configs/)"})
        return self.builds[key]

    def test(self, build_id, path, status, comment=None, number=None, misc=None):
        t = {"id": f"{build_id}:{path}", "origin": ORIGIN, "build_id": build_id,
             "path": path, "status": status}
        if comment:
            t["comment"] = comment[:2000]
        if number is not None:
            t["number"] = number
        if misc:
            t["misc"] = misc
        self.doc["tests"].append(t)


def add_compare(doc, path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    flavour = report.get("flavour") or "host"
    for lay in report["layouts"]:
        target = lay.get("target", "host")
        build = doc.build("patched", target, flavour)
        name = lay["name"]
        tpath = f"handover.compare.{path_part(target)}.{path_part(name[len(target):])}"
        doc.test(build, tpath, VERDICT_STATUS.get(lay["verdict"], "ERROR"),
                 comment=f"{name}: {lay['verdict']}"
                 + (f": {'; '.join(lay['problems'])}" if lay.get("problems") else ""),
                 misc={"layout": name, "verdict": lay["verdict"],
                       "fragments": lay.get("fragments", [])})
        doc.build("baseline", target, flavour)


def add_kunit(doc, path):
    target = os.path.basename(path)[len("kunit-"):-len(".json")]
    with open(path, encoding="utf-8") as f:
        result = json.load(f)
    build = doc.build("patched", target, "debug")
    for suite in result.get("sub_groups", []):
        cases = [(c["name"], c["status"]) for c in suite.get("test_cases", [])]
        for group in suite.get("sub_groups", []):
            cases += [(f"{group['name']}.{p['name']}", p["status"])
                      for p in group.get("test_cases", [])]
        for case, status in cases:
            doc.test(build, ".".join(["handover", "kunit", path_part(target),
                                      path_part(suite["name"])]
                                     + [path_part(c) for c in case.split(".", 1)]),
                     KUNIT_STATUS.get(status, "ERROR"))


def add_bench(doc, path):
    with open(path, encoding="utf-8") as f:
        bench = json.load(f)
    for fig in bench["figures"]:
        base = f"handover.bench.{path_part(fig['target'])}.{path_part(fig['mem'])}." \
               f"{path_part(fig['figure'])}"
        for kernel in ("baseline", "patched"):
            v = fig.get(kernel)
            if not v or v.get("per_page") is None:
                continue
            doc.test(doc.build(kernel, fig["target"], "perf"), base, "DONE",
                     number={"value": v["per_page"], "unit": "instructions/page"},
                     misc={"instructions": v["instructions"], "pages": v["pages"]})
        if fig.get("ratio") is not None:
            doc.test(doc.build("patched", fig["target"], "perf"), base + ".ratio", "DONE",
                     number={"value": fig["ratio"]},
                     comment="patched per page over 6.12 per page")


def write(args):
    doc = Document()
    sources = []
    compare = os.path.join(RESULTS, "compare.json")
    if os.path.exists(compare):
        add_compare(doc, compare)
        sources.append(compare)
    for path in sorted(glob.glob(os.path.join(LOGS, "kunit-*.json"))):
        add_kunit(doc, path)
        sources.append(path)
    bench = os.path.join(RESULTS, "bench.json")
    if os.path.exists(bench):
        add_bench(doc, bench)
        sources.append(bench)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc.doc, f, indent=1)
    print(f"kcidb: {os.path.relpath(args.out, ROOT)}: {len(doc.doc['builds'])} builds, "
          f"{len(doc.doc['tests'])} tests, from "
          + (", ".join(os.path.relpath(s, ROOT) for s in sources) or "nothing yet"))
    return 0


def validate(args):
    try:
        import jsonschema
    except ImportError:
        print("kcidb: python3-jsonschema is missing (apt-get install python3-jsonschema; "
              "run this with /usr/bin/python3)", file=sys.stderr)
        return 2
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    with open(args.file, encoding="utf-8") as f:
        doc = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:20]:
        print(f"kcidb: {args.file}: {'/'.join(map(str, e.path)) or '(top)'}: {e.message}",
              file=sys.stderr)
    ids = {}
    for kind in ("checkouts", "builds", "tests"):
        for obj in doc.get(kind, []):
            if obj["id"] in ids:
                print(f"kcidb: {args.file}: id {obj['id']} twice", file=sys.stderr)
                errors.append(obj["id"])
            ids[obj["id"]] = kind
    if errors:
        return 1
    print(f"kcidb: {args.file} is valid KCIDB v{doc['version']['major']}."
          f"{doc['version']['minor']}: {len(doc.get('checkouts', []))} checkouts, "
          f"{len(doc.get('builds', []))} builds, {len(doc.get('tests', []))} tests")
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sp = ap.add_subparsers(dest="cmd", required=True)
    w = sp.add_parser("write")
    w.add_argument("--out", default=os.path.join(RESULTS, "kcidb.json"))
    v = sp.add_parser("validate")
    v.add_argument("file")
    args = ap.parse_args(argv[1:])
    return write(args) if args.cmd == "write" else validate(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
