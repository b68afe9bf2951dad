# SPDX-License-Identifier: GPL-2.0
# kunit.py QEMU config for the arm-highmem target: 2G of RAM on the virt machine, so that
# about 1.2 GiB is highmem.
# The Kconfig options live in kunit/arm-highmem.kunitconfig and configs/, so that
# our configured build dir is kept as it is.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='arm',
			   kconfig='',
			   qemu_arch='arm',
			   kernel_path='arch/arm/boot/zImage',
			   kernel_command_line='console=ttyAMA0',
			   extra_qemu_params=['-m', '2G', '-machine', 'virt,highmem=off',
					      '-cpu', 'cortex-a15', '-accel', 'tcg'])
