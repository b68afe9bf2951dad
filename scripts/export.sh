#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make export [BASE=]: write base..HEAD of build/BASE/linux into
# patches/BASE/ as git format-patch output with a cover letter, and with
#  - made-on: the Debian package and version the tree was unpacked from
#    (what make tree fetches);
#  - blobs.pack: the files the series changes as the base has them, from
#    which make tree rebuilds every blob the patches' "index" lines name on
#    their preimage side, so that git am -3 can merge the series onto
#    another version when that one is gone.
# The output is stable: an unchanged tree gives byte-identical files (zero
# commit ids, no signature, the cover letter dated like the newest patch,
# the pack written by one thread).
set -u
. "$(dirname "$0")/lib.sh"

G() { git -C "$HO_TREE" "$@"; }
[ -d "$HO_TREE/.git" ] || ho_die "no tree: run 'make tree' first"
[ -z "$(G status --porcelain --untracked-files=no)" ] ||
	ho_die "$HO_TREE has uncommitted changes: commit them first"
[ -f "$HO_WORK/kernel-version" ] || ho_die "no $HO_WORK/kernel-version: run 'make tree' first"
kv() { sed -n "s/^$1=//p" "$HO_WORK/kernel-version"; }

n=$(G rev-list --count base..HEAD)
# The cover letter says what the series was made on, in a line that starts
# "Base: Linux ": kept true here, added at the end where it is missing.
base_line="Base: Linux $(kv KERNELVERSION), as Debian's $(kv DEBIAN_PACKAGE) $(kv DEBIAN_VERSION) ships it."
if desc=$(G config branch.main.description); then
	if grep -q '^Base: Linux ' <<<"$desc"; then
		desc=$(awk -v l="$base_line" '/^Base: Linux / { print l; next } { print }' <<<"$desc")
	else
		desc=$(printf '%s\n\n%s\n' "$desc" "$base_line")
	fi
	G config branch.main.description "$desc"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ "$n" -gt 0 ]; then
	date=$(G log -1 --format=%aI base..HEAD)
	cover=""
	G config branch.main.description >/dev/null && cover="--cover-from-description=subject"
	# The cover letter is signed and dated like the newest patch, not by
	# whoever runs the export.
	GIT_COMMITTER_DATE=$date \
		GIT_COMMITTER_NAME=$(G log -1 --format=%an base..HEAD) \
		GIT_COMMITTER_EMAIL=$(G log -1 --format=%ae base..HEAD) \
		G -c core.abbrev=12 format-patch -q \
		--cover-letter $cover --zero-commit --no-signature --base=base \
		-o "$out" base..HEAD || ho_die "git format-patch failed"
	# The files any commit changes, as the base has them: with the patches
	# they give every preimage a 3-way merge needs (tree.sh makes the rest).
	mapfile -t changed < <(for c in $(G rev-list base..HEAD); do
		G diff-tree -r --no-commit-id --name-only "$c~1" "$c"
	done | sort -u)
	G ls-tree base -- "${changed[@]}" | awk '{ print $3 }' | sort -u |
		G pack-objects -q --threads=1 --stdout >"$out/blobs.pack" ||
		ho_die "git pack-objects failed"
fi
# made-on: the comments and WATCH as they are, the version from the tree.
sed -e "s/^PACKAGE=.*/PACKAGE=$(kv DEBIAN_PACKAGE)/" \
	-e "s/^VERSION=.*/VERSION=$(kv DEBIAN_VERSION)/" \
	-e "s/^LINUX=.*/LINUX=$(kv KERNELVERSION)/" "$HO_MADE_ON" >"$out/made-on"

# EXPORT_TO=DIR writes there instead (make test compares it with patches/).
if [ -n "${EXPORT_TO:-}" ]; then
	cp "$out"/* "$EXPORT_TO/"
	exit 0
fi
if ! cmp -s "$out/made-on" "$HO_MADE_ON"; then
	echo "export: the series is now made on $(kv DEBIAN_PACKAGE) $(kv DEBIAN_VERSION) (was $(ho_made_on VERSION))"
	[ "$(kv FALLBACK)" = 1 ] && echo "export: the tree is a 3-way merge onto that version: test it before it lands"
fi
find "$HO_PATCHES" -maxdepth 1 \( -name '[0-9][0-9][0-9][0-9]-*.patch' -o -name blobs.pack \) -delete
cp "$out"/* "$HO_PATCHES/"

# Remember that the tree and patches/ agree.
series_hash=$(find "$HO_PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-*' | sort | xargs -r cat | sha256sum | cut -d' ' -f1)
echo "$series_hash $(G rev-parse HEAD)" >"$HO_TREE/.git/handover-series"
echo "export: $n patch(es) written to ${HO_PATCHES#"$HO_ROOT"/}/ (made on $(kv DEBIAN_PACKAGE) $(kv DEBIAN_VERSION))"
