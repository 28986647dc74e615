# SPDX-License-Identifier: GPL-2.0-only
"""make debug's promise (docs/debugging.md): `tools/emu.py run --gdb SCRIPT`
boots under QEMU with its gdb stub and, from the kernel's "kernel image at"
line, writes SCRIPT; gdb run with it knows the kernel's symbols where the
firmware loaded the kernel, so a breakpoint in an exit handler stops there.
QEMU only: Debian's Bochs has no gdb stub (its debugger is built in instead)."""

import shutil
import signal
import subprocess
import sys
import time

from harness import ROOT, native_policy

SCRIPT_TIMEOUT = 60
GDB_TIMEOUT = 60


def _wait_for_file(path, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.stat().st_size:
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def test_qemu_gdb_breaks_in_hypercall_dispatch(t):
    if not shutil.which('gdb'):
        t.skip('gdb is not installed (Debian package gdb; make deps installs it)')
    # ticker makes hypercalls (time, wait) forever, so one follows whenever
    # gdb attaches.
    policy = native_policy([('ticker', 'ticker.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'ticker.elf': t.guest('ticker')})
    script, console = t.workdir / 'debug.gdb', t.workdir / 'emu.out'
    t.logs.append(console)
    with open(console, 'wb') as out:
        emu = subprocess.Popen(
            [sys.executable, str(ROOT / 'tools' / 'emu.py'), 'run', '--emu', 'qemu',
             '--image', str(image), '--workdir', str(t.workdir / 'run'),
             '--gdb', str(script), '--symbols', str(t.build / 'bulkhead.so'),
             '--timeout', '300'],
            stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
    try:
        if not _wait_for_file(script, emu, SCRIPT_TIMEOUT):
            t.fail(f'emu.py --gdb wrote no {script.name} within {SCRIPT_TIMEOUT} s')
        with open(script, 'a') as f:
            f.write('break hypercall_dispatch\ncontinue\nbacktrace 4\n')
        try:
            r = subprocess.run(['gdb', '-nx', '-batch', '-x', str(script)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=GDB_TIMEOUT)
        except subprocess.TimeoutExpired:
            t.fail(f'gdb did not stop at the breakpoint within {GDB_TIMEOUT} s')
        (t.workdir / 'gdb.log').write_text(r.stdout)
        t.logs.append(t.workdir / 'gdb.log')
        if 'Breakpoint 1, hypercall_dispatch (' not in r.stdout:
            t.fail(f'gdb did not report stopping in hypercall_dispatch:\n{r.stdout}')
        if 'hypervisor/kernel/hypercall.c' not in r.stdout:
            t.fail(f'gdb found no source line for hypercall_dispatch:\n{r.stdout}')
        # The caller is symbolized too: the offset applies to the whole image.
        if 'in guest_exit_hypercall (' not in r.stdout:
            t.fail(f'gdb\'s backtrace does not show the exit handler:\n{r.stdout}')
    finally:
        emu.send_signal(signal.SIGTERM)   # emu.py stops QEMU as it exits
        try:
            emu.wait(30)
        except subprocess.TimeoutExpired:
            emu.kill()
    text = console.read_text(errors='replace')
    if 'PANIC' in text or 'EXCEPTION' in text:
        t.fail('the kernel failed while gdb was attached')
