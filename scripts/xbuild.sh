#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make xbuild: build the series for the HIGHMEM architectures it changes
# that nothing here can boot, with Debian's cross compilers, from
# tinyconfig with HIGHMEM:
#   ppc32   32-bit powerpc (PowerMac), to vmlinux;
#   sparc32 only mm/ and arch/sparc/mm/: 6.12.117's sparc32 vmlinux does
#           not build with Debian's gcc 12, patched or not (fs/fcntl.c, a
#           BUILD_BUG_ON on the O_* flags).
# XBUILD_EACH=1 builds every patch of the series in turn (as make bisect
# does for the booted targets), in the worktree build/BASE/linux-xbuild.
set -u
. "$(dirname "$0")/lib.sh"

"$HO_ROOT/scripts/deps.sh" xbuild || exit 1
src=$HO_WORK/linux-xbuild
objroot=$HO_WORK/xbuild
G() { git -C "$HO_TREE" "$@"; }
tip=$(G rev-parse --verify HEAD) || ho_die "no series in $HO_TREE: run 'make tree'"
ho_worktree "$src" "$tip"

# xb NAME ARCH CROSS CONFIG-ARGS... -- MAKE-GOALS...
xb() {
	local name=$1 arch=$2 cross=$3 obj=$objroot/$1 cfg=() goals=() log
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do cfg+=("$1"); shift; done
	shift
	goals=("$@")
	log=$HO_LOGS/xbuild-$name.log
	local M=(make -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc")
	if [ ! -f "$obj/.config" ]; then
		mkdir -p "$obj"
		ho_logged "$log" "${M[@]}" tinyconfig || ho_die "tinyconfig for $name failed"
		"$src/scripts/config" --file "$obj/.config" "${cfg[@]}"
		ho_logged "$log" "${M[@]}" olddefconfig || ho_die "olddefconfig for $name failed"
		grep -qx CONFIG_HIGHMEM=y "$obj/.config" || ho_die "$name: Kconfig dropped HIGHMEM"
	fi
	ho_logged "$log" "${M[@]}" -j"$(nproc)" "${goals[@]}" ||
		ho_die "$name does not build at $(git -C "$src" log -1 --format='%h %s') (full log: $log)"
}

revs=$tip
[ "${XBUILD_EACH:-}" = 1 ] && revs=$(G rev-list --reverse base.."$tip")
for rev in $revs; do
	git -C "$src" checkout -q -f --detach "$rev" || ho_die "cannot check out $rev"
	t0=$(date +%s)
	xb ppc32 powerpc powerpc-linux-gnu- -e PPC_PMAC -e HIGHMEM -- vmlinux
	xb sparc32 sparc sparc64-linux-gnu- -d 64BIT -e HIGHMEM -- mm/ arch/sparc/mm/
	echo "xbuild: $(git -C "$src" log -1 --format='%h %s'): ppc32 vmlinux and sparc32 mm/ built ($(($(date +%s) - t0)) s)"
done
