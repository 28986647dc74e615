/* SPDX-License-Identifier: GPL-2.0-only */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

#include "policy/blob.h"
#include "util.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "the blob is little-endian and emit() writes host structs");

/* The string table: each distinct string once, in order of first use. */
struct strtab {
	char *bytes;
	size_t len, cap;
};

static uint32_t intern(struct strtab *st, const char *s)
{
	size_t n = strlen(s) + 1;
	for (size_t off = 0; off < st->len; off += strlen(st->bytes + off) + 1)
		if (strcmp(st->bytes + off, s) == 0)
			return (uint32_t)off;
	if (st->len + n > st->cap) {
		st->cap = (st->len + n) * 2;
		st->bytes = xrealloc(st->bytes, st->cap);
	}
	memcpy(st->bytes + st->len, s, n);
	st->len += n;
	return (uint32_t)(st->len - n);
}

static uint32_t align8(size_t n) { return (uint32_t)((n + 7) & ~(size_t)7); }

/* Channel flag bits for a flow: write (or event) bits 0->1 and 1->0. */
static uint32_t flow_bits(const struct channel_decl *ch, const struct flow *f, bool given,
                          uint32_t bit01, uint32_t bit10)
{
	if (!given || f->kind == FLOW_NONE)
		return 0;
	if (f->kind == FLOW_BOTH)
		return bit01 | bit10;
	return strcmp(f->from.name, ch->end[0].name) == 0 ? bit01 : bit10;
}

static void fill_vm(struct bh_policy_vm *r, const struct vm_decl *vm, struct strtab *st)
{
	*r = (struct bh_policy_vm){
		.name = intern(st, vm->name), .line = vm->at.line, .kind = vm->kind,
		.flags = vm->boot ? BH_POLICY_VM_BOOT : 0, .image = (uint32_t)vm->image_index,
		.rights = vm->rights, .memory = vm->memory,
		.cpu = vm->cpu_pinned ? vm->cpu_index : BH_POLICY_CPU_ANY,
	};
	if (vm->cpu == CPU_PERCENT) {
		r->cpu_period_us = BH_POLICY_CPU_PERIOD_DEFAULT_US;
		r->cpu_budget_us = (uint32_t)(vm->cpu_percent * BH_POLICY_CPU_PERIOD_DEFAULT_US / 100);
	} else if (vm->cpu == CPU_BUDGET) {
		r->cpu_period_us = (uint32_t)vm->cpu_period_us;
		r->cpu_budget_us = (uint32_t)vm->cpu_budget_us;
	}
}

/* The Linux and virtio tables: a record per Linux VM in VM order, each
 * with its devices' list, the lists back to back. */
static void emit_linux(const struct policy *p, uint8_t *b, const uint32_t *offset,
                       struct strtab *st)
{
	struct bh_policy_linux *lx = (void *)(b + offset[BH_POLICY_T_LINUX]);
	struct bh_policy_virtio *v = (void *)(b + offset[BH_POLICY_T_VIRTIO]);
	uint32_t next = 0;

	for (size_t i = 0; i < p->nvms; i++) {
		const struct vm_decl *vm = &p->vms[i];
		if (vm->kind != BH_POLICY_VM_LINUX)
			continue;
		*lx++ = (struct bh_policy_linux){
			.vm = (uint32_t)i, .line = vm->p.at[VP_MONITOR].line,
			.initramfs = (uint32_t)vm->initramfs_index,
			/* 'cmdline "";' is no command line: strings are non-empty. */
			.cmdline = vm->cmdline && vm->cmdline[0] ? intern(st, vm->cmdline)
			           : BH_POLICY_NO_STRING,
			.monitor_image = (uint32_t)vm->monitor.image_index, .first_virtio = next,
			.virtio_count = (uint32_t)vm->nvirtio, .monitor_memory = vm->monitor.memory,
		};
		for (size_t j = 0; j < vm->nvirtio; j++)
			v[next++] = (struct bh_policy_virtio){
				.line = vm->virtio[j].at.line, .kind = vm->virtio[j].kind,
				.channel = (uint32_t)vm->virtio[j].channel_index,
			};
	}
}

void emit(const struct policy *p, uint8_t **blob, size_t *size)
{
	struct strtab st = { 0 };
	size_t ntargets = 0;
	uint32_t count[BH_POLICY_T_COUNT], offset[BH_POLICY_T_COUNT];
	static const size_t rec[BH_POLICY_T_COUNT] = {
		sizeof(struct bh_policy_vm), sizeof(struct bh_policy_channel),
		sizeof(struct bh_policy_launch), sizeof(uint32_t), sizeof(struct bh_policy_device),
		sizeof(struct bh_policy_image), sizeof(struct bh_policy_linux),
		sizeof(struct bh_policy_virtio), 1,
	};
	size_t nlinux = 0, nvirtio = 0;

	/* Strings first, in record order, so the layout is known. */
	for (size_t i = 0; i < p->nimages; i++)
		intern(&st, p->images[i]);
	for (size_t i = 0; i < p->nvms; i++)
		intern(&st, p->vms[i].name);
	for (size_t i = 0; i < p->nchannels; i++)
		intern(&st, p->channels[i].name);
	for (size_t i = 0; i < p->ndevices; i++)
		intern(&st, p->devices[i].name);
	for (size_t i = 0; i < p->nvms; i++)
		if (p->vms[i].kind == BH_POLICY_VM_LINUX && p->vms[i].cmdline && p->vms[i].cmdline[0])
			intern(&st, p->vms[i].cmdline);
	for (size_t i = 0; i < p->nlaunches; i++)
		ntargets += p->launches[i].ntargets;
	for (size_t i = 0; i < p->nvms; i++)
		if (p->vms[i].kind == BH_POLICY_VM_LINUX) {
			nlinux++;
			nvirtio += p->vms[i].nvirtio;
		}

	count[BH_POLICY_T_VMS] = (uint32_t)p->nvms;
	count[BH_POLICY_T_CHANNELS] = (uint32_t)p->nchannels;
	count[BH_POLICY_T_LAUNCHES] = (uint32_t)p->nlaunches;
	count[BH_POLICY_T_TARGETS] = (uint32_t)ntargets;
	count[BH_POLICY_T_DEVICES] = (uint32_t)p->ndevices;
	count[BH_POLICY_T_IMAGES] = (uint32_t)p->nimages;
	count[BH_POLICY_T_LINUX] = (uint32_t)nlinux;
	count[BH_POLICY_T_VIRTIO] = (uint32_t)nvirtio;
	count[BH_POLICY_T_STRINGS] = (uint32_t)st.len;
	size_t at = align8(sizeof(struct bh_policy_header));
	for (int t = 0; t < BH_POLICY_T_COUNT; t++) {
		offset[t] = (uint32_t)at;
		at = align8(at + count[t] * rec[t]);
	}

	uint8_t *b = xcalloc(1, at);
	struct bh_policy_header *h = (struct bh_policy_header *)b;
	memcpy(h->magic, BH_POLICY_MAGIC, BH_POLICY_MAGIC_SIZE);
	h->version = BH_POLICY_VERSION;
	h->header_size = sizeof(*h);
	h->total_size = (uint32_t)at;
	h->flags = p->iommu.given && p->iommu.unprotected ? BH_POLICY_F_DMA_UNPROTECTED : 0;
	h->cpus = p->cpus.mask;   /* 0 without 'machine cpus': every CPU */
	h->machine_memory = policy_machine_memory(p);
	h->pool_memory = p->pool.given ? p->pool.value : 0;
	for (int t = 0; t < BH_POLICY_T_COUNT; t++)
		h->table[t] = (struct bh_policy_table){ offset[t], count[t] };

	struct bh_policy_vm *vm = (void *)(b + offset[BH_POLICY_T_VMS]);
	for (size_t i = 0; i < p->nvms; i++)
		fill_vm(&vm[i], &p->vms[i], &st);

	struct bh_policy_channel *ch = (void *)(b + offset[BH_POLICY_T_CHANNELS]);
	for (size_t i = 0; i < p->nchannels; i++) {
		const struct channel_decl *c = &p->channels[i];
		ch[i] = (struct bh_policy_channel){
			.name = intern(&st, c->name), .line = c->at.line,
			.end = { (uint32_t)c->end[0].vm, (uint32_t)c->end[1].vm }, .size = c->size,
			.flags = flow_bits(c, &c->direction, true, BH_POLICY_CH_WRITE_01,
			                   BH_POLICY_CH_WRITE_10) |
			         flow_bits(c, &c->events, c->p.given & (1u << CP_EVENTS),
			                   BH_POLICY_CH_EVENT_01, BH_POLICY_CH_EVENT_10),
		};
	}

	struct bh_policy_launch *l = (void *)(b + offset[BH_POLICY_T_LAUNCHES]);
	uint32_t *target = (void *)(b + offset[BH_POLICY_T_TARGETS]);
	uint32_t next = 0;
	for (size_t i = 0; i < p->nlaunches; i++) {
		const struct launch_decl *ld = &p->launches[i];
		l[i] = (struct bh_policy_launch){
			.vm = (uint32_t)ld->vm.vm, .line = ld->vm.at.line, .first_target = next,
			.target_count = (uint32_t)ld->ntargets, .max_vms = (uint32_t)ld->max_vms,
			.max_memory = ld->max_memory,
		};
		for (size_t j = 0; j < ld->ntargets; j++)
			target[next++] = (uint32_t)ld->targets[j].vm;
	}

	struct bh_policy_device *dev = (void *)(b + offset[BH_POLICY_T_DEVICES]);
	for (size_t i = 0; i < p->ndevices; i++)
		dev[i] = (struct bh_policy_device){
			.name = intern(&st, p->devices[i].name), .line = p->devices[i].at.line,
			.kind = BH_POLICY_DEVICE_PCI, .vm = (uint32_t)p->devices[i].to.vm,
			.address = p->devices[i].address,
		};

	struct bh_policy_image *im = (void *)(b + offset[BH_POLICY_T_IMAGES]);
	for (size_t i = 0; i < p->nimages; i++)
		im[i].name = intern(&st, p->images[i]);

	emit_linux(p, b, offset, &st);

	if (st.len)
		memcpy(b + offset[BH_POLICY_T_STRINGS], st.bytes, st.len);
	free(st.bytes);
	h->checksum = policy_blob_checksum(b, at);
	*blob = b;
	*size = at;
}
