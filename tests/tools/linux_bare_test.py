#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of the bare Linux boot's pure parts (`make bench`,
linux_bare_boot_cycles): the Bochs log and debugger parsing
(tests/bench/bochs_trace.py), the PVH disk the ROM loads
(tests/bench/pvh_disk.py) and the guest clock's answer
(tests/bench/linux_bare.py), and the Linux VM's CLI replies and
overhead (tests/bench/linux_vm.py). Boots nothing. Installed by unit.mk as
build/host/tests/linux_bare_test.

    tests/tools/linux_bare_test.py [SUBSTRING]   # only the cases whose name has it
"""

import struct
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / 'tests' / 'bench'), str(HERE.parents[1] / 'tests' / 'system')]
import bochs_trace  # noqa: E402
import linux_bare  # noqa: E402
import linux_vm  # noqa: E402
import pvh_disk  # noqa: E402
from cases import case, check_eq, main  # noqa: E402


def serial_log(*writes):
    """A Bochs log with serial debug lines for (tick, port, value) writes,
    and an unrelated line or two between them."""
    lines = ['00000000000i[      ] reading configuration from bochsrc']
    for tick, port, value in writes:
        lines.append(f'{tick:011d}d[SER   ] com1 register write to  address: '
                     f'0x{port:04x} = 0x{value:02x}')
        lines.append(f'{tick + 1:011d}d[SER   ] com1 register read from address: 0x03fd = 0x60')
    lines.append('00000000999e[CPU0  ] RDMSR: Unknown register 0xe7')
    return '\n'.join(lines) + '\n'


def text_writes(start, text, port=0x3f8):
    return [(start + 10 * i, port, b) for i, b in enumerate(text.encode())]


def expect(exc, fn, words):
    try:
        fn()
    except exc as e:
        if words not in str(e):
            raise AssertionError(f'error {e!r} does not say {words!r}') from None
        return
    raise AssertionError(f'no {exc.__name__} (wanted one saying {words!r})')


@case
def com1_bytes_skips_divisor_writes_and_other_ports():
    log = serial_log((100, 0x3fb, 0x80), (101, 0x3f8, 0x01), (102, 0x3f9, 0x00),
                     (103, 0x3fb, 0x03), (200, 0x3f8, 0x41), (210, 0x3fc, 0x0b),
                     (220, 0x3f8, 0x0a))
    check_eq(bochs_trace.com1_bytes(log), [(200, 0x41), (220, 0x0a)], 'bytes')


@case
def line_ticks_finds_the_first_line_with_the_marker():
    writes = text_writes(1000, 'boot: x /init reached\nbulkhead-linux: /init reached, v\n'
                               'bulkhead-linux: /init reached again\n')
    sent = bochs_trace.com1_bytes(serial_log(*writes))
    first, last = bochs_trace.line_ticks(sent, b'bulkhead-linux: /init reached')
    at = len('boot: x /init reached\n')
    check_eq((first, last), (1000 + 10 * at, 1000 + 10 * (at + len('bulkhead-linux: /init '
                                                                     'reached, v'))), 'ticks')
    sent = bochs_trace.com1_bytes(serial_log(*text_writes(5, 'mark\n')))
    check_eq(bochs_trace.line_ticks(sent, b'mark'), (5, 45), 'at the very start')


@case
def line_ticks_refuses_a_missing_or_unended_line():
    sent = bochs_trace.com1_bytes(serial_log(*text_writes(0, 'say mark\nmark')))
    expect(bochs_trace.TraceError, lambda: bochs_trace.line_ticks(sent, b'mark'), 'no end')
    expect(bochs_trace.TraceError, lambda: bochs_trace.line_ticks(sent, b'other'),
           "no COM1 line starts with 'other'")


@case
def breakpoint_tick_reads_the_stop_at_the_address():
    console = ('Next at t=0\r\n(0) [0x0000fffffff0] f000:fff0 (unk. ctxt): jmp .+13\r\n'
               '(0) Breakpoint 1, 0x0000000001000850 in ?? ()\r\nNext at t=33428416\r\n'
               '(0) [0x000001000850] 0010:0000000001000850 (unk. ctxt): cld\r\n')
    check_eq(bochs_trace.breakpoint_tick(console, 0x1000850), 33428416, 'tick')
    expect(bochs_trace.TraceError, lambda: bochs_trace.breakpoint_tick(console, 0x1000000),
           'never stopped at 0x1000000')


def elf(segments, notes):
    """A minimal ELF64 file: PT_LOAD (paddr, bytes, memsz) segments, then
    one PT_NOTE of notes [(name, type, desc)]."""
    note = b''
    for name, ntype, desc in notes:
        n = name + b'\0'
        note += struct.pack('<III', len(n), len(desc), ntype)
        note += n + bytes(-len(n) % 4) + desc + bytes(-len(desc) % 4)
    phnum = len(segments) + 1
    data_at = 64 + 56 * phnum
    header = bytearray(64)
    header[:8] = b'\x7fELF\x02\x01\x01\x00'
    struct.pack_into('<Q', header, 0x20, 64)
    struct.pack_into('<HH', header, 0x36, 56, phnum)
    phdrs, body = b'', b''
    for paddr, data, memsz in segments:
        phdrs += struct.pack('<IIQQQQQQ', 1, 5, data_at + len(body), paddr | 1 << 63,
                             paddr, len(data), memsz, 0x1000)
        body += data
    phdrs += struct.pack('<IIQQQQQQ', 4, 4, data_at + len(body), 0, 0, len(note), len(note), 4)
    return bytes(header) + phdrs + body + note


PVH_NOTE = (b'Xen', 18, struct.pack('<I', 0x100850))


@case
def kernel_layout_reads_segments_and_the_pvh_entry():
    image = elf([(0x300000, b'cc', 0x10), (0x100000, b'ab', 4)],
                [(b'GNU', 3, b'id'), (b'Xen', 5, b'x'), PVH_NOTE])
    entry, segments = pvh_disk.kernel_layout(image)
    check_eq(entry, 0x100850, 'entry')
    check_eq([(p, f, m) for p, _, f, m in segments], [(0x100000, 2, 4), (0x300000, 2, 0x10)],
             'segments, by address')
    base, flat = pvh_disk.flat_kernel(image, segments)
    check_eq((base, len(flat), flat[:4], flat[0x200000:0x200002]),
             (0x100000, 0x200010, b'ab\0\0', b'cc'), 'flat image')


@case
def kernel_layout_refuses_bad_kernels():
    E = pvh_disk.PvhImageError
    expect(E, lambda: pvh_disk.kernel_layout(b'MZ' + bytes(100)), 'not a little-endian ELF64')
    expect(E, lambda: pvh_disk.kernel_layout(elf([(0x100000, b'ab', 4)], [(b'GNU', 3, b'x')])),
           'no PVH entry note')
    expect(E, lambda: pvh_disk.kernel_layout(elf([(0x100000, b'ab', 0x2000),
                                                  (0x101000, b'cd', 4)], [PVH_NOTE])),
           'overlap')
    expect(E, lambda: pvh_disk.kernel_layout(elf([], [PVH_NOTE])), 'no PT_LOAD')


@case
def boot_info_lays_out_the_start_info():
    page = pvh_disk.boot_info(0x1000850, 'console=ttyS0', 0x4a00000, 1234, 256 << 20)
    B = pvh_disk.BOOT_INFO
    check_eq(struct.unpack_from('<I', page, 0)[0], 0x1000850, 'entry')
    check_eq(struct.unpack_from('<IIIIQQQQII', page, 0x40),
             (0x336ec578, 1, 0, 1, B + 0x80, B + 0x800, 0, B + 0x100, 3, 0), 'start info')
    check_eq(struct.unpack_from('<QQQQ', page, 0x80), (0x4a00000, 1234, 0, 0), 'module')
    check_eq([struct.unpack_from('<QQII', page, 0x100 + 24 * i) for i in range(3)],
             [(0, 0xa0000, 1, 0), (0xa0000, 0x60000, 2, 0), (0x100000, 255 << 20, 1, 0)],
             'memory map')
    check_eq(page[0x800:0x80e], b'console=ttyS0\0', 'command line')
    with_acpi = pvh_disk.boot_info(0x1000850, 'x', 0, 0, 256 << 20, rsdp=0x20000)
    check_eq(struct.unpack_from('<Q', with_acpi, 0x40 + 32)[0], 0x20000, 'rsdp_paddr')
    expect(pvh_disk.PvhImageError,
           lambda: pvh_disk.boot_info(0x1000850, 'x' * 2048, 0, 0, 256 << 20), 'command line')


@case
def disk_image_tables_each_run():
    disk = pvh_disk.disk_image([(0x10000, b'i' * 4096), (0x1000000, b'k' * 513)])
    check_eq(struct.unpack_from('<IIIIIIIII', disk, 0),
             (0x10000, 1, 8, 0x1000000, 9, 2, 0, 0, 0), 'load table')
    check_eq((disk[512:516], disk[9 * 512:9 * 512 + 2], disk[10 * 512 + 1]),
             (b'iiii', b'kk', 0), 'runs at their sectors')
    check_eq(len(disk) % pvh_disk.CYLINDER, 0, 'whole cylinders')
    expect(pvh_disk.PvhImageError, lambda: pvh_disk.disk_image([]), '0 runs')


@case
def inputs_says_what_to_build():
    with tempfile.TemporaryDirectory() as build:
        expect(linux_bare.Skipped, lambda: linux_bare.inputs(build),
               'linux/vmlinux is missing (make linux-guest)')
        (Path(build) / 'linux').mkdir()
        for name in ('vmlinux', 'initramfs.cpio.gz'):
            (Path(build) / 'linux' / name).write_bytes(b'x')
        expect(linux_bare.Skipped, lambda: linux_bare.inputs(build),
               'bench/pvh_rom.bin is missing (make bench)')


@case
def monitor_acpi_tables_runs_the_tool_and_reads_its_rsdp():
    with tempfile.TemporaryDirectory() as tmp:
        tool = Path(tmp) / 'tool'
        tool.write_text('#!/bin/sh\n[ "$1 $2" = "256 0x20000" ] || exit 1\n'
                        'printf TABLES > "$3"; echo rsdp 0x20040\n')
        tool.chmod(0o755)
        check_eq(linux_bare.monitor_acpi_tables(tool), (b'TABLES', 0x20040), 'tables, rsdp')
        tool.write_text('#!/bin/sh\necho "acpi_build failed (-22)"; exit 1\n')
        expect(pvh_disk.PvhImageError, lambda: linux_bare.monitor_acpi_tables(tool),
               'acpi_build failed (-22)')


@case
def guest_clock_reads_dmesg_and_uptime():
    console = ("/ # dmesg | grep 'Run /init'; cat /proc/uptime\n"
               '[    5.500117] Run /init as init process\n6.67 0.00\n/ # ')
    check_eq(linux_bare.guest_clock(console), ('5.500117', '6.67'), 'both')
    check_eq(linux_bare.guest_clock('nothing\n'), (None, None), 'neither')


@case
def text_tick_finds_text_mid_line_after_an_index():
    sent = [(t, b) for t, _, b in text_writes(1000, 'bulkhead> linux: go\nlinux: go\n')]
    check_eq(bochs_trace.text_tick(sent, b'linux: go'), (1100, 19), 'first, mid-line')
    check_eq(bochs_trace.text_tick(sent, b'linux: go', 19), (1200, 29), 'after index 19')
    expect(bochs_trace.TraceError, lambda: bochs_trace.text_tick(sent, b'nope'), "'nope'")


@case
def parse_exits_takes_the_last_reply():
    reply = ('exits linux: {} in {} ns since its creation; io 1 mmio 2 hlt 3 cpuid 4 msr 5 '
             'cr 6 window 7 preempt 8 other 9\n')
    text = reply.format(45, 1000) + 'bulkhead> exits linux\n' + reply.format(50, 2000)
    total, age, kinds = linux_vm.parse_exits(text)
    check_eq((total, age, kinds['io'], kinds['other']), (50, 2000, 1, 9), 'last reply')
    expect(linux_vm.VmBenchError, lambda: linux_vm.parse_exits('exits: no VM called linux'),
           'no "exits linux')


@case
def overhead_is_truncated_to_three_decimals():
    figures = {'linux_boot_cycles': 1_109_999, 'linux_exits_per_boot': 100}
    figures.update({f'linux_exits_per_boot_{k}': 0 for k in linux_vm.KINDS})
    check_eq(linux_vm.overhead(figures, 1_000_000), '1.109', 'truncated')
    check_eq('109999 ticks more' in linux_vm.overhead_note(figures, 1_000_000), True, 'note')


if __name__ == '__main__':
    sys.exit(main(sys.argv, __file__))
