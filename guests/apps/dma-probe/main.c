/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dma-probe: a native VM granted the NIC (QEMU's e1000e, an Intel 82574L)
 * tries to make it write where the VM itself cannot: the IOMMU must stop
 * the device (tests/system/test_netvm.py, tests/system/dma-attack.policy).
 * One image, two roles picked by the VM's name:
 *
 *   dma-witness*  fills WITNESS_BYTES of its memory with WITNESS_BYTE and
 *                 prints where ("witness: pattern of N bytes at
 *                 guest-physical 0x..."), then checks it every
 *                 CHECK_PERIOD_NS and prints "witness: intact (check K)"
 *                 every REPORT_EVERY checks, or "witness: pattern CHANGED
 *                 at offset X" and exits 1.
 *   dma-*         the probe. Its name is "dma-probe" or "dma-0xADDRESS",
 *                 ADDRESS an address outside its memory to aim at as well
 *                 (the test names the host address of the witness's
 *                 pattern). Through BH_HC_DEVICE_CONFIG (bh_device_config)
 *                 it finds the NIC at virtual 00:01.0 and turns on memory
 *                 decoding and bus mastering; it maps BAR0, which the kernel put at
 *                 BH_GUEST_DEVICE_BASE. First a control: a transmit ring
 *                 in its own memory, one descriptor with Report Status,
 *                 must come back Descriptor Done, so the device's DMA
 *                 works at all. Then for each outside address (OUTSIDE,
 *                 then ADDRESS) it puts the ring there and rings the tail:
 *                 the device reads descriptors from there and writes their
 *                 status back, which the IOMMU must block. Prints what it
 *                 did and what the head register says after, and exits 0.
 *
 * The witness's pattern byte has Report Status set and End Of Packet
 * clear where it falls on a descriptor's command byte, so a device that
 * did reach it would write Descriptor Done into the status byte of each
 * descriptor it fetched there: a change the witness sees.
 */
#include <bulkhead/channel.h>
#include <bulkhead/guest_abi.h>
#include <bulkhead/role.h>
#include <bulkhead/runtime.h>

#include "lib/hex.h"

/* ---- The witness ------------------------------------------------------ */

#define WITNESS_BYTES   0x10000u
#define WITNESS_BYTE    0x08u            /* a command byte of RS only */
#define CHECK_PERIOD_NS 100000000ull     /* 100 ms */
#define REPORT_EVERY    10u

static uint8_t witness_pattern[WITNESS_BYTES] __attribute__((aligned(0x1000)));

static int witness(void)
{
	volatile uint8_t *p = witness_pattern;

	for (uint32_t i = 0; i < WITNESS_BYTES; i++)
		p[i] = WITNESS_BYTE;
	bh_printf("witness: pattern of %u bytes at guest-physical 0x%llx, byte 0x%02x\n",
	          WITNESS_BYTES, (unsigned long long)(uintptr_t)witness_pattern, WITNESS_BYTE);
	for (uint64_t check = 1;; check++) {
		for (uint32_t i = 0; i < WITNESS_BYTES; i++) {
			if (p[i] != WITNESS_BYTE) {
				bh_printf("witness: pattern CHANGED at offset 0x%x: 0x%02x\n", i, p[i]);
				return 1;
			}
		}
		if (check % REPORT_EVERY == 0)
			bh_printf("witness: intact (check %llu)\n", (unsigned long long)check);
		bh_sleep_ns(CHECK_PERIOD_NS);
	}
}

/* ---- Configuration space (BH_HC_DEVICE_CONFIG) ------------------------- */

#define NIC_DEVFN          (1u << 3)     /* virtual 00:01.0: the first grant */
#define PCI_VENDOR_DEVICE  0x00
#define PCI_COMMAND        0x04
#define PCI_COMMAND_MEMORY 0x0002u
#define PCI_COMMAND_MASTER 0x0004u
#define PCI_BAR0           0x10
#define PCI_BAR_MEM_MASK   0xfffffff0u

static uint32_t config_read(uint32_t offset, uint32_t size)
{
	int64_t v = bh_device_config(NIC_DEVFN, offset, size, 0, false);

	if (v < 0)
		bh_panic("probe: config read 0x%x failed: %lld", offset, (long long)v);
	return (uint32_t)v;
}

static void config_write(uint32_t offset, uint32_t size, uint32_t value)
{
	int64_t rc = bh_device_config(NIC_DEVFN, offset, size, value, true);

	if (rc < 0)
		bh_panic("probe: config write 0x%x failed: %lld", offset, (long long)rc);
}

/* ---- The NIC's registers (82574L datasheet, section 10) ---------------- */

#define NIC_BAR0_SIZE   0x20000u         /* 128 KiB of memory-mapped registers */
#define REG_STATUS      0x00008u
#define REG_TCTL        0x00400u         /* transmit control */
#define TCTL_EN         0x00000002u      /* transmit enable */
#define TCTL_PSP        0x00000008u      /* pad short packets */
#define REG_TDBAL       0x03800u         /* transmit descriptor base, low 32 bits */
#define REG_TDBAH       0x03804u         /* ... high 32 bits */
#define REG_TDLEN       0x03808u         /* ring length in bytes, a multiple of 128 */
#define REG_TDH         0x03810u         /* head: the next descriptor it fetches */
#define REG_TDT         0x03818u         /* tail: one past the last one given to it */

/* A legacy transmit descriptor (datasheet 7.2.10.1). */
struct tx_desc {
	uint64_t buffer;
	uint16_t length;
	uint8_t  cso;
	uint8_t  cmd;
	uint8_t  status;
	uint8_t  css;
	uint16_t special;
};
#define TXD_CMD_EOP     0x01u
#define TXD_CMD_IFCS    0x02u
#define TXD_CMD_RS      0x08u
#define TXD_STAT_DD     0x01u

#define RING_BYTES      0x1000u           /* 256 descriptors */
#define RING_RUNG       8u                /* how many the outside rings offer */
#define FRAME_BYTES     60u
#define OUTSIDE         0x10000000ull     /* 256 MiB: past any probe's memory */
#define SETTLE_NS       200000000ull      /* for the device to act on a tail */
#define DONE_TIMEOUT_NS 2000000000ull

static volatile uint32_t *regs = (volatile uint32_t *)(uintptr_t)BH_GUEST_DEVICE_BASE;
static struct tx_desc own_ring[RING_BYTES / sizeof(struct tx_desc)]
	__attribute__((aligned(0x1000)));
static uint8_t frame[FRAME_BYTES] __attribute__((aligned(64)));

static uint32_t reg_read(uint32_t reg) { return regs[reg / 4]; }
static void reg_write(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }

/* Points the transmit ring at base (a DMA address: the VM's guest-physical
 * address space, as the IOMMU domain maps it) with head and tail at 0,
 * and enables transmission. */
static void ring_at(uint64_t base)
{
	reg_write(REG_TCTL, 0);
	reg_write(REG_TDBAL, (uint32_t)base);
	reg_write(REG_TDBAH, (uint32_t)(base >> 32));
	reg_write(REG_TDLEN, RING_BYTES);
	reg_write(REG_TDH, 0);
	reg_write(REG_TDT, 0);
	reg_write(REG_TCTL, TCTL_EN | TCTL_PSP);
}

/* The control: one broadcast frame from a ring in the VM's own memory. */
static bool own_ring_works(void)
{
	for (unsigned i = 0; i < 6; i++)
		frame[i] = 0xff;                  /* broadcast destination */
	frame[12] = 0x88;                         /* a local experimental EtherType */
	frame[13] = 0xb5;
	own_ring[0] = (struct tx_desc){
		.buffer = (uint64_t)(uintptr_t)frame, .length = FRAME_BYTES,
		.cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS,
	};
	ring_at((uint64_t)(uintptr_t)own_ring);
	uint64_t start = bh_time_ns();
	reg_write(REG_TDT, 1);
	while (!(((volatile struct tx_desc *)own_ring)[0].status & TXD_STAT_DD)) {
		if (bh_time_ns() - start > DONE_TIMEOUT_NS) {
			bh_printf("probe: own ring: no descriptor done within %llu ms (TDH %u)\n",
			          (unsigned long long)(DONE_TIMEOUT_NS / 1000000), reg_read(REG_TDH));
			return false;
		}
		bh_yield();
	}
	bh_printf("probe: own ring: descriptor done after %llu us (TDH %u)\n",
	          (unsigned long long)((bh_time_ns() - start) / 1000), reg_read(REG_TDH));
	return true;
}

static void aim_outside(uint64_t base)
{
	ring_at(base);
	reg_write(REG_TDT, RING_RUNG);
	bh_printf("probe: ring at 0x%llx, outside this VM: tail rung (TDT %u)\n",
	          (unsigned long long)base, RING_RUNG);
	bh_sleep_ns(SETTLE_NS);
	bh_printf("probe: ring at 0x%llx: TDH %u after %llu ms\n", (unsigned long long)base,
	          reg_read(REG_TDH), (unsigned long long)(SETTLE_NS / 1000000));
	reg_write(REG_TCTL, 0);
}

/* The address in a name "dma-0xADDRESS"; 0 if the name has none. */
static uint64_t target_from_name(const char *name)
{
	const char *p = name + 4;         /* past "dma-" */
	uint64_t v = 0;

	if (p[0] != '0' || p[1] != 'x' || !p[2])
		return 0;
	for (p += 2; *p; p++) {
		int d = hex_digit_value(*p);
		if (d < 0 || v >> 60)
			bh_panic("probe: '%s' is not dma-0xADDRESS", name);
		v = v << 4 | (uint64_t)d;
	}
	return v;
}

static int probe(void)
{
	const struct bh_start_info *info = bh_start_info();
	uint64_t target = target_from_name(info->name);

	uint32_t id = config_read(PCI_VENDOR_DEVICE, 4);
	uint32_t bar0 = config_read(PCI_BAR0, 4);
	bh_printf("probe: 00:01.0 is %04x:%04x, BAR0 0x%x\n", id & 0xffff, id >> 16, bar0);
	if ((id & 0xffff) == 0xffff)
		bh_panic("probe: no device at 00:01.0");
	if ((bar0 & PCI_BAR_MEM_MASK) != BH_GUEST_DEVICE_BASE)
		bh_panic("probe: BAR0 is not at the device window's base 0x%llx",
		         (unsigned long long)BH_GUEST_DEVICE_BASE);
	config_write(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	bh_printf("probe: command 0x%04x\n", config_read(PCI_COMMAND, 2));
	if (bh_map_range(BH_GUEST_DEVICE_BASE, NIC_BAR0_SIZE, true))
		bh_panic("probe: cannot map BAR0");
	bh_printf("probe: STATUS 0x%08x\n", reg_read(REG_STATUS));

	bool works = own_ring_works();
	aim_outside(OUTSIDE);
	if (target)
		aim_outside(target);
	bh_printf("probe: done; the device's own-ring DMA %s\n", works ? "worked" : "did not work");
	return works ? 0 : 1;
}

static const struct bh_role roles[] = {
	{ "dma-witness*", witness },
	{ "dma-*",        probe },
};

int main(void)
{
	return bh_role_run(roles, sizeof(roles) / sizeof(roles[0]));
}
