# SPDX-License-Identifier: GPL-2.0
# kunit.py QEMU config for the x86_64 target: 6G of RAM on the q35 machine, so that ZONE_NORMAL starts at 4 GiB.
# The Kconfig options live in kunit/x86_64.kunitconfig and configs/, so that
# our configured build dir is kept as it is.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0 debug_pagealloc=on debug_guardpage_minorder=1 page_alloc.shuffle=1',
			   extra_qemu_params=['-m', '6G', '-machine', 'q35',
					      '-accel', 'tcg'])
