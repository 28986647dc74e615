# SPDX-License-Identifier: GPL-2.0-only
"""The network driver VM's figures for `make bench` (docs/driver-vm.md,
docs/benchmarks.md): policy/examples/net.policy on QEMU with the e1000e at
00:03.0 and the VT-d IOMMU, driven through the CLI. A web server on the
host's loopback serves MIB mebibytes of random bytes; the guests reach it
at 10.0.2.2 through QEMU's user network.

Each VM first fetches the file once untimed (warm_up), then:

  net_driver_vm_direct_mbps     busybox wget of the file to /dev/null in
                                netvm itself (br0, 10.0.2.16): the NIC
                                with Linux's driver, no channel
  net_app_via_driver_vm_mbps    the same in app (10.0.2.15): its
                                virtio-net channel to netvm, bridged there
                                to the NIC
  net_via_driver_vm_ratio       the second over the first
  net_driver_vm_direct_exits_per_mib     netvm's VM exits per MiB moved
                                in the direct download (the CLI's
                                `exits netvm` before and after)
  net_app_via_driver_vm_exits_per_mib    app's exits per MiB in its download
  net_app_via_driver_vm_netvm_exits_per_mib  netvm's exits per MiB in app's
                                download
  net_driver_vm_direct_emulator_ms, net_app_via_driver_vm_emulator_ms
                                the host's wall clock over each download,
                                from typing the command to its result:
                                emulator time

Throughputs are megabits per second of guest time over the "real" line of
busybox `time`. Under QEMU TCG the guests' clocks follow the host's, so
every figure here is emulator time, not a hardware figure; the ratio is the
one that means something beyond this host. One run of each.
"""

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'system'))
sys.path.insert(0, str(ROOT / 'tests' / 'bench'))
import cli_session as cli  # noqa: E402
import linux_net  # noqa: E402  (run_on_qemu)
import linux_session as tl  # noqa: E402
import netvm_session as nv  # noqa: E402

MIB = 16
FILE = 'big'
FIGURES = ('net_driver_vm_direct_mbps', 'net_app_via_driver_vm_mbps', 'net_via_driver_vm_ratio',
           'net_driver_vm_direct_exits_per_mib', 'net_app_via_driver_vm_exits_per_mib',
           'net_app_via_driver_vm_netvm_exits_per_mib', 'net_driver_vm_direct_emulator_ms',
           'net_app_via_driver_vm_emulator_ms')
TIMEOUT = 900    # s of wall time for one download under TCG on a loaded host


def exits(t, m, name):
    """The total of `exits NAME`."""
    return int(cli.command(t, m, f'exits {name}',
                           rf'^exits {re.escape(name)}: (\d+) in \d+ ns since its creation;')
               [0].group(1))


def warm_up(t, m, p, vm, port):
    """One untimed wget of the file in VM vm: the first transfer through a
    path pays for ARP, TCP's slow start from cold and QEMU translating the
    code on it, which the timed ones should not."""
    tl.attach_shell(t, m, vm, p)
    tl.shell(t, m, f'wget -q -O /dev/null http://{nv.HOST}:{port}/{FILE} && '
                   f'echo "warm-$((6 * 7))"', r'^warm-42$', timeout=TIMEOUT)
    nv.detach(t, m, vm)


def download(t, m, p, vm, port):
    """In VM vm, attached: `time wget` of the file to /dev/null, then
    detach. Returns (guest seconds from `time`, host seconds)."""
    tl.attach_shell(t, m, vm, p)
    start = time.monotonic()
    real = tl.shell(t, m, f'time wget -q -O /dev/null http://{nv.HOST}:{port}/{FILE} && '
                          f'echo "fetched-$((6 * 7))"',
                    r'^real (\d+)m ?([\d.]+)s', r'^fetched-42$', timeout=TIMEOUT)[0]
    host = time.monotonic() - start
    nv.detach(t, m, vm)
    return int(real.group(1)) * 60 + float(real.group(2)), host


def mbps(seconds):
    return MIB * 1024 * 1024 * 8 / seconds / 1e6


def measure(t, p):
    served = t.workdir / 'served'
    served.mkdir()
    nv.random_file(served / FILE, MIB * 1024 * 1024)
    with nv.FileServer(served) as server:
        m = nv.boot_net(t, p)
        tl.wait_for_init(t, m, ('app',), p.boot_timeout * 4)
        nv.launch_netvm(t, m, p)
        nv.configure_app(t, m, p)
        nv.detach(t, m, 'app')
        warm_up(t, m, p, 'netvm', server.port)
        warm_up(t, m, p, 'app', server.port)

        before = exits(t, m, 'netvm')
        direct, direct_host = download(t, m, p, 'netvm', server.port)
        direct_exits = exits(t, m, 'netvm') - before

        before_app, before_netvm = exits(t, m, 'app'), exits(t, m, 'netvm')
        via, via_host = download(t, m, p, 'app', server.port)
        via_app = exits(t, m, 'app') - before_app
        via_netvm = exits(t, m, 'netvm') - before_netvm
    cli.shutdown(t, m)

    figures = {
        'net_driver_vm_direct_mbps': round(mbps(direct), 2),
        'net_app_via_driver_vm_mbps': round(mbps(via), 2),
        'net_via_driver_vm_ratio': round(direct / via, 3),
        'net_driver_vm_direct_exits_per_mib': round(direct_exits / MIB),
        'net_app_via_driver_vm_exits_per_mib': round(via_app / MIB),
        'net_app_via_driver_vm_netvm_exits_per_mib': round(via_netvm / MIB),
        'net_driver_vm_direct_emulator_ms': round(direct_host * 1000),
        'net_app_via_driver_vm_emulator_ms': round(via_host * 1000),
    }
    notes = [f'# net_driver_vm: QEMU TCG (AMD-V) with an e1000e behind VT-d; {MIB} MiB by HTTP '
             f'from the host\'s loopback: {direct:.2f} s of guest time in netvm itself, '
             f'{via:.2f} s in app through netvm\'s bridge; exits counted by `exits NAME` '
             f'around each download (netvm\'s include its monitor\'s work only as exits); '
             f'*_emulator_ms are the host\'s wall clock: emulator time; one run']
    return figures, notes


def run(build, efi, workdir):
    """Returns ({figure: value}, [note lines]); raises linux_bare.Skipped if
    the Linux guest, the driver VM's initramfs or the monitor is not built,
    else AssertionError (the harness's failures) or EmulatorError."""
    return linux_net.run_on_qemu(
        'bench-net-driver-vm', measure, build, efi, workdir,
        needs=[(Path(build) / 'drivers-vm' / 'netvm-initramfs.cpio.gz', 'make drivers-vm')])
