#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh KERNEL TARGET[+FRAGMENT...] [FLAVOUR]: out-of-tree build of the
# patched or baseline tree for TARGET, from tinyconfig plus
# configs/base.config, configs/TARGET.config, configs/FLAVOUR.config (debug
# also takes kunit/TARGET.kunitconfig) and configs/fragments/FRAGMENT.config
# for each fragment named (debug also takes kunit/FRAGMENT.kunitconfig where
# there is one), in that order: a later line for an option overrides an
# earlier one.  After olddefconfig every option the fragments ask for is
# checked; the ones Kconfig dropped are named and the build fails.
set -u
. "$(dirname "$0")/lib.sh"

kernel=${1:?kernel (patched|baseline)}
target=${2:?target}
flavour=${3:-debug}
ho_check_target "$target"
case $flavour in debug|perf) ;; *) ho_die "unknown flavour '$flavour' (debug|perf)" ;; esac

src=$(ho_srcdir "$kernel")
obj=$(ho_objdir "$kernel" "$target" "$flavour")
log=$HO_LOGS/build-$kernel-$target-$flavour.log
[ -f "$src/Makefile" ] || ho_die "no source in $src: run 'make tree'"

base_target=$(ho_base_target "$target")
frags=("$HO_ROOT/configs/base.config" "$HO_ROOT/configs/$base_target.config" "$HO_ROOT/configs/$flavour.config")
[ "$flavour" = debug ] && frags+=("$HO_ROOT/kunit/$base_target.kunitconfig")
for f in $(ho_fragments "$target"); do
	frags+=("$(ho_fragment_file "$f")")
	[ "$flavour" = debug ] && [ -f "$HO_ROOT/kunit/$f.kunitconfig" ] && frags+=("$HO_ROOT/kunit/$f.kunitconfig")
done
for f in "${frags[@]}"; do [ -f "$f" ] || ho_die "missing config fragment $f"; done

# A cross target's compiler, QEMU and BusyBox, installed when missing.
case $(ho_arch "$target") in
arm | mips) "$HO_ROOT/scripts/deps.sh" "$(ho_arch "$target")" || exit 1 ;;
esac
mapfile -t make_vars < <(ho_make_vars "$target")
M() { make -C "$src" O="$obj" "${make_vars[@]}" "$@"; }

# Every CONFIG_ line of the fragments must be in .config as asked.
# Is CONFIG_$1 defined by some Kconfig file of this tree?  The baseline
# lacks the symbols the series adds (its KUnit suites): those are skipped.
known_symbol() {
	[ "$kernel" = patched ] && return 0
	[ -n "${known:-}" ] || known=$(find "$src" -name 'Kconfig*' -not -path '*/obj-*' -print0 |
		xargs -0 sed -n 's/^[[:space:]]*\(menu\)\?config[[:space:]]\+\([A-Za-z0-9_]*\).*/\2/p' | sort -u)
	grep -qx -- "$1" <<<"$known"
}

# The options the fragments ask for, the last word on each: "LINE<TAB>FILE".
# shellcheck disable=SC2094 # basename only names the fragment read
wanted() {
	local f line
	for f in "${frags[@]}"; do
		while IFS= read -r line; do
			case $line in
			CONFIG_*=* | "# CONFIG_"*" is not set") printf '%s\t%s\n' "$line" "$(basename "$f")" ;;
			esac
		done <"$f"
	done | awk -F'\t' '{ s = $1; sub(/^# /, "", s); sub(/[= ].*/, "", s); last[s] = $0; order[s] = NR }
		END { for (s in last) print order[s] "\t" last[s] }' | sort -n | cut -f2-
}

verify_config() {
	local line file sym have bad=""
	while IFS=$'\t' read -r line file; do
		sym=${line#\# }
		sym=${sym%%[= ]*}
		known_symbol "${sym#CONFIG_}" || continue
		case $line in
		CONFIG_*=*)
			if ! grep -qxF -- "$line" "$obj/.config"; then
				have=$(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo unset)
				bad="$bad\n    $line ($file; .config has: $have)"
			fi
			;;
		*)
			if have=$(grep "^$sym=" "$obj/.config"); then
				bad="$bad\n    $line ($file; .config has: $have)"
			fi
			;;
		esac
	done < <(wanted)
	if [ -n "$bad" ]; then
		echo -e "build: Kconfig dropped options the fragments ask for:$bad" >&2
		return 1
	fi
}

configure() {
	mkdir -p "$obj"
	rm -f "$obj/.config"
	M tinyconfig || return 1
	cat "${frags[@]}" >>"$obj/.config"
	M olddefconfig || return 1
}

# Reconfigure when a fragment changes, and in the bisect worktree at every
# commit (its Kconfig may have gained the symbols a fragment asks for).
sum=$( (cat "${frags[@]}"; [ "$kernel" = bisect ] && git -C "$src" rev-parse HEAD) |
	sha256sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.handover-config" 2>/dev/null)" != "$sum" ]; then
	ho_logged "$HO_LOGS/config-$kernel-$target-$flavour.log" configure ||
		ho_die "configuring $kernel $target-$flavour failed"
	verify_config || ho_die "configuration of $kernel $target-$flavour is incomplete (full log: $HO_LOGS/config-$kernel-$target-$flavour.log)"
	echo "$sum" >"$obj/.handover-config"
	# kunit.py keeps this .config only if its last used kunitconfig equals
	# what it is given (our kunitconfig, merged with the QEMU config's).
	if [ "$flavour" = debug ]; then
		cp "$HO_ROOT/kunit/$base_target.kunitconfig" "$obj/last_used_kunitconfig"
	fi
fi

link=$(ho_objlink "$kernel" "$target" "$flavour")
mkdir -p "$(dirname "$link")"
ln -sfn "$obj" "$link"

ho_logged "$log" M -j"$(nproc)" || ho_die "build of $kernel $target-$flavour failed (full log: $log)"
verify_config || ho_die "configuration of $kernel $target-$flavour changed during the build"
# modpost warns of exports it should never see (an __init function exported,
# a section mismatch): with modules those are defects, not noise.  What it
# said is kept until it runs again, so that a rebuild that does not run it
# still fails.
warned=$obj/.handover-modpost-warnings
if grep -q '^WARNING: modpost:' "$log"; then
	grep -A2 '^WARNING: modpost:' "$log" >"$warned"
elif grep -q 'MODPOST' "$log"; then
	rm -f "$warned"
fi
if [ -s "$warned" ]; then
	sed 's/^/    | /' "$warned" >&2
	ho_die "modpost warned while building $kernel $target-$flavour (full log: $log)"
fi
image=$(ho_image "$target")
echo "build: $kernel $target-$flavour: $(du -k "$obj/$image" | cut -f1) KiB ${image##*/} in ${link#"$HO_ROOT"/}"
