#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make tree: unpack Debian's linux-source-6.12 into build/linux as a git
# repository whose first commit (tag "base") is the pristine source, add the
# baseline worktree build/linux-base at "base", and apply patches/ with git am.
#
# The base commit is made with a fixed identity and date, so its hash depends
# only on the source: the same package gives the same "base-commit:" line in
# every export, on every machine.
#
# Debian's top-level .gitignore ends with "/*" (its packaging repository
# ignores everything at the top), so new files must be added with
# "git add -f".
#
# FORCE=1 resets an existing tree to "base" before applying (work not in
# patches/ is lost; it is kept on the branch "saved-<date>").
set -u
. "$(dirname "$0")/lib.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz
G() { git -C "$HO_TREE" "$@"; }

series() {
	find "$HO_PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

series_hash() {
	series | xargs -r cat | sha256sum | cut -d' ' -f1
}

unpack() {
	[ -f "$TARBALL" ] || ho_die "$TARBALL missing: run 'make deps' (package linux-source-6.12)"
	local tmp=$HO_BUILD/linux.tmp debver sub
	rm -rf "$tmp"
	mkdir -p "$tmp"
	echo "tree: unpacking $TARBALL"
	tar -xJf "$TARBALL" -C "$tmp" --strip-components=1 || ho_die "unpack failed"
	debver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	sub=$(make -s -C "$tmp" kernelversion)
	(
		cd "$tmp" || exit 1
		git init -q -b main
		git config user.name "handover"
		git config user.email "handover@localhost"
		git config core.abbrev 12
		echo "tree: committing the pristine source"
		git add -f -A . >/dev/null
		GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
			git commit -q -m "Linux $sub from Debian linux-source-6.12 $debver" \
			-m "Unpacked from $TARBALL, unmodified." || exit 1
		git tag base
	) || ho_die "could not create the git repository"
	mv "$tmp" "$HO_TREE"
	printf 'SUBLEVEL=%s\nKERNELVERSION=%s\nDEBIAN_PACKAGE=linux-source-6.12\nDEBIAN_VERSION=%s\nBASE_COMMIT=%s\n' \
		"${sub##*.}" "$sub" "$debver" "$(G rev-parse base)" >"$HO_BUILD/kernel-version"
	echo "tree: Linux $sub (Debian $debver), base $(G rev-parse --short base)"
}

# Put the cover letter's subject and text into the branch description, so
# that "make export" writes it back unchanged.
import_cover() {
	local cover=$HO_PATCHES/0000-cover-letter.patch
	[ -f "$cover" ] || return 0
	python3 "$HO_ROOT/scripts/cover.py" read "$cover" >"$HO_BUILD/cover.txt" ||
		ho_die "cannot read $cover"
	G config branch.main.description "$(cat "$HO_BUILD/cover.txt")"
}

apply_series() {
	local p n=0 total
	total=$(series | wc -l)
	for p in $(series); do
		n=$((n + 1))
		if ! G am -q --keep-cr "$p" >"$HO_LOGS/am.log" 2>&1; then
			echo "tree: patch $n/$total does not apply: $p" >&2
			grep -E '^error:' "$HO_LOGS/am.log" | sed 's/^/    | /' >&2
			G am --abort >/dev/null 2>&1
			echo "    failing hunks (patch -p1 --dry-run):" >&2
			(cd "$HO_TREE" && patch -p1 --dry-run -f <"$p" 2>&1 | grep -E 'FAILED|^(checking|patching) file|can.t find|No file' |
				sed 's/^/    | /') >&2
			echo "tree: left at $(G log -1 --format='%h %s'), with patches 1..$((n - 1)) applied" >&2
			exit 1
		fi
	done
	echo "tree: applied $total patch(es)"
}

mkdir -p "$HO_BUILD" "$HO_LOGS"
[ -d "$HO_TREE/.git" ] || unpack

G rev-parse -q --verify base >/dev/null || ho_die "$HO_TREE has no tag 'base'; remove it and run make tree"

ho_worktree "$HO_BASE_TREE" base

stamp=$HO_TREE/.git/handover-series
want="$(series_hash)"
have=""
[ -f "$stamp" ] && have=$(cat "$stamp")
head=$(G rev-parse HEAD)

if [ "$have" = "$want $head" ]; then
	echo "tree: up to date ($(G rev-list --count base..HEAD) patch(es) on base)"
	exit 0
fi

if [ "$head" != "$(G rev-parse base)" ] || [ -n "$(G status --porcelain)" ]; then
	if [ "${FORCE:-}" != 1 ]; then
		echo "tree: $HO_TREE has commits or changes that differ from patches/." >&2
		echo "      'make export' writes the tree into patches/;" >&2
		echo "      'make tree FORCE=1' resets the tree to patches/ (the old HEAD is kept on a branch)." >&2
		exit 1
	fi
	saved=saved-$(date +%Y%m%d-%H%M%S)
	G branch "$saved" HEAD
	G stash -q -u >/dev/null 2>&1 || true
	G reset -q --hard base
	echo "tree: reset to base (old HEAD kept as branch $saved)"
fi

import_cover
apply_series
echo "$want $(G rev-parse HEAD)" >"$stamp"
