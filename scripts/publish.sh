#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make publish: copy the pages "make compare" and "make bench" wrote under
# build/BASE/results/ into Documentation/, which they never touch themselves:
# the compare page of each matrix of configs/ to Documentation/results/,
# and bench.rst to Documentation/bench.rst.  Says what it copied.
set -u
. "$(dirname "$0")/lib.sh"

n=0
for m in "$HO_ROOT"/configs/*.matrix "$HO_ROOT/configs/matrix"; do
	name=$(basename "$m" .matrix)
	src=$HO_RESULTS/$name.rst
	[ -f "$src" ] || continue
	cp "$src" "$HO_ROOT/Documentation/results/$name.rst" || exit 1
	echo "publish: Documentation/results/$name.rst (from ${src#"$HO_ROOT"/})"
	n=$((n + 1))
done
if [ -f "$HO_RESULTS/bench.rst" ]; then
	cp "$HO_RESULTS/bench.rst" "$HO_ROOT/Documentation/bench.rst" || exit 1
	echo "publish: Documentation/bench.rst"
	n=$((n + 1))
fi
[ $n -gt 0 ] || ho_die "nothing to publish: run 'make compare' or 'make bench' first"
