#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Bulkhead's soak run (`make soak`): launch/stop cycles through the CLI.

    python3 tests/soak/run.py --build build [--cycles 10000] [--batch 20]

Boots, under Bochs, a control VM running the CLI and one template, `idle`
(scrub-check.elf, which waits until it is stopped), and types `launch idle`
and `stop idle` on the console --cycles times, --batch cycles at a time
(the CLI runs typed-ahead lines in order). Before the first cycle and
after the last it runs `stats`: the two must be identical, byte for byte
(free memory, memory in VMs, VM count, pool use, kernel bytes per VM), so
any kernel memory a cycle fails to give back shows. Then `shutdown` must
power the machine off.

Prints a progress line every --report cycles and ends with
"soak: N cycles in S s (M ms each): stats unchanged" (exit status 0) or
"soak: FAILED after N cycles: REASON" and the console's tail (exit 1).
Images and the console log are kept in BUILD/soak/. Never part of
`make test`: 10,000 cycles take about an hour under Bochs (the system
tests do 200).
"""

import argparse
import sys
import time
from pathlib import Path

# Modules are imported from the source tree: keep it free of __pycache__.
sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'system'))
import harness  # noqa: E402  (the system tests' image building and booting)
import cli_session as cli  # noqa: E402  (driving the CLI: policy, boot, cycles, stats)

TAIL_LINES = 40


def soak(t, cycles, batch, report):
    policy = cli.cli_policy([('idle', 'scrub-check.elf', '2M')])
    m = cli.boot_cli(t, policy, ['scrub-check'])
    before = cli.stats(t, m)
    print('soak: baseline stats:\n' + '\n'.join('    ' + l for l in before.splitlines()),
          flush=True)
    start = time.monotonic()
    done = 0
    while done < cycles:
        n = min(report, cycles - done)
        try:
            cli.cycles(t, m, 'idle', n, batch=batch)
        except AssertionError as e:
            raise AssertionError(f'after {done} cycles: {e}') from None
        done += n
        took = time.monotonic() - start
        print(f'soak: {done} cycles in {took:.0f} s ({took / done * 1000:.0f} ms each)',
              flush=True)
    took = time.monotonic() - start
    # The last stop's memory goes back when the kernel's scheduler next
    # runs: one more command, then the figures.
    cli.command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$')
    after = cli.stats(t, m)
    if after != before:
        raise AssertionError(f'after {done} cycles: stats changed:\nbefore:\n{before}\n'
                             f'after:\n{after}')
    t.expect_absent(m, r'^(?:launch|stop): ', f'after {done} cycles: a cycle failed')
    cli.shutdown(t, m)
    return done, took


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--build', default='build', help='the build directory (default: build)')
    p.add_argument('--efi', help='the EFI application to boot (default: BUILD/bulkhead.efi)')
    p.add_argument('--cycles', type=int, default=10000)
    p.add_argument('--batch', type=int, default=20,
                   help='cycles typed at once (default: 20)')
    p.add_argument('--report', type=int, default=500,
                   help='a progress line every this many cycles (default: 500)')
    args = p.parse_args(argv)
    if args.cycles < 1 or args.batch < 1 or args.report < 1:
        p.error('--cycles, --batch and --report must be positive')

    build = Path(args.build)
    t = harness.TestContext('soak', build, args.efi or build / 'bulkhead.efi')
    t.workdir = build / 'soak'
    t.setup()
    try:
        done, took = soak(t, args.cycles, args.batch, min(args.report, args.cycles))
    except (AssertionError, harness.TestSkip) as e:
        print(f'soak: FAILED: {e}', flush=True)
        for log in t.logs:
            tail = harness.cleaned_tail(log, TAIL_LINES)
            if tail:
                print(f'--- last {TAIL_LINES} lines of {log} ---\n{tail}')
        return 1
    finally:
        t.cleanup()
    print(f'soak: {done} cycles in {took:.0f} s ({took / done * 1000:.0f} ms each): '
          'stats unchanged; shutdown powered off', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
