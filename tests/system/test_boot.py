# SPDX-License-Identifier: GPL-2.0-only
"""Booting to the kernel and powering off, with and without VT-x."""

from harness import line_with


def test_qemu_no_vtx(t):
    """QEMU (TCG) never offers VT-x: the kernel must say so and power off
    cleanly instead of failing somewhere in VMX set-up."""
    m = t.boot('qemu', t.build_image(cmdline=''))
    t.expect_boot(m)
    t.expect(m, line_with('cpu: ', 'vmx=no'))
    t.expect(m, r'VT-x not available')
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)
    t.expect_absent(m, r'EXCEPTION', 'a clean boot must not fault')


def test_bochs_vtx(t):
    """Bochs's Skylake-X model has VT-x with EPT: the kernel must find both
    and get VMX ready."""
    m = t.boot('bochs', t.build_image(cmdline=''))
    t.expect_boot(m)
    t.expect(m, line_with('cpu: ', 'vmx=yes', 'ept=yes'))
    t.expect(m, r'bulkhead: VT-x and EPT ready')
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)
    t.expect_absent(m, r'EXCEPTION', 'a clean boot must not fault')
