#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""benchtable.py: the make bench table, from the "handover-bench:" lines of
baseline and patched boots.

    benchtable.py --txt OUT --rst OUT [--json OUT] --command CMD --version VER \
        TARGET MEM BASE_DMESG PATCHED_DMESG [TARGET MEM BASE PATCHED ...]

Each boot prints, under QEMU -icount shift=0,sleep=off (a guest cycle is one
instruction):

    handover-bench: phase reserved|low|high|total C cycles P pages
    handover-bench: floor C cycles P pages
    handover-bench: merge|alloc <pattern> C cycles P pages

The table gives instructions per page for both kernels and their ratio
(patched / baseline), and per layout the figures the series is held to.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paths  # noqa: E402
import rst  # noqa: E402

LINE = re.compile(r'handover-bench: (.+?) (\d+) cycles (\d+) pages')
ROWS = ['phase reserved', 'phase low', 'phase high', 'phase iommu', 'phase other',
        'phase total', 'phase deferred', 'handover', 'floor', 'floor init']
TXT_ROW = '%-24s %14s %9s %9s %14s %9s %9s %7s'


def parse(path):
    """{what: (cycles, pages)} from one dmesg; the last line of each wins.
    "handover" is derived: all of mem_init() but swiotlb's set-up ("phase
    iommu"), plus deferred struct page init, over the pages both released."""
    out = {}
    with open(path, errors='replace') as f:
        for line in f:
            m = LINE.search(line)
            if m:
                out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    if 'phase total' in out:
        total, pages = out['phase total']
        iommu = out.get('phase iommu', (0, 0))[0]
        deferred, dpages = out.get('phase deferred', (0, 0))
        out['handover'] = (total - iommu + deferred, pages + dpages)
    return out


def per_page(fig):
    cycles, pages = fig
    return cycles / pages if pages else None


def fmt(x, spec='.1f'):
    return '-' if x is None else format(x, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def layout_rows(base, patched):
    found = set(base) | set(patched)
    names = ROWS + [k for prefix in ('merge ', 'alloc ')
                    for k in sorted(found) if k.startswith(prefix)]
    rows = []
    for name in names:
        b, p = base.get(name), patched.get(name)
        bpp = per_page(b) if b else None
        ppp = per_page(p) if p else None
        rows.append((name, b, bpp, p, ppp, ratio(ppp, bpp)))
    return rows


def verdicts(base, patched, targets=True):
    """The figures the series is held to (on i386 with HIGHMEM; elsewhere
    the same figures without the targets), for one layout."""
    out = []

    def goal(text, ok, always=False):
        """The target's verdict; x86_64's targets hold on every layout."""
        return ' (%s: %s)' % (text, 'ok' if ok else 'missed') if targets or always else ''

    def pp(d, k):
        return per_page(d[k]) if k in d else None
    low, high = pp(patched, 'phase low'), pp(patched, 'phase high')
    if high is not None:
        out.append('patched: high memory %s instr/page vs low %s%s' % (
            fmt(high), fmt(low), goal('target: high <= low', high <= low)))
        bl, bh = pp(base, 'phase low'), pp(base, 'phase high')
        out.append('6.12: high memory %s instr/page vs low %s (%s times)' % (
            fmt(bh), fmt(bl), fmt(ratio(bh, bl))))
    bt, pt = pp(base, 'phase total'), pp(patched, 'phase total')
    r = ratio(pt, bt)
    out.append('total per page: patched/6.12 = %s%s' % (
        fmt(r, '.3f'), goal('target <= 0.333', r is not None and r <= 1 / 3)))
    if patched.get('phase deferred', (0, 0))[1]:
        # x86_64: the whole handover, deferred init included, against the
        # floor of memory never initialised before.
        bh, ph = pp(base, 'handover'), pp(patched, 'handover')
        r = ratio(ph, bh)
        out.append('x86_64: handover per page: patched/6.12 = %s%s' % (
            fmt(r, '.3f'), goal('target <= 0.5', r is not None and r <= 0.5, True)))
        fi = pp(patched, 'floor init')
        x = ratio(ph, fi)
        out.append('x86_64: patched handover %s instr/page = %s x the floor init (%s)%s' % (
            fmt(ph), fmt(x, '.2f'), fmt(fi), goal('target <= 1.5', x is not None and x <= 1.5, True)))
        res = pp(patched, 'phase reserved')
        out.append('x86_64: patched reserved %s instr/reserved page (6.12 %s)%s' % (
            fmt(res), fmt(pp(base, 'phase reserved')),
            goal('target <= 15', res is not None and res <= 15, True)))
    for name, d in (('6.12', base), ('patched', patched)):
        f = pp(d, 'floor')
        t = pp(d, 'phase total')
        x = ratio(t, f)
        out.append('%s: total %s instr/page = %s x the floor (%s)%s' % (
            name, fmt(t), fmt(x, '.2f'), fmt(f),
            goal('target <= 3', x is not None and x <= 3) if name == 'patched' else ''))
    worst = None
    for k in sorted(patched):
        if k.startswith('merge ') and k in base:
            r = ratio(pp(patched, k), pp(base, k))
            if r is not None and (worst is None or r > worst[1]):
                worst = (k, r)
    if worst:
        out.append('run-time free path: worst ratio %.4f (%s; target <= 1.00: %s)' % (
            worst[1], worst[0][6:], 'ok' if worst[1] <= 1.0 else 'slower'))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--txt', required=True)
    ap.add_argument('--rst', required=True)
    ap.add_argument('--json', help='the figures as JSON, for kcidb.py')
    ap.add_argument('--command', required=True)
    ap.add_argument('--version', required=True)
    ap.add_argument('runs', nargs='+')
    a = ap.parse_args(argv)
    if len(a.runs) % 4:
        ap.error('runs come in fours: TARGET MEM BASE_DMESG PATCHED_DMESG')

    head = TXT_ROW % (
        'figure', 'base instr', 'pages', '/page', 'patched instr', 'pages', '/page', 'ratio')
    txt = ['# %s' % a.command, '# %s' % a.version]
    sections = []
    figures = []
    for i in range(0, len(a.runs), 4):
        target, mem, bpath, ppath = a.runs[i:i + 4]
        base, patched = parse(bpath), parse(ppath)
        if not base or not patched:
            sys.exit('benchtable: no handover-bench lines in %s' % (bpath if not base else ppath))
        title = '%s, %s' % (target, mem)
        txt += ['', '## ' + title, head]
        table = []
        for name, b, bpp, p, ppp, r in layout_rows(base, patched):
            figures.append({'target': target, 'mem': mem, 'figure': name,
                            'baseline': b and {'instructions': b[0], 'pages': b[1], 'per_page': bpp},
                            'patched': p and {'instructions': p[0], 'pages': p[1], 'per_page': ppp},
                            'ratio': r})
            cells = (name, b[0] if b else '-', b[1] if b else '-', fmt(bpp),
                     p[0] if p else '-', p[1] if p else '-', fmt(ppp), fmt(r, '.3f'))
            txt.append(TXT_ROW % cells)
            table.append(cells)
        notes = verdicts(base, patched, targets=target.startswith('i386-highmem'))
        txt += ['  ' + n for n in notes]
        sections += [title, '-' * len(title), '']
        sections += rst.simple_table(['figure', '6.12 instr', 'pages', 'per page', 'patched instr',
                                      'pages', 'per page', 'ratio'], table)
        sections += [''] + ['- ' + n for n in notes] + ['']

    with open(a.txt, 'w') as f:
        f.write('\n'.join(txt) + '\n')
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'command': a.command, 'version': a.version, 'figures': figures}, f,
                      indent=1)
    doc = [
        '.. SPDX-License-Identifier: GPL-2.0',
        '.. Generated by scripts/bench.sh (make bench); do not edit.',
        '',
        '=================================',
        'Cost of the handover: make bench',
        '=================================',
        '',
        'Command::',
        '',
        '  ' + a.command,
        '',
        'Kernel: ' + a.version + '.',
        '',
        'Perf-flavour kernels (no debug options) of 6.12 and of the series, both',
        f'with ``{os.path.relpath(paths.PATCHES, paths.ROOT)}/bench/``, boot under QEMU '
        '``-icount shift=0,sleep=off`` on machine',
        '``pc``, where a guest TSC cycle is one executed instruction (32-bit ARM:',
        '``virt``, where a tick of the generic timer\'s 62.5 MHz counter is 16): every figure',
        'repeats exactly from run to run. "instr" is guest instructions, "per page"',
        'instructions per page, "ratio" patched per page over 6.12 per page.',
        '',
        '- phase reserved: ``memmap_init_reserved_pages()``, per page memblock holds reserved when it runs;',
        '- phase low, phase high: the release of low and of high memory, per page',
        '  released (6.12 releases high memory in ``set_highmem_pages_init()`` on',
        '  x86_32 and ``free_highpages()`` on ARM,',
        '  the series in the same walk as low memory);',
        '- phase iommu: ``pci_iommu_alloc()`` in x86_64\'s ``mem_init()``, which sets',
        '  up swiotlb\'s bounce buffers with more than 4 GiB (zeroing them: a',
        '  ``rep stosb`` counts one instruction per byte under QEMU);',
        '- phase other: the rest of ``mem_init()``;',
        '- phase total: all of ``mem_init()``, per page released (on x86_64 with',
        '  deferred struct page init, per page ``mem_init()`` put on the free lists;',
        '  the deferred init threads release the rest later);',
        '- phase deferred: deferred struct page init, all its threads together,',
        '  per page it gave the zones;',
        '- handover: all of the release of boot memory: ``mem_init()`` but swiotlb,',
        '  and deferred init, per page both released;',
        '- "pages" of the low and high phases: pages on the free lists after',
        '  ``mem_init()`` in lowmem and highmem zones;',
        '- floor: one pass over every released page that only clears PG_reserved',
        '  and sets the refcount to 0, the least a release of initialised memory',
        '  can do;',
        '- floor init: one pass over 65536 struct pages that initialises each as',
        '  ``__init_single_page()`` does, refcount 0: the least a release of',
        '  memory never initialised can do (x86_64\'s deferred memory);',
        '- merge ...: the run-time free path after boot (the per-cpu lists and',
        '  the buddy merge behind them), per page freed: single pages allocated',
        '  and freed in reverse, 32 x 1024; a MAX_PAGE_ORDER block split and',
        '  freed even then odd, 16 times; orders 0 to 3 mixed, freed in a stride',
        '  of 7, 4 x 1024 blocks. Each pattern starts with the per-cpu lists',
        '  drained and runs with interrupts off;',
        '- alloc ...: the allocations of the same patterns, shown, not judged:',
        '  they also depend on what the free lists held before, which the two',
        '  kernels leave differently (the series puts the initrd and the init',
        '  sections on the buddy lists).',
        '',
    ] + sections
    with open(a.rst, 'w') as f:
        f.write('\n'.join(doc).rstrip('\n') + '\n')
    print('\n'.join(txt))


if __name__ == '__main__':
    main()
