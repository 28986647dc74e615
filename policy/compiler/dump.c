/* SPDX-License-Identifier: GPL-2.0-only */
#include "dump.h"

#include <stdbool.h>

#include <bulkhead/policy_blob.h>

#include "policy/blob.h"
#include "vocab.h"

static const char *vm_name(const void *blob, uint32_t i)
{
	return policy_vm_name(blob, policy_vm(blob, i));
}

/* "cpu [CPU] [SHARE];", or nothing for a VM without a pin or budget. */
static void cpu(FILE *out, const struct bh_policy_vm *vm)
{
	uint32_t b = vm->cpu_budget_us, p = vm->cpu_period_us;
	char sb[32], sp[32];
	if (!p && vm->cpu == BH_POLICY_CPU_ANY)
		return;
	fputs("    cpu", out);
	if (vm->cpu != BH_POLICY_CPU_ANY)
		fprintf(out, " %u", vm->cpu);
	if (!p)
		fputs(";\n", out);
	else if (p == BH_POLICY_CPU_PERIOD_DEFAULT_US && (b * 100) % p == 0)
		fprintf(out, " %u%%;\n", b * 100 / p);
	else
		fprintf(out, " %s per %s;\n", format_duration(b, sb, sizeof(sb)),
		        format_duration(p, sp, sizeof(sp)));
}

/* "machine cpus LIST;" from the header's mask, runs of CPUs as ranges. */
static void cpus(FILE *out, uint32_t mask)
{
	const char *sep = "machine cpus ";
	if (!mask) {
		fputs("# machine cpus: every CPU (VMs without a pin may run on any)\n", out);
		return;
	}
	for (uint32_t i = 0; i < BH_POLICY_MAX_CPUS; i++) {
		if (!(mask & (1u << i)))
			continue;
		uint32_t last = i;
		while (last + 1 < BH_POLICY_MAX_CPUS && (mask & (1u << (last + 1))))
			last++;
		if (last == i)
			fprintf(out, "%s%u", sep, i);
		else
			fprintf(out, "%s%u-%u", sep, i, last);
		sep = ", ";
		i = last;
	}
	fprintf(out, ";  # mask 0x%08x\n", mask);
}

static void rights(FILE *out, uint32_t r)
{
	const char *sep = "    rights ";
	for (unsigned i = 0; i < BH_POLICY_RIGHT_COUNT; i++)
		if (r & (1u << i)) {
			fprintf(out, "%s%s", sep, right_names[i]);
			sep = ", ";
		}
	fputs(r ? ";\n" : "    # no rights\n", out);
}

static const char *image_name(const void *blob, uint32_t i)
{
	return policy_string(blob, policy_image(blob, i)->name);
}

/* A Linux VM's own properties, from its Linux record. */
static void linux_vm(const void *blob, FILE *out, const struct bh_policy_vm *vm, uint32_t i)
{
	const struct bh_policy_linux *lx = policy_linux_for(blob, i);
	char s[32];

	fprintf(out, "    kernel %s;  # image %u\n", policy_vm_image(blob, vm), vm->image);
	fprintf(out, "    initramfs %s;  # image %u\n", image_name(blob, lx->initramfs),
	        lx->initramfs);
	if (lx->cmdline != BH_POLICY_NO_STRING)
		fprintf(out, "    cmdline \"%s\";\n", policy_string(blob, lx->cmdline));
	fprintf(out, "    memory %s;\n", format_size(vm->memory, s, sizeof(s)));
	if (lx->virtio_count)
		fprintf(out, "    # Linux record, line %u; virtio %u..%u\n", lx->line, lx->first_virtio,
		        lx->first_virtio + lx->virtio_count - 1);
	else
		fprintf(out, "    # Linux record, line %u; no virtio devices\n", lx->line);
	fprintf(out, "    monitor { image %s; memory %s; }  # image %u\n",
	        image_name(blob, lx->monitor_image), format_size(lx->monitor_memory, s, sizeof(s)),
	        lx->monitor_image);
	/* In blob order, one property per run of a kind: the compiler emits
	 * each property's list as one run, so this compiles back the same. */
	for (uint32_t j = 0; j < lx->virtio_count; j++) {
		const struct bh_policy_virtio *v = policy_virtio(blob, lx, j);
		bool first = j == 0 || policy_virtio(blob, lx, j - 1)->kind != v->kind;
		bool last = j + 1 == lx->virtio_count || policy_virtio(blob, lx, j + 1)->kind != v->kind;
		fprintf(out, "%s%s%s", !first ? ", " : v->kind == BH_POLICY_VIRTIO_NET
		        ? "    virtio-net " : "    virtio-console ",
		        policy_string(blob, policy_channel(blob, v->channel)->name), last ? ";\n" : "");
	}
}

static void vms(const void *blob, FILE *out)
{
	char s[32];
	for (uint32_t i = 0; i < policy_vm_count(blob); i++) {
		const struct bh_policy_vm *vm = policy_vm(blob, i);
		fprintf(out, "\n# vm %u, line %u\nvm %s {\n", i, vm->line, policy_vm_name(blob, vm));
		fprintf(out, "    kind %s;\n", vm_kind_name(vm->kind));
		if (vm->kind == BH_POLICY_VM_LINUX) {
			linux_vm(blob, out, vm, i);
		} else {
			fprintf(out, "    image %s;  # image %u\n", policy_vm_image(blob, vm), vm->image);
			fprintf(out, "    memory %s;\n", format_size(vm->memory, s, sizeof(s)));
		}
		cpu(out, vm);
		fprintf(out, "    boot %s;\n", vm->flags & BH_POLICY_VM_BOOT ? "yes" : "no");
		if (vm->kind != BH_POLICY_VM_LINUX)
			rights(out, vm->rights);
		fputs("}\n", out);
	}
}

/* A flow from two flag bits: "both", "none", or "A -> B". */
static void flow(FILE *out, const void *blob, const struct bh_policy_channel *ch,
                 const char *what, uint32_t bit01, uint32_t bit10)
{
	uint32_t f = ch->flags & (bit01 | bit10);
	if (f == (bit01 | bit10))
		fprintf(out, "    %s both;\n", what);
	else if (f)
		fprintf(out, "    %s %s -> %s;\n", what, vm_name(blob, ch->end[f == bit01 ? 0 : 1]),
		        vm_name(blob, ch->end[f == bit01 ? 1 : 0]));
	else
		fprintf(out, "    %s none;\n", what);
}

static void channels(const void *blob, FILE *out)
{
	char s[32];
	for (uint32_t i = 0; i < policy_channel_count(blob); i++) {
		const struct bh_policy_channel *ch = policy_channel(blob, i);
		fprintf(out, "\n# channel %u, line %u\nchannel %s {\n", i, ch->line,
		        policy_string(blob, ch->name));
		fprintf(out, "    between %s and %s;\n", vm_name(blob, ch->end[0]),
		        vm_name(blob, ch->end[1]));
		fprintf(out, "    size %s;\n", format_size(ch->size, s, sizeof(s)));
		flow(out, blob, ch, "direction", BH_POLICY_CH_WRITE_01, BH_POLICY_CH_WRITE_10);
		flow(out, blob, ch, "events", BH_POLICY_CH_EVENT_01, BH_POLICY_CH_EVENT_10);
		fputs("}\n", out);
	}
}

static void launches(const void *blob, FILE *out)
{
	char s[32];
	for (uint32_t i = 0; i < policy_launch_count(blob); i++) {
		const struct bh_policy_launch *r = policy_launch(blob, i);
		fprintf(out, "\n# launch rule %u, line %u; targets %u..%u\nlaunch %s {\n", i, r->line,
		        r->first_target, r->first_target + r->target_count - 1, vm_name(blob, r->vm));
		for (uint32_t j = 0; j < r->target_count; j++)
			fprintf(out, "%s%s", j ? ", " : "    vms ",
			        vm_name(blob, policy_launch_target(blob, r, j)));
		fprintf(out, ";\n    max-vms %u;\n    max-memory %s;\n}\n", r->max_vms,
		        format_size(r->max_memory, s, sizeof(s)));
	}
}

static void devices(const void *blob, FILE *out)
{
	for (uint32_t i = 0; i < policy_device_count(blob); i++) {
		const struct bh_policy_device *d = policy_device(blob, i);
		fprintf(out, "\n# device %u, line %u\ndevice %s {\n", i, d->line,
		        policy_string(blob, d->name));
		fprintf(out, "    pci %04x:%02x:%02x.%x;\n", BH_POLICY_PCI_SEG(d->address),
		        BH_POLICY_PCI_BUS(d->address), BH_POLICY_PCI_DEV(d->address),
		        BH_POLICY_PCI_FN(d->address));
		fprintf(out, "    to %s;  # vm %u\n}\n", vm_name(blob, d->vm), d->vm);
	}
}

int dump(const void *blob, size_t size, FILE *out, const char **why)
{
	int rc = policy_blob_validate(blob, size, why);
	if (rc)
		return rc;

	const struct bh_policy_header *h = policy_header(blob);
	char s[32];
	fprintf(out, "# Bulkhead policy blob, version %u: %u bytes, CRC-32 0x%08x\n", h->version,
	        h->total_size, h->checksum);
	fprintf(out, "# tables: vms %u, channels %u, launches %u, targets %u, devices %u, "
	        "images %u, linux %u, virtio %u, strings %u bytes\n",
	        h->table[BH_POLICY_T_VMS].count, h->table[BH_POLICY_T_CHANNELS].count,
	        h->table[BH_POLICY_T_LAUNCHES].count, h->table[BH_POLICY_T_TARGETS].count,
	        h->table[BH_POLICY_T_DEVICES].count, h->table[BH_POLICY_T_IMAGES].count,
	        h->table[BH_POLICY_T_LINUX].count, h->table[BH_POLICY_T_VIRTIO].count,
	        h->table[BH_POLICY_T_STRINGS].count);
	for (uint32_t i = 0; i < policy_image_count(blob); i++)
		fprintf(out, "# image %u: %s\n", i, policy_string(blob, policy_image(blob, i)->name));
	fprintf(out, "machine memory %s;\n", format_size(h->machine_memory, s, sizeof(s)));
	fprintf(out, "machine iommu %s;\n",
	        policy_flags(blob) & BH_POLICY_F_DMA_UNPROTECTED ? "unprotected" : "required");
	cpus(out, h->cpus);
	if (h->pool_memory)
		fprintf(out, "pool runtime memory %s;\n", format_size(h->pool_memory, s, sizeof(s)));
	else
		fputs("# no run-time pool\n", out);
	vms(blob, out);
	channels(blob, out);
	launches(blob, out);
	devices(blob, out);
	return 0;
}
