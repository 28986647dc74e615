/* SPDX-License-Identifier: GPL-2.0-only */
#include "efi/efi_console.h"

#include <stdarg.h>
#include <stdbool.h>

#include "arch/console.h"
#include "lib/format.h"
#include "lib/string.h"

static EFI_SIMPLE_TEXT_OUT_PROTOCOL *con_out;
/* False when ConOut already reaches a serial port: writing COM1 ourselves
 * too would print every line twice there. */
static bool write_com1 = true;

/*
 * True if the ConOut variable (UEFI 2.9 §3.3) names a device path with a
 * UART node: the firmware mirrors its console to a serial port (OVMF does,
 * as do servers with console redirection). The path is untrusted firmware
 * data, so every node length is checked before it is followed.
 */
static bool con_out_has_uart(EFI_SYSTEM_TABLE *st)
{
	static EFI_GUID global = EFI_GLOBAL_VARIABLE;
	uint8_t buf[1024];
	UINTN size = sizeof(buf);
	UINT32 attr;

	if (EFI_ERROR(st->RuntimeServices->GetVariable(L"ConOut", &global, &attr,
	                                                &size, buf)))
		return false;
	for (UINTN off = 0; off + 4 <= size;) {
		uint8_t type = buf[off], subtype = buf[off + 1];
		uint16_t len = (uint16_t)(buf[off + 2] | buf[off + 3] << 8);
		if (type == MESSAGING_DEVICE_PATH && subtype == MSG_UART_DP)
			return true;
		if (len < 4)
			break;
		off += len;
	}
	return false;
}

void efi_console_init(EFI_SYSTEM_TABLE *st)
{
	con_out = st->ConOut;
	arch_console_init();
	write_com1 = !con_out_has_uart(st);
}

/* ConOut takes UCS-2 and wants "\r\n"; our text is ASCII. */
static void con_out_write(const char *s)
{
	CHAR16 buf[128];
	size_t n = 0;

	if (!con_out)
		return;
	for (; *s; s++) {
		if (n + 3 >= sizeof(buf) / sizeof(buf[0])) {
			buf[n] = 0;
			con_out->OutputString(con_out, buf);
			n = 0;
		}
		if (*s == '\n')
			buf[n++] = L'\r';
		buf[n++] = (CHAR16)(unsigned char)*s;
	}
	buf[n] = 0;
	con_out->OutputString(con_out, buf);
}

static void vlog(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
	char line[320];
	int n = bh_snprintf(line, sizeof(line), "bulkhead-efi: %s", prefix);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	bh_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	size_t len = strlen(line);
	bh_snprintf(line + len, sizeof(line) - len, "%s\n", suffix);
	con_out_write(line);
	if (write_com1 || !con_out)
		arch_console_write(line, strlen(line));
}

void efi_console_detach(void)
{
	con_out = NULL;
	write_com1 = true;
}

void efi_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap, "");
	va_end(ap);
}

EFI_STATUS efi_error(EFI_STATUS status, const char *fmt, ...)
{
	char suffix[48];
	va_list ap;

	bh_snprintf(suffix, sizeof(suffix), " (%s)", efi_status_name(status));
	va_start(ap, fmt);
	vlog("error: ", fmt, ap, suffix);
	va_end(ap);
	return status;
}

const char *efi_status_name(EFI_STATUS status)
{
	static const struct { EFI_STATUS status; const char *name; } names[] = {
		{ EFI_SUCCESS, "EFI_SUCCESS" },
		{ EFI_LOAD_ERROR, "EFI_LOAD_ERROR" },
		{ EFI_INVALID_PARAMETER, "EFI_INVALID_PARAMETER" },
		{ EFI_UNSUPPORTED, "EFI_UNSUPPORTED" },
		{ EFI_BAD_BUFFER_SIZE, "EFI_BAD_BUFFER_SIZE" },
		{ EFI_BUFFER_TOO_SMALL, "EFI_BUFFER_TOO_SMALL" },
		{ EFI_NOT_READY, "EFI_NOT_READY" },
		{ EFI_DEVICE_ERROR, "EFI_DEVICE_ERROR" },
		{ EFI_WRITE_PROTECTED, "EFI_WRITE_PROTECTED" },
		{ EFI_OUT_OF_RESOURCES, "EFI_OUT_OF_RESOURCES" },
		{ EFI_VOLUME_CORRUPTED, "EFI_VOLUME_CORRUPTED" },
		{ EFI_NO_MEDIA, "EFI_NO_MEDIA" },
		{ EFI_NOT_FOUND, "EFI_NOT_FOUND" },
		{ EFI_ACCESS_DENIED, "EFI_ACCESS_DENIED" },
		{ EFI_END_OF_FILE, "EFI_END_OF_FILE" },
		{ EFI_CRC_ERROR, "EFI_CRC_ERROR" },
		{ EFI_COMPROMISED_DATA, "EFI_COMPROMISED_DATA" },
	};
	static char other[40];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].status == status)
			return names[i].name;
	bh_snprintf(other, sizeof(other), "EFI status 0x%llx", (unsigned long long)status);
	return other;
}
