/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The input line (contract: cli.h). The console is a raw terminal: the
 * CLI echoes what is typed and draws Backspace itself. Asynchronous output
 * (forwarded log lines) first erases the prompt line with "\r" and
 * "ESC [ K", then the prompt and the partial input are drawn again below
 * it, so the line being typed is never garbled.
 */
#include <bulkhead/runtime.h>

#include "cli.h"

#define CTRL(c) ((c) & 0x1f)
#define DEL     0x7f
#define ESC     0x1b

static char line[CLI_LINE_MAX + 1];
static size_t len;
static bool shown;          /* the prompt and line are on the screen */
static bool after_cr;       /* the last byte was "\r": a "\n" next is its pair */
static enum { PLAIN, SAW_ESC, IN_SEQ } esc;

static void draw(void)
{
	out_str(CLI_PROMPT);
	out_write(line, len);
	shown = true;
}

void editor_hide(void)
{
	if (shown) {
		out_str("\r\033[K");
		shown = false;
	}
}

void editor_show(void)
{
	if (!shown)
		draw();
}

/* Escape sequences: ESC [ params final, ESC O x, or ESC x. None edits. */
static bool swallow_escape(unsigned char c)
{
	switch (esc) {
	case SAW_ESC:
		esc = (c == '[' || c == 'O') ? IN_SEQ : PLAIN;
		return true;
	case IN_SEQ:
		if (c >= 0x40 && c <= 0x7e)
			esc = PLAIN;
		return true;
	case PLAIN:
		break;
	}
	if (c == ESC) {
		esc = SAW_ESC;
		return true;
	}
	return false;
}

bool editor_feed(char ch, char **out)
{
	unsigned char c = (unsigned char)ch;
	bool pair = after_cr && c == '\n';

	after_cr = (c == '\r');
	if (pair || swallow_escape(c))
		return false;
	editor_show();
	switch (c) {
	case '\r':
	case '\n':
		out_str("\n");
		shown = false;
		line[len] = '\0';
		len = 0;
		*out = line;
		return true;
	case DEL:
	case '\b':
		if (len) {
			len--;
			out_str("\b \b");
		}
		return false;
	case CTRL('C'):
		out_str("^C\n");
		shown = false;
		len = 0;
		return false;
	case CTRL('U'):
		len = 0;
		out_str("\r\033[K");
		draw();
		return false;
	case '\t':
		c = ' ';
		break;
	default:
		break;
	}
	if (c < 0x20 || c >= 0x7f)
		return false;               /* other controls, non-ASCII */
	if (len == CLI_LINE_MAX) {
		out_str("\a");              /* full: refuse the byte */
		return false;
	}
	line[len++] = (char)c;
	out_write((const char *)&c, 1);
	return false;
}
