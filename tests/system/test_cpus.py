# SPDX-License-Identifier: GPL-2.0-only
"""The CPUs the firmware describes (the ACPI MADT): the kernel counts and
names them at boot, and runs every VM on the boot CPU (docs/design.md,
"Objects the kernel knows"); a machine with more CPUs boots the same."""

from harness import native_policy


def test_qemu_two_cpus_are_counted_and_the_system_runs(t):
    """QEMU with -smp 2: the MADT's two CPUs are counted, hello runs."""
    policy = native_policy([('hello', 'hello.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'hello.elf': t.guest('hello')})
    m = t.boot('qemu', image, cpus=2)
    t.expect(m, r'^acpi: 2 CPUs in the MADT; VMs run on the boot CPU only$')
    t.expect(m, r'^hello: hello from hello')
    t.expect_poweroff(m)


def test_qemu_one_cpu_is_counted(t):
    """QEMU with one CPU: the MADT's single CPU is counted."""
    policy = native_policy([('hello', 'hello.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'hello.elf': t.guest('hello')})
    m = t.boot('qemu', image)
    t.expect(m, r'^acpi: 1 CPU in the MADT; VMs run on the boot CPU only$')
    t.expect(m, r'^hello: hello from hello')

