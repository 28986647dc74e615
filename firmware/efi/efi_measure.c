/* SPDX-License-Identifier: GPL-2.0-only */
#include "efi/efi_measure.h"

#include "efi/efi_console.h"
#include "efi/efi_event_log.h"
#include "efi/efi_tcg2.h"
#include "lib/sha256.h"
#include "lib/string.h"
#include "tpm/tpm2_pcr_read.h"

static EFI_GUID tcg2_guid = EFI_TCG2_PROTOCOL_GUID;

/* Room for the event header and the longest bundle name. */
union event_buffer {
	EFI_TCG2_EVENT event;
	uint8_t raw[sizeof(EFI_TCG2_EVENT) + BH_BUNDLE_NAME_MAX];
};

static EFI_STATUS measure_file(EFI_TCG2_PROTOCOL *tcg2, const struct bh_bundle_file *f)
{
	union event_buffer buf;
	size_t name_len = strnlen(f->name, sizeof(f->name));

	buf.event.Size = sizeof(EFI_TCG2_EVENT) + name_len;
	buf.event.Header.HeaderSize = sizeof(EFI_TCG2_EVENT_HEADER);
	buf.event.Header.HeaderVersion = EFI_TCG2_EVENT_HEADER_VERSION;
	buf.event.Header.PCRIndex = BUNDLE_PCR;
	buf.event.Header.EventType = EV_IPL;
	memcpy(buf.event.Event, f->name, name_len);
	return tcg2->HashLogExtendEvent(tcg2, 0, f->phys, f->size, &buf.event);
}

/* Logs PCR BUNDLE_PCR's SHA-256 value as the TPM reports it. */
static void log_pcr(EFI_TCG2_PROTOCOL *tcg2, unsigned files)
{
	uint8_t cmd[TPM2_PCR_READ_CMD_SIZE], resp[256], digest[TPM2_SHA256_SIZE];
	char hex[2 * TPM2_SHA256_SIZE + 1];
	uint32_t rc = 0;

	tpm2_pcr_read_command(cmd, BUNDLE_PCR);
	EFI_STATUS s = tcg2->SubmitCommand(tcg2, sizeof(cmd), cmd, sizeof(resp), resp);
	if (EFI_ERROR(s)) {
		efi_error(s, "measured %u bundle files into PCR %d, but cannot read it back",
		          files, BUNDLE_PCR);
		return;
	}
	int err = tpm2_pcr_read_response(resp, sizeof(resp), BUNDLE_PCR, digest, &rc);
	if (err) {
		efi_log("measured %u bundle files into PCR %d; reading it back failed "
		        "(error %d, TPM response code 0x%x)", files, BUNDLE_PCR, err, rc);
		return;
	}
	sha256_to_hex(digest, hex);
	efi_log("measured %u bundle files into PCR %d: sha256 %s", files, BUNDLE_PCR, hex);
}

void efi_measure_bundle(EFI_BOOT_SERVICES *bs, const struct bh_boot_info *bi)
{
	EFI_TCG2_PROTOCOL *tcg2;
	EFI_STATUS s = bs->LocateProtocol(&tcg2_guid, NULL, (void **)&tcg2);
	if (EFI_ERROR(s)) {
		efi_log("no TPM 2.0 (EFI_TCG2_PROTOCOL): nothing was measured");
		return;
	}
	for (uint32_t i = 0; i < bi->bundle_count; i++) {
		s = measure_file(tcg2, &bi->bundle[i]);
		if (EFI_ERROR(s)) {
			efi_error(s, "measuring bundle file '%s' into PCR %d failed; "
			          "%u of %u files measured, the PCR will not match",
			          bi->bundle[i].name, BUNDLE_PCR, (unsigned)i,
			          (unsigned)bi->bundle_count);
			return;
		}
	}
	log_pcr(tcg2, bi->bundle_count);
	efi_show_pcr_events(tcg2, BUNDLE_PCR);
}
