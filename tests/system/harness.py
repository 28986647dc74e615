# SPDX-License-Identifier: GPL-2.0-only
"""What a system test gets: a TestContext (see README.md in this directory).

A test builds the boot volume it needs from the already-built
build/bulkhead.efi (never rebuilding it), boots it with tools/machine.py's
Machine and checks the console. Everything it produces lives in
build/tests/<test-name>/.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools'))
import machine  # noqa: E402  (tools/ is not a package)

# The calls every native test VM gets unless a test says otherwise.
BASIC_RIGHTS = 'console, yield, wait, time, exit, self'


def native_policy(vms, rights=BASIC_RIGHTS, extra=''):
    """Policy text (docs/policy.md) booting the native VMs in vms, a list of
    (name, image, memory) tuples, e.g. [('hello', 'hello.elf', '2M')], each
    with the given rights; extra is appended verbatim."""
    text = ''.join(f'vm {name} {{ kind native; image {image}; memory {memory}; '
                   f'boot yes; rights {rights}; }}\n' for name, image, memory in vms)
    return text + extra


# Generous limits. Measured on a 2-core host: Bochs reaches our EFI app in
# 14-20 s, QEMU (TCG) in 4-6 s. BULKHEAD_TIMEOUT_SCALE stretches them
# all for slower hosts.
_SCALE = float(os.environ.get('BULKHEAD_TIMEOUT_SCALE', '1'))
BOOT_TIMEOUT = {'qemu': 60 * _SCALE, 'kvm': 60 * _SCALE, 'bochs': 120 * _SCALE}
STEP_TIMEOUT = {'qemu': 30 * _SCALE, 'kvm': 30 * _SCALE, 'bochs': 60 * _SCALE}


class Platform:
    """A CPU back end and the emulator that offers it, as tests see them:
    emu and boot_args for t.boot (p.boot(t, image) does both), `ready` the
    kernel's line once VMs can run, table the second-level page table named
    in containment lines ("EPT violation: ..."), and the name tests carry
    ("bochs_...", "qemu_...")."""

    def __init__(self, emu, backend, table, **boot_args):
        self.emu = emu
        self.boot_args = boot_args
        self.backend = backend
        self.table = table
        self.ready = rf'^bulkhead: {re.escape(backend)} ready'
        self.step_timeout = STEP_TIMEOUT[emu]
        self.boot_timeout = BOOT_TIMEOUT[emu]

    def boot(self, t, image):
        """t.boot on this platform's emulator and CPU model."""
        return t.boot(self.emu, image, **self.boot_args)


# VT-x runs only under Bochs here; QEMU's TCG emulates AMD-V (docs/platforms.md).
PLATFORMS = {
    'bochs': Platform('bochs', 'VT-x and EPT', 'EPT'),
    'qemu': Platform('qemu', 'AMD-V and NPT', 'NPT'),
    # AMD-V with next-RIP save, flush-by-ASID and 32768 ASIDs, which QEMU
    # lacks; as slow as Bochs is (test_svm.py runs a few tests there).
    'bochs_ryzen': Platform('bochs', 'AMD-V and NPT', 'NPT', bochs_cpu='ryzen'),
}


def on_each_platform(namespace, platforms=('bochs', 'qemu')):
    """Decorator: one test definition fn(t, platform) becomes one test per
    platform, test_<platform>_<fn name>, defined in namespace (the test
    module's globals()). The tests keep fn's position in the file."""
    def define(fn):
        for name in platforms:
            def test(t, fn=fn, platform=PLATFORMS[name]):
                return fn(t, platform)
            test.__name__ = f'test_{name}_{fn.__name__}'
            test.__doc__ = fn.__doc__
            test.__module__ = fn.__module__
            test.__code__ = test.__code__.replace(co_firstlineno=fn.__code__.co_firstlineno)
            namespace[test.__name__] = test
        return fn
    return define


class TestFailure(AssertionError):
    """Raised by TestContext.fail(); any AssertionError counts the same."""


class TestSkip(Exception):
    """Raised by TestContext.skip(): the test cannot run here (not a failure)."""


class TestContext:
    """Passed to every test function as its only argument.

    name      the test's name (function name without "test_")
    workdir   build/tests/<name>/, emptied before the test runs
    efi       the Bulkhead EFI application the images are built from
    logs      console logs the runner shows the tail of if the test fails
              (boot() adds its machine's; add others yourself)
    """

    def __init__(self, name, build, efi):
        self.name = name
        self.root = ROOT
        self.build = Path(build)
        self.efi = Path(efi)
        self.workdir = self.build / 'tests' / name
        self.logs = []
        self.machines = []

    def setup(self):
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)

    def cleanup(self):
        """Stops whatever the test left running (the runner calls this)."""
        for m in self.machines:
            m.kill()

    # --- verdicts ------------------------------------------------------------

    def fail(self, message):
        raise TestFailure(message)

    def skip(self, reason):
        raise TestSkip(reason)

    def note(self, message):
        """A progress line under the test's name in the runner's output."""
        print(f'    {message}', flush=True)

    # --- images --------------------------------------------------------------

    def compile_policy(self, text):
        """Compiles policy text with build/host/bulkhead-policy; returns the
        blob's bytes (the test fails with the compiler's errors if any)."""
        tool = self.build / 'host' / 'bulkhead-policy'
        if not tool.is_file():
            self.fail(f'{_rel(tool)} is missing: build it first (make)')
        src, out = self.workdir / 'test.policy', self.workdir / 'policy.bin'
        src.write_text(text)
        r = subprocess.run([str(tool), 'compile', str(src), '-o', str(out)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode:
            self.fail(f'the test policy does not compile:\n{r.stdout}')
        return out.read_bytes()

    def guest(self, name):
        """The bytes of build/guests/NAME.elf."""
        return (self.build / 'guests' / f'{name}.elf').read_bytes()

    def build_image(self, cmdline='', files=None, edit=None, policy=None, gpt=False):
        """Builds workdir/bulkhead.img: tools/mkbundle.sh into workdir/bundle
        with cmdline and the extra files ({name: bytes}), plus policy.bin
        compiled from policy (text) if given, then edit(bundle Path) if given
        (to break the bundle on purpose), then tools/mkefi.sh packs it into
        workdir/BOOTX64.EFI and tools/mkimage.sh makes the volume (or, with
        gpt, tools/mkgpt.sh a GPT disk around it). Returns the image's Path."""
        if not self.efi.is_file():
            self.fail(f'{_rel(self.efi)} is missing: build it first (make)')
        if policy is not None:
            files = dict(files or {})
            files['policy.bin'] = self.compile_policy(policy)
        bundle = self.workdir / 'bundle'
        src = self.workdir / 'files'
        paths = []
        for fname, data in (files or {}).items():
            src.mkdir(exist_ok=True)
            (src / fname).write_bytes(data)
            paths.append(str(src / fname))
        self._tool('mkbundle.sh', str(bundle), cmdline, *paths)
        if edit:
            edit(bundle)
        efi = self.workdir / 'BOOTX64.EFI'
        self._tool('mkefi.sh', str(efi), str(self.efi), str(bundle))
        if gpt:
            image = self.workdir / 'bulkhead-gpt.img'
            self._tool('mkgpt.sh', str(image), str(efi))
        else:
            image = self.workdir / 'bulkhead.img'
            self._tool('mkimage.sh', str(image), str(efi))
        return image

    def _tool(self, tool, *args):
        r = subprocess.run([str(ROOT / 'tools' / tool), *args], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode:
            self.fail(f'tools/{tool} failed (status {r.returncode}):\n{r.stdout}')

    # --- machines ------------------------------------------------------------

    def boot(self, emulator, image, **kwargs):
        """Starts emulator ('qemu', 'bochs' or 'kvm') on image; returns the
        running machine.Machine. Its console log is workdir/console.log (or
        workdir/<emulator>-N/console.log for a test's second machine).
        Emulators never overlap: the previous machine of this test is
        stopped first."""
        if emulator == 'kvm' and machine.pick_emulator('auto')[0] != 'kvm':
            self.skip('no KVM with nested VT-x here')
        for m in self.machines:
            m.kill()
        workdir = self.workdir
        if self.machines:
            workdir = workdir / f'{emulator}-{len(self.machines) + 1}'
        image = str(image) if image is not None else None   # None: no disk
        m = machine.Machine(emulator, image, str(workdir), **kwargs)
        self.machines.append(m)
        self.logs.append(Path(m.log_path))
        try:
            m.start()
        except machine.EmulatorError as e:
            self.fail(str(e))
        return m

    def expect(self, m, pattern, timeout=None):
        """m.wait_for with this emulator's step timeout by default."""
        return m.wait_for(pattern, timeout or STEP_TIMEOUT[m.emu])

    def expect_boot(self, m, pattern=r'bulkhead: kernel started'):
        """Waits for the first line of interest with the boot timeout. Fails
        at once if the firmware gives up on our application instead (it
        could not load it, or moved on to its UEFI shell)."""
        gave_up = r'BdsDxe: failed to load .*|UEFI Interactive Shell.*'
        found = m.wait_for(f'(?:{pattern})|(?P<gave_up>{gave_up})', BOOT_TIMEOUT[m.emu])
        if found.group('gave_up') is not None:
            self.fail(f'the firmware did not run Bulkhead before /{pattern}/ appeared: '
                      f'{found.group(0)!r}')
        return found

    def expect_poweroff(self, m, timeout=None):
        """The emulator must exit by itself (the guest powered the machine
        off) within timeout."""
        status = m.wait_exit(timeout or STEP_TIMEOUT[m.emu])
        if status < 0:
            self.fail(f'{m.name} crashed (signal {-status}) instead of powering off; '
                      f'see {_rel(m.emu_log_path)}')

    def expect_absent(self, m, pattern, why):
        found = m.seen(pattern)
        if found:
            self.fail(f'{why}: the console shows {found.group(0)!r}')

    def run_launcher(self, emulator, image, script, timeout):
        """Runs `make run`'s launcher (tools/emu.py run) on image with
        script (bytes) piped to its stdin, as `printf ... | make run` does,
        its machine's files in workdir/run/. Returns (exit status, its stdout
        cleaned as the console is, its stderr). Fails if it has not exited
        within timeout seconds."""
        run_dir = self.workdir / 'run'
        out_path = self.workdir / 'launcher.stdout'
        err_path = self.workdir / 'launcher.stderr'
        self.logs.append(run_dir / 'console.log')
        with open(out_path, 'wb') as out, open(err_path, 'wb') as err:
            p = subprocess.Popen([sys.executable, str(ROOT / 'tools' / 'emu.py'), 'run',
                                  '--emu', emulator, '--image', str(image),
                                  '--workdir', str(run_dir)],
                                 stdin=subprocess.PIPE, stdout=out, stderr=err, cwd=ROOT)
            p.stdin.write(script)
            p.stdin.close()
            try:
                status = p.wait(timeout)
            except subprocess.TimeoutExpired:
                # SIGTERM lets the launcher stop its emulator on the way out.
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                self.fail(f'the launcher did not exit within {timeout:g} s')
        return (status, machine.clean_text(out_path.read_bytes()),
                err_path.read_text(errors='replace'))


def _rel(path):
    """path relative to the repository if inside it, else absolute."""
    rel = os.path.relpath(path, ROOT)
    return str(path) if rel.startswith('..') else rel


def cleaned_tail(path, lines):
    """The last lines of a console log, escape sequences removed."""
    try:
        text = machine.clean_text(Path(path).read_bytes())
    except OSError:
        return None
    return '\n'.join(text.splitlines()[-lines:])


def line_with(prefix, *words):
    """A regex for a line starting with prefix that contains every one of
    words, in any order, each not followed by a letter or digit (so "vmx=no"
    does not match "vmx=none")."""
    look = ''.join(f'(?=.*{re.escape(w)}(?!\\w))' for w in words)
    return rf'^{re.escape(prefix)}{look}.*$'
