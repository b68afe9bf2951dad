# SPDX-License-Identifier: GPL-2.0
# kunit.py QEMU config for the i386-pae target: 6G of RAM on the pc machine, highmem above 4 GiB.
# The Kconfig options live in kunit/i386-pae.kunitconfig and configs/, so that
# our configured build dir is kept as it is.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='i386',
			   kconfig='',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0 debug_pagealloc=on debug_guardpage_minorder=1 page_alloc.shuffle=1',
			   extra_qemu_params=['-m', '6G', '-machine', 'pc',
					      '-accel', 'tcg'])
