# SPDX-License-Identifier: GPL-2.0
"""ktap.py: splitting a kernel log into KTAP streams, merging their results."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ktap  # noqa: E402


class Split(unittest.TestCase):
    def test_one_stream_per_top_level_header(self):
        log = ("[    1.0] boot\n"
               "[    2.0] KTAP version 1\n[    2.0] 1..1\n[    2.1]     # Subtest: a\n"
               "[    3.0] KTAP version 1\n[    3.0] 1..1\n[    3.1]     KTAP version 1\n")
        streams = ktap.split(log)
        self.assertEqual(len(streams), 2)
        self.assertIn("# Subtest: a", streams[0])


class Merge(unittest.TestCase):
    def test_suites_of_all_results(self):
        out = ktap.merge([{"name": "g", "sub_groups": [{"name": "a"}]},
                          {"name": "g", "sub_groups": [{"name": "b"}]}])
        self.assertEqual([g["name"] for g in out["sub_groups"]], ["a", "b"])

    def test_a_suite_run_again_keeps_its_results_apart(self):
        # The rerun fragment runs a suite at boot and again through debugfs:
        # KCIDB needs one id per result.
        out = ktap.merge([{"name": "g", "sub_groups": [{"name": "a"}, {"name": "b"}]},
                          {"name": "g", "sub_groups": [{"name": "a"}]},
                          {"name": "g", "sub_groups": [{"name": "a"}]}])
        self.assertEqual([g["name"] for g in out["sub_groups"]],
                         ["a", "b", "a.rerun", "a.rerun2"])

    def test_nothing(self):
        self.assertEqual(ktap.merge([])["sub_groups"], [])


if __name__ == "__main__":
    unittest.main()
