#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make memblock-sim [REV=]: memblock's own userspace test suite,
# tools/testing/memblock, built from a revision of build/BASE/linux (HEAD by
# default) and run, once as is and once with NUMA=1, as upstream runs it.
# REV=series: every commit of the series that changes what the suite
# compiles (mm/memblock.c, include/linux/memblock.h, tools/testing/memblock),
# then HEAD.
# The suite compiles mm/memblock.c against the stubs of
# tools/testing/memblock/internal.h: memblock.c may use nothing of the zones
# or the memmap that those stubs do not provide.
#
# The files are exported with git archive into build/BASE/memblock-sim/REV,
# so the tree is never written to.  Needs liburcu-dev and the sanitizer
# runtimes (make deps).
set -u
. "$(dirname "$0")/lib.sh"

# sim REV: build and run the suite from REV; 0 if it passes both ways.
sim() {
	local rev=$1 commit short dir rc=0 variant name log
	commit=$(git -C "$HO_TREE" rev-parse --verify -q "$rev^{commit}") ||
		ho_die "memblock-sim: no revision '$rev' in $HO_TREE"
	short=${commit:0:12}
	dir=$HO_WORK/memblock-sim/$short
	rm -rf "$dir"
	mkdir -p "$dir"
	# What the simulator's Makefile reaches: its own directory, tools/include,
	# tools/lib and tools/arch, mm/memblock.c, include/, two x86 headers.
	git -C "$HO_TREE" archive "$commit" tools/testing/memblock tools/testing/selftests/kselftest.h \
		tools/include tools/lib tools/arch \
		mm/memblock.c include arch/x86/include/asm/asm.h arch/x86/include/asm/cmpxchg.h |
		tar -x -C "$dir" || ho_die "memblock-sim: git archive $short failed"

	for variant in "" "NUMA=1"; do
		name=${variant:-UMA}
		log=$HO_LOGS/memblock-sim-$short-$name.log
		# shellcheck disable=SC2086 # $variant is empty or one word
		# Each variant builds on what the one before left: clean first.
		make -C "$dir/tools/testing/memblock" clean >/dev/null 2>&1
		if ! make -C "$dir/tools/testing/memblock" -j"$(nproc)" $variant main >"$log" 2>&1; then
			echo "memblock-sim: $short, $name: tools/testing/memblock does not build:"
			grep -E 'error:' "$log" | head -n 12 | sed 's/^/    | /'
			echo "    $(grep -c 'error:' "$log") errors; log: ${log#"$HO_ROOT"/}"
			rc=1
			continue
		fi
		if ! (cd "$dir/tools/testing/memblock" && ./main -v) >>"$log" 2>&1 ||
			grep -q '^not ok' "$log"; then
			echo "memblock-sim: $short, $name: ./main fails:"
			tail -n 12 "$log" | sed 's/^/    | /'
			echo "    log: ${log#"$HO_ROOT"/}"
			rc=1
			continue
		fi
		echo "memblock-sim: $short, $name: builds, ./main passes $(grep -c '^ok ' "$log") tests"
	done
	rm -rf "$dir"
	return $rc
}

rev=${1:-${REV:-HEAD}}
[ "$rev" = series ] || {
	sim "$rev"
	exit
}
rc=0
for c in $(git -C "$HO_TREE" rev-list --reverse base..HEAD~1 -- mm/memblock.c \
	include/linux/memblock.h tools/testing/memblock); do
	sim "$c" || rc=1
done
sim HEAD || rc=1
exit $rc
