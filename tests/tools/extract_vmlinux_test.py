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


def elf_with_segments(segments, tail=b'SECTIONS'):
    """A 64-bit little-endian ELF file: the header, one PT_LOAD program
    header per (offset, data, memsz) in segments, the data at its offset,
    then tail (where section headers would be, e_shoff pointing at it)."""
    phoff, n = 64, len(segments)
    end = max(off + len(data) for off, data, _ in segments)
    out = bytearray(end) + tail
    out[0:4] = b'\x7fELF'
    out[4], out[5] = 2, 1
    struct.pack_into('<QQ', out, 0x20, phoff, end)                  # e_phoff, e_shoff
    struct.pack_into('<HHHHH', out, 0x36, 56, n, 64, 3, 2)           # ph size/num, sh size/num/strndx
    for i, (off, data, memsz) in enumerate(segments):
        struct.pack_into('<IIQQQQQQ', out, phoff + i * 56, 1, 5, off, 0x1000000 + off,
                         0x1000000 + off, len(data), memsz, 0x1000)
        out[off:off + len(data)] = data
    return bytes(out)


def segment(elf, i):
    """(offset, filesz, memsz) of program header i."""
    at = struct.unpack_from('<Q', elf, 0x20)[0] + i * 56
    _, _, off, _, _, filesz, memsz = struct.unpack_from('<IIQQQQQ', elf, at)
    return off, filesz, memsz


@case
def compact_leaves_the_last_segments_trailing_zeroes_to_the_loader():
    first = b'\x90' * 0x100
    last = b'data' + b'\0' * 0x2000
    elf = elf_with_segments([(0x200, first, 0x100), (0x400, last, 0x4000)])
    out = ev.compact(elf)
    check_eq(segment(out, 0), (0x200, 0x100, 0x100), 'the first segment')
    check_eq(segment(out, 1), (0x400, 4, 0x4000), 'the last segment')
    check_eq(len(out), 0x404, 'the file ends with the last nonzero byte')
    check_eq(out[0x200:0x300], first, 'the first segment\'s bytes')
    check_eq(out[0x400:0x404], b'data', 'the last segment\'s bytes')
    check_eq(struct.unpack_from('<Q', out, 0x28)[0], 0, 'e_shoff')
    check_eq(struct.unpack_from('<HH', out, 0x3c), (0, 0), 'e_shnum, e_shstrndx')


@case
def compact_keeps_what_another_segment_still_needs():
    # The zero run of the last segment in the file overlaps nothing, but an
    # earlier segment's bytes end after it: the file keeps them.
    elf = elf_with_segments([(0x800, b'\x11' * 0x100, 0x100), (0x400, b'x' + b'\0' * 0x10, 0x20)])
    out = ev.compact(elf)
    check_eq(len(out) >= 0x900, True, 'the first segment is still whole')
    check_eq(out[0x800:0x900], b'\x11' * 0x100, 'its bytes')


@case
def compact_leaves_what_is_not_an_elf64_file_alone():
    check_eq(ev.compact(b'\x7fELF' + b'\1' * 60), b'\x7fELF' + b'\1' * 60, 'a 32-bit file')
    check_eq(ev.compact(b'short'), b'short', 'a short file')


if __name__ == '__main__':
    sys.exit(cases.main(sys.argv, __file__))
