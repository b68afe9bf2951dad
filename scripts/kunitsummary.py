#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What one KUnit run says, suite by suite, from kunit.py's --json output.

    kunitsummary.py RESULT.json

One line per suite with its cases passed, failed and skipped.  A
parameterised case counts once (FAIL if a parameter failed, SKIP if all
were skipped); its parameters are counted apart.  The last line sums the
suites:

    4 suites, 34 cases (91 with parameters): 33 passed, 0 failed, 1 skipped

kunit.py's own "Ran N tests" counts every parameter as a test.  Exit 0
when no case failed and at least one ran.
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


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, ValueError) as e:
        print(f"kunitsummary: {argv[1]}: {e}", file=sys.stderr)
        return 2
    lines, ok = summary(result)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
