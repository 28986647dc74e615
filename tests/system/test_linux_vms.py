# SPDX-License-Identifier: GPL-2.0-only
"""Linux VMs from the console, over their whole life (docs/monitor.md):
stopped mid-boot again and again without leaking, reset by their own
`reboot -f`, walled off from native VMs, and the console flow on VT-x
too. Each boots the control VM with the Linux template of test_linux.py."""

import re
import time

from harness import on_each_platform
from cli_session import (LOG, PROMPT, TEMPLATE_RIGHTS, command, expect_prompt, shutdown,
                         stats, type_line)
from linux_session import boot_linux_cli, cli_linux_policy, linux_files

INIT = r'linux: bulkhead-linux: /init reached, kernel 6\.'
# The busybox shell's banner, its last line before the prompt (a partial
# line, which the console shows only once a line ends).
SHELL = LOG + r"linux: Enter 'help' for a list of built-in commands\.$"
EXITS = (r'^vm linux: exits by kind: io (\d+), mmio (\d+), hlt (\d+), cpuid (\d+), msr (\d+), '
         r'cr (\d+), window (\d+), preempt (\d+), other (\d+)$')
EXIT_KINDS = ('io', 'mmio', 'hlt', 'cpuid', 'msr', 'cr', 'window', 'preempt', 'other')
IDLE_SECONDS = 10
# When each of the 20 mid-boot cycles stops its VM, in seconds after the
# launch: half at once (the monitor still loading the guest), half spread
# over the guest's boot (under QEMU, /init comes some 2 s after the launch).
MID_BOOT_DELAYS = [0] * 10 + [0.2 * i for i in range(1, 11)]
# What the first Linux launch may keep for good (8 KiB measured): kernel
# memory set up once, not per VM.
KEPT_ONCE_MAX = 64 * 1024


def list_table(t, m):
    """`list`; returns its whole table."""
    return command(t, m, 'list',
                   r'(?ms)^NAME +ID +STATE.*?(?=^' + re.escape(PROMPT) + ')')[0].group(0)


def expect_no_live_pair(t, m):
    """`list` shows neither linux nor linux.vmm live. Callers wait first for
    the guest's exit counts, the last line of the pair's reclaim."""
    table = list_table(t, m)
    if re.search(r'^linux(?:\.vmm)? +\d+ +(?!stopped)\w+', table, re.M):
        t.fail(f'the pair is still live after its stop:\n{table}')


def stop_and_count_exits(t, m):
    """`stop linux`; returns the guest's exits by kind, logged at reclaim."""
    command(t, m, 'stop linux', r'^stopped linux$')
    found = t.expect(m, LOG + EXITS[1:])
    return dict(zip(EXIT_KINDS, map(int, found.groups())))


def free_bytes(stats_text):
    return int(re.search(r'^memory free: +(\d+) bytes', stats_text, re.M).group(1))


def describe(exits):
    return ', '.join(f'{kind} {n}' for kind, n in exits.items())


def stopped_early(t, m, p, delays):
    """One cycle per delay: `launch linux`, then `stop linux` that many
    seconds after the launch is confirmed, or, for 0, typed with the
    launch, so the stop finds the monitor loading the guest or the guest's
    kernel booting. Each cycle waits for the pair's reclaim (its exit
    counts are the last line of it): a stop returns before the kernel's
    scheduler reclaims, and a 200 MiB pool holds one 136 MiB pair, not
    two. Returns in how many cycles the guest had run at all (made any
    exit) before its stop."""
    ran = 0
    for n, delay in enumerate(delays, 1):
        m.send('launch linux\r' + ('stop linux\r' if not delay else ''))
        steps = [(r'launched linux from linux \(id \d+\)', 'launch', 0)]
        steps.append((r'stopped linux', 'stop', delay))
        for want, error, wait in steps:
            if wait:
                time.sleep(wait)
                m.send('stop linux\r')
            found = t.expect(m, rf'^(?:{want}|{error}: .*)$', 4 * p.step_timeout)
            if found.group(0).startswith(error + ':'):
                t.fail(f'cycle {n}: {found.group(0)!r}')
        exits = t.expect(m, LOG + EXITS[1:], 4 * p.step_timeout)
        ran += any(int(count) for count in exits.groups())
    return ran


def boot_and_idle_exits(t, m, p):
    """Two launches, each stopped once its shell has started (its banner):
    one at once, one after IDLE_SECONDS (wall clock) more. Notes the
    exits each took by kind, and the difference, the idle shell's."""
    booted = {}
    for idle in (0, IDLE_SECONDS):
        command(t, m, 'launch linux', r'^launched linux from linux \(id \d+\)$')
        t.expect(m, INIT, timeout=p.boot_timeout * 4)
        t.expect(m, SHELL, timeout=p.boot_timeout)
        time.sleep(idle)
        booted[idle] = stop_and_count_exits(t, m)
        t.note(f'exits to the shell + {idle} s: {describe(booted[idle])}')
        expect_no_live_pair(t, m)
    idle = {kind: booted[IDLE_SECONDS][kind] - booted[0][kind] for kind in EXIT_KINDS}
    t.note(f'{IDLE_SECONDS} s of an idle shell: {describe(idle)}')


@on_each_platform(globals(), platforms=('qemu',))
def linux_stopped_mid_boot_20_times(t, p):
    """20 times `launch linux` and soon `stop linux` (MID_BOOT_DELAYS), the
    monitor still loading or the kernel still booting: afterwards `stats` is exactly what
    it was before (taken after one warm-up cycle) and `list` shows no live
    pair. Then two launches stopped once the shell has started, one at
    once and one 10 s later: both stop, and their exit counts
    (docs/monitor.md) are noted."""
    m = boot_linux_cli(t, p, cli_linux_policy())
    # The first Linux launch keeps a little kernel memory for good (noted);
    # the cycles after it must keep none.
    first = stats(t, m)
    stopped_early(t, m, p, [0])
    expect_no_live_pair(t, m)
    before = stats(t, m)
    kept = free_bytes(first) - free_bytes(before)
    t.note(f'the first Linux launch kept {kept} bytes')
    if kept < 0 or kept > KEPT_ONCE_MAX:
        t.fail(f'the first Linux launch kept {kept} bytes, more than {KEPT_ONCE_MAX}')
    start = time.monotonic()
    ran = stopped_early(t, m, p, MID_BOOT_DELAYS)
    t.note(f'{len(MID_BOOT_DELAYS)} mid-boot launch/stop cycles in '
           f'{time.monotonic() - start:.0f} s; the guest had run in {ran} of them, '
           f'the rest were stopped while their monitor loaded it')
    expect_no_live_pair(t, m)
    after = stats(t, m)
    if after != before:
        t.fail(f'stats changed after 20 cycles:\nbefore:\n{before}\nafter:\n{after}')
    t.expect_absent(m, r'^(?:launch|stop): ', 'no cycle may fail')

    boot_and_idle_exits(t, m, p)
    if stats(t, m) != before:
        t.fail('stats changed after the booted launches')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
    shutdown(t, m)


@on_each_platform(globals(), platforms=('qemu',))
def linux_reboot_restarts_the_guest(t, p):
    """The guest's `reboot -f`, a triple fault with reboot=t: its monitor
    resets it, it boots to /init a second time, its new shell computes, and
    `list` shows the same VM (same id) still live."""
    policy = cli_linux_policy().replace('cmdline "quiet"', 'cmdline "quiet reboot=t"')
    if 'reboot=t' not in policy:
        t.fail('the Linux template has no cmdline "quiet" to extend')
    m = boot_linux_cli(t, p, policy)
    vm_id = command(t, m, 'launch linux', r'^launched linux from linux \(id (\d+)\)$')[0].group(1)
    t.expect(m, INIT, timeout=p.boot_timeout * 4)
    type_line(t, m, 'attach linux')
    t.expect(m, r'^attached to linux; Ctrl-\] detaches$')
    m.send('\r')
    m.send('reboot -f\r')
    t.expect(m, r'monitor: the guest reset itself \(triple fault\): restarting it')
    t.expect(m, r'bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)
    m.send('echo "alive $((6 * 7))"\r')
    t.expect(m, r'^alive 42$')
    m.send('\x1d')
    t.expect(m, r'detached')
    table = list_table(t, m)
    if not re.search(rf'^linux +{vm_id} +(?:running|waiting)', table, re.M):
        t.fail(f'linux (id {vm_id}) is not live after its reboot:\n{table}')
    t.expect_absent(m, r'vm linux: stopped', 'the reboot must not stop the VM')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
    shutdown(t, m)


def shell_computes(t, m):
    """Attaches to linux and has its shell work out 6 * 7 (its answer, not
    the echo of what was typed), then detaches."""
    type_line(t, m, 'attach linux')
    t.expect(m, r'^attached to linux; Ctrl-\] detaches$')
    m.send('\recho "alive $((6 * 7))"\r')
    t.expect(m, r'^alive 42$')
    m.send('\x1d')
    t.expect(m, r'detached')


@on_each_platform(globals(), platforms=('qemu',))
def native_vm_cannot_touch_linux_memory(t, p):
    """With a Linux VM at /init, a native VM (the isolation app's memory
    probe) writes at the guest-physical address equal to the host address
    where the Linux VM's kernel text lies, 16 MiB into its memory: its
    nested page table has nothing there, so the probe is stopped, and the
    Linux shell still computes."""
    probe = (f'vm probe {{ kind native; image isolation.elf; memory 2M; boot no; '
             f'rights {TEMPLATE_RIGHTS}; }}\n')
    policy = cli_linux_policy(probe).replace('vms linux;', 'vms linux, probe;')
    files = linux_files(t)
    files.update({'cli.elf': t.guest('cli'), 'isolation.elf': t.guest('isolation')})
    m = expect_prompt(t, t.boot(p.emu, t.build_image(cmdline='panic=poweroff', policy=policy,
                                                     files=files),
                                memory_mb=768, **p.boot_args))
    host = command(t, m, 'launch linux', r'^launched linux from linux \(id \d+\)$',
                   LOG + r'vm linux: created: id \d+, 128 MiB at host (0x[0-9a-f]+)')[1]
    target = int(host.group(1), 16) + 0x1000000
    t.expect(m, INIT, timeout=p.boot_timeout * 4)
    name = f'mem-{target:#x}-write'
    command(t, m, f'launch probe {name}', rf'^launched {name} from probe \(id \d+\)$',
            LOG + rf'{name}: probe: write {target:#x}$',
            LOG + rf'vm {name}: stopped: {p.table} violation: write at guest-physical '
                  rf'{target:#x} at rip 0x[0-9a-f]+$')
    shell_computes(t, m)
    t.expect_absent(m, r'NOT CONTAINED', 'the probe\'s write went through')
    t.expect_absent(m, r'vm linux: stopped', 'the Linux VM must keep running')
    shutdown(t, m)
