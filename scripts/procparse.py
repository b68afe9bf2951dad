# SPDX-License-Identifier: GPL-2.0
"""Parsers for what the capture initramfs saves: /proc/zoneinfo,
/proc/buddyinfo, /proc/pagetypeinfo, /proc/meminfo, /proc/iomem and the
kernel log's "Memory:" line and e820 map.  Zones are keyed by (node, zone
name)."""
import os
import re

ZONE_HDR = re.compile(r"^Node (\d+), zone\s+(\S+)")
ZONE_FIELDS = ("spanned", "present", "managed", "cma")
MEMORY_LINE = re.compile(
    r"Memory: (?P<avail>\d+)K/(?P<total>\d+)K available \("
    r"(?P<code>\d+)K kernel code, (?P<rwdata>\d+)K rwdata, "
    r"(?P<rodata>\d+)K rodata, (?P<init>\d+)K init, (?P<bss>\d+)K bss, "
    r"(?P<reserved>\d+)K reserved, (?P<cma>\d+)K cma-reserved"
    r"(?:, (?P<highmem>\d+)K highmem)?\)")
IMAGE_SECTIONS = ("code", "rwdata", "rodata", "init", "bss")


def parse_zoneinfo(text):
    """{(node, zone): {"free", "spanned", "present", "managed", "pcp", ...}}

    "free" is the zone's NR_FREE_PAGES (the buddy free lists), "pcp" the
    pages held in its per-cpu lists, summed over the CPUs."""
    zones = {}
    cur = None
    for line in text.splitlines():
        m = ZONE_HDR.match(line)
        if m:
            cur = zones.setdefault((int(m.group(1)), m.group(2)), {})
            continue
        if cur is None:
            continue
        f = line.split()
        if len(f) >= 3 and f[0] == "pages" and f[1] == "free":
            cur["free"] = int(f[2])
        elif len(f) == 2 and f[0] in ZONE_FIELDS and f[1].isdigit():
            cur.setdefault(f[0], int(f[1]))
        elif len(f) == 2 and f[0] == "count:" and f[1].isdigit():
            # a per-cpu pageset: free pages held in the per-cpu lists
            cur["pcp"] = cur.get("pcp", 0) + int(f[1])
        elif line.strip().startswith("vm stats threshold:"):
            cur["stat_threshold"] = cur.get("stat_threshold", 0) + int(f[-1])
        elif len(f) == 2 and f[0] == "nr_free_pages":
            cur["nr_free_pages"] = int(f[1])
        elif len(f) == 2 and f[0] == "start_pfn:" and f[1].isdigit():
            cur["start_pfn"] = int(f[1])
    return zones


def parse_buddyinfo(text):
    """{(node, zone): [free blocks of order 0, 1, ...]}"""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^Node (\d+), zone\s+(\S+)\s+(.*)$", line)
        if m:
            out[(int(m.group(1)), m.group(2))] = [int(x) for x in m.group(3).split()]
    return out


def parse_pagetypeinfo(text):
    """{"pageblock_order": n, "free": {(node, zone, type): [per order]},
    "blocks": {(node, zone): {type: n}}}"""
    res = {"pageblock_order": None, "free": {}, "blocks": {}}
    types = []
    for line in text.splitlines():
        m = re.match(r"^Page block order: (\d+)", line)
        if m:
            res["pageblock_order"] = int(m.group(1))
            continue
        m = re.match(r"^Node\s+(\d+), zone\s+(\S+), type\s+(\S+)\s+(.*)$", line)
        if m:
            key = (int(m.group(1)), m.group(2), m.group(3))
            res["free"][key] = [int(x) for x in m.group(4).split()]
            continue
        if line.startswith("Number of blocks type"):
            types = line.split()[4:]
            continue
        m = re.match(r"^Node (\d+), zone\s+(\S+)\s+([\d\s]+)$", line)
        if m and types:
            nums = [int(x) for x in m.group(3).split()]
            res["blocks"][(int(m.group(1)), m.group(2))] = dict(zip(types, nums))
    return res


def parse_meminfo(text):
    """{"MemTotal": kB, ...}"""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(\S+):\s+(\d+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def parse_memory_line(text):
    """The kernel's "Memory: ..." boot line as a dict of KiB figures, plus
    "image": the kernel image size (code, data, init, bss)."""
    m = MEMORY_LINE.search(text)
    if not m:
        return None
    d = {k: int(v) for k, v in m.groupdict().items() if v is not None}
    d["image"] = sum(d[k] for k in IMAGE_SECTIONS)
    return d


def parse_iomem(text):
    """{"Kernel code": (start, end), ...}: the first range of each name in
    /proc/iomem (read as root, so that the addresses are real)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([0-9a-f]+)-([0-9a-f]+) : (.*)$", line)
        if m:
            out.setdefault(m.group(3).strip(), (int(m.group(1), 16), int(m.group(2), 16)))
    return out


E820_LINE = re.compile(r"(BIOS-e820|user): \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] reserved")
READDED = re.compile(r"\.text \.data \.bss are not marked as E820_TYPE_RAM!.*\n"
                     r".*e820: remove \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]")


def parse_e820_reserved(text):
    """[(start, end)] (end inclusive) of the reserved ranges of the e820 map
    the kernel uses: the one memmap= and mem= make ("user"), else the
    firmware's."""
    found = E820_LINE.findall(text)
    user = [(a, b) for who, a, b in found if who == "user"]
    firmware = [(a, b) for who, a, b in found if who != "user"]
    return [(int(a, 16), int(b, 16)) for a, b in (user or firmware)]


def parse_kernel_readded(text):
    """(start, end) (end inclusive) of the kernel image x86 made RAM again
    because the e820 map did not say it was (e820_add_kernel_range()), or
    None."""
    m = READDED.search(text)
    return (int(m.group(1), 16), int(m.group(2), 16)) if m else None


FREEING_LINE = re.compile(r"Freeing (.+?) memory: (\d+)K")


def parse_freeing(text):
    """{what: KiB} of the kernel's "Freeing ... memory: NK" lines, which
    free_reserved_area() and its callers print for what they give back
    (the initrd, EFI boot services, the init sections), summed per name."""
    out = {}
    for what, kib in FREEING_LINE.findall(text):
        out[what] = out.get(what, 0) + int(kib)
    return out


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return None


def load(resdir):
    """Everything one boot captured, parsed.  "status" is the first line of
    boot.sh's status file ("ok ..." or "FAIL ..."), "missing" the files that
    were not captured."""
    cap = {"dir": resdir, "missing": []}
    status = _read(os.path.join(resdir, "status"))
    cap["status"] = status.strip() if status else "FAIL not booted"
    parsers = {"zoneinfo": parse_zoneinfo, "buddyinfo": parse_buddyinfo,
               "pagetypeinfo": parse_pagetypeinfo, "meminfo": parse_meminfo,
               "dmesg": parse_memory_line}
    for name, parse in parsers.items():
        text = _read(os.path.join(resdir, name))
        if text is None:
            cap["missing"].append(name)
            cap[name] = None
        else:
            cap[name] = parse(text)
    cap["memory"] = cap.pop("dmesg")
    dmesg = _read(os.path.join(resdir, "dmesg")) or ""
    cap["e820_reserved"] = parse_e820_reserved(dmesg)
    cap["kernel_readded"] = parse_kernel_readded(dmesg)
    cap["freeing"] = parse_freeing(dmesg)
    cap["kasan"] = "KernelAddressSanitizer initialized" in dmesg
    # MIPS allocates boot memory bottom-up, from the end of the kernel
    # (arch_mem_init()); its boot log names the CPU's revision.
    cap["bottom_up"] = "CPU0 revision is:" in dmesg
    # Captures made before /proc/iomem was saved lack it: not an error.
    iomem = _read(os.path.join(resdir, "iomem"))
    cap["iomem"] = parse_iomem(iomem) if iomem else None
    return cap
