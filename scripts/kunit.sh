#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kunit.sh TARGET: run tools/testing/kunit/kunit.py for TARGET on our
# already configured debug build (build/TARGET-debug), with
# kunit/TARGET.kunitconfig and the QEMU config kunit/qemu_TARGET.py.
# kunit.py keeps our .config because build.sh left it the kunitconfig as
# its last used one, and it gets our make options, so nothing is rebuilt.
# Output: build/logs/kunit-TARGET.log (raw console), .json (KTAP as JSON).
set -u
. "$(dirname "$0")/lib.sh"

target=${1:?target}
ho_check_target "$target"
"$HO_ROOT/scripts/build.sh" patched "$target" debug || exit 1
obj=$(ho_objdir patched "$target" debug)
log=$HO_LOGS/kunit-$target.log

cd "$HO_TREE" || exit 1
rc=0
python3 tools/testing/kunit/kunit.py run \
	--build_dir="$obj" \
	--kunitconfig="$HO_ROOT/kunit/$target.kunitconfig" \
	--qemu_config="$HO_ROOT/kunit/qemu_$target.py" \
	--make_options="CC=$HO_CC" \
	--jobs="$(nproc)" \
	--timeout="${TIMEOUT:-300}" \
	--json="$HO_LOGS/kunit-$target.json" \
	${KUNIT_ARGS:+"$KUNIT_ARGS"} >"$log.out" 2>&1 || rc=$?
cp "$obj/test.log" "$log" 2>/dev/null
grep -q "Regenerating .config\|Generating .config" "$log.out" &&
	echo "kunit: warning: kunit.py regenerated $obj/.config" >&2
# The summary kunit.py printed, and every failure it parsed.
grep -E '\[(PASSED|FAILED|CRASHED|SKIPPED)\]|Testing complete|^\[..:..:..\] (Ran|Elapsed|=+ \[)|Error|error:' "$log.out" |
	grep -vE '\[PASSED\]' | sed 's/^\[[0-9:]*\] //'
if [ $rc -ne 0 ]; then
	echo "kunit: $target FAILED (kunit.py rc=$rc); output: $log.out, console: $log" >&2
	grep -E 'Kernel panic|Oops|BUG[: ]|WARNING:' "$log" 2>/dev/null | head -n 20 | sed 's/^/    | /' >&2
fi
exit $rc
