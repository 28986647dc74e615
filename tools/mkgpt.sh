#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkgpt.sh IMG EFI
#
# Builds a whole disk image a PC boots from a USB stick: a GPT partition
# table with one EFI System Partition, from 1 MiB on, holding the FAT volume
# tools/mkimage.sh makes around EFI (/EFI/BOOT/BOOTX64.EFI). Some firmwares
# boot only partitioned disks; build/bulkhead.img, the bare volume, remains
# for copying onto an existing ESP.
#
# No root and no loop devices: sfdisk (Debian fdisk) writes the table into
# the file, dd the volume into the partition. Disk and partition GUIDs are
# fixed, so rebuilds differ only where the contents do.
set -euo pipefail
export LC_ALL=C

die() { echo "mkgpt: $*" >&2; exit 1; }

(($# == 2)) || die "usage: mkgpt.sh IMG EFI"
img=$1 efi=$2
[[ -f $efi ]] || die "$efi: no such file"
command -v sfdisk >/dev/null || die "sfdisk is missing: install Debian's fdisk (make deps)"

here=$(cd "$(dirname "$0")" && pwd)
start=2048                   # sectors: the usual 1 MiB alignment
esp_type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B   # UEFI 2.9 §5.3.3, EFI System Partition

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkgpt.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
"$here/mkimage.sh" "$tmp/esp.img" "$efi" "$start"
esp_sectors=$(($(stat -c %s -- "$tmp/esp.img") / 512))

# Room behind the partition for the backup GPT (33 sectors), then whole
# Bochs cylinders of 16 heads * 63 sectors, as mkimage.sh does.
cyl=$((16 * 63))
sectors=$((start + esp_sectors + 2048))
sectors=$(((sectors + cyl - 1) / cyl * cyl))

truncate -s $((sectors * 512)) -- "$tmp/disk.img"
sfdisk --quiet --no-reread --no-tell-kernel -- "$tmp/disk.img" <<EOT >/dev/null
label: gpt
label-id: 42554C4B-4845-4144-8000-000000000001
start=$start, size=$esp_sectors, type=$esp_type, uuid=42554C4B-4845-4144-8000-000000000002, name="Bulkhead ESP"
EOT
dd if="$tmp/esp.img" of="$tmp/disk.img" bs=512 seek="$start" conv=notrunc,sparse status=none

mkdir -p -- "$(dirname -- "$img")"
chmod 644 -- "$tmp/disk.img"
mv -f -- "$tmp/disk.img" "$img"
