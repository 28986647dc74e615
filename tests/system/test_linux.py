# SPDX-License-Identifier: GPL-2.0-only
"""Linux VMs (docs/monitor.md): Debian's stock kernel and the initramfs
built by `make linux-guest` run in a VM whose devices the monitor
(vmm.elf) emulates."""

import harness
from harness import on_each_platform
from cli_session import CONTROL_RIGHTS, command, expect_prompt, type_line

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


@on_each_platform(globals())
def linux_boots_to_its_initramfs(t, p):
    """The guest reaches /init and its first line appears under its name."""
    image = t.build_image(cmdline='panic=poweroff', policy='machine memory 512M;\n' + linux_vm('linux'),
                          files=linux_files(t))
    m = t.boot(p.emu, image, memory_mb=512, **p.boot_args)
    t.expect_boot(m)
    t.expect(m, r'^linux: bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)


def cli_linux_policy(extra=''):
    """The control VM and a Linux template it may launch."""
    return ('machine memory 512M;\npool runtime memory 200M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {CONTROL_RIGHTS}; }}\n' +
            linux_vm('linux').replace('boot yes', 'boot no') + extra +
            'launch control { vms linux; max-vms 2; max-memory 200M; }\n')


def boot_linux_cli(t, p, policy):
    files = linux_files(t)
    files['cli.elf'] = t.guest('cli')
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files=files)
    return expect_prompt(t, t.boot(p.emu, image, memory_mb=768, **p.boot_args))


@on_each_platform(globals(), platforms=('qemu',))
def launch_attach_type_and_poweroff(t, p):
    """`launch linux`, `exits linux`, then `attach linux`: the busybox shell answers a
    command typed on the console with the Debian kernel's uname; the
    guest's own `poweroff -f` stops the pair and ends the attach."""
    m = boot_linux_cli(t, p, cli_linux_policy())
    command(t, m, 'launch linux', r'^launched linux from linux \(id \d+\)$')
    t.expect(m, r'linux: bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)
    # Its exits so far, by kind (make bench reads them): a booted kernel
    # has asked CPUID and touched its UART's ports.
    command(t, m, 'exits linux', r'^exits linux: [1-9]\d* in [1-9]\d* ns since its creation; '
            r'io [1-9]\d* mmio \d+ hlt \d+ cpuid [1-9]\d* msr \d+ cr \d+ window \d+ '
            r'preempt \d+ other \d+$')
    command(t, m, 'exits nosuch', r"^exits: no VM called nosuch; 'list' shows them$")
    type_line(t, m, 'attach linux')
    t.expect(m, r'^attached to linux; Ctrl-\] detaches$')
    m.send('\r')
    m.send('uname -a\r')
    t.expect(m, r'Linux \S+ 6\.1\.\d+-\d+-amd64 #1 SMP .* x86_64 GNU/Linux')
    m.send('poweroff -f\r')
    t.expect(m, r'vm linux: stopped: powered off')
    t.expect(m, r'linux has stopped; detached')
