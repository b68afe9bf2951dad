#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kunit-plain.sh TARGET: the README's kunit.py command for TARGET, copied
# from README.md as it is written there, on a plain patched tree with an
# empty build directory: nothing of this repository but the series.
#
# The tree is build/BASE/linux-plain, a worktree of build/BASE/linux at its HEAD (the
# 6.12 source with the series applied, as "git am" leaves a user's tree),
# cleaned of every untracked file first, so that kunit.py starts from
# nothing in .kunit/ and generates its own .config.  The only additions to
# the README's command: --json, to read the result, and gcc through
# ccache (PATH), which kunit.py does not know of.
#
# Then the result must be as good as "make kunit T=TARGET": every case that
# passed there (build/BASE/logs/kunit-TARGET.json) passes here too; a case
# skipped here that ran there fails the check.
#
# TARGET: x86_64, i386-highmem, i386-pae, i386-nohighmem or arm-highmem (the README has a
# command for each, after a line "# TARGET: ...").
set -u
. "$(dirname "$0")/lib.sh"

target=${1:?target}
ho_check_target "$target"
src=$HO_WORK/linux-plain
log=$HO_LOGS/kunit-plain-$target.log
json=$HO_LOGS/kunit-plain-$target.json
ref=$HO_LOGS/kunit-$target.json
mkdir -p "$HO_LOGS"

# The command under "# TARGET:" in the README, backslash continuations joined.
cmd=$(awk -v mark="# $target:" '
	index($0, mark) == 1 { on = 1; next }
	on { line = line $0; if (sub(/\\$/, "", line)) next; print line; exit }
' "$HO_ROOT/README.md")
case $cmd in
./tools/testing/kunit/kunit.py\ run\ *) ;;
*) ho_die "README.md has no kunit.py command after a line '# $target:'" ;;
esac

if [ ! -f "$ref" ]; then
	"$HO_ROOT/scripts/kunit.sh" "$target" >/dev/null || ho_die "make kunit T=$target fails: no reference"
fi

ho_worktree "$src" HEAD
rev=$(git -C "$HO_TREE" rev-parse HEAD)
git -C "$src" checkout -q -f --detach "$rev" || ho_die "cannot check out $rev in $src"
git -C "$src" clean -fdxq || ho_die "cannot clean $src"

echo "kunit-plain: $target, in $src (empty .kunit/), as the README says:"
echo "    $cmd"
t0=$(date +%s)
(cd "$src" && PATH=/usr/lib/ccache:$PATH bash -c "$cmd --json=$json") >"$log" 2>&1
rc=$?
echo "kunit-plain: kunit.py exited $rc after $(($(date +%s) - t0))s (output: ${log#"$HO_ROOT"/})"
grep -E '^\[..:..:..\] (Testing complete|Elapsed)' "$log" | sed 's/^\[[0-9:]*\] /kunit.py: /'
if [ ! -s "$json" ]; then
	tail -n 30 "$log" | sed 's/^/    | /'
	exit 1
fi
echo "compared with make kunit T=$target (${ref#"$HO_ROOT"/}):"
python3 "$HO_ROOT/scripts/kunitsummary.py" "$json" --like "$ref" || rc=1
exit $rc
