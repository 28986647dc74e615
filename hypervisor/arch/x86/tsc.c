/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Time from the TSC, calibrated once at boot against the 8254 PIT's
 * channel 2 (its gate and output are visible in port 0x61, so no interrupt
 * is needed). On Bochs with clock sync=none the PIT and the TSC both follow
 * emulated instructions, so the calibration measures emulated time.
 */
#include "arch/time.h"

#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"

#define PIT_HZ         1193182u
#define PIT_CH2_DATA   0x42
#define PIT_COMMAND    0x43
#define PORT_B         0x61      /* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 out */
#define CALIBRATE_MS   10u
/* A machine without a PIT never raises OUT2: give up after this many cycles. */
#define CALIBRATE_GIVE_UP (1ull << 36)
#define FALLBACK_HZ    1000000000ull

static uint64_t tsc_hz;

uint64_t arch_time_init(void)
{
	uint16_t count = (uint16_t)(PIT_HZ * CALIBRATE_MS / 1000);

	outb(PORT_B, (uint8_t)((inb(PORT_B) & ~0x02) | 0x01));
	outb(PIT_COMMAND, 0xb0);          /* ch2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2_DATA, (uint8_t)count);
	outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
	uint64_t start = rdtsc(), now = start;
	while (!(inb(PORT_B) & 0x20)) {
		now = rdtsc();
		if (now - start > CALIBRATE_GIVE_UP)
			break;
	}
	uint64_t hz = (now - start) * (1000 / CALIBRATE_MS);
	tsc_hz = (hz && now - start <= CALIBRATE_GIVE_UP) ? hz : FALLBACK_HZ;
	lapic_init();
	return tsc_hz;
}

uint64_t arch_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t arch_tsc_to_ns(uint64_t t)
{
	/* Split to avoid overflow: seconds part, then the remainder. */
	return t / tsc_hz * 1000000000ull + t % tsc_hz * 1000000000ull / tsc_hz;
}

uint64_t arch_time_ns(void)
{
	return arch_tsc_to_ns(rdtsc());
}

uint64_t arch_ns_to_tsc(uint64_t ns)
{
	uint64_t s = ns / 1000000000ull;
	uint64_t frac = ns % 1000000000ull * tsc_hz / 1000000000ull;
	/* Saturate: a timeout beyond the clock's range is "never". */
	if (s > (UINT64_MAX - frac) / tsc_hz)
		return UINT64_MAX;
	return s * tsc_hz + frac;
}

uint64_t arch_tsc(void)
{
	return rdtsc();
}
