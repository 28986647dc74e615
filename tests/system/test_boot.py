# SPDX-License-Identifier: GPL-2.0-only
"""Booting to the kernel and powering off, with VT-x, with AMD-V, and with
neither."""

from harness import line_with


def test_qemu_no_virt(t):
    """A CPU with neither VT-x nor AMD-V (QEMU's TCG with SVM taken out):
    the kernel must say what each lacks and power off cleanly instead of
    failing somewhere in VMX or SVM set-up."""
    m = t.boot('qemu', t.build_image(cmdline=''), qemu_cpu='max,-svm')
    t.expect_boot(m)
    t.expect(m, line_with('cpu: ', 'vmx=no'))
    t.expect(m, line_with('cpu: ', 'svm=no'))
    t.expect(m, r'no hardware virtualization \(VT-x not available: .*; AMD-V not available')
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)
    t.expect_absent(m, r'EXCEPTION', 'a clean boot must not fault')


def test_qemu_svm(t):
    """QEMU's TCG emulates AMD-V with nested paging: the kernel must pick the
    SVM back end, say so, and get it ready."""
    m = t.boot('qemu', t.build_image(cmdline=''))
    t.expect_boot(m)
    t.expect(m, line_with('cpu: ', 'svm=yes', 'npt=yes'))
    t.expect(m, r'bulkhead: using AMD-V and NPT')
    t.expect(m, r'bulkhead: AMD-V and NPT ready')
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
