#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the cost of the handover, in guest instructions, baseline vs
# patched.  Perf-flavour kernels of both trees get the measurement patches
# of patches/BASE/bench/ (kept out of the series; bench/baseline/ marks
# where 6.12 releases high memory), in the worktrees
# build/BASE/linux-bench-baseline and -patched, and boot under
# QEMU with -icount shift=0,sleep=off, where a guest TSC cycle is one instruction:
# the figures repeat exactly from run to run.
#
# BENCH="target:mem,mem target:mem" chooses the layouts (default: i386
# HIGHMEM4G with 1G, 3G and 3583M, the most it can use on QEMU pc; x86_64
# with 2G, 8G and 16G, and 8G without deferred struct page init).  A target may name fragments: x86_64+modules:2G.
# A target boots on its first machine (pc; virt for arm-highmem), where
# the kernel counts instructions with its generic timer: 16 a tick.
set -u
. "$(dirname "$0")/lib.sh"

layouts=${BENCH:-"i386-highmem:1G,3G,3583M x86_64:2G,8G,16G x86_64+nodeferred:8G"}
G() { git -C "$HO_TREE" "$@"; }

prepare() {
	local kind=$1 rev src p
	# The commit of the main tree: "HEAD" inside the worktree would be its own.
	rev=$(G rev-parse --verify "$2^{commit}") || ho_die "no commit $2 in $HO_TREE"
	src=$(ho_srcdir "$kind")
	ho_worktree "$src" "$rev"
	git -C "$src" checkout -q -f --detach "$rev" || ho_die "cannot check out $rev in $src"
	# patches/BASE/bench/*.patch go into both trees, bench/<kernel>/ into one.
	# checkout -f keeps the files the last run's patches created: drop
	# every untracked file but the object directories.
	git -C "$src" clean -fdxq -e '/obj-*' || ho_die "cannot clean $src"
	for p in "$HO_PATCHES"/bench/*.patch "$HO_PATCHES/bench/${kind#bench-}"/*.patch; do
		[ -f "$p" ] || continue
		git -C "$src" apply "$p" || ho_die "${p#"$HO_ROOT"/} does not apply to $kind"
	done
}

# BENCH_REV=<commit of build/BASE/linux> measures another state of the series.
series_rev=${BENCH_REV:-HEAD}
prepare bench-baseline base
prepare bench-patched "$series_rev"

runs=()
for spec in $layouts; do
	t=${spec%%:*}
	for kind in bench-baseline bench-patched; do
		"$HO_ROOT/scripts/build.sh" "$kind" "$t" perf >/dev/null || exit 1
	done
	mems=${spec#*:}
	machine=$(ho_machine "$t")
	for m in ${mems//,/ }; do
		runs+=("$t" "$m")
		for kind in bench-baseline bench-patched; do
			FLAVOUR=perf ICOUNT=1 QUIET=1 "$HO_ROOT/scripts/boot.sh" "$kind" "$t" "$m" "$machine" || exit 1
			d=$HO_RESULTS/$kind-perf/$t/$m-$machine/dmesg
			grep -q 'handover-bench: merge' "$d" || ho_die "no handover-bench lines from $kind $t $m (see $d)"
			runs+=("$d")
		done
	done
done

mkdir -p "$HO_RESULTS"
# shellcheck source=/dev/null
version="Linux $(. "$HO_WORK/kernel-version"; echo "$KERNELVERSION (Debian $DEBIAN_VERSION)"), series at $(G rev-parse --short "$series_rev") ($(G rev-list --count "base..$series_rev") patches)"
python3 "$HO_ROOT/scripts/benchtable.py" --txt "$HO_RESULTS/bench.txt" \
	--rst "$HO_RESULTS/bench.rst" --json "$HO_RESULTS/bench.json" \
	--command "make bench BENCH=\"$layouts\"" --version "$version" "${runs[@]}" || exit 1
echo "bench: wrote ${HO_RESULTS#"$HO_ROOT"/}/bench.txt, bench.rst and bench.json (make publish copies bench.rst to Documentation/)"
