# SPDX-License-Identifier: GPL-2.0-only
"""Network boot (docs/boot.md, "Network boot"): QEMU with no disk, iPXE's
EFI ROM on an e1000, QEMU's user network and TFTP server serving a
directory laid out as `make netboot` lays out build/netboot/. The
netbooted application checks its bundle exactly as a disk-booted one.
"""

import shutil

from cli_session import cli_policy, command, expect_prompt, shutdown
from harness import ROOT, native_policy
import qemu_extras


def _netboot(t, emulator='qemu', edit=None, policy=None, files=None):
    """Builds the test's application (by default: hello and its policy),
    lays out workdir/tftp like build/netboot/ and boots it with no disk;
    returns the machine once iPXE has fetched the application."""
    if policy is None:
        policy = native_policy([('hello', 'hello.elf', '2M')])
        files = {'hello.elf': t.guest('hello')}
    t.build_image(cmdline='panic=poweroff', files=files, policy=policy, edit=edit)
    tftp = t.workdir / 'tftp'
    tftp.mkdir()
    shutil.copy(ROOT / 'firmware' / 'netboot' / 'boot.ipxe', tftp / 'boot.ipxe')
    shutil.copy(t.workdir / 'BOOTX64.EFI', tftp / 'BOOTX64.EFI')
    m = t.boot(emulator, None, qemu_args=qemu_extras.netboot_args(str(tftp)))
    t.expect_boot(m, r'tftp://10\.0\.2\.2/boot\.ipxe\.\.\. ok')
    t.expect(m, r'BOOTX64\.EFI\.\.\. ok')
    return m


def test_qemu_netboot_runs_the_system(t):
    m = _netboot(t)
    t.expect(m, r'bulkhead-efi: bundle: 3 files verified')
    t.expect(m, r'bulkhead: kernel started')
    t.expect(m, r'policy: policy\.bin accepted: 1 VMs')
    t.expect(m, r'bulkhead: AMD-V and NPT ready')
    t.expect(m, r'^hello: hello from hello \(vm 1\)$')
    t.expect(m, r'^vm hello: stopped: exited with status 0$')
    t.expect_poweroff(m)


def test_qemu_netboot_refuses_a_corrupt_bundle(t):
    def edit(bundle):
        data = bytearray((bundle / 'hello.elf').read_bytes())
        data[len(data) // 2] ^= 0x01
        (bundle / 'hello.elf').write_bytes(bytes(data))
    m = _netboot(t, edit=edit)
    t.expect(m, r"bulkhead-efi: error: bundle file 'hello\.elf' is corrupt")
    m.kill()
    t.expect_absent(m, r'bulkhead: kernel started', 'the kernel started from a corrupt bundle')


def test_qemu_netboot_reaches_the_prompt(t):
    """All the way to the control VM's prompt, over the network, under
    QEMU's AMD-V; then the CLI launches hello and shuts down."""
    policy = cli_policy([('hello', 'hello.elf', '2M')])
    m = _netboot(t, policy=policy,
                 files={'cli.elf': t.guest('cli'), 'hello.elf': t.guest('hello')})
    expect_prompt(t, m)
    command(t, m, 'launch hello', r'^launched hello from hello \(id \d+\)$')
    shutdown(t, m)
