#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkefi.sh OUT_EFI IN_EFI BUNDLEDIR
#
# Makes the Bulkhead application that boots: IN_EFI (the UEFI stage and the
# kernel, as linked) with the boot bundle BUNDLEDIR (tools/mkbundle.sh)
# added as PE section ".bundle", a newc cpio archive of MANIFEST and every
# other file of BUNDLEDIR (firmware/bundle/cpio.h, docs/boot.md). Because
# the bundle is inside the image, signing OUT_EFI (make sign) signs the
# policy and every guest image too.
#
# The archive is reproducible: names sorted, owner 0:0, every mtime 0.
set -euo pipefail
export LC_ALL=C

die() { echo "mkefi: $*" >&2; exit 1; }

(($# == 3)) || die "usage: mkefi.sh OUT_EFI IN_EFI BUNDLEDIR"
out=$1 in=$2 bundle=$3
[[ -f $in ]] || die "$in: no such file"
[[ -d $bundle ]] || die "$bundle: no such directory"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkefi.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

mkdir "$tmp/files"
shopt -s nullglob dotglob
for f in "$bundle"/*; do
	[[ -f $f ]] || die "$f: bundle entries must be regular files"
	cp -- "$f" "$tmp/files/"
done
touch -d @0 -- "$tmp/files"/*
(cd "$tmp/files" && ls -A | sort | cpio -o -H newc --reproducible --owner 0:0 --quiet) >"$tmp/bundle.cpio"

# The new section goes on the first page after the image's last section
# (objdump prints VMA and size in hex; the image base of IN_EFI is 0).
end=0
while read -r size vma; do
	((0x$vma + 0x$size > end)) && end=$((0x$vma + 0x$size))
done < <(objdump -h -- "$in" | awk '$1 ~ /^[0-9]+$/ { print $3, $4 }')
((end > 0)) || die "$in: cannot read its section table"
vma=$(((end + 4095) / 4096 * 4096))

# --strip-all drops the COFF symbol table: the firmware never reads it, and
# bytes after the last section only confuse signing tools (sbsign warns).
objcopy --strip-all --add-section .bundle="$tmp/bundle.cpio" \
        --set-section-flags .bundle=data,readonly \
        --change-section-vma .bundle="$vma" \
        -- "$in" "$tmp/out.efi"
mkdir -p -- "$(dirname -- "$out")"
chmod 644 -- "$tmp/out.efi"
mv -f -- "$tmp/out.efi" "$out"
