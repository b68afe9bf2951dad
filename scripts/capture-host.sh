#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# capture-host.sh [DIR]: capture, on a real machine, what "make compare"
# captures under QEMU, so that two kernels booted on the same hardware can
# be compared with
#
#     make compare BASELINE=<capture of 6.12> PATCHED=<capture of the series>
#
# Run it as root (pagetypeinfo and the addresses of /proc/iomem need it),
# soon after boot, with the machine as idle as it can be: the rule allows
# free pages to differ only by a little.  It needs nothing but a POSIX
# shell and the kernel's /proc; DIR defaults to capture-<kernel>-<time>.
# It writes zoneinfo and buddyinfo (read until they agree), pagetypeinfo,
# meminfo, iomem, cmdline, dmesg (the kernel log of this boot, with its
# "Memory:" line), version and status, and says where.
set -u

dir=${1:-capture-$(uname -r)-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$dir" || { echo "capture-host: cannot create $dir" >&2; exit 1; }

[ "$(id -u)" = 0 ] || echo "capture-host: warning: not root: pagetypeinfo and iomem may be unreadable" >&2

fail=""
# The free lists of a running machine move between two reads: zoneinfo is
# kept only when buddyinfo reads the same before and after it, so that the
# two agree (up to the per-cpu vmstat lag).  An idle machine settles at once.
tries=0
while :; do
	cat /proc/buddyinfo >"$dir/buddyinfo" 2>/dev/null || { fail="$fail buddyinfo"; break; }
	cat /proc/zoneinfo >"$dir/zoneinfo" 2>/dev/null || { fail="$fail zoneinfo"; break; }
	cat /proc/buddyinfo >"$dir/buddyinfo.after" 2>/dev/null || { fail="$fail buddyinfo"; break; }
	cmp -s "$dir/buddyinfo" "$dir/buddyinfo.after" && break
	tries=$((tries + 1))
	if [ $tries -ge 50 ]; then
		echo "capture-host: warning: the free lists changed during each of 50 reads;" \
			"capture again on an idle machine" >&2
		break
	fi
	sleep 0.1 2>/dev/null || sleep 1
done
rm -f "$dir/buddyinfo.after"
for f in pagetypeinfo meminfo iomem cmdline; do
	if ! cat "/proc/$f" >"$dir/$f" 2>/dev/null; then
		fail="$fail $f"
		rm -f "$dir/$f"
	fi
done

# The "Memory:" line is printed early in boot: on a machine that has run a
# while it may have left the kernel's ring buffer, but not the journal.
dmesg >"$dir/dmesg" 2>/dev/null || : >"$dir/dmesg"
if ! grep -q 'Memory: [0-9]*K/[0-9]*K available' "$dir/dmesg"; then
	if command -v journalctl >/dev/null 2>&1; then
		journalctl -k -b 0 -o short-monotonic --no-pager >"$dir/dmesg" 2>/dev/null
	fi
	grep -q 'Memory: [0-9]*K/[0-9]*K available' "$dir/dmesg" ||
		fail="$fail dmesg(no Memory: line)"
fi
uname -a >"$dir/version"

if [ -n "$fail" ]; then
	echo "FAIL could not capture:$fail" >"$dir/status"
	echo "capture-host: $dir: could not capture:$fail" >&2
	exit 1
fi
echo "ok host $(uname -r) $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$dir/status"
echo "capture-host: $dir"
