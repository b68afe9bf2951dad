# SPDX-License-Identifier: GPL-2.0
"""Targets and the configuration fragments they may name.

A target is a base target (configs/BASE.config) and any fragments
(configs/fragments/NAME.config): "x86_64+kasan+poison".  A fragment says in
"# handover-KEY: value" lines what else it needs: "only" (the base targets
it works on, then " -- " and why not elsewhere), "append" (kernel command
line), "qemu" (QEMU arguments) and "mem" (added to QEMU's -m).  scripts/lib.sh
reads the same lines for the shell scripts.
"""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = os.path.join(ROOT, "configs")
BASES = ("i386-highmem", "i386-pae", "i386-nohighmem", "x86_64", "arm-highmem",
         "mips-malta", "mips-highmem")
META = re.compile(r"^# handover-(\w+):\s*(.*?)\s*$")


def split_target(target):
    """("x86_64", ["kasan", "poison"]) for "x86_64+kasan+poison"."""
    base, *frags = target.split("+")
    return base, frags


def fragment_path(name):
    return os.path.join(CONFIGS, "fragments", name + ".config")


def known_fragments():
    d = os.path.join(CONFIGS, "fragments")
    return sorted(f[:-len(".config")] for f in os.listdir(d) if f.endswith(".config"))


def meta(name):
    """{key: [values]} of a fragment's "# handover-KEY:" lines."""
    out = {}
    with open(fragment_path(name), encoding="utf-8") as f:
        for line in f:
            m = META.match(line)
            if m:
                out.setdefault(m.group(1), []).append(m.group(2))
    return out


def unfit(target):
    """Why the target cannot be built as named, or None when it can."""
    base, frags = split_target(target)
    if base not in BASES:
        return f"unknown target {base!r} (known: {', '.join(BASES)})"
    for f in frags:
        if not os.path.exists(fragment_path(f)):
            return f"unknown fragment {f!r} (known: {', '.join(known_fragments())})"
        for only in meta(f).get("only", []):
            targets, _, why = only.partition(" -- ")
            if base not in targets.split():
                return f"fragment {f} does not apply to {base}: {why}"
    return None


def kernel_args(target):
    """The kernel command line words the fragments add."""
    _, frags = split_target(target)
    return " ".join(v for f in frags for v in meta(f).get("append", []))
