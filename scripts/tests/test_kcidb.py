# SPDX-License-Identifier: GPL-2.0
"""scripts/kcidb.py: the document it writes from results validates against
the KCIDB v5 fields and types, and a document that breaks them does not."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
sys.path.insert(0, SCRIPTS)
import kcidb  # noqa: E402

# jsonschema is Debian's python3-jsonschema, for Debian's python3.
SYSTEM_PYTHON = "/usr/bin/python3"


def validate(path):
    return subprocess.run([SYSTEM_PYTHON, os.path.join(SCRIPTS, "kcidb.py"), "validate", path],
                          capture_output=True, text=True, check=False)


class TestKcidb(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        doc = kcidb.Document()
        build = doc.build("patched", "x86_64+kasan", "debug")
        doc.test(build, "handover.compare.x86_64-kasan.6G_q35", "PASS")
        doc.test(build, "handover.kunit.x86_64.buddy_merge.split_then_free.order_1_ascending",
                 "SKIP")
        doc.test(doc.build("baseline", "i386-highmem", "perf"), "handover.bench.i386-highmem.3G.phase_low",
                 "DONE", number={"value": 21.4, "unit": "instructions/page"})
        self.doc = doc.doc

    def write(self, doc):
        path = os.path.join(self.tmp, "kcidb.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path

    def test_document_validates(self):
        res = validate(self.write(self.doc))
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("valid KCIDB v5.0", res.stdout)
        self.assertEqual({c["patchset_hash"] == "" for c in self.doc["checkouts"]},
                         {True, False})

    def test_bad_status_fails(self):
        self.doc["tests"][0]["status"] = "OK"
        self.assertEqual(validate(self.write(self.doc)).returncode, 1)

    def test_missing_build_id_fails(self):
        del self.doc["tests"][1]["build_id"]
        self.assertEqual(validate(self.write(self.doc)).returncode, 1)

    def test_bad_path_fails(self):
        self.doc["tests"][0]["path"] = "handover.compare.x86_64 6G q35"
        self.assertEqual(validate(self.write(self.doc)).returncode, 1)

    def test_number_needs_a_value(self):
        self.doc["tests"][2]["number"] = {"unit": "instructions/page"}
        self.assertEqual(validate(self.write(self.doc)).returncode, 1)

    def test_patchset_hash(self):
        a = os.path.join(self.tmp, "a.patch")
        with open(a, "w", encoding="utf-8") as f:
            f.write("x\n")
        # sha256sum a.patch | cut -c-64 | sha256sum
        self.assertEqual(kcidb.patchset_hash([a]),
                         "c599d2eff9c24b9df04dd19ffb1bf1dee6bbc1a3a0ffb566b930a2742cc80fb9")

    def test_path_part(self):
        self.assertEqual(kcidb.path_part(" 6G q35 memmap=64M$0x140001000"),
                         "6G_q35_memmap_64M_0x140001000")


if __name__ == "__main__":
    unittest.main()
