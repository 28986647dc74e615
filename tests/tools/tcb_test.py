#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of tools/tcb.py (`make tcb`): code-line counting of C and NASM
text, make dependency-file parsing, and the measure of a small source tree
built from the dependency files in fixtures/. Installed by unit.mk as
build/host/tests/tcb_test, so tests/run.py runs it with the unit tests;
prints "ok - X" / "not ok - X" per case like tests/lib/check.h.

    tests/tools/tcb_test.py [SUBSTRING]   # only the cases whose name has it
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tools'))
import tcb  # noqa: E402
from cases import case, check_eq, main  # noqa: E402

FIXTURES = HERE / 'fixtures'


# --------------------------------------------------------------------------
# Counting

# (case name, counter, text, code lines it holds)
COUNTS = [
    ('c_blank_and_comment_lines', tcb.c_code_lines,
     '/* SPDX-License-Identifier: GPL-2.0-only */\n'
     '\n'
     '   \t\n'
     '// a whole-line comment\n'
     '#include "x.h"\n'
     'int a; /* after code */\n'
     '/* before code */ int b;\n'
     '/*\n'
     ' * a block\n'
     ' */\n'
     '/* a block that ends\n'
     '   before code */ int c;\n'
     'int d; // trailing\n'
     '/**/ /* two */ // and one more\n'
     'int e;',             # no final newline
     6),
    ('c_comment_markers_in_literals', tcb.c_code_lines,
     'const char *s = "/* not a comment";\n'
     'int x;\n'                             # would vanish if the above opened one
     'const char *u = "// nor this", *v = "\\" /*";\n'
     'int y;\n'
     "char q = '\"'; /* a quote character, then a comment */\n"
     'int z;\n'
     "char s2 = '/'; char t2 = '*'; // '/' '*' apart\n"
     'const char *w = "a\\\n'
     '/* inside the literal, continued */";\n'
     '/* "a string in a comment */\n'
     "/* 'and a quote */\n",
     9),
    ('c_line_comment_continues_after_backslash', tcb.c_code_lines,
     'int a; // a comment \\\n'
     'that goes on here\n'
     'int b;\n',
     2),
    ('nasm_comments_and_strings', tcb.nasm_code_lines,
     '; SPDX-License-Identifier: GPL-2.0-only\n'
     '\n'
     'bits 64\n'
     '    ; indented comment\n'
     'global entry  ; trailing\n'
     "msg: db 'a ; is not a comment', 0\n"
     'msg2: db "nor ; here", `nor \\` ; here`, 0\n'
     '%include "asm_offsets.inc"\n'
     '\t\n',
     5),
]


def count_case(name, counter, text, want):
    def run():
        check_eq(counter(text), want, 'code lines')
    run.__name__ = name
    return run


for entry in COUNTS:
    case(count_case(*entry))


# --------------------------------------------------------------------------
# Dependency files

@case
def depfile_gcc():
    rules = tcb.parse_depfile((FIXTURES / 'kernel.c.d').read_text())
    check_eq(rules[0], (['out/k/hypervisor/kernel.c.o'],
                        ['hypervisor/kernel.c', 'hypervisor/kernel.h', 'common/shared.h',
                         'hypervisor/with space.h', '/usr/include/efi/efi.h']), 'object rule')
    check_eq(len(rules), 5, 'rules (the object and four -MP phony ones)')
    check_eq(rules[3], (['hypervisor/with space.h'], []), 'a phony rule')


@case
def depfile_nasm():
    rules = tcb.parse_depfile((FIXTURES / 'entry.asm.d').read_text())
    check_eq(rules, [(['out/k/hypervisor/entry.asm.o'], ['hypervisor/entry.asm'])], 'rules')


@case
def depfile_sources_in_order_without_repeats():
    got = tcb.depfile_sources(FIXTURES / 'asm_offsets.d')
    check_eq(got, ['hypervisor/asm_offsets.c', 'hypervisor/kernel.h'], 'files')


# --------------------------------------------------------------------------
# The measure of a tree

SOURCES = {
    'hypervisor/kernel.c': '/* kernel */\n#include "kernel.h"\n\nint k(void)\n{\n\treturn 1;\n}\n',
    'hypervisor/kernel.h': '// kernel.h\nint k(void);\n',
    'hypervisor/with space.h': '#define SPACE 1\n',
    'hypervisor/entry.asm': '; entry\nbits 64\n%include "asm_offsets.inc"\n'
                            '%include "macros.mac"\nentry: ret ; done\n',
    'hypervisor/macros.mac': '; macros\n%define M 1\n',
    'hypervisor/asm_offsets.c': '/* offsets */\nint off;\n',
    'common/shared.h': '/* both stages */\nint shared;\nint shared2;\n',
    'firmware/stage.c': '/* stage */\n#include "stage.h"\nint s;\n',
    'firmware/stage.h': 'int s;\n',
    'out/gen/asm_offsets.inc': '%define OFF 0\n',
}
DEPFILES = {
    'out/k/hypervisor/kernel.c.d': 'kernel.c.d',
    'out/k/hypervisor/entry.asm.d': 'entry.asm.d',
    'out/k/hypervisor/gone.c.d': 'gone.c.d',      # its source is gone: stale
    'out/k/firmware/stage.c.d': 'stage.c.d',
    'out/gen/asm_offsets.d': 'asm_offsets.d',
}


def fixture_tree(where):
    for name, text in SOURCES.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_text(text)
    for name, fixture in DEPFILES.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / fixture, where / name)


@case
def measure_fixture_tree():
    with tempfile.TemporaryDirectory(prefix='tcb-test-') as d:
        root = Path(d)
        fixture_tree(root)
        got = tcb.measure(root / 'out')
    check_eq(got.kernel, {
        'common/shared.h': 2,           # the boot stage uses it too: the kernel's
        'hypervisor/asm_offsets.c': 1,
        'hypervisor/entry.asm': 4,
        'hypervisor/kernel.c': 5,
        'hypervisor/kernel.h': 1,
        'hypervisor/macros.mac': 1,     # %included: NASM's -MD does not name it
        'hypervisor/with space.h': 1,
    }, 'kernel files')
    check_eq(got.boot_stage, {'firmware/stage.c': 2, 'firmware/stage.h': 1}, 'boot files')
    check_eq((got.kernel_lines, got.boot_stage_lines), (15, 3), 'totals')
    check_eq(got.objects, 4, 'objects read (the stale one left out)')
    check_eq(got.skipped, [('out/gen/asm_offsets.inc', 'generated by the build')], 'skipped')
    check_eq(len(got.warnings), 1, 'warnings (the stale object)')


@case
def report_ends_with_the_bench_lines():
    with tempfile.TemporaryDirectory(prefix='tcb-test-') as d:
        root = Path(d)
        fixture_tree(root)
        lines = tcb.report(tcb.measure(root / 'out', root), 'out')
    # The fixture has no back-end folder: with either back end alone the
    # kernel is all of it.
    check_eq(lines[-4:], ['bench: tcb_kernel_lines_vmx 15', 'bench: tcb_kernel_lines_svm 15',
                          'bench: tcb_kernel_lines 15', 'bench: tcb_boot_stage_lines 3'],
             'last lines')
    if not all(line.startswith('#') for line in lines[:-4]):
        raise AssertionError(f'a line before the figures is not a comment: {lines}')


@case
def each_back_end_counts_without_the_others_files():
    """tcb_kernel_lines_vmx leaves out the files only objects compiled from
    svm/ read, and the other way round; a file both read (here a shared
    header, and a vmx/ header the shared builder includes) counts for both."""
    sources = {
        'hypervisor/kernel.c': 'int k;\n',                            # 1
        'hypervisor/arch/x86/mm/ept.c': 'int e;\nint f;\n',          # 2
        'hypervisor/arch/x86/vmx/vmx_defs.h': '#define A 1\n',       # 1
        'hypervisor/arch/x86/vmx/run.c': 'int v;\nint w;\nint x;\n',  # 3
        'hypervisor/arch/x86/svm/run.c': 'int s;\nint t;\n',         # 2
        'hypervisor/arch/x86/shared.h': 'int h;\n',                   # 1
    }
    deps = {
        'out/k/hypervisor/kernel.c.d': 'hypervisor/kernel.c hypervisor/arch/x86/shared.h',
        'out/k/hypervisor/arch/x86/mm/ept.c.d':
            'hypervisor/arch/x86/mm/ept.c hypervisor/arch/x86/vmx/vmx_defs.h',
        'out/k/hypervisor/arch/x86/vmx/run.c.d':
            'hypervisor/arch/x86/vmx/run.c hypervisor/arch/x86/shared.h',
        'out/k/hypervisor/arch/x86/svm/run.c.d':
            'hypervisor/arch/x86/svm/run.c hypervisor/arch/x86/shared.h',
    }
    with tempfile.TemporaryDirectory(prefix='tcb-test-') as d:
        root = Path(d)
        for name, text in sources.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        for name, files in deps.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(f'{name[:-2]}.o: {files}\n')
        got = tcb.measure(root / 'out', root)
    check_eq(got.kernel_lines, 10, 'both back ends')
    check_eq(got.backend_lines, {'vmx': 8, 'svm': 7}, 'one back end each')


@case
def shared_code_only_the_boot_stage_calls_is_the_boot_stages():
    """common/ objects go where the symbols lead: one the kernel calls is
    the kernel's, one only the boot stage calls (directly or through
    another shared object) is not; one nobody calls stays the kernel's."""
    if not shutil.which('gcc') or not shutil.which('nm'):
        raise AssertionError('gcc and nm are needed')
    sources = {
        'hypervisor/main.c': 'int used_by_kernel(void);\nint kmain(void) { return used_by_kernel(); }\n',
        'firmware/efi.c': 'int hash(void);\nint efi(void) { return hash(); }\n',
        'common/used.c': 'int used_by_kernel(void) { return 1; }\n',
        'common/hash.c': 'int hex(void);\nint hash(void) { return hex(); }\n',
        'common/hex.c': 'int hex(void) { return 2; }\n',
        'common/dead.c': 'int dead(void) { return 3; }\n',
    }
    with tempfile.TemporaryDirectory(prefix='tcb-test-') as d:
        root = Path(d)
        for name, text in sources.items():
            src = root / name
            src.parent.mkdir(parents=True, exist_ok=True)
            src.write_text(text)
            obj = root / 'out' / 'k' / (name + '.o')
            obj.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(['gcc', '-c', '-MD', '-MP', name, '-o', str(obj)],
                           cwd=root, check=True)
        got = tcb.measure(root / 'out', root)
    check_eq(sorted(got.boot_stage), ['common/hash.c', 'common/hex.c', 'firmware/efi.c'],
             'boot-stage files')
    check_eq(sorted(got.kernel), ['common/dead.c', 'common/used.c', 'hypervisor/main.c'],
             'kernel files')


if __name__ == '__main__':
    sys.exit(main(sys.argv, __file__))
