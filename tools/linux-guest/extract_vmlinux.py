#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Extracts the uncompressed kernel (vmlinux, an ELF file) from a bzImage.

    tools/linux-guest/extract_vmlinux.py VMLINUZ OUT

A bzImage is real-mode set-up code followed by the protected-mode part,
which carries the compressed kernel. Boot protocol 2.08 and later name the
payload in the set-up header: payload_offset (0x248) counts from the start
of the protected-mode part, which begins (setup_sects + 1) * 512 bytes into
the file (setup_sects at 0x1f1; 0 means 4), and payload_length is 0x24c.
An older or odd image is scanned for a compressor's magic number instead,
as Linux's scripts/extract-vmlinux does. The payload is decompressed with
the host's own tools (gzip, xz, zstd, bzip2, lz4).

The payload's last 4 bytes are the decompressed size, little-endian: the
kernel build appends it to every format but gzip, whose own trailer (ISIZE)
says the same. So those 4 bytes are cut off before decompressing, except
for gzip, and the output must be exactly that long.

Writes OUT only when it is a complete ELF file; exits 1 with a reason
otherwise.

The file is then made smaller without changing a byte the kernel loads
(compact): the zeroes that end the last loadable segment in the file (its
.bss and brk, 23 MiB of Debian 6.1's 66 MiB) are left to the loader, which
zero-fills a segment past its file size as ELF says, and the section
headers, which no loader reads, are dropped. Every segment's memory image
is the same; only the file shrinks, so the guest's boot bundle does too.
"""

import os
import struct
import subprocess
import sys

HDR_SETUP_SECTS = 0x1f1
HDR_MAGIC = 0x202            # "HdrS"
HDR_VERSION = 0x206
HDR_PAYLOAD = 0x248          # payload_offset, payload_length (2.08+)
PAYLOAD_FIELDS_VERSION = 0x208
PT_LOAD = 1

# (name, magic, command, whether the build appended a size trailer)
FORMATS = [
    ('gzip', b'\x1f\x8b\x08', ['gzip', '-dc'], False),
    ('xz', b'\xfd7zXZ\x00', ['xz', '-dc'], True),
    ('zstd', b'\x28\xb5\x2f\xfd', ['zstd', '-dcq'], True),
    ('bzip2', b'BZh', ['bzip2', '-dc'], True),
    ('lz4', b'\x02\x21\x4c\x18', ['lz4', '-dcq'], True),
]

ELF_MAGIC = b'\x7fELF'


class ExtractError(Exception):
    pass


def header_payload(image):
    """(offset, length) of the payload the set-up header names, or None if
    the header is missing, too old, or names bytes outside the file."""
    if len(image) < HDR_PAYLOAD + 8 or image[HDR_MAGIC:HDR_MAGIC + 4] != b'HdrS':
        return None
    version, = struct.unpack_from('<H', image, HDR_VERSION)
    if version < PAYLOAD_FIELDS_VERSION:
        return None
    setup_sects = image[HDR_SETUP_SECTS] or 4
    offset, length = struct.unpack_from('<II', image, HDR_PAYLOAD)
    start = (setup_sects + 1) * 512 + offset
    if length == 0 or start + length > len(image):
        return None
    return start, length


def format_of(payload):
    for fmt in FORMATS:
        if payload.startswith(fmt[1]):
            return fmt
    return None


def decompress(fmt, payload):
    """The decompressed bytes, checked against the size trailer."""
    name, _, command, size_appended = fmt
    if len(payload) < 8:
        raise ExtractError(f'the {name} payload is only {len(payload)} bytes')
    want, = struct.unpack_from('<I', payload, len(payload) - 4)
    stream = payload[:-4] if size_appended else payload
    try:
        r = subprocess.run(command, input=stream, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        raise ExtractError(f'the payload is {name}, and {command[0]} is not '
                           'installed') from None
    if r.returncode != 0:
        raise ExtractError(f'{" ".join(command)} failed: '
                           f'{r.stderr.decode(errors="replace").strip()}')
    # The trailer holds the size modulo 2^32; a kernel is far smaller.
    if len(r.stdout) != want:
        raise ExtractError(f'{name} gave {len(r.stdout)} bytes, but the payload '
                           f'says {want}')
    return r.stdout


def scan_candidates(image):
    """Every (offset, format) where a compressor's magic number appears,
    in file order: the fallback when the header names no payload."""
    found = []
    for fmt in FORMATS:
        at = image.find(fmt[1])
        while at >= 0:
            found.append((at, fmt))
            at = image.find(fmt[1], at + 1)
    return sorted(found, key=lambda c: c[0])


def extract(image):
    """(vmlinux bytes, a one-line description of where they came from)."""
    named = header_payload(image)
    if named is not None:
        start, length = named
        payload = image[start:start + length]
        fmt = format_of(payload)
        if fmt is None:
            raise ExtractError(f'the payload at 0x{start:x} starts with '
                               f'{payload[:6].hex()}, no known compressor')
        out = decompress(fmt, payload)
        if not out.startswith(ELF_MAGIC):
            raise ExtractError(f'the {fmt[0]} payload is not an ELF file')
        return out, f'{fmt[0]} payload at 0x{start:x}, {length} bytes'

    # No usable header: try each magic number; the payload runs to the end
    # of the file at most, so the size trailer cannot be relied on here.
    for at, fmt in scan_candidates(image):
        r = subprocess.run(fmt[2], input=image[at:], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=False)
        if r.stdout.startswith(ELF_MAGIC):
            return r.stdout, f'{fmt[0]} stream found at 0x{at:x} by scanning'
    raise ExtractError('no set-up header names a payload, and no compressed '
                       'ELF file was found by scanning')


def compact(elf):
    """elf with the last loadable segment's trailing zeroes and the section
    headers cut (see the module's description); elf itself if it is not a
    64-bit little-endian ELF file or has nothing to cut."""
    if len(elf) < 64 or elf[4] != 2 or elf[5] != 1:
        return elf
    phoff, = struct.unpack_from('<Q', elf, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', elf, 0x36)
    headers = []
    for i in range(phnum):
        at = phoff + i * phentsize
        p_type, _, p_offset, _, _, p_filesz, p_memsz = struct.unpack_from('<IIQQQQQ', elf, at)
        headers.append((at, p_type, p_offset, p_filesz, p_memsz))
    loads = [h for h in headers if h[1] == PT_LOAD and h[3]]
    if not loads:
        return elf
    last = max(loads, key=lambda h: h[2] + h[3])
    at, _, offset, filesz, memsz = last
    kept = len(elf[offset:offset + filesz].rstrip(b'\0'))
    # Everything else the program headers name ends where it ended.
    end = max([offset + kept, phoff + phnum * phentsize] +
              [h[2] + h[3] for h in headers if h is not last])
    out = bytearray(elf[:end])
    struct.pack_into('<Q', out, at + 0x20, kept)                     # p_filesz
    struct.pack_into('<Q', out, 0x28, 0)                             # e_shoff
    struct.pack_into('<HH', out, 0x3c, 0, 0)                         # e_shnum, e_shstrndx
    assert memsz >= kept
    return bytes(out)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], 'rb') as f:
        image = f.read()
    try:
        vmlinux, where = extract(image)
    except ExtractError as e:
        print(f'extract_vmlinux: {argv[1]}: {e}', file=sys.stderr)
        return 1
    full = len(vmlinux)
    vmlinux = compact(vmlinux)
    tmp = argv[2] + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(vmlinux)
    os.replace(tmp, argv[2])
    print(f'extract_vmlinux: {argv[2]}: {len(vmlinux)} bytes ({full} before compacting) '
          f'from the {where}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
