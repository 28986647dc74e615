#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The trusted computing base in code lines (`make tcb`, `make bench`).

    python3 tools/tcb.py [--root DIR] [--files] [BUILD]

Counts the code lines (C, headers, NASM: no comments, no blank lines) of
every file the kernel image's objects were compiled from, as the build's
own dependency files name them: BUILD/k/**/*.d (gcc -MMD, nasm -MD) and
BUILD/gen/asm_offsets.d (the C file the assembler's struct offsets come
from). Where a file lives does not matter, only that an object of the image
was built from it. Objects compiled from firmware/ are the UEFI stage, and so
is an object compiled elsewhere (common/) that only the UEFI stage calls: the
linker's view decides, by the symbols each object defines and references
(nm), so shared code the kernel calls is the kernel's wherever it lives, and
code only the boot stage calls is not. The files only boot-stage objects were
compiled from are counted apart, as the boot stage; a file the kernel uses
too counts for the kernel. System headers (/usr/...) and files the build
generates (inside BUILD) are not counted.

Prints "#" lines saying what was counted, then
    bench: tcb_kernel_lines_vmx N
    bench: tcb_kernel_lines_svm N
    bench: tcb_kernel_lines N
    bench: tcb_boot_stage_lines N
The first two are the kernel as a machine with one CPU back end runs it:
without the files only the other back end's objects (those compiled from
its folder) were compiled from.
With --files, one "# LINES ROLE PATH" line per file first. Paths in the
dependency files are relative to where make ran: --root, by default the
parent of BUILD.

Standard library only (Python 3.11, Debian 12).
"""

import argparse
import os
import re
import sys
import subprocess
from pathlib import Path

BOOT_STAGE_DIR = 'firmware'         # objects compiled from here: the UEFI stage
SHARED_DIR = 'common'               # shared code: the kernel's if the kernel calls it
# The CPU back ends, of which a machine runs one (docs/design.md).
BACKEND_DIRS = {'vmx': 'hypervisor/arch/x86/vmx', 'svm': 'hypervisor/arch/x86/svm'}
SYSTEM_DIRS = ('/usr/',)            # headers of the toolchain and gnu-efi
NASM_SUFFIXES = ('.asm', '.inc', '.nasm', '.mac')
# NASM 2.16's -MD names only the source, not what it %includes: those are
# followed here, searched as mk/image.mk's NASMFLAGS -I options say.
NASM_INCLUDE_DIRS = ('hypervisor', '{build}/gen')
_NASM_INCLUDE = re.compile(r'^\s*%include\s+(["\'`])(.+?)\1', re.M)


# --------------------------------------------------------------------------
# Code lines

def c_code_lines(text):
    """How many lines of C text hold code once /* */ and // comments are
    removed. String and character literals are code, whatever they hold;
    a backslash-newline continues a // comment onto the next line."""
    count = 0
    has_code = False
    state = 'code'          # code, line, block, string, char
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ''
        if c == '\n':
            count += has_code
            has_code = False
            if state == 'line':
                state = 'code'
            i += 1
            continue
        if state == 'code':
            if c == '/' and nxt == '*':
                state = 'block'
                i += 2
                continue
            if c == '/' and nxt == '/':
                state = 'line'
                i += 2
                continue
            if c == '"':
                state = 'string'
            elif c == "'":
                state = 'char'
            if not c.isspace():
                has_code = True
        elif state == 'block':
            if c == '*' and nxt == '/':
                state = 'code'
                i += 2
                continue
        elif state == 'line':
            if c == '\\' and nxt == '\n':
                i += 2      # the comment goes on; the next line has no code yet
                count += has_code
                has_code = False
                continue
        else:   # inside a string or character literal
            if c == '\\' and nxt:
                if nxt == '\n':
                    count += has_code
                    has_code = True     # the literal goes on: code on the next line
                i += 2
                continue
            if (c == '"' and state == 'string') or (c == "'" and state == 'char'):
                state = 'code'
        i += 1
    return count + has_code


def nasm_code_lines(text):
    """How many lines of NASM text hold code once ; comments are removed
    (a ; inside '...', "..." or `...` is not a comment)."""
    count = 0
    for line in text.splitlines():
        quote = None
        i = 0
        code = []
        while i < len(line):
            c = line[i]
            if quote:
                if quote == '`' and c == '\\':
                    code.append(line[i:i + 2])
                    i += 2
                    continue
                if c == quote:
                    quote = None
            elif c in '\'"`':
                quote = c
            elif c == ';':
                break
            code.append(c)
            i += 1
        count += bool(''.join(code).strip())
    return count


def code_lines(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if str(path).endswith(NASM_SUFFIXES):
        return nasm_code_lines(text)
    return c_code_lines(text)


# --------------------------------------------------------------------------
# Dependency files

_COLON = re.compile(r'(?<!\\):(?=\s|$)')
_WORD = re.compile(r'(?:\\.|[^\s\\])+')


def _words(text):
    """Make words: split at unescaped blanks; "\\ " is a space in a name,
    "\\#" a #, "$$" a $."""
    return [re.sub(r'\\([ #:\\])', r'\1', w).replace('$$', '$')
            for w in _WORD.findall(text)]


def parse_depfile(text):
    """[(targets, prerequisites)] of the rules in a make dependency file as
    gcc -MMD/-MP and nasm -MD write them (continuation lines, phony rules
    without prerequisites)."""
    text = re.sub(r'\\\r?\n', ' ', text)
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        colon = _COLON.search(line)
        if not colon:
            continue
        rules.append((_words(line[:colon.start()]), _words(line[colon.end():])))
    return rules


def depfile_sources(path):
    """The files one dependency file names, the object's own source first."""
    with open(path, encoding='utf-8', errors='replace') as f:
        rules = parse_depfile(f.read())
    files = []
    for _, prereqs in rules:
        files += [p for p in prereqs if p not in files]
    return files


def nasm_includes(path, root, build):
    """The files a NASM source %includes, directly or not (absolute paths;
    names that resolve nowhere are returned as they are written)."""
    dirs = [os.path.join(root, d.format(build=build)) for d in NASM_INCLUDE_DIRS]
    found, todo = [], [path]
    while todo:
        src = todo.pop()
        with open(src, encoding='utf-8', errors='replace') as f:
            names = [m.group(2) for m in _NASM_INCLUDE.finditer(f.read())]
        for name in names:
            where = [os.path.dirname(src)] + dirs
            hits = [os.path.join(d, name) for d in where if os.path.isfile(os.path.join(d, name))]
            inc = os.path.realpath(hits[0]) if hits else name
            if inc not in found:
                found.append(inc)
                if hits and inc.endswith(NASM_SUFFIXES):
                    todo.append(inc)
    return found


def _symbols(obj, *flags):
    """Global symbol names nm lists for obj with flags, or None if nm fails."""
    try:
        out = subprocess.run(['nm', '-P', *flags, str(obj)], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def boot_only_objects(objects, folder_of):
    """The objects that belong to the boot stage. folder_of(obj) says where
    an object was compiled from: 'boot' (firmware/), 'shared' (common/) or
    'kernel' (anywhere else). Boot objects are the boot stage's; kernel
    objects the kernel's; a shared object is the boot stage's only if no
    kernel object reaches it through the symbols it references, directly or
    through other objects, and a boot object does. A shared object nothing
    references stays the kernel's: it is in the image all the same. If nm
    cannot read an object, shared objects count for the kernel."""
    boot_roots = {o for o in objects if folder_of(o) == 'boot'}
    defs, refs = {}, {}
    for obj in objects:
        d, r = _symbols(obj, '--defined-only', '-g'), _symbols(obj, '-u')
        if d is None or r is None:
            return boot_roots
        defs[obj], refs[obj] = d, r
    owner = {}
    for obj, names in defs.items():
        for name in names:
            owner.setdefault(name, obj)

    def reach(roots):
        seen, todo = set(roots), list(roots)
        while todo:
            for name in refs[todo.pop()]:
                dep = owner.get(name)
                if dep and dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
        return seen

    kernel = reach([o for o in objects if folder_of(o) == 'kernel'])
    boot = reach(boot_roots)
    return boot_roots | {o for o in boot - kernel if folder_of(o) == 'shared'}


def depfiles(build):
    """The dependency files of the kernel image's objects in build."""
    build = Path(build)
    found = sorted((build / 'k').rglob('*.d'))
    gen = build / 'gen' / 'asm_offsets.d'
    if gen.is_file():
        found.append(gen)
    return found


# --------------------------------------------------------------------------
# The measure

class Tcb:
    def __init__(self):
        self.kernel = {}        # path (as shown) -> code lines
        self.backend_lines = {}  # CPU back end -> kernel lines with it alone
        self.boot_stage = {}
        self.objects = 0        # dependency files read
        self.skipped = []       # (path, why) not counted
        self.warnings = []

    @property
    def kernel_lines(self):
        return sum(self.kernel.values())

    @property
    def boot_stage_lines(self):
        return sum(self.boot_stage.values())


def _shown(path, root):
    rel = os.path.relpath(path, root)
    return path if rel.startswith('..') else rel


def _inside(path, folder):
    return os.path.commonpath([path, folder]) == folder


def measure(build, root=None):
    """Reads build's dependency files; returns a Tcb. root: where make ran
    (the dependency files' paths are relative to it), by default build's
    parent."""
    build = os.path.realpath(build)
    root = os.path.realpath(root if root is not None else os.path.dirname(build))
    boot_dir = os.path.join(root, BOOT_STAGE_DIR)
    shared_dir = os.path.join(root, SHARED_DIR)
    tcb = Tcb()
    kernel, boot = set(), set()
    used = []                   # (object, its files) of every object counted
    for dep in depfiles(build):
        names = depfile_sources(dep)
        if not names:
            tcb.warnings.append(f'{_shown(str(dep), root)} names no files')
            continue
        files = [os.path.realpath(os.path.join(root, n)) for n in names]
        if not os.path.isfile(files[0]):
            # The source is gone: a stale object no build links any more.
            tcb.warnings.append(f'{_shown(str(dep), root)}: its source {names[0]} is gone; '
                                'not counted')
            continue
        if files[0].endswith(NASM_SUFFIXES):
            for inc in nasm_includes(files[0], root, build):
                if inc not in files:
                    names.append(inc)
                    files.append(inc)
        tcb.objects += 1
        counted = set()
        for name, path in zip(names, files):
            if name.startswith(SYSTEM_DIRS):
                continue
            if _inside(path, build):
                tcb.skipped.append((_shown(path, root), 'generated by the build'))
                continue
            if not os.path.isfile(path):
                tcb.warnings.append(f'{_shown(str(dep), root)} names {name}, which is gone')
                continue
            counted.add(path)
        used.append((dep.with_suffix('.o'), files[0], counted))

    def folder_of(src):
        return ('boot' if _inside(src, boot_dir) else
                'shared' if _inside(src, shared_dir) else 'kernel')

    # Objects without one (asm_offsets.c is compiled for its constants
    # only) feed the kernel's assembly: the kernel's.
    objects = {obj: src for obj, src, _ in used if obj.is_file()}
    boot_objects = boot_only_objects(sorted(objects), lambda o: folder_of(objects[o]))
    for obj, src, counted in used:
        on_boot = obj in boot_objects if obj in objects else folder_of(src) == 'boot'
        (boot if on_boot else kernel).update(counted)
    for path in sorted(kernel | boot):
        table = tcb.kernel if path in kernel else tcb.boot_stage
        table[_shown(path, root)] = code_lines(path)
    # A machine runs one CPU back end: its TCB is the kernel without the
    # files only the other back end's objects were compiled from.
    backend_dirs = {b: os.path.join(root, d) for b, d in BACKEND_DIRS.items()}
    for backend in backend_dirs:
        others = [d for b, d in backend_dirs.items() if b != backend]
        files = set()
        for obj, src, counted in used:
            if not any(_inside(src, d) for d in others):
                files.update(counted & kernel)
        tcb.backend_lines[backend] = sum(tcb.kernel[_shown(f, root)] for f in files)
    tcb.skipped = sorted(set(tcb.skipped))
    return tcb


def report(tcb, build_name='build', files=False):
    """The lines `make tcb` prints: how it was measured, then the figures."""
    lines = []
    if files:
        for role, table in (('kernel', tcb.kernel), ('boot', tcb.boot_stage)):
            lines += [f'# {n:6} {role:6} {path}' for path, n in table.items()]
    lines.append(f'# tcb: code lines (C, headers, NASM; no comments, no blank lines) of the '
                 f'files the image\'s {tcb.objects} objects were compiled from, per '
                 f'{build_name}/k/**/*.d and {build_name}/gen/asm_offsets.d: kernel '
                 f'{len(tcb.kernel)} files; UEFI stage (objects from {BOOT_STAGE_DIR}/) '
                 f'{len(tcb.boot_stage)} files of its own')
    if tcb.skipped:
        lines.append('# tcb: not counted, generated by the build: '
                     + ', '.join(path for path, _ in tcb.skipped))
    for backend, n in tcb.backend_lines.items():
        lines.append(f'bench: tcb_kernel_lines_{backend} {n}')
    lines.append(f'bench: tcb_kernel_lines {tcb.kernel_lines}')
    lines.append(f'bench: tcb_boot_stage_lines {tcb.boot_stage_lines}')
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(prog='tcb.py', description=__doc__.split('\n\n')[0])
    p.add_argument('build', nargs='?', default='build',
                   help='the build directory (default: build)')
    p.add_argument('--root', help='where make ran (default: the parent of BUILD)')
    p.add_argument('--files', action='store_true', help='list every file counted')
    args = p.parse_args(argv)
    if not (Path(args.build) / 'k').is_dir():
        print(f'tcb.py: {args.build}/k: no kernel objects: build the image first '
              '(make)', file=sys.stderr)
        return 1
    tcb = measure(args.build, args.root)
    for w in tcb.warnings:
        print(f'tcb.py: {w}', file=sys.stderr)
    if not tcb.kernel:
        print(f'tcb.py: {args.build}: no kernel files found', file=sys.stderr)
        return 1
    print('\n'.join(report(tcb, args.build.rstrip('/'), args.files)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
