# SPDX-License-Identifier: GPL-2.0-only
"""Faults in the kernel are reported, not silent: debug.fault=KIND makes the
kernel fault on purpose, and panic=poweroff turns the panic that follows
into a power-off the test can wait for. Each report ends in a backtrace
symbolized from the table the build links into the kernel (#0 the faulting
function, then its callers up to the kernel's entry)."""

from harness import BASIC_RIGHTS

# Backtrace lines: "  #N 0x<address> <function>+0x<offset>".
def _frame(n, function):
    return rf'^  #{n} 0x[0-9a-f]{{16}} {function}\+0x[0-9a-f]+$'


# The fault raised from kernel_main, reached from the entry stub.
FAULT_TRACE = (_frame(0, 'arch_trigger_fault'), _frame(1, 'kernel_main'),
               _frame(2, 'kernel_entry'))


def _expect_exception(t, emulator, fault, *patterns, cpus=1, **image):
    m = t.boot(emulator, t.build_image(cmdline=f'debug.fault={fault} panic=poweroff', **image),
               cpus=cpus)
    t.expect_boot(m)
    for p in patterns:
        t.expect(m, p)
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)
    return m


def test_qemu_exception_ud(t):
    _expect_exception(t, 'qemu', 'ud', r'EXCEPTION #UD', r'rip=', *FAULT_TRACE)


def test_qemu_exception_null(t):
    _expect_exception(t, 'qemu', 'null', r'EXCEPTION #PF', r'cr2=0x0000000000000000',
                      *FAULT_TRACE)


def test_qemu_exception_stack(t):
    # A stack overflow is reported on the #DF stack; the walk starts from the
    # overflowing frame pointer, must stay off the guard page and stops after
    # a bounded number of frames.
    m = _expect_exception(t, 'qemu', 'stack', r'EXCEPTION #(?:PF|DF)',
                          _frame(0, 'recurse_deep'), _frame(1, 'recurse_deep'),
                          r'more frames not shown')
    if m.output.count('EXCEPTION #') != 1:
        t.fail('a second exception while reporting the first: the backtrace faulted')


def test_qemu_exception_stack_on_an_ap(t):
    # CPU 1's stack sits in a slot of its own with an unmapped page below
    # it: its overflow faults there too, instead of running into the
    # frames below its stack, and the walk stays on that stack.
    m = _expect_exception(t, 'qemu', 'stack debug.fault-cpu=1',
                          r'bulkhead: debug.fault=stack: left for cpu 1',
                          r'smp: cpu 1 \(APIC ID 1\) started', r'EXCEPTION #(?:PF|DF)',
                          _frame(0, 'recurse_deep'), _frame(1, 'recurse_deep'),
                          r'more frames not shown', cpus=2,
                          # A VM on CPU 1 keeps the machine on until CPU 1 runs.
                          policy=f'vm hello {{ kind native; image hello.elf; memory 2M; '
                                 f'boot yes; cpu 1; rights {BASIC_RIGHTS}; }}\n',
                          files={'hello.elf': t.guest('hello')})
    if m.output.count('EXCEPTION #') != 1:
        t.fail('a second exception while reporting the first: the backtrace faulted')
    # KERNEL_AP_STACKS + one 64 KiB slot: CPU 1's guard page.
    found = m.seen(r'EXCEPTION #(?:PF|DF).*cr2=0x([0-9a-f]{16})')
    if not found or int(found.group(1), 16) >> 12 != 0xffffff8000010000 >> 12:
        t.fail('the fault is not in CPU 1\'s guard page: '
               f'{found.group(0) if found else "no cr2 shown"!r}')


def test_qemu_a_bad_fault_cpu_is_refused(t):
    # Not an application processor: said, and no fault is raised anywhere.
    m = t.boot('qemu', t.build_image(cmdline='debug.fault=stack debug.fault-cpu=0 '
                                             'panic=poweroff'), cpus=2)
    t.expect_boot(m)
    t.expect(m, r'bulkhead: debug.fault-cpu=0: not an application processor \(1 to 63\); '
             r'the fault is not raised')
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)
    t.expect_absent(m, r'EXCEPTION #', 'a fault was raised all the same')


def test_qemu_panic_backtrace(t):
    # panic() prints its caller chain too.
    m = t.boot('qemu', t.build_image(cmdline='debug.fault=panic panic=poweroff'))
    t.expect_boot(m)
    for p in (r'bulkhead: PANIC: debug.fault=panic', _frame(0, 'panic'),
              _frame(1, 'arch_trigger_fault'), _frame(2, 'kernel_main')):
        t.expect(m, p)
    t.expect_poweroff(m)


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
    _expect_exception(t, 'bochs', 'ud', r'EXCEPTION #UD', r'rip=', *FAULT_TRACE)

