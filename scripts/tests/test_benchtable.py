# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/benchtable.py: parsing and the figures held to."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import benchtable  # noqa: E402

BASE = """\
[    0.1] handover-bench: phase reserved 1000 cycles 100 pages
[    0.1] handover-bench: phase low 20000 cycles 1000 pages
[    0.1] handover-bench: phase high 300000 cycles 1000 pages
[    0.1] handover-bench: phase total 330000 cycles 2000 pages
[    0.1] handover-bench: floor 10000 cycles 2000 pages
[    1.0] handover-bench: merge order0-churn 50000 cycles 1000 pages
"""
PATCHED = """\
[    0.1] handover-bench: phase reserved 1000 cycles 100 pages
[    0.1] handover-bench: phase low 18000 cycles 1000 pages
[    0.1] handover-bench: phase high 17000 cycles 1000 pages
[    0.1] handover-bench: phase total 40000 cycles 2000 pages
[    0.1] handover-bench: floor 10000 cycles 2000 pages
[    1.0] handover-bench: merge order0-churn 51000 cycles 1000 pages
"""


class BenchTableTest(unittest.TestCase):
    def write(self, text):
        f = tempfile.NamedTemporaryFile('w', suffix='.dmesg', delete=False)
        f.write(text)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_parse(self):
        d = benchtable.parse(self.write(BASE))
        self.assertEqual(d['phase high'], (300000, 1000))
        self.assertEqual(d['merge order0-churn'], (50000, 1000))

    def test_verdicts_name_each_target(self):
        notes = benchtable.verdicts(benchtable.parse(self.write(BASE)),
                                    benchtable.parse(self.write(PATCHED)))
        text = '\n'.join(notes)
        self.assertIn('high memory 17.0 instr/page vs low 18.0 (target: high <= low: ok)', text)
        self.assertIn('patched/6.12 = 0.121 (target <= 0.333: ok)', text)
        self.assertIn('patched: total 20.0 instr/page = 4.00 x the floor (5.0) (target <= 3: missed)', text)
        # 51000 vs 50000: the run-time path got slower, and it says so.
        self.assertIn('worst ratio 1.0200 (order0-churn; target <= 1.00: slower)', text)

    def test_tables_written(self):
        out = tempfile.mkdtemp()
        txt, rst = os.path.join(out, 'b.txt'), os.path.join(out, 'b.rst')
        benchtable.main(['--txt', txt, '--rst', rst, '--command', 'make bench',
                         '--version', 'Linux 6.12.117', 'i386-highmem', '3G',
                         self.write(BASE), self.write(PATCHED)])
        with open(rst) as f:
            doc = f.read()
        self.assertIn('  make bench\n', doc)
        self.assertIn('phase high', doc)
        with open(txt) as f:
            self.assertIn('## i386-highmem, 3G', f.read())

    def test_missing_lines_fail(self):
        with self.assertRaises(SystemExit):
            benchtable.main(['--txt', os.devnull, '--rst', os.devnull, '--command', 'c',
                             '--version', 'v', 'x86_64', '2G', self.write('nothing\n'),
                             self.write(PATCHED)])


if __name__ == '__main__':
    unittest.main()
