/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of, and look-ups in, the compiled policy blob
 * (docs/policy-blob.md). Checks run in the order blob.h lists, so *why names
 * the first problem; nothing outside the blob is read before the bounds
 * that cover it are proved.
 */
#include "policy/blob.h"

#include <bulkhead/errno.h>

#include "lib/names.h"
#include "lib/string.h"

/* Record size and most records of each table, in enum bh_policy_table_id
 * order (the string table counts bytes). */
static const uint32_t rec_size[BH_POLICY_T_COUNT] = {
	sizeof(struct bh_policy_vm), sizeof(struct bh_policy_channel),
	sizeof(struct bh_policy_launch), sizeof(uint32_t),
	sizeof(struct bh_policy_device), sizeof(struct bh_policy_image),
	sizeof(struct bh_policy_linux), sizeof(struct bh_policy_virtio), 1,
};
static const uint32_t max_count[BH_POLICY_T_COUNT] = {
	BH_POLICY_MAX_VMS, BH_POLICY_MAX_CHANNELS, BH_POLICY_MAX_LAUNCHES,
	BH_POLICY_MAX_TARGETS, BH_POLICY_MAX_DEVICES, BH_POLICY_MAX_IMAGES,
	BH_POLICY_MAX_VMS, BH_POLICY_MAX_VIRTIO, BH_POLICY_MAX_STRINGS,
};
static const char *const why_place[BH_POLICY_T_COUNT] = {
	"the VM table is not where the layout puts it",
	"the channel table is not where the layout puts it",
	"the launch table is not where the layout puts it",
	"the launch target table is not where the layout puts it",
	"the device table is not where the layout puts it",
	"the image table is not where the layout puts it",
	"the Linux table is not where the layout puts it",
	"the virtio table is not where the layout puts it",
	"the string table is not where the layout puts it",
};
static const char *const why_count[BH_POLICY_T_COUNT] = {
	"more VMs than BH_POLICY_MAX_VMS",
	"more channels than BH_POLICY_MAX_CHANNELS",
	"more launch rules than BH_POLICY_MAX_LAUNCHES",
	"more launch targets than BH_POLICY_MAX_TARGETS",
	"more devices than BH_POLICY_MAX_DEVICES",
	"more images than BH_POLICY_MAX_IMAGES",
	"more Linux records than BH_POLICY_MAX_VMS",
	"more virtio devices than BH_POLICY_MAX_VIRTIO",
	"a string table larger than BH_POLICY_MAX_STRINGS",
};

#define CHECKSUM_AT offsetof(struct bh_policy_header, checksum)

static const uint8_t *base(const void *blob) { return blob; }
static const struct bh_policy_header *hdr(const void *blob) { return blob; }

static const void *table(const void *blob, enum bh_policy_table_id t)
{
	return base(blob) + hdr(blob)->table[t].offset;
}

static uint32_t count(const void *blob, enum bh_policy_table_id t)
{
	return hdr(blob)->table[t].count;
}

static uint32_t align8(uint32_t n) { return (n + BH_POLICY_ALIGN - 1) & ~(BH_POLICY_ALIGN - 1); }

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -BH_EINVAL;
}

/* CRC-32, IEEE 802.3 (reflected polynomial 0xedb88320), bit by bit: the
 * blob is read once at boot, so a table is not worth its 1 KiB. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return crc;
}

uint32_t policy_blob_checksum(const void *blob, size_t size)
{
	static const uint8_t zero[4];
	uint32_t crc = ~0u;

	crc = crc32_update(crc, base(blob), CHECKSUM_AT);
	crc = crc32_update(crc, zero, sizeof(zero));
	crc = crc32_update(crc, base(blob) + CHECKSUM_AT + 4, size - CHECKSUM_AT - 4);
	return ~crc;
}

/* ---- 1, 2: header and layout ------------------------------------------- */

static int check_header(const void *blob, size_t size, const char **why)
{
	const struct bh_policy_header *h = hdr(blob);

	if (!blob || size < sizeof(*h))
		return fail(why, "the blob is shorter than its header");
	if ((uintptr_t)blob % BH_POLICY_ALIGN)
		return fail(why, "the blob is not 8-byte aligned in memory");
	if (memcmp(h->magic, BH_POLICY_MAGIC, BH_POLICY_MAGIC_SIZE))
		return fail(why, "bad magic: not a policy blob");
	if (h->version != BH_POLICY_VERSION)
		return fail(why, "unsupported policy blob version (this kernel reads version 5)");
	if (h->header_size != sizeof(*h))
		return fail(why, "header_size is not that of a version 5 header");
	if (h->total_size != size)
		return fail(why, "the blob's size differs from the total_size in its header");
	if (size > BH_POLICY_MAX_SIZE)
		return fail(why, "the blob is larger than BH_POLICY_MAX_SIZE");
	if (h->checksum != policy_blob_checksum(blob, size))
		return fail(why, "checksum mismatch: the blob is corrupt");
	if (h->flags & ~BH_POLICY_FLAGS)
		return fail(why, "the header has unknown flags");
	/* cpus needs no check: each of its 32 bits is a CPU index below
	 * BH_POLICY_MAX_CPUS, and 0 means every CPU. */
	return 0;
}

static int check_layout(const void *blob, const char **why)
{
	const struct bh_policy_header *h = hdr(blob);
	uint32_t at = align8(sizeof(*h)), end[BH_POLICY_T_COUNT];

	/* Counts are bounded before they are multiplied: no overflow. */
	for (int t = 0; t < BH_POLICY_T_COUNT; t++) {
		if (h->table[t].offset != at)
			return fail(why, why_place[t]);
		if (h->table[t].count > max_count[t])
			return fail(why, why_count[t]);
		end[t] = at + h->table[t].count * rec_size[t];
		at = align8(end[t]);
	}
	if (at != h->total_size)
		return fail(why, "total_size is not the end of the string table");
	for (int t = 0; t < BH_POLICY_T_COUNT; t++)
		for (uint32_t i = end[t]; i < align8(end[t]); i++)
			if (base(blob)[i])
				return fail(why, "padding between tables is not zero");
	/* Strings back to back, each non-empty and NUL-terminated: nothing
	 * in the table but names. */
	const char *str = table(blob, BH_POLICY_T_STRINGS);
	uint32_t nstr = count(blob, BH_POLICY_T_STRINGS);
	if (nstr && str[nstr - 1])
		return fail(why, "the string table does not end with a NUL");
	for (uint32_t i = 0; i < nstr; i++)
		if (!str[i] && (i == 0 || !str[i - 1]))
			return fail(why, "the string table holds an empty string");
	return 0;
}

/* ---- 3: records --------------------------------------------------------- */

/* The string at off lies in the string table, ends with a NUL there, and is
 * 1..max-1 characters of a VM name (or, with file, of a bundle file name).
 * Names end up in the kernel log: nothing else may reach the console. */
static bool name_ok(const void *blob, uint32_t off, bool file)
{
	uint32_t n = count(blob, BH_POLICY_T_STRINGS);
	if (off >= n)
		return false;
	const char *s = (const char *)table(blob, BH_POLICY_T_STRINGS) + off;
	if (strnlen(s, n - off) == n - off)
		return false;   /* runs off the string table */
	return file ? bh_file_name_valid(s) : bh_name_valid(s);
}

static bool same_name(const void *blob, uint32_t a, uint32_t b)
{
	return strcmp(policy_string(blob, a), policy_string(blob, b)) == 0;
}

static int check_images(const void *blob, const char **why)
{
	const struct bh_policy_image *im = table(blob, BH_POLICY_T_IMAGES);
	uint32_t n = count(blob, BH_POLICY_T_IMAGES);

	for (uint32_t i = 0; i < n; i++) {
		if (!name_ok(blob, im[i].name, true))
			return fail(why, "an image name is not a valid bundle file name");
		if (im[i].reserved)
			return fail(why, "an image's reserved field is not zero");
		for (uint32_t j = 0; j < i; j++)
			if (same_name(blob, im[i].name, im[j].name))
				return fail(why, "two images have the same name");
	}
	return 0;
}

static int check_vms(const void *blob, const char **why)
{
	const struct bh_policy_vm *vm = table(blob, BH_POLICY_T_VMS);
	uint32_t n = count(blob, BH_POLICY_T_VMS);
	uint64_t used = 0;   /* images some VM uses (at most 64) */

	for (uint32_t i = 0; i < n; i++) {
		if (!name_ok(blob, vm[i].name, false))
			return fail(why, "a VM name is not 1..31 of [a-z0-9_-]");
		if (!vm[i].line)
			return fail(why, "a VM has no source line");
		if (vm[i].kind < BH_POLICY_VM_NATIVE || vm[i].kind > BH_POLICY_VM_KIND_LAST)
			return fail(why, "a VM's kind is not a known value");
		if (vm[i].flags & ~BH_POLICY_VM_FLAGS)
			return fail(why, "a VM has unknown flags");
		if (vm[i].image >= count(blob, BH_POLICY_T_IMAGES))
			return fail(why, "a VM's image index is out of range");
		if (vm[i].rights & ~BH_POLICY_RIGHTS_ALL)
			return fail(why, "a VM has unknown rights");
		if (vm[i].cpu != BH_POLICY_CPU_ANY && vm[i].cpu >= BH_POLICY_MAX_CPUS)
			return fail(why, "a VM's CPU pin is neither below BH_POLICY_MAX_CPUS nor "
			            "BH_POLICY_CPU_ANY");
		if (vm[i].reserved2)
			return fail(why, "a VM's reserved2 field is not zero");
		for (uint32_t j = 0; j < i; j++)
			if (same_name(blob, vm[i].name, vm[j].name))
				return fail(why, "two VMs have the same name");
		used |= 1ull << vm[i].image;
	}
	/* check_linux ran first: its image indices are in range. */
	const struct bh_policy_linux *lx = table(blob, BH_POLICY_T_LINUX);
	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_LINUX); i++)
		used |= 1ull << lx[i].initramfs | 1ull << lx[i].monitor_image;
	uint32_t nimages = count(blob, BH_POLICY_T_IMAGES);
	if (used != (nimages == 64 ? ~0ull : (1ull << nimages) - 1))
		return fail(why, "an image is used by no VM");
	return 0;
}

static int check_channels(const void *blob, const char **why)
{
	const struct bh_policy_channel *ch = table(blob, BH_POLICY_T_CHANNELS);
	uint32_t n = count(blob, BH_POLICY_T_CHANNELS), nvms = count(blob, BH_POLICY_T_VMS);

	for (uint32_t i = 0; i < n; i++) {
		if (!name_ok(blob, ch[i].name, false))
			return fail(why, "a channel name is not 1..31 of [a-z0-9_-]");
		if (!ch[i].line)
			return fail(why, "a channel has no source line");
		if (ch[i].end[0] >= nvms || ch[i].end[1] >= nvms)
			return fail(why, "a channel end is not a VM index");
		if (ch[i].end[0] == ch[i].end[1])
			return fail(why, "a channel joins a VM to itself");
		if (ch[i].flags & ~BH_POLICY_CH_FLAGS)
			return fail(why, "a channel has unknown flags");
		if (!(ch[i].flags & BH_POLICY_CH_WRITE))
			return fail(why, "a channel has no direction: neither end may write");
		if (ch[i].reserved)
			return fail(why, "a channel's reserved field is not zero");
		for (uint32_t j = 0; j < i; j++)
			if (same_name(blob, ch[i].name, ch[j].name))
				return fail(why, "two channels have the same name");
	}
	return 0;
}

/* A command line: in the string table, NUL-terminated there, at most
 * BH_POLICY_CMDLINE_MAX - 1 printable characters but '"'. It reaches the
 * kernel log and the guest, never a terminal control sequence. */
static bool cmdline_ok(const void *blob, uint32_t off)
{
	uint32_t n = count(blob, BH_POLICY_T_STRINGS);
	if (off == BH_POLICY_NO_STRING)
		return true;
	if (off >= n)
		return false;
	const char *s = (const char *)table(blob, BH_POLICY_T_STRINGS) + off;
	size_t len = strnlen(s, n - off);
	if (len == n - off || len >= BH_POLICY_CMDLINE_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"')
			return false;
	return true;
}

/* Runs before check_vms, which counts the images these records use. */
static int check_linux(const void *blob, const char **why)
{
	const struct bh_policy_linux *lx = table(blob, BH_POLICY_T_LINUX);
	const struct bh_policy_vm *vm = table(blob, BH_POLICY_T_VMS);
	uint32_t n = count(blob, BH_POLICY_T_LINUX), nvms = count(blob, BH_POLICY_T_VMS);
	uint32_t nimages = count(blob, BH_POLICY_T_IMAGES), nvirtio = count(blob, BH_POLICY_T_VIRTIO);
	uint32_t next = 0, linux_vms = 0;

	for (uint32_t i = 0; i < nvms; i++)
		linux_vms += vm[i].kind == BH_POLICY_VM_LINUX;
	if (linux_vms != n)
		return fail(why, "the Linux table does not have one record per Linux VM");
	for (uint32_t i = 0; i < n; i++) {
		/* In VM order, so each Linux VM has exactly one record. */
		if (lx[i].vm >= nvms || (i && lx[i].vm <= lx[i - 1].vm) ||
		    vm[lx[i].vm].kind != BH_POLICY_VM_LINUX)
			return fail(why, "a Linux record is not for a Linux VM, in VM order");
		if (!lx[i].line)
			return fail(why, "a Linux record has no source line");
		if (lx[i].initramfs >= nimages || lx[i].monitor_image >= nimages)
			return fail(why, "a Linux record's image index is out of range");
		if (!cmdline_ok(blob, lx[i].cmdline))
			return fail(why, "a Linux command line is not up to 255 printable characters");
		if (lx[i].first_virtio != next || lx[i].virtio_count > BH_POLICY_MAX_VM_VIRTIO ||
		    lx[i].virtio_count > nvirtio - next)
			return fail(why, "a Linux VM's virtio list is not where the layout puts it");
		if (lx[i].reserved)
			return fail(why, "a Linux record's reserved field is not zero");
		next += lx[i].virtio_count;
	}
	if (next != nvirtio)
		return fail(why, "the virtio table has entries no Linux VM uses");
	return 0;
}

/* After check_channels and check_linux. */
static int check_virtio(const void *blob, const char **why)
{
	const struct bh_policy_linux *lx = table(blob, BH_POLICY_T_LINUX);
	const struct bh_policy_virtio *v = table(blob, BH_POLICY_T_VIRTIO);
	uint32_t nch = count(blob, BH_POLICY_T_CHANNELS);

	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_LINUX); i++) {
		uint32_t first = lx[i].first_virtio, end = first + lx[i].virtio_count;
		for (uint32_t k = first; k < end; k++) {
			if (!v[k].line)
				return fail(why, "a virtio device has no source line");
			if (v[k].kind < BH_POLICY_VIRTIO_CONSOLE || v[k].kind > BH_POLICY_VIRTIO_KIND_LAST)
				return fail(why, "a virtio device's kind is not a known value");
			if (v[k].channel >= nch)
				return fail(why, "a virtio device's channel is not a channel index");
			const struct bh_policy_channel *ch = policy_channel(blob, v[k].channel);
			if (ch->end[0] != lx[i].vm && ch->end[1] != lx[i].vm)
				return fail(why, "a virtio device's channel does not end at its Linux VM");
			if (v[k].reserved)
				return fail(why, "a virtio device's reserved field is not zero");
			for (uint32_t m = first; m < k; m++)
				if (v[m].channel == v[k].channel)
					return fail(why, "a channel backs two virtio devices of one Linux VM");
		}
	}
	return 0;
}

static int check_launches(const void *blob, const char **why)
{
	const struct bh_policy_launch *r = table(blob, BH_POLICY_T_LAUNCHES);
	const uint32_t *target = table(blob, BH_POLICY_T_TARGETS);
	uint32_t n = count(blob, BH_POLICY_T_LAUNCHES), nvms = count(blob, BH_POLICY_T_VMS);
	uint32_t ntargets = count(blob, BH_POLICY_T_TARGETS), next = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (r[i].vm >= nvms)
			return fail(why, "a launch rule's launcher is not a VM index");
		if (!r[i].line)
			return fail(why, "a launch rule has no source line");
		/* Each rule's list follows the one before: lists never overlap. */
		if (r[i].first_target != next || r[i].target_count == 0 ||
		    r[i].target_count > ntargets - next)
			return fail(why, "a launch rule's target list is not where the layout puts it");
		if (r[i].reserved)
			return fail(why, "a launch rule's reserved field is not zero");
		for (uint32_t j = 0; j < i; j++)
			if (r[j].vm == r[i].vm)
				return fail(why, "a VM has two launch rules");
		for (uint32_t k = next; k < next + r[i].target_count; k++) {
			if (target[k] >= nvms)
				return fail(why, "a launch target is not a VM index");
			for (uint32_t m = next; m < k; m++)
				if (target[m] == target[k])
					return fail(why, "a launch rule names a VM twice");
		}
		next += r[i].target_count;
	}
	if (next != ntargets)
		return fail(why, "the launch target table has entries no rule uses");
	return 0;
}

static int check_devices(const void *blob, const char **why)
{
	const struct bh_policy_device *d = table(blob, BH_POLICY_T_DEVICES);
	uint32_t n = count(blob, BH_POLICY_T_DEVICES), nvms = count(blob, BH_POLICY_T_VMS);

	for (uint32_t i = 0; i < n; i++) {
		if (!name_ok(blob, d[i].name, false))
			return fail(why, "a device name is not 1..31 of [a-z0-9_-]");
		if (!d[i].line)
			return fail(why, "a device has no source line");
		if (d[i].kind < BH_POLICY_DEVICE_PCI || d[i].kind > BH_POLICY_DEVICE_KIND_LAST)
			return fail(why, "a device's kind is not a known value");
		if (d[i].vm >= nvms)
			return fail(why, "a device's grantee is not a VM index");
		/* address needs no range check: segment (16 bits), bus (8),
		 * device (5) and function (3) fill its 32 bits, so every value
		 * names one PCI function. */
		if (d[i].reserved)
			return fail(why, "a device's reserved field is not zero");
		for (uint32_t j = 0; j < i; j++) {
			if (same_name(blob, d[i].name, d[j].name))
				return fail(why, "two devices have the same name");
			if (d[i].kind == d[j].kind && d[i].address == d[j].address)
				return fail(why, "a device is granted twice");
		}
	}
	return 0;
}

/* ---- 4: what the kernel relies on --------------------------------------- */

static bool aligned(uint64_t v, uint64_t a) { return (v & (a - 1)) == 0; }

/* The boot VMs' CPU shares in millionths, rounded up: a pinned VM's count
 * on its CPU, and those of the VMs without a pin together, since the
 * kernel places each of them on one CPU of the header's cpus. Each sum at
 * most 100%. No overflow: 32 boot VMs of at most 1000000 each. */
static int check_cpu_totals(const void *blob, const char **why)
{
	const struct bh_policy_vm *vm = table(blob, BH_POLICY_T_VMS);
	uint64_t pinned[BH_POLICY_MAX_CPUS] = { 0 }, unpinned = 0;

	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_VMS); i++) {
		uint32_t b = vm[i].cpu_budget_us, p = vm[i].cpu_period_us;
		if (!(vm[i].flags & BH_POLICY_VM_BOOT) || !p)
			continue;
		uint64_t ppm = ((uint64_t)b * 1000000 + p - 1) / p;
		if (vm[i].cpu == BH_POLICY_CPU_ANY)
			unpinned += ppm;
		else if ((pinned[vm[i].cpu] += ppm) > 1000000)
			return fail(why, "the boot VMs pinned to one CPU have CPU shares adding up to "
			            "more than 100%");
	}
	if (unpinned > 1000000)
		return fail(why, "the boot VMs without a CPU pin have CPU shares adding up to more "
		            "than 100%");
	return 0;
}

static int check_vm_rules(const void *blob, const char **why)
{
	const struct bh_policy_vm *vm = table(blob, BH_POLICY_T_VMS);
	uint32_t n = count(blob, BH_POLICY_T_VMS), controls = 0, boots = 0;

	for (uint32_t i = 0; i < n; i++) {
		/* A Linux guest makes no hypercalls; its monitor's rights are
		 * fixed by its bh_policy_linux record. */
		if (vm[i].kind == BH_POLICY_VM_LINUX && vm[i].rights)
			return fail(why, "a Linux VM holds rights");
		if (vm[i].kind == BH_POLICY_VM_CONTROL && ++controls > 1)
			return fail(why, "more than one control VM");
		if (vm[i].kind != BH_POLICY_VM_CONTROL && (vm[i].rights & BH_POLICY_RIGHTS_CONTROL))
			return fail(why, "a VM that is not the control VM holds a control right");
		if (vm[i].memory < BH_POLICY_VM_MEMORY_MIN || vm[i].memory > BH_POLICY_VM_MEMORY_MAX ||
		    !aligned(vm[i].memory, BH_POLICY_VM_MEMORY_ALIGN))
			return fail(why, "a VM's memory is not a multiple of 2 MiB in 2 MiB..1 GiB");
		uint32_t b = vm[i].cpu_budget_us, p = vm[i].cpu_period_us;
		if ((b == 0) != (p == 0) ||
		    (p && (p < BH_POLICY_CPU_PERIOD_MIN_US || p > BH_POLICY_CPU_PERIOD_MAX_US || b > p)))
			return fail(why, "a VM's CPU budget is not within its period (1 ms..1 s)");
		if (!(vm[i].flags & BH_POLICY_VM_BOOT))
			continue;
		/* A Linux VM's monitor takes a second slot. */
		boots += vm[i].kind == BH_POLICY_VM_LINUX ? 2 : 1;
		if (boots > BH_POLICY_MAX_BOOT_VMS)
			return fail(why, "more boot VMs (monitors included) than BH_POLICY_MAX_BOOT_VMS");
	}
	return check_cpu_totals(blob, why);
}

/* Whether a virtio device of Linux VM vm is backed by channel ch. */
static bool virtio_uses(const void *blob, uint32_t vm, uint32_t ch)
{
	const struct bh_policy_linux *lx = policy_linux_for(blob, vm);
	for (uint32_t k = 0; lx && k < lx->virtio_count; k++)
		if (policy_virtio(blob, lx, k)->channel == ch)
			return true;
	return false;
}

/* A native end uses a channel through the channel calls, so it holds the
 * channel right; a Linux end through its monitor, for one of its virtio
 * devices, and for nothing else. */
static bool end_ok(const void *blob, uint32_t vm, uint32_t ch)
{
	const struct bh_policy_vm *v = policy_vm(blob, vm);
	if (v->kind == BH_POLICY_VM_LINUX)
		return virtio_uses(blob, vm, ch);
	return v->rights & BH_POLICY_RIGHT_CHANNEL;
}

static int check_channel_rules(const void *blob, const char **why)
{
	const struct bh_policy_channel *ch = table(blob, BH_POLICY_T_CHANNELS);

	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_CHANNELS); i++) {
		if (ch[i].size < BH_POLICY_CHANNEL_MIN || ch[i].size > BH_POLICY_CHANNEL_MAX ||
		    !aligned(ch[i].size, BH_POLICY_CHANNEL_ALIGN))
			return fail(why, "a channel's size is not a multiple of 4 KiB in 4 KiB..16 MiB");
		if (!end_ok(blob, ch[i].end[0], i) || !end_ok(blob, ch[i].end[1], i))
			return fail(why, "a channel end lacks the channel right (native) or a virtio "
			            "device on it (Linux)");
	}
	return 0;
}

static int check_linux_rules(const void *blob, const char **why)
{
	const struct bh_policy_linux *lx = table(blob, BH_POLICY_T_LINUX);

	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_LINUX); i++) {
		uint64_t m = lx[i].monitor_memory;
		if (m < BH_POLICY_VM_MEMORY_MIN || m > BH_POLICY_VM_MEMORY_MAX ||
		    !aligned(m, BH_POLICY_VM_MEMORY_ALIGN))
			return fail(why, "a monitor's memory is not a multiple of 2 MiB in 2 MiB..1 GiB");
	}
	return 0;
}

static int check_memory_rules(const void *blob, const char **why)
{
	const struct bh_policy_header *h = hdr(blob);
	const struct bh_policy_vm *vm = table(blob, BH_POLICY_T_VMS);
	const struct bh_policy_channel *ch = table(blob, BH_POLICY_T_CHANNELS);
	uint64_t total;

	if (h->machine_memory < BH_POLICY_MACHINE_MIN || h->machine_memory > BH_POLICY_MACHINE_MAX ||
	    !aligned(h->machine_memory, BH_POLICY_MEMORY_ALIGN))
		return fail(why, "machine memory is not a multiple of 2 MiB in 2 MiB..4 TiB");
	if (h->pool_memory > h->machine_memory || !aligned(h->pool_memory, BH_POLICY_MEMORY_ALIGN))
		return fail(why, "the run-time pool is not a multiple of 2 MiB within machine memory");
	/* No overflow: 64 VMs of 1 GiB, 64 channels of 16 MiB (both checked
	 * before), a pool of at most 4 TiB. */
	total = h->pool_memory;
	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_VMS); i++)
		if (vm[i].flags & BH_POLICY_VM_BOOT)
			total += policy_vm_total_memory(blob, i);
	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_CHANNELS); i++)
		total += ch[i].size;
	if (total > h->machine_memory)
		return fail(why, "boot VMs, channels and pool need more than machine memory");
	return 0;
}

static int check_launch_rules(const void *blob, const char **why)
{
	const struct bh_policy_header *h = hdr(blob);
	const struct bh_policy_launch *r = table(blob, BH_POLICY_T_LAUNCHES);
	const struct bh_policy_vm *vm = table(blob, BH_POLICY_T_VMS);

	for (uint32_t i = 0; i < count(blob, BH_POLICY_T_LAUNCHES); i++) {
		const struct bh_policy_vm *l = &vm[r[i].vm];
		if (l->kind != BH_POLICY_VM_CONTROL || !(l->rights & BH_POLICY_RIGHT_LAUNCH))
			return fail(why, "a launcher is not a control VM with the launch right");
		if (r[i].max_vms == 0 || r[i].max_vms > BH_POLICY_MAX_RUNTIME_VMS)
			return fail(why, "a launch rule's max-vms is not in 1..1024");
		if (r[i].max_memory == 0 || r[i].max_memory > h->pool_memory ||
		    !aligned(r[i].max_memory, BH_POLICY_MEMORY_ALIGN))
			return fail(why, "a launch rule's max-memory is not a multiple of 2 MiB within the pool");
		for (uint32_t k = 0; k < r[i].target_count; k++) {
			uint32_t t = policy_launch_target(blob, &r[i], k);
			if (vm[t].kind != BH_POLICY_VM_NATIVE && vm[t].kind != BH_POLICY_VM_LINUX)
				return fail(why, "a launch target is not a native or Linux VM");
			if (policy_vm_total_memory(blob, t) > r[i].max_memory)
				return fail(why, "a launch target needs more memory than its rule's max-memory");
		}
	}
	return 0;
}

/* A device goes to a native VM, which drives it itself, or to a Linux
 * guest, whose monitor forwards its config accesses: never to the control
 * VM, which holds the control rights and should hold nothing it could be
 * attacked through. */
static int check_device_rules(const void *blob, const char **why)
{
	const struct bh_policy_device *d = table(blob, BH_POLICY_T_DEVICES);
	uint32_t n = count(blob, BH_POLICY_T_DEVICES);

	for (uint32_t i = 0; i < n; i++) {
		uint32_t kind = policy_vm(blob, d[i].vm)->kind, held = 0;
		if (kind != BH_POLICY_VM_NATIVE && kind != BH_POLICY_VM_LINUX)
			return fail(why, "a device is granted to a VM that is not native or Linux");
		for (uint32_t j = 0; j <= i; j++)
			held += d[j].vm == d[i].vm;
		if (held > BH_POLICY_MAX_VM_DEVICES)
			return fail(why, "a VM is granted more devices than BH_POLICY_MAX_VM_DEVICES");
	}
	return 0;
}

int policy_blob_validate(const void *blob, size_t size, const char **why)
{
	int rc;

	if ((rc = check_header(blob, size, why)) || (rc = check_layout(blob, why)) ||
	    (rc = check_images(blob, why)) || (rc = check_linux(blob, why)) ||
	    (rc = check_vms(blob, why)) || (rc = check_channels(blob, why)) ||
	    (rc = check_virtio(blob, why)) || (rc = check_launches(blob, why)) ||
	    (rc = check_devices(blob, why)) || (rc = check_vm_rules(blob, why)) ||
	    (rc = check_linux_rules(blob, why)) || (rc = check_channel_rules(blob, why)) ||
	    (rc = check_memory_rules(blob, why)) || (rc = check_launch_rules(blob, why)) ||
	    (rc = check_device_rules(blob, why)))
		return rc;
	return 0;
}

/* ---- Accessors ---------------------------------------------------------- */

const struct bh_policy_header *policy_header(const void *blob) { return hdr(blob); }

uint32_t policy_flags(const void *blob) { return hdr(blob)->flags; }

const char *policy_string(const void *blob, uint32_t off)
{
	return (const char *)table(blob, BH_POLICY_T_STRINGS) + off;
}

uint32_t policy_vm_count(const void *blob) { return count(blob, BH_POLICY_T_VMS); }

const struct bh_policy_vm *policy_vm(const void *blob, uint32_t i)
{
	const struct bh_policy_vm *vm = table(blob, BH_POLICY_T_VMS);
	return i < policy_vm_count(blob) ? &vm[i] : NULL;
}

int policy_vm_find(const void *blob, const char *name)
{
	for (uint32_t i = 0; i < policy_vm_count(blob); i++)
		if (strcmp(policy_vm_name(blob, policy_vm(blob, i)), name) == 0)
			return (int)i;
	return -BH_ENOENT;
}

const char *policy_vm_name(const void *blob, const struct bh_policy_vm *vm)
{
	return policy_string(blob, vm->name);
}

const char *policy_vm_image(const void *blob, const struct bh_policy_vm *vm)
{
	return policy_string(blob, policy_image(blob, vm->image)->name);
}

uint32_t policy_channel_count(const void *blob) { return count(blob, BH_POLICY_T_CHANNELS); }

const struct bh_policy_channel *policy_channel(const void *blob, uint32_t i)
{
	const struct bh_policy_channel *ch = table(blob, BH_POLICY_T_CHANNELS);
	return i < policy_channel_count(blob) ? &ch[i] : NULL;
}

uint32_t policy_launch_count(const void *blob) { return count(blob, BH_POLICY_T_LAUNCHES); }

const struct bh_policy_launch *policy_launch(const void *blob, uint32_t i)
{
	const struct bh_policy_launch *r = table(blob, BH_POLICY_T_LAUNCHES);
	return i < policy_launch_count(blob) ? &r[i] : NULL;
}

const struct bh_policy_launch *policy_launch_for(const void *blob, uint32_t vm)
{
	for (uint32_t i = 0; i < policy_launch_count(blob); i++)
		if (policy_launch(blob, i)->vm == vm)
			return policy_launch(blob, i);
	return NULL;
}

uint32_t policy_launch_target(const void *blob, const struct bh_policy_launch *rule, uint32_t j)
{
	const uint32_t *target = table(blob, BH_POLICY_T_TARGETS);
	return target[rule->first_target + j];
}

bool policy_may_launch(const void *blob, uint32_t launcher, uint32_t target)
{
	const struct bh_policy_launch *r = policy_launch_for(blob, launcher);
	for (uint32_t j = 0; r && j < r->target_count; j++)
		if (policy_launch_target(blob, r, j) == target)
			return true;
	return false;
}

uint32_t policy_device_count(const void *blob) { return count(blob, BH_POLICY_T_DEVICES); }

const struct bh_policy_device *policy_device(const void *blob, uint32_t i)
{
	const struct bh_policy_device *d = table(blob, BH_POLICY_T_DEVICES);
	return i < policy_device_count(blob) ? &d[i] : NULL;
}

uint32_t policy_image_count(const void *blob) { return count(blob, BH_POLICY_T_IMAGES); }

const struct bh_policy_image *policy_image(const void *blob, uint32_t i)
{
	const struct bh_policy_image *im = table(blob, BH_POLICY_T_IMAGES);
	return i < policy_image_count(blob) ? &im[i] : NULL;
}

uint32_t policy_linux_count(const void *blob) { return count(blob, BH_POLICY_T_LINUX); }

const struct bh_policy_linux *policy_linux(const void *blob, uint32_t i)
{
	const struct bh_policy_linux *lx = table(blob, BH_POLICY_T_LINUX);
	return i < policy_linux_count(blob) ? &lx[i] : NULL;
}

const struct bh_policy_linux *policy_linux_for(const void *blob, uint32_t vm)
{
	for (uint32_t i = 0; i < policy_linux_count(blob); i++)
		if (policy_linux(blob, i)->vm == vm)
			return policy_linux(blob, i);
	return NULL;
}

const struct bh_policy_virtio *policy_virtio(const void *blob, const struct bh_policy_linux *lx,
                                             uint32_t j)
{
	const struct bh_policy_virtio *v = table(blob, BH_POLICY_T_VIRTIO);
	return &v[lx->first_virtio + j];
}

uint64_t policy_vm_total_memory(const void *blob, uint32_t vm)
{
	const struct bh_policy_linux *lx = policy_linux_for(blob, vm);
	return policy_vm(blob, vm)->memory + (lx ? lx->monitor_memory : 0);
}
