# SPDX-License-Identifier: GPL-2.0-only
"""The IOMMU (docs/iommu.md) under QEMU's TCG with the AMD-V back end: with
QEMU's intel-iommu the kernel finds the VT-d unit in the ACPI DMAR, with
its amd-iommu the AMD-Vi unit in the ACPI IVRS; either way it turns on DMA
and interrupt remapping with every device in the blocking domain, and the
system runs as before; without one the kernel says it found none.
QEMU only: Bochs has no IOMMU, and its paths must keep booting without one
(every other Bochs test is that check)."""

import re

from cli_session import LOG, cli_policy, command, expect_prompt, shutdown

INTEL_IOMMU = ['-device', 'intel-iommu,intremap=on']
ON_LINE = (r'^iommu: VT-d at 0xfed90000: DMA and interrupt remapping on, every device '
           r'blocked \(3-level tables\)$')
AMD_IOMMU = ['-device', 'amd-iommu,intremap=on']
AMD_ON_LINE = (r'^iommu: AMD-Vi at 0xfed80000: DMA and interrupt remapping on, every device '
               r'blocked \(4-level tables\)$')
NONE_LINE = (r'^iommu: no IOMMU found \(no ACPI DMAR or IVRS table\): device DMA is not '
             r'confined$')


def _boot(t, qemu_args):
    policy = cli_policy([('hello', 'hello.elf', '2M')])
    files = {'cli.elf': t.guest('cli'), 'hello.elf': t.guest('hello')}
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files=files)
    return t.boot('qemu', image, qemu_args=qemu_args)


def _hello_and_shutdown(t, m):
    expect_prompt(t, m)
    command(t, m, 'launch hello', r'^launched hello from hello \(id \d+\)$',
            LOG + r'hello: hello from hello \(vm \d+\)$',
            LOG + r'vm hello: stopped: exited with status 0$')
    shutdown(t, m)
    t.expect_absent(m, r'EXCEPTION', 'a clean boot must not fault')


def test_qemu_iommu_on(t):
    """With intel-iommu: the init line, no fault from any device, and the
    control VM and a launched VM run as without it."""
    m = _boot(t, INTEL_IOMMU)
    _hello_and_shutdown(t, m)
    if not m.seen(ON_LINE):
        t.fail('the kernel did not report VT-d on')
    t.expect_absent(m, r'^iommu: fault', 'no device does DMA or sends MSIs here')
    t.expect_absent(m, re.escape('iommu: no IOMMU found'), 'QEMU has a DMAR here')


def test_qemu_amdvi_on(t):
    """With amd-iommu: the AMD-Vi init line, no fault from any device (the
    unit's own PCI function included), and the control VM and a launched VM
    run as without it."""
    m = _boot(t, AMD_IOMMU)
    _hello_and_shutdown(t, m)
    if not m.seen(AMD_ON_LINE):
        t.fail('the kernel did not report AMD-Vi on')
    t.expect_absent(m, r'^iommu: fault', 'no device does DMA or sends MSIs here')
    t.expect_absent(m, r'VT-d', 'QEMU has no DMAR here')


def test_qemu_iommu_absent(t):
    """Without an IOMMU: one line saying none was found; the system runs."""
    m = _boot(t, [])
    _hello_and_shutdown(t, m)
    if not m.seen(NONE_LINE):
        t.fail('the kernel did not say that it found no IOMMU')
