# SPDX-License-Identifier: GPL-2.0-only
"""Helpers for tests and benchmarks with Linux VMs (docs/monitor.md): the
guest's files, policy text for Linux VMs, and driving a VM's shell through
the CLI's attach (docs/cli.md)."""

import re
import time

import harness
from cli_session import CONTROL_RIGHTS, expect_prompt, type_line

LINUX = harness.ROOT / 'build' / 'linux'


def linux_files(t):
    """The bundle files a Linux VM needs: the kernel, the initramfs (built by
    `make linux-guest`) and the monitor."""
    vmlinux, initramfs = LINUX / 'vmlinux', LINUX / 'initramfs.cpio.gz'
    if not vmlinux.exists() or not initramfs.exists():
        t.fail('the Linux guest is not built: make linux-guest')
    return {'vmlinux': vmlinux.read_bytes(), 'initramfs.cpio.gz': initramfs.read_bytes(),
            'vmm.elf': t.guest('vmm')}


def linux_vm(name, memory='128M', cmdline='quiet', extra=''):
    """Policy text: a Linux VM started at boot, with extra properties
    (virtio devices) verbatim."""
    return (f'vm {name} {{ kind linux; kernel vmlinux; initramfs initramfs.cpio.gz; '
            f'cmdline "{cmdline}"; memory {memory}; boot yes; '
            f'monitor {{ image vmm.elf; memory 8M; }} {extra}}}\n')


def cli_linux_policy(extra=''):
    """The control VM and a Linux template it may launch."""
    return ('machine memory 512M;\npool runtime memory 200M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {CONTROL_RIGHTS}; }}\n' +
            linux_vm('linux').replace('boot yes', 'boot no') + extra +
            'launch control { vms linux; max-vms 2; max-memory 200M; }\n')


def boot_linux_cli(t, p, policy):
    """Boots policy (with a control VM) on platform p with the Linux files
    and the CLI; returns the machine at the CLI's first prompt."""
    files = linux_files(t)
    files['cli.elf'] = t.guest('cli')
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files=files)
    return expect_prompt(t, t.boot(p.emu, image, memory_mb=768, **p.boot_args))


DETACH = '\x1d'   # Ctrl-]


def shell(t, m, line, *patterns, timeout=None):
    """Types line into the attached VM's shell and expects each regex."""
    m.send(line + '\r')
    return [t.expect(m, p, timeout) for p in patterns]


def attach_shell(t, m, name, p):
    """`attach name`, then Enter, and waits for the shell's prompt."""
    type_line(t, m, f'attach {name}')
    t.expect(m, rf'^attached to {name}; Ctrl-\] detaches$')
    m.send('\r')
    t.expect(m, r'# ', timeout=p.step_timeout)


def wait_for_init(t, m, names, timeout):
    """Waits until each of the Linux VMs names has reached its /init, in
    whatever order they boot."""
    deadline = time.monotonic() + timeout
    for name in names:
        pattern = rf'{re.escape(name)}: bulkhead-linux: /init reached'
        while not m.seen(pattern):
            if time.monotonic() > deadline:
                t.fail(f'{name} did not reach its /init within {timeout:.0f} s')
            if m.exited:
                t.fail(f'the machine stopped before {name} reached its /init')
            time.sleep(0.5)

