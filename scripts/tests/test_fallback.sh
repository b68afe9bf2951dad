#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The base a series was made on, and what happens when Debian drops it,
# on a made-up package in a local apt repository (no network, no kernel):
#  - make tree unpacks exactly the version made-on names, and make export
#    records it with the blobs a 3-way merge needs;
#  - that version gone, make tree falls back to the newest, says so, and
#    applies the series with git am -3 where plain git am fails;
#  - a patch that conflicts even so is named with its file and hunk, by
#    make tree and by make watch.
set -u
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "test_fallback: keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
fail() { echo "test_fallback: $*"; exit 1; }

# deb VERSION SUBLEVEL FILE-TEXT: a linux-source-9.9 package whose tarball
# holds a Makefile that says the kernel version and mm/walk.c.
deb() {
	local d=$tmp/pkg-$1 src
	src=$d/src/linux-source-9.9
	mkdir -p "$src/mm" "$d/root/DEBIAN" "$d/root/usr/src"
	printf 'kernelversion:\n\t@echo 9.9.%s\n' "$2" >"$src/Makefile"
	printf '%s\n' "$3" >"$src/mm/walk.c"
	tar -cJf "$d/root/usr/src/linux-source-9.9.tar.xz" -C "$d/src" linux-source-9.9
	printf 'Package: linux-source-9.9\nVersion: %s\nArchitecture: all\nMaintainer: test <test@example.org>\nDescription: test\n' \
		"$1" >"$d/root/DEBIAN/control"
	dpkg-deb --build "$d/root" "$tmp/repo/linux-source-9.9_$1_all.deb" >/dev/null || fail "dpkg-deb failed"
}
# index: the repository's Packages file, for the debs it holds now.
index() {
	local f
	: >"$tmp/repo/Packages"
	for f in "$tmp"/repo/*.deb; do
		{
			dpkg-deb -f "$f"
			echo "Filename: ./$(basename "$f")"
			echo "Size: $(stat -c %s "$f")"
			echo "SHA256: $(sha256sum "$f" | cut -d' ' -f1)"
			echo
		} >>"$tmp/repo/Packages"
	done
}

mkdir -p "$tmp/repo" "$tmp/patches/9.9"
lines=$(seq -f 'line %g' 1 30)
deb 9.9.1-1 1 "$lines"
# 9.9.2 changes line 3, near what the series changes (line 5): plain git am
# fails, a 3-way merge does not; line 20 is changed by both.
deb 9.9.2-1 2 "$(sed 's/^line 3$/line three/; s/^line 20$/line twenty/' <<<"$lines")"
index
echo "deb [trusted=yes] file:$tmp/repo ./" >"$tmp/sources"
cat >"$tmp/patches/9.9/made-on" <<EOF
PACKAGE=linux-source-9.9
VERSION=9.9.1-1
LINUX=9.9.1
WATCH=linux-source-9.9
EOF
export HO_BUILD=$tmp/build HO_WORK=$tmp/work HO_PATCHES=$tmp/patches/9.9 HO_APT_SOURCES=$tmp/sources

# 1. Exactly the version made-on names; a series; make export.
out=$("$HO_ROOT/scripts/tree.sh" 2>&1) || { echo "$out"; fail "make tree on 9.9.1 failed"; }
grep -q "Linux 9.9.1 (Debian linux-source-9.9 9.9.1-1)" <<<"$out" || { echo "$out"; fail "not unpacked from 9.9.1-1"; }
G() { git -C "$tmp/work/linux" "$@"; }
G config branch.main.description "$(printf 'mm: walk: a test series\n\nTwo changes to mm/walk.c.')"
sed -i 's/^line 5$/line five/' "$tmp/work/linux/mm/walk.c"
G commit -q -a -m "mm: walk: five" || fail "commit"
sed -i 's/^line 20$/line 20, changed/' "$tmp/work/linux/mm/walk.c"
G commit -q -a -m "mm: walk: twenty" || fail "commit"
"$HO_ROOT/scripts/export.sh" >/dev/null || fail "make export failed"
[ -s "$tmp/patches/9.9/blobs.pack" ] || fail "make export recorded no blobs"
grep -qx "VERSION=9.9.1-1" "$tmp/patches/9.9/made-on" || fail "made-on lost its version"

# 2. 9.9.1 gone: the newest, 9.9.2, with a 3-way merge, said loudly.  The
# second patch conflicts: drop it first.
rm "$tmp/repo/linux-source-9.9_9.9.1-1_all.deb" "$tmp/patches/9.9/0002-"*.patch
index
export HO_WORK=$tmp/work2 HO_APT_MAX_AGE=0
out=$("$HO_ROOT/scripts/tree.sh" 2>&1) || { echo "$out"; fail "the fallback failed"; }
echo "$out"
grep -q "No suite of Debian's archive lists that version any more" <<<"$out" || fail "the fallback is not said"
grep -q "Falling back to the newest, linux-source-9.9 9.9.2-1" <<<"$out" || fail "not the newest"
grep -q "applied 1 patch(es) with a 3-way merge" <<<"$out" || fail "not a 3-way merge"
grep -qx "FALLBACK=1" "$tmp/work2/kernel-version" || fail "kernel-version does not say FALLBACK=1"
for l in "line three" "line five"; do
	grep -qx "$l" "$tmp/work2/linux/mm/walk.c" || fail "the merge lost '$l'"
done
git -C "$tmp/work2/linux" am --abort >/dev/null 2>&1
# Plain git am would have failed there: the fallback is what made it apply.
git -C "$tmp/work2/linux" checkout -q base || fail "checkout"
if git -C "$tmp/work2/linux" am -q "$tmp"/patches/9.9/0001-*.patch 2>/dev/null; then
	fail "plain git am applies: the test proves nothing"
fi
git -C "$tmp/work2/linux" am --abort >/dev/null 2>&1

# 3. With the conflicting patch back: named by make tree and make watch.
git -C "$tmp/work/linux" format-patch -q --zero-commit --start-number 2 -1 -o "$tmp/p2" HEAD
cp "$tmp"/p2/*.patch "$tmp/patches/9.9/"
export HO_WORK=$tmp/work3
out=$("$HO_ROOT/scripts/tree.sh" 2>&1) && { echo "$out"; fail "a conflicting series applied"; }
echo "$out"
grep -q "patch 2/2 does not apply with a 3-way merge: .*0002-mm-walk-twenty.patch" <<<"$out" ||
	fail "make tree does not name the conflicting patch"
grep -q "CONFLICT (content): Merge conflict in mm/walk.c" <<<"$out" || fail "the conflict is not named"
grep -q "Hunk #1 FAILED" <<<"$out" || fail "the hunk is not named"
# shellcheck disable=SC2016 # the README's commands, as written there
printf '%s\n' 'git am $(ls "$HANDOVER"/patches/9.9/0*.patch | grep -v /0000-)' \
	'for p in $(ls "$HANDOVER"/patches/9.9/0*.patch | grep -v /0000-); do patch -p1 < "$p"; done' >"$tmp/README.md"
out=$(HO_README=$tmp/README.md "$HO_ROOT/scripts/watch.sh" 2>&1)
echo "$out"
grep -q "9.9.1-1 (made on): the README's git am applies the 2 patches" <<<"$out" ||
	fail "make watch does not apply the series to the version it was made on"
grep -q "base 9.9: made on linux-source-9.9 9.9.1-1; newest linux-source-9.9 9.9.2-1 (.): conflicts in patch 2, 0002-mm-walk-twenty.patch: mm/walk.c hunk 1" <<<"$out" ||
	fail "make watch does not name the conflict"
echo "test_fallback: ok"
