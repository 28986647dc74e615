/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The properties of each block statement (docs/policy.md, "Grammar") and
 * the values they take. Each parser reads its value up to the property's
 * ';', reports what is wrong with it, and returns false if it was; the
 * block (parse.c) then skips to the ';'.
 */
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util.h"
#include "value.h"
#include "vocab.h"

/* ---- Values -------------------------------------------------------------- */

/* The current token as a word (consumed), or an error naming what was
 * expected. */
static const struct token *word(struct parser *ps, const char *expected)
{
	const struct token *t = cur(ps);
	if (t->kind != TOK_WORD) {
		diag_error(ps->d, t->at, "expected %s, found %s", expected, desc(ps, t));
		return NULL;
	}
	advance(ps);
	return t;
}

typedef int value_fn(const char *w, size_t n, uint64_t *v, const char **why);

static bool scalar(struct parser *ps, value_fn *fn, const char *expected, uint64_t *v)
{
	const char *why;
	const struct token *t = word(ps, expected);
	if (!t)
		return false;
	if (fn(t->text, t->len, v, &why) == 0)
		return true;
	diag_error(ps->d, t->at, "%s is not valid here: %s", desc(ps, t), why);
	return false;
}

bool size_value(struct parser *ps, uint64_t *v)
{
	return scalar(ps, value_size, "a size (like 64K, 2M, 1G)", v);
}

static bool ref(struct parser *ps, struct ref *r, const char *expected)
{
	const struct token *t = word(ps, expected);
	if (!t)
		return false;
	free(r->name);
	*r = (struct ref){ .name = word_dup(t), .at = t->at, .vm = -1 };
	return true;
}

/* In a list "A, B, C": whether another item follows (its ',' consumed). A
 * word followed by the list's end is taken as an item after a missing ','. */
static bool next_item(struct parser *ps)
{
	if (cur(ps)->kind == TOK_COMMA) {
		advance(ps);
		return true;
	}
	enum tok_kind after = ahead(ps, 1)->kind;
	if (cur(ps)->kind == TOK_WORD && !statement_here(ps) &&
	    (after == TOK_COMMA || after == TOK_SEMI || after == TOK_RBRACE)) {
		diag_error(ps->d, after_prev(ps), "expected ',' before %s", desc(ps, cur(ps)));
		return true;
	}
	return false;
}

/* ---- vm ------------------------------------------------------------------ */

static bool vm_kind(struct parser *ps, void *obj)
{
	struct vm_decl *vm = obj;
	const struct token *t = word(ps, "a VM kind (native, control or linux)");
	if (!t)
		return false;
	vm->kind = vm_kind_from_word(t->text, t->len);
	if (vm->kind)
		return true;
	if (tok_is(t, "driver"))   /* a kind of language versions 1 and 2 */
		diag_error(ps->d, t->at, "VM kind 'driver' no longer exists: a driver VM is a VM of "
		           "kind linux (or native) that a device is granted to; write 'kind linux;' "
		           "and 'device NAME { pci ADDRESS; to %s; }'", vm->name ? vm->name : "VM");
	else
		diag_error(ps->d, t->at, "unknown VM kind %s (expected native, control or linux)",
		           desc(ps, t));
	return false;
}

/* A bundle file name into *file. */
static bool file_value(struct parser *ps, char **file, const char *expected)
{
	const struct token *t = word(ps, expected);
	if (!t)
		return false;
	free(*file);
	*file = word_dup(t);
	return true;
}

static bool vm_image(struct parser *ps, void *obj)
{
	return file_value(ps, &((struct vm_decl *)obj)->image, "an image file name (like hello.elf)");
}

static bool vm_memory(struct parser *ps, void *obj)
{
	return size_value(ps, &((struct vm_decl *)obj)->memory);
}

static bool ends_with(const struct token *t, const char *suffix)
{
	size_t n = strlen(suffix);
	return t->kind == TOK_WORD && t->len >= n && memcmp(t->text + t->len - n, suffix, n) == 0;
}

/* A word of digits alone: a CPU index, where a share ends in '%' and a
 * budget in a time unit. */
static bool all_digits(const struct token *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->text[i] < '0' || t->text[i] > '9')
			return false;
	return t->kind == TOK_WORD && t->len > 0;
}

/* "cpu [CPU] [SHARE];": a pin, a share or budget, or both. */
static bool vm_cpu(struct parser *ps, void *obj)
{
	struct vm_decl *vm = obj;
	const struct token *t = cur(ps);

	if (all_digits(t)) {
		uint64_t index;
		if (!scalar(ps, value_cpu, "a CPU", &index))
			return false;
		vm->cpu_pinned = true;
		vm->cpu_index = (uint32_t)index;
		/* A pin alone (best effort on that CPU) unless a share or
		 * budget follows; anything else is the block's to report. */
		t = cur(ps);
		if (!ends_with(t, "%") && !ends_with(t, "s"))
			return true;
	}
	if (ends_with(t, "%")) {
		vm->cpu = CPU_PERCENT;
		return scalar(ps, value_percent, "a CPU share", &vm->cpu_percent);
	}
	if (!ends_with(t, "s")) {
		diag_error(ps->d, t->at, "expected a CPU (like 1), a CPU share (like 20%%) or "
		           "budget (like 2ms per 10ms), found %s", desc(ps, t));
		if (t->kind == TOK_WORD)
			advance(ps);
		return false;
	}
	vm->cpu = CPU_BUDGET;
	if (!scalar(ps, value_duration, "a CPU budget", &vm->cpu_budget_us))
		return false;
	if (!tok_is(cur(ps), "per")) {
		diag_error(ps->d, cur(ps)->at, "expected 'per' and a period after the CPU budget "
		           "(like 2ms per 10ms), found %s", desc(ps, cur(ps)));
		return false;
	}
	advance(ps);
	return scalar(ps, value_duration, "a period (like 10ms)", &vm->cpu_period_us);
}

static bool vm_boot(struct parser *ps, void *obj)
{
	struct vm_decl *vm = obj;
	const struct token *t = word(ps, "'yes' or 'no'");
	if (!t)
		return false;
	if (tok_is(t, "yes") || tok_is(t, "no")) {
		vm->boot = tok_is(t, "yes");
		return true;
	}
	diag_error(ps->d, t->at, "expected 'yes' or 'no', found %s", desc(ps, t));
	return false;
}

static bool vm_rights(struct parser *ps, void *obj)
{
	struct vm_decl *vm = obj;
	bool ok = true;

	for (;;) {
		const struct token *t = word(ps, "a right (like console)");
		if (!t)
			return false;
		int r = right_from_word(t->text, t->len);
		if (r < 0) {
			diag_error(ps->d, t->at, "unknown right %s (rights: console, yield, wait, "
			           "time, exit, self, channel, launch, stop, log, stats)", desc(ps, t));
			ok = false;
		} else if (vm->rights & (1u << r)) {
			diag_warning(ps->d, t->at, "right %s is listed twice", desc(ps, t));
		} else {
			vm->rights |= 1u << r;
			vm->right_at[r] = t->at;
		}
		if (!next_item(ps))
			return ok;
	}
}

/* ---- vm: a Linux VM's ---------------------------------------------------- */

static bool vm_kernel(struct parser *ps, void *obj)
{
	return file_value(ps, &((struct vm_decl *)obj)->kernel,
	                  "a kernel image file name (like vmlinux)");
}

static bool vm_initramfs(struct parser *ps, void *obj)
{
	return file_value(ps, &((struct vm_decl *)obj)->initramfs,
	                  "an initramfs file name (like initramfs.cpio.gz)");
}

static bool vm_cmdline(struct parser *ps, void *obj)
{
	struct vm_decl *vm = obj;
	const struct token *t = cur(ps);
	if (t->kind != TOK_STRING) {
		diag_error(ps->d, t->at, "expected a quoted command line (like \"console=ttyS0\"), "
		           "found %s", desc(ps, t));
		return false;
	}
	advance(ps);
	if (t->len < 2 || t->text[t->len - 1] != '"')
		return false;   /* not closed: lex() reported it */
	free(vm->cmdline);
	vm->cmdline = xstrndup(t->text + 1, t->len - 2);
	return true;
}

static bool vm_monitor(struct parser *ps, void *obj)
{
	struct vm_decl *vm = obj;
	if (cur(ps)->kind != TOK_LBRACE) {
		diag_error(ps->d, cur(ps)->at, "expected '{' after 'monitor' (like monitor { image "
		           "vmm.elf; memory 4M; }), found %s", desc(ps, cur(ps)));
		return false;
	}
	/* A second monitor block was reported as given twice: it is parsed
	 * for its syntax errors only. */
	struct monitor_decl again = { 0 };
	struct monitor_decl *m = vm->monitor.seen ? &again : &vm->monitor;
	m->seen = true;
	m->image_index = -1;
	block(ps, &monitor_block, vm->name, &m->p, m);
	free(again.image);
	return true;
}

/* "virtio-KIND CHANNEL, ...;": a device of that kind on each channel. */
static bool virtio_list(struct parser *ps, struct vm_decl *vm, uint32_t kind)
{
	for (;;) {
		const struct token *t = word(ps, "a channel name");
		if (!t)
			return false;
		struct virtio_decl *v = VEC_PUSH(vm->virtio, vm->nvirtio, vm->capvirtio);
		*v = (struct virtio_decl){ .kind = kind, .channel = word_dup(t), .at = t->at,
		                           .channel_index = -1 };
		if (!next_item(ps))
			return true;
	}
}

static bool vm_virtio_console(struct parser *ps, void *obj)
{
	return virtio_list(ps, obj, BH_POLICY_VIRTIO_CONSOLE);
}

static bool vm_virtio_net(struct parser *ps, void *obj)
{
	return virtio_list(ps, obj, BH_POLICY_VIRTIO_NET);
}

/* ---- monitor (of a Linux VM) ------------------------------------------- */

static bool monitor_image(struct parser *ps, void *obj)
{
	return file_value(ps, &((struct monitor_decl *)obj)->image,
	                  "a monitor image file name (like vmm.elf)");
}

static bool monitor_memory(struct parser *ps, void *obj)
{
	return size_value(ps, &((struct monitor_decl *)obj)->memory);
}

/* ---- channel ------------------------------------------------------------- */

static bool ch_between(struct parser *ps, void *obj)
{
	struct channel_decl *ch = obj;
	if (!ref(ps, &ch->end[0], "a VM name"))
		return false;
	if (!tok_is(cur(ps), "and")) {
		diag_error(ps->d, cur(ps)->at, "expected 'and' between the two ends, found %s",
		           desc(ps, cur(ps)));
		return false;
	}
	advance(ps);
	return ref(ps, &ch->end[1], "a VM name");
}

static bool ch_size(struct parser *ps, void *obj)
{
	return size_value(ps, &((struct channel_decl *)obj)->size);
}

/* "both", "none" (if allowed) or "A -> B". */
static bool flow(struct parser *ps, struct flow *f, bool none_ok)
{
	const char *expected = none_ok ? "'both', 'none' or 'A -> B'" : "'both' or 'A -> B'";
	const struct token *t = cur(ps);

	if (t->kind == TOK_WORD && ahead(ps, 1)->kind == TOK_ARROW) {
		f->kind = FLOW_ONE_WAY;
		ref(ps, &f->from, "a VM name");
		advance(ps);
		return ref(ps, &f->to, "a VM name");
	}
	if (tok_is(t, "both") || (none_ok && tok_is(t, "none"))) {
		f->kind = tok_is(t, "both") ? FLOW_BOTH : FLOW_NONE;
		advance(ps);
		return true;
	}
	diag_error(ps->d, t->at, "expected %s, found %s", expected, desc(ps, t));
	if (t->kind == TOK_WORD)
		advance(ps);
	return false;
}

static bool ch_direction(struct parser *ps, void *obj)
{
	return flow(ps, &((struct channel_decl *)obj)->direction, false);
}

static bool ch_events(struct parser *ps, void *obj)
{
	return flow(ps, &((struct channel_decl *)obj)->events, true);
}

/* ---- launch -------------------------------------------------------------- */

static bool launch_vms(struct parser *ps, void *obj)
{
	struct launch_decl *l = obj;
	for (;;) {
		struct ref *r = VEC_PUSH(l->targets, l->ntargets, l->cap);
		if (!ref(ps, r, "a VM name")) {
			l->ntargets--;
			return false;
		}
		if (!next_item(ps))
			return true;
	}
}

static bool launch_max_vms(struct parser *ps, void *obj)
{
	return scalar(ps, value_count, "a number of VMs", &((struct launch_decl *)obj)->max_vms);
}

static bool launch_max_memory(struct parser *ps, void *obj)
{
	return size_value(ps, &((struct launch_decl *)obj)->max_memory);
}

/* ---- device -------------------------------------------------------------- */

static bool dev_pci(struct parser *ps, void *obj)
{
	struct device_decl *dev = obj;
	const char *why;
	const struct token *t = word(ps, "a PCI address (like 00:03.0)");
	if (!t)
		return false;
	if (value_pci(t->text, t->len, &dev->address, &why) == 0)
		return true;
	diag_error(ps->d, t->at, "%s is not valid here: %s", desc(ps, t), why);
	return false;
}

static bool dev_to(struct parser *ps, void *obj)
{
	return ref(ps, &((struct device_decl *)obj)->to, "a VM name");
}

/* ---- The blocks' tables ------------------------------------------------- */

static const struct prop_def vm_props[VP_COUNT] = {
	[VP_KIND] = { "kind", vm_kind }, [VP_IMAGE] = { "image", vm_image },
	[VP_MEMORY] = { "memory", vm_memory }, [VP_CPU] = { "cpu", vm_cpu },
	[VP_BOOT] = { "boot", vm_boot }, [VP_RIGHTS] = { "rights", vm_rights },
	[VP_KERNEL] = { "kernel", vm_kernel }, [VP_INITRAMFS] = { "initramfs", vm_initramfs },
	[VP_CMDLINE] = { "cmdline", vm_cmdline }, [VP_MONITOR] = { "monitor", vm_monitor },
	[VP_VIRTIO_CONSOLE] = { "virtio-console", vm_virtio_console },
	[VP_VIRTIO_NET] = { "virtio-net", vm_virtio_net },
};
static const struct prop_def monitor_props[MP_COUNT] = {
	[MP_IMAGE] = { "image", monitor_image }, [MP_MEMORY] = { "memory", monitor_memory },
};
static const struct prop_def channel_props[CP_COUNT] = {
	[CP_BETWEEN] = { "between", ch_between }, [CP_SIZE] = { "size", ch_size },
	[CP_DIRECTION] = { "direction", ch_direction }, [CP_EVENTS] = { "events", ch_events },
};
static const struct prop_def launch_props[LP_COUNT] = {
	[LP_VMS] = { "vms", launch_vms }, [LP_MAX_VMS] = { "max-vms", launch_max_vms },
	[LP_MAX_MEMORY] = { "max-memory", launch_max_memory },
};
static const struct prop_def device_props[DP_COUNT] = {
	[DP_PCI] = { "pci", dev_pci }, [DP_TO] = { "to", dev_to },
};

const struct block_def vm_block = {
	"VM", "kind, image, memory, cpu, boot, rights, kernel, initramfs, cmdline, monitor, "
	"virtio-console or virtio-net", vm_props, VP_COUNT };
const struct block_def monitor_block = {
	"the monitor of VM", "image or memory", monitor_props, MP_COUNT };

const char *vm_prop_word(enum vm_prop i)
{
	return vm_props[i].word;
}
const struct block_def channel_block = {
	"channel", "between, size, direction or events", channel_props, CP_COUNT };
const struct block_def launch_block = {
	"launch rule", "vms, max-vms or max-memory", launch_props, LP_COUNT };
const struct block_def device_block = {
	"device", "pci or to", device_props, DP_COUNT };
