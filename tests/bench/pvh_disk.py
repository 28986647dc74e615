# SPDX-License-Identifier: GPL-2.0-only
"""The disk that tests/bench/pvh_rom.asm boots Linux from through PVH on
Bochs, with no firmware (the bare-metal Linux boot of
tests/bench/linux_bare.py, docs/benchmarks.md): a load table in sector 0,
then what a PVH loader puts in RAM, the kernel's segments, the initramfs
and a boot-info page, each as a run of sectors that the ROM copies to its
address.

The kernel is read as vmlinux (ELF64), the file Bulkhead's monitor loads:
its PT_LOAD segments by physical address and its PVH entry, the 32-bit
address in the Xen ELF note of type 18 (XEN_ELFNOTE_PHYS32_ENTRY;
docs/linux-guest.md). The boot-info page holds, at BOOT_INFO:

    +0x000  u32 the PVH entry (pvh_rom.asm jumps through it)
    +0x040  struct hvm_start_info (vmm/loader/hvm_start_info.h), version 1
    +0x080  struct hvm_modlist_entry[1]: the initramfs
    +0x100  struct hvm_memmap_table_entry[]: the memory map
    +0x800  the command line, NUL-terminated (at most 2 KiB with its NUL)

Bad input raises PvhImageError with the reason.
"""

import struct

BOOT_INFO = 0x10000            # keep in step with pvh_rom.asm
START_INFO_OFFSET = 0x40
MODLIST_OFFSET = 0x80
MEMMAP_OFFSET = 0x100
CMDLINE_OFFSET = 0x800
PAGE = 0x1000

HVM_START_MAGIC = 0x336ec578
XEN_ELFNOTE_PHYS32_ENTRY = 18
MEMMAP_RAM, MEMMAP_RESERVED = 1, 2
PT_LOAD, PT_NOTE = 1, 4


class PvhImageError(Exception):
    """The kernel or the layout cannot be booted; the message says why."""


def kernel_layout(elf):
    """(entry, [(paddr, file offset, filesz, memsz)]) of a vmlinux's bytes,
    the segments sorted by address."""
    if elf[:4] != b'\x7fELF' or len(elf) < 64 or elf[4] != 2 or elf[5] != 1:
        raise PvhImageError('not a little-endian ELF64 file')
    phoff, = struct.unpack_from('<Q', elf, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', elf, 0x36)
    if phentsize < 56 or phoff + phnum * phentsize > len(elf):
        raise PvhImageError('program headers lie outside the file')
    segments, entry = [], None
    for i in range(phnum):
        ptype, _, offset, _, paddr, filesz, memsz = struct.unpack_from(
            '<IIQQQQQ', elf, phoff + i * phentsize)
        if offset + filesz > len(elf) or filesz > memsz:
            raise PvhImageError(f'segment {i} lies outside the file')
        if ptype == PT_LOAD and memsz:
            segments.append((paddr, offset, filesz, memsz))
        elif ptype == PT_NOTE:
            entry = _pvh_entry(elf[offset:offset + filesz]) or entry
    if not segments:
        raise PvhImageError('no PT_LOAD segment')
    if entry is None:
        raise PvhImageError('no PVH entry note (Xen note type 18)')
    segments.sort()
    for (a, _, _, size), (b, _, _, _) in zip(segments, segments[1:]):
        if a + size > b:
            raise PvhImageError(f'segments at {a:#x} and {b:#x} overlap')
    return entry, segments


def _pvh_entry(notes):
    """The PHYS32_ENTRY address in a PT_NOTE's bytes, or None."""
    at = 0
    while at + 12 <= len(notes):
        namesz, descsz, ntype = struct.unpack_from('<III', notes, at)
        name_at = at + 12
        desc_at = name_at + (namesz + 3) // 4 * 4
        end = desc_at + (descsz + 3) // 4 * 4
        if end > len(notes):
            raise PvhImageError('an ELF note runs past its segment')
        if notes[name_at:name_at + namesz].rstrip(b'\0') == b'Xen' \
                and ntype == XEN_ELFNOTE_PHYS32_ENTRY and descsz >= 4:
            return struct.unpack_from('<I', notes, desc_at)[0]
        at = end
    return None


def flat_kernel(elf, segments):
    """(base, bytes): the segments as one image from the first one's
    address to the last one's end, zero between and beyond file bytes."""
    base = segments[0][0]
    end = max(paddr + memsz for paddr, _, _, memsz in segments)
    image = bytearray(end - base)
    for paddr, offset, filesz, _ in segments:
        image[paddr - base:paddr - base + filesz] = elf[offset:offset + filesz]
    return base, bytes(image)


def memory_map(memory_bytes):
    """The machine's RAM as hvm_memmap_table_entry tuples (addr, size,
    type): conventional memory, the legacy video and ROM hole, and the rest
    above 1 MiB. Bochs has no other holes below 4 GiB at these sizes."""
    if memory_bytes <= 0x100000 or memory_bytes > 0xe0000000:
        raise PvhImageError(f'memory of {memory_bytes} bytes: want 1 MiB to 3.5 GiB')
    return [(0, 0xa0000, MEMMAP_RAM),
            (0xa0000, 0x60000, MEMMAP_RESERVED),
            (0x100000, memory_bytes - 0x100000, MEMMAP_RAM)]


def boot_info(entry, cmdline, initramfs_at, initramfs_size, memory_bytes, rsdp=0):
    """The boot-info page (one 4 KiB page at BOOT_INFO) for these; rsdp is
    the ACPI RSDP's address, 0 for a machine without ACPI tables."""
    text = cmdline.encode() + b'\0'
    if len(text) > PAGE - CMDLINE_OFFSET:
        raise PvhImageError(f'command line of {len(text) - 1} bytes: at most '
                            f'{PAGE - CMDLINE_OFFSET - 1}')
    if not 0 < entry < 1 << 32:
        raise PvhImageError(f'entry {entry:#x} is not a 32-bit address')
    mmap = memory_map(memory_bytes)
    page = bytearray(PAGE)
    struct.pack_into('<I', page, 0, entry)
    struct.pack_into('<IIIIQQQQII', page, START_INFO_OFFSET,
                     HVM_START_MAGIC, 1, 0, 1,
                     BOOT_INFO + MODLIST_OFFSET, BOOT_INFO + CMDLINE_OFFSET,
                     rsdp,
                     BOOT_INFO + MEMMAP_OFFSET, len(mmap), 0)
    struct.pack_into('<QQQQ', page, MODLIST_OFFSET, initramfs_at, initramfs_size, 0, 0)
    for i, (addr, size, kind) in enumerate(mmap):
        struct.pack_into('<QQII', page, MEMMAP_OFFSET + 24 * i, addr, size, kind, 0)
    page[CMDLINE_OFFSET:CMDLINE_OFFSET + len(text)] = text
    return bytes(page)


SECTOR = 512
CYLINDER = 16 * 63 * SECTOR     # Bochs takes a flat disk's geometry from its size
MAX_RUNS = SECTOR // 12 - 1     # a table entry is 12 bytes; a zero entry ends it


def disk_image(runs):
    """The disk's bytes for runs, [(RAM address, bytes)] in the order the
    ROM loads them: sector 0 is the load table, then each run from a
    sector boundary, the whole padded to Bochs's whole cylinders."""
    if not 0 < len(runs) <= MAX_RUNS:
        raise PvhImageError(f'{len(runs)} runs to load: want 1 to {MAX_RUNS}')
    table, body, lba = bytearray(SECTOR), bytearray(), 1
    for i, (address, data) in enumerate(runs):
        sectors = -(-len(data) // SECTOR)
        if not sectors or address + len(data) > 1 << 32 or lba + sectors >= 1 << 28:
            raise PvhImageError(f'run {i} at {address:#x} ({len(data)} bytes) cannot be loaded')
        struct.pack_into('<III', table, 12 * i, address, lba, sectors)
        body += data + bytes(sectors * SECTOR - len(data))
        lba += sectors
    image = table + body
    return bytes(image) + bytes(-len(image) % CYLINDER)
