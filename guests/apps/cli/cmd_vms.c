/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * list, exits, launch and stop (docs/cli.md). Every refusal says why in the
 * policy's terms: which rule, which quota, which name.
 */
#include <bulkhead/runtime.h>

#include "cli.h"

/* The kernel has no fixed VM count: room for more VMs than a 512 MiB
 * pool holds at 2 MiB each, plus the stopped ones it lists; a longer
 * list is cut and says so. */
#define LIST_MAX 320

static struct bh_vm_stat vms[LIST_MAX];

/* Fetches the VM list into vms[], sorted by id. Returns the number of
 * records held (at most LIST_MAX), *total the number the kernel knows, or
 * a negative error. */
static int64_t fetch_vms(int64_t *total)
{
	int64_t n = bh_vm_list(vms, LIST_MAX);
	if (n < 0)
		return n;
	*total = n;
	if (n > LIST_MAX)
		n = LIST_MAX;
	for (int64_t i = 1; i < n; i++) {
		struct bh_vm_stat v = vms[i];
		int64_t j = i;
		for (; j > 0 && vms[j - 1].id > v.id; j--)
			vms[j] = vms[j - 1];
		vms[j] = v;
	}
	return n;
}

/* The newest record of a VM called name (running before stopped), or
 * NULL. Needs fetch_vms first. */
static const struct bh_vm_stat *find_vm(int64_t n, const char *name)
{
	const struct bh_vm_stat *found = NULL;

	for (int64_t i = 0; i < n; i++) {
		const struct bh_vm_stat *v = &vms[i];
		if (strncmp(v->name, name, sizeof(v->name)))
			continue;
		if (!found || v->state != BH_VM_STOPPED || found->state == BH_VM_STOPPED)
			found = v;
	}
	return found;
}

bool cli_vm_known(const char *name)
{
	int64_t total, n = fetch_vms(&total);
	return n > 0 && find_vm(n, name) != NULL;
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case BH_VM_RUNNING: return "running";
	case BH_VM_WAITING: return "waiting";
	case BH_VM_STOPPED: return "stopped";
	}
	return "unknown";
}

/* CPU time as "N us", "N.NNN ms" or "N.NNN s". */
static void cpu_time(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000000)
		bh_snprintf(buf, len, "%llu us", (unsigned long long)(ns / 1000));
	else if (ns < 1000000000)
		bh_snprintf(buf, len, "%llu.%03llu ms", (unsigned long long)(ns / 1000000),
		            (unsigned long long)(ns / 1000 % 1000));
	else
		bh_snprintf(buf, len, "%llu.%03llu s", (unsigned long long)(ns / 1000000000),
		            (unsigned long long)(ns / 1000000 % 1000));
}

static int width(const char *s, int w)
{
	int n = (int)strlen(s);
	return n > w ? n : w;
}

void cmd_list(int argc, char **argv)
{
	(void)argc; (void)argv;
	int64_t total, n = fetch_vms(&total);
	if (n < 0) {
		cli_error("list", n);
		return;
	}
	/* Columns as wide as their widest cell: names left, numbers right.
	 * Static: some 19 KiB for LIST_MAX rows, too much for the stack. */
	static char mem[LIST_MAX][24], cpu[LIST_MAX][24], id[LIST_MAX][12];
	int wn = 4, wi = 2, ws = 5, wm = 6, wc = 8;
	for (int64_t i = 0; i < n; i++) {
		bh_snprintf(id[i], sizeof(id[i]), "%u", vms[i].id);
		cli_size(mem[i], sizeof(mem[i]), vms[i].memory);
		cpu_time(cpu[i], sizeof(cpu[i]), vms[i].cpu_ns);
		wn = width(vms[i].name, wn);
		wi = width(id[i], wi);
		ws = width(state_name(vms[i].state), ws);
		wm = width(mem[i], wm);
		wc = width(cpu[i], wc);
	}
	out_printf("%-*s  %*s  %-*s  %*s  %*s\n", wn, "NAME", wi, "ID", ws, "STATE",
	           wm, "MEMORY", wc, "CPU-TIME");
	for (int64_t i = 0; i < n; i++)
		out_printf("%-*s  %*s  %-*s  %*s  %*s\n", wn, vms[i].name, wi, id[i],
		           ws, state_name(vms[i].state), wm, mem[i], wc, cpu[i]);
	if (total > n)
		out_printf("(%lld more not shown)\n", (long long)(total - n));
}

/* The exit kinds of struct bh_vm_stat.exits_by_kind, in its order. */
static const char *const exit_kind_names[BH_EXIT_KINDS] = {
	[BH_EXIT_KIND_IO] = "io", [BH_EXIT_KIND_MMIO] = "mmio", [BH_EXIT_KIND_HLT] = "hlt",
	[BH_EXIT_KIND_CPUID] = "cpuid", [BH_EXIT_KIND_MSR] = "msr", [BH_EXIT_KIND_CR] = "cr",
	[BH_EXIT_KIND_WINDOW] = "window", [BH_EXIT_KIND_PREEMPT] = "preempt",
	[BH_EXIT_KIND_OTHER] = "other",
};

void cmd_exits(int argc, char **argv)
{
	(void)argc;
	int64_t total, n = fetch_vms(&total);
	if (n < 0) {
		cli_error("exits", n);
		return;
	}
	const struct bh_vm_stat *v = find_vm(n, argv[1]);
	if (!v) {
		out_printf("exits: no VM called %s; 'list' shows them\n", argv[1]);
		return;
	}
	/* One line, so that a script reads a count and the VM's age together. */
	out_printf("exits %s: %llu in %llu ns since its creation;", v->name,
	           (unsigned long long)v->exits, (unsigned long long)v->age_ns);
	for (int k = 0; k < BH_EXIT_KINDS; k++)
		out_printf(" %s %llu", exit_kind_names[k], (unsigned long long)v->exits_by_kind[k]);
	out_str("\n");
}

/* How long launch asks again while the kernel says stopped VMs' memory is
 * on its way back (-BH_EAGAIN): a large VM's scrub, under emulation. */
#define LAUNCH_RETRY_MS      30000u
#define LAUNCH_RETRY_STEP_MS 10u

/* What launch's -BH_EDQUOT means here: the launched VMs' count and memory
 * against the launch rule. */
static void explain_quota(void)
{
	int64_t total, n = fetch_vms(&total);
	uint64_t held = 0;
	unsigned count = 0;
	char size[24];

	for (int64_t i = 0; i < n; i++) {
		if (vms[i].launched && vms[i].state != BH_VM_STOPPED) {
			count++;
			held += vms[i].memory;
		}
	}
	out_printf("launch: launch quota exceeded (max-vms / max-memory of %s's "
	           "launch rule): %u launched VMs already hold %s\n", cli_self(),
	           count, cli_size(size, sizeof(size), held));
}

static void explain_nomem(const char *template_name)
{
	struct bh_sys_stats st;

	out_printf("launch: out of memory: no room for a VM from '%s'", template_name);
	if (bh_stats(&st) >= 0)
		out_printf(" (run-time pool: %llu of %llu MiB in use)",
		           (unsigned long long)(st.pool_used >> 20),
		           (unsigned long long)(st.pool_size >> 20));
	out_str("\n");
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

static void hint_image_file(const char *image)
{
	if (ends_with(image, ".elf"))
		out_str("launch: IMAGE is the policy's name for a template (such as "
		        "'hello'), not an image file name\n");
}

/* Launch was refused by the policy: say which rule. A boot VM's name is
 * not a template at all. */
static void explain_denied(const char *template_name)
{
	int64_t total, n = fetch_vms(&total);
	const struct bh_vm_stat *v = n > 0 ? find_vm(n, template_name) : NULL;

	if (v && !v->launched) {
		out_printf("launch: policy: '%s' is a boot VM (policy line %u), not a "
		           "template; only \"boot no\" VMs can be launched\n",
		           template_name, v->policy_line);
		return;
	}
	out_printf("launch: policy: %s may not launch %s (not in its launch rule",
	           cli_self(), template_name);
	if (v)
		out_printf("; the template is at policy line %u", v->policy_line);
	out_str(")\n");
}

void cmd_launch(int argc, char **argv)
{
	const char *image = argv[1], *name = argc > 2 ? argv[2] : argv[1];

	if (!bh_name_valid(image)) {
		out_printf("launch: '%s' is not a template name (1 to 31 of a-z 0-9 _ -)\n",
		           image);
		hint_image_file(image);
		return;
	}
	if (!bh_name_valid(name)) {
		out_printf("launch: '%s' is not a valid VM name (1 to 31 of a-z 0-9 _ -)\n",
		           name);
		return;
	}
	int64_t r = bh_vm_launch(image, name);
	/* It fits once stopped VMs' memory, being scrubbed, is back: a stop
	 * typed just before is still being reclaimed. */
	unsigned waited_ms = 0;
	while (r == -BH_EAGAIN && waited_ms < LAUNCH_RETRY_MS) {
		bh_sleep_ns(LAUNCH_RETRY_STEP_MS * BH_NS_PER_MS);
		waited_ms += LAUNCH_RETRY_STEP_MS;
		r = bh_vm_launch(image, name);
	}
	if (r >= 0 && waited_ms)
		out_printf("launch: waited %u ms for stopped VMs' memory to be reclaimed\n",
		           waited_ms);
	if (r >= 0) {
		out_printf("launched %s from %s (id %lld)\n", name, image, (long long)r);
		return;
	}
	switch (-r) {
	case BH_EPERM:
		explain_denied(image);
		break;
	case BH_ENOENT:
		out_printf("launch: unknown image '%s': the policy has no template of "
		           "that name, or its image file is not in the bundle\n", image);
		break;
	case BH_EEXIST:
		out_printf("launch: a VM named %s is already running (launch %s "
		           "OTHER-NAME gives the new one another name)\n", name, image);
		break;
	case BH_EINVAL:
		out_printf("launch: the kernel refused the name '%s'\n", name);
		break;
	case BH_EDQUOT:
		explain_quota();
		break;
	case BH_ENOMEM:
		explain_nomem(image);
		break;
	case BH_EAGAIN:
		out_printf("launch: stopped VMs' memory is still being reclaimed after %u s; try "
		           "again\n", waited_ms / 1000);
		break;
	case BH_EBUSY:
		out_printf("launch: not enough CPU left: a VM from '%s' would take the running "
		           "VMs' CPU budgets (policy \"cpu\") above 100%%\n", image);
		break;
	default:
		cli_error("launch", r);
		break;
	}
}

void cmd_stop(int argc, char **argv)
{
	(void)argc;
	const char *name = argv[1];

	if (!bh_name_valid(name)) {
		out_printf("stop: '%s' is not a valid VM name\n", name);
		return;
	}
	int64_t r = bh_vm_stop(name);
	if (r >= 0) {
		out_printf("stopped %s\n", name);
		return;
	}
	int64_t total, n = fetch_vms(&total);
	const struct bh_vm_stat *v = n > 0 ? find_vm(n, name) : NULL;
	switch (-r) {
	case BH_ENOENT:
		if (v && v->state == BH_VM_STOPPED)
			out_printf("stop: %s is not running (it has stopped already)\n", name);
		else
			out_printf("stop: no VM named %s is running\n", name);
		break;
	case BH_EPERM:
		if (v && !v->launched)
			out_printf("stop: policy: %s is a boot VM; %s may stop only the VMs "
			           "it launched\n", name, cli_self());
		else
			out_printf("stop: policy: %s may not stop %s\n", cli_self(), name);
		break;
	default:
		cli_error("stop", r);
		break;
	}
}
