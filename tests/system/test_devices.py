# SPDX-License-Identifier: GPL-2.0-only
"""Device grants at boot (docs/design.md, "Devices and DMA"), under QEMU's
TCG with the AMD-V back end and its e1000e at 00:03.0: a grant is honoured
only with an IOMMU confining the function, or on a machine the policy
declares unprotected, which is logged as unsafe; a grant that cannot be
honoured keeps its VM from starting, with a line saying why, and costs the
other VMs nothing. What a VM holding the NIC can and cannot do with it is
in test_netvm.py."""

from harness import native_policy

NIC = '00:03.0'
GRANT = f'device nic {{ pci {NIC}; to hello; }}\n'


def _boot(t, policy, iommu):
    files = {'hello.elf': t.guest('hello'), 'ticker.elf': t.guest('ticker')}
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files=files)
    return t.boot('qemu', image, iommu=iommu, nic=True)


def _two_vms(extra):
    return native_policy([('hello', 'hello.elf', '2M'), ('ticker', 'ticker.elf', '2M')],
                         extra=extra)


def test_qemu_device_confined_by_the_iommu(t):
    """With VT-d: the function is found, its BARs placed in the device
    window, its DMA confined, and the VM holding it runs."""
    m = _boot(t, _two_vms(GRANT), iommu=True)
    t.expect(m, r'^device nic: 00:03.0 BAR0 host 0x[0-9a-f]+, 128 KiB, at guest 0xe0000000$')
    t.expect(m, r'^device nic: 00:03.0 \(8086:10d3\) for hello, bus 0 device 1, '
                r'DMA confined by the IOMMU$')
    t.expect(m, r'^vm hello: holds device nic \(00:03.0\) as bus 0 device 1$')
    t.expect(m, r'^hello: hello from hello')
    t.expect(m, r'^vm hello: reclaimed')
    t.expect(m, r'^ticker: tick 3')
    t.expect_absent(m, r'UNSAFE', 'the IOMMU confines the device')


def test_qemu_device_refused_without_an_iommu(t):
    """No IOMMU and no 'machine iommu unprotected': the grant is refused at
    boot, its VM does not start, and the other VM runs."""
    m = _boot(t, _two_vms(GRANT), iommu=False)
    t.expect(m, r"^device nic: not granted to hello: no IOMMU confines its DMA; a policy "
                r"may grant devices without one only if it declares "
                r"'machine iommu unprotected;'$")
    t.expect(m, r'^vm hello: not started: its device nic \(00:03.0\) cannot be granted')
    t.expect(m, r'^ticker: tick 3')
    t.expect_absent(m, r'hello: hello from hello', 'hello must not run without its device')


def test_qemu_device_unprotected_machine_is_logged_unsafe(t):
    """'machine iommu unprotected;' on a machine without an IOMMU: the grant
    goes through, and the boot log says the DMA is not confined."""
    m = _boot(t, _two_vms(GRANT + 'machine iommu unprotected;\n'), iommu=False)
    t.expect(m, r'^bulkhead: UNSAFE: device DMA is not confined')
    t.expect(m, r'^device nic: 00:03.0 \(8086:10d3\) for hello, bus 0 device 1, '
                r'DMA NOT confined \(unprotected\)$')
    t.expect(m, r'^hello: hello from hello')


def test_qemu_device_missing_function_is_refused(t):
    """A grant naming a function the machine lacks: refused by name."""
    m = _boot(t, _two_vms('device ghost { pci 00:05.0; to hello; }\n'), iommu=True)
    t.expect(m, r'^device ghost: not granted to hello: no PCI function at 00:05.0$')
    t.expect(m, r'^vm hello: not started: its device ghost \(00:05.0\) cannot be granted')
    t.expect(m, r'^ticker: tick 3')
