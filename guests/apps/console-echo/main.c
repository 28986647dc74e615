/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A line-reading console app for attach (docs/cli.md): shows a prompt
 * "echo> " without a newline, echoes each byte typed as a terminal's line
 * discipline would (Backspace erases, Ctrl-C drops the line and shows
 * "^C"), and on Enter answers "you typed: LINE" and shows the prompt
 * again; the line "exit" makes it exit with status 0. Input arrives
 * through BH_HC_CONSOLE_READ, woken by BH_EVENT_CONSOLE_INPUT; it sleeps
 * meanwhile.
 *
 * A VM whose name starts with "deaf" never reads its input, so what is
 * sent to it fills its queue: it says so once and waits forever.
 */
#include <bulkhead/control.h>
#include <bulkhead/runtime.h>

#define PROMPT   "echo> "
#define LINE_MAX 120
#define CTRL(c)  ((c) & 0x1f)

static char line[LINE_MAX + 1];
static size_t len;

/* One byte: echo, edit, or finish the line. Writes go out at once (a
 * prompt has no newline to flush it). */
static void feed(char c)
{
	switch (c) {
	case '\r':
	case '\n':
		line[len] = '\0';
		if (!strcmp(line, "exit"))
			bh_exit(0);
		bh_printf("\nyou typed: %s\n" PROMPT, line);
		len = 0;
		break;
	case CTRL('C'):
		bh_printf("^C\n" PROMPT);
		len = 0;
		break;
	case 0x7f:
	case '\b':
		if (len) {
			len--;
			bh_printf("\b \b");
		}
		break;
	default:
		if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f && len < LINE_MAX) {
			line[len++] = c;
			bh_putchar(c);
		}
	}
	bh_flush();
}

int main(void)
{
	const char *name = bh_start_info()->name;
	char in[64];

	if (!strncmp(name, "deaf", 4)) {
		bh_printf("never reading its input\n");
		for (;;)
			bh_wait(BH_WAIT_FOREVER);
	}
	bh_printf("ready\n" PROMPT);
	bh_flush();
	for (;;) {
		int64_t n = bh_console_read(in, sizeof(in));
		if (n < 0)
			bh_panic("console read: %lld", (long long)n);
		for (int64_t i = 0; i < n; i++)
			feed(in[i]);
		if (n == 0)
			bh_wait(BH_WAIT_FOREVER);   /* woken by BH_EVENT_CONSOLE_INPUT */
	}
}
