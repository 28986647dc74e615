/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shows the firmware's event-log entries of the measured launch
 * (docs/boot.md), so the console records which file each measurement of
 * PCR BUNDLE_PCR was of, as a verifier replaying the log would see it.
 */
#ifndef FIRMWARE_EFI_EVENT_LOG_H
#define FIRMWARE_EFI_EVENT_LOG_H

#include "efi/efi_tcg2.h"

/*
 * Logs one line per EV_IPL entry of PCR pcr in the firmware's crypto-agile
 * event log (its name and SHA-256 digest), then how many there were. Only
 * reads: a log it cannot get or parse is reported, and the boot goes on.
 */
void efi_show_pcr_events(EFI_TCG2_PROTOCOL *tcg2, unsigned pcr);

#endif
