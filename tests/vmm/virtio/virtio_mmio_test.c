/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-mmio register file, driven the way Linux's virtio_mmio
 * driver drives it (probe, feature negotiation, queue set-up, DRIVER_OK,
 * notify, interrupt, reset), and with the accesses a driver must not
 * make, each refused with its own error and no change of state; then
 * random accesses from the reset state and from a running device, with
 * the register file's invariants checked after each.
 */
#include "check.h"
#include "test_rng.h"

#include "bulkhead/errno.h"
#include "virtio/mmio.h"

#define DEVICE_FEATURE_A (1ull << 0)
#define DEVICE_FEATURE_B (1ull << 33)

struct fake {
	uint8_t config[12];
	unsigned notified[4];
	unsigned resets;
	unsigned driver_oks;
	uint64_t features_at_ok;
};

static int fake_config_read(void *ctx, uint32_t offset, unsigned size, uint32_t *value)
{
	struct fake *f = ctx;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)f->config[offset + i] << (8 * i);
	*value = v;
	return 0;
}

static int fake_config_write(void *ctx, uint32_t offset, unsigned size, uint32_t value)
{
	struct fake *f = ctx;
	if (offset < 8)
		return -BH_EPERM;   /* the first 8 bytes are read-only */
	for (unsigned i = 0; i < size; i++)
		f->config[offset + i] = (uint8_t)(value >> (8 * i));
	return 0;
}

static void fake_notify(void *ctx, unsigned q) { ((struct fake *)ctx)->notified[q]++; }
static void fake_reset(void *ctx) { ((struct fake *)ctx)->resets++; }
static void fake_driver_ok(void *ctx, uint64_t features)
{
	struct fake *f = ctx;
	f->driver_oks++;
	f->features_at_ok = features;
}

static struct fake fake;
static struct virtio_mmio_device device;
static struct virtio_mmio m;

static void setup(void)
{
	memset(&fake, 0, sizeof fake);
	for (unsigned i = 0; i < sizeof fake.config; i++)
		fake.config[i] = (uint8_t)(0x10 + i);
	device = (struct virtio_mmio_device){
		.device_id = 3, .vendor_id = 0x554d4551, .features = DEVICE_FEATURE_A | DEVICE_FEATURE_B,
		.nqueues = 2, .queue_num_max = 256, .config_size = sizeof fake.config, .ctx = &fake,
		.config_read = fake_config_read, .config_write = fake_config_write,
		.queue_notify = fake_notify, .driver_ok = fake_driver_ok, .reset = fake_reset,
	};
	CHECK_EQ(virtio_mmio_init(&m, &device), 0);
}

static uint32_t rd(uint32_t offset)
{
	uint32_t v = 0xdeadbeef;
	CHECK_EQ(virtio_mmio_read(&m, offset, 4, &v), 0);
	return v;
}

static void wr(uint32_t offset, uint32_t value)
{
	CHECK_EQ(virtio_mmio_write(&m, offset, 4, value), 0);
}

/* Linux's vm_setup_vq for queue q, ending with QueueReady = 1. */
static void setup_queue(unsigned q, uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
	wr(VIRTIO_MMIO_QUEUE_SEL, q);
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	CHECK(rd(VIRTIO_MMIO_QUEUE_NUM_MAX) >= num);
	wr(VIRTIO_MMIO_QUEUE_NUM, num);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
	wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

/* The whole start-up a driver makes, accepting `features`. */
static void start_driver(uint64_t features)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	                       VIRTIO_STATUS_FEATURES_OK);
}

#define RUNNING (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | \
                 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK)

TEST(probe_sees_a_modern_device)
{
	setup();
	CHECK_EQ(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	CHECK_EQ(rd(VIRTIO_MMIO_VERSION), 2);
	CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_ID), 3);
	CHECK_EQ(rd(VIRTIO_MMIO_VENDOR_ID), 0x554d4551);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1u | 2u);   /* VERSION_1 and bit 33 */
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
	CHECK_EQ(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0);
	CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
	CHECK_EQ(rd(VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffff);
}

TEST(a_full_start_negotiates_sets_up_queues_and_notifies)
{
	setup();
	start_driver(VIRTIO_F_VERSION_1 | DEVICE_FEATURE_B);
	CHECK(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(0, 128, 0x100000, 0x101000, 0x102000);
	setup_queue(1, 256, 0x1234500000ull, 0x1234501000ull, 0x1234502000ull);
	wr(VIRTIO_MMIO_QUEUE_SEL, 2);
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0);          /* no third queue */
	CHECK(virtio_mmio_live_queue(&m, 0) == NULL);        /* not DRIVER_OK yet */
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);                     /* ignored */
	CHECK_EQ(fake.notified[0], 0);

	wr(VIRTIO_MMIO_STATUS, RUNNING);
	CHECK_EQ(fake.driver_oks, 1);
	CHECK_EQ(fake.features_at_ok, VIRTIO_F_VERSION_1 | DEVICE_FEATURE_B);
	const struct virtio_mmio_queue *q = virtio_mmio_live_queue(&m, 1);
	CHECK(q != NULL);
	CHECK_EQ(q->num, 256);
	CHECK_EQ(q->desc, 0x1234500000ull);
	CHECK_EQ(q->driver, 0x1234501000ull);
	CHECK_EQ(q->device, 0x1234502000ull);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	CHECK_EQ(fake.notified[1], 1);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_NOTIFY, 4, 2), -BH_ENOENT);
}

TEST(interrupts_raise_the_line_until_acknowledged)
{
	setup();
	CHECK(!virtio_mmio_irq_level(&m));
	virtio_mmio_config_changed(&m);                      /* no driver: no interrupt */
	CHECK(!virtio_mmio_irq_level(&m));
	start_driver(VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_STATUS, RUNNING);
	virtio_mmio_raise(&m, VIRTIO_MMIO_INT_VRING);
	CHECK(virtio_mmio_irq_level(&m));
	CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 1);
	virtio_mmio_config_changed(&m);
	CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 3);
	CHECK_EQ(rd(VIRTIO_MMIO_CONFIG_GENERATION), 2);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, 1);
	CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 2);
	CHECK(virtio_mmio_irq_level(&m));
	wr(VIRTIO_MMIO_INTERRUPT_ACK, 2);
	CHECK(!virtio_mmio_irq_level(&m));
	virtio_mmio_raise(&m, 0xfc);                         /* not interrupt bits */
	CHECK(!virtio_mmio_irq_level(&m));
}

TEST(features_the_device_did_not_offer_leave_features_ok_clear)
{
	setup();
	start_driver(VIRTIO_F_VERSION_1 | (1ull << 5));
	CHECK_EQ(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0);
	start_driver(DEVICE_FEATURE_A);                      /* legacy: no VERSION_1 */
	CHECK_EQ(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0);
	/* and DRIVER_OK cannot follow */
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_STATUS, 4,
	                           VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	                           VIRTIO_STATUS_DRIVER_OK), -BH_EINVAL);
	CHECK_EQ(fake.driver_oks, 0);
	start_driver(VIRTIO_F_VERSION_1 | DEVICE_FEATURE_A);
	CHECK(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	/* features are fixed once accepted */
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_DRIVER_FEATURES, 4, 0), -BH_EBUSY);
}

TEST(reset_forgets_everything_but_the_generation)
{
	setup();
	start_driver(VIRTIO_F_VERSION_1);
	setup_queue(0, 64, 0x1000, 0x2000, 0x3000);
	wr(VIRTIO_MMIO_STATUS, RUNNING);
	virtio_mmio_config_changed(&m);
	virtio_mmio_needs_reset(&m);
	CHECK(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	CHECK(virtio_mmio_live_queue(&m, 0) == NULL);
	unsigned resets = fake.resets;
	wr(VIRTIO_MMIO_STATUS, 0);
	CHECK_EQ(fake.resets, resets + 1);
	CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
	CHECK_EQ(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	CHECK_EQ(m.queues[0].num, 0);
	CHECK_EQ(m.queues[0].desc, 0);
	CHECK_EQ(rd(VIRTIO_MMIO_CONFIG_GENERATION), 1);
}

TEST(config_space_takes_naturally_aligned_small_accesses)
{
	setup();
	uint32_t v;
	CHECK_EQ(virtio_mmio_read(&m, 0x100, 1, &v), 0);
	CHECK_EQ(v, 0x10);
	CHECK_EQ(virtio_mmio_read(&m, 0x102, 2, &v), 0);
	CHECK_EQ(v, 0x1312);
	CHECK_EQ(virtio_mmio_read(&m, 0x108, 4, &v), 0);
	CHECK_EQ(v, 0x1b1a1918);
	CHECK_EQ(virtio_mmio_read(&m, 0x101, 2, &v), -BH_EINVAL);
	CHECK_EQ(v, 0);
	CHECK_EQ(virtio_mmio_read(&m, 0x102, 4, &v), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_read(&m, 0x100, 8, &v), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_read(&m, 0x100, 3, &v), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_read(&m, 0x10c, 1, &v), -BH_ENOENT);   /* past config_size */
	CHECK_EQ(virtio_mmio_read(&m, 0xfffffffc, 4, &v), -BH_ENOENT);
	CHECK_EQ(virtio_mmio_write(&m, 0x10a, 2, 0xabcd), 0);
	CHECK_EQ(fake.config[10], 0xcd);
	CHECK_EQ(virtio_mmio_write(&m, 0x100, 4, 0), -BH_EPERM);    /* the device's refusal */
	CHECK_EQ(fake.config[0], 0x10);
}

TEST(registers_take_only_aligned_32_bit_accesses)
{
	setup();
	uint32_t v;
	CHECK_EQ(virtio_mmio_read(&m, VIRTIO_MMIO_MAGIC_VALUE, 1, &v), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_read(&m, VIRTIO_MMIO_MAGIC_VALUE, 2, &v), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_read(&m, VIRTIO_MMIO_MAGIC_VALUE, 8, &v), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_read(&m, 0x002, 4, &v), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_STATUS, 1, 1), -BH_EINVAL);
	CHECK_EQ(rd(VIRTIO_MMIO_STATUS), 0);
	/* write-only, reserved and legacy (version 1) registers are not readable */
	CHECK_EQ(virtio_mmio_read(&m, VIRTIO_MMIO_QUEUE_NOTIFY, 4, &v), -BH_ENOENT);
	CHECK_EQ(virtio_mmio_read(&m, 0x018, 4, &v), -BH_ENOENT);
	CHECK_EQ(virtio_mmio_read(&m, 0x040, 4, &v), -BH_ENOENT);   /* QueuePFN */
	/* and read-only ones not writable */
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_MAGIC_VALUE, 4, 0), -BH_ENOENT);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_INTERRUPT_STATUS, 4, 0), -BH_ENOENT);
	CHECK_EQ(virtio_mmio_write(&m, 0x028, 4, 4096), -BH_ENOENT);  /* GuestPageSize */
}

TEST(bad_queue_setup_is_refused_and_changes_nothing)
{
	setup();
	start_driver(VIRTIO_F_VERSION_1);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_READY, 4, 1), -BH_EINVAL);   /* no size */
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_NUM, 4, 0), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_NUM, 4, 100), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_NUM, 4, 512), -BH_EINVAL);
	CHECK_EQ(m.queues[0].num, 0);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_DESC_LOW, 4, 0x1008), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_DRIVER_LOW, 4, 0x1001), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_DEVICE_LOW, 4, 0x1002), -BH_EINVAL);
	CHECK_EQ(m.queues[0].desc | m.queues[0].driver | m.queues[0].device, 0);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_READY, 4, 2), -BH_EINVAL);

	setup_queue(0, 16, 0x1000, 0x2000, 0x3000);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_NUM, 4, 8), -BH_EBUSY);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_DESC_LOW, 4, 0x5000), -BH_EBUSY);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 4, 1), -BH_EBUSY);
	CHECK_EQ(m.queues[0].num, 16);
	CHECK_EQ(m.queues[0].desc, 0x1000);
	CHECK_EQ(m.queues[0].device, 0x3000);
	wr(VIRTIO_MMIO_QUEUE_READY, 0);                      /* Linux's vm_del_vq */
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, 8);

	wr(VIRTIO_MMIO_QUEUE_SEL, 7);
	CHECK_EQ(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_NUM, 4, 8), -BH_ENOENT);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_QUEUE_DESC_LOW, 4, 0), -BH_ENOENT);
}

TEST(status_only_gains_bits_until_reset)
{
	setup();
	start_driver(VIRTIO_F_VERSION_1);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_STATUS, 4, VIRTIO_STATUS_ACKNOWLEDGE),
	         -BH_EINVAL);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_STATUS, 4, 0x1ff), -BH_EINVAL);
	CHECK_EQ(virtio_mmio_write(&m, VIRTIO_MMIO_STATUS, 4,
	                           rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_NEEDS_RESET), -BH_EINVAL);
	CHECK_EQ(rd(VIRTIO_MMIO_STATUS), VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	                                 VIRTIO_STATUS_FEATURES_OK);
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
	CHECK(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FAILED);
}

TEST(a_device_description_out_of_range_is_refused)
{
	struct virtio_mmio_device d = { .nqueues = 1, .queue_num_max = 256 };
	struct virtio_mmio x;
	CHECK_EQ(virtio_mmio_init(&x, &d), 0);
	d.nqueues = 0;
	CHECK_EQ(virtio_mmio_init(&x, &d), -BH_EINVAL);
	d.nqueues = VIRTIO_MMIO_MAX_QUEUES + 1;
	CHECK_EQ(virtio_mmio_init(&x, &d), -BH_EINVAL);
	d.nqueues = 1;
	d.queue_num_max = 100;
	CHECK_EQ(virtio_mmio_init(&x, &d), -BH_EINVAL);
	d.queue_num_max = 0;
	CHECK_EQ(virtio_mmio_init(&x, &d), -BH_EINVAL);
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void) { return test_rng_next(&rng); }

/* What must hold whatever the driver wrote. */
static void check_invariants(void)
{
	CHECK((m.status & VIRTIO_STATUS_DRIVER_OK) == 0 || (m.status & VIRTIO_STATUS_FEATURES_OK));
	if (m.status & VIRTIO_STATUS_FEATURES_OK) {
		CHECK(m.driver_features & VIRTIO_F_VERSION_1);
		CHECK_EQ(m.driver_features & ~(device.features | VIRTIO_F_VERSION_1), 0);
	}
	for (unsigned q = 0; q < VIRTIO_MMIO_MAX_QUEUES; q++) {
		const struct virtio_mmio_queue *vq = &m.queues[q];
		if (q >= device.nqueues) {
			CHECK(vq->num == 0 && !vq->ready);
			continue;
		}
		CHECK(vq->num == 0 || ((vq->num & (vq->num - 1)) == 0 && vq->num <= device.queue_num_max));
		CHECK(!vq->ready || vq->num != 0);
		CHECK_EQ(vq->desc % 16 + vq->driver % 2 + vq->device % 4, 0);
	}
}

/* One random access; returns whether it was accepted. */
static bool random_access(void)
{
	/* small values, status combinations, sizes, aligned addresses */
	static const uint32_t interesting[] = { 0, 1, 2, 3, 4, 7, 8, 0x0b, 0x0f, 16, 64, 128, 256,
	                                        512, 0x1000, 0x1008, 0xffffffff, 0x80000000 };
	static const uint32_t regs[] = {
		VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_MMIO_DRIVER_FEATURES,
		VIRTIO_MMIO_DRIVER_FEATURES_SEL, VIRTIO_MMIO_QUEUE_SEL, VIRTIO_MMIO_QUEUE_NUM,
		VIRTIO_MMIO_QUEUE_READY, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_MMIO_INTERRUPT_ACK,
		VIRTIO_MMIO_STATUS, VIRTIO_MMIO_QUEUE_DESC_LOW, VIRTIO_MMIO_QUEUE_DRIVER_LOW,
		VIRTIO_MMIO_QUEUE_DEVICE_HIGH, VIRTIO_MMIO_CONFIG + 8,
	};
	static const unsigned sizes[] = { 4, 4, 4, 1, 2, 3, 8 };
	uint32_t offset = rnd() % 4 ? regs[rnd() % 13] : rnd() % 8 ? rnd() % 0x120 : rnd();
	unsigned size = sizes[rnd() % 7];
	uint32_t value = rnd() % 2 ? interesting[rnd() % 18] : rnd();
	int r;
	if (rnd() % 3) {
		r = virtio_mmio_write(&m, offset, size, value);
		CHECK(r == 0 || r == -BH_EINVAL || r == -BH_ENOENT || r == -BH_EBUSY ||
		      r == -BH_EPERM);
	} else {
		uint32_t v = 0x12345678;
		r = virtio_mmio_read(&m, offset, size, &v);
		CHECK(r == 0 || ((r == -BH_EINVAL || r == -BH_ENOENT) && v == 0));
	}
	return r == 0;
}

TEST(random_register_accesses_keep_the_state_consistent)
{
	unsigned accepted = 0, refused = 0;
	/* Sessions from the reset state and from a running device, so the
	 * random accesses meet every stage of the life cycle. */
	for (unsigned session = 0; session < 4000; session++) {
		setup();
		if (session % 2) {
			start_driver(VIRTIO_F_VERSION_1 | DEVICE_FEATURE_A);
			setup_queue(session % 4 == 1 ? 0 : 1, 64, 0x1000, 0x2000, 0x3000);
			wr(VIRTIO_MMIO_STATUS, RUNNING);
		}
		for (unsigned i = 0; i < 64; i++) {
			if (random_access())
				accepted++;
			else
				refused++;
			check_invariants();
		}
	}
	CHECK(accepted > 10000);
	CHECK(refused > 10000);
}
