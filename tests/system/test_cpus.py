# SPDX-License-Identifier: GPL-2.0-only
"""The CPUs the firmware describes: the UEFI stage lists them from UEFI MP
Services for the kernel (docs/boot.md, "The boot-info structure"), the
kernel logs the ACPI MADT's count beside it, and starts every other CPU
on the list to run VMs (docs/design.md, "CPUs"). test_smp.py has what two
CPUs do for VMs."""

from harness import native_policy


def test_qemu_two_cpus_are_counted_and_the_system_runs(t):
    """QEMU with -smp 2: MP Services names both CPUs to the UEFI stage, the
    MADT's two CPUs are counted, the kernel starts the second with AMD-V on,
    hello runs."""
    policy = native_policy([('hello', 'hello.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'hello.elf': t.guest('hello')})
    m = t.boot('qemu', image, cpus=2)
    t.expect(m, r'^bulkhead-efi: 2 CPUs \(APIC IDs 0 1\)$')
    t.expect(m, r'^acpi: 2 CPUs in the MADT$')
    t.expect(m, r'^smp: cpu 1 \(APIC ID 1\) started, AMD-V and NPT on$')
    t.expect(m, r'^bulkhead: 2 CPUs run VMs$')
    t.expect(m, r'^hello: hello from hello')
    t.expect_poweroff(m)


def test_qemu_one_cpu_is_counted(t):
    """QEMU with one CPU: the UEFI stage and the MADT both see one CPU."""
    policy = native_policy([('hello', 'hello.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'hello.elf': t.guest('hello')})
    m = t.boot('qemu', image)
    t.expect(m, r'^bulkhead-efi: 1 CPU \(APIC IDs 0\)$')
    t.expect(m, r'^acpi: 1 CPU in the MADT$')
    t.expect(m, r'^bulkhead: 1 CPU run VMs$')
    t.expect(m, r'^hello: hello from hello')


def test_bochs_two_cpus_with_vtx_boot_and_run(t):
    """Bochs corei7_skylake_x with cpu count=2 (both CPUs report VMX): OVMF
    boots, the UEFI stage learns both CPUs from MP Services, the kernel
    turns VT-x on, starts the second CPU with VT-x on, and runs hello. (OVMF publishes no ACPI
    tables under Bochs: no MADT line here; MP Services is the only source.)"""
    policy = native_policy([('hello', 'hello.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'hello.elf': t.guest('hello')})
    m = t.boot('bochs', image, cpus=2)
    t.expect_boot(m, r'^bulkhead-efi: 2 CPUs \(APIC IDs 0 1\)$')
    t.expect(m, r'^bulkhead: VT-x and EPT ready', timeout=240)
    t.expect(m, r'^smp: cpu 1 \(APIC ID 1\) started, VT-x and EPT on$', timeout=60)
    t.expect(m, r'^bulkhead: 2 CPUs run VMs$')
    t.expect(m, r'^hello: hello from hello', timeout=60)
    t.expect_poweroff(m)
