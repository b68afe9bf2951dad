#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make export: write base..HEAD of build/linux into patches/ as git
# format-patch output with a cover letter.  The output is stable: an
# unchanged tree gives byte-identical files (zero commit ids, no signature,
# the cover letter dated like the newest patch).
set -u
. "$(dirname "$0")/lib.sh"

G() { git -C "$HO_TREE" "$@"; }
[ -d "$HO_TREE/.git" ] || ho_die "no tree: run 'make tree' first"
[ -z "$(G status --porcelain --untracked-files=no)" ] ||
	ho_die "$HO_TREE has uncommitted changes: commit them first"

n=$(G rev-list --count base..HEAD)
out=$(mktemp -d)
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
fi
# EXPORT_TO=DIR writes there instead (make test compares it with patches/).
if [ -n "${EXPORT_TO:-}" ]; then
	[ "$n" -gt 0 ] && cp "$out"/*.patch "$EXPORT_TO/"
	rm -rf "$out"
	exit 0
fi
find "$HO_ROOT/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
mkdir -p "$HO_ROOT/patches"
[ "$n" -gt 0 ] && cp "$out"/*.patch "$HO_ROOT/patches/"
rm -rf "$out"

# Remember that the tree and patches/ agree.
series_hash=$(find "$HO_ROOT/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name '0000-*' | sort | xargs -r cat | sha256sum | cut -d' ' -f1)
echo "$series_hash $(G rev-parse HEAD)" >"$HO_TREE/.git/handover-series"
echo "export: $n patch(es) written to patches/"
