#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of tools/linux-guest/cpio_newc.py: the bytes of an entry as
the newc format lays them out, a whole archive as GNU cpio reads it back
(types, modes, device numbers, link targets, contents), 4-byte alignment
of every entry, and the paths the writer refuses. Installed by unit.mk as
build/host/tests/cpio_newc_test.

    tests/tools/cpio_newc_test.py [SUBSTRING]
"""

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tools' / 'linux-guest'))
sys.path.insert(0, str(HERE))
import cases  # noqa: E402
from cases import case, check_eq  # noqa: E402
from cpio_newc import CpioError, CpioWriter  # noqa: E402

HEADER = 110   # "070701" and 13 fields of 8 hex digits


def sample():
    out = io.BytesIO()
    w = CpioWriter(out)
    w.directory('dev')
    w.char_device('dev/console', 5, 1)
    w.directory('bin')
    w.file('bin/busybox', b'\x7fELF busybox', 0o755)
    w.symlink('bin/sh', '/bin/busybox')
    w.file('init', b'#!/bin/sh\necho hi\n', 0o755)
    w.file('empty', b'')
    w.close()
    return out.getvalue()


def entries(archive):
    """(offset, name, mode, filesize, rdev, data) per entry, read here
    independently of the writer."""
    found, at = [], 0
    while True:
        check_eq(archive[at:at + 6], b'070701', f'magic at {at}')
        f = [int(archive[at + 6 + 8 * i:at + 14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        name = archive[at + HEADER:at + HEADER + namesize - 1].decode()
        check_eq(archive[at + HEADER + namesize - 1], 0, f'{name}: NUL ends the name')
        data_at = (at + HEADER + namesize + 3) & ~3
        data = archive[data_at:data_at + filesize]
        found.append((at, name, f[1], filesize, (f[9], f[10]), data))
        if name == 'TRAILER!!!':
            return found, data_at + filesize
        at = (data_at + filesize + 3) & ~3


@case
def header_fields_are_hex_in_newc_order():
    out = io.BytesIO()
    w = CpioWriter(out)
    w.file('init', b'abc', 0o755)
    a = out.getvalue()
    check_eq(a[:6], b'070701', 'magic')
    fields = [a[6 + 8 * i:14 + 8 * i] for i in range(13)]
    check_eq(fields[0], b'00000001', 'ino')
    check_eq(fields[1], b'000081ED', 'mode: regular file 0755')
    check_eq(fields[4], b'00000001', 'nlink')
    check_eq(fields[5], b'00000000', 'mtime')
    check_eq(fields[6], b'00000003', 'filesize')
    check_eq(fields[11], b'00000005', 'namesize counts the NUL')
    # 110 + 5 = 115: the name is padded to 116, then the data, then to 120.
    check_eq(a[HEADER:116], b'init\0\0', 'name and padding')
    check_eq(a[116:120], b'abc\0', 'data and padding')
    check_eq(len(a), 120, 'length')


@case
def every_entry_is_aligned_and_the_trailer_ends_it():
    a = sample()
    found, end = entries(a)
    for at, name, _, _, _, _ in found:
        check_eq(at % 4, 0, f'{name} at {at}')
    check_eq([e[1] for e in found][-1], 'TRAILER!!!', 'last entry')
    check_eq(end, len(a), 'nothing after the trailer')
    check_eq(len(a) % 4, 0, 'archive length')


@case
def device_node_and_symlink_as_written():
    found = {e[1]: e for e in entries(sample())[0]}
    check_eq(found['dev/console'][2], 0o020600, 'char device mode')
    check_eq(found['dev/console'][4], (5, 1), 'rdev')
    check_eq(found['bin/sh'][2], 0o120777, 'symlink mode')
    check_eq(found['bin/sh'][5], b'/bin/busybox', 'symlink target as data')


@case
def gnu_cpio_reads_it_back():
    if not shutil.which('cpio'):
        print('# skipped: GNU cpio is not installed')
        return
    a = sample()
    listing = subprocess.run(['cpio', '-itv', '--quiet'], input=a, stdout=subprocess.PIPE,
                             check=True).stdout.decode().splitlines()
    by_name = {line.split()[-1] if '->' not in line else line.split()[-3]: line
               for line in listing}
    check_eq(sorted(by_name), sorted(['dev', 'dev/console', 'bin', 'bin/busybox',
                                      'bin/sh', 'init', 'empty']), 'names')
    check_eq(by_name['dev/console'].split()[0], 'crw-------', 'console mode')
    check_eq(by_name['dev/console'].split()[4:6], ['5,', '1'], 'console device')
    check_eq(by_name['bin/sh'].split()[-1], '/bin/busybox', 'link target')
    check_eq(by_name['init'].split()[0], '-rwxr-xr-x', 'init mode')
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(['cpio', '-id', '--quiet', 'init'], input=a, cwd=tmp, check=True)
        check_eq(Path(tmp, 'init').read_bytes(), b'#!/bin/sh\necho hi\n', 'init contents')


@case
def same_entries_give_the_same_bytes():
    check_eq(sample() == sample(), True, 'reproducible')


@case
def refused_paths_and_uses():
    def refused(action, words):
        w = CpioWriter(io.BytesIO())
        w.directory('bin')
        try:
            action(w)
        except CpioError as e:
            if words not in str(e):
                raise AssertionError(f'{e!r} does not say {words!r}') from None
            return
        raise AssertionError(f'accepted: {words}')

    refused(lambda w: w.file('/init', b''), 'bad path')
    refused(lambda w: w.file('bin/../init', b''), 'bad path')
    refused(lambda w: w.file('bin//sh', b''), 'bad path')
    refused(lambda w: w.file('', b''), 'bad path')
    refused(lambda w: w.directory('bin'), 'twice')
    refused(lambda w: w.file('usr/bin/awk', b''), 'directory usr/bin is not')
    refused(lambda w: w.symlink('bin/sh', ''), 'needs a target')
    refused(lambda w: w.char_device('bin/x', -1, 0), 'bad device number')

    def after_close(w):
        w.close()
        w.file('late', b'')
    refused(after_close, 'closed')


if __name__ == '__main__':
    sys.exit(cases.main(sys.argv, __file__))
