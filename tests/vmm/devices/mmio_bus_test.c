/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device window: the LAPIC and IOAPIC pages, virtio windows with
 * their lines into the IOAPIC, unclaimed and refused accesses. The
 * virtio device is a minimal one (one queue, no configuration) whose
 * interrupt the test raises from the device side.
 */
#include "check.h"

#include "bulkhead/errno.h"
#include "devices/mmio_bus.h"

static struct bh_monitor_irq irq;
static struct lapic lapic;
static struct ioapic ioapic;
static struct mmio_bus bus;
static struct virtio_mmio vdev;
static const struct virtio_mmio_device kind = {
	.device_id = 3, .nqueues = 1, .queue_num_max = 16,
};

static bool deliver(void *ctx, uint8_t vector, bool level)
{
	return lapic_raise(ctx, vector, level);
}

static void eoi(void *ctx, uint8_t vector)
{
	ioapic_eoi(ctx, vector);
}

static void setup(void)
{
	memset(&irq, 0, sizeof irq);
	lapic_init(&lapic, &irq, 0, eoi, &ioapic);
	ioapic_init(&ioapic, 1, deliver, &lapic);
	mmio_bus_init(&bus, &lapic, &ioapic);
	CHECK_EQ(virtio_mmio_init(&vdev, &kind), 0);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfe000000, 0x200, &vdev, 16), 0);
}

static bool pending(unsigned v)
{
	return (irq.pending[v / 64] >> (v % 64)) & 1;
}

TEST(each_page_reaches_its_model)
{
	setup();
	CHECK_EQ(mmio_bus_read(&bus, 0xfee00030, 4, 0), LAPIC_VERSION);
	mmio_bus_write(&bus, 0xfec00000, 4, 1, 0);              /* IOREGSEL = version */
	CHECK_EQ(mmio_bus_read(&bus, 0xfec00010, 4, 0), 0x00170011);
	CHECK_EQ(mmio_bus_read(&bus, 0xfe000000, 4, 0), VIRTIO_MMIO_MAGIC);
	CHECK_EQ(mmio_bus_read(&bus, 0xfe000008, 4, 0), 3);
	CHECK_EQ(bus.unclaimed + bus.refused, 0);
}

TEST(unclaimed_and_refused_accesses_read_all_ones)
{
	setup();
	CHECK_EQ(mmio_bus_read(&bus, 0xfe000200, 4, 0), 0xffffffff);   /* past the window */
	CHECK_EQ(mmio_bus_read(&bus, 0xfe800000, 8, 0), ~0ull);
	CHECK_EQ(mmio_bus_read(&bus, 0xfe0001fe, 4, 0), 0xffffffff);   /* straddles its end */
	CHECK_EQ(bus.unclaimed, 3);
	CHECK_EQ(mmio_bus_read(&bus, 0xfee00030, 2, 0), 0xffff);       /* LAPIC: 32-bit only */
	CHECK_EQ(mmio_bus_read(&bus, 0xfe000000, 8, 0), ~0ull);        /* virtio: no 64-bit */
	CHECK_EQ(mmio_bus_read(&bus, 0xfe000001, 1, 0), 0xff);
	mmio_bus_write(&bus, 0xfee00030, 4, 0, 0);                     /* VER is read-only */
	CHECK_EQ(bus.refused, 4);
	mmio_bus_write(&bus, 0xfe900000, 4, 0, 0);
	CHECK_EQ(bus.unclaimed, 4);
}

TEST(windows_are_checked_when_added)
{
	setup();
	struct virtio_mmio other;
	CHECK_EQ(virtio_mmio_init(&other, &kind), 0);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfe000100, 0x200, &other, 17), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfee00000, 0x200, &other, 17), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfebfff00, 0x200, &other, 17), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfe001000, 0, &other, 17), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfe001000, 0x200, &other, 24), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfe001000, 0x200, NULL, 17), -BH_EINVAL);
	for (unsigned i = 1; i < MMIO_BUS_VIRTIO_MAX; i++)
		CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfe000000 + i * 0x1000, 0x200, &other, 16 + i), 0);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfe100000, 0x200, &other, 5), -BH_ENOSPC);
}

TEST(a_virtio_interrupt_travels_through_ioapic_and_lapic_and_back)
{
	setup();
	/* The guest routes GSI 16 level-triggered to vector 0x41. */
	mmio_bus_write(&bus, 0xfec00000, 4, 0x10 + 32, 0);
	mmio_bus_write(&bus, 0xfec00010, 4, IOAPIC_RTE_LEVEL | 0x41, 0);
	mmio_bus_write(&bus, 0xfee000f0, 4, 0x1ff, 0);          /* SVR: enabled */
	virtio_mmio_raise(&vdev, VIRTIO_MMIO_INT_VRING);
	mmio_bus_update_lines(&bus);
	CHECK(pending(0x41));
	/* The kernel injects; the guest acknowledges the device and EOIs. */
	irq.pending[1] &= ~(1ull << 1);
	CHECK_EQ(mmio_bus_read(&bus, 0xfe000060, 4, 0), VIRTIO_MMIO_INT_VRING);
	mmio_bus_write(&bus, 0xfe000064, 4, VIRTIO_MMIO_INT_VRING, 0);
	CHECK(!ioapic.line[16]);
	mmio_bus_write(&bus, 0xfee000b0, 4, 0, 0);
	CHECK_EQ(ioapic.rte_lo[16] & IOAPIC_RTE_REMOTE_IRR, 0);
	CHECK(!pending(0x41));
	/* Raised again before the EOI: delivered once the EOI comes. */
	virtio_mmio_raise(&vdev, VIRTIO_MMIO_INT_VRING);
	mmio_bus_update_lines(&bus);
	CHECK(pending(0x41));
	irq.pending[1] &= ~(1ull << 1);
	mmio_bus_update_lines(&bus);                            /* still high, remote IRR */
	CHECK(!pending(0x41));
	mmio_bus_write(&bus, 0xfee000b0, 4, 0, 0);              /* EOI without ack: again */
	CHECK(pending(0x41));
}

/* The kernel's BH_HC_DEVICE_CONFIG, reduced to what the bus decides: which
 * (devfn, register, size) an access becomes. Reads give the register. */
struct config_call { uint32_t devfn, reg; unsigned size; uint32_t value; bool write; };
static struct { unsigned calls; struct config_call last; } cfg;

static int64_t fake_config(void *ctx, uint32_t devfn, uint32_t reg, unsigned size,
                           uint32_t value, bool write)
{
	CHECK(ctx == &cfg);
	cfg.calls++;
	cfg.last = (struct config_call){ devfn, reg, size, value, write };
	return write ? 0 : reg;
}

TEST(the_ecam_window_reaches_the_host_bridge)
{
	struct pci_host pci;
	struct virtio_mmio other;
	memset(&cfg, 0, sizeof cfg);
	memset(&irq, 0, sizeof irq);
	pci_host_init(&pci, fake_config, &cfg);
	lapic_init(&lapic, &irq, 0, eoi, &ioapic);
	ioapic_init(&ioapic, 1, deliver, &lapic);
	mmio_bus_init(&bus, &lapic, &ioapic);
	CHECK_EQ(virtio_mmio_init(&other, &kind), 0);
	CHECK_EQ(mmio_bus_add_ecam(&bus, BH_LINUX_ECAM_BASE, BH_LINUX_ECAM_SIZE, &pci), 0);
	CHECK_EQ(mmio_bus_add_virtio(&bus, BH_LINUX_ECAM_BASE + BH_LINUX_ECAM_SIZE, 0x200, &other,
	                             16), 0);

	CHECK_EQ(mmio_bus_read(&bus, BH_LINUX_ECAM_BASE + (0x08 << 12) + 0x10, 4, 0), 0x10);
	CHECK_EQ(cfg.last.devfn, 0x08);
	CHECK_EQ(cfg.last.size, 4);
	CHECK(!cfg.last.write);
	mmio_bus_write(&bus, BH_LINUX_ECAM_BASE + (0x10 << 12) + 0x04, 2, 0x0006, 0);
	CHECK(cfg.last.write);
	CHECK_EQ(cfg.last.devfn, 0x10);
	CHECK_EQ(cfg.last.reg, 0x04);
	CHECK_EQ(cfg.last.value, 6);
	CHECK_EQ(mmio_bus_read(&bus, BH_LINUX_ECAM_BASE + BH_LINUX_ECAM_SIZE - 1, 1, 0), 0xff);
	CHECK_EQ(cfg.last.devfn, 0xff);
	CHECK_EQ(cfg.last.reg, 0xfff);
	CHECK_EQ(cfg.calls, 3);
	/* A 64-bit access is no configuration access: refused, not forwarded. */
	CHECK_EQ(mmio_bus_read(&bus, BH_LINUX_ECAM_BASE, 8, 0), ~0ull);
	CHECK_EQ(bus.refused, 1);
	CHECK_EQ(cfg.calls, 3);
	/* The virtio window after it is still its own. */
	CHECK_EQ(mmio_bus_read(&bus, BH_LINUX_ECAM_BASE + BH_LINUX_ECAM_SIZE, 4, 0),
	         VIRTIO_MMIO_MAGIC);
	CHECK_EQ(cfg.calls, 3);
}

TEST(the_ecam_window_is_checked_when_added)
{
	struct pci_host pci;
	pci_host_init(&pci, fake_config, &cfg);
	setup();                                           /* virtio at 0xfe000000 */
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfe000000, BH_LINUX_ECAM_SIZE, &pci), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfec00000, BH_LINUX_ECAM_SIZE, &pci), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfee00000, BH_LINUX_ECAM_SIZE, &pci), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfd000000, 2 * BH_LINUX_ECAM_SIZE, &pci), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfd000000, 0, &pci), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfd000000, BH_LINUX_ECAM_SIZE, NULL), -BH_EINVAL);
	CHECK(bus.pci == NULL);
	/* Nothing answers the refused window. */
	CHECK_EQ(mmio_bus_read(&bus, 0xfd000000, 4, 0), 0xffffffff);
	CHECK_EQ(bus.unclaimed, 1);
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfd000000, BH_LINUX_ECAM_SIZE, &pci), 0);
	CHECK_EQ(mmio_bus_add_ecam(&bus, 0xfd800000, BH_LINUX_ECAM_SIZE, &pci), -BH_EINVAL);
	struct virtio_mmio other;
	CHECK_EQ(virtio_mmio_init(&other, &kind), 0);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfd0ff000, 0x200, &other, 17), -BH_EINVAL);
	CHECK_EQ(mmio_bus_add_virtio(&bus, 0xfd100000, 0x200, &other, 17), 0);
}
