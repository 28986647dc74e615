/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * attach NAME (docs/cli.md): the console becomes that VM's serial console
 * until Ctrl-] is typed, as with `virsh console`. Every other byte typed
 * goes to the VM as it is (Ctrl-C included), through BH_HC_CONSOLE_SEND;
 * the VM's text is shown as it wrote it, without its name and without
 * newlines it did not write. The kernel logs it, while attached, as lines
 * "NAME: text" (text, then a newline) and "NAME+ text" (text the VM wrote
 * no newline after yet: a prompt). Every other log line, other VMs' text
 * and the kernel's, is shown as ever, on a line of its own: the VM's
 * unfinished line is erased first and drawn again after it.
 */
#include <bulkhead/runtime.h>

#include "cli.h"

#define DETACH_KEY 0x1d   /* Ctrl-], as virsh and telnet */

static const char *attached;   /* NULL while not attached */
static size_t attached_len;
/* The VM's unfinished line as shown, to draw it again below a log line;
 * longer ones are not drawn again (the log line then starts below it). */
static char unfinished[CLI_LINE_MAX];
static size_t unfinished_len;
static bool mid_line;          /* the VM's text on screen ends without newline */
static bool too_long;          /* unfinished overflowed: not redrawn */

bool attach_active(void)
{
	return attached != NULL;
}

/* The text of line if the attached VM wrote it with separator sep
 * (": " or "+ "); an empty whole line is "NAME:\n". NULL otherwise. */
static const char *own_text(const char *line, size_t len, const char *sep)
{
	if (len < attached_len + 2 || memcmp(line, attached, attached_len))
		return NULL;
	const char *p = line + attached_len;
	if (p[0] != sep[0])
		return NULL;
	if (p[1] == ' ')
		return p + 2;
	return sep[0] == ':' && p[1] == '\n' ? p + 1 : NULL;
}

static void remember(const char *s, size_t n)
{
	if (too_long || unfinished_len + n > sizeof(unfinished)) {
		too_long = true;
		return;
	}
	memcpy(unfinished + unfinished_len, s, n);
	unfinished_len += n;
}

static void forget_line(void)
{
	mid_line = false;
	too_long = false;
	unfinished_len = 0;
}

void attach_show_line(const char *line, size_t len)
{
	const char *end = line + len;
	const char *text;

	if ((text = own_text(line, len, "+ "))) {
		size_t n = (size_t)(end - text);
		if (n && text[n - 1] == '\n')
			n--;   /* the log's line end, not the VM's */
		out_write(text, n);
		remember(text, n);
		mid_line = true;
		return;
	}
	if ((text = own_text(line, len, ": "))) {
		out_write(text, (size_t)(end - text));
		forget_line();
		return;
	}
	/* Someone else's line: on a line of its own, the VM's unfinished one
	 * drawn again below it. */
	if (mid_line && !too_long)
		out_str("\r\033[K");
	else if (mid_line)
		out_str("\n");
	out_write(line, len);
	if (len && line[len - 1] != '\n')
		out_str("\n");
	if (mid_line && !too_long)
		out_write(unfinished, unfinished_len);
	else
		forget_line();
}

/* Why the attach cannot start, in the policy's terms, for error err of
 * bh_console_attach. */
static void refused(const char *name, int64_t err)
{
	switch (-err) {
	case BH_ENOENT:
		if (cli_vm_known(name))
			out_printf("attach: %s has stopped\n", name);
		else
			out_printf("attach: no VM called %s; 'list' shows them\n", name);
		return;
	case BH_EPERM:
		if (!strcmp(name, cli_self()))
			out_printf("attach: %s is this console's own VM\n", name);
		else
			out_printf("attach: %s is not this console's: another VM launched "
			           "it, or the policy gives this VM no \"stop\" right\n", name);
		return;
	}
	cli_error("attach", err);
}

/* Sends what was typed. Returns false once the VM has stopped. */
static bool send(const char *buf, size_t n, uint64_t *undelivered)
{
	int64_t r = bh_console_send(buf, n);
	if (r == -BH_EPIPE)
		return false;
	if (r < 0) {
		cli_error("attach: input", r);
		return false;
	}
	if ((size_t)r < n) {
		if (!*undelivered) {
			/* Once, on a line of its own like a log line. */
			char note[CLI_LINE_MAX];
			int len = bh_snprintf(note, sizeof(note), "[attach: %s is not reading "
			                      "its input: typed bytes are being dropped]\n",
			                      attached);
			if (len > 0 && (size_t)len < sizeof(note))
				attach_show_line(note, (size_t)len);
		}
		*undelivered += n - (size_t)r;
	}
	return true;
}

void cmd_attach(int argc, char **argv)
{
	const char *name = argv[1];
	char in[CLI_INPUT_CHUNK], keep[CLI_INPUT_CHUNK];
	uint64_t last_input = 0, undelivered = 0;
	bool stopped = false, detach = false;
	(void)argc;

	/* The lines from before, as ever: the VM's with its name. */
	logfwd_forward();
	int64_t rc = bh_console_attach(name);
	if (rc < 0) {
		refused(name, rc);
		return;
	}
	out_printf("attached to %s; Ctrl-] detaches\n", name);
	attached = name;
	attached_len = strlen(name);
	forget_line();
	logfwd_forward();
	out_flush();
	while (!detach && !stopped) {
		int64_t n = cli_input(in, sizeof(in));
		size_t k = 0;
		for (int64_t i = 0; i < n && !detach; i++) {
			if (in[i] != DETACH_KEY) {
				keep[k++] = in[i];
				continue;
			}
			detach = true;
			cli_unread(in + i + 1, (size_t)(n - i - 1));   /* the prompt's */
		}
		stopped = !send(keep, k, &undelivered);
		logfwd_forward();
		out_flush();
		cli_pause(n > 0, &last_input);
	}
	bh_console_attach("");
	logfwd_forward();   /* what the VM wrote last, the kernel's line on its stop */
	attached = NULL;
	if (mid_line)
		out_str("\n");
	forget_line();
	if (stopped)
		out_printf("%s has stopped; detached\n", name);
	else
		out_printf("detached from %s\n", name);
	if (undelivered)
		out_printf("(%llu typed bytes were not delivered: %s's input queue was "
		           "full)\n", (unsigned long long)undelivered, name);
}
