#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A series that does not apply: make tree must name the patch and the
# failing hunk, and leave the tree with the patches before it applied.
# Runs on a shared clone of build/BASE/linux at "base" (no second unpack).
set -u
. "$(dirname "$0")/../lib.sh"

[ -d "$HO_TREE/.git" ] || ho_die "no tree: run 'make tree' first"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work=$tmp/work
git clone -q --shared --no-checkout "$HO_TREE" "$work/linux" || exit 1
git -C "$work/linux" checkout -q -B main base || exit 1
git -C "$work/linux" tag base base 2>/dev/null
mkdir -p "$tmp/patches/$HO_BASE" "$work/linux-base"
# Made on the version the real tree was made from: nothing to fetch.
cp "$HO_WORK/kernel-version" "$work/"
sed "s/^VERSION=.*/VERSION=$(sed -n 's/^DEBIAN_VERSION=//p' "$HO_WORK/kernel-version")/" \
	"$HO_MADE_ON" >"$tmp/patches/$HO_BASE/made-on"

# Three patches: the first applies, the second has a hunk whose context is
# not in the file, the third would apply.
mm=$work/linux
add_patch() {
	local n=$1 subject=$2 file=$3 old=$4 new=$5
	cat >"$tmp/patches/$HO_BASE/000$n-$subject.patch" <<PATCH
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Test <test@example.org>
Date: Sat, 1 Jan 2000 00:00:00 +0000
Subject: [PATCH $n/3] $subject

---
diff --git a/$file b/$file
--- a/$file
+++ b/$file
@@ -1,3 +1,3 @@
 $(sed -n 1p "$mm/$file")
-$old
+$new
 $(sed -n 3p "$mm/$file")
PATCH
}
f=mm/Makefile
add_patch 1 first "$f" "$(sed -n 2p "$mm/$f")" "# first"
add_patch 2 second "$f" "this line is not in the file" "# second"
add_patch 3 third COPYING "$(sed -n 2p "$mm/COPYING")" "third"

out=$(FALLBACK='' HO_WORK=$work HO_PATCHES=$tmp/patches/$HO_BASE "$HO_ROOT/scripts/tree.sh" 2>&1)
rc=$?
echo "$out"
fail() { echo "test_tree: $*"; exit 1; }
[ $rc -ne 0 ] || fail "tree.sh succeeded on a series that does not apply"
grep -q "patch 2/3 does not apply: .*0002-second.patch" <<<"$out" || fail "the failing patch is not named"
grep -q "Hunk #1 FAILED" <<<"$out" || fail "the failing hunk is not named"
[ "$(git -C "$mm" log -1 --format=%s)" = first ] || fail "the tree is not left at patch 1"
[ -z "$(git -C "$mm" status --porcelain --untracked-files=no)" ] || fail "the tree is left dirty"
echo "test_tree: ok"
