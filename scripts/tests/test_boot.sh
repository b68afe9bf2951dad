#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad boots are caught: a panicking kernel fails the step with the panic
# quoted and the console log kept; a hung one is stopped by the timeout.
set -u
. "$(dirname "$0")/../lib.sh"
t=${1:-i386-highmem}
fail() { echo "test_boot: $*"; exit 1; }

out=$("$HO_ROOT/scripts/boot.sh" patched "$t" 256M pc rdinit=/no-such-init init=/no-such-init 2>&1)
rc=$?
echo "$out"
[ $rc -ne 0 ] || fail "a panicking boot passed"
grep -q "Kernel panic" <<<"$out" || fail "the panic is not quoted"
log=$(sed -n 's/^ *console log: //p' <<<"$out")
[ -s "$log" ] || fail "the console log is not kept"

out=$(TIMEOUT=15 "$HO_ROOT/scripts/boot.sh" patched "$t" 256M pc rdinit=/bin/sh 2>&1)
rc=$?
echo "$out"
[ $rc -ne 0 ] || fail "a hung boot passed"
grep -q "timed out after 15s" <<<"$out" || fail "the timeout is not reported"
echo "test_boot: ok"
