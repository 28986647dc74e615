/* SPDX-License-Identifier: GPL-2.0-only */
#include "efi/efi_event_log.h"

#include "efi/efi_console.h"
#include "lib/sha256.h"
#include "tpm/tcg2_event_log.h"

/*
 * Entries before the last must end where the next begins; the last one's
 * size comes only from its own header, written by the firmware (which is
 * trusted anyway), so it is bounded by this much instead.
 */
#define LAST_ENTRY_MAX (64u << 10)
#define NAME_MAX_SHOWN 47

/* The event data as a name, anything but [A-Za-z0-9._-] shown as '?'. */
static void event_name(const struct tcg2_event *ev, char out[NAME_MAX_SHOWN + 1])
{
	uint32_t n = ev->data_size < NAME_MAX_SHOWN ? ev->data_size : NAME_MAX_SHOWN;
	for (uint32_t i = 0; i < n; i++) {
		char c = (char)ev->data[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
		out[i] = ok ? c : '?';
	}
	out[n] = '\0';
}

void efi_show_pcr_events(EFI_TCG2_PROTOCOL *tcg2, unsigned pcr)
{
	EFI_PHYSICAL_ADDRESS first = 0, last = 0;
	BOOLEAN truncated = FALSE;
	EFI_STATUS s = tcg2->GetEventLog(tcg2, EFI_TCG2_EVENT_LOG_FORMAT_TCG_2, &first, &last,
	                                 &truncated);
	if (EFI_ERROR(s) || !first || last < first) {
		efi_log("event log: the firmware offers no crypto-agile event log (%s)",
		        efi_status_name(s));
		return;
	}
	const uint8_t *log = (const uint8_t *)(uintptr_t)first;
	size_t last_off = last - first;
	long size = tcg2_log_header_size(log, last_off ? last_off : LAST_ENTRY_MAX);
	unsigned shown = 0;
	for (size_t off = size < 0 ? 0 : (size_t)size; size >= 0 && off <= last_off; off += size) {
		struct tcg2_event ev;
		size = tcg2_event2_parse(log + off, off < last_off ? last_off - off : LAST_ENTRY_MAX, &ev);
		if (size < 0)
			break;
		if (ev.pcr != pcr || ev.type != EV_IPL)
			continue;
		char name[NAME_MAX_SHOWN + 1], hex[65] = "none";
		event_name(&ev, name);
		if (ev.sha256)
			sha256_to_hex(ev.sha256, hex);
		efi_log("event log: PCR %u EV_IPL '%s' sha256 %s", pcr, name, hex);
		shown++;
	}
	if (size < 0)
		efi_log("event log: an entry is malformed; stopped reading it");
	efi_log("event log: %u entries for PCR %u%s", shown, pcr,
	        truncated ? " (the firmware says the log was truncated)" : "");
}
