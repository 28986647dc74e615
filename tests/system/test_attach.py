# SPDX-License-Identifier: GPL-2.0-only
"""The CLI's attach (docs/cli.md): the console becomes one VM's serial
console until Ctrl-]. Uses console-echo.elf, which shows a prompt
"echo> " with no newline, echoes what it is sent, answers each line with
"you typed: LINE" and exits on "exit"; a VM of it whose name starts with
"deaf" never reads its input. Every test runs on both back ends: VT-x
under Bochs, AMD-V under QEMU."""

import re
import time

from harness import on_each_platform
from cli_session import LOG, PROMPT, boot_cli, command, type_line, shutdown, cli_policy

DETACH = '\x1d'   # Ctrl-]
# The echo VM's prompt at the end of the console, not consumed.
PROMPT_SHOWN = r'(?=^echo> $)'
TEMPLATES = [('echo', 'console-echo.elf', '2M'), ('deaf', 'console-echo.elf', '2M'),
             ('ticker', 'ticker.elf', '2M')]


def boot(t, p):
    return boot_cli(t, cli_policy(TEMPLATES), ['console-echo', 'ticker'], p.emu)


def attach(t, m, name):
    type_line(t, m, f'attach {name}')
    t.expect(m, rf'^attached to {name}; Ctrl-\] detaches$')


@on_each_platform(globals())
def attach_echoes_raw_detaches_and_ends_with_the_vm(t, p):
    """Attached, the VM's prompt shows before its newline, its text comes
    without its name and with no newline it did not write, and every key
    but Ctrl-] reaches it as typed (Ctrl-C too); Ctrl-] gives the prompt
    back. Attaching to a VM that does not exist, or has stopped, is
    refused with its reason; the VM stopping while attached ends the
    attach with a message."""
    m = boot(t, p)
    command(t, m, 'attach nosuch', r'^attach: no VM called nosuch; .list. shows them$')
    command(t, m, 'attach control', r'^attach: control is this console.s own VM$')
    command(t, m, 'launch echo', r'^launched echo from echo \(id \d+\)$',
            LOG + r'echo: ready$')
    attach(t, m, 'echo')
    # The prompt the VM wrote before, without a newline, is shown at once
    # (looked at, not passed: the typing goes on on its line).
    t.expect(m, PROMPT_SHOWN)
    m.send('hello')
    t.expect(m, r'^echo> hello$')
    m.send('\r')
    t.expect(m, r'^you typed: hello\n' + PROMPT_SHOWN)
    m.send('abc\x03')          # Ctrl-C goes to the VM, which drops its line
    t.expect(m, r'^echo> abc\^C$')
    m.send('x\x7fyz\r')        # and so does Backspace: the VM edits
    t.expect(m, r'^you typed: yz$')
    m.send(DETACH)
    t.expect(m, r'^detached from echo$')
    t.expect_absent(m, r'echo[:+] (?:echo>|you typed)', 'attached text must have no prefix')
    t.expect(m, '(?=^' + re.escape(PROMPT) + ')')
    # Typed ahead in one burst: the keys after "attach echo" are the VM's,
    # those after Ctrl-] the prompt's again.
    m.send('attach echo\rahead\r' + DETACH + 'list\r')
    t.expect(m, r'^attached to echo; Ctrl-\] detaches$')
    t.expect(m, r'^detached from echo$')
    t.expect(m, re.escape(PROMPT) + r'list\n' + r'NAME +ID +STATE')
    t.expect(m, r'^echo +\d+ +(?:running|waiting) +2 MiB')
    # Its answer comes when the VM runs: before the detach (raw), after it
    # (with its name), or split.
    deadline = time.monotonic() + 30
    while not m.seen(r'^(?:echo: )?you typed: ahead$'):
        if time.monotonic() > deadline:
            t.fail('the keys typed ahead after "attach echo" did not reach the VM')
        time.sleep(0.5)

    # Again, now the VM exits while attached. Its prompt shows on
    # attaching if it wrote it after the last detach.
    attach(t, m, 'echo')
    m.send('exit\r')
    # The kernel's lines erase the VM's unfinished line ("echo> exit") and
    # draw it again below them; the erase is invisible in the cleaned text.
    t.expect(m, r'^(?:echo> )?exitvm echo: stopped: exited with status 0$')
    t.expect(m, r'^echo has stopped; detached$')
    command(t, m, 'attach echo', r'^attach: echo has stopped$')
    shutdown(t, m)


@on_each_platform(globals())
def attach_keeps_other_vms_lines_and_never_blocks_on_a_deaf_vm(t, p):
    """While attached, another VM's lines keep their "NAME: " prefix. A VM
    that never reads its input fills its 256-byte queue; what does not fit
    is refused, not waited for: the CLI says so, Ctrl-] still detaches,
    and the CLI and the kernel go on as before."""
    m = boot(t, p)
    command(t, m, 'launch echo', r'^launched echo from echo \(id \d+\)$', LOG + r'echo: ready$')
    command(t, m, 'launch ticker', r'^launched ticker from ticker \(id \d+\)$',
            LOG + r'ticker: tick 1$')
    attach(t, m, 'echo')
    # The ticker's lines interrupt the VM's prompt line, which is drawn
    # again below them (the erase is invisible in the cleaned text).
    t.expect(m, r'ticker: tick \d+\n' + PROMPT_SHOWN)
    m.send('hi\r')
    t.expect(m, r'^you typed: hi$')
    t.expect(m, r'ticker: tick \d+$')
    m.send(DETACH)
    t.expect(m, r'^detached from echo$')
    command(t, m, 'stop ticker', r'^stopped ticker$')

    command(t, m, 'launch deaf', r'^launched deaf from deaf \(id \d+\)$',
            LOG + r'deaf: never reading its input$')
    attach(t, m, 'deaf')
    m.send('x' * 300)
    t.expect(m, r'^\[attach: deaf is not reading its input: typed bytes are being dropped\]$')
    m.send(DETACH)
    t.expect(m, r'^detached from deaf$')
    t.expect(m, r'^\(44 typed bytes were not delivered: deaf.s input queue was full\)$')
    # The CLI and the other VMs go on.
    command(t, m, 'list', r'^deaf +\d+ +(?:running|waiting) +2 MiB')
    attach(t, m, 'echo')
    m.send('still\r')
    t.expect(m, r'^you typed: still$')
    m.send(DETACH)
    t.expect(m, r'^detached from echo$')
    command(t, m, 'stop deaf', r'^stopped deaf$')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
    shutdown(t, m)
