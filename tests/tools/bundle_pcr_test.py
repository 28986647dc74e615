#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of tools/bundle_pcr.py: the PCR value a measured launch must
leave, against values computed with sha256sum(1) by hand. Installed by
unit.mk as build/host/tests/bundle_pcr_test, so tests/run.py runs it with
the unit tests.
"""

import hashlib
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tools'))
import bundle_pcr  # noqa: E402
from cases import case, check_eq, main  # noqa: E402

# (32 zero bytes || sha256("abc")) | sha256sum
EXTEND_ZERO_ABC = '589f9ffed4c477966bfb8d41f37895b08c69047df8f911d6f3b57fbe08faee8d'


def manifest(files):
    return ''.join(f'{hashlib.sha256(data).hexdigest()}  {name}\n'
                   for name, data in files.items()).encode()


@case
def one_extend_matches_sha256sum():
    check_eq(bundle_pcr.extend(bytes(32), b'abc').hex(), EXTEND_ZERO_ABC)


@case
def files_measured_in_manifest_order():
    files = {'b': b'abc', 'a': b'xyz'}
    listed = {'MANIFEST': b'# comment\n\n' + manifest(files), **files}
    want = bundle_pcr.extend(bundle_pcr.extend(bytes(32), b'abc'), b'xyz')
    check_eq(bundle_pcr.bundle_pcr(listed), want, 'order b, a')
    check_eq(bundle_pcr.manifest_names(listed['MANIFEST'].decode()), ['b', 'a'])


@case
def empty_manifest_leaves_the_reset_value():
    check_eq(bundle_pcr.bundle_pcr({'MANIFEST': b''}), bytes(32))


@case
def one_changed_file_changes_the_value():
    files = {'cmdline': b'\n', 'policy.bin': b'P' * 100, 'hello.elf': b'E' * 300}
    before = bundle_pcr.bundle_pcr({'MANIFEST': manifest(files), **files})
    files['hello.elf'] = b'E' * 299 + b'F'
    after = bundle_pcr.bundle_pcr({'MANIFEST': manifest(files), **files})
    if before == after:
        raise AssertionError('a changed file left the PCR value as it was')


@case
def reads_a_bundle_directory():
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / 'cmdline').write_bytes(b'abc')
        (d / 'MANIFEST').write_bytes(manifest({'cmdline': b'abc'}))
        files = bundle_pcr.read_bundle_dir(d)
        check_eq(bundle_pcr.bundle_pcr(files).hex(), EXTEND_ZERO_ABC)


if __name__ == '__main__':
    sys.exit(main(sys.argv, __file__))
