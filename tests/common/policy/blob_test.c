/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's policy blob validator (common/policy/blob.c) against
 * blobs the compiler made from the golden policies (test_blobs.c, generated
 * at build time), every truncation and single-bit flip of one, and targeted
 * corruptions whose checksum is recomputed, so that the structural checks,
 * not the CRC, must catch them. Runs under ASan/UBSan: an accessor that read
 * outside the blob would stop the test.
 */
#include "check.h"

#include <stdlib.h>

#include <bulkhead/errno.h>

#include "policy/blob.h"

extern const unsigned char test_blob_full[], test_blob_default[], test_blob_empty[],
	test_blob_linux[], test_blob_devices[], test_blob_cpus[];
extern const unsigned long test_blob_full_size, test_blob_default_size, test_blob_empty_size,
	test_blob_linux_size, test_blob_devices_size, test_blob_cpus_size;

static const char *why;

/* A heap copy of exactly n bytes (malloc'd memory is 16-byte aligned), so
 * ASan sees any read past the blob's end. */
static uint8_t *copy(const void *src, size_t n)
{
	uint8_t *b = malloc(n ? n : 1);
	memcpy(b, src, n);
	return b;
}

static struct bh_policy_header *H(void *b) { return b; }

static void *tab(void *b, enum bh_policy_table_id t)
{
	return (uint8_t *)b + H(b)->table[t].offset;
}

#define VM(b, i)      ((struct bh_policy_vm *)tab(b, BH_POLICY_T_VMS) + (i))
#define CH(b, i)      ((struct bh_policy_channel *)tab(b, BH_POLICY_T_CHANNELS) + (i))
#define LAUNCH(b, i)  ((struct bh_policy_launch *)tab(b, BH_POLICY_T_LAUNCHES) + (i))
#define TARGET(b, i)  ((uint32_t *)tab(b, BH_POLICY_T_TARGETS) + (i))
#define DEV(b, i)     ((struct bh_policy_device *)tab(b, BH_POLICY_T_DEVICES) + (i))
#define IMAGE(b, i)   ((struct bh_policy_image *)tab(b, BH_POLICY_T_IMAGES) + (i))
#define LX(b, i)      ((struct bh_policy_linux *)tab(b, BH_POLICY_T_LINUX) + (i))
#define VIRTIO(b, i)  ((struct bh_policy_virtio *)tab(b, BH_POLICY_T_VIRTIO) + (i))
#define STR(b)        ((char *)tab(b, BH_POLICY_T_STRINGS))
#define NSTR(b)       (H(b)->table[BH_POLICY_T_STRINGS].count)

static void reseal(void *b, size_t n)
{
	H(b)->checksum = policy_blob_checksum(b, n);
}

static int validate(const void *b, size_t n)
{
	why = NULL;
	return policy_blob_validate(b, n, &why);
}

/* Offset of the string s in b's string table. */
static uint32_t str_off(void *b, const char *s)
{
	for (uint32_t off = 0; off < NSTR(b); off += (uint32_t)strlen(STR(b) + off) + 1)
		if (strcmp(STR(b) + off, s) == 0)
			return off;
	return UINT32_MAX;
}

/* Reads everything an accepted blob offers through the accessors, checking
 * what the validator promised. */
static void walk(const void *b)
{
	uint32_t nvms = policy_vm_count(b);

	for (uint32_t i = 0; i < nvms; i++) {
		const struct bh_policy_vm *vm = policy_vm(b, i);
		CHECK(vm->cpu < BH_POLICY_MAX_CPUS || vm->cpu == BH_POLICY_CPU_ANY);
		CHECK(strlen(policy_vm_name(b, vm)) < BH_POLICY_NAME_MAX);
		CHECK(strlen(policy_vm_image(b, vm)) < BH_POLICY_IMAGE_NAME_MAX);
		CHECK_EQ(policy_vm_find(b, policy_vm_name(b, vm)), i);
		const struct bh_policy_launch *r = policy_launch_for(b, i);
		for (uint32_t j = 0; r && j < r->target_count; j++)
			CHECK(policy_launch_target(b, r, j) < nvms);
		for (uint32_t t = 0; t < nvms; t++)
			(void)policy_may_launch(b, i, t);
	}
	CHECK(policy_vm(b, nvms) == NULL);
	for (uint32_t i = 0; i < policy_channel_count(b); i++) {
		const struct bh_policy_channel *ch = policy_channel(b, i);
		CHECK(ch->end[0] < nvms && ch->end[1] < nvms && ch->end[0] != ch->end[1]);
		CHECK(strlen(policy_string(b, ch->name)) < BH_POLICY_NAME_MAX);
	}
	for (uint32_t i = 0; i < policy_launch_count(b); i++)
		CHECK(policy_launch(b, i)->vm < nvms);
	CHECK_EQ(policy_flags(b) & ~BH_POLICY_FLAGS, 0);
	for (uint32_t i = 0; i < policy_device_count(b); i++) {
		const struct bh_policy_device *d = policy_device(b, i);
		CHECK(d->vm < nvms);
		CHECK(policy_vm(b, d->vm)->kind == BH_POLICY_VM_NATIVE ||
		      policy_vm(b, d->vm)->kind == BH_POLICY_VM_LINUX);
		CHECK(strlen(policy_string(b, d->name)) < BH_POLICY_NAME_MAX);
	}
	CHECK(policy_device(b, policy_device_count(b)) == NULL);
	for (uint32_t i = 0; i < policy_image_count(b); i++)
		CHECK(strlen(policy_string(b, policy_image(b, i)->name)) < BH_POLICY_IMAGE_NAME_MAX);
	CHECK(policy_linux(b, policy_linux_count(b)) == NULL);
	for (uint32_t i = 0; i < policy_linux_count(b); i++) {
		const struct bh_policy_linux *lx = policy_linux(b, i);
		CHECK(lx->vm < nvms && policy_vm(b, lx->vm)->kind == BH_POLICY_VM_LINUX);
		CHECK(policy_linux_for(b, lx->vm) == lx);
		CHECK(policy_image(b, lx->initramfs) && policy_image(b, lx->monitor_image));
		if (lx->cmdline != BH_POLICY_NO_STRING)
			CHECK(strlen(policy_string(b, lx->cmdline)) < BH_POLICY_CMDLINE_MAX);
		CHECK_EQ(policy_vm_total_memory(b, lx->vm), policy_vm(b, lx->vm)->memory + lx->monitor_memory);
		for (uint32_t j = 0; j < lx->virtio_count; j++) {
			const struct bh_policy_channel *ch = policy_channel(b, policy_virtio(b, lx, j)->channel);
			CHECK(ch && (ch->end[0] == lx->vm || ch->end[1] == lx->vm));
		}
	}
}

/* ---- Compiler output ----------------------------------------------------- */

TEST(accepts_the_compilers_blobs)
{
	const struct { const unsigned char *b; unsigned long n; } blobs[] = {
		{ test_blob_full, test_blob_full_size },
		{ test_blob_default, test_blob_default_size },
		{ test_blob_empty, test_blob_empty_size },
		{ test_blob_linux, test_blob_linux_size },
		{ test_blob_devices, test_blob_devices_size },
		{ test_blob_cpus, test_blob_cpus_size },
	};
	for (size_t i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++) {
		uint8_t *b = copy(blobs[i].b, blobs[i].n);
		CHECK_EQ(validate(b, blobs[i].n), 0);
		walk(b);
		free(b);
	}
}

TEST(checksum_is_crc32_with_its_field_zero)
{
	/* zlib.crc32(b"123456789" + bytes(23)) in Python: the IEEE CRC-32 (whose
	 * check value, of "123456789" alone, is 0xcbf43926). Bytes 20..23,
	 * where the checksum field lies, are zero here anyway. */
	uint8_t buf[32] = "123456789";
	CHECK_EQ(policy_blob_checksum(buf, sizeof(buf)), 0x7670587b);

	uint8_t *b = copy(test_blob_full, test_blob_full_size);
	uint32_t sum = H(b)->checksum;
	H(b)->checksum = 0x12345678;   /* the field itself does not count */
	CHECK_EQ(policy_blob_checksum(b, test_blob_full_size), sum);
	free(b);
}

TEST(accessors_read_the_full_policy)
{
	uint8_t *b = copy(test_blob_full, test_blob_full_size);
	CHECK_EQ(validate(b, test_blob_full_size), 0);

	CHECK_EQ(policy_header(b)->machine_memory, 256ull << 20);
	CHECK_EQ(policy_header(b)->pool_memory, 64ull << 20);
	CHECK_EQ(policy_vm_count(b), 7);
	CHECK_EQ(policy_vm_find(b, "control"), 0);
	CHECK_EQ(policy_vm_find(b, "hello2"), 6);
	CHECK_EQ(policy_vm_find(b, "nobody"), -BH_ENOENT);
	CHECK_EQ(policy_vm_find(b, "hello.elf"), -BH_ENOENT);

	const struct bh_policy_vm *control = policy_vm(b, 0), *server = policy_vm(b, 2);
	CHECK_EQ(control->kind, BH_POLICY_VM_CONTROL);
	CHECK_EQ(control->flags, BH_POLICY_VM_BOOT);
	CHECK_EQ(control->rights, BH_POLICY_RIGHTS_ALL & ~BH_POLICY_RIGHT_CHANNEL);
	CHECK_EQ(control->memory, 4ull << 20);
	CHECK_EQ(control->cpu_budget_us, 1000);
	CHECK_EQ(control->cpu_period_us, 10000);
	CHECK_STR_EQ(policy_vm_image(b, control), "cli.elf");
	CHECK_EQ(server->cpu_budget_us, 2000);
	CHECK_EQ(policy_vm(b, 3)->cpu_budget_us, 1500);
	CHECK_EQ(policy_vm(b, 3)->cpu_period_us, 20000);
	CHECK_EQ(policy_vm(b, 4)->flags, 0);
	CHECK_EQ(policy_vm(b, 4)->image, policy_vm(b, 6)->image);   /* hello.elf twice */
	CHECK_EQ(policy_image_count(b), 6);
	CHECK(policy_vm(b, 7) == NULL);

	CHECK_EQ(policy_channel_count(b), 3);
	const struct bh_policy_channel *echo = policy_channel(b, 0), *logs = policy_channel(b, 1);
	CHECK_STR_EQ(policy_string(b, echo->name), "echo");
	CHECK_EQ(echo->end[0], 1);
	CHECK_EQ(echo->end[1], 2);
	CHECK_EQ(echo->size, 64 << 10);
	CHECK_EQ(echo->flags, BH_POLICY_CH_FLAGS);
	/* "between logger and server; direction server -> logger": end 1 to 0. */
	CHECK_EQ(logs->end[0], 3);
	CHECK_EQ(logs->flags, BH_POLICY_CH_WRITE_10 | BH_POLICY_CH_EVENT_10);
	CHECK_EQ(policy_channel(b, 2)->flags, BH_POLICY_CH_WRITE_01);
	CHECK(policy_channel(b, 3) == NULL);

	const struct bh_policy_launch *r = policy_launch_for(b, 0);
	CHECK(r != NULL);
	CHECK_EQ(r->max_vms, 8);
	CHECK_EQ(r->max_memory, 32ull << 20);
	CHECK_EQ(r->target_count, 3);
	CHECK(policy_may_launch(b, 0, 4) && policy_may_launch(b, 0, 5) && policy_may_launch(b, 0, 6));
	CHECK(!policy_may_launch(b, 0, 1) && !policy_may_launch(b, 0, 0));
	CHECK(!policy_may_launch(b, 1, 4));
	CHECK(policy_launch_for(b, 1) == NULL);
	CHECK_EQ(policy_device_count(b), 0);
	CHECK_EQ(policy_flags(b), 0);   /* the IOMMU is required by default */
	free(b);
}

/* golden/devices.policy: VMs 0 control, 1 netvm (Linux), 2 storage and 3
 * sensor (native, a launch template); devices 0 nic0 to netvm, 1..4 disk0..3
 * to storage, 5 adc to sensor; the IOMMU is not required. */
TEST(accessors_read_the_devices_policy)
{
	uint8_t *b = copy(test_blob_devices, test_blob_devices_size);
	CHECK_EQ(validate(b, test_blob_devices_size), 0);

	CHECK_EQ(policy_flags(b), BH_POLICY_F_DMA_UNPROTECTED);
	CHECK_EQ(policy_device_count(b), 6);
	const struct bh_policy_device *nic = policy_device(b, 0), *disk3 = policy_device(b, 4);
	CHECK_STR_EQ(policy_string(b, nic->name), "nic0");
	CHECK_EQ(nic->kind, BH_POLICY_DEVICE_PCI);
	CHECK_EQ(nic->address, BH_POLICY_PCI(0, 0, 3, 0));
	CHECK_EQ(policy_vm(b, nic->vm)->kind, BH_POLICY_VM_LINUX);
	CHECK_STR_EQ(policy_vm_name(b, policy_vm(b, nic->vm)), "netvm");
	CHECK_EQ(disk3->address, BH_POLICY_PCI(1, 2, 0x1f, 7));
	CHECK_EQ(BH_POLICY_PCI_SEG(disk3->address), 1);
	CHECK_EQ(BH_POLICY_PCI_BUS(disk3->address), 2);
	CHECK_EQ(BH_POLICY_PCI_DEV(disk3->address), 0x1f);
	CHECK_EQ(BH_POLICY_PCI_FN(disk3->address), 7);
	CHECK_EQ(disk3->vm, 2);
	/* A launch template may be a grantee. */
	CHECK_EQ(policy_device(b, 5)->vm, 3);
	CHECK_EQ(policy_vm(b, 3)->flags & BH_POLICY_VM_BOOT, 0);
	CHECK(policy_may_launch(b, 0, 3));
	free(b);
}

/* golden/cpus.policy: 'machine cpus 0-1, 3'; VMs 0 control (10%, no pin),
 * 1 pinned (CPU 1 alone), 2 pinned-share (CPU 1, 60%), 3 pinned-time
 * (CPU 1, 4ms per 10ms), 4 elsewhere (CPU 2, 100%), 5 last-cpu (CPU 31),
 * 6 floating (no pin, 1800us per 2ms), 7 best-effort, 8 template (a launch
 * template on CPU 0, 90%), 9 lx (Linux, CPU 3, 15%). CPUs 1 and 2 are
 * full, and so are the VMs without a pin: 300% in all is accepted. */
TEST(accessors_read_the_cpus_policy)
{
	uint8_t *b = copy(test_blob_cpus, test_blob_cpus_size);
	CHECK_EQ(validate(b, test_blob_cpus_size), 0);

	CHECK_EQ(policy_header(b)->cpus, 0xb);
	static const uint32_t want[] = { BH_POLICY_CPU_ANY, 1, 1, 1, 2, 31, BH_POLICY_CPU_ANY,
	                                 BH_POLICY_CPU_ANY, 0, 3 };
	CHECK_EQ(policy_vm_count(b), sizeof(want) / sizeof(want[0]));
	for (uint32_t i = 0; i < policy_vm_count(b); i++) {
		CHECK_EQ(policy_vm(b, i)->cpu, want[i]);
		CHECK_EQ(policy_vm(b, i)->reserved2, 0);
	}
	CHECK_EQ(policy_vm(b, 1)->cpu_period_us, 0);   /* a pin alone: best effort */
	CHECK_EQ(policy_vm(b, 3)->cpu_budget_us, 4000);
	CHECK_EQ(policy_vm(b, 8)->flags & BH_POLICY_VM_BOOT, 0);
	free(b);

	/* Without 'machine cpus' the header says every CPU, and no VM is
	 * pinned. */
	b = copy(test_blob_full, test_blob_full_size);
	CHECK_EQ(policy_header(b)->cpus, 0);
	for (uint32_t i = 0; i < policy_vm_count(b); i++)
		CHECK_EQ(policy_vm(b, i)->cpu, BH_POLICY_CPU_ANY);
	free(b);
}

/* Any CPU set is one the kernel can use, and a pin may name any CPU index;
 * which of them the machine has is found at boot. */
TEST(every_cpu_set_and_pin_index_is_accepted)
{
	uint32_t masks[] = { 0, 1, 0xfffffffe, 0xffffffff, 1u << 31 };
	uint8_t *b = copy(test_blob_cpus, test_blob_cpus_size);
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		H(b)->cpus = masks[i];
		reseal(b, test_blob_cpus_size);
		CHECK_EQ(validate(b, test_blob_cpus_size), 0);
	}
	for (uint32_t cpu = 0; cpu < BH_POLICY_MAX_CPUS; cpu++) {
		VM(b, 5)->cpu = cpu;   /* last-cpu, best effort: fits any CPU */
		reseal(b, test_blob_cpus_size);
		CHECK_EQ(validate(b, test_blob_cpus_size), 0);
	}
	/* A template's share counts only once it runs: 20% beside the 90% of
	 * the template pinned to CPU 0 is accepted (template_booted below is
	 * the same blob with the template started at boot). */
	VM(b, 5)->cpu = 0;
	VM(b, 5)->cpu_budget_us = 2000;
	VM(b, 5)->cpu_period_us = 10000;
	reseal(b, test_blob_cpus_size);
	CHECK_EQ(validate(b, test_blob_cpus_size), 0);
	free(b);
}

/* ---- Sweeps ---------------------------------------------------------------- */

TEST(every_truncation_is_rejected)
{
	for (size_t n = 0; n < test_blob_full_size; n++) {
		uint8_t *b = copy(test_blob_full, n);
		CHECK_EQ(validate(b, n), -BH_EINVAL);
		free(b);
	}
	CHECK_EQ(validate(NULL, 0), -BH_EINVAL);
}

/* A prefix whose header is made to agree with it (total_size = its length,
 * checksum recomputed) must still fail: the tables no longer fit. */
TEST(every_resealed_truncation_is_rejected)
{
	for (size_t n = sizeof(struct bh_policy_header); n < test_blob_full_size; n++) {
		uint8_t *b = copy(test_blob_full, n);
		H(b)->total_size = (uint32_t)n;
		reseal(b, n);
		CHECK_EQ(validate(b, n), -BH_EINVAL);
		free(b);
	}
}

/* With the CRC-32 every single-bit flip is rejected: a CRC detects every
 * burst error of up to 32 bits, so every 1-bit error. A flip in a field
 * checked before the checksum (magic, version, header_size, total_size)
 * is caught by that field's check; every other flip by the checksum. */
TEST(every_bit_flip_is_rejected)
{
	size_t n = test_blob_full_size;
	uint8_t *b = copy(test_blob_full, n);

	for (size_t bit = 0; bit < 8 * n; bit++) {
		b[bit / 8] ^= (uint8_t)(1u << bit % 8);
		CHECK_EQ(validate(b, n), -BH_EINVAL);
		if (bit / 8 >= offsetof(struct bh_policy_header, checksum))
			CHECK_STR_EQ(why, "checksum mismatch: the blob is corrupt");
		b[bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	CHECK_EQ(validate(b, n), 0);
	free(b);
}

/* Bytes whose every single-bit change the structural checks must catch on
 * their own: the header but for flags, the CPU set and the memory sizes,
 * reserved fields, padding, and the NULs of the string table. */
static bool structural_byte(void *b, size_t off)
{
	struct bh_policy_header *h = H(b);
	if (off == offsetof(struct bh_policy_header, flags))
		return false;   /* holds BH_POLICY_F_DMA_UNPROTECTED, a value */
	if (off >= offsetof(struct bh_policy_header, cpus) &&
	    off < offsetof(struct bh_policy_header, cpus) + 4)
		return false;   /* a CPU set: every value is one */
	if (off < offsetof(struct bh_policy_header, machine_memory) ||
	    (off >= offsetof(struct bh_policy_header, table[0]) && off < sizeof(*h)))
		return true;
	for (int t = 0; t < BH_POLICY_T_COUNT; t++) {
		static const uint32_t rec[BH_POLICY_T_COUNT] = { 48, 32, 32, 4, 24, 8, 40, 16, 1 };
		uint32_t start = h->table[t].offset, end = start + h->table[t].count * rec[t];
		uint32_t next = t + 1 < BH_POLICY_T_COUNT ? h->table[t + 1].offset : h->total_size;
		if (off >= end && off < next)
			return true;                                      /* padding */
		if (off < start || off >= end)
			continue;
		uint32_t in = (uint32_t)(off - start) % rec[t];
		switch (t) {
		case BH_POLICY_T_VMS:
			return in >= offsetof(struct bh_policy_vm, reserved2);
		case BH_POLICY_T_CHANNELS:
			return in >= offsetof(struct bh_policy_channel, reserved);
		case BH_POLICY_T_LAUNCHES:
			return in >= offsetof(struct bh_policy_launch, reserved) &&
			       in < offsetof(struct bh_policy_launch, max_memory);
		case BH_POLICY_T_DEVICES:
			return in >= offsetof(struct bh_policy_device, reserved);
		case BH_POLICY_T_IMAGES:
			return in >= offsetof(struct bh_policy_image, reserved);
		case BH_POLICY_T_LINUX:
			return in >= offsetof(struct bh_policy_linux, reserved) &&
			       in < offsetof(struct bh_policy_linux, monitor_memory);
		case BH_POLICY_T_VIRTIO:
			return in >= offsetof(struct bh_policy_virtio, reserved);
		case BH_POLICY_T_STRINGS:
			return ((uint8_t *)b)[off] == 0;
		}
		return false;
	}
	return false;
}

/*
 * Every single-bit flip with the checksum recomputed, as a corrupted file
 * with a "repaired" CRC (or a hostile one) would be. The checksum no longer
 * helps, so this is the structural checks alone: each flip is rejected, or
 * the blob is still one the kernel can use safely: walk() reads all of it
 * under ASan and finds every promise kept. What such a flip may change is a
 * value (a size, a right, a name's letter, an index to another valid
 * record): which is why the CRC, and the bundle's SHA-256 above it, exist.
 * Flips of structural bytes (structural_byte) must all be rejected.
 */
static void flip_every_bit(const unsigned char *blob, size_t n)
{
	size_t rejected = 0, accepted = 0;
	uint8_t *b = copy(blob, n);

	for (size_t bit = 0; bit < 8 * n; bit++) {
		size_t off = bit / 8;
		if (off >= offsetof(struct bh_policy_header, checksum) &&
		    off < offsetof(struct bh_policy_header, checksum) + 4)
			continue;   /* recomputed: the flip would be undone */
		bool structural = structural_byte(b, off);
		b[off] ^= (uint8_t)(1u << bit % 8);
		reseal(b, n);
		if (validate(b, n) == 0) {
			if (structural)
				check_fail(__FILE__, __LINE__, "flip of bit %zu (byte %zu) accepted", bit % 8, off);
			walk(b);
			accepted++;
		} else {
			rejected++;
		}
		b[off] ^= (uint8_t)(1u << bit % 8);
	}
	reseal(b, n);
	CHECK_EQ(validate(b, n), 0);
	printf("# %zu flips rejected by the structural checks alone; %zu still well-formed "
	       "(a value changed, which only the CRC catches)\n", rejected,
	       accepted);
	CHECK(rejected > accepted);
	free(b);
}

TEST(every_resealed_bit_flip_is_rejected_or_harmless)
{
	flip_every_bit(test_blob_full, test_blob_full_size);
	flip_every_bit(test_blob_linux, test_blob_linux_size);
	flip_every_bit(test_blob_devices, test_blob_devices_size);
	flip_every_bit(test_blob_cpus, test_blob_cpus_size);
}

/* ---- Targeted corruptions, checksum recomputed ---------------------------- */

/* X(name, the start of the expected *why, statement changing blob b) */
#define CORRUPTIONS(X)                                                                        \
	X(magic, "bad magic", H(b)->magic[0] = 'X')                                          \
	X(version, "unsupported policy blob version", H(b)->version = 1)                     \
	X(header_size, "header_size", H(b)->header_size += 8)                                \
	X(header_flags, "the header has unknown flags", H(b)->flags |= 2)                    \
	X(header_flags_high, "the header has unknown flags", H(b)->flags |= 1u << 31)        \
	X(vms_offset, "the VM table is not where", H(b)->table[BH_POLICY_T_VMS].offset += 8) \
	X(channels_offset, "the channel table is not where",                                 \
	  H(b)->table[BH_POLICY_T_CHANNELS].offset -= 8)                                     \
	X(vm_count_plus_one, "the channel table is not where",                               \
	  H(b)->table[BH_POLICY_T_VMS].count++)                                              \
	X(vm_count_over_limit, "more VMs than", H(b)->table[BH_POLICY_T_VMS].count = 65)     \
	X(strings_count_over_limit, "a string table larger",                                 \
	  H(b)->table[BH_POLICY_T_STRINGS].count = 32769)                                    \
	X(strings_count_minus_one, "total_size is not the end of the string table",               \
	  H(b)->table[BH_POLICY_T_STRINGS].count--)                                          \
	X(strings_count_into_padding, "the string table holds an empty string",              \
	  H(b)->table[BH_POLICY_T_STRINGS].count++)                                          \
	X(padding, "padding between tables", ((uint8_t *)b)[H(b)->total_size - 1] = 1)       \
	X(vm_name_past_strings, "a VM name is not", VM(b, 0)->name = NSTR(b))                \
	X(vm_name_far_away, "a VM name is not", VM(b, 0)->name = 0x7fffffff)                 \
	X(vm_name_is_a_file_name, "a VM name is not", VM(b, 0)->name = str_off(b, "cli.elf")) \
	X(name_terminator, "a VM name is not",  /* "control.client": not a name */           \
	  STR(b)[str_off(b, "control") + 7] = '.')                                           \
	X(last_terminator, "the string table does not end", STR(b)[NSTR(b) - 1] = 'x')       \
	X(name_control_char, "a VM name is not", STR(b)[str_off(b, "control")] = '\033')     \
	X(image_name_not_a_file, "an image name is not",                                     \
	  STR(b)[str_off(b, "cli.elf")] = '/')                                               \
	X(image_name_dot, "an image name is not", STR(b)[str_off(b, "cli.elf")] = '.')       \
	X(image_reserved, "an image's reserved field", IMAGE(b, 0)->reserved = 1)            \
	X(images_alike, "two images have the same name", IMAGE(b, 1)->name = IMAGE(b, 0)->name) \
	X(vm_line_zero, "a VM has no source line", VM(b, 2)->line = 0)                      \
	X(vm_kind_zero, "a VM's kind is not a known value", VM(b, 1)->kind = 0)             \
	X(vm_kind_five, "a VM's kind is not a known value", VM(b, 1)->kind = 5)             \
	X(vm_flags, "a VM has unknown flags", VM(b, 1)->flags |= 2)                          \
	X(vm_image_index, "a VM's image index is out of range", VM(b, 1)->image = 6)         \
	X(vm_rights, "a VM has unknown rights", VM(b, 1)->rights |= 1u << 11)                \
	X(vms_alike, "two VMs have the same name", VM(b, 5)->name = VM(b, 4)->name)          \
	X(image_unused, "an image is used by no VM", VM(b, 1)->image = 0)                    \
	X(channel_name, "a channel name is not", CH(b, 0)->name = NSTR(b) + 100)             \
	X(channels_alike, "two channels have the same name", CH(b, 2)->name = CH(b, 0)->name) \
	X(channel_line, "a channel has no source line", CH(b, 1)->line = 0)                  \
	X(channel_end_range, "a channel end is not a VM index", CH(b, 0)->end[1] = 7)        \
	X(channel_end_huge, "a channel end is not a VM index", CH(b, 0)->end[0] = UINT32_MAX) \
	X(channel_loop, "a channel joins a VM to itself", CH(b, 0)->end[1] = CH(b, 0)->end[0]) \
	X(channel_flags, "a channel has unknown flags", CH(b, 0)->flags |= 16)               \
	X(channel_no_direction, "a channel has no direction", CH(b, 0)->flags = BH_POLICY_CH_EVENT_01) \
	X(channel_reserved, "a channel's reserved field", CH(b, 0)->reserved = 1)            \
	X(launcher_range, "a launch rule's launcher is not a VM index", LAUNCH(b, 0)->vm = 7) \
	X(launch_line, "a launch rule has no source line", LAUNCH(b, 0)->line = 0)          \
	X(launch_first_target, "a launch rule's target list", LAUNCH(b, 0)->first_target = 1) \
	X(launch_no_targets, "a launch rule's target list", LAUNCH(b, 0)->target_count = 0)  \
	X(launch_too_many_targets, "a launch rule's target list", LAUNCH(b, 0)->target_count = 4) \
	X(launch_fewer_targets, "the launch target table has entries no rule uses",          \
	  LAUNCH(b, 0)->target_count = 2)                                                    \
	X(launch_reserved, "a launch rule's reserved field", LAUNCH(b, 0)->reserved = 1)     \
	X(target_range, "a launch target is not a VM index", *TARGET(b, 2) = 7)              \
	X(target_twice, "a launch rule names a VM twice", *TARGET(b, 1) = *TARGET(b, 0))     \
	X(kind_linux_without_record, "the Linux table does not have one record per Linux VM",     \
	  VM(b, 4)->kind = BH_POLICY_VM_LINUX)                                                \
	X(vm_kind_four, "a VM's kind is not a known value", VM(b, 4)->kind = 4) /* was driver */ \
	X(two_controls, "more than one control VM", VM(b, 1)->kind = BH_POLICY_VM_CONTROL)  \
	X(native_control_right, "a VM that is not the control VM holds a control right",     \
	  VM(b, 4)->rights |= BH_POLICY_RIGHT_LOG)                                           \
	X(vm_memory_odd, "a VM's memory is not", VM(b, 1)->memory += 4096)                  \
	X(vm_memory_zero, "a VM's memory is not", VM(b, 1)->memory = 0)                     \
	X(vm_memory_huge, "a VM's memory is not", VM(b, 1)->memory = 2ull << 30)            \
	X(cpu_budget_over_period, "a VM's CPU budget", VM(b, 1)->cpu_budget_us = 10001)     \
	X(cpu_budget_no_period, "a VM's CPU budget", VM(b, 1)->cpu_period_us = 0)           \
	X(cpu_period_long, "a VM's CPU budget", VM(b, 1)->cpu_period_us = 2000000)          \
	X(cpu_total, "the boot VMs without a CPU pin have CPU shares adding up to more than 100%", \
	  VM(b, 1)->cpu_budget_us = 10000)                                                   \
	X(vm_cpu_past_limit, "a VM's CPU pin is neither", VM(b, 1)->cpu = BH_POLICY_MAX_CPUS) \
	X(vm_cpu_below_any, "a VM's CPU pin is neither", VM(b, 1)->cpu = BH_POLICY_CPU_ANY - 1) \
	X(vm_reserved2, "a VM's reserved2 field is not zero", VM(b, 1)->reserved2 = 1)     \
	X(vm_reserved2_high, "a VM's reserved2 field is not zero", VM(b, 6)->reserved2 = 1u << 31) \
	X(channel_size_odd, "a channel's size is not", CH(b, 0)->size = 5000)                \
	X(channel_size_huge, "a channel's size is not", CH(b, 0)->size = 32ull << 20)        \
	X(channel_right, "a channel end lacks the channel right",                            \
	  VM(b, 3)->rights &= ~BH_POLICY_RIGHT_CHANNEL)                                      \
	X(machine_zero, "machine memory is not", H(b)->machine_memory = 0)                   \
	X(machine_odd, "machine memory is not", H(b)->machine_memory += 4096)               \
	X(pool_over_machine, "the run-time pool is not", H(b)->pool_memory = 512ull << 20)  \
	X(totals, "boot VMs, channels and pool need more than machine memory",               \
	  H(b)->machine_memory = 64ull << 20)                                                \
	X(launcher_native, "a launcher is not a control VM", LAUNCH(b, 0)->vm = 1)          \
	X(launcher_no_right, "a launcher is not a control VM",                               \
	  VM(b, 0)->rights &= ~BH_POLICY_RIGHT_LAUNCH)                                       \
	X(max_vms_zero, "a launch rule's max-vms", LAUNCH(b, 0)->max_vms = 0)               \
	X(max_vms_big, "a launch rule's max-vms",                                            \
	  LAUNCH(b, 0)->max_vms = BH_POLICY_MAX_RUNTIME_VMS + 1)                             \
	X(max_memory_over_pool, "a launch rule's max-memory", LAUNCH(b, 0)->max_memory = 128ull << 20) \
	X(max_memory_odd, "a launch rule's max-memory", LAUNCH(b, 0)->max_memory += 4096)    \
	X(target_not_native, "a launch target is not a native or Linux VM", *TARGET(b, 0) = 0)       \
	X(target_too_big, "a launch target needs more memory", LAUNCH(b, 0)->max_memory = 4ull << 20)

/* The same for the Linux blob (golden/linux.policy): VM 0 control, 1 linux
 * and 2 peer (both Linux); channels 0 linux-console (linux, control) and 1
 * link (linux, peer); virtio 0 console on 0 and 1 net on 1 (VM 1), 2 net
 * on 1 (VM 2); images cli.elf, vmlinux, initramfs.cpio.gz, vmm.elf. */
#define LINUX_CORRUPTIONS(X)                                                                  \
	X(linux_for_native, "a Linux record is not for a Linux VM", LX(b, 0)->vm = 0)          \
	X(linux_out_of_order, "a Linux record is not for a Linux VM",                          \
	  (LX(b, 0)->vm = 2, LX(b, 1)->vm = 1))                                                \
	X(linux_vm_range, "a Linux record is not for a Linux VM", LX(b, 1)->vm = 3)            \
	X(linux_missing, "the Linux table does not have one record per Linux VM",             \
	  VM(b, 0)->kind = BH_POLICY_VM_LINUX)                                                \
	X(linux_line, "a Linux record has no source line", LX(b, 1)->line = 0)                \
	X(linux_initramfs, "a Linux record's image index", LX(b, 0)->initramfs = 4)           \
	X(linux_monitor_image, "a Linux record's image index", LX(b, 1)->monitor_image = 99)  \
	X(cmdline_past_strings, "a Linux command line", LX(b, 0)->cmdline = NSTR(b))          \
	X(cmdline_escape, "a Linux command line", STR(b)[str_off(b, "console=hvc0 quiet")] = '\033') \
	X(cmdline_quote, "a Linux command line", STR(b)[str_off(b, "console=hvc0 quiet")] = '"') \
	X(virtio_first, "a Linux VM's virtio list", LX(b, 1)->first_virtio = 1)               \
	X(virtio_count_over, "a Linux VM's virtio list", LX(b, 1)->virtio_count = 2)          \
	X(virtio_count_limit, "a Linux VM's virtio list", LX(b, 0)->virtio_count = 17)        \
	X(virtio_unused, "the virtio table has entries no Linux VM uses", LX(b, 1)->virtio_count = 0) \
	X(linux_reserved, "a Linux record's reserved field", LX(b, 0)->reserved = 1)          \
	X(virtio_line, "a virtio device has no source line", VIRTIO(b, 2)->line = 0)          \
	X(virtio_kind_zero, "a virtio device's kind", VIRTIO(b, 0)->kind = 0)                 \
	X(virtio_kind_three, "a virtio device's kind", VIRTIO(b, 0)->kind = 3)                \
	X(virtio_channel_range, "a virtio device's channel is not", VIRTIO(b, 1)->channel = 2) \
	X(virtio_channel_elsewhere, "a virtio device's channel does not end at its Linux VM", \
	  VIRTIO(b, 2)->channel = 0)                                                          \
	X(virtio_twice, "a channel backs two virtio devices", VIRTIO(b, 1)->channel = 0)      \
	X(virtio_reserved, "a virtio device's reserved field", VIRTIO(b, 1)->reserved = 1)    \
	X(linux_rights, "a Linux VM holds rights", VM(b, 1)->rights = BH_POLICY_RIGHT_CONSOLE) \
	X(monitor_memory_odd, "a monitor's memory is not", LX(b, 0)->monitor_memory += 4096)  \
	X(monitor_memory_zero, "a monitor's memory is not", LX(b, 1)->monitor_memory = 0)     \
	X(linux_end_unbacked, "a channel end lacks the channel right (native) or a virtio",   \
	  CH(b, 0)->end[1] = 2)                                                               \
	X(native_end_no_right, "a channel end lacks the channel right",                      \
	  VM(b, 0)->rights &= ~BH_POLICY_RIGHT_CHANNEL)                                       \
	/* 272M pool + 4M control + 128M guest + 272K of channels fit 406M; the \
	 * 4M monitor does not. */                                                            \
	X(totals_with_monitor, "boot VMs, channels and pool need more than machine memory",   \
	  (VM(b, 1)->flags = BH_POLICY_VM_BOOT, H(b)->machine_memory = 406ull << 20))          \
	X(quota_with_monitor, "a launch target needs more memory",                            \
	  LAUNCH(b, 0)->max_memory = 130ull << 20)

/* The same for the devices blob (golden/devices.policy, described above
 * accessors_read_the_devices_policy). */
#define DEVICE_CORRUPTIONS(X)                                                                 \
	X(device_name, "a device name is not", DEV(b, 0)->name = str_off(b, "cli.elf"))        \
	X(device_name_past_strings, "a device name is not", DEV(b, 1)->name = NSTR(b))         \
	X(device_line, "a device has no source line", DEV(b, 2)->line = 0)                     \
	X(device_kind_zero, "a device's kind is not a known value", DEV(b, 0)->kind = 0)        \
	X(device_kind_two, "a device's kind is not a known value", DEV(b, 0)->kind = 2)         \
	X(device_vm_range, "a device's grantee is not a VM index", DEV(b, 0)->vm = 4)           \
	X(device_reserved, "a device's reserved field is not zero", DEV(b, 3)->reserved = 1)    \
	X(devices_alike, "two devices have the same name", DEV(b, 2)->name = DEV(b, 1)->name)   \
	X(device_twice, "a device is granted twice", DEV(b, 5)->address = DEV(b, 0)->address)   \
	X(device_to_control, "a device is granted to a VM that is not native or Linux",         \
	  DEV(b, 5)->vm = 0)                                                                   \
	X(device_fifth, "a VM is granted more devices than BH_POLICY_MAX_VM_DEVICES",           \
	  DEV(b, 5)->vm = 2)

/* The same for the CPU blob (golden/cpus.policy, described above
 * accessors_read_the_cpus_policy). */
#define CPU_CORRUPTIONS(X)                                                                    \
	X(pinned_cpu_over, "the boot VMs pinned to one CPU have CPU shares adding up to more",   \
	  VM(b, 1)->cpu_budget_us = VM(b, 1)->cpu_period_us = 100000)                           \
	X(pinned_moved_to_full_cpu, "the boot VMs pinned to one CPU have CPU shares",             \
	  VM(b, 9)->cpu = 2)                                                                   \
	X(pinned_unpinned, "the boot VMs without a CPU pin have CPU shares adding up to more",    \
	  VM(b, 4)->cpu = BH_POLICY_CPU_ANY)                                                   \
	X(unpinned_pinned_to_full_cpu, "the boot VMs pinned to one CPU have CPU shares",          \
	  VM(b, 0)->cpu = 1)                                                                   \
	/* 90% and 20% on CPU 0 once the template starts at boot. */                          \
	X(template_booted, "the boot VMs pinned to one CPU have CPU shares",                     \
	  (VM(b, 8)->flags = BH_POLICY_VM_BOOT, VM(b, 5)->cpu = 0,                             \
	   VM(b, 5)->cpu_budget_us = 2000, VM(b, 5)->cpu_period_us = 10000))                   \
	X(pin_past_limit, "a VM's CPU pin is neither", VM(b, 5)->cpu = 32)                     \
	X(pin_huge, "a VM's CPU pin is neither", VM(b, 5)->cpu = 0x80000000u)                  \
	X(pinned_reserved2, "a VM's reserved2 field is not zero", VM(b, 2)->reserved2 = 1)

#define DEFINE(name, expect, stmt) static void corrupt_##name(uint8_t *b) { stmt; }
CORRUPTIONS(DEFINE)
LINUX_CORRUPTIONS(DEFINE)
DEVICE_CORRUPTIONS(DEFINE)
CPU_CORRUPTIONS(DEFINE)
#define ENTRY(name, expect, stmt) { #name, expect, corrupt_##name },
struct corruption {
	const char *name, *expect;
	void (*fn)(uint8_t *b);
};
static const struct corruption corruptions[] = { CORRUPTIONS(ENTRY) };
static const struct corruption linux_corruptions[] = { LINUX_CORRUPTIONS(ENTRY) };
static const struct corruption device_corruptions[] = { DEVICE_CORRUPTIONS(ENTRY) };
static const struct corruption cpu_corruptions[] = { CPU_CORRUPTIONS(ENTRY) };

static void corrupt_each(const struct corruption *c, size_t count, const unsigned char *blob,
                         size_t n)
{
	for (size_t i = 0; i < count; i++) {
		uint8_t *b = copy(blob, n);
		c[i].fn(b);
		reseal(b, n);
		int rc = validate(b, n);
		if (rc != -BH_EINVAL || !why || strncmp(why, c[i].expect, strlen(c[i].expect)))
			check_fail(__FILE__, __LINE__, "corruption %s: got %d \"%s\", want \"%s...\"",
			           c[i].name, rc, why ? why : "(none)", c[i].expect);
		free(b);
	}
}

TEST(each_targeted_corruption_is_caught_by_its_own_check)
{
	corrupt_each(corruptions, sizeof(corruptions) / sizeof(corruptions[0]), test_blob_full,
	             test_blob_full_size);
	corrupt_each(linux_corruptions, sizeof(linux_corruptions) / sizeof(linux_corruptions[0]),
	             test_blob_linux, test_blob_linux_size);
	corrupt_each(device_corruptions, sizeof(device_corruptions) / sizeof(device_corruptions[0]),
	             test_blob_devices, test_blob_devices_size);
	corrupt_each(cpu_corruptions, sizeof(cpu_corruptions) / sizeof(cpu_corruptions[0]),
	             test_blob_cpus, test_blob_cpus_size);
}

TEST(header_checks_come_before_the_checksum)
{
	size_t n = test_blob_full_size;
	uint8_t *b = copy(test_blob_full, n);

	H(b)->total_size += 8;
	CHECK_EQ(validate(b, n), -BH_EINVAL);
	CHECK_STR_EQ(why, "the blob's size differs from the total_size in its header");
	H(b)->total_size -= 8;
	H(b)->checksum ^= 1;
	CHECK_EQ(validate(b, n), -BH_EINVAL);
	CHECK_STR_EQ(why, "checksum mismatch: the blob is corrupt");
	free(b);

	/* A blob the kernel finds at an odd address is refused, not misread. */
	uint8_t *raw = malloc(n + 4);
	memcpy(raw + 4, test_blob_full, n);
	CHECK_EQ(validate(raw + 4, n), -BH_EINVAL);
	CHECK_STR_EQ(why, "the blob is not 8-byte aligned in memory");
	free(raw);

	/* Larger than any valid blob: refused before the CRC is summed. */
	uint8_t *big = calloc(1, BH_POLICY_MAX_SIZE + 8);
	memcpy(big, test_blob_full, n);
	H(big)->total_size = BH_POLICY_MAX_SIZE + 8;
	CHECK_EQ(validate(big, BH_POLICY_MAX_SIZE + 8), -BH_EINVAL);
	CHECK_STR_EQ(why, "the blob is larger than BH_POLICY_MAX_SIZE");
	free(big);
}

/* Blob version 3: a launch rule may allow BH_POLICY_MAX_RUNTIME_VMS (1024)
 * VMs, far more than the 16 the kernel's old VM table held. */
TEST(a_launch_rule_may_allow_the_most_vms)
{
	uint8_t *b = copy(test_blob_full, test_blob_full_size);
	CHECK(BH_POLICY_MAX_RUNTIME_VMS >= 256);
	LAUNCH(b, 0)->max_vms = BH_POLICY_MAX_RUNTIME_VMS;
	reseal(b, test_blob_full_size);
	CHECK_EQ(validate(b, test_blob_full_size), 0);
	CHECK_EQ(policy_launch_for(b, 0)->max_vms, BH_POLICY_MAX_RUNTIME_VMS);
	free(b);
}
