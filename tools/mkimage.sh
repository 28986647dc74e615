#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkimage.sh IMG EFI [HIDDEN_SECTORS]
#
# Builds the boot volume: a bare FAT16 file system (no partition table; this is
# what OVMF boots from both in QEMU and in Bochs, see docs/platforms.md) holding
#   /EFI/BOOT/BOOTX64.EFI   = EFI (the removable-media boot path, so no NVRAM
#                             boot entry is needed)
# EFI carries the boot bundle inside it (tools/mkefi.sh), so nothing else is
# needed on the volume. HIDDEN_SECTORS (default 0) is the 512-byte sector the
# volume will start at on its disk, recorded in the boot sector as FAT wants
# (tools/mkgpt.sh puts the volume into a GPT disk at 2048). Written to a USB
# stick as it is, the volume is a "superfloppy", which not every PC boots:
# the README suggests the GPT image.
#
# Works without root or loop devices (mkfs.fat on a file + mtools). The image
# is built under a temp name and renamed, so IMG is never seen half-written.
set -euo pipefail
export LC_ALL=C

die() { echo "mkimage: $*" >&2; exit 1; }

(($# == 2 || $# == 3)) || die "usage: mkimage.sh IMG EFI [HIDDEN_SECTORS]"
img=$1 efi=$2 hidden=${3:-0}
[[ -f $efi ]] || die "$efi: no such file"

# Bochs takes a flat disk's geometry from its size, in whole cylinders of
# 16 heads * 63 sectors * 512 bytes; any other size is rejected.
cyl=$((16 * 63 * 512))

# ~32 MiB by default (comfortably a FAT16 size), more if the files need it:
# their size plus 1/8 for FAT, directories and cluster slack, plus 1 MiB.
content=$(stat -L -c %s -- "$efi")
need=$((content + content / 8 + (1 << 20)))
size=$((32 << 20))
((size >= need)) || size=$need
size=$(((size + cyl - 1) / cyl * cyl))
# FAT16 tops out at 65524 clusters of at most 64 KiB (~4 GiB, 2 GiB for
# many implementations); a bundle that big is a mistake, not a volume.
((size <= (2 << 30) - cyl)) || die "contents too large for a FAT16 volume ($content bytes)"

mkdir -p -- "$(dirname -- "$img")"
tmp=$(mktemp "$img.tmp.XXXXXX")
trap 'rm -f -- "$tmp"' EXIT

truncate -s "$size" -- "$tmp"
# -g 16/63: geometry that matches the Bochs flat disk; -h: the sectors in
# front of the volume on its disk; fixed volume id so rebuilds differ less.
mkfs.fat -F 16 -g 16/63 -h "$hidden" -i 0x42554c4b -n BULKHEAD -- "$tmp" >/dev/null

# mtools: ignore any user/system config that could change its behaviour, and
# do not fail on the (harmless) geometry sanity check for an unpartitioned file.
export MTOOLSRC=/dev/null MTOOLS_SKIP_CHECK=1
mmd -i "$tmp" ::/EFI ::/EFI/BOOT
mcopy -i "$tmp" -- "$efi" ::/EFI/BOOT/BOOTX64.EFI

chmod 644 -- "$tmp"
mv -f -- "$tmp" "$img"
trap - EXIT
