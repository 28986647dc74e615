#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of tools/mksyms.py (the kernel's symbol table) and
tools/gdb_script.py (make debug's gdb script). Installed by unit.mk as
build/host/tests/mksyms_test, so tests/run.py runs it with the unit tests.
"""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tools'))
import gdb_script  # noqa: E402
import mksyms  # noqa: E402
from cases import case, check_eq, main  # noqa: E402

NM = '''\
0000000000000000 A ImageBase
0000000000001030 t helper
0000000000001000 T _start
0000000000001030 T alias
0000000000001040 t kernel_entry.stop
0000000000001050 T last
0000000000002000 D data
0000000000001060 T __text_end
'''


def with_nm(output, fn):
    real = subprocess.run
    subprocess.run = lambda *a, **k: SimpleNamespace(stdout=output)
    try:
        return fn()
    finally:
        subprocess.run = real


@case
def text_symbols_sorted_with_end_marker():
    table = with_nm(NM, lambda: mksyms.text_symbols('x.so'))
    # Local labels dropped, data dropped, one name per address (sorted
    # first), the end of the text last with the empty name.
    check_eq(table, [(0x1000, '_start'), (0x1030, 'alias'), (0x1050, 'last'),
                     (0x1060, '')])


@case
def rendered_table_offsets():
    text = mksyms.render([(0x1000, 'ab'), (0x1030, 'c'), (0x1060, '')])
    check_eq('ksym_count = 3;' in text, True, 'count')
    check_eq('"ab\\0c\\0\\0"' in text, True, 'string blob')
    names = text.split('ksym_names[] = {')[1].split('}')[0].split()
    check_eq(names, ['0,', '3,', '5,', '0'], 'name offsets (and the pad)')


@case
def empty_table_compiles_to_count_zero():
    check_eq('ksym_count = 0;' in mksyms.render([]), True)


@case
def load_address_from_the_kernel_line():
    check_eq(gdb_script.load_address('x\nbulkhead: kernel image at 0xe00a000\ny\n'),
             0xe00a000)
    check_eq(gdb_script.load_address('bulkhead: kernel image at 0xe00'), None,
             'a line not yet complete')
    check_eq(gdb_script.load_address('bulkhead: kernel started\n'), None)


@case
def script_loads_symbols_at_the_offset():
    s = gdb_script.script('/b/bulkhead.so', 0xe00a000, '/tmp/s/gdb.sock')
    check_eq('add-symbol-file /b/bulkhead.so -o 0xe00a000\n' in s, True)
    check_eq('target remote /tmp/s/gdb.sock\n' in s, True)


if __name__ == '__main__':
    sys.exit(main(sys.argv, __file__))
