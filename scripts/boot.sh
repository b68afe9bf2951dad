#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh KERNEL TARGET MEM MACHINE [APPEND...]: boot a built kernel under
# QEMU (TCG) with the capture initramfs and split what /init printed into
# build/BASE/results/KERNEL[-perf]/TARGET/LAYOUT/{zoneinfo,buddyinfo,pagetypeinfo,
# meminfo,cmdline,dmesg}, next to console.log and qemu.cmd.
#
# TARGET may name fragments (x86_64+hotplug): their kernel command line
# and QEMU arguments are added.
#
# Environment: FLAVOUR (debug|perf, default debug), TIMEOUT (seconds,
# default 300), ICOUNT=1 (add -icount shift=0,sleep=off: guest time counts
# instructions), QUIET=1 (print only failures), INITRD (another initramfs
# than the capture one), KUNIT=1 (let KUnit suites run at this boot).
#
# A boot fails when it times out, when /init did not finish, or when the
# console shows a panic, Oops, BUG or WARNING; the lines are quoted and the
# console log is kept.
set -u
. "$(dirname "$0")/lib.sh"

kernel=${1:?kernel}
target=${2:?target}
mem=${3:?memory size}
machine=${4:?machine (pc|q35)}
shift 4
append="$*"
# The results are named by the layout (target, memory, machine, its own
# command line): the fragments' command line is part of the target.
layout_append=$append
extra=$(ho_target_append "$target")
[ -n "$extra" ] && append="$extra${append:+ $append}"
flavour=${FLAVOUR:-debug}
timeout=${TIMEOUT:-300}
ho_check_target "$target"
machines=$(ho_machines "$target")
case " $machines " in *" $machine "*) ;; *) ho_die "unknown machine '$machine' for $target (${machines// /|})" ;; esac

obj=$(ho_objdir "$kernel" "$target" "$flavour")
bz=$obj/$(ho_image "$target")
[ -f "$bz" ] || ho_die "$bz missing: run 'make build T=$target' (or 'make baseline')"

label=$kernel
[ "$flavour" = debug ] || label=$kernel-$flavour
out=$HO_RESULTS/$label/$target/$(python3 "$HO_ROOT/scripts/capture.py" slug "$mem" "$machine" "$layout_append")
rm -rf "$out"
mkdir -p "$out"

bits=$(ho_userland "$target")
initrd=${INITRD:-$HO_BUILD/initramfs-$bits.cpio}
if [ -z "${INITRD:-}" ] && { [ ! -f "$initrd" ] || [ "$HO_ROOT/scripts/initramfs.sh" -nt "$initrd" ]; }; then
	(flock 9; [ -f "$initrd" ] && [ "$initrd" -nt "$HO_ROOT/scripts/initramfs.sh" ] ||
		"$HO_ROOT/scripts/initramfs.sh" "$bits" "$initrd") 9>"$initrd.lock" || exit 1
fi

console=ttyS0
case $(ho_arch "$target") in
arm)
	console=ttyAMA0
	qemu=(qemu-system-arm -machine "$machine,highmem=off" -cpu cortex-a15)
	;;
# MIPS: a 24Kf, whose data cache has no aliases (the aliases fragment's -cpu wins).
mips) qemu=(qemu-system-mipsel -machine "$machine" -cpu 24Kf) ;;
*) qemu=(qemu-system-x86_64 -machine "$machine") ;;
esac
cmdline="console=$console panic=-1 $append"
# KUnit suites run at every boot of a debug kernel unless told not to; the
# capture boots compare the allocator's state, so keep them out of it.
[ "$flavour" = debug ] && [ "${KUNIT:-}" != 1 ] && cmdline="$cmdline kunit.enable=0"

memspec=$mem
for f in $(ho_fragments "$target"); do
	m=$(ho_fragment_meta "$f" mem)
	[ -n "$m" ] && memspec="$memspec,$m"
done
qemu+=(-accel tcg -m "$memspec"
	-kernel "$bz" -initrd "$initrd" -append "$cmdline"
	-display none -monitor none -serial "file:$out/console.log"
	-no-reboot -nodefaults)
# shellcheck disable=SC2207 # QEMU arguments of the fragments, split as words
qemu+=($(ho_target_qemu "$target"))
[ "${ICOUNT:-}" = 1 ] && qemu+=(-icount "shift=0,sleep=off")
printf '%q ' "${qemu[@]}" >"$out/qemu.cmd"
echo >>"$out/qemu.cmd"

t0=$(date +%s.%N)
timeout --kill-after=10 "$timeout" "${qemu[@]}" </dev/null >"$out/qemu.log" 2>&1
rc=$?
secs=$(echo "$(date +%s.%N) - $t0" | bc)
touch "$out/console.log"

python3 "$HO_ROOT/scripts/capture.py" split "$out/console.log" "$out"
split_rc=$?

fail=""
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	fail="timed out after ${timeout}s"
elif [ $rc -ne 0 ]; then
	fail="qemu exited with $rc: $(head -c 300 "$out/qemu.log")"
elif [ $split_rc -ne 0 ]; then
	fail="/init did not finish its capture"
fi
bad=$(grep -n -E "$HO_SPLAT" "$out/console.log" | head -n 20)
[ -n "$bad" ] && fail="${fail:+$fail; }the console shows errors"

where="$target $mem $machine${append:+ $append} ($label)"
if [ -n "$fail" ]; then
	echo "FAIL $fail" >"$out/status"
	echo "boot: FAIL $where: $fail (after ${secs%.*}s)" >&2
	if [ -n "$bad" ]; then
		printf '    | %s\n' "${bad//$'\n'/$'\n'    | }" >&2
	else
		tail -n 15 "$out/console.log" | sed 's/^/    | /' >&2
	fi
	echo "    console log: $out/console.log" >&2
	exit 1
fi
echo "ok ${secs}s" >"$out/status"
[ "${QUIET:-}" = 1 ] || printf 'boot: ok %s in %.1fs -> %s\n' "$where" "$secs" "${out#"$HO_ROOT"/}"
exit 0
