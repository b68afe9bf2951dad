# SPDX-License-Identifier: GPL-2.0
"""Where the tooling keeps things, for the base the environment names
(BASE=6.12 by default): the Python side of scripts/lib.sh.

patches/BASE/ holds the series and made-on; build/BASE/ its trees, builds,
results and logs; build/ itself what every base shares.
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("HO_BUILD", os.path.join(ROOT, "build"))
if os.environ.get("HO_PATCHES"):
    # the folder named is the base, whatever BASE says (as in lib.sh)
    PATCHES = os.environ["HO_PATCHES"]
    BASE = os.path.basename(PATCHES.rstrip("/"))
else:
    BASE = os.environ.get("BASE") or "6.12"
    PATCHES = os.path.join(ROOT, "patches", BASE)
WORK = os.environ.get("HO_WORK", os.path.join(BUILD, BASE))
TREE = os.path.join(WORK, "linux")
RESULTS = os.path.join(WORK, "results")
LOGS = os.path.join(WORK, "logs")


def kernel_version():
    """build/BASE/kernel-version as a dict ({} before make tree)."""
    try:
        with open(os.path.join(WORK, "kernel-version"), encoding="utf-8") as f:
            return dict(line.strip().split("=", 1) for line in f if "=" in line)
    except OSError:
        return {}


def made_on():
    """patches/BASE/made-on as a dict."""
    try:
        with open(os.path.join(PATCHES, "made-on"), encoding="utf-8") as f:
            return dict(line.strip().split("=", 1) for line in f
                        if "=" in line and not line.startswith("#"))
    except OSError:
        return {}
