/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command table (docs/cli.md): splitting a line into words, checking
 * the argument count, help, and the shared error words.
 */
#include <bulkhead/runtime.h>

#include "cli.h"

struct command {
	const char *name;
	const char *args;          /* usage after the name */
	const char *what;          /* one line for help */
	int min_args, max_args;    /* not counting the name */
	void (*run)(int argc, char **argv);
};

static void cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "help", "", "this list", 0, 0, cmd_help },
	{ "list", "", "the VMs: NAME ID STATE MEMORY CPU-TIME", 0, 0, cmd_list },
	{ "exits", "NAME", "NAME's VM exits so far, by kind (a Linux guest's)", 1, 1, cmd_exits },
	{ "launch", "IMAGE [NAME]",
	  "start a VM from template IMAGE, called NAME (default: IMAGE)", 1, 2, cmd_launch },
	{ "stop", "NAME", "stop a VM launched from this console", 1, 1, cmd_stop },
	{ "attach", "NAME", "be NAME's console until Ctrl-] (its input and output)",
	  1, 1, cmd_attach },
	{ "images", "", "the policy's images in the bundle: name, size, SHA-256",
	  0, 0, cmd_images },
	{ "channels", "", "the channels between VMs", 0, 0, cmd_channels },
	{ "log", "", "the kernel log from its oldest kept line; new lines follow",
	  0, 0, cmd_log },
	{ "stats", "", "memory free and used, VM count, run-time pool", 0, 0, cmd_stats },
	{ "shutdown", "", "power the machine off", 0, 0, cmd_shutdown },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(const struct command *c)
{
	out_printf("usage: %s%s%s\n", c->name, c->args[0] ? " " : "", c->args);
}

static void cmd_help(int argc, char **argv)
{
	(void)argc; (void)argv;
	out_str("commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		char head[32];
		bh_snprintf(head, sizeof(head), "%s%s%s", commands[i].name,
		            commands[i].args[0] ? " " : "", commands[i].args);
		out_printf("  %-20s %s\n", head, commands[i].what);
	}
	out_str("IMAGE is a template: a VM the policy declares with \"boot no\".\n"
	        "Keys: Backspace deletes, Ctrl-U clears the line, Ctrl-C drops it.\n"
	        "While attached every key goes to the VM but Ctrl-], which detaches.\n"
	        "Other VMs' output and the kernel log appear as \"NAME: text\" "
	        "and \"vm NAME: ...\" lines.\n");
}

static bool is_space(char c)
{
	return c == ' ';
}

void cli_run(char *line)
{
	char *argv[CLI_ARGS_MAX];
	int argc = 0;

	for (char *p = line; *p;) {
		while (is_space(*p))
			p++;
		if (!*p)
			break;
		if (argc == CLI_ARGS_MAX) {
			out_printf("too many words (at most %d); type 'help' for "
			           "the commands\n", CLI_ARGS_MAX);
			return;
		}
		argv[argc++] = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (argc == 0)
		return;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		if (strcmp(argv[0], c->name))
			continue;
		if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
			out_printf("%s: %s\n", c->name, argc - 1 < c->min_args ?
			           "missing argument" : "too many arguments");
			usage(c);
			return;
		}
		c->run(argc, argv);
		return;
	}
	out_printf("unknown command '%s'; type 'help' for the list\n", argv[0]);
}

const char *cli_strerror(int64_t err)
{
	static char unknown[32];

	switch (-err) {
	case BH_EPERM:     return "not permitted by the policy";
	case BH_ENOENT:    return "no such object";
	case BH_EIO:       return "device or firmware failure";
	case BH_E2BIG:     return "argument too large";
	case BH_EAGAIN:    return "not now: try again in a moment";
	case BH_ENOMEM:    return "out of memory";
	case BH_EFAULT:    return "bad address";
	case BH_EBUSY:     return "busy";
	case BH_EEXIST:    return "already exists";
	case BH_EINVAL:    return "invalid argument";
	case BH_ENOSPC:    return "no room left";
	case BH_EPIPE:     return "the other end is gone";
	case BH_ERANGE:    return "out of range";
	case BH_ENOSYS:    return "this kernel has no such call";
	case BH_ENODATA:   return "no data";
	case BH_ETIMEDOUT: return "timed out";
	case BH_EDQUOT:    return "a policy quota would be exceeded";
	}
	bh_snprintf(unknown, sizeof(unknown), "error %lld", (long long)err);
	return unknown;
}

void cli_error(const char *what, int64_t err)
{
	out_printf("%s: %s (%lld)\n", what, cli_strerror(err), (long long)err);
}

char *cli_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes && bytes % (1024 * 1024) == 0)
		bh_snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (bytes && bytes % 1024 == 0)
		bh_snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		bh_snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	return buf;
}

const char *cli_self(void)
{
	return bh_start_info()->name;
}
