#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debsrc.sh: Debian's kernel source packages, any version a suite of
# configs/debian.sources still lists, through a private apt configuration
# under build/debian/ (its own sources, package lists and cache; the
# machine's apt sources and state are never touched).
#
#   debsrc.sh update             fetch the suites' package lists
#   debsrc.sh versions PREFIX    "PACKAGE VERSION SUITE" for every version of
#                                every package whose name starts with PREFIX,
#                                newest first
#   debsrc.sh newest PREFIX      the first of those lines
#   debsrc.sh has PACKAGE VERSION
#                                exit 0 when a suite lists that version
#   debsrc.sh fetch PACKAGE VERSION
#                                download that version's .deb (kept in
#                                build/debian/debs/) and print its path
#
# The lists are fetched when missing or older than HO_APT_MAX_AGE seconds
# (a day), and once more when a version asked for is not in them.
# HO_APT_SOURCES names another sources file (the tests use a local one).
set -u
. "$(dirname "$0")/lib.sh"

dir=$HO_BUILD/debian
sources=${HO_APT_SOURCES:-$HO_ROOT/configs/debian.sources}
debs=$dir/debs
max_age=${HO_APT_MAX_AGE:-86400}
[ -f "$sources" ] || ho_die "no apt sources file $sources"
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/parts" "$debs"
touch "$dir/status"

# Every path apt would read or write, pointed into build/debian/.
apt_opts=(
	-o "Dir::Etc::sourcelist=$dir/sources.list"
	-o "Dir::Etc::sourceparts=$dir/parts"
	-o "Dir::Etc::preferences=$dir/preferences"
	-o "Dir::Etc::preferencesparts=$dir/parts"
	-o "Dir::State::lists=$dir/lists"
	-o "Dir::State::status=$dir/status"
	-o "Dir::Cache=$dir/cache"
	-o "Acquire::Languages=none"
	-o "APT::Sandbox::User=root"
)

update() {
	grep -v '^#' "$sources" >"$dir/sources.list"
	if ! apt-get "${apt_opts[@]}" update >"$dir/update.log" 2>&1; then
		echo "debsrc: apt-get update failed ($dir/update.log):" >&2
		grep -E '^(E|W):' "$dir/update.log" | sed 's/^/    | /' >&2
		return 1
	fi
	# A suite that failed is a warning: the others may have what is needed.
	grep -E '^(E|W):' "$dir/update.log" | grep -v 'Unable to read' | sed 's/^/debsrc: warning: /' >&2
	touch "$dir/updated"
}

# Fetch the lists when they are missing, stale, or made from other sources.
fresh() {
	local age
	if [ -f "$dir/updated" ] && cmp -s <(grep -v '^#' "$sources") "$dir/sources.list"; then
		age=$(($(date +%s) - $(stat -c %Y "$dir/updated")))
		[ "$age" -lt "$max_age" ] && return 0
	fi
	update
}

versions() {
	local prefix=$1 pkgs
	pkgs=$(apt-cache "${apt_opts[@]}" pkgnames "$prefix" 2>/dev/null | sort -u)
	[ -n "$pkgs" ] || return 0
	# shellcheck disable=SC2086 # a list of package names
	# GNU sort -V orders Debian versions as dpkg does ("~" first), epochs apart.
	apt-cache "${apt_opts[@]}" madison $pkgs 2>/dev/null |
		awk -F' [|] ' '{ gsub(/ /, "", $1); gsub(/ /, "", $2); split($3, w, " "); s = w[2]; sub(/\/.*/, "", s); print $1, $2, s }' |
		sort -u | sort -k2,2Vr -k1,1 -k3,3
}

has() {
	versions "$1" | awk -v p="$1" -v v="$2" '$1 == p && $2 == v { found = 1 } END { exit !found }'
}

fetch() {
	local pkg=$1 ver=$2 deb
	deb=$debs/${pkg}_${ver//:/%3a}_all.deb
	[ -s "$deb" ] && { echo "$deb"; return 0; }
	if ! has "$pkg" "$ver"; then
		update || true
		has "$pkg" "$ver" || {
			echo "debsrc: no suite of $sources lists $pkg $ver" >&2
			return 1
		}
	fi
	echo "debsrc: downloading $pkg $ver" >&2
	(cd "$debs" && apt-get "${apt_opts[@]}" download "$pkg=$ver" >"$dir/download.log" 2>&1) || {
		echo "debsrc: apt-get download $pkg=$ver failed:" >&2
		sed 's/^/    | /' "$dir/download.log" >&2
		return 1
	}
	[ -s "$deb" ] || ho_die "apt-get download left no $deb"
	echo "$deb"
}

cmd=${1:-}
case $cmd in
update) update ;;
versions) fresh && versions "${2:?prefix}" ;;
newest) fresh && versions "${2:?prefix}" | head -n 1 ;;
has) fresh && has "${2:?package}" "${3:?version}" ;;
fetch) fresh && fetch "${2:?package}" "${3:?version}" ;;
*) ho_die "usage: debsrc.sh update | versions PREFIX | newest PREFIX | has PACKAGE VERSION | fetch PACKAGE VERSION" ;;
esac
