/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Power-off. Bochs is tried first because OVMF's ACPI tables do not match
 * Bochs's chipset and an S5 write resets it instead (docs/platforms.md); the
 * "Shutdown" string on port 0x8900 is Bochs's own power-off. On other
 * machines nothing decodes that port and the write is dropped. Then ACPI S5
 * (real hardware, QEMU), then QEMU's isa-debug-exit, then halt.
 */
#include "arch/arch.h"

#include "arch/console.h"
#include "arch/x86/cpu.h"
#include "kernel/log.h"

#define BOCHS_SHUTDOWN_PORT 0x8900
#define QEMU_DEBUG_EXIT_PORT 0xf4
#define ACPI_SLP_EN (1u << 13)
/* Long enough for an emulator to act on a request, short enough that the
 * next method follows quickly on real hardware. */
#define SPIN_AFTER_REQUEST 1000000

static struct acpi_power power;

void arch_power_init(const struct acpi_power *p)
{
	power = *p;
}

static void spin(void)
{
	for (volatile int i = 0; i < SPIN_AFTER_REQUEST; i++)
		cpu_relax();
}

void arch_power_off(void)
{
	log_console_sync();
	kprintf("bulkhead: powering off\n");
	irq_disable();
	/* Bochs quits at once on its port: let the last line leave COM1 first. */
	arch_console_flush();

	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	spin();

	if (power.s5_valid) {
		/* SLP_TYPx goes to bits 12:10 of PM1x_CNT (ACPI 6.4 §4.8.3.2.1). */
		outw(power.pm1a_cnt, (uint16_t)(power.slp_typa << 10 | ACPI_SLP_EN));
		if (power.pm1b_cnt)
			outw(power.pm1b_cnt, (uint16_t)(power.slp_typb << 10 | ACPI_SLP_EN));
		spin();
	}

	outl(QEMU_DEBUG_EXIT_PORT, 0);
	spin();
	kprintf("bulkhead: power-off failed; halted\n");
	cpu_stop();
}
