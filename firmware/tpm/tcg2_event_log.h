/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reads entries of the firmware's TPM 2.0 event log in the crypto-agile
 * format (TCG PC Client Platform Firmware Profile, "TCG_PCR_EVENT2"), so the
 * UEFI stage can show the entries its measurements made. Integers in the
 * log are little-endian. The log starts with one entry in the older SHA-1
 * format (TCG_PCR_EVENT, the "Spec ID" event), then TCG_PCR_EVENT2 entries.
 */
#ifndef FIRMWARE_TPM_TCG2_EVENT_LOG_H
#define FIRMWARE_TPM_TCG2_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

struct tcg2_event {
	uint32_t       pcr;
	uint32_t       type;
	const uint8_t *sha256;     /* its SHA-256 digest (32 bytes), or NULL */
	const uint8_t *data;       /* the event data */
	uint32_t       data_size;
};

/*
 * Size of the log's first entry (TCG_PCR_EVENT) at p, of which avail bytes
 * may be read, or -BH_EINVAL if it does not fit.
 */
long tcg2_log_header_size(const uint8_t *p, size_t avail);

/*
 * Decodes the TCG_PCR_EVENT2 at p, of which avail bytes may be read, into
 * *ev (pointers into p). Returns its size in bytes, or -BH_EINVAL if it
 * does not fit in avail or names a digest algorithm of unknown size.
 */
long tcg2_event2_parse(const uint8_t *p, size_t avail, struct tcg2_event *ev);

#endif
