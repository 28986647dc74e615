#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Boots a Bulkhead image with the guest's COM1 as the console (`make run`).

    python3 tools/emu.py run --emu auto|bochs|qemu|kvm --image IMG
    python3 tools/emu.py run --emu auto|qemu|kvm --netboot DIR

--netboot boots with no disk, over QEMU's user network: iPXE's EFI ROM on
the NIC gets boot.ipxe from DIR through QEMU's TFTP server
(tools/qemu_extras.py, `make netboot`).

--policy FILE names the policy text the image was built from: if it
declares a device grant, the machine gets the NIC it passes through and a
VT-d IOMMU (tools/qemu_extras.py, docs/driver-vm.md), which only QEMU has.

--gdb SCRIPT boots under QEMU with its gdb stub listening and, once the
kernel logs where the firmware loaded it, writes SCRIPT: `gdb -x SCRIPT`
then attaches with the kernel's symbols (tools/gdb_script.py, `make debug`).

On a terminal, keystrokes go to COM1 (Ctrl-A x quits). With stdin from a
pipe or file, its bytes are typed into COM1 once the CLI's first prompt
shows and, once stdin reaches EOF, the machine gets --grace seconds to power
itself off. The machines themselves (emulators, images, the console
capture, scripted input) are tools/machine.py's.

Standard library only (Python 3.11, Debian 12).
"""

import argparse
import os
import select
import shutil
import signal
import sys
import tempfile
import termios
import time
import tty

sys.dont_write_bytecode = True   # keep tools/ free of __pycache__
from machine import DESCRIPTION, EMULATORS, EmulatorError, Machine, \
    ScriptedInput, Timeout, pick_emulator  # noqa: E402
import gdb_script  # noqa: E402
import qemu_extras  # noqa: E402

CTRL_A = 0x01
DEFAULT_MEMORY_MB = 512
DEVICE_GRANT_MEMORY_MB = 1024   # the default for a policy with a device grant


class _RawTerminal:
    """Puts a terminal in raw mode (keystrokes pass through unprocessed, so
    Ctrl-C reaches the guest) and restores it however we leave."""

    def __init__(self, fd):
        self.fd = fd
        self.saved = None

    def __enter__(self):
        self.saved = termios.tcgetattr(self.fd)
        tty.setraw(self.fd)
        # Keep output processing (\n -> \r\n) so our own messages stay tidy.
        attrs = termios.tcgetattr(self.fd)
        attrs[1] |= termios.OPOST | termios.ONLCR
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        return self

    def __exit__(self, *exc):
        termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)


def _say(msg):
    # Launcher messages go to stderr, so stdout carries only the guest console.
    sys.stderr.write(f'emu: {msg}\n')
    sys.stderr.flush()


def _shown_path(path):
    rel = os.path.relpath(path)
    return path if rel.startswith('..') else rel


def _stdout_echo(data):
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _on_signal(signum, frame):
    raise SystemExit(128 + signum)


class _GdbScriptWriter:
    """An echo for Machine: passes COM1 through to stdout and writes the gdb
    script once the kernel's load-address line has gone by."""

    def __init__(self, path, symbols, socket_path):
        self.path, self.symbols, self.socket_path = path, symbols, socket_path
        self.seen = ''      # console text up to the line, then unused

    def __call__(self, data):
        _stdout_echo(data)
        if self.seen is None:
            return
        self.seen = (self.seen + data.decode('utf-8', 'replace'))[-4096:]
        base = gdb_script.load_address(self.seen)
        if base is None:
            return
        self.seen = None
        with open(self.path, 'w') as f:
            f.write(gdb_script.script(self.symbols, base, self.socket_path))
        _say(f'kernel image at {base:#x}; in another terminal: '
             f'gdb -x {_shown_path(self.path)}')


def cmd_run(args):
    emu, why = pick_emulator(args.emu)
    if emu == 'kvm' and not os.path.exists('/dev/kvm'):
        _say('--emu kvm needs /dev/kvm')
        return 2
    extra = {}
    if args.netboot:
        if emu == 'bochs':
            # Bochs's NICs carry no option ROM we could give iPXE's.
            emu, why = 'qemu', 'network boot needs QEMU (iPXE EFI ROM on its NIC)'
        extra['qemu_args'] = qemu_extras.netboot_args(os.path.abspath(args.netboot))
    if args.policy and _grants_device(args.policy):
        if emu == 'bochs':
            emu, why = 'qemu', 'the policy grants a device: the NIC and the IOMMU are QEMU\'s'
        extra.update(iommu=True, nic=True)
        _say(f'{args.policy} grants a device: {qemu_extras.PASSTHROUGH_NIC_MODEL} at '
             f'{qemu_extras.PASSTHROUGH_NIC_ADDRESS} on the user network, behind a VT-d IOMMU')
        if args.memory is None:
            # A driver VM is a Linux VM beside others: with 512 MiB, the
            # firmware's holes leave no room to launch it in one piece.
            args.memory = DEVICE_GRANT_MEMORY_MB
    gdb_dir = None
    echo = _stdout_echo
    if args.gdb:
        if emu != 'qemu':
            # Debian's Bochs has its own debugger, not a gdb stub; KVM's
            # stub would need hardware breakpoints in a nested guest.
            emu, why = 'qemu', 'gdb attaches to QEMU TCG\'s stub'
        # A private directory: a Unix socket path must stay short.
        gdb_dir = tempfile.mkdtemp(prefix='bulkhead-gdb-')
        sock = os.path.join(gdb_dir, 'gdb.sock')
        extra['qemu_args'] = extra.get('qemu_args', []) + gdb_script.qemu_args(sock)
        echo = _GdbScriptWriter(args.gdb, os.path.abspath(args.symbols), sock)
    _say(f'using {DESCRIPTION[emu]}: {why}')
    if args.netboot:   # beside DIR, not in it: DIR is what TFTP serves
        default_workdir = os.path.abspath(args.netboot).rstrip('/') + '-run'
    else:
        default_workdir = os.path.join(os.path.dirname(os.path.abspath(args.image)), 'run')
    workdir = args.workdir or default_workdir
    # SIGTERM/SIGHUP (e.g. the terminal closing) unwind like an exception so
    # the terminal is restored and the emulator killed.
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)

    m = Machine(emu, args.image, workdir, memory_mb=args.memory or DEFAULT_MEMORY_MB,
                cpus=args.cpus,
                echo=echo, realtime=True, **extra)
    try:
        m.start()
        _say(f'console log: {_shown_path(m.log_path)}')
        stdin = sys.stdin.fileno()
        if os.isatty(stdin):
            with _RawTerminal(stdin):
                _say('COM1 is this terminal; Ctrl-A x quits, Ctrl-A a sends Ctrl-A')
                status = _console_tty(m, stdin, args.timeout)
        else:
            status = _console_pipe(m, stdin, args.timeout, args.grace)
    except KeyboardInterrupt:
        status = 130
        sys.stderr.write('\n')
        _say(f'interrupted: stopping {m.name}')
    except EmulatorError as e:
        _say(str(e))
        status = 1
    finally:
        m.kill()
        if gdb_dir:
            shutil.rmtree(gdb_dir, ignore_errors=True)
    return status


def _grants_device(policy_path):
    try:
        with open(policy_path) as f:
            return qemu_extras.policy_grants_device(f.read())
    except OSError as e:
        raise SystemExit(f'emu: --policy {policy_path}: {e.strerror}')


def _until(deadline):
    return None if deadline is None else deadline - time.monotonic()


def _ended(m):
    """Called when the emulator exited or its COM1 connection broke: reports
    how it ended; returns the launcher's status."""
    try:
        m.wait_exit(10)
    except Timeout:
        _say(f'lost the COM1 connection to {m.name}: stopping it')
        m.kill()
        return 1
    if m.returncode < 0:
        _say(f'{m.name} crashed ({signal.Signals(-m.returncode).name}); '
             f'see {_shown_path(m.emu_log_path)}')
        return 1
    _say(f'{m.name} exited: the machine powered off')
    return 0


def _timed_out(m, timeout):
    _say(f'--timeout {timeout:g} s reached: stopping {m.name}')
    m.kill()
    return 124


def _console_tty(m, fd, timeout):
    deadline = None if timeout is None else time.monotonic() + timeout
    prefix = False     # the previous key was Ctrl-A
    while not m.exited:
        if deadline is not None and _until(deadline) <= 0:
            return _timed_out(m, timeout)
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        keys = os.read(fd, 1024)
        if not keys:
            _say(f'the terminal went away: stopping {m.name}')
            m.kill()
            return 1
        out = bytearray()
        for k in keys:
            if prefix:
                prefix = False
                if k in (ord('x'), ord('X')):
                    sys.stdout.write('\r\n')
                    _say(f'Ctrl-A x: stopping {m.name}')
                    m.kill()
                    return 0
                if k in (ord('a'), CTRL_A):
                    out.append(CTRL_A)
                elif k in (ord('h'), ord('?')):
                    _say('Ctrl-A x quit, Ctrl-A a send Ctrl-A')
                # any other key after Ctrl-A is dropped
            elif k == CTRL_A:
                prefix = True
            else:
                out.append(k)
        if out:
            try:
                m.send(bytes(out))
            except OSError:
                break
    return _ended(m)


def _console_pipe(m, fd, timeout, grace):
    deadline = None if timeout is None else time.monotonic() + timeout
    poweroff_by = None    # set once stdin reaches EOF and every line is typed
    script = ScriptedInput(m)
    eof = False
    while not m.exited:
        if deadline is not None and _until(deadline) <= 0:
            return _timed_out(m, timeout)
        if not eof:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                data = os.read(fd, 4096)
                if data:
                    script.add(data)
                else:
                    eof = True
        else:
            time.sleep(0.1)
        if script.pending:
            try:
                script.pump()
            except OSError:
                break
            continue
        if eof and poweroff_by is None:
            _say(f'stdin closed: waiting up to {grace:g} s for the machine to power off')
            poweroff_by = time.monotonic() + grace
        if poweroff_by is not None and time.monotonic() >= poweroff_by:
            _say(f'the machine did not power off within {grace:g} s of stdin '
                 f'closing: stopping {m.name}')
            m.kill()
            return 1
    return _ended(m)


def main(argv=None):
    p = argparse.ArgumentParser(prog='emu.py', description=__doc__.split('\n\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run', help='boot an image with COM1 as the console')
    r.add_argument('--emu', choices=('auto',) + EMULATORS, default='auto')
    boot = r.add_mutually_exclusive_group(required=True)
    boot.add_argument('--image', help='the disk image to boot')
    boot.add_argument('--netboot', metavar='DIR',
                      help='boot over the network from DIR (boot.ipxe, BOOTX64.EFI)')
    r.add_argument('--policy', metavar='FILE',
                   help='the policy text the image holds: a device grant adds the NIC and IOMMU')
    r.add_argument('--timeout', type=float, default=None,
                   help='stop the emulator after S seconds (exit status 124)')
    r.add_argument('--grace', type=float, default=30.0,
                   help='seconds to wait for power-off after stdin EOF (default 30)')
    r.add_argument('--memory', type=int, default=None,
                   help=f'guest RAM in MiB (default {DEFAULT_MEMORY_MB}, or '
                        f'{DEVICE_GRANT_MEMORY_MB} for a policy with a device grant)')
    r.add_argument('--cpus', type=int, default=1)
    r.add_argument('--workdir', help='for logs and the disk copy (default: IMAGE_DIR/run, or DIR-run)')
    r.add_argument('--gdb', metavar='SCRIPT',
                   help='QEMU with its gdb stub; write the gdb script to attach with to SCRIPT')
    r.add_argument('--symbols', default='build/bulkhead.so',
                   help='the image with symbols, for --gdb (default build/bulkhead.so)')
    args = p.parse_args(argv)
    if args.cmd == 'run':
        return cmd_run(args)
    return 2


if __name__ == '__main__':
    sys.exit(main())
