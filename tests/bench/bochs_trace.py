# SPDX-License-Identifier: GPL-2.0-only
"""Exact instants of a Bochs run, read from what Bochs itself writes
(tests/bench/linux_bare.py, docs/benchmarks.md).

Bochs stamps each line of its log with the tick count (the log prefix %t,
on by default). With one CPU and `clock: sync=none` a tick is one emulated
instruction, and the TSC is the tick count since reset, so these stamps and
the guest's RDTSC count the same thing. Two sources:

  the log, with the serial device's debug messages on (`debug: ...,
      serial=report`): one line per UART register access, at the tick of
      the guest's IN or OUT:
          01398210255d[SER   ] com1 register write to  address: 0x03f8 = 0x62
  the debugger's console, after a breakpoint:
          (0) Breakpoint 1, 0x0000000001000850 in ?? ()
          Next at t=33428416

Bad input raises TraceError with the reason.
"""

import re

COM1 = 0x3f8
THR = COM1          # transmit holding register, while LCR.DLAB is 0
LCR = COM1 + 3
LCR_DLAB = 0x80

_SERIAL_WRITE = re.compile(
    r'^(\d+)d\[SER\s*\] com1 register write to +address: 0x([0-9a-f]{4}) = 0x([0-9a-f]{2})\s*$',
    re.M)


class TraceError(Exception):
    """The log or console does not hold what was asked for."""


def com1_bytes(log_text):
    """[(tick, byte)]: each byte the guest wrote to COM1's transmit register,
    in order. Writes to port 0x3f8 while the line control register's DLAB
    bit is set set the baud divisor; they are not bytes sent."""
    sent, dlab = [], False
    for m in _SERIAL_WRITE.finditer(log_text):
        port, value = int(m.group(2), 16), int(m.group(3), 16)
        if port == LCR:
            dlab = bool(value & LCR_DLAB)
        elif port == THR and not dlab:
            sent.append((int(m.group(1)), value))
    return sent


def line_ticks(sent, marker):
    """(first, last): the ticks at which the guest wrote the first byte of
    the first line that starts with marker (bytes), and that line's final
    newline. A line starts at the first byte or after a newline."""
    data = bytes(b for _, b in sent)
    if data.startswith(marker):
        at = 0
    else:
        at = data.find(b'\n' + marker)
        if at < 0:
            raise TraceError(f'no COM1 line starts with {marker.decode(errors="replace")!r}')
        at += 1
    end = data.find(b'\n', at)
    if end < 0:
        raise TraceError(f'the line {marker.decode(errors="replace")!r} has no end')
    return sent[at][0], sent[end][0]


def text_tick(sent, text, after=0):
    """The tick at which the first byte of the first occurrence of text
    (bytes) was written, anywhere in a line, at or after byte index after;
    and the index just past it."""
    data = bytes(b for _, b in sent)
    at = data.find(text, after)
    if at < 0:
        raise TraceError(f'COM1 never carried {text.decode(errors="replace")!r}')
    return sent[at][0], at + len(text)


def breakpoint_tick(console, address):
    """The tick at which the debugger stopped at its breakpoint on address:
    the first "Breakpoint N, 0x<address> in" and the "Next at t=T" after it."""
    m = re.search(rf'Breakpoint \d+, 0x0*{address:x} in[^\n]*\n(?:[^\n]*\n)*?'
                  r'Next at t=(\d+)', console, re.I)
    if not m:
        raise TraceError(f'the debugger never stopped at {address:#x}')
    return int(m.group(1))
