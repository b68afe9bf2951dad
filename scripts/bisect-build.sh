#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bisect-build.sh TARGET [FLAVOUR]: build every commit of the series
# (base..HEAD of build/BASE/linux) for TARGET, in order, in the worktree
# build/BASE/linux-bisect, so that a series that only builds as a whole is
# caught.  Builds are incremental and share the ccache.  Options a
# fragment asks for that a commit's Kconfig does not have yet (the suites
# later patches add) are not checked.  SKIP_HEAD=1 leaves out the last
# commit (make test builds it anyway).
set -u
. "$(dirname "$0")/lib.sh"

target=${1:?target}
flavour=${2:-debug}
ho_check_target "$target"
src=$(ho_srcdir bisect)
G() { git -C "$HO_TREE" "$@"; }

ho_worktree "$src" base

last=HEAD
[ "${SKIP_HEAD:-}" = 1 ] && last=HEAD~1
# The arch/ directory the target builds.  A commit that changes only the
# directories of other architectures (their Kconfig files are not even
# read) leaves the target's build as the commit before left it: it is
# named, not built again.
archdir=$(ho_srcarch "$target")
n=0
total=$(G rev-list --count base..HEAD)
for c in $(G rev-list --reverse "base..$last"); do
	n=$((n + 1))
	subject=$(G log -1 --format=%s "$c")
	if ! G diff --name-only "$c~1" "$c" | grep -qv '^arch/' &&
		! G diff --name-only "$c~1" "$c" | grep -q "^arch/$archdir/"; then
		echo "bisect: $n/$total $target-$flavour: only other architectures change, not built: $subject"
		continue
	fi
	git -C "$src" checkout -q --detach "$c" || ho_die "cannot check out $c"
	t0=$(date +%s)
	if ! "$HO_ROOT/scripts/build.sh" bisect "$target" "$flavour" >/dev/null; then
		echo "bisect: patch $n/$total does not build for $target-$flavour: $subject" >&2
		echo "    log: $HO_LOGS/build-bisect-$target-$flavour.log" >&2
		exit 1
	fi
	echo "bisect: $n/$total $target-$flavour builds ($(($(date +%s) - t0))s): $subject"
done
