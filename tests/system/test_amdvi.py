# SPDX-License-Identifier: GPL-2.0-only
"""Device grants confined by AMD-Vi (docs/iommu.md) instead of VT-d: QEMU's
amd-iommu, found in the ACPI IVRS, with the same e1000e at 00:03.0. The
checks are those of test_devices.py and test_netvm.py, run on a QEMU
platform whose machine has Machine(iommu='amd'):

  qemu_amdvi_device_confined  the grant is honoured, DMA confined by the
                  IOMMU, and the VM holding the NIC runs
  qemu_amdvi_app_fetch        netvm_app_fetches_through_driver_vm: the
                  driver VM's e1000e gets its MSI-X interrupts through
                  AMD-Vi's interrupt remapping and moves 4 MiB intact
  qemu_amdvi_relaunch         netvm_relaunch: the NIC goes back to the
                  blocking domain when netvm stops and to a new domain when
                  it is launched again; its interrupt table is reused
  qemu_amdvi_dma_attack       netvm_dma_attack, but for the fault lines:
                  the probe's own ring works, its rings outside its VM do
                  not reach memory, and the witness's pattern stays intact.
                  QEMU 7.2's amd-iommu blocks those reads (its trace shows
                  amdvi_page_fault) but writes no entry to the event log
                  (EventLogRun set, the log stays empty: its overflow check
                  is always taken, docs/iommu.md), so the kernel has no
                  fault to log there; only the event decoder is checked,
                  by the host unit tests (amdvi_entries_test.c).
"""

import test_devices
import test_netvm
from cli_session import LOG, command, shutdown
from harness import Platform
from netvm_session import boot_net

AMDVI_QEMU = Platform('qemu', 'AMD-V and NPT', 'NPT', iommu='amd')


def test_qemu_amdvi_device_confined(t):
    """test_qemu_device_confined_by_the_iommu with AMD-Vi."""
    m = test_devices._boot(t, test_devices._two_vms(test_devices.GRANT), iommu='amd')
    t.expect(m, r'^iommu: AMD-Vi at 0x[0-9a-f]+: DMA and interrupt remapping on')
    t.expect(m, r'^device nic: 00:03.0 \(8086:10d3\) for hello, bus 0 device 1, '
                r'DMA confined by the IOMMU$')
    t.expect(m, r'^vm hello: holds device nic \(00:03.0\) as bus 0 device 1$')
    t.expect(m, r'^hello: hello from hello')
    t.expect(m, r'^vm hello: reclaimed')
    t.expect(m, r'^ticker: tick 3')
    t.expect_absent(m, r'UNSAFE', 'the IOMMU confines the device')
    t.expect_absent(m, r'VT-d', 'QEMU has no DMAR here')


def test_qemu_amdvi_app_fetch(t):
    """netvm_app_fetches_through_driver_vm with AMD-Vi."""
    test_netvm.netvm_app_fetches_through_driver_vm(t, AMDVI_QEMU)


def test_qemu_amdvi_relaunch(t):
    """netvm_relaunch with AMD-Vi."""
    test_netvm.netvm_relaunch(t, AMDVI_QEMU)


def test_qemu_amdvi_dma_attack(t):
    """netvm_dma_attack with AMD-Vi, without the fault lines (see above)."""
    files = {'cli.elf': t.guest('cli'), 'dma-probe.elf': t.guest('dma-probe')}
    m = boot_net(t, AMDVI_QEMU, policy=test_netvm.DMA_POLICY.read_text(), files=files,
                 memory_mb=512)
    t.expect(m, LOG + r'dma-witness: witness: intact')
    host = int(m.seen(r'^vm dma-witness: created: id \d+, \d+ MiB at host (0x[0-9a-f]+)')
               .group(1), 16)
    gpa = int(m.seen(r'dma-witness: witness: pattern of \d+ bytes at guest-physical '
                     r'(0x[0-9a-f]+)').group(1), 16)
    target = host + gpa
    name = f'dma-{target:#x}'
    command(t, m, f'launch probe {name}', rf'^launched {name} from probe \(id \d+\)$')
    t.expect(m, LOG + rf'{name}: probe: own ring: descriptor done after \d+ us')
    for address in (test_netvm.OUTSIDE, target):
        t.expect(m, LOG + rf'{name}: probe: ring at {address:#x}, outside this VM')
    t.expect(m, LOG + rf'{name}: probe: done; the device\'s own-ring DMA worked$')
    t.expect(m, LOG + rf'vm {name}: stopped: exited with status 0')
    # A full check of the pattern that began after the attack.
    t.expect(m, LOG + r'dma-witness: witness: intact \(check \d+\)$')
    t.expect(m, LOG + r'dma-witness: witness: intact \(check \d+\)$')
    t.expect_absent(m, r'witness: pattern CHANGED', 'the device wrote into the witness')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
    shutdown(t, m)
