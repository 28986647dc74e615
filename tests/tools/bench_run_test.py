#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of the benchmark runner's parsing (tests/bench/run.py, `make
bench`): the bench: and note: lines it collects from a console, and the
names and units each platform prints them under. Boots nothing. Installed
by unit.mk as build/host/tests/bench_run_test, so tests/run.py runs it with
the unit tests; prints "ok - X" / "not ok - X" per case like
tests/lib/check.h.

    tests/tools/bench_run_test.py [SUBSTRING]   # only the cases whose name has it
"""

import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tests' / 'bench'))
import run  # noqa: E402  (tests/bench/run.py)
from cases import case, check_eq, main  # noqa: E402

NULL = next(s for s in run.SYSTEMS if s.name == 'null')
PLATFORM = {p.name: p for p in run.PLATFORMS}

# The lines a run of system null writes, as the kernel and bench-null print them.
NULL_CONSOLE = '''bulkhead: kernel started
vm bench-null: created: id 1, 2 MiB at host 0x600000, entry 0x100000
bench-null: note: tsc_hz 2000000000
bench-null: note: null: empty TSC pair min 1 median 26, subtracted
bench-null: bench: hypercall_null_cycles 45083
bench-null: bench: hypercall_null_cycles_min 40736
vm bench-null: stopped: exited with status 0
vm bench-null: reclaimed (2 MiB, 11026 exits, 715325130 cycles on the CPU)
bulkhead: powering off
'''


def expect_error(fn, words):
    try:
        fn()
    except run.BenchError as e:
        if words not in str(e):
            raise AssertionError(f'error {e!r} does not say {words!r}') from None
        return
    raise AssertionError(f'no BenchError (wanted one saying {words!r})')


@case
def collect_takes_the_reporters_figures_and_notes():
    figures, notes = run.collect(NULL, NULL_CONSOLE, 7.2, 1.4)
    check_eq(figures, {'hypercall_null_cycles': '45083', 'hypercall_null_cycles_min': '40736'},
             'figures')
    check_eq(notes[1:], ['# bench-null: tsc_hz 2000000000',
                         '# bench-null: null: empty TSC pair min 1 median 26, subtracted',
                         '# kernel: vm bench-null: reclaimed (2 MiB, 11026 exits, '
                         '715325130 cycles on the CPU)'], 'notes')
    check_eq(notes[0].endswith('7 s to the kernel, 1 s more to power-off'), True, 'timing note')


@case
def collect_refuses_a_vm_that_failed_or_a_missing_figure():
    failed = NULL_CONSOLE.replace('exited with status 0', 'exited with status 1')
    expect_error(lambda: run.collect(NULL, failed, 1, 1), 'stopped: exited with status 1')
    short = NULL_CONSOLE.replace('bench-null: bench: hypercall_null_cycles_min 40736\n', '')
    expect_error(lambda: run.collect(NULL, short, 1, 1), 'hypercall_null_cycles_min')


@case
def vmx_keeps_the_plain_names():
    figures = {'hypercall_null_cycles': '241', 'channel_throughput_mbps': '78.19'}
    check_eq(run.on_platform(PLATFORM['vmx'], NULL, figures, ''), figures, 'vmx')


@case
def svm_on_bochs_prefixes_and_keeps_cycles():
    figures = {'vm_switch_cycles_min': '609', 'channel_vs_memcpy_ratio': '0.989'}
    check_eq(run.on_platform(PLATFORM['svm'], NULL, figures, ''),
             {'svm_vm_switch_cycles_min': '609', 'svm_channel_vs_memcpy_ratio': '0.989'},
             'svm')


@case
def qemu_turns_cycles_into_nanoseconds():
    figures, _ = run.collect(NULL, NULL_CONSOLE, 1, 1)
    figures['channel_throughput_mbps'] = '12.34'   # already in wall-clock MB/s
    check_eq(run.on_platform(PLATFORM['qemu_svm'], NULL, figures, NULL_CONSOLE),
             {'qemu_svm_hypercall_null_ns': '22541', 'qemu_svm_hypercall_null_ns_min': '20368',
              'qemu_svm_channel_throughput_mbps': '12.34'}, 'qemu_svm')


@case
def qemu_prefers_the_hosts_tsc_frequency():
    figures, _ = run.collect(NULL, NULL_CONSOLE, 1, 1)
    figures['channel_throughput_mbps'] = '12.34'   # by the guest's 2 GHz
    check_eq(run.on_platform(PLATFORM['qemu_svm'], NULL, figures, NULL_CONSOLE, 10**9),
             {'qemu_svm_hypercall_null_ns': '45083', 'qemu_svm_hypercall_null_ns_min': '40736',
              'qemu_svm_channel_throughput_mbps': '6.17'}, 'qemu_svm at 1 GHz')


@case
def host_tsc_hz_reads_cpuinfo():
    with tempfile.TemporaryDirectory() as d:
        info = Path(d) / 'cpuinfo'
        flags = 'flags\t\t: fpu tsc constant_tsc nonstop_tsc tsc_known_freq rdtscp\n'
        info.write_text('processor\t: 0\ncpu MHz\t\t: 2596.132\n' + flags)
        check_eq(run.host_tsc_hz(info), 2_596_132_000, 'known TSC')
        info.write_text('processor\t: 0\ncpu MHz\t\t: 2596.132\n'
                        + flags.replace(' tsc_known_freq', ''))
        check_eq(run.host_tsc_hz(info), None, 'TSC frequency not given to the kernel')
        check_eq(run.host_tsc_hz(Path(d) / 'none'), None, 'no cpuinfo')


@case
def qemu_needs_the_tsc_frequency():
    no_hz = NULL_CONSOLE.replace('bench-null: note: tsc_hz 2000000000\n', '')
    figures, _ = run.collect(NULL, no_hz, 1, 1)
    expect_error(lambda: run.on_platform(PLATFORM['qemu_svm'], NULL, figures, no_hz),
                 'no TSC frequency')


@case
def every_system_figure_has_one_name_per_platform():
    names = [p.figure(f) for p in run.PLATFORMS for s in run.SYSTEMS for f in s.figures]
    check_eq(len(names), len(set(names)), 'distinct names')
    check_eq('channel_throughput_mbps_2cpu' in names, True, 'the two-CPU channel figure')
    check_eq('qemu_svm_channel_rtt_ns' in names and 'svm_channel_rtt_cycles' in names, True,
             'channel_rtt on both SVM platforms')


@case
def main_prints_every_platforms_figures_in_order():
    """run.main with the boots faked: every figure once per platform, each
    platform's '#' line first, the control figures after VT-x's systems."""
    import contextlib
    import io
    import control
    saved = run.run_system, control.run, run.tcb.measure, run.tcb.report
    try:
        run.run_system = lambda system, pl, build, efi: (
            {pl.figure(f): '1' for f in system.figures}, [f'# system {system.name}'])
        control.run = lambda build, efi, workdir: ({f: 2 for f in control.FIGURES}, [])
        run.tcb.measure = lambda build, root: None
        run.tcb.report = lambda tcb, build_name: ['bench: tcb_kernel_lines_vmx 3',
                                                  'bench: tcb_kernel_lines_svm 4']
        with tempfile.TemporaryDirectory() as d:
            for name in ['bulkhead.efi'] + [f'guests/{s.image}' for s in run.SYSTEMS]:
                (Path(d) / name).parent.mkdir(parents=True, exist_ok=True)
                (Path(d) / name).write_bytes(b'')
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = run.main(['--build', d])
    finally:
        run.run_system, control.run, run.tcb.measure, run.tcb.report = saved
    check_eq(status, 0, 'exit status')
    lines = out.getvalue().splitlines()
    names = [line.split()[1] for line in lines if line.startswith('bench: ')]
    want = ['tcb_kernel_lines_vmx', 'tcb_kernel_lines_svm']
    for pl in run.PLATFORMS:
        want += [pl.figure(f) for s in run.SYSTEMS for f in s.figures
                 if not s.only_on or pl.name in s.only_on]
        if pl.name == 'vmx':
            want += list(control.FIGURES)
    check_eq(names, want, 'figures')
    heads = [line.split(':')[0] for line in lines if line.endswith('with hardware')
             or 'the TSC counts emulated instructions' in line]
    check_eq(heads, ['# vmx', '# svm', '# qemu_svm'], 'one "#" line per platform')
    check_eq('# svm: system null' in lines and '# system null' in lines, True,
             'notes carry the platform where it has a prefix')


if __name__ == '__main__':
    sys.exit(main(sys.argv, __file__))
