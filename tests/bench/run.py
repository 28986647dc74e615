#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Bulkhead's benchmarks (`make bench`; what they measure: docs/benchmarks.md).

    python3 tests/bench/run.py --build build [--only SYSTEM] [--platform P]

Boots each benchmark system once per platform (PLATFORMS below):
  vmx       Bochs corei7_skylake_x, the VT-x back end; the figures keep
            their plain names (hypercall_null_cycles, ...)
  svm       Bochs ryzen, the AMD-V back end; the same figures prefixed svm_
  qemu_svm  QEMU TCG -cpu max, the AMD-V back end; prefixed qemu_svm_, and
            each figure in cycles becomes one in nanoseconds (_ns), by the
            host's TSC frequency (on_platform)
On Bochs the TSC counts emulated instructions, so a figure in cycles is a
path length that does not depend on the host's speed or load, and the two
Bochs back ends compare exactly. Under QEMU the TSC follows the host's
clock: its figures are the emulator's wall-clock time on a shared host,
comparable with nothing but each other. A system is a boot-VM list running
one image under role names (build/guests/bench.elf, guests/apps/bench/main.c;
build/guests/chan-bench.elf, guests/apps/chan-bench/main.c), plus any
channels its policy declares. The runner waits for its VMs to exit and the
machine to power off, then prints the "bench: NAME VALUE" lines the guests
wrote, with how they were measured as "#" comment lines. First come
`make tcb`'s lines (tools/tcb.py): the code lines of what the kernel image
was compiled from, tcb_kernel_lines and tcb_boot_stage_lines. Last come the
bare Linux boot's (tests/bench/linux_bare.py): the Linux guest with no
hypervisor, linux_bare_boot_cycles and linux_bare_acpi_boot_cycles on
Bochs (with vmx) and qemu_linux_bare_boot_ns on QEMU (with qemu_svm); then
the same guest as a Linux VM under Bulkhead (tests/bench/linux_vm.py):
linux_boot_cycles, linux_boot_overhead, linux_exits_per_boot_* and
linux_idle_exits_per_second_*; virtio_net_mbps between two Linux VMs
(tests/bench/linux_net.py) and the network driver VM's net_* figures
(tests/bench/net_driver_vm.py) on QEMU; or a "# skipped:" line where the
guest is not built (make linux-guest).

Nothing here is a test: no figure has a pass mark. The run fails (exit
status 1, the reason on stderr) only when a system does not boot, a VM does
not exit with status 0, the machine does not power off, or a figure is
missing. Images and console logs are kept in BUILD/bench/SYSTEM/.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'system'))
sys.path.insert(0, str(ROOT / 'tests' / 'bench'))
import harness  # noqa: E402  (the system tests' image building and booting)
from harness import machine  # noqa: E402
import tcb  # noqa: E402  (tools/tcb.py, on the path harness sets: `make tcb`'s figures)

# Bochs's TSC follows instructions whatever ips is; ips only sets how much
# emulated time (the kernel's 10 ms slices, BH_HC_TIME) an instruction is.
IPS = 50_000_000
IMAGE = 'bench.elf'
# From boot to power-off, on top of the boot timeout, in step timeouts: a
# run takes a few seconds; the margin is for slow hosts
# (BULKHEAD_TIMEOUT_SCALE).
RUN_STEPS = 5
TAIL_LINES = 40


class Platform:
    """Where the systems boot (test platform: emulator, CPU model, the
    back end the kernel must report ready) and how its figures are named:
    prefix before each name, and wall_clock when the TSC follows the host's
    clock, so that figures in cycles are given in nanoseconds instead."""

    def __init__(self, name, test_platform, prefix, wall_clock=False):
        self.name = name
        self.test_platform = test_platform
        self.prefix = prefix
        self.wall_clock = wall_clock

    def figure(self, name):
        """The printed name of the guest's figure name on this platform."""
        if self.wall_clock:
            name = re.sub(r'_cycles(?=_|$)', '_ns', name)
        return self.prefix + name


PLATFORMS = [
    Platform('vmx', harness.PLATFORMS['bochs'], ''),
    Platform('svm', harness.PLATFORMS['bochs_ryzen'], 'svm_'),
    Platform('qemu_svm', harness.PLATFORMS['qemu'], 'qemu_svm_', wall_clock=True),
]


class System:
    """One boot: its VMs (name, memory) all run image with rights; extra
    is more policy text (channels); figures are the bench: names that the
    VM named reporter must print, with suffix after each (the guest prints
    them without). With cpus > 1 the machine has that many CPUs; pins maps
    VM names to the CPU each is pinned to; only_on names the platforms the
    system boots on (default: all)."""

    def __init__(self, name, vms, reporter, figures, what, image=IMAGE,
                 rights=harness.BASIC_RIGHTS, extra='', cpus=1, pins=None, suffix='',
                 only_on=None):
        self.name = name
        self.vms = vms
        self.reporter = reporter
        self.figures = figures
        self.what = what
        self.image = image
        self.rights = rights
        self.extra = extra
        self.cpus = cpus
        self.pins = pins or {}
        self.suffix = suffix
        self.only_on = only_on

    def policy(self):
        text = harness.native_policy([(vm, self.image, mem) for vm, mem in self.vms],
                                     rights=self.rights, extra=self.extra)
        for vm, cpu in self.pins.items():
            text = text.replace(f'vm {vm} {{ ', f'vm {vm} {{ cpu {cpu}; ', 1)
        return text


SYSTEMS = [
    System('null', [('bench-null', '2M')], 'bench-null',
           ['hypercall_null_cycles', 'hypercall_null_cycles_min'],
           'BH_HC_NULL round trip, one VM alone'),
    System('switch', [('bench-a', '2M'), ('bench-b', '2M')], 'bench-a',
           ['vm_switch_cycles', 'vm_switch_cycles_min'],
           'BH_HC_YIELD round trip / 2, two VMs yielding in turn'),
    System('channel', [('bench-tx', '2M'), ('bench-rx', '2M')], 'bench-tx',
           ['channel_throughput_mbps', 'channel_vs_memcpy_ratio', 'channel_rtt_cycles',
            'channel_exits_per_mb', 'channel_copy_throughput_mbps',
            'channel_copy_vs_memcpy_ratio', 'channel_copy_exits_per_mb'],
           'channel "bench" (1 MiB, both ways, events both ways) between two VMs: '
           'bench-tx memcpy, ping-pong, then two streams of 64 KiB messages '
           '(read in place, copied out)',
           image='chan-bench.elf', rights=harness.BASIC_RIGHTS + ', channel',
           extra='channel bench { between bench-tx and bench-rx; size 1M; '
                 'direction both; events both; }\n'),
    System('channel_2cpu', [('bench-tx', '2M'), ('bench-rx', '2M')], 'bench-tx',
           ['channel_throughput_mbps_2cpu', 'channel_rtt_cycles_2cpu',
            'channel_copy_throughput_mbps_2cpu'],
           'the channel system with two CPUs: bench-tx pinned to CPU 0, bench-rx to CPU 1 '
           '(figures suffixed _2cpu)',
           image='chan-bench.elf', rights=harness.BASIC_RIGHTS + ', channel',
           extra='channel bench { between bench-tx and bench-rx; size 1M; '
                 'direction both; events both; }\n',
           cpus=2, pins={'bench-tx': 0, 'bench-rx': 1}, suffix='_2cpu', only_on=('vmx',)),
]


class BenchError(Exception):
    """The run cannot give its figures; the message says why."""


def _first_output(argv, otherwise):
    """What argv prints on stdout, stripped, or otherwise if it fails."""
    try:
        r = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        if r.returncode == 0 and r.stdout.strip():
            return r.stdout.strip()
    except OSError:
        pass
    return otherwise


def package_version(package):
    return _first_output(['dpkg-query', '-W', '-f=${Version}', package], 'version unknown')


def platform_note(platform):
    """The "#" line that says how platform's figures were measured."""
    load = ', '.join(f'{x:.1f}' for x in os.getloadavg())
    tp = platform.test_platform
    if tp.emu == 'bochs':
        cpu = tp.boot_args.get('bochs_cpu', machine.BOCHS_CPU)
        return (f'# {platform.name}: Bochs {package_version("bochs")}, CPU model {cpu} '
                f'({tp.backend}), 1 CPU, ips={IPS}, clock sync=none: the TSC counts emulated '
                f'instructions, so cycles are instructions executed (guest and kernel)'
                + (f'; figures prefixed {platform.prefix}' if platform.prefix else ''))
    hz = host_tsc_hz()
    clock = (f'the host\'s TSC frequency, {hz} Hz (/proc/cpuinfo)' if hz else
             'the kernel\'s calibration (the host\'s TSC frequency is not known here)')
    return (f'# {platform.name}: QEMU {package_version("qemu-system-x86")} TCG, -cpu max '
            f'({tp.backend}; no nrip_save), 1 CPU: the guest\'s TSC is the host\'s, so the '
            f'{platform.prefix}*_ns and MB/s figures, worked out with {clock}, are the '
            f'emulator\'s wall-clock time on this host (load average {load}): not comparable '
            f'with the cycle figures, nor with hardware')


def tree_version():
    return _first_output(['git', 'describe', '--always', '--dirty'], 'unknown')


def run_system(system, platform, build, efi):
    """Boots system on platform, returns (figures {printed name: value as
    printed}, comment lines). Raises BenchError, with the console's tail, if
    it does not get them."""
    elf = Path(build) / 'guests' / system.image
    tp = platform.test_platform
    where = system.name if not platform.prefix else f'{platform.name}-{system.name}'
    ctx = harness.TestContext(f'bench-{where}', build, efi)
    ctx.workdir = Path(build) / 'bench' / where
    ctx.setup()
    m = None
    try:
        image = ctx.build_image(cmdline='', policy=system.policy(),
                                files={system.image: elf.read_bytes()})
        start = time.monotonic()
        m = ctx.boot(tp.emu, image, ips=IPS, cpus=system.cpus, **tp.boot_args)
        ctx.expect_boot(m)
        ctx.expect(m, tp.ready)   # the back end this platform's figures are named for
        booted = time.monotonic()
        ctx.expect(m, r'^bulkhead: .*powering off', RUN_STEPS * tp.step_timeout)
        ctx.expect_poweroff(m)
        ended = time.monotonic()
        figures, notes = collect(system, m.output, booted - start, ended - booted)
        return on_platform(platform, system, figures, m.output, host_tsc_hz()), notes
    except AssertionError as e:   # harness failures, machine.Timeout, machine.Exited
        raise BenchError(f'{e}{console_tail(m)}') from None
    except BenchError as e:
        raise BenchError(f'{e}{console_tail(m)}') from None
    finally:
        ctx.cleanup()


def console_tail(m):
    if m is None:
        return ''
    tail = harness.cleaned_tail(m.log_path, TAIL_LINES)
    return f'\nthe console ({m.log_path}) ended with:\n{tail}' if tail else ''


def collect(system, console, boot_s, run_s):
    names = [vm for vm, _ in system.vms]
    notes = [f'# system {system.name}: {system.what}; VMs '
             + ', '.join(f'{vm} ({system.image}, {mem})' for vm, mem in system.vms)
             + f'; {boot_s:.0f} s to the kernel, {run_s:.0f} s more to power-off']
    for vm in names:
        if not re.search(rf'^vm {re.escape(vm)}: created:', console, re.M):
            raise BenchError(f'VM {vm} was not started')
        stop = re.search(rf'^vm {re.escape(vm)}: stopped: (.*)$', console, re.M)
        if not stop:
            raise BenchError(f'VM {vm} never stopped')
        if stop.group(1) != 'exited with status 0':
            raise BenchError(f'VM {vm} stopped: {stop.group(1)}')

    figures = {}
    who = '|'.join(re.escape(vm) for vm in names)
    for line in console.splitlines():
        got = re.match(rf'^({who}): (bench|note): (.*)$', line)
        if got and got.group(2) == 'note':
            notes.append(f'# {got.group(1)}: {got.group(3)}')
        elif got:
            # An integer, or a decimal fraction (ratios, MB/s).
            fig = re.fullmatch(r'(\w+) (\d+(?:\.\d+)?)', got.group(3))
            if got.group(1) != system.reporter or not fig:
                raise BenchError(f'unexpected bench: line {line!r}')
            figures[fig.group(1) + system.suffix] = fig.group(2)
        elif re.match(rf'^vm ({who}): reclaimed |^channel \S+: ', line):
            notes.append(f'# kernel: {line}')
    missing = [f for f in system.figures if f not in figures]
    if missing:
        raise BenchError(f'{system.reporter} printed no "bench: {missing[0]}" line')
    return figures, notes


def host_tsc_hz(cpuinfo='/proc/cpuinfo'):
    """The host's TSC frequency, or None where it cannot be told: the
    first "cpu MHz" of a CPU whose TSC runs at one rate (constant_tsc) and
    whose frequency the kernel was given (tsc_known_freq), as a VM's is."""
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return None
    flags = re.search(r'^flags\s*:(.*)$', text, re.M)
    mhz = re.search(r'^cpu MHz\s*:\s*(\d+)\.(\d{3})', text, re.M)
    if not (flags and mhz and {'constant_tsc', 'tsc_known_freq'} <= set(flags.group(1).split())):
        return None
    return int(mhz.group(1)) * 10**6 + int(mhz.group(2)) * 10**3


def on_platform(platform, system, figures, console, host_hz=None):
    """figures (the guest's names and values) as platform prints them: each
    name platform.figure(name). On a wall-clock platform each figure in
    cycles becomes nanoseconds (truncated), and each MB/s figure, which the
    guest worked out with the kernel's calibration ("note: tsc_hz N"), is
    worked out again: both with host_hz where given. QEMU TCG passes the
    host's TSC through at its rate, and the kernel's 10 ms calibration
    against the PIT was off by a factor of up to 4.5 on a loaded host, so host_hz is the
    better clock there."""
    named = {}
    guest_hz = hz = None
    if platform.wall_clock:
        got = re.search(r'^[\w-]+: note: tsc_hz (\d+)\b', console, re.M)
        guest_hz = int(got.group(1)) if got else 0
        if not guest_hz:
            raise BenchError(f'system {system.name} noted no TSC frequency: no nanoseconds')
        hz = host_hz or guest_hz
    for name, value in figures.items():
        if hz and platform.figure(name) != platform.prefix + name:
            value = str(int(value) * 10**9 // hz)
        elif hz and name.endswith('_mbps'):
            whole, _, frac = value.partition('.')
            hundredths = int(whole) * 100 + int((frac + '00')[:2])
            value = '%d.%02d' % divmod(hundredths * hz // guest_hz, 100)
        named[platform.figure(name)] = value
    return named


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--build', default='build', help='the build directory (default: build)')
    p.add_argument('--only', choices=[s.name for s in SYSTEMS] + ['control', 'tcb', 'linux'],
                   help='boot only this system (tcb: boot none, count code lines; '
                        'linux: the bare Linux boot, tests/bench/linux_bare.py, then a '
                        'Linux VM\'s, tests/bench/linux_vm.py)')
    p.add_argument('--platform', choices=[pl.name for pl in PLATFORMS],
                   help='boot the systems on this platform only (control: always vmx)')
    args = p.parse_args(argv)
    build = Path(args.build).resolve()
    systems = [s for s in SYSTEMS if not args.only or s.name == args.only]
    if args.only == 'linux':
        return 0 if print_linux_bare(build, [pl.name for pl in PLATFORMS if not args.platform
                                             or pl.name == args.platform]) else 1
    platforms = [pl for pl in PLATFORMS if not args.platform or pl.name == args.platform]
    efi = build / 'bulkhead.efi'
    for path in [efi] + sorted({build / 'guests' / s.image for s in systems}):
        if not path.is_file():
            print(f'bench run failed: {path} is missing: build it first (make all)', file=sys.stderr)
            return 1

    started = time.monotonic()
    print(f'# tree {tree_version()}; host load average '
          + ', '.join(f'{x:.1f}' for x in os.getloadavg()), flush=True)
    if not args.only or args.only == 'tcb':
        # What the kernel image was compiled from: its size, not its speed.
        print('\n'.join(tcb.report(tcb.measure(build, ROOT), os.path.relpath(build, ROOT))),
              flush=True)
    runs = []
    for pl in platforms:
        runs += [(s.name, pl, lambda s=s, pl=pl: run_system(s, pl, build, efi),
                  [pl.figure(f) for f in s.figures]) for s in systems
                 if not s.only_on or pl.name in s.only_on]
        if pl.name == 'vmx' and (not args.only or args.only == 'control'):
            import control   # the CLI-driven figures, on VT-x only
            runs.append(('control', pl, lambda: control.run(build, efi,
                                                             build / 'bench' / 'control'),
                         control.FIGURES))
    said = set()
    for name, pl, run, wanted in runs:
        if pl.name not in said:
            print(platform_note(pl), flush=True)
            said.add(pl.name)
        try:
            figures, notes = run()
        except (BenchError, AssertionError) as e:   # control's failures are the harness's
            print(f'bench run failed: system {name} on {pl.name}: {e}', file=sys.stderr)
            return 1
        for line in notes:
            print(line if not pl.prefix else f'# {pl.name}:{line[1:]}')
        for figure in wanted:
            print(f'bench: {figure} {figures[figure]}', flush=True)
    if not args.only and not print_linux_bare(build, [pl.name for pl in platforms]):
        return 1
    print(f'# wall time {time.monotonic() - started:.0f} s')
    return 0


def print_linux_bare(build, platforms):
    """Prints the bare Linux boot's figures (tests/bench/linux_bare.py):
    on Bochs with the vmx platform's CPU model, on QEMU with qemu_svm's
    emulator; then a Linux VM's under Bulkhead (tests/bench/linux_vm.py)
    on the same platforms, and linux_boot_overhead against the bare boot
    with the monitor's ACPI tables, and virtio_net_mbps between two Linux
    VMs on QEMU (tests/bench/linux_net.py), then the network driver VM's
    figures (tests/bench/net_driver_vm.py). A missing Linux guest is a "# skipped:"
    line, not a failure. Returns False, with the reason on stderr, if a
    boot fails."""
    import linux_bare
    import linux_vm
    runs = []
    if 'vmx' in platforms:
        runs.append(('linux_bare_boot_cycles', lambda: linux_bare.run_bochs(
            build, build / 'bench' / 'linux-bare', package_version)))
        runs.append(('linux_bare_acpi_boot_cycles', lambda: linux_bare.run_bochs(
            build, build / 'bench' / 'linux-bare-acpi', package_version, acpi=True)))
    if 'qemu_svm' in platforms:
        runs.append(('qemu_linux_bare_boot_ns', lambda: linux_bare.run_qemu(
            build, build / 'bench' / 'qemu-linux-bare', package_version, host_tsc_hz())))
    got = {}
    for figure, run in runs:
        try:
            value, notes = run()
        except linux_bare.Skipped as e:
            print(f'# skipped: {figure}: {e}', flush=True)
            continue
        except linux_bare.FAILURES as e:
            print(f'bench run failed: {figure}: {type(e).__name__}: {e}', file=sys.stderr)
            return False
        got[figure] = value
        print('\n'.join(notes))
        print(f'bench: {figure} {value}', flush=True)
    for pl in PLATFORMS:
        if pl.name not in platforms or pl.name == 'svm':
            continue
        try:
            figures, notes = linux_vm.run(pl, build, build / 'bulkhead.efi',
                                          build / 'bench' / f'{pl.name}-linux-vm')
        except linux_bare.Skipped as e:
            print(f'# skipped: {pl.prefix}linux_boot: {e}', flush=True)
            continue
        except (linux_vm.VmBenchError,) + linux_bare.FAILURES as e:
            print(f'bench run failed: a Linux VM on {pl.name}: {type(e).__name__}: {e}',
                  file=sys.stderr)
            return False
        print('\n'.join(notes if not pl.prefix else [f'# {pl.name}:{n[1:]}' for n in notes]))
        for name, value in figures.items():
            print(f'bench: {pl.prefix}{name} {value}', flush=True)
        if 'linux_boot_cycles' in figures:
            bare = got.get('linux_bare_acpi_boot_cycles')
            if not bare:
                print('bench run failed: linux_boot_overhead: no linux_bare_acpi_boot_cycles '
                      'to compare with', file=sys.stderr)
                return False
            print(linux_vm.overhead_note(figures, bare))
            print(f'bench: linux_boot_overhead {linux_vm.overhead(figures, bare)}', flush=True)
    if 'qemu_svm' in platforms:
        import linux_net
        try:
            figures, notes = linux_net.run(build, build / 'bulkhead.efi',
                                           build / 'bench' / 'qemu_svm-linux-net')
        except linux_bare.Skipped as e:
            print(f'# skipped: virtio_net_mbps: {e}', flush=True)
            return print_net_driver_vm(build)
        except linux_bare.FAILURES as e:   # AssertionError: the harness's failures
            print(f'bench run failed: virtio_net_mbps: {type(e).__name__}: {e}', file=sys.stderr)
            return False
        print('\n'.join(notes))
        for name, value in figures.items():
            print(f'bench: {name} {value}', flush=True)
        if not print_net_driver_vm(build):
            return False
    return True


def print_net_driver_vm(build):
    """The network driver VM's figures on QEMU (tests/bench/net_driver_vm.py):
    a "# skipped:" line where the driver VM is not built; False, with the
    reason on stderr, if its run fails."""
    import linux_bare
    import net_driver_vm
    try:
        figures, notes = net_driver_vm.run(build, build / 'bulkhead.efi',
                                           build / 'bench' / 'qemu_svm-net-driver-vm')
    except linux_bare.Skipped as e:
        print(f'# skipped: net_driver_vm: {e}', flush=True)
        return True
    except linux_bare.FAILURES as e:   # AssertionError: the harness's failures
        print(f'bench run failed: net_driver_vm: {type(e).__name__}: {e}', file=sys.stderr)
        return False
    print('\n'.join(notes))
    for name in net_driver_vm.FIGURES:
        print(f'bench: {name} {figures[name]}', flush=True)
    return True


if __name__ == '__main__':
    sys.exit(main())
