# SPDX-License-Identifier: GPL-2.0-only
"""The control-VM figures of `make bench`, driven through the CLI on Bochs,
the way a person would use it. Two systems boot:

The default policy (policy/examples/default.policy):
  launch_to_first_output_cycles  the kernel's own count, in TSC cycles (=
                                 instructions on Bochs), from the start of
                                 the launch (vm_create) to hello's first
                                 console write, as logged by the kernel
  launches_per_second            LAUNCHES launches of hello typed back to
                                 back: the emulated clock (the kernel's
                                 "clock N kHz") over their mean
                                 launch-to-first-output cycles: how many
                                 the kernel could create and start a second
                                 (the CLI's own time between them not
                                 counted)

tests/bench/scale.policy, on a 768 MiB machine:
  kernel_bytes_per_vm            stats' "kernel per VM" with the VMs below
                                 running: the VMCS, EPT tables, vCPU and VM
                                 records of a running 2 MiB VM, whole pages
                                 (from the pool, for a launched VM)
  max_concurrent_hello_vms       2 MiB VMs launched and running at once
                                 before a launch is refused. The pool (512
                                 MiB) and the launch rule (1024 VMs, all the
                                 pool's memory) are large, so the figure is
                                 the kernel's own limit: the pool's memory
                                 less the kernel's records of each VM (they
                                 come from the pool too). An idle 2 MiB VM
                                 stands in for hello, which exits at once.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'system'))
import harness  # noqa: E402
import cli_session as cli  # noqa: E402

FIGURES = ('launch_to_first_output_cycles', 'launches_per_second', 'kernel_bytes_per_vm',
           'max_concurrent_hello_vms')
LAUNCHES = 6   # under the default rule's max-vms 8, should none have exited yet
SCALE_POLICY = Path(__file__).resolve().parent / 'scale.policy'
SCALE_MEMORY_MB = 768
# More than the pool can hold at 2 MiB each: reaching it means the pool
# does not hold launches back.
SCALE_LIMIT = 300
FIRST_OUTPUT = r'vm hello: first output (\d+) cycles after its creation began$'
# Not anchored: the CLI's redrawn prompt may come first on the line.
NTH_FIRST_OUTPUT = r'vm hello\d+: first output (\d+) cycles after its creation began$'


def default_figures(t):
    """The default policy's figures and notes."""
    policy = (ROOT / 'policy' / 'examples' / 'default.policy').read_text()
    m = cli.boot_cli(t, policy, ['hello', 'ticker'], memory_mb=512)   # the policy's machine memory
    khz = int(re.search(r'ready; clock (\d+) kHz$', m.output, re.M).group(1))
    first = cli.command(t, m, 'launch hello', cli.LOG + FIRST_OUTPUT)[0]
    # Back to back: typed ahead, the CLI runs them in order.
    m.send(''.join(f'launch hello hello{i}\r' for i in range(1, LAUNCHES + 1)))
    cycles = [int(t.expect(m, NTH_FIRST_OUTPUT, 120).group(1)) for _ in range(LAUNCHES)]
    cli.shutdown(t, m)
    mean = sum(cycles) / len(cycles)
    figures = {
        'launch_to_first_output_cycles': int(first.group(1)),
        'launches_per_second': int(khz * 1000 * 10 / mean) / 10,   # truncated, as all figures
    }
    notes = [f'# control: default policy, Bochs; launches_per_second: clock {khz} kHz over '
             f'the mean of {LAUNCHES} back-to-back launches, {mean:.0f} cycles '
             f'(min {min(cycles)}, max {max(cycles)})']
    return figures, notes


def scale_figures(t):
    """max_concurrent_hello_vms and kernel_bytes_per_vm, and a note: the
    policy, and why the next launch was refused (the CLI's reply and the
    kernel's log line, if any)."""
    m = cli.boot_cli(t, SCALE_POLICY.read_text(), ['scrub-check'], memory_mb=SCALE_MEMORY_MB)
    launched, refusal = cli.launch_until_refused(t, m, 'idle', SCALE_LIMIT)
    stats = cli.stats(t, m)
    cli.shutdown(t, m)
    kernel = m.seen(r'vm idle\d+: not started: .*$')
    per_vm = re.search(r'^kernel per VM: +(\d+) bytes', stats, re.M)
    pool = re.search(r'^pool used: +(\d+) bytes.*\npool free: +(\d+) bytes', stats, re.M)
    note = (f'# control: {SCALE_POLICY.relative_to(ROOT)} (pool 512 MiB, max-vms 1024, '
            f'max-memory 512M), Bochs, {SCALE_MEMORY_MB} MiB machine; {launched} 2 MiB VMs '
            f'ran at once, then: {refusal}')
    if kernel:
        note += f'; the kernel: {kernel.group(0)}'
    if pool:
        note += f' (pool used {pool.group(1)} bytes, free {pool.group(2)})'
    return {'max_concurrent_hello_vms': launched,
            'kernel_bytes_per_vm': int(per_vm.group(1))}, [note]


def run(build, efi, workdir):
    """Returns ({figure: value}, [note lines]); raises on failure."""
    figures, notes = {}, []
    for name, measure in (('default', default_figures), ('scale', scale_figures)):
        t = harness.TestContext(f'bench-control-{name}', build, efi)
        t.workdir = Path(workdir) / name
        t.setup()
        try:
            f, n = measure(t)
        finally:
            t.cleanup()
        figures.update(f)
        notes += n
    return figures, notes
