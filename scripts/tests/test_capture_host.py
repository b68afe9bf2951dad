# SPDX-License-Identifier: GPL-2.0
"""scripts/capture-host.sh on the machine the tests run on: its capture
compares with itself as PASS, and a copy with pages taken out of a zone
FAILS, through the same command a user runs (compare.py check)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
sys.path.insert(0, SCRIPTS)
import procparse  # noqa: E402


def check(base, patched):
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, "compare.py"), "check",
                           base, patched], capture_output=True, text=True, check=False)


@unittest.skipUnless(os.geteuid() == 0, "capture-host.sh reads pagetypeinfo as root")
class TestCaptureHost(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.cap = os.path.join(cls.tmp, "host")
        res = subprocess.run([os.path.join(SCRIPTS, "capture-host.sh"), cls.cap],
                             capture_output=True, text=True, check=False)
        if res.returncode:
            raise AssertionError(f"capture-host.sh failed: {res.stderr}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_capture_has_everything(self):
        cap = procparse.load(self.cap)
        self.assertEqual(cap["missing"], [])
        self.assertTrue(cap["status"].startswith("ok host"), cap["status"])
        self.assertIsNotNone(cap["memory"], "no Memory: line")
        self.assertTrue(cap["zoneinfo"])
        self.assertIn("Kernel code", cap["iomem"])

    def test_self_compare_passes(self):
        res = check(self.cap, self.cap)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertIn("PASS", res.stdout.splitlines()[-1])

    def test_pages_taken_from_a_zone_fail(self):
        doctored = os.path.join(self.tmp, "doctored")
        shutil.copytree(self.cap, doctored)
        path = os.path.join(doctored, "zoneinfo")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        zones = procparse.parse_zoneinfo(text)
        key = max(zones, key=lambda k: zones[k].get("managed", 0))
        # 1024 pages fewer present and managed in the largest zone.
        head = text.index(f"zone {key[1]:>8}")
        body = text[head:]
        for field in ("present", "managed"):
            body = re.sub(rf"(\n\s+{field}\s+)(\d+)",
                          lambda m: f"{m.group(1)}{int(m.group(2)) - 1024}", body, count=1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text[:head] + body)
        res = check(self.cap, doctored)
        self.assertEqual(res.returncode, 1, res.stdout)
        self.assertIn(f"{key[1]}: present", res.stdout)
        self.assertIn(f"{key[1]}: managed", res.stdout)


if __name__ == "__main__":
    unittest.main()
