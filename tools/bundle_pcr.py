#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""bundle_pcr.py BUNDLE  (a bundle directory, or an application with one)

Prints the SHA-256 value PCR 12 must hold after the UEFI stage measured the
bundle (docs/boot.md, "Measured launch"), computed independently of the
firmware and the TPM: starting from 32 zero bytes, for every file in
MANIFEST order, pcr = SHA-256(pcr || SHA-256(file)). BUNDLE is a directory
as tools/mkbundle.sh writes it, or a Bulkhead application (BOOTX64.EFI)
whose ".bundle" section is read.

A verifier compares this value with a TPM quote of PCR 12, or with the
"measured N bundle files into PCR 12: sha256 ..." line the UEFI stage logs.
"""

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

BUNDLE_PCR = 12
PCR_RESET = bytes(32)   # PCRs 0..15 hold zeros after a TPM reset


def manifest_names(manifest_text):
    """The file names of a MANIFEST (docs/bundle.md), in its order."""
    names = []
    for line in manifest_text.splitlines():
        line = line.rstrip('\r')
        if not line.strip() or line.startswith('#'):
            continue
        names.append(line[66:])   # 64 hex digits, two spaces, the name
    return names


def extend(pcr, data):
    """The TPM's PCR_Extend with the SHA-256 of data (TPM 2.0 Part 1)."""
    return hashlib.sha256(pcr + hashlib.sha256(data).digest()).digest()


def bundle_pcr(files):
    """PCR value after measuring files, a {name: bytes} holding MANIFEST."""
    pcr = PCR_RESET
    for name in manifest_names(files['MANIFEST'].decode()):
        pcr = extend(pcr, files[name])
    return pcr


def read_bundle_dir(path):
    return {p.name: p.read_bytes() for p in Path(path).iterdir() if p.is_file()}


def read_bundle_efi(path):
    """The files of an application's .bundle section (a newc cpio archive)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / 'bundle.cpio'
        subprocess.run(['objcopy', '-O', 'binary', '--only-section=.bundle', str(path),
                        str(archive)], check=True)
        out = Path(tmp) / 'files'
        out.mkdir()
        subprocess.run(['cpio', '-id', '--quiet'], cwd=out, stdin=archive.open('rb'), check=True)
        return read_bundle_dir(out)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    path = Path(argv[1])
    files = read_bundle_dir(path) if path.is_dir() else read_bundle_efi(path)
    print(bundle_pcr(files).hex())
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
