#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make test: everything CI checks, cheapest first.  Each check prints one
# PASS/FAIL line with its time; a failing check quotes the end of its log.
# The last line is "N passed, N failed".
#
# TEST_ONLY="word ..." runs only the checks whose name contains a word.
# FULL=1 (make test-full) adds what is too slow for CI's hour: every patch
# built for all four targets, the modular KUnit kernel, the built-in suites
# run again through debugfs beside compaction and a memory hog
# (rerun+stress), the suites on kernels without the debug options
# (nodebug), and the README's kunit.py command on a plain tree.
# BISECT_TARGETS, KUNIT_TARGETS and PLAIN_TARGETS set each list directly.
# make test also runs the suites on x86_64 with two nodes (x86_64+numa),
# the only layout where the memblock suite's cross-node case runs.
if [ "${FULL:-}" = 1 ]; then
	BISECT_TARGETS=${BISECT_TARGETS-$HO_TARGETS}
	KUNIT_TARGETS=${KUNIT_TARGETS-x86_64+numa x86_64+modules x86_64+rerun+stress x86_64+nodebug i386-highmem+nodebug}
	PLAIN_TARGETS=${PLAIN_TARGETS-x86_64}
fi
KUNIT_TARGETS=${KUNIT_TARGETS-x86_64+numa}
set -u
. "$(dirname "$0")/lib.sh"
cd "$HO_ROOT" || exit 1
mkdir -p "$HO_LOGS"

pass=0
fail=0
failed=()
t_all=$(date +%s)

selected() {
	[ -z "${TEST_ONLY:-}" ] && return 0
	local w
	for w in $TEST_ONLY; do
		case $1 in *"$w"*) return 0 ;; esac
	done
	return 1
}

# check NAME CMD...: one counted check.
check() {
	local name=$1 log t0 rc
	shift
	LAST_LOG=/dev/null
	selected "$name" || return 0
	log=$HO_LOGS/test-$(printf %s "$name" | tr -c 'A-Za-z0-9._-' '_').log
	LAST_LOG=$log
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		printf 'PASS %-50s %4ss\n' "$name" $(($(date +%s) - t0))
	else
		fail=$((fail + 1))
		failed+=("$name")
		printf 'FAIL %-50s %4ss  (log: %s)\n' "$name" $(($(date +%s) - t0)) "${log#"$HO_ROOT"/}"
		tail -n 25 "$log" | sed 's/^/    | /'
	fi
	return $rc
}

# The scripts' own unit tests, one count per test case.
unit_tests() {
	local out line
	selected unit || return 0
	out=$(python3 -m unittest discover -s scripts/tests -t . -v 2>&1)
	echo "$out" >"$HO_LOGS/test-unit.log"
	while IFS= read -r line; do
		case $line in
		*" ... ok") pass=$((pass + 1)); echo "PASS unit: ${line% ... ok}" ;;
		*" ... FAIL" | *" ... ERROR")
			fail=$((fail + 1))
			failed+=("unit: ${line% ... *}")
			echo "FAIL unit: $line"
			;;
		esac
	done <<<"$out"
	if ! echo "$out" | grep -q '^OK'; then
		echo "$out" | sed -n '/^=====/,$p' | head -n 60 | sed 's/^/    | /'
		echo "$out" | grep -q ' \.\.\. \(FAIL\|ERROR\)' || {
			fail=$((fail + 1))
			failed+=("unit tests did not run")
			echo "FAIL unit tests did not run (log: ${HO_LOGS#"$HO_ROOT"/}/test-unit.log)"
		}
	fi
}

series() {
	find "$HO_PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort
}

# patches/BASE is what build/BASE/linux holds: exporting the tree again
# changes nothing (the patches, made-on, blobs.pack).
export_is_stable() {
	local tmp
	tmp=$(mktemp -d)
	EXPORT_TO=$tmp "$HO_ROOT/scripts/export.sh" || return 1
	diff -r -x README -x bench "$tmp" "$HO_PATCHES" && echo "patches/$HO_BASE matches build/$HO_BASE/linux"
	local rc=$?
	rm -rf "$tmp"
	return $rc
}

# checkpatch runs scripts/spdxcheck.py with "python3": Debian's, which has
# python3-ply, not another one earlier on PATH.
checkpatch() {
	local out
	out=$(cd "$HO_TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse "$1" 2>&1)
	echo "$out"
	! echo "$out" | grep -qE 'ERROR|WARNING|CHECK|Traceback'
}

# kernel-doc on every C file the series touches reports nothing.
kernel_doc() {
	local files out
	files=$(git -C "$HO_TREE" diff --name-only base..HEAD -- '*.c' '*.h')
	[ -n "$files" ] || return 0
	# shellcheck disable=SC2086 # a list of paths
	out=$(cd "$HO_TREE" && ./scripts/kernel-doc -none $files 2>&1)
	echo "kernel-doc -none on:" "$files"
	echo "$out"
	[ -z "$out" ]
}

# make compare writes under build/ only: the working copy is as it was.
compare_clean() {
	local before after
	before=$(git -C "$HO_ROOT" status --porcelain)
	"$@"
	local rc=$?
	after=$(git -C "$HO_ROOT" status --porcelain)
	if [ "$before" != "$after" ]; then
		echo "compare changed the working copy:"
		diff <(echo "$before") <(echo "$after")
		return 1
	fi
	return $rc
}

check "shellcheck scripts" shellcheck -x scripts/*.sh scripts/tests/*.sh .ci/run
unit_tests
made_on="$(ho_made_on PACKAGE) $(ho_made_on VERSION)"
check "tree: patches/$HO_BASE on $made_on, the version it was made on" scripts/tree.sh
kv() { sed -n "s/^$1=//p" "$HO_WORK/kernel-version" 2>/dev/null; }
echo "    base $HO_BASE: Linux $(kv KERNELVERSION) from Debian $(kv DEBIAN_PACKAGE) $(kv DEBIAN_VERSION), base commit $(kv BASE_COMMIT | cut -c1-12)"
[ "$(kv FALLBACK)" = 1 ] && echo "    FALLBACK: the series was made on $(kv MADE_ON), which this tree is not"
check "export: patches/$HO_BASE in sync with build/$HO_BASE/linux" export_is_stable
check "tree: a patch that does not apply is named with its hunk" scripts/tests/test_tree.sh
check "tree: the fallback to the newest version, a 3-way merge, a conflict named" scripts/tests/test_fallback.sh
check "watch: the README's commands on $made_on; the newest version" scripts/watch.sh
tail -n 1 "$LAST_LOG" | sed 's/^/    /'

for p in $(series); do
	check "checkpatch --strict $(basename "$p")" checkpatch "$p"
done
check "kernel-doc: the files the series touches" kernel_doc
check "tools/testing/memblock builds and passes at each patch that changes it, with and without NUMA" scripts/memblock-sim.sh series
grep -h '^memblock-sim: ' "$LAST_LOG" | sed 's/^/    /'
for t in $HO_TARGETS; do
	check "build $t-debug" scripts/build.sh patched "$t" debug
done
# After the builds of HEAD, whose objects the ccache then holds.  Every
# patch is built for i386-highmem, the target whose code paths the most
# patches change (high memory, the chunked release, the buddy steps);
# "make bisect" and "make test-full" build all four.
if [ "$(series | wc -l)" -gt 1 ]; then
	for t in ${BISECT_TARGETS-i386-highmem}; do
		# HEAD itself was built just above.
		check "every patch builds: $t" env SKIP_HEAD=1 scripts/bisect-build.sh "$t"
	done
fi
for t in $HO_TARGETS ${KUNIT_TARGETS-}; do
	check "kunit $t" scripts/kunit.sh "$t"
	grep -h -E '^[0-9]+ suites, ' "$LAST_LOG" | sed 's/^/    /'
done
# The README's own kunit.py command, on a plain patched tree: what a user
# runs (scripts/kunit-plain.sh takes any target; make test-full runs x86_64).
for t in ${PLAIN_TARGETS-}; do
	check "kunit.py as the README says, plain tree: $t" scripts/kunit-plain.sh "$t"
	grep -h -E '^kunit.py: |^kunit-plain: kunit.py exited' "$LAST_LOG" | sed 's/^/    /'
done
check "boot: a panic or a hang fails, quoted, log kept" scripts/tests/test_boot.sh
check "compare configs/compare.matrix, the working copy untouched" \
	compare_clean scripts/compare.py run --matrix configs/compare.matrix --rst "$HO_RESULTS/compare.rst"
sed -n '/^Verdicts:/,/^compare:/p' "$LAST_LOG" | sed 's/^/    /'
check "kcidb: the results as a KCIDB v5 document that validates" \
	sh -c "scripts/kcidb.py write && /usr/bin/python3 scripts/kcidb.py validate $HO_RESULTS/kcidb.json"
check "docs: commands exist, reStructuredText valid" scripts/check-docs.sh

echo "test: $(($(date +%s) - t_all))s in all"
[ $fail -eq 0 ] || printf 'failed: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
