# SPDX-License-Identifier: GPL-2.0-only
"""The machine library: boots a Bulkhead image in an emulator with the
guest's COM1 bridged to this process. Used by the system tests
(tests/system/harness.py), `make bench`, `make soak` and `make run`'s
console front end (tools/emu.py).

    m = Machine('qemu', 'build/bulkhead.img', workdir).start()
    m.wait_for(r'bulkhead: kernel started', timeout=60)
    m.send(b'help\\r')
    m.wait_exit(timeout=30)
    m.kill()

Every COM1 byte is saved unmodified to workdir/console.log; matching runs on
a cleaned copy (ANSI escape sequences and \\r removed, since OVMF drives the
serial port as a terminal). ScriptedInput types a script into the console
once the CLI's prompt shows, a few lines at a time.

Platforms (see docs/platforms.md for the measurements behind this):
  bochs  Bochs 2.7 with a Skylake-X CPU model: emulated VT-x with EPT. Slow
         (14-20 s to our EFI app on a 2-core host) but the only VT-x we have
         without KVM.
  qemu   QEMU TCG with `-cpu max`: fast (~4 s to our EFI app); never offers
         VT-x, but emulates AMD-V with nested paging, which the kernel's
         SVM back end uses. qemu_cpu= picks another CPU model (e.g.
         'max,-svm' for a machine with no hardware virtualization at all);
         bochs_cpu= does the same for Bochs ('ryzen': AMD-V with NPT).
  kvm    QEMU with KVM and nested VT-x: real hardware speed, where available.

Standard library only (Python 3.11, Debian 12).
"""

import atexit
import codecs
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import qemu_extras

OVMF_CODE = '/usr/share/OVMF/OVMF_CODE.fd'   # 2 MiB build: Bochs refuses the _4M ones
OVMF_VARS = '/usr/share/OVMF/OVMF_VARS.fd'
BOCHS_VGABIOS = '/usr/share/bochs/VGABIOS-lgpl-latest'
BOCHS_CPU = 'corei7_skylake_x'

EMULATORS = ('bochs', 'qemu', 'kvm')
DESCRIPTION = {
    'bochs': f'Bochs ({BOCHS_CPU}, VT-x with EPT emulated)',
    'qemu': 'QEMU (TCG, AMD-V with NPT emulated)',
    'kvm': 'QEMU+KVM (nested VT-x)',
}
NAME = {'bochs': 'Bochs', 'qemu': 'QEMU', 'kvm': 'QEMU'}

# The console-log as seen by tests: without terminal control sequences.
# CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST), charset selection (ESC ( B)
# and the two-byte escapes (ESC =, ESC c, ...).
_ANSI_RE = re.compile(
    rb'\x1b(?:\[[0-?]*[ -/]*[@-~]'
    rb'|\][^\x07\x1b]*(?:\x07|\x1b\\)'
    rb'|[()*+][0-9A-Za-z]'
    rb'|[ -/]*[0-Z\\^-~])')   # not [ or ]: those start CSI / OSC above
# Control characters other than \t and \n carry no text (\r, BEL, NUL, ...).
_CTRL_RE = re.compile(rb'[\x00-\x08\x0b-\x1f\x7f]')
# A sequence longer than this without its final byte is garbage, not pending.
_ANSI_MAX = 64
# Seconds of console silence after which a match ending mid-line is final.
_SETTLE = 0.5


def clean_text(raw):
    """bytes -> str with ANSI escape sequences and \\r (all controls but
    \\t and \\n) removed. Undecodable bytes become U+FFFD."""
    return _CTRL_RE.sub(b'', _ANSI_RE.sub(b'', raw)).decode('utf-8', 'replace')


class EmulatorError(Exception):
    """The emulator could not be started."""


class Timeout(AssertionError):
    """A wait ran out of time. An AssertionError so tests may just let it fly."""


class Exited(AssertionError):
    """The emulator exited while we were waiting for console output."""


# --------------------------------------------------------------------------
# Choosing a platform

def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def pick_emulator(requested='auto'):
    """Returns (emu, reason). For 'auto': KVM when it can nest VT-x, else
    QEMU's TCG (AMD-V emulated, 10-20x faster than Bochs) where QEMU is
    installed, else Bochs (VT-x emulated)."""
    if requested != 'auto':
        return requested, f'--emu {requested}'
    no_kvm = _why_no_nested_kvm()
    if not no_kvm:
        nested = (_read('/sys/module/kvm_intel/parameters/nested') or '').strip()
        return 'kvm', f'/dev/kvm with nested VT-x (kvm_intel nested={nested})'
    if shutil.which('qemu-system-x86_64'):
        return 'qemu', f'{no_kvm}; QEMU\'s TCG emulates AMD-V'
    return 'bochs', f'{no_kvm}; no qemu-system-x86_64'


def _why_no_nested_kvm():
    """None if KVM can nest VT-x here, else why not."""
    if not os.path.exists('/dev/kvm'):
        return 'no /dev/kvm'
    if not os.access('/dev/kvm', os.R_OK | os.W_OK):
        return '/dev/kvm is not accessible to this user'
    cpuinfo = _read('/proc/cpuinfo') or ''
    if not re.search(r'^flags\s*:.*\bvmx\b', cpuinfo, re.M):
        return '/dev/kvm exists but this CPU offers no VT-x (vmx) to nest'
    nested = (_read('/sys/module/kvm_intel/parameters/nested') or '').strip()
    if nested not in ('Y', 'y', '1'):
        return ('/dev/kvm exists but kvm_intel has nested VT-x off '
                f'(nested={nested or "unknown"})')
    return None


# --------------------------------------------------------------------------
# Processes

def _descendants(pid):
    """PIDs of all live descendants of pid, found by scanning /proc (Bochs runs
    under script(1) in a session of its own, so its process group is not ours
    to signal as one)."""
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        stat = _read(f'/proc/{entry}/stat')
        if not stat:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rfind(')') + 2:].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid):
    """True while pid exists and is not a zombie."""
    stat = _read(f'/proc/{pid}/stat')
    return bool(stat) and stat[stat.rfind(')') + 2:][:1] != 'Z'


def _signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def _free_tcp_port():
    # The port is free now; the emulator binds it a moment later. A collision
    # makes the emulator fail to start, and start() then tries another port.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _qemu_path(path):
    # QEMU option values are comma-separated; a literal comma is doubled.
    return path.replace(',', ',,')


def _copy_sparse(src, dst):
    # Images are mostly holes; keep them so, a full copy per boot adds up.
    subprocess.run(['cp', '--sparse=always', '--', src, dst], check=True)


_live_machines = set()


def _kill_live_machines():
    for m in list(_live_machines):
        m.kill()


# Emulators must not outlive us, whatever way Python exits.
atexit.register(_kill_live_machines)


# --------------------------------------------------------------------------
# The machine

BOCHSRC = """\
# Generated by tools/machine.py. Known-good settings: docs/platforms.md.
megs: {memory}
romimage: file={rom}
vgaromimage: file={vgabios}
cpu: model={cpu}, count={cpus}, ips={ips}
pci: enabled=1, chipset=i440fx
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path={disk}, mode=flat
boot: disk
# No "nogui" in Debian's build: the term display runs in a pty nobody reads.
display_library: term
# Bochs waits at start-up until a client connects, so no output is lost.
com1: enabled=1, mode=socket-server, dev=localhost:{port}
port_e9_hack: enabled=1
log: {log}
# sync=none runs emulated time by instructions (fast, deterministic: tests);
# slowdown keeps it from outrunning the wall clock while the guest idles, so
# an interactive run ticks at human speed.
clock: sync={clock_sync}, time0={time0}
mouse: enabled=0
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
# info must stay ignored: OVMF's APIC accesses fill gigabytes of log otherwise.
info: action=ignore
debug: action=ignore{debug_devices}
error: action=report
panic: action=report
"""


class Machine:
    """One emulator run of one image, its COM1 bridged to this process.

    workdir receives console.log (every COM1 byte, unmodified), the emulator's
    own logs and its private copy of the image (removed when it stops).
    echo, if given, is called with each chunk of COM1 bytes as it arrives.
    """

    def __init__(self, emu, image, workdir, *, memory_mb=256, cpus=1,
                 ips=50_000_000, echo=None, realtime=False, qemu_cpu='max',
                 bochs_cpu=BOCHS_CPU, firmware=None, qemu_args=(),
                 bochs_rom=None, bochs_debug=(), bochs_commands=(), bochs_time0='local',
                 iommu=False, nic=False, nic_tftp=None):
        if emu not in EMULATORS:
            raise ValueError(f'unknown emulator {emu!r}')
        self.emu = emu
        self.name = NAME[emu]
        self.image = os.path.abspath(image) if image is not None else None
        self.workdir = os.path.abspath(workdir)
        self.memory_mb = memory_mb
        self.cpus = cpus
        self.qemu_cpu = qemu_cpu
        self.bochs_cpu = bochs_cpu
        self.ips = ips
        self.echo = echo
        self.realtime = realtime
        # QEMU only: (code, vars template) instead of OVMF_CODE/OVMF_VARS,
        # and arguments appended to its command line (tools/qemu_extras.py:
        # Secure Boot, a TPM, a network to boot from). image None: no disk.
        self.firmware = firmware or (OVMF_CODE, OVMF_VARS)
        self.qemu_args = list(qemu_args)
        # QEMU only, for device grants (docs/driver-vm.md): iommu adds a
        # VT-d IOMMU with interrupt remapping (True or 'intel'; KVM's
        # machine always has one) or an AMD-Vi one ('amd'); nic the NIC a policy passes through, on the user network,
        # whose TFTP server serves nic_tftp if given (tools/qemu_extras.py).
        self.iommu = iommu
        self.nic = nic
        self.nic_tftp = nic_tftp
        # Bochs only: a system ROM instead of OVMF_CODE, devices whose debug
        # messages its log keeps (each stamped with the tick count),
        # debugger commands run before its final continue, and the RTC's
        # start ('local', or seconds since 1970 for the same date on every
        # run).
        self.bochs_rom = bochs_rom or OVMF_CODE
        self.bochs_debug = list(bochs_debug)
        self.bochs_commands = list(bochs_commands)
        self.bochs_time0 = bochs_time0
        self.log_path = os.path.join(self.workdir, 'console.log')
        self.emu_log_path = None      # the emulator's own log
        self.proc = None
        self.killed = False           # we stopped it (as opposed to power-off)
        self.started_at = None
        self._sock = None
        self._sockdir = None
        self._disk = None
        self._raw = bytearray()
        self._text = []               # cleaned text, in chunks
        self._text_len = 0
        self._cleaned_upto = 0        # bytes of _raw already in _text
        self._decoder = codecs.getincrementaldecoder('utf-8')('replace')
        self._cursor = 0              # wait_for searches from here
        self._eof = False
        self._cond = threading.Condition()
        self._reader = None
        self._log = None

    # --- starting ---------------------------------------------------------

    def start(self, connect_timeout=30):
        """Starts the emulator and connects to its COM1. Returns self."""
        if self.image is None and self.emu == 'bochs':
            raise EmulatorError('Bochs needs a disk image to boot')
        if (self.iommu or self.nic) and self.emu == 'bochs':
            raise EmulatorError('the passed-through NIC and the IOMMU are QEMU\'s: '
                                'Bochs has neither')
        if self.image is not None and not os.path.isfile(self.image):
            raise EmulatorError(f'{self.image}: no such image')
        os.makedirs(self.workdir, exist_ok=True)
        # A private copy: Bochs locks (and either emulator may write) its disk,
        # and `make` may rebuild the image while this runs.
        if self.image is not None:
            self._disk = os.path.join(self.workdir, 'disk.img')
            _copy_sparse(self.image, self._disk)
        self._log = open(self.log_path, 'wb')
        _live_machines.add(self)
        try:
            for _ in range(3):
                if self.emu == 'bochs':
                    addr = self._spawn_bochs()
                else:
                    addr = self._spawn_qemu()
                self._sock = self._connect(addr, connect_timeout)
                if self._sock:
                    break
                # Exited before listening: most likely a port collision.
            else:
                raise EmulatorError(
                    f'{self.name} exited at start-up (status {self.proc.returncode});'
                    f' see {self.emu_log_path}:\n{self._emu_log_tail()}')
        except BaseException:
            self.kill()
            raise
        self.started_at = time.monotonic()
        self._reader = threading.Thread(target=self._read_com1, daemon=True,
                                        name=f'com1-{self.emu}')
        self._reader.start()
        return self

    def _popen(self, argv, log_name, env=None, stdin=subprocess.DEVNULL):
        self.emu_log_path = os.path.join(self.workdir, log_name)
        with open(self.emu_log_path, 'wb') as log:
            # Own session: a Ctrl-C meant for us never reaches the emulator
            # directly, and its terminal output never reaches ours.
            self.proc = subprocess.Popen(argv, cwd=self.workdir, stdin=stdin,
                                         stdout=log, stderr=subprocess.STDOUT,
                                         env=env, start_new_session=True)

    def _spawn_bochs(self):
        port = _free_tcp_port()
        rc = os.path.join(self.workdir, 'bochsrc')
        cont = os.path.join(self.workdir, 'bochs.cont')
        with open(rc, 'w') as f:
            f.write(BOCHSRC.format(memory=self.memory_mb, rom=self.bochs_rom,
                                   vgabios=BOCHS_VGABIOS, cpu=self.bochs_cpu,
                                   cpus=self.cpus, ips=self.ips, disk=self._disk,
                                   port=port,
                                   clock_sync='slowdown' if self.realtime else 'none',
                                   time0=self.bochs_time0,
                                   debug_devices=''.join(f', {d}=report'
                                                         for d in self.bochs_debug),
                                   log=os.path.join(self.workdir, 'bochs.log')))
        # Debian's Bochs is built with its debugger, which stops at a prompt
        # before running: continue, and quit when the simulation ends. Given
        # commands come first (a breakpoint and a continue that stops there).
        with open(cont, 'w') as f:
            f.write(''.join(f'{c}\n' for c in self.bochs_commands) + 'c\nquit\n')
        # The term display needs a terminal: script(1) gives it a pty and
        # copies what it draws to bochs-term.log. stdin is a pipe we keep open
        # (script would end the session at EOF). -unlock: a killed run leaves
        # a lock file beside the disk.
        env = dict(os.environ, TERM='xterm')
        bochs = ' '.join(shlex.quote(a) for a in
                         ('bochs', '-q', '-unlock', '-f', rc, '-rc', cont))
        self._popen(['script', '-qfec', f'exec {bochs}', '/dev/null'],
                    'bochs-term.log', env=env, stdin=subprocess.PIPE)
        return (socket.AF_INET, ('127.0.0.1', port))

    def _spawn_qemu(self):
        code_fd, vars_template = self.firmware
        vars_fd = os.path.join(self.workdir, 'OVMF_VARS.fd')
        shutil.copyfile(vars_template, vars_fd)
        # A Unix socket cannot collide like a TCP port, but its path is
        # limited to ~107 bytes: keep it in a short private directory.
        if not self._sockdir:
            self._sockdir = tempfile.mkdtemp(prefix='bulkhead-emu-')
        sock = os.path.join(self._sockdir, 'com1')
        if os.path.exists(sock):
            os.unlink(sock)
        machine = 'q35'
        argv = ['qemu-system-x86_64',
                '-m', str(self.memory_mb), '-smp', str(self.cpus),
                '-drive', f'if=pflash,format=raw,readonly=on,file={_qemu_path(code_fd)}',
                '-drive', f'if=pflash,format=raw,file={_qemu_path(vars_fd)}',
                # -nodefaults: no NIC, so OVMF does not spend minutes on PXE
                # when our app fails and it moves on to other boot options.
                '-nodefaults', '-display', 'none', '-monitor', 'none',
                '-no-reboot',
                '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
                # wait=on: the guest starts only once we are connected.
                '-chardev', f'socket,id=com1,path={_qemu_path(sock)},server=on,wait=on',
                '-serial', 'chardev:com1']
        if self.emu == 'kvm':
            machine += ',kernel-irqchip=split'
            argv += ['-accel', 'kvm', '-cpu', 'host,+vmx',
                     '-device', 'intel-iommu,intremap=on']
        else:
            argv += ['-accel', 'tcg', '-cpu', self.qemu_cpu]
        if self._disk:
            # Plain -drive on q35 is an AHCI disk OVMF boots from.
            argv += ['-drive', f'format=raw,file={_qemu_path(self._disk)}']
        if self.iommu and self.emu != 'kvm':
            argv += qemu_extras.iommu_args('amd' if self.iommu == 'amd' else 'intel')
        if self.nic:
            argv += qemu_extras.passthrough_nic_args(self.nic_tftp)
        argv += ['-machine', machine] + self.qemu_args
        self._popen(argv, 'qemu.log')
        return (socket.AF_UNIX, sock)

    def _connect(self, addr, timeout):
        """Connects to the emulator's COM1 server, retrying until it listens.
        Returns the socket, or None if the emulator exited first."""
        family, where = addr
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(family, socket.SOCK_STREAM)
            try:
                s.connect(where)
                return s
            except OSError:
                s.close()
            if self.proc.poll() is not None:
                return None
            if time.monotonic() > deadline:
                raise EmulatorError(f'{self.name} did not open its COM1 socket '
                                    f'within {timeout} s; see {self.emu_log_path}')
            time.sleep(0.05)

    # --- the COM1 stream --------------------------------------------------

    def _read_com1(self):
        try:
            while True:
                try:
                    data = self._sock.recv(65536)
                except OSError:
                    data = b''
                if not data:
                    break
                self._log.write(data)
                self._log.flush()
                if self.echo:
                    try:
                        self.echo(data)
                    except Exception:
                        pass   # a closed stdout must not stop the recording
                with self._cond:
                    self._raw += data
                    self._clean_new(final=False)
                    self._cond.notify_all()
        finally:
            with self._cond:
                self._clean_new(final=True)
                self._eof = True
                self._cond.notify_all()

    def _clean_new(self, final):
        """Appends the newly received bytes to the cleaned text. An escape
        sequence cut by a recv() boundary is held back until it completes, so
        the cleaned text only ever grows at its end (wait_for's cursor stays
        valid)."""
        end = len(self._raw)
        if not final:
            esc = self._raw.rfind(b'\x1b', self._cleaned_upto)
            if esc >= 0 and end - esc < _ANSI_MAX and \
                    not _ANSI_RE.match(bytes(self._raw[esc:end])):
                end = esc
        chunk = bytes(self._raw[self._cleaned_upto:end])
        self._cleaned_upto = end
        chunk = _CTRL_RE.sub(b'', _ANSI_RE.sub(b'', chunk))
        text = self._decoder.decode(chunk, final=final)
        if text:
            self._text.append(text)
            self._text_len += len(text)

    @property
    def output(self):
        """Everything received so far, cleaned (no escapes, no \\r)."""
        with self._cond:
            if len(self._text) > 1:
                self._text[:] = [''.join(self._text)]
            return self._text[0] if self._text else ''

    @property
    def raw(self):
        """Everything received so far, byte for byte."""
        with self._cond:
            return bytes(self._raw)

    def tail(self, lines=60):
        return '\n'.join(self.output.splitlines()[-lines:])

    def seen(self, pattern, flags=re.M):
        """The first match of pattern anywhere in the output so far, or None."""
        return re.search(pattern, self.output, flags)

    def wait_for(self, pattern, timeout, flags=re.M):
        """Waits until pattern (a regex, matched on the cleaned text, re.M by
        default) appears after the end of the previous wait_for's match, so
        successive calls check order. Returns the re.Match. Raises Timeout, or
        Exited if the emulator ends without printing it."""
        regex = re.compile(pattern, flags)
        deadline = time.monotonic() + timeout
        settled_len, settle_until = -1, 0.0
        while True:
            text = self.output
            m = regex.search(text, self._cursor)
            # Output arrives in pieces: a match that reaches the end of what
            # has arrived, mid-line, might grow ("error:.*" seeing half the
            # line). Accept it once the line completes or the console has been
            # quiet for _SETTLE s (a prompt with no newline after it).
            if m and m.end() == len(text) and not text.endswith('\n') \
                    and not self._eof:
                now = time.monotonic()
                if len(text) != settled_len:     # more arrived: quiet restarts
                    settled_len, settle_until = len(text), now + _SETTLE
                if now < settle_until:
                    with self._cond:
                        if self._text_len == len(text):
                            self._cond.wait(settle_until - now)
                    continue
            if m:
                self._cursor = m.end()
                return m
            with self._cond:
                if self._text_len != len(text):
                    continue        # more arrived since we looked
                if self._eof or (self._reader is None and self.exited):
                    what = 'was stopped' if self.killed else \
                        f'exited (status {self.proc.returncode})' if self.proc \
                        else 'is not running'
                    raise Exited(f'{self.name} {what} before /{pattern}/ appeared '
                                 'on the console')
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Timeout(f'/{pattern}/ did not appear on the console '
                                  f'within {timeout:g} s')
                self._cond.wait(min(left, 0.5))

    def send(self, data):
        """Writes bytes (or str, as UTF-8) to the guest's COM1 receiver."""
        if isinstance(data, str):
            data = data.encode()
        if not self._sock:
            raise BrokenPipeError(f'{self.name} is not running')
        self._sock.sendall(data)

    # --- ending -----------------------------------------------------------

    @property
    def exited(self):
        return self.proc is not None and self.proc.poll() is not None

    @property
    def returncode(self):
        return self.proc.poll() if self.proc else None

    def wait_exit(self, timeout):
        """Waits for the emulator to exit by itself (guest power-off) and for
        the last COM1 bytes. Returns its exit status (Bochs: always 1, so
        judge by the console). Raises Timeout if it is still running."""
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Timeout(f'{self.name} did not exit (machine did not power off) '
                          f'within {timeout:g} s') from None
        self._finish()
        return status

    def kill(self):
        """Stops the emulator if still running (SIGTERM, then SIGKILL: Bochs's
        term display ignores SIGTERM) and releases everything. Idempotent."""
        if self.proc and self.proc.poll() is None:
            self.killed = True
            pids = set()
            for sig, grace in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 5.0)):
                # Re-scan: a wrapper may have started its child meanwhile.
                pids |= set(_descendants(self.proc.pid)) | {self.proc.pid}
                _signal_all(pids, sig)
                try:
                    os.killpg(self.proc.pid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
                deadline = time.monotonic() + grace
                while time.monotonic() < deadline:
                    self.proc.poll()   # reap our child so it is not "alive"
                    pids = {p for p in pids if _alive(p)}
                    if not pids:
                        break
                    time.sleep(0.05)
                if not pids:
                    break
            self.proc.wait()
        self._finish()

    def _finish(self):
        if self.proc and self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        if self._reader:
            self._reader.join(5)
        if self._sock:
            self._sock.close()
            self._sock = None
        if self._log and (self._reader is None or not self._reader.is_alive()):
            self._log.close()
        if self._sockdir:
            shutil.rmtree(self._sockdir, ignore_errors=True)
            self._sockdir = None
        # The disk copy is only a scratch copy of the image we were given.
        if self._disk and (self.proc is None or self.exited):
            for path in (self._disk, self._disk + '.lock'):
                if os.path.exists(path):
                    os.unlink(path)
            self._disk = None
        _live_machines.discard(self)

    @property
    def emu_logs(self):
        """The emulator's own log files that exist (for Bochs: its log and
        what its text display drew)."""
        paths = [self.emu_log_path]
        if self.emu == 'bochs':
            paths.insert(0, os.path.join(self.workdir, 'bochs.log'))
        return [p for p in paths if p and os.path.exists(p)]

    def _emu_log_tail(self, lines=20):
        text = clean_text((open(self.emu_log_path, 'rb').read()
                           if self.emu_log_path and os.path.exists(self.emu_log_path)
                           else b''))
        return '\n'.join(text.splitlines()[-lines:])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()


# --------------------------------------------------------------------------
# Scripted input

# The control VM's prompt (docs/cli.md). Scripted input waits for the
# first prompt, since bytes sent earlier would be eaten by the firmware's
# own console during boot. Then it is typed ahead, as a fast typist would,
# in pieces of whole lines up to TYPE_AHEAD bytes, one piece per prompt:
# the kernel queues 4 KiB of console input for the CLI, which runs
# typed-ahead lines in order, and a piece well below that cannot overrun
# the queue however busy the CLI is.
PROMPT = 'bulkhead> '
PROMPT_WAIT = 120.0   # seconds to wait for a prompt before typing anyway
TYPE_AHEAD = 1024


def next_piece(pending, limit=TYPE_AHEAD):
    """The next piece of pending input to type: whole lines, at most limit
    bytes (a longer line goes in limit-byte parts)."""
    if len(pending) <= limit:
        return pending
    cut = pending.rfind(b'\n', 0, limit)
    return pending[:cut + 1] if cut >= 0 else pending[:limit]


class ScriptedInput:
    """Types bytes given with add() into a machine's COM1, one piece per
    prompt: each pump() types the next piece once a prompt has appeared
    since the previous piece and is the last thing on the console (or
    PROMPT_WAIT seconds have passed). A prompt is the CLI's, or, while the
    console is attached to a VM (docs/cli.md, "attach"), a shell's: a line
    ending in "# " or "$ " (busybox's may be followed by its cursor query,
    whose escape the kernel shows as "?"). Lines typed before a Linux VM's
    shell runs would be lost, as on a real serial console."""

    SHELL_PROMPT = re.compile(r'[#$] (?:\?\[6n)?$')
    # A shell prompt counts once the output has been still this long: a
    # shell is ready for input only after it has set its terminal up.
    SHELL_SETTLE = 3.0

    def __init__(self, machine, prompt=PROMPT, prompt_wait=PROMPT_WAIT):
        self.machine = machine
        self.prompt = prompt
        self.prompt_wait = prompt_wait
        self.pending = b''     # added but not yet typed
        self._seen_upto = 0    # output offset after which the next prompt counts
        self._prompt_by = None  # when to stop waiting for a prompt and type anyway
        self._last_len = 0      # the output's length when it last changed ...
        self._last_change = 0.0  # ... and when

    def add(self, data):
        self.pending += data

    def _prompt_shown(self, out, now):
        if len(out) != self._last_len:
            self._last_len, self._last_change = len(out), now
        new = out[self._seen_upto:].rstrip('\x1b[K')
        if new.endswith(self.prompt):
            return True
        return bool(self.SHELL_PROMPT.search(new)) and now - self._last_change >= self.SHELL_SETTLE

    def pump(self):
        """Types the next piece if its prompt has shown. Raises OSError if
        the console connection is gone."""
        if not self.pending:
            return
        out = self.machine.output
        now = time.monotonic()
        if self._prompt_by is None:
            self._prompt_by = now + self.prompt_wait
        if not self._prompt_shown(out, now) and now < self._prompt_by:
            return
        piece = next_piece(self.pending)
        self.machine.send(piece)
        self.pending = self.pending[len(piece):]
        self._seen_upto = len(out)
        self._prompt_by = None
