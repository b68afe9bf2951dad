#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make tree [BASE=6.12]: unpack the Debian kernel source the
# series of patches/BASE/ was made on (patches/BASE/made-on names the
# package and the exact version; scripts/debsrc.sh fetches it from any
# suite that still lists it) into build/BASE/linux as a git repository
# whose first commit (tag "base") is the pristine source, add the baseline
# worktree build/BASE/linux-base at "base", and apply the series with git am.
#
# When no suite lists that version any more, the tree is made from the
# newest version of the package instead, and the series is applied with a
# 3-way merge (git am -3), for which make export recorded the blobs the
# patches' "index" lines name (patches/BASE/blobs.pack).  That is said
# loudly: the result is not what the series was tested on.  FALLBACK=1
# does the same while the version is still there (to try a rebase).
#
# The base commit is made with a fixed identity and date, so its hash depends
# only on the source: the same package gives the same "base-commit:" line in
# every export, on every machine.
#
# Debian's top-level .gitignore ends with "/*" (its packaging repository
# ignores everything at the top), so new files must be added with
# "git add -f".
#
# A tree made from another version than the one wanted now (the series
# was rebased) is made again, unless it holds work that patches/ does not:
# then FORCE=1 keeps it as build/BASE/linux.saved-<date> and starts over.
# FORCE=1 also resets a tree with commits or changes that differ from
# patches/ to "base" before applying (the old HEAD is kept on the branch
# "saved-<date>").
set -u
. "$(dirname "$0")/lib.sh"

G() { git -C "$HO_TREE" "$@"; }

series() {
	find "$HO_PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

series_hash() {
	series | xargs -r cat | sha256sum | cut -d' ' -f1
}

# tree_has: the value of KEY in the tree's kernel-version file.
tree_has() {
	sed -n "s/^$1=//p" "$HO_WORK/kernel-version" 2>/dev/null
}

# Which package and version to unpack: the one the series was made on, or
# (gone from every suite, or FALLBACK=1) the newest of the watched ones.
choose() {
	package=$(ho_made_on PACKAGE)
	made_on=$(ho_made_on VERSION)
	if [ -z "$package" ] || [ -z "$made_on" ]; then
		ho_die "$HO_MADE_ON names no PACKAGE and VERSION"
	fi
	fallback=0
	if [ "${FALLBACK:-}" != 1 ] && "$HO_ROOT/scripts/debsrc.sh" has "$package" "$made_on"; then
		version=$made_on
		return 0
	fi
	if [ "${FALLBACK:-}" != 1 ]; then
		# Once more with fresh lists: the version may have moved suite.
		"$HO_ROOT/scripts/debsrc.sh" update >/dev/null 2>&1
		if "$HO_ROOT/scripts/debsrc.sh" has "$package" "$made_on"; then
			version=$made_on
			return 0
		fi
	fi
	local newest
	newest=$("$HO_ROOT/scripts/debsrc.sh" newest "$(ho_made_on WATCH)")
	[ -n "$newest" ] || ho_die "no suite lists $package $made_on, nor any version of $(ho_made_on WATCH)"
	read -r package version _ <<<"$newest"
	fallback=1
	cat >&2 <<MSG
tree: ************************************************************************
tree: The series of patches/$HO_BASE was made on $(ho_made_on PACKAGE) $made_on.
tree: $([ "${FALLBACK:-}" = 1 ] && echo "FALLBACK=1: not using it." || echo "No suite of Debian's archive lists that version any more.")
tree: Falling back to the newest, $package $version, and applying the
tree: series with a 3-way merge (git am -3).  This tree is NOT what the
tree: series was tested on.  To rebase: finish the merge in ${HO_TREE#"$HO_ROOT"/},
tree: test it, and "make export" records it as made on $version.
tree: ************************************************************************
MSG
}

unpack() {
	local tmp=$HO_WORK/linux.tmp deb member sub
	deb=$("$HO_ROOT/scripts/debsrc.sh" fetch "$package" "$version") || ho_die "cannot fetch $package $version"
	member=$(ho_source_tarball "$deb")
	[ -n "$member" ] || ho_die "$deb holds no usr/src/linux-source-*.tar.xz"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	echo "tree: unpacking $package $version"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "$member" | tar -xJ -C "$tmp" --strip-components=1 ||
		ho_die "unpacking $deb failed"
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
			git commit -q -m "Linux $sub from Debian $package $version" \
			-m "Unpacked from /${member#./}, unmodified." || exit 1
		git tag base
	) || ho_die "could not create the git repository"
	mv "$tmp" "$HO_TREE"
	printf 'KERNELVERSION=%s\nDEBIAN_PACKAGE=%s\nDEBIAN_VERSION=%s\nMADE_ON=%s\nFALLBACK=%s\nBASE_COMMIT=%s\n' \
		"$sub" "$package" "$version" "$made_on" "$fallback" "$(G rev-parse base)" >"$HO_WORK/kernel-version"
	echo "tree: Linux $sub (Debian $package $version), base $(G rev-parse --short base)"
}

# The tree holds nothing patches/ does not: HEAD is what the last make tree
# or make export left, and nothing is changed.
tree_is_saved() {
	local stamp=$HO_TREE/.git/handover-series
	[ -f "$stamp" ] && [ "$(cut -d' ' -f2 "$stamp")" = "$(G rev-parse HEAD)" ] &&
		[ -z "$(G status --porcelain --untracked-files=no)" ]
}

# Remove the tree made from another version, with its worktrees.
retire_tree() {
	local wt saved
	if ! tree_is_saved; then
		if [ "${FORCE:-}" != 1 ]; then
			echo "tree: $HO_TREE was made from $(tree_has DEBIAN_VERSION), and $version is wanted now," >&2
			echo "      but it holds commits or changes that patches/ does not: 'make export'" >&2
			echo "      them first, or 'make tree FORCE=1' (the old tree is kept aside)." >&2
			exit 1
		fi
		saved=$HO_WORK/linux.saved-$(date +%Y%m%d-%H%M%S)
		echo "tree: keeping the old tree as $saved"
	fi
	echo "tree: $HO_TREE was made from $(tree_has DEBIAN_VERSION); making it again from $version"
	G worktree list --porcelain | sed -n 's/^worktree //p' | while read -r wt; do
		[ "$wt" = "$HO_TREE" ] || rm -rf "$wt"
	done
	if [ -n "${saved:-}" ]; then
		mv "$HO_TREE" "$saved"
	else
		rm -rf "$HO_TREE"
	fi
}

# Put the cover letter's subject and text into the branch description, so
# that "make export" writes it back unchanged.
import_cover() {
	local cover=$HO_PATCHES/0000-cover-letter.patch
	[ -f "$cover" ] || return 0
	python3 "$HO_ROOT/scripts/cover.py" read "$cover" >"$HO_WORK/cover.txt" ||
		ho_die "cannot read $cover"
	G config branch.main.description "$(cat "$HO_WORK/cover.txt")"
}

apply_series() {
	local p n=0 total am=(am --keep-cr) how=""
	total=$(series | wc -l)
	if [ "$(tree_has FALLBACK)" = 1 ]; then
		am+=(-3)
		how=" with a 3-way merge"
		# shellcheck disable=SC2046 # the patches, in order
		ho_import_blobs "$HO_TREE" $(series)
	fi
	for p in $(series); do
		n=$((n + 1))
		if ! G "${am[@]}" "$p" >"$HO_LOGS/am.log" 2>&1; then
			echo "tree: patch $n/$total does not apply$how: $p" >&2
			grep -E '^(error|CONFLICT)' "$HO_LOGS/am.log" | sed 's/^/    | /' >&2
			G am --abort >/dev/null 2>&1
			echo "    failing hunks (patch -p1 --dry-run):" >&2
			(cd "$HO_TREE" && patch -p1 --dry-run -f <"$p" 2>&1 | grep -E 'FAILED|^(checking|patching) file|can.t find|No file' |
				sed 's/^/    | /') >&2
			echo "tree: left at $(G log -1 --format='%h %s'), with patches 1..$((n - 1)) applied" >&2
			exit 1
		fi
	done
	echo "tree: applied $total patch(es)$how"
}

mkdir -p "$HO_WORK" "$HO_LOGS"
choose
if [ -d "$HO_TREE/.git" ] && [ "$(tree_has DEBIAN_VERSION)" != "$version" ]; then
	retire_tree
fi
[ -d "$HO_TREE/.git" ] || unpack
# The versions in kernel-version follow made-on, which a rebase changes.
sed -i "s/^MADE_ON=.*/MADE_ON=$made_on/; s/^FALLBACK=.*/FALLBACK=$fallback/" "$HO_WORK/kernel-version"

G rev-parse -q --verify base >/dev/null || ho_die "$HO_TREE has no tag 'base'; remove it and run make tree"

ho_worktree "$HO_BASE_TREE" base

stamp=$HO_TREE/.git/handover-series
want="$(series_hash)"
have=""
[ -f "$stamp" ] && have=$(cat "$stamp")
head=$(G rev-parse HEAD)

if [ "$have" = "$want $head" ]; then
	echo "tree: up to date (Linux $(tree_has KERNELVERSION), Debian $version; $(G rev-list --count base..HEAD) patch(es) on base)"
	exit 0
fi

if [ "$head" != "$(G rev-parse base)" ] || [ -n "$(G status --porcelain)" ]; then
	if [ "${FORCE:-}" != 1 ]; then
		echo "tree: $HO_TREE has commits or changes that differ from patches/$HO_BASE/." >&2
		echo "      'make export' writes the tree into patches/$HO_BASE/;" >&2
		echo "      'make tree FORCE=1' resets the tree to patches/$HO_BASE/ (the old HEAD is kept on a branch)." >&2
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
