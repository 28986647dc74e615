/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A hostile VM that makes the kernel refuse it as often as it can without
 * being stopped: it catches the #GP a refused RDMSR earns with a GDT and
 * an IDT of its own, skips the instruction and tries again, forever. Each
 * try costs the kernel an exit and the (rate-limited) log line
 * "vm NAME: RDMSR of MSR 0x... refused: #GP injected, rip ...". The other
 * roles touch an I/O port in a loop, which stops the VM at the first try;
 * write the console as fast as they can; or, after a while, read memory no
 * VM may reach, which stops the VM with an EPT violation.
 */
#include <bulkhead/runtime.h>

#include "probe.h"

#define MSR_NONEXISTENT 0x12345678
#define PORT_POST       0x80

/* #GP handler: drops the error code, steps over the 2-byte RDMSR (0f 32)
 * that faulted and returns to the loop. */
void flood_gp_entry(void);
asm(".pushsection .text\n"
    ".global flood_gp_entry\n"
    "flood_gp_entry:\n"
    "	addq $8, %rsp\n"
    "	addq $2, (%rsp)\n"
    "	iretq\n"
    ".popsection\n");

struct gate {
	uint16_t offset0, selector;
	uint8_t ist, type;
	uint16_t offset1;
	uint32_t offset2, zero;
} __attribute__((packed));

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The entry state's CS (0x08, 64-bit code) and SS (0x10, data), which
 * exception delivery and IRETQ load from the GDT. */
static uint64_t gdt[3] = { 0, 0x00af9b000000ffffull, 0x00cf93000000ffffull };
static struct gate idt[14];

static void catch_gp(void)
{
	uint64_t h = (uint64_t)(uintptr_t)flood_gp_entry;

	idt[13] = (struct gate){ .offset0 = (uint16_t)h, .selector = 0x08, .type = 0x8e,
	                         .offset1 = (uint16_t)(h >> 16), .offset2 = (uint32_t)(h >> 32) };
	struct table_ptr g = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	struct table_ptr i = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	asm volatile("lgdt %0\n\tlidt %1" : : "m"(g), "m"(i) : "memory");
}

int flood_msr(void)
{
	catch_gp();
	for (;;)
		asm volatile("rdmsr" : : "c"(MSR_NONEXISTENT) : "rax", "rdx", "memory");
	return 0;
}

int flood_io(void)
{
	for (;;)
		asm volatile("outb %%al, %0" : : "i"(PORT_POST), "a"(0) : "memory");
	return 0;
}

int flood_console(void)
{
	static char text[BH_CONSOLE_WRITE_MAX];

	/* 64-byte lines, the most the kernel takes in one call. */
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	for (;;)
		bh_console_write(text, sizeof(text));
	return 0;
}

int trespass(void)
{
	/* Where this VM's first channel would be: it has none, so the
	 * kernel maps nothing there, whatever its own page tables say. */
	volatile const uint64_t *p = (const uint64_t *)(uintptr_t)BH_GUEST_CHANNEL_BASE;

	bh_sleep_ns(TRESPASS_AFTER_NS);
	if (bh_map_range(BH_GUEST_CHANNEL_BASE, BH_GUEST_PAGE_SIZE, false))
		return 1;
	return (int)*p;   /* never returns: the read stops the VM */
}
