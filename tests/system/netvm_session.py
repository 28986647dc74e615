# SPDX-License-Identifier: GPL-2.0-only
"""Helpers for tests and benchmarks of the network driver VM
(docs/driver-vm.md, policy/examples/net.policy): the bundle files, the
machine with the passed-through NIC and the IOMMU, launching netvm and
waiting for its bridge, configuring an app VM's address, and a web server
on the host's loopback that the guests reach at 10.0.2.2 through QEMU's
user network."""

import functools
import hashlib
import http.server
import os
import re
import threading

import harness
from cli_session import LOG, command, expect_prompt
from linux_session import DETACH, attach_shell, linux_files, shell

NET_POLICY = harness.ROOT / 'policy' / 'examples' / 'net.policy'
NETVM_INITRAMFS = harness.ROOT / 'build' / 'drivers-vm' / 'netvm-initramfs.cpio.gz'
HOST = '10.0.2.2'              # QEMU's user network: the host's loopback
APP_ADDRESS = '10.0.2.15/24'
# netvm's ready line (drivers-vm/net/init), after the kernel's "netvm: " prefix.
BRIDGE_UP = LOG + r'netvm: netvm: bridge br0 up(?: without a NIC)?: (.*)$'
MEMORY_MB = 768


def netvm_files(t):
    """The bundle files of net.policy: the Linux guest's, the driver VM's
    initramfs (`make`, mk/drivers-vm.mk) and the CLI."""
    if not NETVM_INITRAMFS.exists():
        t.fail(f'{NETVM_INITRAMFS.name} is not built: make drivers-vm')
    files = linux_files(t)
    files['netvm-initramfs.cpio.gz'] = NETVM_INITRAMFS.read_bytes()
    files['cli.elf'] = t.guest('cli')
    return files


def boot_net(t, p, policy=None, files=None, memory_mb=MEMORY_MB):
    """Boots policy (net.policy by default) with the NIC and the IOMMU on
    platform p (QEMU; VT-d unless p.boot_args names another iommu); returns
    the machine at the CLI's first prompt."""
    image = t.build_image(cmdline='panic=poweroff',
                          policy=policy if policy is not None else NET_POLICY.read_text(),
                          files=files if files is not None else netvm_files(t))
    boot_args = {'iommu': True, **p.boot_args}   # a platform may name another IOMMU
    return expect_prompt(t, t.boot(p.emu, image, memory_mb=memory_mb, nic=True, **boot_args))


def launch_netvm(t, m, p):
    """`launch netvm` and waits for its bridge; returns the ports it
    names, e.g. ['eth0(e1000e)', 'eth1(virtio)']. Fails unless the NIC
    is one of them."""
    command(t, m, 'launch netvm', r'^launched netvm from netvm \(id \d+\)$')
    ports = t.expect(m, BRIDGE_UP, timeout=p.boot_timeout * 4).group(1).split()
    if not any(port.endswith('(e1000e)') for port in ports):
        t.fail(f'netvm bridged no e1000e NIC: {ports}')
    return ports


def configure_app(t, m, p, name='app', address=APP_ADDRESS):
    """Gives the app VM's eth0 its address and the default route via
    10.0.2.2, from its shell; stays attached."""
    attach_shell(t, m, name, p)
    shell(t, m, f'ip addr add {address} dev eth0 && ip link set eth0 up && '
                f'ip route add default via {HOST} && echo "up-$((40 + 2))"', r'^up-42$')


def detach(t, m, name):
    m.send(DETACH)
    t.expect(m, rf'^detached from {re.escape(name)}$')


def fetch_sha256(t, m, p, port, name, timeout=None):
    """In the attached VM's shell: wget of http://10.0.2.2:PORT/NAME into
    /tmp and its SHA-256; returns the hex digest. busybox wget retries
    nothing, so the shell tries a few times while links come up."""
    line = (f'for i in 1 2 3 4 5; do wget -q -O /tmp/{name} http://{HOST}:{port}/{name} && '
            f'break; sleep 2; done; sha256sum /tmp/{name}')
    found = shell(t, m, line, rf'^([0-9a-f]{{64}})  /tmp/{re.escape(name)}$',
                  timeout=timeout or p.step_timeout * 8)[0]
    return found.group(1)


class FileServer:
    """A web server on 127.0.0.1 (an ephemeral port) serving one
    directory, in a thread; the guests reach it at 10.0.2.2:port."""

    def __init__(self, directory):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name='netvm-http')

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass   # the test's output is the runner's


def random_file(path, size):
    """Writes size random bytes to path; returns their SHA-256 (hex)."""
    data = os.urandom(size)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()
