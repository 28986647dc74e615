# SPDX-License-Identifier: GPL-2.0-only
"""Faults in the kernel are reported, not silent: debug.fault=KIND makes the
kernel fault on purpose, and panic=poweroff turns the panic that follows
into a power-off the test can wait for."""


def _expect_exception(t, emulator, fault, *patterns):
    m = t.boot(emulator, t.build_image(cmdline=f'debug.fault={fault} panic=poweroff'))
    t.expect_boot(m)
    for p in patterns:
        t.expect(m, p)
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)
    return m


def test_qemu_exception_ud(t):
    _expect_exception(t, 'qemu', 'ud', r'EXCEPTION #UD', r'rip=')


def test_qemu_exception_null(t):
    _expect_exception(t, 'qemu', 'null', r'EXCEPTION #PF', r'cr2=0x0000000000000000')


def test_qemu_exception_wx(t):
    # A write to the kernel's own text must fault: text is mapped W^X.
    m = _expect_exception(t, 'qemu', 'wx', r'EXCEPTION #PF')
    # If the report shows the error code, it must be a write (bit 1, SDM
    # Vol. 3A 4.7) to a present page (bit 0): not a fault for another reason.
    code = m.seen(r'EXCEPTION #PF.*\berror(?:[ _]?code)?[=:] ?(0x[0-9a-fA-F]+)')
    if code and int(code.group(1), 16) & 0x3 != 0x3:
        t.fail(f'the #PF is not a write to a present page: {code.group(0)!r}')


def test_bochs_exception_ud(t):
    # Same fault on the VT-x path (Bochs), where VMX is set up before it.
    _expect_exception(t, 'bochs', 'ud', r'EXCEPTION #UD', r'rip=')

