# SPDX-License-Identifier: GPL-2.0-only
"""What a QEMU machine (tools/machine.py) needs beyond a disk, for the
trusted-boot features of docs/boot.md: Secure Boot firmware with Debian's
test key enrolled, a software TPM 2.0 (swtpm), and a user network whose
built-in TFTP server hands out an iPXE script. Each helper returns the
`firmware` and `qemu_args` that machine.Machine takes. Also the machine
of device grants (docs/driver-vm.md): a VT-d IOMMU and the NIC a policy
passes to a driver VM (machine.Machine's iommu= and nic=).
"""

import os
import re
import shutil
import subprocess
import tempfile
import time

# Debian ovmf: 4 MiB builds with the "snakeoil" test key enrolled as PK, KEK
# and db (its README.Debian); they need SMM and a secure pflash.
SNAKEOIL_FIRMWARE = ('/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd',
                     '/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd')
SNAKEOIL_KEY = '/usr/share/ovmf/PkKek-1-snakeoil.key'    # passphrase "snakeoil"
SNAKEOIL_CERT = '/usr/share/ovmf/PkKek-1-snakeoil.pem'
SNAKEOIL_PASSPHRASE = 'snakeoil'

# The plain 4 MiB build: same firmware without enrolled keys (TPM 2.0 support
# included, like every Debian OVMF build).
PLAIN_4M_FIRMWARE = ('/usr/share/OVMF/OVMF_CODE_4M.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd')

IPXE_ROM = '/usr/lib/ipxe/qemu/efi-e1000.rom'
# QEMU's user network: the guest is 10.0.2.15, the host (and TFTP) 10.0.2.2.
USER_NET_HOST = '10.0.2.2'


def secure_boot_args():
    """QEMU arguments Secure Boot firmware needs: SMM, so the variable store
    can only be written through the firmware's SMM handler."""
    return ['-machine', 'smm=on', '-global', 'driver=cfi.pflash01,property=secure,value=on']


def decrypted_snakeoil_key(path):
    """Writes the snakeoil private key without its passphrase to path (sbsign
    cannot be given a passphrase on its command line); returns path."""
    subprocess.run(['openssl', 'rsa', '-passin', f'pass:{SNAKEOIL_PASSPHRASE}',
                    '-in', SNAKEOIL_KEY, '-out', str(path)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def netboot_args(tftp_dir, bootfile='boot.ipxe'):
    """An e1000 NIC with iPXE's EFI ROM on QEMU's user network, whose DHCP
    names bootfile and whose TFTP server serves tftp_dir (read-only)."""
    return ['-netdev', f'user,id=net0,tftp={tftp_dir},bootfile={bootfile},restrict=on',
            '-device', f'e1000,netdev=net0,romfile={IPXE_ROM}']


# The NIC a device grant passes through (policy/examples/net.policy): an
# Intel 82574L (e1000e) at host PCI address 00:03.0.
PASSTHROUGH_NIC_ADDRESS = '00:03.0'
PASSTHROUGH_NIC_MODEL = 'e1000e'


def iommu_args(kind='intel'):
    """An IOMMU with interrupt remapping, which the kernel confines every
    device's DMA and MSIs with: 'intel' a VT-d unit (in the ACPI DMAR),
    'amd' an AMD-Vi unit (a PCI function, in the ACPI IVRS). QEMU wants it
    before the devices it translates for, so these come before
    passthrough_nic_args'."""
    if kind not in ('intel', 'amd'):
        raise ValueError(f'unknown IOMMU kind {kind!r}')
    return ['-device', f'{kind}-iommu,intremap=on']


def passthrough_nic_args(tftp_dir=None):
    """The NIC at PASSTHROUGH_NIC_ADDRESS on QEMU's user network (the
    guest side 10.0.2.0/24; 10.0.2.2 is this host's loopback, DNS and, if
    tftp_dir is given, a TFTP server of its files). No option ROM: the
    firmware must not boot from it."""
    netdev = 'user,id=n0' + (f',tftp={tftp_dir.replace(",", ",,")}' if tftp_dir else '')
    slot = PASSTHROUGH_NIC_ADDRESS.split(':')[1]
    return ['-netdev', netdev,
            '-device', f'{PASSTHROUGH_NIC_MODEL},netdev=n0,addr={slot},romfile=']


# A string or a comment, whichever starts first: neither can hold a grant.
_STRING_OR_COMMENT_RE = re.compile(r'"[^"\n]*"|#[^\n]*')
_DEVICE_RE = re.compile(r'(?<![\w-])device\s+[A-Za-z0-9_-]+\s*\{')


def policy_grants_device(text):
    """True if policy text (docs/policy.md) declares a device grant, a
    `device NAME { ... }` block, outside comments and strings: such a
    system needs the NIC and the IOMMU above to boot."""
    return bool(_DEVICE_RE.search(_STRING_OR_COMMENT_RE.sub(' ', text)))


class Swtpm:
    """A software TPM 2.0 (swtpm) for one machine, with its state in
    state_dir. Use as a context manager, or start() and stop()."""

    def __init__(self, state_dir):
        self.state_dir = str(state_dir)
        self.proc = None
        self._sockdir = None

    def start(self, timeout=10):
        """Starts swtpm; returns the QEMU arguments that attach it as a CRB
        TPM (the interface OVMF and current PCs use)."""
        os.makedirs(self.state_dir, exist_ok=True)
        # A Unix socket path is limited to ~107 bytes: keep it short.
        self._sockdir = tempfile.mkdtemp(prefix='bulkhead-tpm-')
        sock = os.path.join(self._sockdir, 'ctrl')
        log = os.path.join(self.state_dir, 'swtpm.log')
        self.proc = subprocess.Popen(
            ['swtpm', 'socket', '--tpm2', '--tpmstate', f'dir={self.state_dir}',
             '--ctrl', f'type=unixio,path={sock}', '--log', f'file={log}',
             '--terminate'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not os.path.exists(sock):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f'swtpm did not start; see {log}')
            time.sleep(0.05)
        return ['-chardev', f'socket,id=chrtpm,path={sock}',
                '-tpmdev', 'emulator,id=tpm0,chardev=chrtpm',
                '-device', 'tpm-crb,tpmdev=tpm0']

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._sockdir:
            shutil.rmtree(self._sockdir, ignore_errors=True)
            self._sockdir = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
