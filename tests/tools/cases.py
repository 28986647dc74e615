# SPDX-License-Identifier: GPL-2.0-only
"""The case runner of the host tests of tools/ scripts: the Python
counterpart of tests/lib/check.h. A test file marks its cases with @case
and ends with sys.exit(cases.main(sys.argv, __file__)); each case prints
"ok - FILE:NAME" or "not ok - FILE:NAME" (with the traceback as "#" lines),
as tests/run.py counts them. argv[1], if given, runs only the cases whose
name contains it.
"""

import traceback
from pathlib import Path

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def check_eq(got, want, what=''):
    if got != want:
        raise AssertionError(f'{what}: got {got!r}, want {want!r}')


def main(argv, test_file):
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
