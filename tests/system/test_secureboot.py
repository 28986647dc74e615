# SPDX-License-Identifier: GPL-2.0-only
"""UEFI Secure Boot: the firmware starts only a Bulkhead application signed by
a key in its db, and the signature covers the boot bundle inside it
(docs/boot.md, "Chain of trust").

QEMU runs Debian's OVMF with the snakeoil test key enrolled; the tests sign
with that key (tools/sign.sh, as `make sign` does). "Starts" means all the
way: the UEFI stage verifies its bundle, and the kernel runs hello under
AMD-V, which QEMU's TCG emulates.
"""

import hashlib
import os
import re
import subprocess

from harness import ROOT, native_policy
import qemu_extras

# What OVMF prints when its image verification refuses Boot0001 (the disk);
# EDK2 says Access Denied for an image whose signature no db entry accepts.
REFUSED = r'BdsDxe: failed to load Boot0001 .*: (?:Access Denied|Security Violation)'
BOOT_TIMEOUT = 60
POLICY = native_policy([('hello', 'hello.elf', '2M')])


def _signed_efi(t):
    """Builds the test's application (bundle: hello and its policy), signs it
    with the snakeoil key, returns (signed bytes, bundle dir)."""
    t.build_image(files={'hello.elf': t.guest('hello')}, policy=POLICY)
    key = qemu_extras.decrypted_snakeoil_key(t.workdir / 'db.key')
    signed = t.workdir / 'BOOTX64.signed.EFI'
    r = subprocess.run([str(ROOT / 'tools' / 'sign.sh'), str(signed), str(t.workdir / 'BOOTX64.EFI'),
                        str(key), qemu_extras.SNAKEOIL_CERT],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        t.fail(f'tools/sign.sh failed:\n{r.stdout}')
    return signed.read_bytes(), t.workdir / 'bundle'


def _boot_secure(t, efi_bytes):
    """Boots efi_bytes as /EFI/BOOT/BOOTX64.EFI with Secure Boot enforcing."""
    efi = t.workdir / 'boot.efi'
    efi.write_bytes(efi_bytes)
    image = t.workdir / 'secure.img'
    subprocess.run([str(ROOT / 'tools' / 'mkimage.sh'), str(image), str(efi)], check=True)
    return t.boot('qemu', image, firmware=qemu_extras.SNAKEOIL_FIRMWARE,
                  qemu_args=qemu_extras.secure_boot_args())


def _expect_refused(t, efi_bytes):
    m = _boot_secure(t, efi_bytes)
    found = t.expect(m, f'{REFUSED}|bulkhead-efi: .*', BOOT_TIMEOUT)
    if found.group(0).startswith('bulkhead-efi'):
        t.fail(f'the firmware started the application: {found.group(0)!r}')
    t.note(found.group(0)[:60] + '...' + found.group(0)[-20:])
    m.kill()
    t.expect_absent(m, r'bulkhead-efi:', 'the firmware ran a tampered application')


def _flip(data, offset):
    data = bytearray(data)
    data[offset] ^= 0x01
    return bytes(data)


def _text_offset(efi):
    """File offset of the .text section's first byte (PE section table)."""
    pe = int.from_bytes(efi[0x3c:0x40], 'little')
    nsections = int.from_bytes(efi[pe + 6:pe + 8], 'little')
    table = pe + 24 + int.from_bytes(efi[pe + 20:pe + 22], 'little')
    for i in range(nsections):
        sh = efi[table + 40 * i:table + 40 * (i + 1)]
        if sh[:8].rstrip(b'\0') == b'.text':
            return int.from_bytes(sh[20:24], 'little')
    raise AssertionError('no .text section')


def test_qemu_secureboot_signed_starts(t):
    signed, _ = _signed_efi(t)
    m = _boot_secure(t, signed)
    t.expect_boot(m, r'bulkhead-efi: bundle: 3 files verified')
    t.expect(m, r'bulkhead: kernel started')
    t.expect(m, r'bulkhead: AMD-V and NPT ready')
    t.expect(m, r'^hello: hello from hello \(vm 1\)$')
    t.expect(m, r'^vm hello: stopped: exited with status 0$')


def test_qemu_secureboot_unsigned_refused(t):
    _signed_efi(t)
    _expect_refused(t, (t.workdir / 'BOOTX64.EFI').read_bytes())


def test_qemu_secureboot_flipped_code_byte_refused(t):
    signed, _ = _signed_efi(t)
    _expect_refused(t, _flip(signed, _text_offset(signed) + 0x100))


def test_qemu_secureboot_modified_policy_refused(t):
    """A policy changed inside the signed application, with its MANIFEST line
    changed to match, so only the signature can tell."""
    signed, bundle = _signed_efi(t)
    policy = (bundle / 'policy.bin').read_bytes()
    at = signed.find(policy)
    assert at > 0 and signed.find(policy, at + 1) < 0, 'policy.bin not found once'
    changed = _flip(policy, len(policy) // 2)
    old_hash = hashlib.sha256(policy).hexdigest().encode()
    new_hash = hashlib.sha256(changed).hexdigest().encode()
    tampered = signed[:at] + changed + signed[at + len(policy):]
    assert tampered.count(old_hash) == 1
    _expect_refused(t, tampered.replace(old_hash, new_hash))


def test_qemu_secureboot_modified_app_refused(t):
    signed, bundle = _signed_efi(t)
    app = (bundle / 'hello.elf').read_bytes()
    at = signed.find(app)
    assert at > 0, 'hello.elf not found'
    _expect_refused(t, _flip(signed, at + len(app) // 2))


def test_qemu_unsigned_boots_without_secure_boot(t):
    """The same unsigned application still boots where Secure Boot is off,
    and a policy changed in it is then caught by the UEFI stage's MANIFEST
    check (which is all there is without a signature)."""
    _, bundle = _signed_efi(t)
    plain = (t.workdir / 'BOOTX64.EFI').read_bytes()
    policy = (bundle / 'policy.bin').read_bytes()
    at = plain.find(policy)
    efi = t.workdir / 'plain.efi'
    efi.write_bytes(_flip(plain, at + len(policy) // 2))
    image = t.workdir / 'plain.img'
    subprocess.run([str(ROOT / 'tools' / 'mkimage.sh'), str(image), str(efi)], check=True)
    m = t.boot('qemu', image)
    found = t.expect_boot(m, r'bulkhead-efi: error: .*')
    if not re.search(r"bundle file 'policy.bin' is corrupt", found.group(0)):
        t.fail(f'unexpected refusal: {found.group(0)!r}')


def test_qemu_secureboot_files_beside_are_ignored(t):
    """A policy put beside the signed application, where the bundle used to
    live on the volume, is never read: the application uses its own."""
    signed, _ = _signed_efi(t)
    efi = t.workdir / 'boot.efi'
    efi.write_bytes(signed)
    image = t.workdir / 'beside.img'
    subprocess.run([str(ROOT / 'tools' / 'mkimage.sh'), str(image), str(efi)], check=True)
    # Two VMs, so its "accepted" line differs from the real policy's.
    t.compile_policy(native_policy([('evil', 'hello.elf', '4M'), ('evil2', 'hello.elf', '2M')]))
    env = {**os.environ, 'MTOOLSRC': '/dev/null', 'MTOOLS_SKIP_CHECK': '1'}
    subprocess.run(['mmd', '-i', str(image), '::/bulkhead'], check=True, env=env)
    subprocess.run(['mcopy', '-i', str(image), str(t.workdir / 'policy.bin'), '::/bulkhead/'],
                   check=True, env=env)
    m = t.boot('qemu', image, firmware=qemu_extras.SNAKEOIL_FIRMWARE,
               qemu_args=qemu_extras.secure_boot_args())
    t.expect_boot(m, r'bulkhead-efi: bundle: 3 files verified')
    t.expect(m, r'policy: policy\.bin accepted: 1 VMs')
    m.kill()
    t.expect_absent(m, r'evil', 'the policy beside the application was used')
