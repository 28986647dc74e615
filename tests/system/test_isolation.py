# SPDX-License-Identifier: GPL-2.0-only
"""Isolation, one test per area, after Muen's
isolation-test subject: memory, I/O ports, MSRs, instructions, hypercalls,
CPU state, CPUID.

Each test runs once per platform (VT-x under Bochs, AMD-V under QEMU) and
boots it once with one VM per probe, all running
guests/apps/isolation/ (the VM's name picks the probe), beside a ticker VM.
A probe says what it is about to do ("NAME: probe: ...") and does it. It
passes when the kernel contains it with the expected log line, the ticker
still ticks afterwards (the rest of the system is unharmed), and nothing
printed "NOT CONTAINED" or "FAIL", panicked or faulted. The ticker never
exits, so the test stops the machine itself.

The kernel's wording (hypervisor/arch/x86/guest_exits.c, kernel/vm.c), the
same on both back ends but for the table's name (EPT or NPT):
    vm NAME: stopped: EPT violation: read at guest-physical 0x... at rip 0x...
    vm NAME: stopped: I/O port 0x3f8 write (1 bytes) denied at rip 0x...
    vm NAME: WRMSR of MSR 0xc0000080 refused: #GP injected, rip 0x...
    vm NAME: write to CR0 refused (0x...): #GP injected, rip 0x...
    vm NAME: debug-register access refused: #GP injected, rip 0x...
    vm NAME: stopped: triple fault (an exception it could not handle) at rip 0x...
    vm NAME: stopped: exited with status 0
"""

import re
import time

import harness
from harness import on_each_platform

MEM = 0x200000          # each probe VM's memory: 2 MiB
TICKS_AFTER = 3         # ticker lines required after the last containment
RIP = r'0x[0-9a-f]+'

BANNED = [
    (r'^.*NOT CONTAINED.*$', 'a probe was not contained'),
    (r'^.*PANIC.*$', 'the kernel panicked'),
    (r'^.*EXCEPTION.*$', 'the kernel faulted'),
    (r'^vm ticker: stopped', 'the ticker was stopped'),
]
FAILED_CHECK = re.compile(r'^([a-z0-9_-]+): FAIL\b.*$', re.M)


def _stopped(name, why):
    return rf'^vm {re.escape(name)}: stopped: {why} at rip {RIP}$'


def _triple_fault(name):
    return _stopped(name, r'triple fault \(an exception it could not handle\)')


def _violation(p, name, kind, gpa):
    return _stopped(name, rf'{p.table} violation: {kind} at guest-physical {gpa:#x}')


def _io(name, port, direction, width, string=False):
    return _stopped(name, rf'I/O port {port:#x} {direction} \({width} bytes'
                          rf'{", string" if string else ""}\) denied')


def _msr(name, op, msr):
    return rf'^vm {re.escape(name)}: {op} of MSR {msr:#x} refused: #GP injected, rip {RIP}$'


def _cr(name, cr, value):
    return (rf'^vm {re.escape(name)}: write to CR{cr} refused \({value:#x}\): '
            rf'#GP injected, rip {RIP}$')


def _exited(name, status=0):
    return rf'^vm {re.escape(name)}: stopped: exited with status {status}$'


def _line(name, text):
    """A line the VM printed itself, as the kernel attributes it."""
    return rf'^{re.escape(name)}: {text}$'


def _fail_early(t, m, final=False):
    """Fails on anything that must never appear. A VM's failed checks fail
    the test once that VM has stopped (so its log is complete), or at the
    end."""
    for pattern, why in BANNED:
        t.expect_absent(m, pattern, why)
    out = m.output
    failed = FAILED_CHECK.findall(out)
    if failed and (final or all(re.search(rf'^vm {re.escape(n)}: stopped', out, re.M)
                                for n in failed)):
        lines = [f.group(0) for f in FAILED_CHECK.finditer(out)]
        t.fail(f'{len(lines)} checks failed:\n  ' + '\n  '.join(lines[:20]))


def _isolation(t, p, probes, alive=(), timeout=None):
    """Boots the probe VMs (probes: {name: [regex, ...]}, the lines the
    kernel must print for it, in order, after the probe's own "probe:"
    line) and the ticker; waits for every line, then for TICKS_AFTER ticks
    after the last one. VMs in alive must announce their probe and never be
    stopped."""
    names = list(probes) + list(alive)
    assert len(names) < 32, 'at most 32 boot VMs (BH_POLICY_MAX_BOOT_VMS), the ticker included'
    vms = [(n, 'isolation.elf', '2M') for n in names] + [('ticker', 'ticker.elf', '2M')]
    image = t.build_image(cmdline='panic=poweroff', policy=harness.native_policy(vms), files={
        'isolation.elf': t.guest('isolation'),
        'ticker.elf': t.guest('ticker'),
    })
    m = p.boot(t, image)
    t.expect_boot(m)
    t.expect(m, p.ready)
    started = time.monotonic()
    timeout = timeout or p.step_timeout

    # Every probe's lines, in any order across VMs, in order within one.
    deadline = time.monotonic() + timeout
    while True:
        out = m.output
        missing, last = [], 0
        for name in names:
            announced = re.search(_line(name, r'probe: .*'), out, re.M)
            if not announced:
                missing.append(f'{name}: its "probe:" line')
                continue
            pos = announced.end()
            for pattern in probes.get(name, []):
                found = re.compile(pattern, re.M).search(out, pos)
                if not found:
                    missing.append(f'{name}: /{pattern}/')
                    break
                pos = found.end()
            last = max(last, pos)
        if not missing:
            break
        _fail_early(t, m, final=m.exited or time.monotonic() > deadline)
        if m.exited:
            t.fail('the machine stopped before every probe was contained; missing:\n  '
                   + '\n  '.join(missing))
        if time.monotonic() > deadline:
            t.fail(f'not every probe was contained within {timeout:g} s; missing:\n  '
                   + '\n  '.join(missing))
        time.sleep(0.5)
    contained = time.monotonic() - started

    # The rest of the system is unharmed: the ticker goes on.
    tick = re.compile(r'^ticker: tick (\d+)$', re.M)
    deadline = time.monotonic() + p.step_timeout
    while len(tick.findall(m.output, last)) < TICKS_AFTER:
        if m.exited or time.monotonic() > deadline:
            t.fail(f'the ticker printed fewer than {TICKS_AFTER} ticks after the last '
                   'containment line')
        time.sleep(0.5)
    m.kill()

    _fail_early(t, m, final=True)
    for name in alive:
        t.expect_absent(m, rf'^vm {re.escape(name)}: stopped', f'{name} must never stop')
    for name in probes:
        t.expect_absent(m, rf'^vm {re.escape(name)}: not started', f'{name} did not start')
    ticks = tick.findall(m.output)
    t.note(f'{len(names)} probe VMs contained {contained:.1f} s after {p.backend} was ready; '
           f'ticker at tick {ticks[-1]}; machine ran {time.monotonic() - m.started_at:.1f} s')
    return m


@on_each_platform(globals())
def isolation_memory(t, p):
    """Reads, writes and fetches outside the VM's memory, after the probe
    mapped the address in its own page tables: just past its memory, high
    addresses where host memory holds other tenants, and MMIO (LAPIC,
    IOAPIC, PCI, ECAM, flash), below and above 4 GiB."""
    where = {'past': MEM, 'high': 0x0d000000, 'high2': 0x0e000000, 'ecam': 0xb0000000,
             'pci': 0xe0000000, 'ioapic': 0xfec00000, 'lapic': 0xfee00000,
             'flash': 0xffe00000, '4g': 0x100000000}
    kind = {'read': 'read', 'write': 'write', 'exec': 'execute'}
    probes = {}
    for target, access in [('past', 'read'), ('past', 'write'), ('past', 'exec'),
                           ('high', 'read'), ('high', 'write'), ('high', 'exec'),
                           ('high2', 'write'), ('lapic', 'read'), ('lapic', 'write'),
                           ('ioapic', 'read'), ('ioapic', 'write'), ('pci', 'write'),
                           ('ecam', 'read'), ('flash', 'exec'), ('4g', 'read')]:
        name = f'mem-{target}-{access}'
        gpa = where[target]
        probes[name] = [_violation(p, name, kind[access], gpa)]
    _isolation(t, p, probes)


@on_each_platform(globals())
def isolation_ioports(t, p):
    """Port I/O of every width, and string I/O: a native VM owns no port."""
    probes = {
        'io-com1-write': [_io('io-com1-write', 0x3f8, 'write', 1)],
        'io-com1-read': [_io('io-com1-read', 0x3fd, 'read', 1)],
        'io-com1-outs': [_io('io-com1-outs', 0x3f8, 'write', 1, string=True)],
        'io-cf8-write': [_io('io-cf8-write', 0xcf8, 'write', 4)],
        'io-cfc-read': [_io('io-cfc-read', 0xcfc, 'read', 4)],
        'io-cf9-write': [_io('io-cf9-write', 0xcf9, 'write', 1)],
        'io-pit-write': [_io('io-pit-write', 0x40, 'write', 1)],
        'io-pit-read': [_io('io-pit-read', 0x40, 'read', 1)],
        'io-kbd-write': [_io('io-kbd-write', 0x64, 'write', 1)],
        'io-bochs-write': [_io('io-bochs-write', 0x8900, 'write', 1)],
        'io-acpi-write': [_io('io-acpi-write', 0x604, 'write', 2)],
        'io-e9-write': [_io('io-e9-write', 0xe9, 'write', 1)],
    }
    _isolation(t, p, probes)


@on_each_platform(globals())
def isolation_msrs(t, p):
    """RDMSR/WRMSR of MSRs a VM must not touch: #GP, then (no guest IDT) a
    triple fault. The reads the kernel allows (TSC, EFER, PAT) return sane
    values."""
    refused = [('msr-efer-write', 'WRMSR', 0xc0000080),
               ('msr-apicbase-read', 'RDMSR', 0x1b),
               ('msr-apicbase-write', 'WRMSR', 0x1b),
               ('msr-featctl-read', 'RDMSR', 0x3a),
               ('msr-featctl-write', 'WRMSR', 0x3a),
               ('msr-vmxbasic-read', 'RDMSR', 0x480),
               ('msr-lstar-read', 'RDMSR', 0xc0000082),
               ('msr-lstar-write', 'WRMSR', 0xc0000082),
               ('msr-sysentercs-read', 'RDMSR', 0x174),
               ('msr-sysentercs-write', 'WRMSR', 0x174),
               ('msr-tsc-write', 'WRMSR', 0x10),
               ('msr-pat-write', 'WRMSR', 0x277),
               ('msr-bogus-read', 'RDMSR', 0x12345678)]
    probes = {name: [_msr(name, op, msr), _triple_fault(name)] for name, op, msr in refused}
    probes['msr-allowed-read'] = [
        _line('msr-allowed-read', r'PASS EFER reads 0x[0-9a-f]+: LME, LMA and NXE set'),
        _line('msr-allowed-read', r'PASS PAT reads 0x7040600070406, the power-on value'),
        _line('msr-allowed-read', r'PASS the TSC MSR increases: .*'),
        _line('msr-allowed-read', r'PASS RDTSC and RDMSR\(TSC\) read one clock: .*'),
        _line('msr-allowed-read', r'summary: 4 passed, 0 failed'),
        _exited('msr-allowed-read'),
    ]
    _isolation(t, p, probes)


@on_each_platform(globals())
def isolation_instructions(t, p):
    """VMX instructions, XSETBV, control- and debug-register writes, RDPMC:
    each contained; CLI + endless loop and CLI + HLT never stop, but must
    not take the CPU from the ticker."""
    probes = {name: [_triple_fault(name)] for name in
              ('insn-vmxon', 'insn-vmlaunch', 'insn-invept', 'insn-xsetbv', 'insn-rdpmc')}
    # The guest reads CR0 = 0x80010033 and CR4 = 0x620 (docs/guest-abi.md).
    for name, cr, value in [('insn-cr0-pg', 0, 0x00010033), ('insn-cr0-cd', 0, 0xc0010033),
                            ('insn-cr4-bad', 4, 0x80000620), ('insn-cr4-pge', 4, 0x6a0)]:
        probes[name] = [_cr(name, cr, value), _triple_fault(name)]
    probes['insn-dr7'] = [
        rf'^vm insn-dr7: debug-register access refused: #GP injected, rip {RIP}$',
        _triple_fault('insn-dr7'),
    ]
    m = _isolation(t, p, probes, alive=('insn-cli-spin', 'insn-hlt'))
    # The spinner had the CPU whenever the ticker did not: the
    # VMX-preemption timer (AMD-V: the local APIC timer) must have ended
    # its slices all along.
    spin = re.search(_line('insn-cli-spin', r'probe: .*'), m.output, re.M)
    after = re.findall(r'^ticker: tick \d+$', m.output[spin.end():], re.M)
    if len(after) < TICKS_AFTER:
        t.fail('the ticker stopped ticking once insn-cli-spin spun')


@on_each_platform(globals())
def isolation_hypercalls(t, p):
    """Hypercalls with bad arguments return the documented errors in the
    documented order, and 100,000 pseudo-random calls return only
    documented results and leave the VM alive and its memory intact."""
    probes = {
        'hc-args': [_line('hc-args', r'summary: \d+ passed, 0 failed'), _exited('hc-args')],
        'hc-fuzz': [_line('hc-fuzz', r'results of 100000 calls: .*'),
                    _line('hc-fuzz', r'summary: 4 passed, 0 failed'), _exited('hc-fuzz')],
    }
    m = _isolation(t, p, probes, timeout=4 * p.step_timeout)
    results = re.search(r'^hc-fuzz: results of (.*)$', m.output, re.M)
    t.note(results.group(1))


@on_each_platform(globals())
def isolation_cpu_state(t, p):
    """Registers a VM reaches without an exit stay its own: two VMs on one
    CPU, scheduled alternately by yields, each start with KERNEL_GS_BASE
    and CR2 zero and FCW and MXCSR at their entry values (state-b reads
    them after state-a wrote its own), write values of their own, and read
    them back after every yield. KERNEL_GS_BASE is written and read with
    SWAPGS (guests/apps/isolation/state.c)."""
    probes = {}
    for name in ('state-a', 'state-b'):
        probes[name] = [
            _line(name, r'PASS KERNEL_GS_BASE starts at 0 .*'),
            _line(name, r'PASS CR2 starts at 0 .*'),
            _line(name, r'PASS FCW and MXCSR start at .*'),
            _line(name, r'PASS KERNEL_GS_BASE 0x[0-9a-f]+ kept across 16 yields .*'),
            _line(name, r'PASS CR2 0x[0-9a-f]+ kept across 16 yields .*'),
            _line(name, r'PASS FCW 0x[0-9a-f]+, MXCSR 0x[0-9a-f]+, XMM15 .* kept .*'),
            _line(name, r'summary: 6 passed, 0 failed'),
            _exited(name),
        ]
    _isolation(t, p, probes)


@on_each_platform(globals())
def isolation_cpuid(t, p):
    """CPUID as a guest sees it, the same on both back ends: the
    hypervisor bit, no VMX, SVM, MONITOR or XSAVE, and Bulkhead's leaves
    (docs/guest-abi.md)."""
    name = 'cpuid-view'
    probes = {name: [
        _line(name, r'PASS leaf 1 ECX 0x[0-9a-f]+: hypervisor set; VMX, MONITOR, XSAVE, AVX clear'),
        _line(name, r'PASS leaf 0x80000001 ECX 0x[0-9a-f]+: SVM clear'),
        _line(name, r'PASS leaf 0x8000000a \(SVM\) reads zero'),
        _line(name, r"PASS leaf 0x40000000: 'BulkheadVHPV', highest leaf 0x40000001"),
        _line(name, r'PASS leaf 0x40000001: ABI version 1, VM id 1'),
        _line(name, r'summary: 5 passed, 0 failed'),
        _exited(name),
    ]}
    _isolation(t, p, probes)
