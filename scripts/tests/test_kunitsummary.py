# SPDX-License-Identifier: GPL-2.0
"""Tests of kunitsummary.py: one KUnit run summed up, and against another."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import kunitsummary  # noqa: E402


def run(**suites):
    """kunit.py's JSON tree: suite=[(case, status) or (case, [statuses])]."""
    groups = []
    for name, cases in suites.items():
        plain = [{"name": c, "status": s} for c, s in cases if isinstance(s, str)]
        params = [{"name": c, "test_cases": [{"name": f"{c}/{i}", "status": p}
                                             for i, p in enumerate(s)]}
                  for c, s in cases if not isinstance(s, str)]
        groups.append({"name": name, "test_cases": plain, "sub_groups": params})
    return {"name": "", "sub_groups": groups}


REFERENCE = run(memblock_release=[("chunks", "PASS"), ("highmem", "SKIP")],
                buddy_merge=[("split", ["PASS", "PASS"]), ("pageblocks", ["PASS", "SKIP"])])


class Summary(unittest.TestCase):
    def test_counts_a_parameterised_case_once(self):
        lines, ok = kunitsummary.summary(REFERENCE)
        self.assertTrue(ok)
        self.assertEqual(lines[-1], "2 suites, 4 cases (6 with parameters): 3 passed, 0 failed, 1 skipped")

    def test_a_failed_parameter_fails_the_case(self):
        lines, ok = kunitsummary.summary(run(s=[("c", ["PASS", "FAIL"])]))
        self.assertFalse(ok)
        self.assertIn("(failed: c)", lines[0])

    def test_nothing_run_is_not_a_pass(self):
        _, ok = kunitsummary.summary(run(s=[("c", "SKIP")]))
        self.assertFalse(ok)


class Like(unittest.TestCase):
    def test_the_same_run_is_like_itself(self):
        self.assertEqual(kunitsummary.not_like(REFERENCE, REFERENCE), [])

    def test_a_skip_the_reference_ran_is_named(self):
        other = run(memblock_release=[("chunks", "SKIP"), ("highmem", "SKIP")],
                    buddy_merge=[("split", ["PASS", "PASS"]), ("pageblocks", ["PASS", "SKIP"])])
        self.assertEqual(kunitsummary.not_like(other, REFERENCE),
                         ["memblock_release.chunks: skip here, passed in the reference"])

    def test_a_missing_suite_is_named(self):
        other = run(memblock_release=[("chunks", "PASS"), ("highmem", "SKIP")])
        self.assertEqual(len(kunitsummary.not_like(other, REFERENCE)), 2)

    def test_a_skip_in_the_reference_may_run(self):
        other = run(memblock_release=[("chunks", "PASS"), ("highmem", "PASS")],
                    buddy_merge=[("split", ["PASS", "PASS"]), ("pageblocks", ["PASS", "PASS"])])
        self.assertEqual(kunitsummary.not_like(other, REFERENCE), [])


if __name__ == "__main__":
    unittest.main()
