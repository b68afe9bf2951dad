#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the handover workbench needs, idempotently: Debian packages
# (QEMU, and the ARM, MIPS, powerpc and sparc cross compilers for the
# targets that use them), and BusyBox for amd64 (the host's busybox-static),
# i386, armhf and mipsel (downloaded and unpacked under build/, never
# installed: it would replace the host's).
set -u
. "$(dirname "$0")/lib.sh"

# deps.sh [x86|arm|mips|xbuild|all]...: what the x86 targets need (the
# default, and all that "make test" and the default "make compare" use),
# and what the other targets add.  build.sh asks for its target's part
# before it builds, so that "make kunit T=arm-highmem" on a machine that
# only ran "make test" installs the ARM cross compiler then.
# The kernel source is not among them: make tree fetches the exact version
# the series was made on (scripts/debsrc.sh), never the day's newest.
# ovmf: the UEFI firmware of the efi fragment.  liburcu-dev: memblock's
# userspace test suite, tools/testing/memblock (make memblock-sim).
PKGS="qemu-system-x86 ovmf busybox-static flex bison bc
libelf-dev libssl-dev cpio ccache shellcheck gnuplot-nox python3-docutils python3-sphinx
xz-utils make gcc git perl rsync patch python3-ply python3-git python3-jsonschema liburcu-dev"
BUSYBOXES="i386"
parts=" ${*:-x86} "
[ "$parts" = " all " ] && parts=" x86 arm mips xbuild "
for part in $parts; do
	case $part in
	x86) ;;
	arm) PKGS="$PKGS qemu-system-arm gcc-arm-linux-gnueabihf"; BUSYBOXES="$BUSYBOXES armhf" ;;
	mips) PKGS="$PKGS qemu-system-mips gcc-mipsel-linux-gnu"; BUSYBOXES="$BUSYBOXES mipsel" ;;
	xbuild) PKGS="$PKGS gcc-powerpc-linux-gnu gcc-sparc64-linux-gnu" ;;
	*) ho_die "deps: unknown part '$part' (x86, arm, mips, xbuild, all)" ;;
	esac
done

mkdir -p "$HO_LOGS"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

apt_updated=""
apt_update() {
	[ -n "$apt_updated" ] && return 0
	echo "deps: apt-get update"
	# A mirror caught mid-sync fails one index; what we need is usually in
	# the others, so retry once and then go on with a warning.
	if ! apt-get update >"$HO_LOGS/deps-apt-update.log" 2>&1 &&
		! apt-get update >"$HO_LOGS/deps-apt-update.log" 2>&1; then
		echo "deps: warning: apt-get update reported errors (see $HO_LOGS/deps-apt-update.log):"
		grep '^E:' "$HO_LOGS/deps-apt-update.log" | sed 's/^/    | /'
	fi
	apt_updated=1
}

if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || ho_die "missing packages:$missing (run as root, or: sudo apt-get install$missing)"
	apt_update
	echo "deps: apt-get install$missing"
	# shellcheck disable=SC2086 # $missing is a list of words
	DEBIAN_FRONTEND=noninteractive ho_logged "$HO_LOGS/deps-apt-install.log" \
		apt-get install -y --no-install-recommends $missing ||
		ho_die "could not install:$missing"
fi

# A foreign BusyBox (i386, armhf, mipsel), unpacked into build/busybox-ARCH.
foreign_busybox() {
	local arch=$1 bb=$HO_BUILD/busybox-$1/bin/busybox dl
	[ -x "$bb" ] && return 0
	if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		echo "deps: dpkg --add-architecture $arch"
		dpkg --add-architecture "$arch" || ho_die "dpkg --add-architecture $arch failed"
		apt_updated=""
	fi
	apt_update
	dl=$(mktemp -d)
	echo "deps: apt-get download busybox-static:$arch"
	(cd "$dl" && ho_logged "$HO_LOGS/deps-busybox-$arch.log" \
		apt-get download "busybox-static:$arch") || ho_die "could not download busybox-static:$arch"
	rm -rf "$HO_BUILD/busybox-$arch"
	dpkg-deb -x "$dl"/busybox-static_*_"$arch".deb "$HO_BUILD/busybox-$arch" ||
		ho_die "could not unpack busybox-static:$arch"
	rm -rf "$dl"
	# All are 32-bit ELF (EI_CLASS 1).
	[ "$(od -An -tx1 -j4 -N1 "$bb" | tr -d ' ')" = 01 ] || ho_die "$bb is not a 32-bit ELF"
}
for arch in $BUSYBOXES; do
	foreign_busybox "$arch"
done
[ -x /bin/busybox ] || ho_die "/bin/busybox missing although busybox-static is installed"
exit 0
