#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Bulkhead's test runner (`make test`).

    python3 tests/run.py --build build [--only SUBSTRING] [--no-unit] [--no-system]

1. Host unit tests: every executable in BUILD/host/tests/. Each prints one
   "ok - X" or "not ok - X" line per case (tests/lib/check.h); each such line
   counts as one test. A binary that exits non-zero (or crashes) without
   printing "not ok" counts as one failure, shown with its output.
2. System tests: the test_* functions of tests/system/test_*.py, one at a time
   (two emulators at once on two cores slow each other by ~30%). See
   tests/system/README.md.

Ends with exactly "N passed, M failed"; exits 1 if M > 0.
"""

import argparse
import importlib
import inspect
import os
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

# Test modules are imported from the source tree: keep it free of __pycache__.
sys.dont_write_bytecode = True

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_DIR = ROOT / 'tests' / 'system'
UNIT_TIMEOUT = 300          # seconds per unit-test binary
TAIL_LINES = 60


def rel(path):
    """path relative to the repository if inside it, else absolute."""
    r = os.path.relpath(path, ROOT)
    return str(path) if r.startswith('..') else r


def indent(text, prefix='    '):
    return '\n'.join(prefix + line for line in text.splitlines())


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []    # names, for the recap at the end


# --------------------------------------------------------------------------
# Host unit tests

def unit_binaries(build):
    d = Path(build) / 'host' / 'tests'
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir()
                  if p.is_file() and os.access(p, os.X_OK))


def run_unit(binary, only, tally):
    name = binary.name
    # A binary named after the filter runs whole; otherwise check.c's own
    # filter (argv[1]) picks the cases whose names contain it.
    argv = [str(binary)]
    if only and only not in name:
        argv.append(only)
    start = time.monotonic()
    try:
        r = subprocess.run(argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=UNIT_TIMEOUT)
        output, status = r.stdout.decode(errors='replace'), r.returncode
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b'').decode(errors='replace')
        status = None
    elapsed = time.monotonic() - start

    lines = output.splitlines()
    ok = [l for l in lines if l.startswith('ok - ')]
    bad = [l for l in lines if l.startswith('not ok - ')]
    if only and only not in name and not ok and not bad and status == 0:
        return      # no case matched the filter
    tally.passed += len(ok)
    tally.failed += len(bad)
    tally.failures += [f'{name}: {l[len("not ok - "):]}' for l in bad]

    verdict = f'{len(ok)} ok' + (f', {len(bad)} not ok' if bad else '')
    print(f'unit: {name}: {verdict} ({elapsed:.1f} s)', flush=True)
    if bad:
        # Each "not ok" with the "#" diagnostics check_fail printed before it.
        for i, l in enumerate(lines):
            if l.startswith('not ok - '):
                j = i
                while j > 0 and lines[j - 1].startswith('#'):
                    j -= 1
                print(indent('\n'.join(lines[j:i + 1])))
    if status != 0 and not bad:
        if status is None:
            why = f'timed out after {UNIT_TIMEOUT} s'
        elif status < 0:
            why = f'killed by {signal.Signals(-status).name}'
        else:
            why = f'exited with status {status}'
        tally.failed += 1
        tally.failures.append(f'{name}: {why}')
        print(f'    FAIL: {name} {why} without a "not ok" line; its output:')
        print(indent('\n'.join(lines[-TAIL_LINES:]) or '(none)'))
    elif status != 0 and status is not None and status < 0:
        print(f'    (and then {name} was killed by {signal.Signals(-status).name})')


# --------------------------------------------------------------------------
# System tests

def system_tests():
    """[(name, function)] in file order, then definition order."""
    sys.path[:0] = [str(SYSTEM_DIR), str(ROOT / 'tools')]   # harness, machine
    found = []
    for path in sorted(SYSTEM_DIR.glob('test_*.py')):
        try:
            module = importlib.import_module(path.stem)
        except Exception:
            # A broken file is a failing test of its own, not a runner crash.
            found.append((path.stem, _import_failure(traceback.format_exc())))
            continue
        funcs = [f for n, f in vars(module).items()
                 if n.startswith('test_') and inspect.isfunction(f)
                 and f.__module__ == module.__name__]
        funcs.sort(key=lambda f: f.__code__.co_firstlineno)
        found += [(f.__name__[len('test_'):], f) for f in funcs]
    return found


def _import_failure(trace):
    def test(t):
        t.fail('cannot import the test file:\n' + trace)
    return test


def run_system(name, func, build, efi, tally):
    import harness
    t = harness.TestContext(name, build, efi)
    print(f'system: {name} ...', flush=True)
    start = time.monotonic()
    failure = None
    try:
        t.setup()
        func(t)
    except harness.TestSkip as e:
        print(f'system: {name}: skipped: {e}', flush=True)
        return
    except AssertionError as e:
        failure = str(e) or 'assertion failed:\n' + traceback.format_exc()
    except Exception:
        failure = traceback.format_exc()
    finally:
        t.cleanup()
    elapsed = time.monotonic() - start
    if failure is None:
        tally.passed += 1
        print(f'system: {name}: ok ({elapsed:.1f} s)', flush=True)
        return
    tally.failed += 1
    tally.failures.append(name)
    print(f'system: {name}: FAIL ({elapsed:.1f} s)', flush=True)
    print(indent(failure.rstrip()))
    for log in t.logs:
        tail = harness.cleaned_tail(log, TAIL_LINES)
        if tail is None:
            continue
        print(f'    --- last {TAIL_LINES} lines of the console (escapes removed); '
              f'full log: {rel(log)} ---')
        print(indent(tail, '    | '))
    for m in t.machines:
        if m.emu_logs:
            print(f'    {m.name} logs: ' + ', '.join(rel(p) for p in m.emu_logs))
    sys.stdout.flush()


# --------------------------------------------------------------------------

def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--build', default='build', help='the build directory (default: build)')
    p.add_argument('--efi', help='EFI application the system tests boot '
                   '(default: BUILD/bulkhead.efi)')
    p.add_argument('--only', metavar='SUBSTRING',
                   help='run only tests whose name contains SUBSTRING')
    p.add_argument('--no-unit', action='store_true', help='skip the host unit tests')
    p.add_argument('--no-system', action='store_true', help='skip the system tests')
    p.add_argument('--list', action='store_true', help='list the system tests and exit')
    args = p.parse_args()
    build = Path(args.build).resolve()
    efi = Path(args.efi).resolve() if args.efi else build / 'bulkhead.efi'
    os.chdir(ROOT)

    if args.list:
        for name, _ in system_tests():
            print(name)
        return 0

    tally = Tally()
    # SIGTERM unwinds like Ctrl-C, so running emulators are stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if not args.no_unit:
            bins = unit_binaries(build)
            if not bins:
                print(f'unit: no test binaries in {rel(build / "host" / "tests")}')
            for b in bins:
                run_unit(b, args.only, tally)
        if not args.no_system:
            tests = [(n, f) for n, f in system_tests()
                     if not args.only or args.only in n]
            for name, func in tests:
                run_system(name, func, build, efi, tally)
    except KeyboardInterrupt:
        print('\ninterrupted', flush=True)
        tally.failed += 1
        tally.failures.append('(interrupted)')

    if tally.failures:
        print('failed: ' + ', '.join(tally.failures))
    print(f'{tally.passed} passed, {tally.failed} failed')
    return 1 if tally.failed else 0


if __name__ == '__main__':
    sys.exit(main())
