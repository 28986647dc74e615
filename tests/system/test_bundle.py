# SPDX-License-Identifier: GPL-2.0-only
"""The UEFI stage refuses a broken boot bundle (section .bundle of the application).

Each test breaks one thing after tools/mkbundle.sh made a good bundle. The
UEFI stage must print "bulkhead-efi: error: ..." naming the problem and
return to the firmware, which then goes on to its next boot option; the
kernel must never start.
"""

import re

BLOB = bytes(range(256)) * 16          # an extra bundle file, 4 KiB


def _expect_refused(t, keyword, edit, files=None):
    m = t.boot('qemu', t.build_image(cmdline='', files=files, edit=edit))
    first = t.expect_boot(m, r'bulkhead-efi: error:.*|bulkhead: kernel started')
    if first.group(0) == 'bulkhead: kernel started':
        t.fail('the kernel started from a broken bundle (no "bulkhead-efi: error:")')
    if keyword not in first.group(0):
        # Perhaps a general line first and the specific one next.
        try:
            t.expect(m, r'bulkhead-efi: error:.*' + re.escape(keyword), 5)
        except AssertionError:
            t.fail(f'the error does not mention {keyword!r}: {first.group(0)!r}')
    # Neither hanging nor rebooting: OVMF's boot manager must carry on with
    # its next boot option (with QEMU's -nodefaults, the built-in UEFI shell).
    t.expect(m, r'BdsDxe|Shell>')
    m.kill()
    t.expect_absent(m, r'bulkhead: kernel started',
                    'the kernel started from a broken bundle')


def test_qemu_bundle_missing_manifest(t):
    def edit(bundle):
        (bundle / 'MANIFEST').unlink()
    _expect_refused(t, 'MANIFEST', edit)


def test_qemu_bundle_missing_file(t):
    def edit(bundle):
        (bundle / 'blob.bin').unlink()      # still listed in MANIFEST
    _expect_refused(t, 'missing', edit, files={'blob.bin': BLOB})


def test_qemu_bundle_corrupt_file(t):
    def edit(bundle):
        data = bytearray((bundle / 'blob.bin').read_bytes())
        data[1000] ^= 0x01                  # same size, one bit off
        (bundle / 'blob.bin').write_bytes(bytes(data))
    _expect_refused(t, 'corrupt', edit, files={'blob.bin': BLOB})


def test_qemu_bundle_bad_manifest(t):
    def edit(bundle):
        lines = (bundle / 'MANIFEST').read_text().splitlines()
        # A hash one digit short: the separator lands in the wrong place.
        lines[0] = lines[0][1:]
        (bundle / 'MANIFEST').write_text('\n'.join(lines) + '\n')
    _expect_refused(t, 'MANIFEST line', edit)

