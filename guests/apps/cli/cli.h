/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control VM's command line (docs/cli.md): the seams between its
 * files. Everything runs on the VM's one vCPU; nothing is reentrant.
 *
 *   main.c      the loop: console input, log forwarding, idle waits
 *   out.c       buffered console output
 *   editor.c    the input line: echo, Backspace, the prompt
 *   logfwd.c    kernel log lines to the console, with the CLI's cursor
 *   commands.c  the command table, argument checks, help
 *   cmd_vms.c   list, launch, stop
 *   cmd_sys.c   images, channels, log, stats, shutdown
 *   attach.c    attach: the console as one VM's serial console
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_PROMPT "bulkhead> "
/* Longest input line; longer input is refused a byte at a time (BEL). */
#define CLI_LINE_MAX 200
/* Most words a command line may have, the command included. */
#define CLI_ARGS_MAX 8

/* ---- main.c: the loop ------------------------------------------------------ */

/* Bytes of console input read at once. */
#define CLI_INPUT_CHUNK 64

/* Reads up to max bytes of console input: first those given back with
 * cli_unread, else BH_HC_CONSOLE_READ's (its result, errors included). */
int64_t cli_input(char *buf, size_t max);

/* Gives back n <= CLI_INPUT_CHUNK bytes read but not used, to be read
 * again first: typed-ahead input goes where it was meant to, whichever
 * part of the CLI reads next. */
void cli_unread(const char *buf, size_t n);

/* The end of a loop turn: notes the time if input came (true), else
 * sleeps a poll interval once input has paused for a burst's length. */
void cli_pause(bool input, uint64_t *last_input);

/* ---- out.c: console output ------------------------------------------------
 * Buffered; goes out with BH_HC_CONSOLE_WRITE on out_flush or when the
 * buffer fills. The control VM's writes reach COM1 as they are, except
 * that the kernel turns "\n" into "\r\n". */
void out_write(const char *s, size_t n);
void out_str(const char *s);
int out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_flush(void);

/* ---- editor.c: the input line -------------------------------------------- */

/*
 * Feeds one byte typed on the console. Printable bytes are added and
 * echoed; Backspace (0x7f, 0x08) removes the last one; Ctrl-C drops the
 * line; Ctrl-U clears it; escape sequences (arrow keys) are ignored. On
 * Enter ("\r", "\n" or "\r\n") returns true with *line pointing at the
 * finished line (NUL-terminated, valid until the next call); the prompt
 * is then no longer shown.
 */
bool editor_feed(char c, char **line);

/* Erases the prompt and the partial input from the screen, if shown, so
 * other output can take their place. */
void editor_hide(void);

/* Shows the prompt and the partial input again, if hidden. */
void editor_show(void);

/* ---- logfwd.c: the kernel log --------------------------------------------- */

/* Sets the forwarding cursor to the first log byte the kernel wrote only
 * to its ring (BH_LOG_CURSOR_CONSOLE), or if the ring has overwritten
 * that, its oldest byte. */
void logfwd_init(void);

/* Shows the whole lines logged since the cursor, above the prompt, and
 * advances the cursor; while attached, through attach_show_line. Returns
 * true if it showed anything. */
bool logfwd_forward(void);

/* Shows the log ring from its oldest byte to the newest, then forwarding
 * goes on from there. */
void logfwd_dump(void);

/* ---- commands.c, cmd_*.c -------------------------------------------------- */

/* Runs one input line (modified in place). */
void cli_run(char *line);

/* A VM or template name as the policy allows it: 1 to 31 of a-z 0-9 _ -. */

/* Prints "what: error text" for a result the commands have no better
 * words for. */
void cli_error(const char *what, int64_t err);

/* The text of -BH_E* err, "error N" if unknown. */
const char *cli_strerror(int64_t err);

/* The commands: argc/argv as split by cli_run, argv[0] the command. */
void cmd_list(int argc, char **argv);
void cmd_exits(int argc, char **argv);
void cmd_launch(int argc, char **argv);
void cmd_stop(int argc, char **argv);
void cmd_images(int argc, char **argv);
void cmd_channels(int argc, char **argv);
void cmd_log(int argc, char **argv);
void cmd_stats(int argc, char **argv);
void cmd_shutdown(int argc, char **argv);
void cmd_attach(int argc, char **argv);

/* True if the VM list has a VM called name, running or stopped. */
bool cli_vm_known(const char *name);

/* ---- attach.c: attach NAME ------------------------------------------------ */

/* True while the console is attached to a VM (cmd_attach runs). */
bool attach_active(void);

/* Shows one log line (len bytes, its "\n" included) while attached: the
 * attached VM's text raw, without its name or a newline it did not write;
 * any other line as it is, on a line of its own. */
void attach_show_line(const char *line, size_t len);

/* Formats bytes as "N MiB", "N KiB" or "N bytes", the largest unit that
 * divides it, into buf. Returns buf. */
char *cli_size(char *buf, size_t len, uint64_t bytes);

/* This VM's name (from the start-info page). */
const char *cli_self(void);

#endif
