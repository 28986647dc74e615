# SPDX-License-Identifier: GPL-2.0-only
"""Linux VMs (docs/monitor.md): Debian's stock kernel and the initramfs
built by `make linux-guest` run in a VM whose devices the monitor
(vmm.elf) emulates."""

import harness
from harness import on_each_platform

LINUX = harness.ROOT / 'build' / 'linux'


def linux_files(t):
    vmlinux, initramfs = LINUX / 'vmlinux', LINUX / 'initramfs.cpio.gz'
    if not vmlinux.exists() or not initramfs.exists():
        t.fail('the Linux guest is not built: make linux-guest')
    return {'vmlinux': vmlinux.read_bytes(), 'initramfs.cpio.gz': initramfs.read_bytes(),
            'vmm.elf': t.guest('vmm')}


def linux_vm(name, memory='128M', cmdline='quiet', extra=''):
    return (f'vm {name} {{ kind linux; kernel vmlinux; initramfs initramfs.cpio.gz; '
            f'cmdline "{cmdline}"; memory {memory}; boot yes; '
            f'monitor {{ image vmm.elf; memory 8M; }} {extra}}}\n')


@on_each_platform(globals(), platforms=('qemu',))
def linux_boots_to_its_initramfs(t, p):
    """The guest reaches /init and its first line appears under its name."""
    image = t.build_image(cmdline='panic=poweroff', policy='machine memory 512M;\n' + linux_vm('linux'),
                          files=linux_files(t))
    m = t.boot(p.emu, image, memory_mb=512, **p.boot_args)
    t.expect_boot(m)
    t.expect(m, r'^linux: bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)
