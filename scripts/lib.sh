# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Common helpers for the handover scripts.  Sourced, not executed.

# Absolute paths: the repository, the build area and the two kernel trees.
HO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# What every base shares: Debian's packages and the private apt
# configuration that fetches them, BusyBox, the initramfs images.
HO_BUILD=${HO_BUILD:-$HO_ROOT/build}
# The base: a folder of patches/ with its series and the file "made-on",
# which names the Debian package and version the series was made on.
# BASE=6.12 is the default; each base has its own work area.
# (HO_PATCHES=DIR names the folder itself, and its name is the base, whatever
# BASE says: the tests use made-up ones under "make test", which exports BASE.)
if [ -n "${HO_PATCHES:-}" ]; then
	HO_BASE=$(basename "$HO_PATCHES")
else
	HO_BASE=${BASE:-6.12}
	HO_PATCHES=$HO_ROOT/patches/$HO_BASE
fi
HO_MADE_ON=$HO_PATCHES/made-on
HO_WORK=${HO_WORK:-$HO_BUILD/$HO_BASE}
HO_TREE=$HO_WORK/linux            # patched tree (git repo, tag "base")
HO_BASE_TREE=$HO_WORK/linux-base  # baseline worktree, detached at "base"
HO_RESULTS=$HO_WORK/results
HO_LOGS=$HO_WORK/logs
HO_TARGETS="i386-highmem i386-pae i386-nohighmem x86_64"
# Known targets outside the default set: "make kunit T=arm-highmem" and the
# like build and boot them, "make build" or "make test" without T do not.
HO_EXTRA_TARGETS="arm-highmem mips-malta mips-highmem"

export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/handover-ccache}
export CCACHE_BASEDIR=$HO_BUILD
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

ho_die() {
	echo "error: $*" >&2
	exit 1
}

# The bases there are: the folders of patches/ that say what they were made on.
ho_bases() {
	find "$HO_ROOT/patches" -mindepth 2 -maxdepth 2 -name made-on -printf '%h\n' |
		xargs -rn1 basename | sort | tr '\n' ' ' | sed 's/ $//'
}
[ -f "$HO_MADE_ON" ] || ho_die "unknown base '$HO_BASE': $HO_MADE_ON is missing (bases: $(ho_bases))"

# ho_made_on KEY: a value of the base's made-on file (KEY=value lines).
ho_made_on() {
	sed -n "s/^$1=//p" "$HO_MADE_ON" | tail -n 1
}

# ho_logged LOG CMD...: run CMD with all output in LOG; on failure
# print the log's path and its last lines.
ho_logged() {
	local log=$1 rc
	shift
	mkdir -p "$(dirname "$log")"
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "command failed (rc=$rc): $*" >&2
		echo "full log: $log" >&2
		tail -n 30 "$log" | sed 's/^/    | /' >&2
	fi
	return $rc
}

# ho_worktree DIR REV: make DIR a worktree of build/BASE/linux detached at REV,
# unless it is one already.
ho_worktree() {
	[ -d "$1" ] && return 0
	git -C "$HO_TREE" worktree prune
	git -C "$HO_TREE" worktree add -q --detach "$1" "$2" || ho_die "cannot add the worktree $1"
}

# ho_source_tarball DEB: the member of a Debian kernel source package that
# holds the source, "./usr/src/linux-source-X.Y.tar.xz".
ho_source_tarball() {
	dpkg-deb -c "$1" | grep -o '\./usr/src/linux-source-[^ ]*\.tar\.xz$' | head -n 1
}

# ho_import_blobs REPO PATCH...: the blobs the patches' "index" lines name on
# their preimage side, which git am -3 needs, into REPO: the base's files
# from the base's blobs.pack (make export), and what each patch makes of
# them, written by applying the patches to them in a scratch index.
ho_import_blobs() {
	local repo=$1 pack=$HO_PATCHES/blobs.pack idx blob mode path p
	shift
	if [ ! -f "$pack" ]; then
		echo "warning: no ${pack#"$HO_ROOT"/}: git am -3 has no blobs to merge with" >&2
		return 0
	fi
	git -C "$repo" index-pack --stdin <"$pack" >/dev/null || ho_die "cannot import $pack"
	idx=$(mktemp)
	rm -f "$idx"
	# The first preimage of each file: "BLOB MODE PATH".
	awk '/^diff --git a\// { path = substr($3, 3) }
		/^index [0-9a-f]+\.\.[0-9a-f]+/ { split($2, b, /\.\./)
			if (!(path in seen) && b[1] !~ /^0+$/) print b[1], ($3 ? $3 : "100644"), path
			seen[path] = 1 }' "$@" |
		while read -r blob mode path; do
			blob=$(git -C "$repo" rev-parse -q --verify "$blob^{blob}") || continue
			GIT_INDEX_FILE=$idx git -C "$repo" update-index --add --cacheinfo "$mode,$blob,$path"
		done
	for p in "$@"; do
		GIT_INDEX_FILE=$idx git -C "$repo" apply --cached "$p" 2>/dev/null ||
			echo "warning: $(basename "$p") does not apply to the files in ${pack#"$HO_ROOT"/}" >&2
	done
	rm -f "$idx"
}

# A target may name configuration fragments: "x86_64+kasan+poison" is the
# x86_64 target with configs/fragments/kasan.config and poison.config.
ho_base_target() { echo "${1%%+*}"; }
ho_fragments() {
	case $1 in *+*) echo "${1#*+}" | tr '+' ' ' ;; esac
}
ho_fragment_file() { echo "$HO_ROOT/configs/fragments/$1.config"; }

# ho_fragment_meta FRAGMENT KEY: the value of a "# handover-KEY: ..." line.
ho_fragment_meta() {
	sed -n "s/^# handover-$2: *//p" "$(ho_fragment_file "$1")"
}

# ho_fragment_unfit TARGET FRAGMENT: print why FRAGMENT cannot work on the
# base TARGET ("# handover-only: t1 t2 -- reason"), or nothing when it can.
ho_fragment_unfit() {
	local only targets
	only=$(ho_fragment_meta "$2" only)
	[ -n "$only" ] || return 0
	targets=${only%% -- *}
	case " $targets " in *" $(ho_base_target "$1") "*) return 0 ;; esac
	echo "${only#* -- }"
}

ho_check_target() {
	local base f why
	base=$(ho_base_target "$1")
	case " $HO_TARGETS $HO_EXTRA_TARGETS " in
	*" $base "*) ;;
	*) ho_die "unknown target '$base' (known: $HO_TARGETS $HO_EXTRA_TARGETS)" ;;
	esac
	for f in $(ho_fragments "$1"); do
		[ -f "$(ho_fragment_file "$f")" ] ||
			ho_die "unknown fragment '$f' in '$1' (known: $(find "$HO_ROOT/configs/fragments" -name '*.config' -printf '%f\n' | sed 's/\.config$//' | sort | tr '\n' ' '))"
		why=$(ho_fragment_unfit "$1" "$f")
		[ -z "$why" ] || ho_die "fragment '$f' does not apply to $base: $why"
	done
}

# Kernel command line and QEMU arguments the fragments of a target ask for.
ho_target_append() {
	local f
	for f in $(ho_fragments "$1"); do ho_fragment_meta "$f" append; done | tr '\n' ' ' | sed 's/ *$//'
}
ho_target_qemu() {
	local f
	for f in $(ho_fragments "$1"); do ho_fragment_meta "$f" qemu; done | tr '\n' ' ' | sed 's/ *$//'
}

# Kernel ARCH= for a target.
ho_arch() {
	case $(ho_base_target "$1") in
	x86_64) echo x86_64 ;;
	arm-*) echo arm ;;
	mips-*) echo mips ;;
	*) echo i386 ;;
	esac
}

# The kernel's arch/ directory for a target (its SRCARCH).
ho_srcarch() {
	case $(ho_arch "$1") in
	i386 | x86_64) echo x86 ;;
	*) ho_arch "$1" ;;
	esac
}

# CROSS_COMPILE= for a target (Debian's cross compilers), or nothing.
ho_cross() {
	case $(ho_base_target "$1") in
	arm-*) echo arm-linux-gnueabihf- ;;
	mips-*) echo mipsel-linux-gnu- ;;
	esac
}

# The compiler of a target: HO_CC, or the cross compiler through ccache.
ho_cc() {
	local cross
	cross=$(ho_cross "$1")
	if [ -n "$cross" ]; then echo "ccache ${cross}gcc"; else echo "$HO_CC"; fi
}

# make's ARCH=, CROSS_COMPILE= and CC= for a target, one per line.
ho_make_vars() {
	echo "ARCH=$(ho_arch "$1")"
	[ -n "$(ho_cross "$1")" ] && echo "CROSS_COMPILE=$(ho_cross "$1")"
	echo "CC=$(ho_cc "$1")"
}

# The kernel image a target boots, relative to its build directory.
ho_image() {
	case $(ho_base_target "$1") in
	arm-*) echo arch/arm/boot/zImage ;;
	mips-*) echo vmlinux ;;
	*) echo arch/x86/boot/bzImage ;;
	esac
}

# The BusyBox of a target's initramfs: 64 (the host's), 32 (i386), armhf,
# mipsel.
ho_userland() {
	case $(ho_base_target "$1") in
	x86_64) echo 64 ;;
	arm-*) echo armhf ;;
	mips-*) echo mipsel ;;
	*) echo 32 ;;
	esac
}

# The QEMU machines a target can boot on (boot.sh refuses the others); the
# first is the one it boots on when none is named (ho_machine).
ho_machines() {
	case $(ho_base_target "$1") in
	arm-*) echo virt ;;
	mips-*) echo malta ;;
	*) echo pc q35 ;;
	esac
}
ho_machine() {
	local m
	m=$(ho_machines "$1")
	echo "${m%% *}"
}

# Build directory of a kernel (patched|baseline), target and flavour.
# The real directory is a direct subdirectory of the source tree, which
# makes kbuild use relative paths (srctree=..): the baseline and the patched
# builds then compile identical command lines and share the ccache.
# build/TARGET-FLAVOUR and build/baseline/TARGET-FLAVOUR link to them.
ho_objdir() {
	local kernel=$1 target=$2 flavour=${3:-debug}
	echo "$(ho_srcdir "$kernel")/obj-$target-$flavour"
}

# The name users see for it.
ho_objlink() {
	local kernel=$1 target=$2 flavour=${3:-debug}
	case $kernel in
	patched) echo "$HO_WORK/$target-$flavour" ;;
	baseline) echo "$HO_WORK/baseline/$target-$flavour" ;;
	bisect) echo "$HO_WORK/bisect/$target-$flavour" ;;
	bench-*) echo "$HO_WORK/bench/${kernel#bench-}/$target-$flavour" ;;
	esac
}

ho_srcdir() {
	case $1 in
	patched) echo "$HO_TREE" ;;
	baseline) echo "$HO_BASE_TREE" ;;
	bisect) echo "$HO_WORK/linux-bisect" ;;
	bench-patched | bench-baseline) echo "$HO_WORK/linux-$1" ;;
	*) ho_die "unknown kernel '$1' (patched|baseline|bisect|bench-patched|bench-baseline)" ;;
	esac
}

# What on a console means the kernel went wrong, whatever the tests said.
HO_SPLAT='Kernel panic|Oops|BUG[: ]|WARNING:|general protection fault|Call Trace:|possible recursive locking|inconsistent lock state|possible circular locking|suspicious RCU usage'

# The compiler every build of ours uses; kunit.py is given the same make
# options so that it does not rebuild what we built.
HO_CC="ccache gcc"
