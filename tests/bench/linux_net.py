# SPDX-License-Identifier: GPL-2.0-only
"""virtio_net_mbps for `make bench`: TCP throughput between two Linux VMs
whose virtio-net devices share one channel (docs/virtio-devices.md),
driven through the CLI on QEMU (AMD-V):

  virtio_net_mbps   MIB mebibytes of zeroes sent by `dd | nc` in VM a to
                    `nc -l -e dd of=/dev/null` in VM b, over the time the
                    sender's shell measures (busybox `time`, its "real"
                    line), in megabits per second of guest time. Under
                    QEMU TCG the guest's clock follows the host's, so this
                    is emulator time, not a hardware figure.

Both guests are the stock kernel with the busybox initramfs
(docs/linux-guest.md); the channel is 1 MiB.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'system'))
import harness  # noqa: E402
import cli_session as cli  # noqa: E402
import linux_session as tl  # noqa: E402

FIGURES = ('virtio_net_mbps',)
MIB = 10
BLOCK = 64 * 1024


def policy():
    return ('machine memory 768M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {cli.CONTROL_RIGHTS}; }}\n' +
            tl.linux_vm('a', extra='virtio-net link; ') +
            tl.linux_vm('b', extra='virtio-net link; ') +
            'channel link { between a and b; size 1M; direction both; events both; }\n')


def net_figures(t, p):
    files = tl.linux_files(t)
    files['cli.elf'] = t.guest('cli')
    image = t.build_image(cmdline='panic=poweroff', policy=policy(), files=files)
    m = cli.expect_prompt(t, t.boot(p.emu, image, memory_mb=1024, **p.boot_args))
    tl.wait_for_init(t, m, ('a', 'b'), p.boot_timeout * 4)
    tl.attach_shell(t, m, 'b', p)
    tl.shell(t, m, 'ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up && echo b-up', r'^b-up')
    tl.shell(t, m, 'nc -l -p 5000 -e dd of=/dev/null bs=64k &', r'# ')
    m.send(tl.DETACH)
    t.expect(m, r'^detached from b$')
    tl.attach_shell(t, m, 'a', p)
    tl.shell(t, m, 'ip addr add 10.0.0.1/24 dev eth0 && ip link set eth0 up && sleep 1 && '
                   'echo a-up', r'^a-up')
    count = MIB * 1024 * 1024 // BLOCK
    real = tl.shell(t, m, f"time sh -c 'dd if=/dev/zero bs={BLOCK} count={count} 2>/dev/null | "
                          f"nc 10.0.0.2 5000'", r'^real (\d+)m ?([\d.]+)s', timeout=600)[0]
    seconds = int(real.group(1)) * 60 + float(real.group(2))
    mbps = MIB * 1024 * 1024 * 8 / seconds / 1e6
    notes = [f'# virtio_net_mbps: QEMU TCG (AMD-V), {MIB} MiB over TCP between two Linux VMs '
             f'on one 1 MiB channel in {seconds:.2f} s of guest time; one run']
    return {'virtio_net_mbps': round(mbps, 2)}, notes


def run(build, efi, workdir):
    """Returns ({figure: value}, [note lines]); raises linux_bare.Skipped if
    the Linux guest or the monitor is not built, else on failure."""
    return run_on_qemu('bench-linux-net', net_figures, build, efi, workdir)


def run_on_qemu(name, figures, build, efi, workdir, needs=()):
    """Runs figures(t, platform) on QEMU (AMD-V) with a TestContext called
    name in workdir; returns what it returns. Raises linux_bare.Skipped if
    the Linux guest, the monitor or one of needs, (path, how to build it)
    pairs, is not built."""
    import linux_bare
    for path, how in ((Path(build) / 'linux' / 'vmlinux', 'make linux-guest'),
                      (Path(build) / 'linux' / 'initramfs.cpio.gz', 'make linux-guest'),
                      (Path(build) / 'guests' / 'vmm.elf', 'make all'), *needs):
        if not path.is_file():
            raise linux_bare.Skipped(f'{path} is missing ({how})')
    t = harness.TestContext(name, build, efi)
    t.workdir = Path(workdir)
    t.setup()
    try:
        return figures(t, harness.PLATFORMS['qemu'])
    finally:
        t.cleanup()
