#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kunit.sh TARGET[+FRAGMENT...]: run our KUnit suites for TARGET on its
# debug build (build/TARGET-debug) and say, suite by suite, what passed.
#
# Built in (the default): tools/testing/kunit/kunit.py boots the kernel with
# kunit/BASE.kunitconfig and the QEMU config kunit/qemu_BASE.py, plus the
# kernel command line and QEMU arguments the fragments ask for.  kunit.py
# keeps our .config because build.sh left it the kunitconfig as its last
# used one, and it gets our make options, so nothing is rebuilt.
#
# With the modules fragment, KUnit and the page allocator's census suite
# are modules: the kernel boots with an initramfs that loads them (the
# suites run as they load), on the memory and command line of
# kunit/qemu_BASE.py, and kunit.py parses the kernel log.  With the rerun
# fragment, the suites run at boot, then the initramfs runs the built-in
# ones that can run after boot again through debugfs, as a developer would
# on a running system (with stress, beside compaction and a memory hog);
# the summary lists those suites twice.
#
# Output: build/BASE/logs/kunit-TARGET.log (kernel log), .json (KTAP as JSON).
# Fails when a case fails, when none ran, or when the console shows a
# splat (BUG, WARNING, lockdep) even though every case passed.
set -u
. "$(dirname "$0")/lib.sh"

target=${1:?target}
ho_check_target "$target"
base=$(ho_base_target "$target")
"$HO_ROOT/scripts/build.sh" patched "$target" debug || exit 1
obj=$(ho_objdir patched "$target" debug)
log=$HO_LOGS/kunit-$target.log
json=$HO_LOGS/kunit-$target.json
qemu_config=$HO_ROOT/kunit/qemu_$base.py

# qemu_param NAME: a parameter of the kunit.py QEMU config of the target.
qemu_param() {
	python3 - "$qemu_config" "$1" <<'PY'
import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
for node in ast.walk(tree):
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg == sys.argv[2]:
                v = ast.literal_eval(kw.value)
                print(" ".join(v) if isinstance(v, list) else v)
PY
}

run_builtin() {
	local qargs kargs mem="" cross
	cross=$(ho_cross "$target")
	kargs=$(ho_target_append "$target")
	qargs=$(ho_target_qemu "$target")
	for f in $(ho_fragments "$target"); do
		m=$(ho_fragment_meta "$f" mem)
		[ -n "$m" ] && mem="$mem,$m"
	done
	if [ -n "$mem" ]; then
		# A later -m wins: the config's size with the fragment's slots.
		mem=$(qemu_param extra_qemu_params | sed -n 's/.*-m \([^ ]*\).*/\1/p')$mem
		qargs="-m $mem${qargs:+ $qargs}"
	fi
	cd "$HO_TREE" || return 1
	# shellcheck disable=SC2086 # KUNIT_ARGS: extra words for kunit.py
	python3 tools/testing/kunit/kunit.py run \
		--build_dir="$obj" \
		--kunitconfig="$HO_ROOT/kunit/$base.kunitconfig" \
		--qemu_config="$qemu_config" \
		--make_options="CC=$(ho_cc "$target")" \
		${cross:+--cross_compile="$cross"} \
		--jobs="$(nproc)" \
		--timeout="${TIMEOUT:-300}" \
		--json="$json" \
		${kargs:+--kernel_args="$kargs"} \
		${qargs:+--qemu_args="$qargs"} \
		${KUNIT_ARGS:-} >"$log.out" 2>&1
	local rc=$?
	cp "$obj/test.log" "$log" 2>/dev/null
	grep -q "Regenerating .config\|Generating .config" "$log.out" &&
		echo "kunit: warning: kunit.py regenerated $obj/.config" >&2
	return $rc
}

# The suites after boot, from an initramfs: modules loaded (modules
# fragment) or built-in suites run again through debugfs (rerun fragment).
run_initramfs() {
	local stage=$HO_WORK/kunit-initramfs/$target initrd mods=() m mem machine cmdline res make_vars
	local frags
	frags=" $(ho_fragments "$target") "
	rm -rf "$stage"
	mkdir -p "$stage"
	case $frags in
	*" modules "*)
		mapfile -t make_vars < <(ho_make_vars "$target")
		ho_logged "$HO_LOGS/kunit-modules-install-$target.log" \
			make -C "$HO_TREE" O="$obj" "${make_vars[@]}" \
			INSTALL_MOD_PATH="$stage" modules_install || return 1
		# KUnit first: the suite's module needs it.
		for m in kunit page_alloc_kunit; do
			mods+=("$(find "$stage" -name "$m.ko" | head -n 1)")
			[ -n "${mods[-1]}" ] || { echo "kunit: $m.ko was not built" >&2; return 1; }
		done
		;;
	esac
	case $frags in *" rerun "*) export RERUN="page_alloc_free_lists free_reserved_area buddy_merge" ;; esac
	case $frags in *" stress "*) export STRESS=1 ;; esac
	initrd=$stage/initramfs.cpio
	"$HO_ROOT/scripts/initramfs.sh" "$(ho_userland "$target")" \
		"$initrd" "${mods[@]}" || return 1
	mem=$(qemu_param extra_qemu_params | sed -n 's/.*-m \([^ ]*\).*/\1/p')
	machine=$(qemu_param extra_qemu_params | sed -n 's/.*-machine \([^ ]*\).*/\1/p')
	cmdline=$(qemu_param kernel_command_line | sed 's/console=ttyS0//')
	# shellcheck disable=SC2086 # the command line, word by word
	INITRD=$initrd KUNIT=1 QUIET=1 TIMEOUT=${TIMEOUT:-300} \
		"$HO_ROOT/scripts/boot.sh" patched "$target" "$mem" "$machine" $cmdline \
		>"$log.out" 2>&1
	local rc=$?
	res=$HO_RESULTS/patched/$target/$(python3 "$HO_ROOT/scripts/capture.py" slug "$mem" "$machine" "$cmdline")
	cp "$res/dmesg" "$log" 2>/dev/null || cp "$res/console.log" "$log"
	grep -h '@@HANDOVER-\(INSMOD\|RERUN\)-FAILED' "$res/console.log" >&2 && rc=1
	# Each module prints a KTAP stream of its own; kunit.py parses one.
	local parts=() part
	rm -rf "$stage/ktap"
	mapfile -t parts < <(python3 "$HO_ROOT/scripts/ktap.py" split "$log" "$stage/ktap")
	for part in "${parts[@]}"; do
		(cd "$HO_TREE" && python3 tools/testing/kunit/kunit.py parse --json="$part.json" "$part") \
			>>"$log.out" 2>&1 || rc=1
	done
	python3 "$HO_ROOT/scripts/ktap.py" merge "$json" "${parts[@]/%/.json}" || rc=1
	return $rc
}

rc=0
case " $(ho_fragments "$target") " in
*" modules "* | *" rerun "*) run_initramfs || rc=1 ;;
*) run_builtin || rc=1 ;;
esac

# What failed, as kunit.py parsed it; then our suites, case by case (kunit.py
# counts every parameter of a parameterised case as a test of its own).
grep -E '\[(FAILED|CRASHED)\]|Error|error:' "$log.out" | sed 's/^\[[0-9:]*\] //'
grep -E '^\[..:..:..\] (Testing complete|Elapsed)' "$log.out" | sed 's/^\[[0-9:]*\] /kunit.py: /'
python3 "$HO_ROOT/scripts/kunitsummary.py" "$json" || rc=1
# A splat fails the run even where every expectation held: a sleep or an
# allocation under zone->lock (DEBUG_ATOMIC_SLEEP), a lockdep report, a bad
# page, an Oops.
splat=$(grep -n -E "$HO_SPLAT" "$log" 2>/dev/null | head -n 20)
if [ -n "$splat" ]; then
	echo "kunit: $target: the console shows errors:" >&2
	printf '    | %s\n' "${splat//$'\n'/$'\n'    | }" >&2
	rc=1
fi
[ $rc -eq 0 ] || echo "kunit: $target FAILED; output: $log.out, kernel log: $log" >&2
exit $rc
