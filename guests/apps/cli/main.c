/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli: the control VM's command line (docs/cli.md). The kernel gives the
 * control VM the console: what it writes goes straight to COM1, what is
 * typed there comes back through BH_HC_CONSOLE_READ, and the kernel log,
 * other VMs' output included, reaches the user only through the CLI.
 *
 * The loop: take what was typed and run each finished line; show new log
 * lines; when nothing has been typed for BURST_NS, sleep POLL_NS (a
 * waiting VM costs no CPU). Lines typed ahead (a script on the console)
 * run one after the other, each with its log lines and a fresh prompt
 * after it.
 */
#include <bulkhead/runtime.h>

#include "cli.h"

/* Latency of echo and of forwarded log lines while idle. */
#define POLL_NS (20 * BH_NS_PER_MS)
/*
 * After input arrives, keep reading without waiting this long: a script
 * on the console (`printf 'launch hello\nlist\n' | make run`) trickles in
 * at the line speed, ~87 us a byte at 115200 baud, and any wait would let
 * the VMs it just launched run between its lines. Typing by hand costs a
 * burst per keystroke.
 */
#define BURST_NS (2 * BH_NS_PER_MS)

static void banner(void)
{
	out_printf("\nBulkhead control console on VM %s. Type 'help' for the commands.\n",
	           cli_self());
}

/* Bytes read but not yet used: what followed a command line that took
 * over the console (attach), or followed Ctrl-] when it gave it back. */
static char pending[CLI_INPUT_CHUNK];
static size_t pending_len;

int64_t cli_input(char *buf, size_t max)
{
	if (!pending_len)
		return bh_console_read(buf, max);
	size_t n = pending_len < max ? pending_len : max;
	memcpy(buf, pending, n);
	memmove(pending, pending + n, pending_len - n);
	pending_len -= n;
	return (int64_t)n;
}

void cli_unread(const char *buf, size_t n)
{
	if (n > sizeof(pending) - pending_len)
		n = sizeof(pending) - pending_len;   /* cannot happen: one chunk at most */
	memmove(pending + n, pending, pending_len);
	memcpy(pending, buf, n);
	pending_len += n;
}

int main(void)
{
	char in[CLI_INPUT_CHUNK];
	uint64_t last_input = 0;

	logfwd_init();
	banner();
	logfwd_forward();
	editor_show();
	out_flush();
	for (;;) {
		int64_t n = cli_input(in, sizeof(in));
		if (n < 0) {
			/* Not the console's owner, or no "console" right: nothing
			 * to read, ever. Keep showing the log. */
			editor_hide();
			cli_error("console input", n);
			out_flush();
			for (;;) {
				logfwd_forward();
				out_flush();
				bh_sleep_ns(POLL_NS);
			}
		}
		for (int64_t i = 0; i < n; i++) {
			char *line;
			if (editor_feed(in[i], &line)) {
				/* What follows is the command's to take (attach's
				 * keys), else the next turn's. */
				cli_unread(in + i + 1, (size_t)(n - i - 1));
				cli_run(line);
				logfwd_forward();
				editor_show();
				break;
			}
		}
		logfwd_forward();
		editor_show();
		out_flush();
		cli_pause(n > 0, &last_input);
	}
}

void cli_pause(bool input, uint64_t *last_input)
{
	if (input)
		*last_input = bh_time_ns();
	else if (bh_time_ns() - *last_input >= BURST_NS)
		bh_wait(POLL_NS);
}
