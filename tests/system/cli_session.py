# SPDX-License-Identifier: GPL-2.0-only
"""Driving the control VM's CLI (docs/cli.md) through the real console:
policy text for a control VM and its templates, booting it to its first
prompt, typing commands and waiting for what they print, `stats`,
launch/stop cycles and shutdown. Used by the CLI's system tests
(test_cli.py), `make soak` (tests/soak/run.py) and the control figures of
`make bench` (tests/bench/control.py). Every call takes the harness's
TestContext t and the running machine m.
"""

import re

from harness import machine  # tools/machine.py, put on the path by harness

PROMPT = machine.PROMPT
# A forwarded log line may follow the prompt on the same cleaned line: the
# CLI erases the prompt with "\r ESC [ K" before it, which the cleaned text
# drops, and draws it again below.
LOG = '(?:^|' + re.escape(PROMPT) + ')'
CONTROL_RIGHTS = 'console, yield, wait, time, exit, self, launch, stop, log, stats'
TEMPLATE_RIGHTS = 'console, yield, wait, time, exit, self'
# The kernel's last console line before the CLI owns the console.
HANDOVER = ('bulkhead: the console now belongs to control; the kernel log goes to '
            'its ring')


def cli_policy(templates, launchable=None, pool='32M', max_vms=8, max_memory='32M',
               extra='', rights=TEMPLATE_RIGHTS):
    """Policy text: the control VM (as in policy/examples/default.policy)
    plus templates, a list of (name, image, memory) or (name, image, memory,
    properties) declared "boot no", properties being more of the VM's
    policy text (e.g. 'cpu 1;'), and a launch rule naming launchable
    (default: every template); each template gets rights."""
    text = ('pool runtime memory %s;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%%; boot yes;\n'
            '             rights %s; }\n' % (pool, CONTROL_RIGHTS))
    for name, image, memory, *more in templates:
        text += (f'vm {name} {{ kind native; image {image}; memory {memory}; boot no; '
                 f'rights {rights}; {"".join(more)}}}\n')
    names = ', '.join(launchable if launchable is not None else [t[0] for t in templates])
    text += f'launch control {{ vms {names}; max-vms {max_vms}; max-memory {max_memory}; }}\n'
    return text + extra


def boot_cli(t, policy, images, emu='bochs', gpt=False, **boot_args):
    """Builds and boots (in emu: Bochs for VT-x, QEMU for AMD-V) a system
    from policy text with cli.elf and the guest images named in images,
    from a GPT disk if gpt, else from the bare volume, with boot_args for
    the machine (e.g. memory_mb); returns the machine at its first prompt."""
    files = {'cli.elf': t.guest('cli')}
    for image in images:
        files[image + '.elf'] = t.guest(image)
    m = t.boot(emu, t.build_image(cmdline='panic=poweroff', policy=policy, files=files,
                                  gpt=gpt), **boot_args)
    return expect_prompt(t, m)


def expect_prompt(t, m):
    """Waits until the kernel has started and the control VM shows its first
    prompt; returns m."""
    t.expect_boot(m)
    t.expect(m, '^' + re.escape(HANDOVER) + '$')
    t.expect(m, r'^Bulkhead control console on VM control\. Type \'help\' for the commands\.$')
    # Up to the prompt, not past it: type_line expects the echo after it.
    t.expect(m, r'(?=^' + re.escape(PROMPT) + r')')
    return m


def type_line(t, m, line):
    """Types line and Enter; waits for its echo after the prompt."""
    m.send(line + '\r')
    t.expect(m, re.escape(PROMPT + line) + r'$')


def command(t, m, line, *patterns, timeout=None):
    """Types line, then expects each regex in order."""
    type_line(t, m, line)
    return [t.expect(m, p, timeout) for p in patterns]


STATS_RE = r'^(memory free: .*\n(?:.*\n)*?kernel per VM: .*)$'


def stats(t, m):
    """Runs stats; returns its output text."""
    return command(t, m, 'stats', STATS_RE)[0].group(1)


def settled_stats(t, m):
    """stats, once nothing stopped is left to reclaim (list goes through
    the scheduler first)."""
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$')
    return stats(t, m)


def shutdown(t, m):
    command(t, m, 'shutdown', r'^shutting down$',
            r'^bulkhead: shutdown requested by control$')
    t.expect_poweroff(m)


def cycles(t, m, template, count, batch=10, timeout=None):
    """count launch/stop cycles of a VM from template, typed batch cycles
    at a time (the CLI runs typed-ahead lines in order). Every launch and
    every stop must succeed."""
    done = 0
    while done < count:
        n = min(batch, count - done)
        m.send(f'launch {template}\rstop {template}\r' * n)
        for _ in range(n):
            for want, error in ((rf'launched {template} from {template} \(id \d+\)', 'launch'),
                                (rf'stopped {template}', 'stop')):
                found = t.expect(m, rf'^(?:{want}|{error}: .*)$', timeout)
                if found.group(0).startswith(error + ':'):
                    t.fail(f'cycle {done + 1}: {found.group(0)!r}')
            done += 1
    return done



def launch_until_refused(t, m, template, limit):
    """Launches VMs from template until one is refused; returns how many
    were launched and the refusal line."""
    launched = 0
    while True:
        name = f'{template}{launched + 1}'
        found = command(t, m, f'launch {template} {name}',
                        rf'^(launched {name} from {template} \(id \d+\)|launch: .*)$',
                        timeout=120)[0]
        if not found.group(1).startswith('launched'):
            return launched, found.group(1)
        launched += 1
        if launched > limit:
            t.fail(f'{launched} VMs launched: the pool does not hold launches back')

