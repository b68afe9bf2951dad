# SPDX-License-Identifier: GPL-2.0
# kunit.py QEMU config for the i386-highmem target: 2G of RAM on the pc machine, so that about 1.1 GiB is highmem.
# The Kconfig options live in kunit/i386-highmem.kunitconfig and configs/, so that
# our configured build dir is kept as it is.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='i386',
			   kconfig='',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0 debug_pagealloc=on debug_guardpage_minorder=1',
			   extra_qemu_params=['-m', '2G', '-machine', 'pc',
					      '-accel', 'tcg'])
