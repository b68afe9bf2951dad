# SPDX-License-Identifier: GPL-2.0
"""The nothing-lost rule: what two captures of one layout may differ by.

Per zone and in total, for a baseline and a patched capture (procparse.load):
  - both kernels booted and captured everything;
  - the same zones; spanned and present pages identical, but where the
    kernel image lies in a reserved e820 range (memmap= over it, or a
    firmware hole): x86 then makes [_text, _end) RAM again, so that the
    image zone's present pages, and the physical total, grow with the image
    by exactly the pages of the image that lie in the hole (readded_pages());
  - managed pages identical, except in the zone that holds the kernel image,
    where they may differ by the image size difference (from the "Memory:"
    lines, in pages, plus one page per image section for rounding): the
    image is all that boot keeps of a zone that the two kernels may keep
    differently; with KASAN, also in the highest zone of the image's node,
    where memblock allocates the image's shadow top-down, by the shadow of
    the difference of the image's span (shadow_allowance()); where memblock
    allocates bottom-up from the end of the image (MIPS), also in the zone
    after the image's, by the image size difference: a larger image pushes
    the boot allocations stacked on it across the end of its zone
    (spill_zone());
  - free pages (buddy free lists plus per-cpu lists) equal up to the image
    allowance and the per-cpu vmstat thresholds /proc/zoneinfo shows, by
    which NR_FREE_PAGES may lag, in every zone: what the kernels allocate
    at run time comes from the highest zone, wherever the image is;
  - the "Memory:" physical total and the highmem totals identical;
  - every "Freeing ... memory: NK" line of the baseline in the patched
    kernel's log too, with the same size, but where the size follows the
    kernel image (image_release()): its init sections and the gaps between
    its sections, and EFI boot services memory, which depends on the size
    of the image the firmware loaded; the initrd's does not depend on the
    series, what free_reserved_area() says it gave back must not either;
  - in each capture, buddyinfo summed over orders equals the zone's free
    pages (up to the vmstat thresholds);
  - patched no more fragmented: pages in free blocks of order >=
    pageblock_order not fewer than baseline's; where the zone has fewer
    managed pages (the image difference), minus the pageblocks those pages
    can touch.

Noise (noise()) measured from repeated boots of both kernels widens what
free pages and fragmentation may differ by; layout_problems() says where a
capture is not the layout its matrix line promises.
"""
import math

import procparse

# "free" is what the allocator holds free: the buddy free lists plus the
# per-cpu lists (a page freed through the per-cpu lists sits there, off
# NR_FREE_PAGES, until they are drained).  "buddy" and "pcp" are shown but
# not judged on their own.
FIELDS = ("spanned", "present", "managed", "free", "buddy", "pcp")
EXACT = ("spanned", "present")
JUDGED = ("spanned", "present", "managed", "free")
# Where the kernel image is when /proc/iomem was not captured: x86's
# LOAD_PHYSICAL_ADDR, 16 MiB.
DEFAULT_IMAGE_PFN = (16 << 20) >> 12


def image_allowance(mb, mp):
    """Pages by which managed/free may differ: the image size difference."""
    diff_k = sum(abs(mp[s] - mb[s]) for s in procparse.IMAGE_SECTIONS)
    return math.ceil(diff_k / 4) + len(procparse.IMAGE_SECTIONS)


def image_span(cap):
    """Bytes from the start of the kernel's code to the end of its bss,
    the gaps between its sections included (/proc/iomem), or None."""
    io = cap.get("iomem") or {}
    if "Kernel code" not in io or "Kernel bss" not in io:
        return None
    return io["Kernel bss"][1] + 1 - io["Kernel code"][0]


def shadow_allowance(base, pat):
    """Pages by which KASAN's shadow of the kernel image may differ: generic
    KASAN maps one byte of shadow for every 8 of the image's whole span
    [_stext, _end), and x86_64 aligns the image's sections to 2 MiB.  A
    section that grows past such a boundary moves the next one by 2 MiB: the
    gap is freed again later ("rodata/data gap"), its 256 KiB of shadow is
    not.  Plus two pages for the page tables of the shadow mapping."""
    if not (base.get("kasan") and pat.get("kasan")):
        return 0
    sb, sp = image_span(base), image_span(pat)
    if sb is None or sp is None:
        return 0
    return math.ceil(abs(sp - sb) / 8 / 4096) + 2


def node_zones(cap, node):
    """The populated zones of a node, in the kernel's order."""
    return [k for k, z in cap["zoneinfo"].items() if k[0] == node and z.get("present")]


def shadow_zone(cap):
    """The zone memblock allocates KASAN's shadow from: the highest
    populated zone of the node that holds the image."""
    key = image_zone(cap)
    populated = node_zones(cap, key[0] if key else 0)
    return populated[-1] if populated else None


def spill_zone(cap):
    """Where memblock allocates bottom-up from the end of the kernel image
    (MIPS), the next populated zone of the image's node, which those
    allocations reach when the image grows; else None."""
    key = image_zone(cap)
    populated = node_zones(cap, key[0]) if cap.get("bottom_up") and key else []
    later = populated[populated.index(key) + 1:] if key in populated else []
    return later[0] if later else None


def hi_order_pages(counts, pb_order):
    return sum(n << o for o, n in enumerate(counts) if o >= pb_order)


def buddy_pages(counts):
    return sum(n << o for o, n in enumerate(counts))


def zone_field(zone, field):
    if field == "free":
        return zone.get("free", 0) + zone.get("pcp", 0)
    if field == "buddy":
        return zone.get("free", 0)
    return zone.get(field, 0)


def image_zone(cap):
    """The (node, zone) whose span holds the first page of the kernel."""
    pfn = DEFAULT_IMAGE_PFN
    if cap.get("iomem") and cap["iomem"].get("Kernel code"):
        pfn = cap["iomem"]["Kernel code"][0] >> 12
    for key, z in cap["zoneinfo"].items():
        start = z.get("start_pfn")
        if start is not None and start <= pfn < start + z.get("spanned", 0):
            return key
    return None


def readded_pages(cap):
    """Pages of the kernel image that x86 made RAM again although the e820
    map has them reserved ("... not marked as E820_TYPE_RAM!")."""
    r = cap.get("kernel_readded")
    if not r:
        return 0
    start, end = r
    return sum(max(0, min(end, he) + 1 - max(start, hs))
               for hs, he in cap.get("e820_reserved") or []) // 4096


def tolerance(field, allow, lag):
    """How far apart the kernels may be: 0 for the exact fields, the
    allowance (for managed pages, what the caller allows in that zone: the
    image, its KASAN shadow, else 0) plus the vmstat lag for "free", None
    for unjudged ones."""
    if field in EXACT:
        return 0
    if field == "managed":
        return allow
    if field == "free":
        return allow + lag
    return None


def judge(field, vb, vp, allow, lag):
    tol = tolerance(field, allow, lag)
    return tol is None or abs(vb - vp) <= tol


def spread(captures):
    """How much free and >= pageblock pages vary between boots of one
    kernel (loaded captures of one layout): {zone key: {"free": n, "hi": n}}
    with the most any zone varied for every zone (which zone a run-time
    allocation lands in varies too), plus "total" for the free total."""
    seen = {}
    for cap in captures:
        if not cap["status"].startswith("ok") or cap["missing"]:
            continue
        pb_order = cap["pagetypeinfo"]["pageblock_order"] or 0
        total = 0
        for key, z in cap["zoneinfo"].items():
            free = zone_field(z, "free")
            total += free
            hi = hi_order_pages(cap["buddyinfo"].get(key, []), pb_order)
            seen.setdefault(key, {"free": [], "hi": []})
            seen[key]["free"].append(free)
            seen[key]["hi"].append(hi)
        seen.setdefault("total", {"free": []})["free"].append(total)
    width = {k: {f: max(v) - min(v) for f, v in d.items()} for k, d in seen.items()}
    worst = {f: max((d.get(f, 0) for k, d in width.items() if k != "total"), default=0)
             for f in ("free", "hi")}
    return {k: (d if k == "total" else dict(worst)) for k, d in width.items()}


def noise(baselines, patched):
    """What free and fragmentation may differ by, from repeated boots of
    both kernels: each kernel's own spread, added, so that a layout judged
    once passes or fails the same way when it is judged again."""
    sb, sp = spread(baselines), spread(patched)
    out = {}
    for key in set(sb) | set(sp):
        fb, fp = sb.get(key, {}), sp.get(key, {})
        out[key] = {f: fb.get(f, 0) + fp.get(f, 0) for f in set(fb) | set(fp)}
    return out


def image_release(what):
    """A "Freeing ... memory" line whose size follows the kernel image: a
    part of the image (the init sections, the gaps between sections, the
    SMP alternatives), or the firmware's boot services memory, whose size
    depends on the size of the image the firmware loaded (x86_64 under
    OVMF: 16K more of it with a bzImage 16K smaller).  That line gives the
    size of the ranges handed to free_reserved_area(), not what it freed:
    the zones' managed pages say that."""
    return ("kernel" in what or "alternatives" in what or what.endswith("init")
            or what == "EFI boot services")


def freeing_problems(base, pat):
    """Where the kernels say they gave back different memory, outside the
    kernel image (procparse.parse_freeing()), in problem lines."""
    fb, fp = base.get("freeing") or {}, pat.get("freeing") or {}

    def size(kib):
        return "not said" if kib is None else f"{kib}K"
    return [f"Freeing {what} memory: {size(fb.get(what))} -> {size(fp.get(what))}"
            for what in sorted(set(fb) | set(fp))
            if not image_release(what) and fb.get(what) != fp.get(what)]


def _zone_name(key, zones):
    return f"{key[1]}" if key[0] == 0 and len({k[0] for k in zones}) == 1 else f"{key[0]}:{key[1]}"


def compare(base, pat, noise_by_zone=None):
    """Apply the rule to two loaded captures (procparse.load); noise, from
    noise(), widens what free and fragmentation may differ by."""
    noise_by_zone = noise_by_zone or {}
    res = {"verdict": "PASS", "problems": [], "zones": [], "allowance": None,
           "memory": {"baseline": base.get("memory"), "patched": pat.get("memory")}}
    probs = res["problems"]
    bok = base["status"].startswith("ok")
    pok = pat["status"].startswith("ok")
    if not bok:
        res["verdict"] = "BASELINE-FAILED"
        probs.append("baseline did not boot: " + base["status"])
        if not pok:
            probs.append("patched did not boot either: " + pat["status"])
        return res
    if not pok:
        res["verdict"] = "FAIL"
        probs.append("patched did not boot: " + pat["status"])
        return res
    for who, cap in (("baseline", base), ("patched", pat)):
        if cap["missing"]:
            probs.append(f"{who}: not captured: {', '.join(cap['missing'])}")
        elif cap["memory"] is None:
            probs.append(f"{who}: no 'Memory:' line in the kernel log")
    if probs:
        res["verdict"] = "FAIL"
        return res

    mb, mp = base["memory"], pat["memory"]
    allow = image_allowance(mb, mp)
    res["allowance"] = allow
    shadow = shadow_allowance(base, pat)
    szone = shadow_zone(pat) if shadow else None
    if shadow:
        res.setdefault("notes", []).append(
            f"KASAN: the image spans {image_span(base)} -> {image_span(pat)} bytes, so its shadow "
            f"may differ by {shadow} pages in {_zone_name(szone, base['zoneinfo'])}")
    spill = spill_zone(base)
    if spill != spill_zone(pat):
        spill = None
    if spill:
        res.setdefault("notes", []).append(
            f"memblock allocates bottom-up from the end of the image: managed pages of "
            f"{_zone_name(spill, base['zoneinfo'])} may differ by the image's {allow} pages too")
    readded = readded_pages(pat) - readded_pages(base)
    if readded_pages(pat) or readded_pages(base):
        res.setdefault("notes", []).append(
            f"the kernel image lies in a reserved e820 range, and x86 makes it RAM again: "
            f"{readded_pages(base)} -> {readded_pages(pat)} pages, so present pages of its "
            f"zone and the physical total must differ by exactly {readded:+d} pages")
    if mp["total"] - mb["total"] != 4 * readded:
        probs.append(f"Memory: physical total {mb['total']}K -> {mp['total']}K"
                     + (f" ({4 * readded:+d}K expected)" if readded else ""))
    if mb.get("highmem") != mp.get("highmem") and mb.get("highmem") is not None:
        probs.append(f"Memory: highmem {mb.get('highmem')}K -> {mp.get('highmem')}K")
    for key in ("HighTotal",):
        vb, vp = base["meminfo"].get(key), pat["meminfo"].get(key)
        if vb != vp:
            probs.append(f"meminfo {key} {vb}K -> {vp}K")
    probs += freeing_problems(base, pat)
    vb, vp = base["meminfo"].get("MemTotal"), pat["meminfo"].get("MemTotal")
    if vb is None or vp is None or abs(vb - vp) > 4 * (allow + shadow):
        probs.append(f"meminfo MemTotal {vb}K -> {vp}K (allowed +-{4 * (allow + shadow)}K)")

    zb, zp = base["zoneinfo"], pat["zoneinfo"]
    img = {image_zone(base), image_zone(pat)}
    res["image_zone"] = [_zone_name(k, zb) for k in sorted(k for k in img if k)]
    pb_order = base["pagetypeinfo"]["pageblock_order"] or 0
    pb_pages = 1 << pb_order
    totals = {f: [0, 0] for f in FIELDS}
    total_lag = 0
    for key in list(zb) + [k for k in zp if k not in zb]:
        name = _zone_name(key, zb)
        if key not in zb or key not in zp:
            probs.append(f"zone {name} only in the {'patched' if key in zp else 'baseline'} kernel")
            continue
        b, p = zb[key], zp[key]
        if not b.get("spanned") and not p.get("spanned"):
            continue
        here = key in img
        # What managed pages may differ by here: the image, its shadow.
        zallow = (allow if here or key == spill else 0) + (shadow if key == szone else 0)
        z = {"zone": name, "node": key[0], "name": key[1], "fields": {}, "image": here}
        # NR_FREE_PAGES as /proc shows it may lag by up to the per-cpu
        # vmstat thresholds, in either capture.
        lag = b.get("stat_threshold", 0) + p.get("stat_threshold", 0)
        lag += noise_by_zone.get(key, {}).get("free", 0)
        total_lag += lag
        for f in FIELDS:
            vb, vp = zone_field(b, f), zone_field(p, f)
            totals[f][0] += vb
            totals[f][1] += vp
            # Present pages of the image's zone follow what x86 re-added.
            expect = readded if f == "present" and here else 0
            fallow = zallow if f == "managed" else allow + shadow
            ok = judge(f, vb + expect, vp, fallow, lag)
            z["fields"][f] = [vb, vp, ok]
            if not ok:
                tol = tolerance(f, fallow, lag)
                why = "" if f in EXACT else f", allowed +-{tol}"
                if expect:
                    why = f", {expect:+d} expected from the re-added image"
                if f == "managed" and not zallow:
                    why = ", exact outside the image's zone"
                probs.append(f"zone {name}: {f} {vb} -> {vp} ({vp - vb:+d}{why})")
        bb = base["buddyinfo"].get(key, [])
        bp = pat["buddyinfo"].get(key, [])
        z["buddy"] = [bb, bp]
        for who, counts, zi in (("baseline", bb, b), ("patched", bp, p)):
            if abs(buddy_pages(counts) - zi.get("free", 0)) > zi.get("stat_threshold", 0):
                probs.append(f"zone {name}: {who} buddyinfo sums to {buddy_pages(counts)} pages, "
                             f"zoneinfo says {zi.get('free', 0)} free")
        hb, hp = hi_order_pages(bb, pb_order), hi_order_pages(bp, pb_order)
        z["hi_order_pages"] = [hb, hp]
        # Pages the patched kernel may lack in this zone (a larger image)
        # can break the pageblocks they sit in, and no more.
        lost = max(0, b.get("managed", 0) - p.get("managed", 0))
        frag_slack = (-(-lost // pb_pages) + 1) * pb_pages if lost else 0
        frag_slack += noise_by_zone.get(key, {}).get("hi", 0)
        if hb - hp > frag_slack:
            probs.append(f"zone {name}: more fragmented: {hp} pages in blocks of order >= {pb_order}, "
                         f"baseline {hb} (allowed -{frag_slack})")
        res["zones"].append(z)
    res["totals"] = {}
    for f in FIELDS:
        vb, vp = totals[f]
        ok = judge(f, vb + (readded if f == "present" else 0), vp, allow + shadow, total_lag)
        res["totals"][f] = [vb, vp, ok]
        if not ok:
            probs.append(f"total {f} {vb} -> {vp} ({vp - vb:+d})")
    res["pageblock_order"] = pb_order
    if probs:
        res["verdict"] = "FAIL"
    return res


def size_pages(size):
    """Pages in a size as QEMU's -m writes it: 5G, 5000M, 512K."""
    units = {"K": 10, "M": 20, "G": 30, "T": 40}
    num, unit = size[:-1], size[-1].upper()
    if unit not in units:
        num, unit = size, "M"
    return (int(float(num) * (1 << units[unit]))) >> 12


def layout_problems(cap, expect):
    """Where a capture is not the layout its matrix line says it is:
    expect holds "nodes" (a count), "zones" (populated zone names),
    "highmem" and "movable" (populated HighMem, Movable zones), "ram" (the
    memory the zones hold, hot-added memory included: 5G), "hole" (the
    start of a reserved e820 range, as memmap= makes), "efi" (UEFI boot
    services memory given back: the kernel booted through the firmware)."""
    probs = []
    if not cap["status"].startswith("ok") or not cap["zoneinfo"]:
        return probs
    populated = {k for k, z in cap["zoneinfo"].items() if z.get("present")}
    nodes = {k[0] for k in populated}
    names = {k[1] for k in populated}
    if "nodes" in expect and len(nodes) != int(expect["nodes"]):
        probs.append(f"layout: {len(nodes)} node(s) with memory, the matrix says {expect['nodes']}")
    if "zones" in expect and names != set(expect["zones"].split(",")):
        probs.append(f"layout: populated zones {','.join(sorted(names))}, "
                     f"the matrix says {expect['zones']}")
    for flag, zone in (("highmem", "HighMem"), ("movable", "Movable")):
        if flag in expect and zone not in names:
            probs.append(f"layout: no {zone} zone with memory, the matrix says there is one")
    if "ram" in expect:
        want = size_pages(expect["ram"])
        have = sum(z.get("present", 0) for z in cap["zoneinfo"].values())
        # Firmware holes keep present pages a little under the RAM size.
        if have < want * 99 // 100:
            probs.append(f"layout: {have} present pages, the matrix says {expect['ram']} "
                         f"of RAM ({want} pages)")
    if "efi" in expect and not (cap.get("freeing") or {}).get("EFI boot services"):
        probs.append("layout: no 'Freeing EFI boot services memory' line, the matrix says "
                     "it boots through UEFI")
    if "hole" in expect:
        want = int(expect["hole"], 0)
        if not any(start == want for start, _ in cap.get("e820_reserved") or []):
            probs.append(f"layout: no reserved e820 range at {expect['hole']}")
    return probs
