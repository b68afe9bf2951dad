#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What one KUnit run says, suite by suite, from kunit.py's --json output.

    kunitsummary.py RESULT.json [--like REFERENCE.json]

One line per suite with its cases passed, failed and skipped.  A
parameterised case counts once (FAIL if a parameter failed, SKIP if all
were skipped); its parameters are counted apart.  The last line sums the
suites:

    4 suites, 34 cases (91 with parameters): 33 passed, 0 failed, 1 skipped

kunit.py's own "Ran N tests" counts every parameter as a test.  Exit 0
when no case failed and at least one ran.

With --like, RESULT must also run every case REFERENCE ran: a case that
REFERENCE passed and RESULT skipped or lacks is named, and fails it (a run
on a user's tree against "make kunit"'s on the same target).
"""
import json
import sys

STATUSES = ("PASS", "FAIL", "SKIP")


def case_status(statuses):
    """One status for a case from its parameters' statuses."""
    if any(s not in ("PASS", "SKIP") for s in statuses):
        return "FAIL"
    if statuses and all(s == "SKIP" for s in statuses):
        return "SKIP"
    return "PASS"


def suites(result):
    """[(suite, [(case, status, parameters)])] of kunit.py's JSON tree."""
    out = []
    for suite in result.get("sub_groups", []):
        cases = [(c["name"], c["status"], 0) for c in suite.get("test_cases", [])]
        for group in suite.get("sub_groups", []):
            params = [c["status"] for c in group.get("test_cases", [])]
            cases.append((group["name"], case_status(params), len(params)))
        out.append((suite["name"], cases))
    return out


def count(cases):
    """{status: n} over cases, and the number of parameterised runs."""
    n = {s: 0 for s in STATUSES}
    for _, status, _ in cases:
        n[status if status in STATUSES else "FAIL"] += 1
    runs = sum(max(1, params) for _, _, params in cases)
    return n, runs


def summary(result):
    """The lines to print, and whether the run passed."""
    lines = []
    total = {s: 0 for s in STATUSES}
    ncases = nruns = 0
    for name, cases in suites(result):
        n, runs = count(cases)
        for s in STATUSES:
            total[s] += n[s]
        ncases += len(cases)
        nruns += runs
        params = f" ({runs} with parameters)" if runs != len(cases) else ""
        line = (f"{name}: {len(cases)} cases{params}: {n['PASS']} passed, "
                f"{n['FAIL']} failed, {n['SKIP']} skipped")
        skipped = [c for c, s, _ in cases if s == "SKIP"]
        failed = [c for c, s, _ in cases if s not in ("PASS", "SKIP")]
        if failed:
            line += " (failed: " + ", ".join(failed) + ")"
        if skipped:
            line += " (skipped: " + ", ".join(skipped) + ")"
        lines.append(line)
    lines.append(f"{len(lines)} suites, {ncases} cases ({nruns} with parameters): "
                 f"{total['PASS']} passed, {total['FAIL']} failed, {total['SKIP']} skipped")
    return lines, total["FAIL"] == 0 and total["PASS"] > 0


def not_like(result, reference):
    """The cases REFERENCE passed that RESULT skipped, failed or lacks."""
    have = {(suite, case): status
            for suite, cases in suites(result) for case, status, _ in cases}
    missing = []
    for suite, cases in suites(reference):
        for case, status, _ in cases:
            if status == "PASS" and have.get((suite, case)) != "PASS":
                got = have.get((suite, case), "not run")
                missing.append(f"{suite}.{case}: {got.lower()} here, passed in the reference")
    return missing


def load(path):
    """kunit.py's JSON result at PATH, or None with a message."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"kunitsummary: {path}: {e}", file=sys.stderr)
        return None


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--like"):
        print(__doc__, file=sys.stderr)
        return 2
    result = load(argv[1])
    reference = load(argv[3]) if len(argv) == 4 else {}
    if result is None or reference is None:
        return 2
    lines, ok = summary(result)
    print("\n".join(lines))
    if len(argv) == 4:
        missing = not_like(result, reference)
        for line in missing:
            print(f"kunitsummary: {line}")
        ok = ok and not missing
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
