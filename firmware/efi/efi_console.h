/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console of the UEFI stage: every line goes to the firmware console
 * (ConOut: the screen, and under OVMF also the serial port) and straight to
 * COM1 unless ConOut already includes a serial port, so a failure is visible
 * once on a headless machine, on a screen, and in test logs alike.
 */
#ifndef FIRMWARE_EFI_CONSOLE_H
#define FIRMWARE_EFI_CONSOLE_H

#include <efi.h>

void efi_console_init(EFI_SYSTEM_TABLE *st);

 /*
 * Stops using ConOut: called before ExitBootServices, after which firmware
 * protocols must not be touched. Later messages still reach COM1.
 */
void efi_console_detach(void);

/* Prints "bulkhead-efi: " and the formatted text. */
void efi_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Prints "bulkhead-efi: error: <text> (<status name>)" and returns status,
 * so callers can write `return efi_error(s, "...")`.
 */
EFI_STATUS efi_error(EFI_STATUS status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Name of a UEFI status code ("EFI_NOT_FOUND"), or "EFI status 0x...". */
const char *efi_status_name(EFI_STATUS status);

#endif
