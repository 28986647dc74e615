# SPDX-License-Identifier: GPL-2.0-only
"""`make run`'s launcher (tools/emu.py run) driven by a script, not a person."""

import signal
import subprocess
import sys

import emu

LAUNCHER_TIMEOUT = 120


def test_run_stdin(t):
    """With stdin a pipe that closes, the launcher feeds COM1 until EOF and
    must then exit by itself once the machine powers off (it would wait up to
    its 30 s grace period, then stop the emulator and exit non-zero)."""
    # The launcher boots the test's own image rather than build/bulkhead.img,
    # whose bundle depends on the CMDLINE `make` was given.
    image = t.build_image(cmdline='')
    run_dir = t.workdir / 'run'
    out_path, err_path = t.workdir / 'launcher.stdout', t.workdir / 'launcher.stderr'
    t.logs.append(run_dir / 'console.log')
    with open(out_path, 'wb') as out, open(err_path, 'wb') as err:
        p = subprocess.Popen([sys.executable, str(t.root / 'tools' / 'emu.py'), 'run',
                              '--emu', 'qemu', '--image', str(image),
                              '--workdir', str(run_dir)],
                             stdin=subprocess.PIPE, stdout=out, stderr=err,
                             cwd=t.root)
        p.stdin.close()
        try:
            status = p.wait(LAUNCHER_TIMEOUT)
        except subprocess.TimeoutExpired:
            # SIGTERM lets the launcher stop its emulator on the way out.
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            t.fail(f'the launcher did not exit within {LAUNCHER_TIMEOUT} s')
    stderr = err_path.read_text(errors='replace')
    console = emu.clean_text(out_path.read_bytes())
    t.note(stderr.strip().splitlines()[0] if stderr.strip() else '(launcher printed nothing)')
    if 'bulkhead: powering off' not in console:
        t.fail('the launcher\'s stdout lacks "bulkhead: powering off"; its stderr:\n' + stderr)
    if status != 0:
        t.fail(f'the launcher exited with status {status}; its stderr:\n' + stderr)
    if 'powered off' not in stderr:
        t.fail('the launcher did not report the power-off; its stderr:\n' + stderr)
