#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make watch [BASE=]: is the series still where Debian is?
#
#  1. On the version it was made on (patches/BASE/made-on), the README's
#     own commands, copied from README.md as they are written there: the
#     "git am" line and the "patch -p1" loop must apply the series.
#  2. On the newest version of the watched packages any suite of
#     configs/debian.sources offers: does the series apply as it is
#     (git am), with a 3-way merge (git am -3, with the blobs make export
#     recorded in patches/BASE/blobs.pack), or where does it conflict
#     (the patch, the file and the hunk)?
#  ALL=1 does (2) for every version the suites offer, newest first.
#
# Each version's tree holds only the files the series changes, taken from
# its package (kept in build/debian/debs/).  The last line says it all:
#   base 6.12: made on linux-source-6.12 6.12.118-1; newest ...: applies
# It fails only when (1) fails: a newer version that needs a rebase is
# news, not an error.
set -u
. "$(dirname "$0")/lib.sh"

work=$HO_WORK/watch
mkdir -p "$work" "$HO_LOGS"
log=$HO_LOGS/watch.log
: >"$log"
package=$(ho_made_on PACKAGE)
made_on=$(ho_made_on VERSION)
patches=$(find "$HO_PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
[ -n "$patches" ] || ho_die "no series in ${HO_PATCHES#"$HO_ROOT"/}/"

# The commands the README gives for this base, exactly as written there.
readme=${HO_README:-$HO_ROOT/README.md}
readme_cmd() {
	grep -m1 -E "^$1.*patches/$HO_BASE/" "$readme" ||
		ho_die "$readme has no line starting with '$1' for patches/$HO_BASE/"
}

# The files the series changes that the kernel already has (not those it
# creates: "--- /dev/null" then "+++ b/FILE").
# shellcheck disable=SC2086 # a list of patch files
created=$(grep -h -A1 '^--- /dev/null' $patches | sed -n 's|^+++ b/||p')
# shellcheck disable=SC2086
files=$(sed -n 's|^--- a/||p' $patches | sort -u | grep -vxF -f <(echo "$created"))

# tree PACKAGE VERSION DIR: the series' files of that version, as a git tree.
tree() {
	local pkg=$1 v=$2 dir=$3 deb member top
	deb=$("$HO_ROOT/scripts/debsrc.sh" fetch "$pkg" "$v" 2>>"$log") || {
		echo "watch: cannot fetch $pkg $v (see ${log#"$HO_ROOT"/})" >&2
		return 1
	}
	member=$(ho_source_tarball "$deb")
	top=$(basename "$member" .tar.xz)
	rm -rf "$dir"
	mkdir -p "$dir"
	# shellcheck disable=SC2046,SC2001 # a list of member names, each prefixed
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "$member" |
		tar -xJ -C "$dir" --strip-components=1 $(sed "s|^|$top/|" <<<"$files") 2>>"$log" || {
		echo "watch: $v: cannot unpack the series' files (see ${log#"$HO_ROOT"/})" >&2
		return 1
	}
	git -C "$dir" init -q && git -C "$dir" config user.name handover &&
		git -C "$dir" config user.email handover@localhost && git -C "$dir" config core.abbrev 12 &&
		git -C "$dir" add -A && git -C "$dir" commit -q -m "$v"
}

# run_readme DIR CMD: the README command in DIR, with HANDOVER as the README
# says (the folder that holds patches/); its output in $log.run, and in $log.
run_readme() {
	local rc
	(cd "$1" && HANDOVER=$(dirname "$(dirname "$HO_PATCHES")") bash -c "$2") >"$log.run" 2>&1
	rc=$?
	cat "$log.run" >>"$log"
	return $rc
}

# verdict DIR: how the series applies to the tree in DIR, in a few words.
verdict() {
	local dir=$1 p n=0 out
	# shellcheck disable=SC2086
	if git -C "$dir" am -q --keep-cr $patches >>"$log" 2>&1; then
		echo "applies"
		return 0
	fi
	git -C "$dir" am --abort >/dev/null 2>&1
	# shellcheck disable=SC2086
	ho_import_blobs "$dir" $patches 2>>"$log"
	for p in $patches; do
		n=$((n + 1))
		if ! out=$(git -C "$dir" am -3 --keep-cr "$p" 2>&1); then
			echo "$out" >>"$log"
			git -C "$dir" am --abort >/dev/null 2>&1
			echo "conflicts in patch $n, $(basename "$p"): $(conflict "$dir" "$p" "$out")"
			return 1
		fi
	done
	echo "applies with a 3-way merge"
}

# conflict DIR PATCH GIT-OUTPUT: the files and hunks that do not apply.
conflict() {
	local hunks files
	hunks=$(cd "$1" && patch -p1 --dry-run -f <"$2" 2>&1 |
		awk '/^checking file / { f = $3 } /FAILED at/ { h[f] = h[f] (h[f] ? ", " : "") "hunk " $2 }
			END { for (f in h) printf "%s%s %s", (n++ ? "; " : ""), f, h[f] }' | tr -d '#')
	files=$(sed -n 's/^CONFLICT ([^)]*): Merge conflict in //p' <<<"$3" | tr '\n' ' ')
	echo "${hunks:-${files:-see ${log#"$HO_ROOT"/}}}"
}

fail=0
# 1. The version it was made on, with the README's commands.
dir=$work/$made_on
n=$(wc -w <<<"$patches")
if tree "$package" "$made_on" "$dir" && run_readme "$dir" "$(readme_cmd 'git am ')" &&
	[ "$(git -C "$dir" rev-list --count HEAD)" = $((n + 1)) ]; then
	echo "watch: $package $made_on (made on): the README's git am applies the $n patches"
else
	echo "watch: $package $made_on (made on): the README's git am does not apply the series:" >&2
	grep -E '^(error|Patch failed)' "$log.run" | tail -n 5 | sed 's/^/    | /' >&2
	fail=1
fi
if tree "$package" "$made_on" "$dir.patch" && run_readme "$dir.patch" "$(readme_cmd 'for p in ')" &&
	! grep -q FAILED "$log.run" && [ -n "$(git -C "$dir.patch" status --porcelain)" ]; then
	echo "watch: $package $made_on (made on): the README's patch -p1 loop applies the series"
else
	echo "watch: $package $made_on (made on): the README's patch -p1 loop fails:" >&2
	tail -n 8 "$log.run" | sed 's/^/    | /' >&2
	fail=1
fi

# 2. The newest (ALL=1: every) version of the watched packages.
versions=$("$HO_ROOT/scripts/debsrc.sh" versions "$(ho_made_on WATCH)")
[ -n "$versions" ] || ho_die "no suite lists any version of $(ho_made_on WATCH)"
[ "${ALL:-}" = 1 ] || versions=$(head -n 1 <<<"$versions")
newest_line=""
while read -r pkg v suite; do
	if [ "$pkg $v" = "$package $made_on" ]; then
		line="$pkg $v ($suite) is the version it was made on"
	elif tree "$pkg" "$v" "$work/$v"; then
		line="$pkg $v ($suite): $(verdict "$work/$v")"
	else
		line="$pkg $v ($suite): cannot be fetched"
	fi
	echo "watch: $line"
	[ -n "$newest_line" ] || newest_line=$line
done <<<"$versions"

echo "base $HO_BASE: made on $package $made_on; newest $newest_line"
exit $fail
