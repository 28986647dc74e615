# SPDX-License-Identifier: GPL-2.0-only
"""The bare-metal Linux boot of `make bench` (docs/benchmarks.md, "The
bare Linux boot"): the Linux guest's kernel and initramfs (make
linux-guest) booted with no hypervisor, through the same PVH entry that
Bulkhead's monitor uses, to the initramfs's first console line.

  linux_bare_boot_cycles   Bochs, corei7_skylake_x, no firmware (the ROM
                           tests/bench/pvh_rom.asm loads the kernel from a
                           disk and jumps to its PVH entry): emulated
                           instructions from the kernel's first instruction
                           (a debugger breakpoint at the PVH entry) to the
                           guest's write of the first byte of MARKER to
                           COM1 (the serial device's log, tick-stamped).
                           Both are Bochs tick counts, which are the TSC.
  linux_bare_acpi_boot_cycles  the same, with the HW-reduced ACPI tables
                           that the monitor builds (vmm/acpi/, through
                           build/bench/acpi-tables-dump) at ACPI_TABLES and
                           the start info's rsdp_paddr: Linux then sets up
                           the local APIC and IOAPIC as under the monitor,
                           and leaves Bochs's PIC, PIT and i8042 alone.
  qemu_linux_bare_boot_ns  QEMU TCG, microvm, its own PVH loader: the
                           host's wall-clock time from starting QEMU to
                           MARKER on its serial output. Emulator time, like
                           every qemu_ figure.

The notes beside each figure say the wall time of the run and the guest's
own clock: the timestamp of the kernel's "Run /init as init process" and
/proc/uptime when the shell answered, both asked for once MARKER is out.
"""

import os
import re
import select
import subprocess
import tempfile
import time
from pathlib import Path

import bochs_trace
import pvh_disk
from harness import machine

MARKER = 'bulkhead-linux: /init reached'
# What a Linux VM under Bulkhead's monitor is given: its policy's command
# line (policy/examples/linux.policy, "console=hvc0 quiet") with COM1 as the
# console, and what the monitor adds for its platform (docs/monitor.md): no
# PCI scan, one UART. Bochs's firmware-less machine has no PCI set-up either.
# Each platform adds the TSC's rate (tsc_early_khz), as the monitor will
# through CPUID 0x15/0x16: Bochs's corei7_skylake_x claims 3.5 GHz in CPUID
# 0x16, but its TSC, like its PIT and RTC, runs at ips per emulated second;
# a kernel that believed 3.5 GHz would busy-wait 70 times too long.
CMDLINE = 'console=ttyS0 quiet pci=off 8250.nr_uarts=1'
MEMORY_MB = 256
IPS = 50_000_000
# The RTC's start on Bochs (2026-12-05 00:00 UTC), not the host's time: the
# kernel reads the RTC, so one source of run-to-run change less. (Another
# remains: Bochs's RDRAND values; docs/benchmarks.md.)
BOCHS_TIME0 = 1796428800
BOCHS_CMDLINE = f'{CMDLINE} tsc_early_khz={IPS // 1000}'
# Where the monitor's ACPI tables go when the bare boot is given them
# (run_bochs(acpi=True)): low memory, which Linux keeps for itself.
ACPI_TABLES = 0x20000
# docs/linux-guest.md: QEMU's PVH loader needs no firmware of ours; microvm
# has no PCI and no PIT or PIC, so the kernel is told the TSC's rate.
QEMU_MACHINE = 'microvm,acpi=on,pit=off,pic=off,rtc=on,isa-serial=on'
QEMU_CPU = 'Skylake-Client'
# Asked once MARKER is out: the guest's own clock at about that time.
CLOCK_QUESTION = "dmesg | grep 'Run /init'; cat /proc/uptime\n"
BOCHS_TIMEOUT = 1800      # s; a boot takes 2-3 minutes on an idle host
QEMU_TIMEOUT = 120


class Skipped(Exception):
    """The figures cannot be taken here; the message says why."""


# What a boot that cannot give its figure raises: the image's, the trace's,
# the emulator's (machine.Timeout and Exited are AssertionErrors) and QEMU's.
FAILURES = (pvh_disk.PvhImageError, bochs_trace.TraceError, machine.EmulatorError,
            AssertionError, TimeoutError, EOFError, OSError)


def inputs(build):
    """(vmlinux, initramfs, rom) paths, or Skipped naming what is missing."""
    build = Path(build)
    vmlinux = build / 'linux' / 'vmlinux'
    initramfs = build / 'linux' / 'initramfs.cpio.gz'
    rom = build / 'bench' / 'pvh_rom.bin'
    for path, how in ((vmlinux, 'make linux-guest'), (initramfs, 'make linux-guest'),
                      (rom, 'make bench')):
        if not path.is_file():
            raise Skipped(f'{path} is missing ({how})')
    return vmlinux, initramfs, rom


def bochs_disk(vmlinux, initramfs, cmdline=BOCHS_CMDLINE, memory_mb=MEMORY_MB, acpi=None):
    """(PVH entry, disk bytes) that pvh_rom.asm boots: the boot-info page,
    the kernel's segments, then the initramfs from the next 2 MiB boundary
    after the kernel. acpi, if given, is (tables, RSDP address): the tables
    are loaded at ACPI_TABLES and the start info points at the RSDP."""
    elf, ramdisk = Path(vmlinux).read_bytes(), Path(initramfs).read_bytes()
    entry, segments = pvh_disk.kernel_layout(elf)
    base, kernel = pvh_disk.flat_kernel(elf, segments)
    at = (base + len(kernel) + (2 << 20) - 1) & ~((2 << 20) - 1)
    if at + len(ramdisk) > memory_mb << 20:
        raise pvh_disk.PvhImageError(f'kernel and initramfs end at {at + len(ramdisk):#x}, '
                                     f'beyond {memory_mb} MiB')
    tables, rsdp = acpi or (None, 0)
    info = pvh_disk.boot_info(entry, cmdline, at, len(ramdisk), memory_mb << 20, rsdp)
    runs = [(pvh_disk.BOOT_INFO, info), (base, kernel), (at, ramdisk)]
    return entry, pvh_disk.disk_image(runs + ([(ACPI_TABLES, tables)] if tables else []))


def monitor_acpi_tables(tool, memory_mb=MEMORY_MB):
    """(tables, RSDP address): the monitor's HW-reduced tables for this
    machine, from tool (build/bench/acpi-tables-dump), at ACPI_TABLES."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / 'tables'
        r = subprocess.run([str(tool), str(memory_mb), hex(ACPI_TABLES), str(out)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        got = re.fullmatch(r'rsdp (0x[0-9a-f]+)\n', r.stdout)
        if r.returncode != 0 or not got:
            raise pvh_disk.PvhImageError(f'{tool}: {r.stdout.strip()}')
        return out.read_bytes(), int(got.group(1), 16)


def guest_clock(console):
    """(seconds at "Run /init as init process" or None, /proc/uptime or
    None) from the answer to CLOCK_QUESTION."""
    run = re.search(r'^\[\s*(\d+\.\d+)\] Run /init as init process', console, re.M)
    up = re.search(r'^(\d+\.\d+) \d+\.\d+\s*$', console, re.M)
    return (run.group(1) if run else None), (up.group(1) if up else None)


def clock_note(console):
    run, up = guest_clock(console)
    return (f'the guest\'s clock: "Run /init" at {run or "?"} s, /proc/uptime {up or "?"} s '
            'when the shell answered')


def run_bochs(build, workdir, version, acpi=False):
    """Boots on Bochs; returns (cycles, [note lines]). version(package)
    names a Debian package's version for the notes; acpi gives the kernel
    the monitor's ACPI tables. Raises Skipped, or one of FAILURES when a
    figure cannot be had."""
    vmlinux, initramfs, rom = inputs(build)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    tool = Path(build) / 'bench' / 'acpi-tables-dump'
    if acpi and not tool.is_file():
        raise Skipped(f'{tool} is missing (make bench)')
    tables = monitor_acpi_tables(tool) if acpi else None
    label = 'linux_bare_acpi' if acpi else 'linux_bare'
    entry, disk = bochs_disk(vmlinux, initramfs, acpi=tables)
    image = workdir / 'linux-bare.img'   # the machine boots a copy, disk.img
    image.write_bytes(disk)
    m = machine.Machine('bochs', str(image), str(workdir), memory_mb=MEMORY_MB, ips=IPS,
                        bochs_rom=str(rom), bochs_debug=['serial'],
                        bochs_commands=[f'pb {entry:#x}', 'c'], bochs_time0=BOCHS_TIME0)
    start = time.monotonic()
    try:
        m.start()
        m.wait_for('^' + re.escape(MARKER), BOCHS_TIMEOUT * machine_scale())
        wall = time.monotonic() - start
        m.send(CLOCK_QUESTION)
        m.wait_for(r'^\d+\.\d+ \d+\.\d+\s*$', 600 * machine_scale())
    finally:
        m.kill()
    sent = bochs_trace.com1_bytes((workdir / 'bochs.log').read_text(errors='replace'))
    first, last = bochs_trace.line_ticks(sent, MARKER.encode())
    at_entry = bochs_trace.breakpoint_tick(
        machine.clean_text(Path(m.emu_log_path).read_bytes()), entry)
    cycles = first - at_entry
    notes = [f'# {label}: Bochs {version("bochs")}, CPU model {machine.BOCHS_CPU}, '
             f'1 CPU, {MEMORY_MB} MiB, ips={IPS}, clock sync=none, time0={BOCHS_TIME0}, '
             f'no firmware: '
             f'tests/bench/pvh_rom.asm loads build/linux/vmlinux and initramfs.cpio.gz '
             f'from a disk and jumps to the PVH entry {entry:#x}; command line '
             f'"{BOCHS_CMDLINE}"',
             f'# {label}: Bochs ticks (the TSC: instructions, and time halted): '
             f'PVH entry at {at_entry}, '
             f'"{MARKER}" written from {first} to {last} (its newline); '
             f'{wall:.0f} s of wall time to the line',
             f'# {label}: {clock_note(m.output)}']
    if acpi:
        notes.insert(1, f'# {label}: with the monitor\'s HW-reduced ACPI tables '
                        f'(vmm/acpi/, one CPU, COM1, RTC) at {ACPI_TABLES:#x}, RSDP {tables[1]:#x}')
    return cycles, notes


def machine_scale():
    """How much longer than the defaults to wait: BULKHEAD_TIMEOUT_SCALE,
    as the system tests' harness reads it, for slower hosts."""
    return float(os.environ.get('BULKHEAD_TIMEOUT_SCALE', '1'))


def run_qemu(build, workdir, version, host_tsc_hz=None):
    """Boots on QEMU TCG; returns (nanoseconds, [note lines]). microvm has
    no PIT to calibrate the TSC against: host_tsc_hz, where known, is given
    as tsc_early_khz (QEMU TCG's TSC runs at the host's rate)."""
    vmlinux, initramfs, _ = inputs(build)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    cmdline = CMDLINE + (f' tsc_early_khz={host_tsc_hz // 1000}' if host_tsc_hz else '')
    argv = ['qemu-system-x86_64', '-M', QEMU_MACHINE, '-cpu', QEMU_CPU, '-accel', 'tcg',
            '-m', str(MEMORY_MB), '-nodefaults', '-display', 'none', '-monitor', 'none',
            '-no-reboot', '-chardev', 'stdio,id=com1,signal=off', '-serial', 'chardev:com1',
            '-kernel', str(vmlinux), '-initrd', str(initramfs), '-append', cmdline]
    log = workdir / 'console.log'
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out = bytearray()
    try:
        seen = _read_until(proc, out, re.compile('^' + re.escape(MARKER), re.M),
                           QEMU_TIMEOUT * machine_scale())
        wall_ns = int((seen - start) * 1e9)
        proc.stdin.write(CLOCK_QUESTION.encode())
        proc.stdin.flush()
        _read_until(proc, out, re.compile(r'^\d+\.\d+ \d+\.\d+\s*$', re.M),
                    QEMU_TIMEOUT * machine_scale())
    finally:
        proc.kill()
        proc.wait()
        log.write_bytes(bytes(out))
    console = machine.clean_text(bytes(out))
    notes = [f'# qemu_linux_bare: QEMU {version("qemu-system-x86")} TCG, -M {QEMU_MACHINE}, '
             f'-cpu {QEMU_CPU}, 1 CPU, {MEMORY_MB} MiB, QEMU\'s PVH loader (-kernel vmlinux); '
             f'command line "{cmdline}"; the host\'s wall clock from starting QEMU to the line '
             f'(load average {", ".join(f"{x:.1f}" for x in os.getloadavg())}): emulator time',
             f'# qemu_linux_bare: {clock_note(console)}']
    return wall_ns, notes


def _read_until(proc, out, regex, timeout):
    """Appends proc's output to out until regex matches it; returns the
    monotonic time at which the matching bytes arrived."""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f'/{regex.pattern}/ did not appear within {timeout:g} s')
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError(f'QEMU exited before /{regex.pattern}/ appeared')
            arrived = time.monotonic()
            out += chunk
            if regex.search(machine.clean_text(bytes(out))):
                return arrived
