# SPDX-License-Identifier: GPL-2.0
# kunit.py QEMU config for the mips-malta and mips-highmem targets
# (qemu_mips-highmem.py links here): 512M on QEMU's Malta (24Kf), so that
# 256 MiB of RAM lies from 0x90000000, above lowmem.  The Kconfig options
# live in kunit/mips-*.kunitconfig and configs/, so that our configured
# build dir is kept as it is.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='mips',
			   kconfig='',
			   qemu_arch='mipsel',
			   kernel_path='vmlinux',
			   kernel_command_line='console=ttyS0',
			   extra_qemu_params=['-m', '512M', '-machine', 'malta',
					      '-cpu', '24Kf', '-accel', 'tcg'])
