# SPDX-License-Identifier: GPL-2.0-only
"""Measured launch (docs/boot.md): with a TPM 2.0, the UEFI stage measures
every bundle file into PCR 12, with an event-log entry naming it, and logs
the PCR's value as the TPM reports it and the log's entries; the value must
equal tools/bundle_pcr.py's, computed on the host from
the bundle's files alone, and change when one guest image changes. Without
a TPM the boot goes on and says nothing was measured.

The TPM is swtpm (a fresh one per boot, so PCR 12 starts at zero) attached
to QEMU as a CRB device; OVMF publishes it as EFI_TCG2_PROTOCOL.
"""

import hashlib
import re

from harness import native_policy
import bundle_pcr
import qemu_extras

MEASURED = r'bulkhead-efi: measured (\d+) bundle files into PCR 12: sha256 ([0-9a-f]{64})'
EVENT = r"^bulkhead-efi: event log: PCR 12 EV_IPL '([^']*)' sha256 ([0-9a-f]{64})$"
POLICY = native_policy([('hello', 'hello.elf', '2M')])


def _measured_boot(t, hello, run):
    """Boots a bundle whose hello.elf is hello with a fresh swtpm; checks
    that the firmware's event log has one entry per file, naming it, with its
    SHA-256; returns (PCR value logged, PCR value computed on the host)."""
    image = t.build_image(files={'hello.elf': hello}, policy=POLICY)
    files = bundle_pcr.read_bundle_dir(t.workdir / 'bundle')
    expected = bundle_pcr.bundle_pcr(files).hex()
    with qemu_extras.Swtpm(t.workdir / f'tpm-{run}') as tpm:
        m = t.boot('qemu', image, qemu_args=tpm.start())
        found = t.expect_boot(m, MEASURED)
        t.expect(m, r'bulkhead-efi: event log: 3 entries for PCR 12$')
        t.expect(m, r'bulkhead: kernel started')
        m.kill()
    if found.group(1) != '3':
        t.fail(f'expected 3 files measured (cmdline, hello.elf, policy.bin): {found.group(0)!r}')
    logged = re.findall(EVENT, m.output, re.M)
    want = [(name, hashlib.sha256(files[name]).hexdigest())
            for name in bundle_pcr.manifest_names(files['MANIFEST'].decode())]
    if logged != want:
        t.fail(f'the event log holds {logged}, expected {want}')
    return found.group(2), expected


def test_qemu_measured_pcr_matches_host(t):
    logged, expected = _measured_boot(t, t.guest('hello'), 1)
    t.note(f'PCR 12 = {logged}')
    if logged != expected:
        t.fail(f'PCR 12 is {logged}, tools/bundle_pcr.py computes {expected}')
    # Another guest image under the same name: a different launch.
    logged2, expected2 = _measured_boot(t, t.guest('ticker'), 2)
    t.note(f'with another hello.elf: {logged2}')
    if logged2 != expected2:
        t.fail(f'PCR 12 is {logged2}, tools/bundle_pcr.py computes {expected2}')
    if logged2 == logged:
        t.fail('a changed guest image left PCR 12 as it was')


def test_qemu_measured_no_tpm(t):
    m = t.boot('qemu', t.build_image(files={'hello.elf': t.guest('hello')}, policy=POLICY))
    t.expect_boot(m, re.escape('bulkhead-efi: no TPM 2.0 (EFI_TCG2_PROTOCOL): nothing was measured'))
    t.expect(m, r'bulkhead: kernel started')
