# SPDX-License-Identifier: GPL-2.0-only
"""A Linux VM's boot under Bulkhead, for `make bench` (docs/benchmarks.md,
"A Linux VM's boot"): the Linux guest of the bare boot (linux_bare.py),
launched from the CLI as a `kind linux` VM with its monitor, then left
idle at its shell.

  linux_boot_cycles          Bochs ticks (the TSC) from the guest's first
                             instruction (a debugger breakpoint at the PVH
                             entry, guest-linear, where paging is still off)
                             to the first byte of "linux: MARKER" on COM1
                             (Bochs's tick-stamped serial log): the guest's
                             line as the kernel writes it for the CLI, so
                             it includes the monitor's line buffering and
                             the CLI's log poll (at most 20 ms)
  linux_launch_to_init_cycles  the same end, from the first byte of the
                             kernel's "vm linux: created" line on COM1
  linux_exits_per_boot[_KIND]  the CLI's `exits linux` just after MARKER
  linux_idle_exits_per_second[_KIND]  the same, IDLE_S of emulated time
                             later, over the VM's age between the two
On QEMU (AMD-V) the same boot gives qemu_svm_linux_launch_to_init_ns (the
host's wall clock from typing the launch to MARKER on the console), the
exits per boot and the idle exits per second (the VM's age follows the
host's clock there); no breakpoint, so no linux_boot_cycles.
"""

import re
import time

import linux_bare
import pvh_disk
import bochs_trace
import harness
import cli_session as cli
from harness import machine

MARKER = linux_bare.MARKER
NAME = 'linux'
# As the bare boot's: COM1 as the console; the monitor adds pci=off and
# 8250.nr_uarts=1 and gives the TSC's rate through CPUID (docs/monitor.md).
CMDLINE = 'console=ttyS0 quiet'
MEMORY = '256M'   # linux_bare.MEMORY_MB
MACHINE_MB = 768
IDLE_S = 10
KINDS = ('io', 'mmio', 'hlt', 'cpuid', 'msr', 'cr', 'window', 'preempt', 'other')
EXITS = re.compile(rf'^exits {NAME}: (\d+) in (\d+) ns since its creation;'
                   + ''.join(rf' {k} (\d+)' for k in KINDS) + r'\s*$', re.M)
BOOT_TIMEOUT = 1800   # s of wall time to MARKER on Bochs; scaled like the bare boot's


class VmBenchError(Exception):
    """The figures cannot be had; the message says why."""


def policy():
    return ('machine memory 768M;\npool runtime memory 300M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {cli.CONTROL_RIGHTS}; }}\n'
            f'vm {NAME} {{ kind linux; kernel vmlinux; initramfs initramfs.cpio.gz; '
            f'cmdline "{CMDLINE}"; memory {MEMORY}; boot no; '
            'monitor { image vmm.elf; memory 8M; } }\n'
            f'launch control {{ vms {NAME}; max-vms 1; max-memory 300M; }}\n')


def parse_exits(text):
    """(total, age_ns, {kind: count}) from the last `exits` reply in text."""
    got = list(EXITS.finditer(text))
    if not got:
        raise VmBenchError(f'no "exits {NAME}: ..." reply')
    g = got[-1].groups()
    return int(g[0]), int(g[1]), dict(zip(KINDS, map(int, g[2:])))


def query_exits(t, m):
    before = len(m.output)
    cli.command(t, m, f'exits {NAME}', EXITS.pattern)
    return parse_exits(m.output[before:])


def measure(t, platform, build, bochs):
    """Boots, launches, waits; returns ({figure: value}, [notes])."""
    vmlinux = build / 'linux' / 'vmlinux'
    initramfs = build / 'linux' / 'initramfs.cpio.gz'
    for path in (vmlinux, initramfs):
        if not path.is_file():
            raise linux_bare.Skipped(f'{path} is missing (make linux-guest)')
    entry, _ = pvh_disk.kernel_layout(vmlinux.read_bytes())
    files = {'cli.elf': t.guest('cli'), 'vmm.elf': t.guest('vmm'),
             'vmlinux': vmlinux.read_bytes(), 'initramfs.cpio.gz': initramfs.read_bytes()}
    image = t.build_image(cmdline='panic=poweroff', policy=policy(), files=files)
    args = dict(platform.test_platform.boot_args)
    if bochs:
        args.update(ips=linux_bare.IPS, bochs_time0=linux_bare.BOCHS_TIME0,
                    bochs_debug=['serial'], bochs_commands=[f'lb {entry:#x}', 'c'])
    m = t.boot(platform.test_platform.emu, image, memory_mb=MACHINE_MB, **args)
    cli.expect_prompt(t, m)
    if not m.seen(platform.test_platform.ready):   # the back end the figures are named for
        raise VmBenchError('the kernel did not say that its back end is '
                           f'"{platform.test_platform.backend}"')
    start = time.monotonic()
    cli.command(t, m, f'launch {NAME}', rf'^launched {NAME} from {NAME} \(id \d+\)$')
    scale = linux_bare.machine_scale()
    t.expect(m, cli.LOG + rf'{NAME}: {re.escape(MARKER)}', BOOT_TIMEOUT * scale)
    wall = time.monotonic() - start
    boot_total, boot_age, boot_kinds = query_exits(t, m)
    # Idle: the shell waits at its prompt; ask again until IDLE_S of the
    # VM's age (the kernel's clock: emulated time) has passed.
    idle_total, idle_age, idle_kinds = boot_total, boot_age, boot_kinds
    deadline = time.monotonic() + 600 * scale
    while idle_age - boot_age < IDLE_S * 10**9:
        if time.monotonic() > deadline:
            raise VmBenchError(f'{IDLE_S} s of emulated time did not pass in {600 * scale:g} s')
        time.sleep(5)
        idle_total, idle_age, idle_kinds = query_exits(t, m)
    cli.command(t, m, f'stop {NAME}', rf'^stopped {NAME}$')
    reclaim = [t.expect(m, rf'vm {NAME}: {what}.*$', 120).group(0)
               for what in ('reclaimed', 'exits by kind')]
    cli.shutdown(t, m)
    seconds = (idle_age - boot_age) / 1e9
    figures = {'linux_exits_per_boot': boot_total}
    figures.update({f'linux_exits_per_boot_{k}': boot_kinds[k] for k in KINDS})
    figures['linux_idle_exits_per_second'] = '%.2f' % ((idle_total - boot_total) / seconds)
    figures.update({f'linux_idle_exits_per_second_{k}':
                    '%.2f' % ((idle_kinds[k] - boot_kinds[k]) / seconds) for k in KINDS})
    notes = [f'# linux_vm: `launch {NAME}` from the CLI: kind linux, {MEMORY}, command line '
             f'"{CMDLINE}" (plus what the monitor adds), monitor vmm.elf 8M; '
             f'{wall:.0f} s of wall time from the launch to the line',
             f'# linux_vm: exits_per_boot from `exits {NAME}` at the VM\'s age of '
             f'{boot_age} ns; idle from there to {idle_age} ns ({seconds:.3f} s, '
             f'{idle_total - boot_total} exits)']
    notes += [f'# kernel: {r}' for r in reclaim]
    if bochs:
        sent = bochs_trace.com1_bytes((t.workdir / 'bochs.log').read_text(errors='replace'))
        launched, after = bochs_trace.text_tick(sent, f'launched {NAME} from'.encode())
        created, after = bochs_trace.text_tick(sent, f'vm {NAME}: created'.encode(), after)
        end, _ = bochs_trace.text_tick(sent, f'{NAME}: {MARKER}'.encode(), after)
        at_entry = bochs_trace.breakpoint_tick(
            machine.clean_text(open(m.emu_log_path, 'rb').read()), entry)
        if not launched < at_entry < end:
            raise VmBenchError(f'the breakpoint at {entry:#x} stopped at tick {at_entry}, '
                               f'not between the launch ({launched}) and the line ({end}): '
                               'it was not the guest\'s entry')
        figures['linux_boot_cycles'] = end - at_entry
        figures['linux_launch_to_init_cycles'] = end - created
        notes.append(f'# linux_vm: Bochs ticks on COM1: "launched" at {launched}, '
                     f'"vm {NAME}: created" at {created}, the guest\'s PVH entry {entry:#x} '
                     f'(breakpoint) at {at_entry}, "{NAME}: {MARKER}" at {end}')
    else:
        figures['linux_launch_to_init_ns'] = int(wall * 1e9)
        got = re.search(rf'vm {NAME}: first output (\d+) cycles', m.output)
        if got:
            notes.append(f'# linux_vm: the kernel: the pair\'s first output (the monitor\'s) '
                         f'{got.group(1)} cycles after the creation began')
    return figures, notes


def overhead(figures, bare_cycles):
    """linux_boot_cycles over the bare boot's, three decimals, truncated."""
    return '%d.%03d' % divmod(figures['linux_boot_cycles'] * 1000 // bare_cycles, 1000)


def overhead_note(figures, bare_cycles):
    """What the boot under Bulkhead spent beyond the bare one, beside the
    exits that the guest made up to its line: the mean per exit is an
    upper bound on an exit's cost (the rest of the difference is not
    broken down: the platforms differ a little, docs/benchmarks.md)."""
    extra = figures['linux_boot_cycles'] - bare_cycles
    exits = figures['linux_exits_per_boot']
    kinds = ', '.join(f'{k} {figures["linux_exits_per_boot_" + k]}' for k in KINDS)
    return (f'# linux_boot_overhead: {extra} ticks more than the bare boot with the monitor\'s '
            f'tables; the guest made {exits} exits by its line ({kinds}): '
            f'{extra // max(exits, 1)} ticks per exit if they were all of it')


def run(platform, build, efi, workdir):
    """Returns ({figure: value}, [notes]); raises linux_bare.Skipped,
    VmBenchError or one of linux_bare.FAILURES."""
    t = harness.TestContext(f'bench-linux-vm-{platform.name}', build, efi)
    t.workdir = workdir
    t.setup()
    try:
        return measure(t, platform, build, platform.test_platform.emu == 'bochs')
    finally:
        t.cleanup()
