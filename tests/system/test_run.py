# SPDX-License-Identifier: GPL-2.0-only
"""`make run`'s launcher (tools/emu.py run) driven by a script, not a person."""

LAUNCHER_TIMEOUT = 120


def test_run_stdin(t):
    """With stdin a pipe that closes, the launcher feeds COM1 until EOF and
    must then exit by itself once the machine powers off (it would wait up to
    its 30 s grace period, then stop the emulator and exit non-zero)."""
    # The launcher boots the test's own image rather than build/bulkhead.img,
    # whose bundle depends on the CMDLINE `make` was given.
    image = t.build_image(cmdline='')
    status, console, stderr = t.run_launcher('qemu', image, b'', LAUNCHER_TIMEOUT)
    t.note(stderr.strip().splitlines()[0] if stderr.strip() else '(launcher printed nothing)')
    if 'bulkhead: powering off' not in console:
        t.fail('the launcher\'s stdout lacks "bulkhead: powering off"; its stderr:\n' + stderr)
    if status != 0:
        t.fail(f'the launcher exited with status {status}; its stderr:\n' + stderr)
    if 'powered off' not in stderr:
        t.fail('the launcher did not report the power-off; its stderr:\n' + stderr)
