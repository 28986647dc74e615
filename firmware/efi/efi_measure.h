/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Measured launch (docs/boot.md): every bundle file, in MANIFEST order, is
 * measured into PCR BUNDLE_PCR through the firmware's EFI_TCG2_PROTOCOL,
 * with a TCG event-log entry (EV_IPL) whose data is the file's name, before
 * any of it is used. The resulting PCR value is read back from the TPM and
 * logged, so it can be compared with tools/bundle_pcr.py's, and so are the
 * event-log entries (efi/efi_event_log.h).
 */
#ifndef FIRMWARE_EFI_MEASURE_H
#define FIRMWARE_EFI_MEASURE_H

#include <efi.h>

#include <bulkhead/bootinfo.h>

/* In the range the TCG PC Client profile leaves to the OS (8..15). */
#define BUNDLE_PCR 12

/*
 * Measures bi->bundle[0 .. bundle_count). Never stops the boot: with no
 * TPM it logs that nothing was measured; if a measurement fails it logs
 * which and stops measuring (the PCR then cannot match the expected value,
 * which is what a verifier checks).
 */
void efi_measure_bundle(EFI_BOOT_SERVICES *bs, const struct bh_boot_info *bi);

#endif
