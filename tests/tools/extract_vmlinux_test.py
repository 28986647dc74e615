#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of tools/linux-guest/extract_vmlinux.py on small bzImage-shaped
files built here: the set-up header's fields written at their boot-protocol
offsets, a fake ELF file compressed with each format, the size trailer the
kernel build appends. Installed by unit.mk as build/host/tests/
extract_vmlinux_test.

    tests/tools/extract_vmlinux_test.py [SUBSTRING]
"""

import gzip
import lzma
import shutil
import struct
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tools' / 'linux-guest'))
sys.path.insert(0, str(HERE))
import cases  # noqa: E402
from cases import case, check_eq  # noqa: E402
import extract_vmlinux as ev  # noqa: E402

KERNEL = b'\x7fELF' + bytes(range(256)) * 64


def with_size(stream, size=None):
    return stream + struct.pack('<I', len(KERNEL) if size is None else size)


def bzimage(payload, setup_sects=2, version=0x20f, gap=0x40):
    """Set-up sectors, then the protected-mode part, whose payload starts
    gap bytes in (payload_offset) and is followed by a little padding."""
    setup = bytearray((setup_sects or 4) * 512 + 512)
    setup[0x1f1] = setup_sects
    setup[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', setup, 0x206, version)
    struct.pack_into('<II', setup, 0x248, gap, len(payload))
    return bytes(setup) + b'\xcc' * gap + payload + b'\0' * 32


def expect_error(image, words):
    try:
        ev.extract(image)
    except ev.ExtractError as e:
        if words not in str(e):
            raise AssertionError(f'error {e!r} does not say {words!r}') from None
        return
    raise AssertionError('extract() accepted the image')


@case
def xz_payload_named_by_the_header():
    out, where = ev.extract(bzimage(with_size(lzma.compress(KERNEL))))
    check_eq(out, KERNEL, 'vmlinux')
    check_eq(where.split()[0], 'xz', 'format')


@case
def gzip_payload_has_no_appended_size():
    out, _ = ev.extract(bzimage(gzip.compress(KERNEL, mtime=0)))
    check_eq(out, KERNEL, 'vmlinux')


@case
def zstd_payload():
    if not shutil.which('zstd'):
        print('# skipped: zstd is not installed')
        return
    stream = subprocess.run(['zstd', '-q', '-c'], input=KERNEL, stdout=subprocess.PIPE,
                            check=True).stdout
    out, _ = ev.extract(bzimage(with_size(stream)))
    check_eq(out, KERNEL, 'vmlinux')


@case
def setup_sects_zero_means_four():
    out, _ = ev.extract(bzimage(with_size(lzma.compress(KERNEL)), setup_sects=0))
    check_eq(out, KERNEL, 'vmlinux')


@case
def wrong_size_trailer_is_refused():
    expect_error(bzimage(with_size(lzma.compress(KERNEL), len(KERNEL) - 1)),
                 'but the payload says')


@case
def payload_that_is_not_elf_is_refused():
    expect_error(bzimage(gzip.compress(b'not a kernel' * 10, mtime=0)), 'not an ELF')


@case
def unknown_compressor_is_named():
    expect_error(bzimage(b'\x11\x22\x33\x44' * 8), 'no known compressor')


@case
def old_header_falls_back_to_scanning():
    image = bzimage(gzip.compress(KERNEL, mtime=0), version=0x207)
    out, where = ev.extract(image)
    check_eq(out, KERNEL, 'vmlinux')
    check_eq('scanning' in where, True, where)


@case
def nothing_to_find_is_refused():
    expect_error(b'\0' * 4096, 'no set-up header')


if __name__ == '__main__':
    sys.exit(cases.main(sys.argv, __file__))
