#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apply-versions.sh: the series applies, with the README's own commands, to
# every linux-source-6.12 version Debian's archive offers (apt-cache madison),
# not only to the one "make tree" unpacks.
#
# For each version: the package is downloaded (kept in build/debian-sources/),
# only the files the series touches are taken from its tarball into a fresh
# git tree, and the README's "git am" command, copied from README.md as it is,
# applies the series there; for the version "make tree" uses, the README's
# "patch -p1" loop is run too.  A version the series does not apply to is
# named with git am's errors and the failing hunks.  The last line names
# the versions checked.
#
# The series is based on the version "make tree" uses (the base-commit of
# the cover letter).  An older version may lack a stable fix the series
# builds on: there a patch that does not apply is reported, with the patch,
# but fails the check only from the base version on.
set -u
. "$(dirname "$0")/lib.sh"

work=$HO_BUILD/apply-check
debs=$HO_BUILD/debian-sources
mkdir -p "$work" "$debs" "$HO_LOGS"

versions=$(apt-cache madison linux-source-6.12 | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -uV)
[ -n "$versions" ] || ho_die "apt-cache knows no linux-source-6.12 version (apt-get update?)"

# The commands the README gives, exactly as written there.
readme_cmd() {
	grep -m1 -E "^$1" "$HO_ROOT/README.md" || ho_die "README.md has no line starting with '$1'"
}
am_cmd=$(readme_cmd 'git am ')
patch_cmd=$(readme_cmd 'for p in ')

# The files the series changes that a 6.12 tree already has: not those it
# creates ("--- /dev/null" then "+++ b/FILE").
created=$(grep -h -A1 '^--- /dev/null' "$HO_PATCHES"/[0-9][0-9][0-9][0-9]-*.patch | sed -n 's|^+++ b/||p')
files=$(sed -n 's|^--- a/||p' "$HO_PATCHES"/[0-9][0-9][0-9][0-9]-*.patch | sort -u |
	grep -vxF -f <(echo "$created") | sed 's|^|linux-source-6.12/|')

# tree VERSION DIR: the files of the series from VERSION's tarball, as a git tree.
tree() {
	local v=$1 dir=$2 deb
	deb=$(ls "$debs"/linux-source-6.12_"${v}"_all.deb 2>/dev/null)
	if [ -z "$deb" ]; then
		(cd "$debs" && apt-get download -q "linux-source-6.12=$v" >"$HO_LOGS/apply-download.log" 2>&1) ||
			{ echo "apply: cannot download linux-source-6.12=$v" >&2; return 1; }
		deb=$(ls "$debs"/linux-source-6.12_"${v}"_all.deb)
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	# shellcheck disable=SC2086 # a list of member names
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz |
		tar -xJ -C "$dir" --strip-components=1 $files 2>"$HO_LOGS/apply-untar.log" ||
		{ echo "apply: $v: cannot unpack the series' files:" >&2; sed 's/^/    | /' "$HO_LOGS/apply-untar.log" >&2; return 1; }
	git -C "$dir" init -q && git -C "$dir" add -A &&
		git -C "$dir" -c user.name=handover -c user.email=handover@localhost commit -q -m "$v"
}

# run_readme DIR CMD: the README command in DIR, with HANDOVER as the README says.
run_readme() {
	(cd "$1" && HANDOVER=$HO_ROOT bash -c "$2") >"$HO_LOGS/apply-run.log" 2>&1
}

ours=$(sed -n "s/^DEBIAN_VERSION=//p" "$HO_BUILD/kernel-version" 2>/dev/null)
ok=() bad=() old=()
for v in $versions; do
	dir=$work/$v
	if ! tree "$v" "$dir"; then
		bad+=("$v")
		continue
	fi
	if run_readme "$dir" "$am_cmd"; then
		echo "apply: $v: git am applied $(($(git -C "$dir" rev-list --count HEAD) - 1)) patches"
		ok+=("$v")
	else
		failed=$(sed -n 's/^Patch failed at //p' "$HO_LOGS/apply-run.log")
		if [ -n "$ours" ] && dpkg --compare-versions "$v" lt "$ours"; then
			echo "apply: $v, older than the base $ours: patch ${failed:-?} does not apply"
			old+=("$v (patch ${failed%% *})")
		else
			echo "apply: $v: '$am_cmd' failed:" >&2
			grep -E '^(error|Patch failed)' "$HO_LOGS/apply-run.log" | tail -n 5 | sed 's/^/    | /' >&2
			bad+=("$v")
		fi
		continue
	fi
	if [ "$v" = "$ours" ]; then
		tree "$v" "$dir.patch" || { bad+=("$v (patch)"); continue; }
		if run_readme "$dir.patch" "$patch_cmd" && ! grep -q FAILED "$HO_LOGS/apply-run.log" &&
			[ -n "$(git -C "$dir.patch" status --porcelain)" ]; then
			echo "apply: $v: the README's patch -p1 loop applied the series"
		else
			echo "apply: $v: the README's patch -p1 loop failed:" >&2
			sed 's/^/    | /' "$HO_LOGS/apply-run.log" | tail -n 8 >&2
			bad+=("$v (patch -p1)")
		fi
	fi
done
echo "apply: the series applies to linux-source-6.12 ${ok[*]:-(none)}${bad:+; not to ${bad[*]}}${old:+; older than the base, not to ${old[*]}}"
[ ${#bad[@]} -eq 0 ]
