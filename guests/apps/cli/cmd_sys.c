/* SPDX-License-Identifier: GPL-2.0-only */
/* images, channels, log, stats and shutdown (docs/cli.md). */
#include <bulkhead/runtime.h>

#include "cli.h"

/* The policy blob's limits (docs/policy.md): 64 images, 64 channels. */
#define IMAGES_MAX   64
#define CHANNELS_MAX 64

static struct bh_image_info images[IMAGES_MAX];
static struct bh_channel_stat channels[CHANNELS_MAX];

void cmd_images(int argc, char **argv)
{
	(void)argc; (void)argv;
	int64_t total = bh_images(images, IMAGES_MAX);
	if (total < 0) {
		cli_error("images", total);
		return;
	}
	int64_t n = total < IMAGES_MAX ? total : IMAGES_MAX;
	int wn = 4, ws = 4;
	for (int64_t i = 0; i < n; i++) {
		char size[24];
		int len = (int)strnlen(images[i].name, sizeof(images[i].name));
		wn = len > wn ? len : wn;
		len = bh_snprintf(size, sizeof(size), "%llu",
		                  (unsigned long long)images[i].size);
		ws = len > ws ? len : ws;
	}
	out_printf("%-*s  %*s  %s\n", wn, "NAME", ws, "SIZE", "SHA-256");
	for (int64_t i = 0; i < n; i++) {
		char hex[65];
		for (int b = 0; b < 32; b++)
			bh_snprintf(hex + 2 * b, 3, "%02x", images[i].sha256[b]);
		out_printf("%-*.*s  %*llu  %s\n", wn, (int)sizeof(images[i].name),
		           images[i].name, ws, (unsigned long long)images[i].size, hex);
	}
	if (total > n)
		out_printf("(%lld more not shown)\n", (long long)(total - n));
}

void cmd_channels(int argc, char **argv)
{
	(void)argc; (void)argv;
	int64_t total = bh_channels(channels, CHANNELS_MAX);
	if (total < 0) {
		cli_error("channels", total);
		return;
	}
	if (total == 0) {
		out_str("no channels: the policy declares none\n");
		return;
	}
	int64_t n = total < CHANNELS_MAX ? total : CHANNELS_MAX;
	char ends[CHANNELS_MAX][72], size[CHANNELS_MAX][24];
	int wn = 4, we = 4, ws = 4;
	for (int64_t i = 0; i < n; i++) {
		const struct bh_channel_stat *c = &channels[i];
		int len = bh_snprintf(ends[i], sizeof(ends[i]), "%.31s %s %.31s", c->end[0],
		                      (c->flags & BH_CHANNEL_BOTH) ? "<->" : "--", c->end[1]);
		we = len > we ? len : we;
		len = (int)strnlen(c->name, sizeof(c->name));
		wn = len > wn ? len : wn;
		len = (int)strlen(cli_size(size[i], sizeof(size[i]), c->size));
		ws = len > ws ? len : ws;
	}
	out_printf("%-*s  %-*s  %*s  %-9s  %s\n", wn, "NAME", we, "ENDS", ws, "SIZE",
	           "DIRECTION", "STATE");
	for (int64_t i = 0; i < n; i++) {
		const struct bh_channel_stat *c = &channels[i];
		char state[80];
		if (!c->gone)
			bh_snprintf(state, sizeof(state), "open");
		else if (c->gone == 3)
			bh_snprintf(state, sizeof(state), "both ends gone");
		else
			bh_snprintf(state, sizeof(state), "%.31s gone",
			            c->end[(c->gone & 1) ? 0 : 1]);
		out_printf("%-*.*s  %-*s  %*s  %-9s  %s\n", wn, (int)sizeof(c->name), c->name,
		           we, ends[i], ws, size[i],
		           (c->flags & BH_CHANNEL_BOTH) ? "both" : "one way", state);
	}
	if (total > n)
		out_printf("(%lld more not shown)\n", (long long)(total - n));
}

void cmd_log(int argc, char **argv)
{
	(void)argc; (void)argv;
	logfwd_dump();
}

/* "N bytes (X MiB)": exact for comparisons, readable for people. */
static void stat_line(const char *label, uint64_t bytes)
{
	out_printf("%-15s %llu bytes (%llu MiB)\n", label, (unsigned long long)bytes,
	           (unsigned long long)(bytes >> 20));
}

void cmd_stats(int argc, char **argv)
{
	(void)argc; (void)argv;
	struct bh_sys_stats st;
	int64_t r = bh_stats(&st);
	if (r < 0) {
		cli_error("stats", r);
		return;
	}
	stat_line("memory free:", st.mem_free);
	stat_line("memory in VMs:", st.mem_vms);
	out_printf("%-15s %u running (at most %u)\n", "VMs:", st.vms, st.vms_max);
	stat_line("pool size:", st.pool_size);
	stat_line("pool used:", st.pool_used);
	stat_line("pool free:", st.pool_size - st.pool_used);
	out_printf("%-15s %llu bytes (kernel memory per 2 MiB VM)\n", "kernel per VM:",
	           (unsigned long long)st.kernel_bytes_per_vm);
}

void cmd_shutdown(int argc, char **argv)
{
	(void)argc; (void)argv;
	out_str("shutting down\n");
	out_flush();
	int64_t r = bh_shutdown();
	cli_error("shutdown", r);   /* only if it failed */
}
