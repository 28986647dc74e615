# SPDX-License-Identifier: GPL-2.0-only
"""The control-VM figures of `make bench`, driven through the CLI
of the default policy on Bochs, the way a person would use it:

  launch_to_first_output_cycles  the kernel's own count, in TSC cycles (=
                                 instructions on Bochs), from the start of
                                 the launch (vm_create) to hello's first
                                 console write, as logged by the kernel
  kernel_bytes_per_vm            stats' "kernel per VM": the VMCS, EPT
                                 tables, vCPU and VM records of a running
                                 2 MiB VM
  max_concurrent_hello_vms       2 MiB VMs launched from the default pool
                                 and launch rule before a launch is refused
                                 (ticker stands in for hello: hello exits at
                                 once, so it never stays to be counted)
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'system'))
import harness  # noqa: E402
import cli_session as cli  # noqa: E402

FIGURES = ('launch_to_first_output_cycles', 'kernel_bytes_per_vm', 'max_concurrent_hello_vms')


def run(build, efi, workdir):
    """Returns ({figure: value}, [note lines]); raises on failure."""
    t = harness.TestContext('bench-control', build, efi)
    t.workdir = Path(workdir)
    t.setup()
    policy = (ROOT / 'policy' / 'examples' / 'default.policy').read_text()
    try:
        m = cli.boot_cli(t, policy, ['hello', 'ticker'])
        first = cli.command(t, m, 'launch hello',
                            cli.LOG + r'vm hello: first output (\d+) cycles after its '
                                      r'creation began$')[0]
        launched, refusal = cli.launch_until_refused(t, m, 'ticker', 64)
        kernel = re.search(r'^kernel per VM: +(\d+) bytes', cli.stats(t, m), re.M)
        cli.shutdown(t, m)
    finally:
        t.cleanup()
    figures = {
        'launch_to_first_output_cycles': int(first.group(1)),
        'kernel_bytes_per_vm': int(kernel.group(1)),
        'max_concurrent_hello_vms': launched,
    }
    notes = [f'# control: default policy, Bochs; {launched} 2 MiB VMs ran at once, '
             f'then: {refusal}']
    return figures, notes
