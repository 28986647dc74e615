#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Bulkhead's benchmarks (`make bench`; what they measure: docs/benchmarks.md).

    python3 tests/bench/run.py --build build [--only SYSTEM]

Boots each benchmark system once under Bochs, the platform whose TSC counts
emulated instructions, so a figure in cycles is a path length that does not
depend on the host's speed or load. A system is a boot-VM list running
one image under role names (build/guests/bench.elf, guests/apps/bench/main.c;
build/guests/chan-bench.elf, guests/apps/chan-bench/main.c), plus any
channels its policy declares. The runner waits for its VMs to exit and the
machine to power off, then prints the "bench: NAME VALUE" lines the guests
wrote, with how they were measured as "#" comment lines. First come
`make tcb`'s lines (tools/tcb.py): the code lines of what the kernel image
was compiled from, tcb_kernel_lines and tcb_boot_stage_lines.

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

EMULATOR = 'bochs'
# Bochs's TSC follows instructions whatever ips is; ips only sets how much
# emulated time (the kernel's 10 ms slices, BH_HC_TIME) an instruction is.
IPS = 50_000_000
IMAGE = 'bench.elf'
# From boot to power-off, on top of the boot timeout: a run takes a few
# seconds of it; the margin is for slow hosts (BULKHEAD_TIMEOUT_SCALE).
RUN_TIMEOUT = 5 * harness.STEP_TIMEOUT[EMULATOR]
TAIL_LINES = 40


class System:
    """One boot: its VMs (name, memory) all run image with rights; extra
    is more policy text (channels); figures are the bench: names that the
    VM named reporter must print."""

    def __init__(self, name, vms, reporter, figures, what, image=IMAGE,
                 rights=harness.BASIC_RIGHTS, extra=''):
        self.name = name
        self.vms = vms
        self.reporter = reporter
        self.figures = figures
        self.what = what
        self.image = image
        self.rights = rights
        self.extra = extra

    def policy(self):
        return harness.native_policy([(vm, self.image, mem) for vm, mem in self.vms],
                                     rights=self.rights, extra=self.extra)


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


def bochs_version():
    return _first_output(['dpkg-query', '-W', '-f=${Version}', 'bochs'], 'version unknown')


def tree_version():
    return _first_output(['git', 'describe', '--always', '--dirty'], 'unknown')


def run_system(system, build, efi):
    """Boots system, returns (figures {name: value as printed}, comment
    lines). Raises BenchError, with the console's tail, if it does not get
    them."""
    elf = Path(build) / 'guests' / system.image
    ctx = harness.TestContext(f'bench-{system.name}', build, efi)
    ctx.workdir = Path(build) / 'bench' / system.name
    ctx.setup()
    m = None
    try:
        image = ctx.build_image(cmdline='', policy=system.policy(),
                                files={system.image: elf.read_bytes()})
        start = time.monotonic()
        m = ctx.boot(EMULATOR, image, ips=IPS)
        ctx.expect_boot(m)
        booted = time.monotonic()
        ctx.expect(m, r'^bulkhead: .*powering off', RUN_TIMEOUT)
        ctx.expect_poweroff(m)
        ended = time.monotonic()
        return collect(system, m.output, booted - start, ended - booted)
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
            figures[fig.group(1)] = fig.group(2)
        elif re.match(rf'^vm ({who}): reclaimed |^channel \S+: ', line):
            notes.append(f'# kernel: {line}')
    missing = [f for f in system.figures if f not in figures]
    if missing:
        raise BenchError(f'{system.reporter} printed no "bench: {missing[0]}" line')
    return figures, notes


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--build', default='build', help='the build directory (default: build)')
    p.add_argument('--only', choices=[s.name for s in SYSTEMS] + ['control', 'tcb'],
                   help='boot only this system (tcb: boot none, count code lines)')
    args = p.parse_args(argv)
    build = Path(args.build).resolve()
    systems = [s for s in SYSTEMS if not args.only or s.name == args.only]
    efi = build / 'bulkhead.efi'
    for path in [efi] + sorted({build / 'guests' / s.image for s in systems}):
        if not path.is_file():
            print(f'bench run failed: {path} is missing: build it first (make all)', file=sys.stderr)
            return 1

    started = time.monotonic()
    print(f'# Bochs {bochs_version()}, CPU model {machine.BOCHS_CPU}, 1 CPU, ips={IPS}, '
          f'clock sync=none: the TSC counts emulated instructions, so cycles are '
          f'instructions executed (guest and kernel); tree {tree_version()}', flush=True)
    if not args.only or args.only == 'tcb':
        # What the kernel image was compiled from: its size, not its speed.
        print('\n'.join(tcb.report(tcb.measure(build, ROOT), os.path.relpath(build, ROOT))),
              flush=True)
    runs = [(s.name, lambda s=s: run_system(s, build, efi), s.figures) for s in systems]
    if not args.only or args.only == 'control':
        import control   # the CLI-driven figures
        runs.append(('control', lambda: control.run(build, efi, build / 'bench' / 'control'),
                     control.FIGURES))
    for name, run, wanted in runs:
        try:
            figures, notes = run()
        except (BenchError, AssertionError) as e:   # control's failures are the harness's
            print(f'bench run failed: system {name}: {e}', file=sys.stderr)
            return 1
        for line in notes:
            print(line)
        for figure in wanted:
            print(f'bench: {figure} {figures[figure]}', flush=True)
    print(f'# wall time {time.monotonic() - started:.0f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
