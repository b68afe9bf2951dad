# SPDX-License-Identifier: GPL-2.0
"""reStructuredText pieces the generated Documentation/ pages share."""


def simple_table(header, rows):
    """The lines of a simple table: a rule, the header, a rule, the rows, a rule."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    rule = " ".join("=" * w for w in widths)

    def line(r):
        return " ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    return [rule, line(header), rule] + [line(r) for r in rows] + [rule]
