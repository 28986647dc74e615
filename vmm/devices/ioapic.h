/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One I/O APIC (82093AA datasheet; version 0x11), 24 pins, at 0xfec00000:
 * IOREGSEL at offset 0x00 and IOWIN at 0x10 select and reach the ID,
 * version and arbitration registers and the 24 64-bit redirection
 * entries (vector, delivery mode, destination mode, polarity, remote IRR,
 * trigger mode, mask, destination).
 *
 * Device models drive pins with ioapic_set_line (true: asserted). An edge
 * pin delivers on each rising edge while unmasked (an edge while masked
 * is lost, as on the chip). A level pin delivers while asserted, unmasked
 * and its remote IRR is clear, then sets remote IRR until the local APIC
 * broadcasts the EOI of its vector (ioapic_eoi); a line still asserted
 * then delivers again. Polarity is stored and read back only: lines are
 * given as asserted or not. Every destination is the one vCPU; fixed and
 * lowest-priority delivery raise the vector through the deliver callback,
 * other delivery modes (SMI, NMI, INIT, ExtINT) are dropped.
 *
 * Accesses are aligned 32-bit at IOREGSEL and IOWIN. Pure.
 */
#ifndef VMM_DEVICES_IOAPIC_H
#define VMM_DEVICES_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_BASE      0xfec00000ull
#define IOAPIC_SIZE      0x1000u
#define IOAPIC_PINS      24

#define IOAPIC_REGSEL    0x00
#define IOAPIC_WINDOW    0x10

/* Registers behind IOREGSEL. */
#define IOAPIC_REG_ID    0x00
#define IOAPIC_REG_VER   0x01
#define IOAPIC_REG_ARB   0x02
#define IOAPIC_REG_REDTBL 0x10   /* pin n: 0x10 + 2n (low), 0x11 + 2n (high) */

#define IOAPIC_VERSION   0x11u   /* max redirection entry (23) goes in 16-23 */

#define IOAPIC_RTE_DELIVERY_MODE(lo) (((lo) >> 8) & 7)
#define IOAPIC_RTE_REMOTE_IRR (1u << 14)
#define IOAPIC_RTE_LEVEL      (1u << 15)
#define IOAPIC_RTE_MASKED     (1u << 16)

struct ioapic {
	/* Asks the local APIC for vector; level says level-triggered. Returns
	 * false if the vector was refused (then remote IRR stays clear). */
	bool (*deliver)(void *ctx, uint8_t vector, bool level);
	void *ctx;
	uint32_t id;          /* bits 24-27 of the ID register */
	uint32_t regsel;
	uint32_t rte_lo[IOAPIC_PINS], rte_hi[IOAPIC_PINS];
	bool line[IOAPIC_PINS];
	uint64_t delivered;   /* interrupts raised through deliver */
};

/* Resets io: every pin masked, edge, vector 0, lines low. */
void ioapic_init(struct ioapic *io, uint8_t id,
                 bool (*deliver)(void *ctx, uint8_t vector, bool level), void *ctx);

/* A guest read at offset (IOREGSEL or IOWIN). Returns 0 and *value, or
 * -BH_EINVAL (value 0) for any other offset or size. A register index
 * with nothing behind it reads 0. */
int ioapic_read(struct ioapic *io, uint32_t offset, unsigned size, uint32_t *value);

/* A guest write; 0 or -BH_EINVAL as for reads. Writes to the read-only
 * registers and bits (version, arbitration, delivery status, remote IRR)
 * are ignored. Unmasking a level pin whose line is asserted delivers. */
int ioapic_write(struct ioapic *io, uint32_t offset, unsigned size, uint32_t value);

/* Sets pin's line level; delivers on the rules above. A pin out of range
 * is ignored. */
void ioapic_set_line(struct ioapic *io, unsigned pin, bool asserted);

/* The local APIC's EOI broadcast for vector: clears remote IRR on every
 * level pin with that vector, and redelivers those whose line is still
 * asserted. */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

#endif
