# SPDX-License-Identifier: GPL-2.0-only
"""The small case runner the host tests of tools/ share: @case registers a
function, main() runs them (or those whose name holds argv[1]) and prints
"ok - FILE:NAME" / "not ok - FILE:NAME" per case like tests/lib/check.h.
"""

import sys
import traceback
from pathlib import Path

sys.dont_write_bytecode = True
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def check_eq(got, want, what=''):
    if got != want:
        raise AssertionError(f'{what}: got {got!r}, want {want!r}')


def main(argv, test_file):
    """Runs the registered cases; returns the exit status (1 if any failed)."""
    only = argv[1] if len(argv) > 1 else None
    failed = 0
    for fn in CASES:
        name = f'{Path(test_file).name}:{fn.__name__}'
        if only and only not in name:
            continue
        try:
            fn()
        except Exception:
            failed += 1
            for line in traceback.format_exc().rstrip().splitlines():
                print(f'# {line}')
            print(f'not ok - {name}', flush=True)
        else:
            print(f'ok - {name}', flush=True)
    return 1 if failed else 0
