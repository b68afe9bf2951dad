#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh BITS OUT [MODULE.ko...]: a BusyBox initramfs (BITS 32 or 64,
# armhf or mipsel)
# whose /init loads the modules given, in order (a KUnit module runs its
# suites as it loads), then prints /proc/zoneinfo, /proc/buddyinfo,
# /proc/pagetypeinfo, /proc/meminfo, /proc/iomem and the kernel log between markers on
# the console, and reboots (QEMU runs with -no-reboot, so that ends the
# boot).  RERUN="suite...": then each built-in KUnit suite named runs again
# through its debugfs "run" file, each as a KTAP stream of its own.
# STRESS=1: the modules load, and the suites run again, while compaction
# (/proc/sys/vm/compact_memory in a loop) and a memory hog (a file of half
# the free memory written into the initramfs and removed, in a loop) run
# beside them; both stop before the capture.
set -u
. "$(dirname "$0")/lib.sh"

bits=${1:?bits}
out=${2:?output}
shift 2
case $bits in
32) bb=$HO_BUILD/busybox-i386/bin/busybox ;;
armhf|mipsel) bb=$HO_BUILD/busybox-$bits/bin/busybox ;;
64) bb=/bin/busybox ;;
*) ho_die "bits must be 32, 64, armhf or mipsel" ;;
esac
[ -x "$bb" ] || ho_die "$bb missing: run 'make deps'"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,modules}
cp "$bb" "$stage/bin/busybox"
mods=""
for m in "$@"; do
	[ -f "$m" ] || ho_die "no module $m"
	cp "$m" "$stage/modules/" || ho_die "cannot copy $m"
	mods="$mods $(basename "$m")"
done
ln -s busybox "$stage/bin/sh"
mknod -m 600 "$stage/dev/console" c 5 1
mknod -m 666 "$stage/dev/null" c 1 3
mknod -m 600 "$stage/dev/kmsg" c 1 11
cat >"$stage/init" <<'INIT'
#!/bin/sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
dmesg -n 1
stress=@STRESS@
if [ "$stress" = 1 ]; then
	(while :; do echo 1 >/proc/sys/vm/compact_memory; done) &
	compact=$!
	hog_mb=$(awk '/^MemFree:/ { print int($2 / 2048) }' /proc/meminfo)
	(while :; do
		dd if=/dev/zero of=/tmp/hog bs=1M count="$hog_mb" 2>/dev/null
		rm -f /tmp/hog
	done) &
	hog=$!
	echo "@@HANDOVER-STRESS compaction and a ${hog_mb}M hog running@@"
fi
for m in @MODULES@; do
	insmod "/modules/$m" || echo "@@HANDOVER-INSMOD-FAILED $m@@"
done
# A suite run from debugfs prints no top-level KTAP header: give it one.
for s in @RERUN@; do
	[ -d /sys/kernel/debug/kunit ] || mount -t debugfs debugfs /sys/kernel/debug
	if [ -e "/sys/kernel/debug/kunit/$s/run" ]; then
		printf 'KTAP version 1\n' >/dev/kmsg
		printf '1..1\n' >/dev/kmsg
		echo 1 >"/sys/kernel/debug/kunit/$s/run"
	else
		echo "@@HANDOVER-RERUN-FAILED $s@@"
	fi
done
if [ "$stress" = 1 ]; then
	kill "$compact" "$hog"
	wait 2>/dev/null
	rm -f /tmp/hog
fi
show() {
	echo "@@HANDOVER-BEGIN $1@@"
	cat "$2"
	echo "@@HANDOVER-END $1@@"
}
# The free pages of /proc/zoneinfo and /proc/buddyinfo must agree: read
# both with shell builtins, so that no process starts (and allocates)
# between the two.
show_builtin() {
	echo "@@HANDOVER-BEGIN $1@@"
	while IFS= read -r line; do echo "$line"; done <"$2"
	echo "@@HANDOVER-END $1@@"
}
show_builtin zoneinfo /proc/zoneinfo
show_builtin buddyinfo /proc/buddyinfo
show pagetypeinfo /proc/pagetypeinfo
show meminfo /proc/meminfo
show iomem /proc/iomem
show cmdline /proc/cmdline
echo "@@HANDOVER-BEGIN dmesg@@"
dmesg
echo "@@HANDOVER-END dmesg@@"
echo "@@HANDOVER-DONE@@"
reboot -f
INIT
sed -i "s|@MODULES@|$mods|; s|@RERUN@|${RERUN:-}|; s|@STRESS@|${STRESS:-0}|" "$stage/init"
chmod 755 "$stage/init"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp" &&
	mv "$out.tmp" "$out"
