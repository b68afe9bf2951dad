# SPDX-License-Identifier: GPL-2.0
"""Unit tests for the capture parsers and the nothing-lost rule, on real
captures kept under fixtures/ (see fixtures/README)."""
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import capture  # noqa: E402
import compare_report  # noqa: E402
import compare_rule  # noqa: E402
import compare_runner  # noqa: E402
import fragments  # noqa: E402
import procparse  # noqa: E402

FIX = os.path.join(HERE, "fixtures")


def fixture(*parts):
    return os.path.join(FIX, *parts)


def read(*parts):
    with open(fixture(*parts), encoding="utf-8") as f:
        return f.read()


class Mutated:
    """A copy of a fixture capture directory, edited for one test."""

    def __init__(self, src):
        self.dir = tempfile.mkdtemp()
        for name in os.listdir(src):
            shutil.copy(os.path.join(src, name), self.dir)

    def edit(self, name, old, new, count=1):
        path = os.path.join(self.dir, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if old not in text:
            raise AssertionError(f"{old!r} not in {name}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, count))

    def edit_buddy(self, fx, zone, changes):
        """Add changes {order: n} to a zone's buddyinfo line of fixture fx."""
        old = procparse.parse_buddyinfo(read(fx, "patched", "buddyinfo"))[(0, zone)]
        new = list(old)
        for order, n in changes.items():
            new[order] += n
        self.edit("buddyinfo", " ".join(f"{n:6d}" for n in old),
                  " ".join(f"{n:6d}" for n in new))

    def close(self):
        shutil.rmtree(self.dir)


class TestParsers(unittest.TestCase):
    def test_zoneinfo_i386_highmem(self):
        z = procparse.parse_zoneinfo(read("i386-highmem-3G-pc", "baseline", "zoneinfo"))
        self.assertEqual(sorted(k[1] for k in z), ["DMA", "HighMem", "Movable", "Normal"])
        dma = z[(0, "DMA")]
        self.assertEqual(dma["spanned"], 4095)
        self.assertEqual(dma["present"], 3998)
        self.assertGreater(z[(0, "HighMem")]["managed"], 0)
        self.assertEqual(z[(0, "Movable")]["spanned"], 0)
        for zone in z.values():
            self.assertLessEqual(zone["managed"], zone["present"])
            self.assertLessEqual(zone["present"], zone["spanned"])

    def test_zoneinfo_x86_64_zones(self):
        z = procparse.parse_zoneinfo(read("x86_64-6G-q35", "baseline", "zoneinfo"))
        names = {k[1] for k in z if z[k]["spanned"]}
        self.assertEqual(names, {"DMA", "DMA32", "Normal"})

    def test_buddyinfo_sums_to_free(self):
        for fx in ("i386-highmem-3G-pc", "x86_64-6G-q35"):
            z = procparse.parse_zoneinfo(read(fx, "baseline", "zoneinfo"))
            b = procparse.parse_buddyinfo(read(fx, "baseline", "buddyinfo"))
            for key, counts in b.items():
                self.assertEqual(len(counts), 11)
                self.assertLessEqual(abs(compare_rule.buddy_pages(counts) - z[key]["free"]),
                                     z[key].get("stat_threshold", 0), key)

    def test_pagetypeinfo(self):
        p = procparse.parse_pagetypeinfo(read("i386-highmem-3G-pc", "baseline", "pagetypeinfo"))
        self.assertEqual(p["pageblock_order"], 10)
        self.assertIn((0, "Normal", "Movable"), p["free"])
        self.assertIn("Unmovable", p["blocks"][(0, "Normal")])

    def test_memory_line(self):
        m = procparse.parse_memory_line(read("i386-highmem-3G-pc", "baseline", "dmesg"))
        self.assertGreater(m["highmem"], 0)
        self.assertEqual(m["image"], sum(m[s] for s in procparse.IMAGE_SECTIONS))
        m = procparse.parse_memory_line(read("x86_64-6G-q35", "baseline", "dmesg"))
        self.assertNotIn("highmem", m)

    def test_meminfo(self):
        m = procparse.parse_meminfo(read("i386-highmem-3G-pc", "baseline", "meminfo"))
        self.assertGreater(m["HighTotal"], 0)
        self.assertGreater(m["MemTotal"], m["HighTotal"])


class TestFragments(unittest.TestCase):
    def test_unfit_names_the_reason(self):
        self.assertIsNone(fragments.unfit("x86_64+kasan"))
        self.assertIn("KASAN", fragments.unfit("i386-highmem+kasan"))
        self.assertIn("unknown fragment", fragments.unfit("x86_64+nosuch"))
        self.assertIn("unknown target", fragments.unfit("sparc+kasan"))

    def test_kernel_args(self):
        self.assertIn("init_on_free=1", fragments.kernel_args("x86_64+poison"))
        self.assertEqual(fragments.kernel_args("x86_64"), "")


class TestCapture(unittest.TestCase):
    def test_split_sections(self):
        text = ("[    0.1] noise\n@@HANDOVER-BEGIN buddyinfo@@\r\nNode 0, zone DMA 1\r\n"
                "@@HANDOVER-END buddyinfo@@\nmore noise\n@@HANDOVER-DONE@@\n")
        sections, done = capture.split(text)
        self.assertTrue(done)
        self.assertEqual(sections, {"buddyinfo": "Node 0, zone DMA 1\n"})

    def test_split_truncated(self):
        sections, done = capture.split("@@HANDOVER-BEGIN zoneinfo@@\nNode 0\n")
        self.assertFalse(done)
        self.assertEqual(sections, {})

    def test_slug(self):
        self.assertEqual(capture.slug("3G", "pc"), "3G-pc")
        self.assertEqual(capture.slug("3G", "pc", "memmap=8M$0x2f000000 mem=2G"),
                         "3G-pc-memmap=8M_0x2f000000_mem=2G")


class TestRule(unittest.TestCase):
    """The rule on real captures: equal kernels pass; every way of losing
    or moving pages fails."""

    def load(self, fx, who, mutated=None):
        return procparse.load(mutated.dir if mutated else fixture(fx, who))

    def run_rule(self, fx, edit=None, who="patched"):
        mut = None
        if edit:
            mut = Mutated(fixture(fx, who))
            self.addCleanup(mut.close)
            edit(mut)
        base = self.load(fx, "baseline", mut if who == "baseline" else None)
        pat = self.load(fx, "patched", mut if who == "patched" else None)
        return compare_rule.compare(base, pat)

    def test_real_pairs_pass(self):
        for fx in ("i386-highmem-3G-pc", "x86_64-6G-q35"):
            res = self.run_rule(fx)
            self.assertEqual(res["verdict"], "PASS", res["problems"])
            text = compare_report.render(fx, res)
            self.assertIn("buddyinfo", text)

    def test_kasan_shadow_of_a_moved_section_passes(self):
        # KASAN: the patched rodata grew past a 2 MiB boundary, which moved
        # data and bss by 2 MiB; the gap is freed, its shadow (64 pages,
        # in Normal, where memblock allocates top-down) is not.
        res = self.run_rule("x86_64+kasan-6G-q35")
        self.assertEqual(res["verdict"], "PASS", res["problems"])
        self.assertTrue(any("KASAN" in n for n in res.get("notes", [])), res)

    def test_kasan_real_loss_still_fails(self):
        # Eight pages more lost in Normal than the shadow explains.
        res = self.run_rule("x86_64+kasan-6G-q35", lambda m: m.edit(
            "zoneinfo", "managed  818971", "managed  818963"))
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("Normal: managed" in p for p in res["problems"]), res["problems"])

    def test_bottom_up_spill_passes(self):
        # MIPS allocates boot memory bottom-up from the end of the image: the
        # patched image, 16 pages larger, pushed the allocations 16 pages
        # into Normal; the 9 more pages of init memory freed are in DMA.
        res = self.run_rule("mips-malta-512M-malta")
        self.assertEqual(res["verdict"], "PASS", res["problems"])
        self.assertTrue(any("bottom-up" in n for n in res.get("notes", [])), res)

    def test_bottom_up_spill_real_loss_still_fails(self):
        # A block of 32 pages lost in Normal is more than the image moved.
        res = self.run_rule("mips-malta-512M-malta", lambda m: m.edit(
            "zoneinfo", "managed  57219", "managed  57187"))
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("Normal: managed" in p for p in res["problems"]), res["problems"])

    def test_no_spill_allowance_top_down(self):
        # x86 allocates top-down: the zone after the image's gets nothing.
        cap = procparse.load(fixture("x86_64-6G-q35", "patched"))
        self.assertFalse(cap["bottom_up"])
        self.assertIsNone(compare_rule.spill_zone(cap))
        mips = procparse.load(fixture("mips-malta-512M-malta", "patched"))
        self.assertEqual(compare_rule.spill_zone(mips), (0, "Normal"))

    def test_layout_ram_counts_present_pages(self):
        # A hot-added DIMM that never came online leaves the layout short.
        cap = procparse.load(fixture("x86_64+kasan-6G-q35", "patched"))
        self.assertEqual(compare_rule.layout_problems(cap, {"ram": "6G"}), [])
        probs = compare_rule.layout_problems(cap, {"ram": "7G"})
        self.assertTrue(probs and "7G of RAM" in probs[0], probs)
        self.assertEqual(compare_rule.size_pages("5000M"), 1280000)

    def test_shadow_allowance_needs_kasan_in_both(self):
        base = procparse.load(fixture("x86_64+kasan-6G-q35", "baseline"))
        pat = procparse.load(fixture("x86_64+kasan-6G-q35", "patched"))
        self.assertEqual(compare_rule.shadow_allowance(base, pat), 66)
        base["kasan"] = False
        self.assertEqual(compare_rule.shadow_allowance(base, pat), 0)

    def test_pcp_pages_count_as_free(self):
        # Released to the buddy lists directly instead of through the
        # per-cpu lists: the same free memory, held elsewhere.
        base = procparse.load(fixture("x86_64-6G-q35-series", "baseline"))
        pat = procparse.load(fixture("x86_64-6G-q35-series", "patched"))
        res = compare_rule.compare(base, pat)
        self.assertEqual(res["verdict"], "PASS", res["problems"])
        dma32 = next(z for z in res["zones"] if z["name"] == "DMA32")
        buddy_b, buddy_p, _ = dma32["fields"]["buddy"]
        pcp_b, pcp_p, _ = dma32["fields"]["pcp"]
        self.assertGreater(buddy_p - buddy_b, 1000)
        self.assertGreater(pcp_b - pcp_p, 1000)

    def test_free_within_vmstat_threshold_passes(self):
        base = procparse.load(fixture("x86_64-2G-pc-series", "baseline"))
        pat = procparse.load(fixture("x86_64-2G-pc-series", "patched"))
        res = compare_rule.compare(base, pat)
        self.assertEqual(res["verdict"], "PASS", res["problems"])
        z = procparse.parse_zoneinfo(read("x86_64-2G-pc-series", "baseline", "zoneinfo"))
        self.assertEqual(z[(0, "DMA32")]["stat_threshold"], 10)

    def test_pcp_pages_lost_fail(self):
        # 1000 pages missing from the per-cpu lists of the patched kernel.
        res = self.run_rule("x86_64-6G-q35-series", lambda m: m.edit(
            "zoneinfo", "count: 112", "count: 0"))
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("Normal: free" in p for p in res["problems"]), res["problems"])

    def test_lost_present_pages_fail(self):
        res = self.run_rule("i386-highmem-3G-pc", lambda m: m.edit(
            "zoneinfo", "present  560098", "present  559074"))
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("HighMem: present" in p for p in res["problems"]), res["problems"])

    def test_lost_fixture_fails(self):
        # fixtures/lost-highmem: a patched capture that lost 1024 highmem
        # pages from managed and free (the release skipped a MAX_ORDER block).
        base = procparse.load(fixture("lost-highmem", "baseline"))
        pat = procparse.load(fixture("lost-highmem", "patched"))
        res = compare_rule.compare(base, pat)
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("HighMem: managed" in p for p in res["problems"]), res["problems"])

    def test_freeing_a_different_size_fails(self):
        # What free_reserved_area() says it gave back of the initrd is not
        # the image's: it must be the same in both kernels.
        res = self.run_rule("x86_64-6G-q35", lambda m: m.edit(
            "dmesg", "Freeing initrd memory: 1940K", "Freeing initrd memory: 1936K"))
        self.assertEqual(res["verdict"], "FAIL")
        self.assertIn("Freeing initrd memory: 1940K -> 1936K", res["problems"])

    def test_freeing_line_missing_fails(self):
        res = self.run_rule("x86_64-6G-q35", lambda m: m.edit(
            "dmesg", "Freeing initrd memory: 1940K", "initrd kept"))
        self.assertIn("Freeing initrd memory: 1940K -> not said", res["problems"])

    def test_freeing_the_image_may_differ(self):
        # The init sections and the gaps between sections follow the image.
        res = self.run_rule("x86_64-6G-q35", lambda m: m.edit(
            "dmesg", "Freeing unused kernel image (rodata/data gap) memory: 1616K",
            "Freeing unused kernel image (rodata/data gap) memory: 2044K"))
        self.assertEqual(res["verdict"], "PASS", res["problems"])

    def test_freeing_efi_boot_services_follows_the_image(self):
        res = self.run_rule("x86_64-6G-q35", lambda m: m.edit(
            "dmesg", "Freeing initrd memory: 1940K",
            "Freeing initrd memory: 1940K\n[    1.4] efi: Freeing EFI boot services memory: 38852K"))
        self.assertFalse([p for p in res["problems"] if "EFI" in p], res["problems"])

    def test_pages_moved_across_zones_fail(self):
        def move(m):
            m.edit("zoneinfo", "spanned  222206\n        present  222206",
                   "spanned  221182\n        present  221182")
            m.edit("zoneinfo", "spanned  560098\n        present  560098",
                   "spanned  561122\n        present  561122")
        res = self.run_rule("i386-highmem-3G-pc", move)
        self.assertEqual(res["verdict"], "FAIL")
        joined = "\n".join(res["problems"])
        self.assertIn("Normal: spanned", joined)
        self.assertIn("HighMem: spanned", joined)

    def test_missing_zone_fails(self):
        def drop(m):
            path = os.path.join(m.dir, "zoneinfo")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            cut = text.index("Node 0, zone  HighMem")
            end = text.index("Node 0, zone  Movable")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text[:cut] + text[end:])
        res = self.run_rule("i386-highmem-3G-pc", drop)
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("HighMem only in the baseline" in p for p in res["problems"]))

    def test_managed_within_image_allowance_passes(self):
        # Two more pages of kernel code, two fewer managed and free pages.
        def grow(m):
            mem = procparse.parse_memory_line(read("i386-highmem-3G-pc", "patched", "dmesg"))
            code = mem["code"]
            m.edit("dmesg", f"{code}K kernel code", f"{code + 8}K kernel code")
            z = procparse.parse_zoneinfo(read("i386-highmem-3G-pc", "patched", "zoneinfo"))
            n = z[(0, "Normal")]
            m.edit("zoneinfo", f"managed  {n['managed']}", f"managed  {n['managed'] - 2}")
        res = self.run_rule("i386-highmem-3G-pc", grow)
        self.assertEqual(res["verdict"], "PASS", res["problems"])

    def test_managed_beyond_allowance_fails(self):
        def shrink(m):
            z = procparse.parse_zoneinfo(read("i386-highmem-3G-pc", "patched", "zoneinfo"))
            n = z[(0, "Normal")]
            m.edit("zoneinfo", f"managed  {n['managed']}", f"managed  {n['managed'] - 64}")
        res = self.run_rule("i386-highmem-3G-pc", shrink)
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("Normal: managed" in p for p in res["problems"]))

    def test_highmem_total_differs_fails(self):
        res = self.run_rule("i386-highmem-3G-pc", lambda m: m.edit(
            "meminfo", "HighTotal:", "HighTotal:      1\nXHighTotal:"))
        self.assertEqual(res["verdict"], "FAIL")

    def test_more_fragmented_fails(self):
        # Patched buddyinfo: one order-10 HighMem block split into two order-9.
        res = self.run_rule("i386-highmem-3G-pc", lambda m: m.edit_buddy(
            "i386-highmem-3G-pc", "HighMem", {10: -1, 9: 2}))
        # Still pageblock order (9 < 10 is not): fewer pages at order >= 10.
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("more fragmented" in p for p in res["problems"]), res["problems"])

    def test_baseline_noise_widens_free_and_fragmentation(self):
        # 40 more free pages and one pageblock fewer at >= pageblock order
        # in HighMem fail; with a baseline that varies that much between
        # its own boots they pass, and only by that much.
        def edit(m):
            m.edit_buddy("i386-highmem-3G-pc", "HighMem", {10: -1, 0: 1024 + 40})
            z = procparse.parse_zoneinfo(read("i386-highmem-3G-pc", "patched", "zoneinfo"))
            free = z[(0, "HighMem")]["free"]
            m.edit("zoneinfo", f"pages free     {free}\n", f"pages free     {free + 40}\n")
        mut = Mutated(fixture("i386-highmem-3G-pc", "patched"))
        self.addCleanup(mut.close)
        edit(mut)
        base = procparse.load(fixture("i386-highmem-3G-pc", "baseline"))
        pat = procparse.load(mut.dir)
        self.assertEqual(compare_rule.compare(base, pat)["verdict"], "FAIL")
        noisy = {(0, "HighMem"): {"free": 40, "hi": 1024}}
        res = compare_rule.compare(base, pat, noisy)
        self.assertEqual(res["verdict"], "PASS", res["problems"])
        less = {(0, "HighMem"): {"free": 40, "hi": 1023}}
        self.assertEqual(compare_rule.compare(base, pat, less)["verdict"], "FAIL")

    def test_noise_measured_from_captures(self):
        one = procparse.load(fixture("i386-highmem-3G-pc", "baseline"))
        mut = Mutated(fixture("i386-highmem-3G-pc", "baseline"))
        self.addCleanup(mut.close)
        z = procparse.parse_zoneinfo(read("i386-highmem-3G-pc", "baseline", "zoneinfo"))
        free = z[(0, "Normal")]["free"]
        mut.edit("zoneinfo", f"pages free     {free}\n", f"pages free     {free - 25}\n")
        spread = compare_rule.spread([one, procparse.load(mut.dir), one])
        # Any zone may take the noise: each gets the most any zone varied.
        self.assertEqual(spread[(0, "Normal")]["free"], 25)
        self.assertEqual(spread[(0, "HighMem")]["free"], 25)
        self.assertEqual(spread[(0, "HighMem")]["hi"], 0)
        self.assertEqual(spread["total"]["free"], 25)

    def test_noise_adds_both_kernels_spread(self):
        # The baseline varies by 25 free pages, the patched kernel by 10:
        # the two kernels may differ by both.
        caps = {}
        for who, by in (("baseline", 25), ("patched", 10)):
            one = procparse.load(fixture("i386-highmem-3G-pc", who))
            mut = Mutated(fixture("i386-highmem-3G-pc", who))
            self.addCleanup(mut.close)
            free = procparse.parse_zoneinfo(read("i386-highmem-3G-pc", who, "zoneinfo"))[
                (0, "Normal")]["free"]
            mut.edit("zoneinfo", f"pages free     {free}\n", f"pages free     {free + by}\n")
            caps[who] = [one, procparse.load(mut.dir)]
        noise = compare_rule.noise(caps["baseline"], caps["patched"])
        self.assertEqual(noise[(0, "Normal")]["free"], 35)
        self.assertEqual(noise["total"]["free"], 35)

    def test_managed_exact_outside_the_image_zone(self):
        # One page lost from DMA: the image is in DMA32 (16 MiB), so the
        # image allowance does not cover it.
        z = procparse.parse_zoneinfo(read("x86_64-6G-q35", "patched", "zoneinfo"))
        dma = z[(0, "DMA")]

        def lose(m):
            m.edit("zoneinfo", f"managed  {dma['managed']}", f"managed  {dma['managed'] - 1}")
        res = self.run_rule("x86_64-6G-q35", lose)
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("DMA: managed" in p and "exact outside" in p
                            for p in res["problems"]), res["problems"])
        self.assertEqual(res["image_zone"], ["DMA32"])

    def test_image_zone_from_iomem(self):
        cap = procparse.load(fixture("i386-highmem-3G-pc", "baseline"))
        self.assertEqual(compare_rule.image_zone(cap), (0, "Normal"))
        cap["iomem"] = procparse.parse_iomem(
            "00100000-bffdffff : System RAM\n  00200000-0050ffff : Kernel code\n")
        self.assertEqual(cap["iomem"]["Kernel code"], (0x200000, 0x50ffff))
        self.assertEqual(compare_rule.image_zone(cap), (0, "DMA"))

    def test_layout_expectations(self):
        cap = procparse.load(fixture("x86_64-6G-q35", "baseline"))
        self.assertEqual(compare_rule.layout_problems(cap, {"zones": "DMA,DMA32,Normal"}), [])
        self.assertEqual(len(compare_rule.layout_problems(cap, {"nodes": "2"})), 1)
        self.assertEqual(len(compare_rule.layout_problems(cap, {"movable": True})), 1)
        self.assertEqual(compare_rule.layout_problems(cap, {"hole": "0x7ffe0000"}), [])
        self.assertEqual(len(compare_rule.layout_problems(cap, {"hole": "0x2f000000"})), 1)
        # Booted through the BIOS: no EFI boot services memory given back.
        self.assertEqual(len(compare_rule.layout_problems(cap, {"efi": True})), 1)
        cap["freeing"]["EFI boot services"] = 23432
        self.assertEqual(compare_rule.layout_problems(cap, {"efi": True}), [])

    def test_image_readded_over_a_hole_passes(self):
        # The patched image is 9 pages larger and lies in a reserved hole:
        # Normal's present pages grow by exactly those 9.
        res = self.run_rule("i386-highmem-2G-image-hole")
        self.assertEqual(res["verdict"], "PASS", res["problems"])
        normal = next(z for z in res["zones"] if z["name"] == "Normal")
        vb, vp, _ = normal["fields"]["present"]
        self.assertEqual(vp - vb, 9)
        self.assertTrue(any("+9 pages" in n for n in res["notes"]), res.get("notes"))

    def test_image_hole_does_not_hide_a_loss(self):
        z = procparse.parse_zoneinfo(read("i386-highmem-2G-image-hole", "patched", "zoneinfo"))
        present = z[(0, "Normal")]["present"]

        def lose(m):
            m.edit("zoneinfo", f"present  {present}", f"present  {present - 1}")
        res = self.run_rule("i386-highmem-2G-image-hole", lose)
        self.assertEqual(res["verdict"], "FAIL")
        self.assertTrue(any("Normal: present" in p and "+9 expected" in p
                            for p in res["problems"]), res["problems"])

    def test_baseline_failed_is_not_a_pass(self):
        res = self.run_rule("i386-highmem-3G-pc", lambda m: m.edit(
            "status", "ok", "FAIL timed out after 300s"), who="baseline")
        self.assertEqual(res["verdict"], "BASELINE-FAILED")

    def test_patched_failed(self):
        res = self.run_rule("i386-highmem-3G-pc", lambda m: m.edit(
            "status", "ok", "FAIL the console shows errors"))
        self.assertEqual(res["verdict"], "FAIL")

    def test_matrix_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".matrix", delete=False) as f:
            f.write("# comment\n\ni386-highmem 3G pc memmap=8M$0x2f000000  # why [hole=0x2f000000]\n"
                    "x86_64+kasan+poison 6G q35\n")
        self.addCleanup(os.unlink, f.name)
        lays = compare_runner.read_matrix(f.name)
        self.assertEqual([(x["target"], x["mem"], x["machine"], x["append"]) for x in lays], [
            ("i386-highmem", "3G", "pc", "memmap=8M$0x2f000000"),
            ("x86_64+kasan+poison", "6G", "q35", "")])
        self.assertEqual(lays[0]["expect"], {"hole": "0x2f000000"})
        self.assertEqual(lays[1]["base_target"], "x86_64")
        self.assertEqual(lays[1]["fragments"], ["kasan", "poison"])
        self.assertEqual(lays[1]["name"], "x86_64+kasan+poison 6G q35")

    def test_matrix_bad_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".matrix", delete=False) as f:
            f.write("i386-highmem 3G\n")
        self.addCleanup(os.unlink, f.name)
        with self.assertRaises(ValueError):
            compare_runner.read_matrix(f.name)


if __name__ == "__main__":
    unittest.main()
