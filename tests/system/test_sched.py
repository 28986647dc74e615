# SPDX-License-Identifier: GPL-2.0-only
"""The scheduler as VMs see it (docs/policy.md, "cpu"): a VM with a CPU
budget is woken on time while best-effort VMs spin with interrupts off,
and a budget caps a spinning VM at its share while best-effort VMs get
the rest. Both use sched-probe.elf, whose VM name picks its role (spin...
burns CPU forever, wake... measures its wake-up lateness, flood-msr...
loops on a refused RDMSR, catching its own #GP, flood-io... on an I/O
port, flood-console... writes the console as fast as it can, trespass...
reads memory no VM may reach). A VM that makes the kernel refuse it in a
loop, or floods the console, neither delays a budgeted VM (no exit handler
waits for COM1, and what it makes the kernel log is rate-limited) nor gets
the kernel's time for free (its exits are charged to it), nor hides the
kernel's events from the operator (VM text cannot take the space the log
keeps for them).

Every test but the two CPU-share ones (their comment says why) runs on
both back ends: VT-x under Bochs, AMD-V under QEMU.
Bochs counts time in instructions, so a lateness bound there is exact: 1 ms.
QEMU's TCG runs on the host's clock, so lateness there follows the host's
load (measured on the 2-core test host: mean 0.4 ms, worst 4 ms at load 2;
mean 3.5 ms, worst 25 ms at load 3): the bound there is a mean below one
10 ms slice, which a VM whose slices were not ended, or which waited for
COM1, would exceed by far."""

import re
import time

from harness import BASIC_RIGHTS, native_policy, on_each_platform
from cli_session import CONTROL_RIGHTS, LOG, boot_cli, command, shutdown

SLICE_US = 10000   # the scheduler's slice (kernel/sched.h, SCHED_SLICE_NS)


def check_lateness(t, p, worst, mean, beside):
    """Fails if a budgeted VM woke too late for platform p (module docstring)."""
    t.note(f'wake-up lateness beside {beside} ({p.backend}): max {worst} us, mean {mean} us')
    if p.emu == 'bochs' and worst >= 1000:
        t.fail(f'a budgeted VM was woken {worst} us late beside {beside}')
    if p.emu != 'bochs' and mean >= SLICE_US:
        t.fail(f'a budgeted VM was woken {mean} us late on average (worst {worst} us) '
               f'beside {beside}')


def wake_beside(t, p, others, rights=BASIC_RIGHTS):
    """Boots the best-effort VMs named in others (sched-probe roles, with
    the given rights) and wake, with a budget; returns the machine and
    wake's worst and mean lateness in us."""
    policy = native_policy([(name, 'sched-probe.elf', '2M') for name in others], rights)
    policy += (f'vm wake {{ kind native; image sched-probe.elf; memory 2M; boot yes; '
               f'cpu 10%; rights {BASIC_RIGHTS}; }}\n')
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'sched-probe.elf': t.guest('sched-probe')})
    m = p.boot(t, image)
    t.expect_boot(m)
    found = t.expect(m, r'^wake: wake-up lateness over 200 sleeps of 1 ms: '
                        r'max (\d+) us, mean (\d+) us$', timeout=300)
    return m, int(found.group(1)), int(found.group(2))


@on_each_platform(globals())
def budgeted_vm_wakes_on_time_beside_spinners(t, p):
    """Two best-effort spinners would each hold the CPU for a whole 10 ms
    slice; a VM with a budget that sleeps 1 ms at a time must still be
    woken within a millisecond of its deadline, every time."""
    m, worst, mean = wake_beside(t, p, ['spin1', 'spin2'])
    check_lateness(t, p, worst, mean, 'two spinners')
    t.expect(m, r'^vm wake: stopped: exited with status 0$')
    m.kill()
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')


FLOOD_RIGHTS = 'yield, wait, time, exit, self'   # no console
FLOOD_LINE = r'flood-console: (?:[a-z]{63})$'
DROPPED = (r'vm flood-console: \d+ bytes of console output dropped: it wrote faster than '
           r'the console takes$')


@on_each_platform(globals())
def budgeted_vm_wakes_on_time_beside_a_console_flood(t, p):
    """With no control VM the kernel shows every VM's console lines on COM1
    itself. flood-console writes 4 KiB of lines per call, forever; a VM with
    a budget that sleeps 1 ms at a time must still be woken within a
    millisecond (no exit handler waits for the UART), and the flood gets
    its allowance through, not the whole line."""
    m, worst, mean = wake_beside(t, p, ['flood-console'])
    flood_lines = len(re.findall(FLOOD_LINE, m.output, re.M))
    t.note(f'{flood_lines} of the flood\'s lines shown by then')
    m.kill()
    check_lateness(t, p, worst, mean, 'a console flood')
    if flood_lines == 0:
        t.fail('none of flood-console\'s lines reached the console: its allowance is not shown')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
REFUSED = r'^vm flood-msr: RDMSR of MSR 0x12345678 refused: #GP injected, rip 0x[0-9a-f]+$'


@on_each_platform(globals())
def budgeted_vm_wakes_on_time_beside_a_refused_access_flood(t, p):
    """flood-msr, with no console right, earns a refused RDMSR (and a kernel
    log line) in a loop; flood-io touches an I/O port and is stopped. A VM
    with a budget that sleeps 1 ms at a time must still be woken within a
    millisecond, and the kernel logs only a burst of the refusals."""
    m, worst, mean = wake_beside(t, p, ['flood-msr', 'flood-io'], FLOOD_RIGHTS)
    text = m.output
    refused = len(re.findall(REFUSED, text, re.M))
    io = len(re.findall(r'^vm flood-io: stopped: I/O port 0x80 write \(1 bytes\) denied '
                        r'at rip 0x[0-9a-f]+$', text, re.M))
    t.note(f'{refused} refusal lines logged')
    m.kill()
    if io != 1:
        t.fail(f'flood-io was to be stopped once at its first I/O access, seen {io} times')
    if not 1 <= refused <= 8:
        t.fail(f'{refused} lines about flood-msr\'s refusals: the log was flooded')
    check_lateness(t, p, worst, mean, 'a refused-access flood')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')


def seconds(text):
    """A CPU-TIME cell ("N us", "N.NNN ms", "N.NNN s") in seconds."""
    value, unit = text.split()
    return float(value) * {'us': 1e-6, 'ms': 1e-3, 's': 1.0}[unit]


def cpu_times(t, m, first, second):
    """Runs list; returns the CPU time of two running VMs (listed in that
    order) in seconds."""
    row = r'^{} +\d+ +running +2 MiB +(\d+(?:\.\d+)? (?:us|ms|s))$'
    a, b = command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$',
                   row.format(first), row.format(second))[1:]
    return seconds(a.group(1)), seconds(b.group(1))


def cpu_growth(t, m, first, second):
    """How much CPU time two running VMs get in 4 s between two lists, in
    seconds; fails if either gets none."""
    a0, b0 = cpu_times(t, m, first, second)
    time.sleep(4)
    a1, b1 = cpu_times(t, m, first, second)
    a, b = a1 - a0, b1 - b0
    if a <= 0 or b <= 0:
        t.fail(f'a VM got no CPU between the lists: {first} {a:.3f} s, {second} {b:.3f} s')
    return a, b


def control_policy(templates):
    """Policy text: the control VM (cpu 10%) and sched-probe templates, a
    list of (name, settings such as "cpu 20%; ", rights), all launchable,
    one VM of 2 MiB each at a time."""
    n = len(templates)
    text = (f'pool runtime memory {2 * n + 2}M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {CONTROL_RIGHTS}; }}\n')
    for name, settings, rights in templates:
        text += (f'vm {name} {{ kind native; image sched-probe.elf; memory 2M; boot no; '
                 f'{settings}rights {rights}; }}\n')
    names = ', '.join(name for name, _, _ in templates)
    return text + f'launch control {{ vms {names}; max-vms {n}; max-memory {2 * n}M; }}\n'


# Bochs only: a CPU share needs slices that end when the timer says. Under
# QEMU's TCG the APIC timer that ends a VM's slice fires late by the host's
# scheduling jitter (wake-up lateness above: worst 4-38 ms), so a spinner
# that never exits overruns every slice while a VM that exits all the time
# is stopped on time at its next exit: measured on the 2-core host, a 20%
# budget gave spin-hog 37%, and flood-msr got a third of spin-be's time.
@on_each_platform(globals(), platforms=('bochs',))
def cpu_budget_caps_a_spinner_and_best_effort_gets_the_rest(t, p):
    """spin-hog (cpu 20%) and spin-be (best effort) both spin. Between two
    `list`s, spin-hog's CPU time grows by its 20% share and spin-be's by
    most of the rest: the budget holds, and best effort is not starved. A
    launch whose budget would take the CPU above 100% is refused."""
    policy = control_policy([('spin-hog', 'cpu 20%; ', BASIC_RIGHTS),
                             ('spin-be', '', BASIC_RIGHTS),
                             ('spin-big', 'cpu 80%; ', BASIC_RIGHTS)])
    m = boot_cli(t, policy, ['sched-probe'], p.emu)
    command(t, m, 'launch spin-hog', r'^launched spin-hog from spin-hog \(id \d+\)$')
    command(t, m, 'launch spin-be', r'^launched spin-be from spin-be \(id \d+\)$')
    # control 10% + spin-hog 20% + spin-big 80%: more CPU than there is.
    command(t, m, 'launch spin-big',
            r"^launch: not enough CPU left: a VM from 'spin-big' would take the running "
            r'VMs\' CPU budgets \(policy "cpu"\) above 100%$')
    hog, be = cpu_growth(t, m, 'spin-hog', 'spin-be')
    share = hog / (hog + be)
    t.note(f'between the lists: spin-hog {hog:.3f} s, spin-be {be:.3f} s of CPU; '
           f'spin-hog share {share:.3f}')
    # 20% for spin-hog; spin-be has all but the CLI's use (at most its 10%).
    if not 0.17 <= share <= 0.25:
        t.fail(f'spin-hog had {share:.1%} of the spinners\' CPU, not about 20/(20+70..80)')
    shutdown(t, m)


@on_each_platform(globals(), platforms=('bochs',))   # as above
def a_vm_pays_for_its_exits_in_cpu_time_and_budget(t, p):
    """flood-msr and spin-be are both best effort, so they take turns at
    equal slices. flood-msr spends most of each slice in the kernel,
    handling its exits; that time is its own, so between two `list`s its
    CPU time grows about as much as the spinner's. Stopping it reports the
    log lines its flood had suppressed. Then flood-msr-hog floods with a
    budget (cpu 20%): charged for its exits, it is held to its share, and
    spin-be gets the rest."""
    policy = control_policy([('flood-msr', '', FLOOD_RIGHTS), ('spin-be', '', BASIC_RIGHTS),
                             ('flood-msr-hog', 'cpu 20%; ', FLOOD_RIGHTS)])
    m = boot_cli(t, policy, ['sched-probe'], p.emu)
    command(t, m, 'launch flood-msr', r'^launched flood-msr from flood-msr \(id \d+\)$')
    command(t, m, 'launch spin-be', r'^launched spin-be from spin-be \(id \d+\)$')
    flood, spin = cpu_growth(t, m, 'flood-msr', 'spin-be')
    t.note(f'between the lists: flood-msr {flood:.3f} s, spin-be {spin:.3f} s of CPU; '
           f'ratio {flood / spin:.2f}')
    if not 0.7 <= flood / spin <= 1.4:
        t.fail(f'flood-msr was charged {flood:.3f} s beside spin-be\'s {spin:.3f} s '
               f'at equal slices: its exits were not charged to it')
    command(t, m, 'stop flood-msr', r'^stopped flood-msr$',
            LOG + r'vm flood-msr: \d+ messages about refused accesses suppressed$',
            LOG + r'vm flood-msr: stopped: stopped by control$')
    command(t, m, 'launch flood-msr-hog',
            r'^launched flood-msr-hog from flood-msr-hog \(id \d+\)$')
    hog, spin = cpu_growth(t, m, 'spin-be', 'flood-msr-hog')[::-1]
    share = hog / (hog + spin)
    t.note(f'between the lists: flood-msr-hog {hog:.3f} s, spin-be {spin:.3f} s of CPU; '
           f'flood-msr-hog share {share:.3f}')
    if not 0.17 <= share <= 0.25:
        t.fail(f'flood-msr-hog had {share:.1%} of the CPU beside spin-be, not about '
               f'20/(20+70..80): its exits were not charged to its budget')
    shutdown(t, m)


def expect_in_any_order(t, m, patterns, timeout):
    """Waits until each regex in patterns has appeared anywhere in the
    output since boot, in whatever order (each may match once only in this
    boot's output); returns their matches in the order given."""
    found = {}
    while True:
        for i, pattern in enumerate(patterns):
            if i not in found:
                hit = m.seen(pattern)
                if hit:
                    found[i] = hit
        missing = [p for i, p in enumerate(patterns) if i not in found]
        if not missing:
            return [found[i] for i in range(len(patterns))]
        t.expect(m, '|'.join(f'(?:{p})' for p in missing), timeout)


@on_each_platform(globals())
def the_cli_shows_a_containment_event_through_two_floods(t, p):
    """The CLI owns the console. flood-console writes it as fast as it can,
    flood-msr (no console right) loops on a refused RDMSR; while both run,
    trespass reads memory no VM may reach, and the kernel's line about
    stopping it reaches the console: VM text cannot overwrite the log's
    space for events. A budgeted VM beside the floods still wakes on time
    (check_lateness). Stopping flood-console reports what its flood
    dropped."""
    policy = control_policy([('flood-console', '', BASIC_RIGHTS),
                             ('flood-msr', '', FLOOD_RIGHTS),
                             ('wake', 'cpu 10%; ', BASIC_RIGHTS),
                             ('trespass', '', BASIC_RIGHTS)])
    m = boot_cli(t, policy, ['sched-probe'], p.emu)
    for name in ('flood-console', 'flood-msr', 'wake', 'trespass'):
        command(t, m, f'launch {name}', rf'^launched {name} from {name} \(id \d+\)$')
    stopped, woke = expect_in_any_order(t, m, [
        LOG + rf'vm trespass: stopped: {p.table} violation: read at guest-physical 0x40000000 '
              r'at rip 0x[0-9a-f]+$',
        LOG + r'wake: wake-up lateness over 200 sleeps of 1 ms: max (\d+) us, mean (\d+) us$'],
        timeout=300)
    worst, mean = int(woke.group(1)), int(woke.group(2))
    # The floods were still on when the event came through.
    row = r'^{} +\d+ +running +2 MiB +\d+(?:\.\d+)? (?:us|ms|s)$'
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$',
            row.format('flood-console'), row.format('flood-msr'))
    flood_lines = len(re.findall(FLOOD_LINE, m.output, re.M))
    t.note(f'{flood_lines} flood lines shown')
    check_lateness(t, p, worst, mean, 'both floods, with the CLI')
    command(t, m, 'stop flood-console', r'^stopped flood-console$',
            LOG + DROPPED, LOG + r'vm flood-console: stopped: stopped by control$')
    shutdown(t, m)
