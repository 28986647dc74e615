#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# sign.sh OUT_EFI IN_EFI KEY CERT
#
# Signs IN_EFI (build/BOOTX64.EFI: the UEFI stage, the kernel and the boot
# bundle in one file, docs/boot.md "Chain of trust") for UEFI Secure Boot
# with sbsign (Debian sbsigntool): an Authenticode signature by KEY (PEM
# private key; sbsign asks for its passphrase if it has one) with CERT (PEM
# certificate), then checks the result with sbverify. A firmware starts
# OUT_EFI only if CERT, or a certificate that issued it, is in its db.
set -euo pipefail

die() { echo "sign: $*" >&2; exit 1; }

(($# == 4)) || die "usage: sign.sh OUT_EFI IN_EFI KEY CERT"
out=$1 in=$2 key=$3 cert=$4
for f in "$in" "$key" "$cert"; do
	[[ -f $f ]] || die "$f: no such file"
done
command -v sbsign >/dev/null || die "sbsign is missing: install Debian's sbsigntool (make deps)"

mkdir -p -- "$(dirname -- "$out")"
tmp=$(mktemp "$out.tmp.XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
sbsign --key "$key" --cert "$cert" --output "$tmp" -- "$in" >/dev/null
sbverify --cert "$cert" -- "$tmp" >/dev/null || die "$tmp: sbverify does not accept the signature just made"
chmod 644 -- "$tmp"
mv -f -- "$tmp" "$out"
