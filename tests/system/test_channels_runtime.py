# SPDX-License-Identifier: GPL-2.0-only
"""Channels whose ends come and go at run time (docs/channels.md, "Ends
that come and go"): the kernel allocates every channel's region at boot,
an end takes it when its VM starts, at boot or launched from the CLI, and
an end that stops can be launched again, which brings the channel up
again for the end that stayed.

  launched_pair   echo-server and echo-client, both launched from the CLI,
                  talk over channel "echo": 200 round trips, each reply
                  checked byte for byte; the server exits when the client
                  has
  relaunched_end  echo-keeper (echo-server.elf) serves echo-client, which
                  ends; echo-client is launched again and its 200 round
                  trips are verified again; `stats` is the same after each
                  client and, once the keeper is stopped too, as at boot:
                  the region stayed where it was, nothing leaked
  freed           echo-server is a boot VM: once it and its client have
                  stopped the channel can never come up again, so its
                  region is freed, and a client launched again gets no
                  channel
  linux_relaunch  Linux VM a (boot) and Linux VM b (launched) linked by
                  virtio-net over channel link: b pings a; b is stopped
                  and launched again, a's monitor sees the channel come
                  back, and b pings a again (QEMU only: Bochs takes minutes
                  to boot Linux twice)

The kernel's wording (hypervisor/kernel/channel.c), the monitor's
(vmm/main.c):

    channel NAME: A <-> B, N KiB, both ways: up, generation G
    channel NAME: A <-> B, N KiB: down until both run
    channel NAME: freed (N KiB): it can never be up again
    channel NAME: not set up for VM: it has no region (...)
    monitor: virtio-net on channel NAME: the peer is back (generation G)
"""

import re
import time

import harness
from cli_session import CONTROL_RIGHTS, LOG, boot_cli, command, expect_prompt, shutdown, \
    settled_stats
from linux_session import (DETACH, attach_shell, linux_files, linux_vm, shell,
                           wait_for_init)

CHANNEL_RIGHTS = 'console, yield, wait, time, exit, self, channel'
# ECHO_ROUND_TRIPS in guests/apps/echo-client/client.h.
ROUND_TRIPS = 200


def _native_policy(server):
    """The control VM and two templates, server (echo-server.elf) and
    echo-client, joined by channel echo."""
    text = ('pool runtime memory 8M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {CONTROL_RIGHTS}; }}\n')
    for name, image in ((server, 'echo-server'), ('echo-client', 'echo-client')):
        text += (f'vm {name} {{ kind native; image {image}.elf; memory 2M; boot no; '
                 f'rights {CHANNEL_RIGHTS}; }}\n')
    return text + (f'channel echo {{ between echo-client and {server}; size 64K; '
                   'direction both; events both; }\n'
                   f'launch control {{ vms {server}, echo-client; max-vms 2; max-memory 4M; }}\n')


def _up(generation, a='echo-client', b=r'echo-(?:server|keeper)', size='64'):
    return LOG + rf'channel (?:echo|link): {a} <-> {b}, {size} KiB, both ways: up, ' \
                 rf'generation {generation}$'


def _client_run(t, m):
    """Launches echo-client and waits for its verdict and exit."""
    command(t, m, 'launch echo-client', r'^launched echo-client from echo-client \(id \d+\)$')
    t.expect(m, LOG + rf'echo-client: echo: {ROUND_TRIPS} round trips verified .*$')
    t.expect(m, LOG + r'vm echo-client: stopped: exited with status 0$')
    t.expect(m, LOG + r'vm echo-client: reclaimed \(2 MiB, .*$')


def _seen_times(t, m, pattern, times, timeout=None):
    """Waits until pattern has appeared `times` times in all the output:
    for a VM's lines, whose order against other VMs' is the scheduler's."""
    timeout = timeout or 2 * harness.STEP_TIMEOUT[m.emu]
    deadline = time.monotonic() + timeout
    regex = re.compile(pattern, re.M)
    while len(regex.findall(m.output)) < times:
        if m.exited:
            t.fail(f'the machine stopped before /{pattern}/ appeared {times} times')
        if time.monotonic() > deadline:
            t.fail(f'/{pattern}/ did not appear {times} times within {timeout:g} s')
        time.sleep(0.5)


def _no_failures(t, m):
    t.expect_absent(m, r'(?:^|: )FAIL\b.*$', 'a check failed')
    t.expect_absent(m, r'^.*PANIC.*$', 'the kernel panicked')
    t.expect_absent(m, r'channel \S+: not set up.*$', 'a channel was not set up')


@harness.on_each_platform(globals())
def channel_launched_pair(t, p):
    """Both ends launched from the CLI: the channel is down at boot, comes
    up when the second starts, carries 200 verified round trips, and the
    server is told when the client has gone."""
    m = boot_cli(t, _native_policy('echo-server'), ['echo-server', 'echo-client'], p.emu)
    command(t, m, 'log', r'^channel echo: echo-client <-> echo-server, 64 KiB: down until '
                         r'both run$')
    channel = r'^echo +echo-client <-> echo-server +64 KiB +both +'
    command(t, m, 'channels', channel + r'both ends gone$')
    command(t, m, 'launch echo-server', r'^launched echo-server from echo-server \(id \d+\)$',
            LOG + r'echo-server: serving channel echo: end 1, 64 KiB, .*$')
    command(t, m, 'channels', channel + r'echo-client gone$')
    _client_run(t, m)
    _seen_times(t, m, LOG + rf'echo-server: peer gone while waiting for request '
                            rf'{ROUND_TRIPS + 1}: served {ROUND_TRIPS} requests, \d+ bytes; '
                            r'exiting$', 1)
    _seen_times(t, m, LOG + r'vm echo-server: stopped: exited with status 0$', 1)
    _seen_times(t, m, _up(1), 1)
    _no_failures(t, m)
    shutdown(t, m)


@harness.on_each_platform(globals())
def channel_relaunched_end(t, p):
    """echo-keeper outlives its client: a client launched again brings the
    channel up again (generation 2), its round trips are verified, and
    memory is where it was: after each client, and as at boot once the
    keeper has stopped too."""
    m = boot_cli(t, _native_policy('echo-keeper'), ['echo-server', 'echo-client'], p.emu)
    at_boot = settled_stats(t, m)
    command(t, m, 'launch echo-keeper', r'^launched echo-keeper from echo-keeper \(id \d+\)$',
            LOG + r'echo-keeper: serving channel echo: end 1, 64 KiB, .*$')
    gone = (LOG + rf'echo-keeper: peer gone while waiting for request {ROUND_TRIPS + 1}: '
                  rf'served {ROUND_TRIPS} requests, \d+ bytes$')
    _client_run(t, m)
    _seen_times(t, m, gone, 1)
    _seen_times(t, m, LOG + r'echo-keeper: waiting for a peer launched anew \(generation 1 '
                            r'served\)$', 1)
    after_first = settled_stats(t, m)

    _client_run(t, m)
    _seen_times(t, m, _up(2), 1)
    _seen_times(t, m, LOG + r'echo-keeper: a peer is back: generation 2$', 1)
    _seen_times(t, m, gone, 2)
    _seen_times(t, m, LOG + r'echo-keeper: waiting for a peer launched anew \(generation 2 '
                            r'served\)$', 1)
    after_second = settled_stats(t, m)
    if after_second != after_first:
        t.fail(f'stats changed between the two clients:\nafter the first:\n{after_first}\n'
               f'after the second:\n{after_second}')

    command(t, m, 'stop echo-keeper', r'^stopped echo-keeper$')
    at_end = settled_stats(t, m)
    if at_end != at_boot:
        t.fail(f'stats changed:\nat boot:\n{at_boot}\nat the end:\n{at_end}')
    _no_failures(t, m)
    shutdown(t, m)


@harness.on_each_platform(globals())
def channel_freed_once_a_boot_end_is_gone(t, p):
    """echo-server is a boot VM, echo-client a template: once the client
    has run and both have stopped, the channel can never come up again (a
    boot VM never starts twice), so the kernel frees its region (64 KiB
    more free memory) and a client launched again gets no channel."""
    policy = _native_policy('echo-server').replace(
        'image echo-server.elf; memory 2M; boot no;', 'image echo-server.elf; memory 2M; boot yes;')
    policy = policy.replace('vms echo-server, echo-client;', 'vms echo-client;')
    m = boot_cli(t, policy, ['echo-server', 'echo-client'], p.emu)
    _client_run(t, m)
    _seen_times(t, m, LOG + r'vm echo-server: reclaimed \(2 MiB, .*$', 1)
    _seen_times(t, m, LOG + r'channel echo: freed \(64 KiB\): it can never be up again$', 1)
    command(t, m, 'launch echo-client', r'^launched echo-client from echo-client \(id \d+\)$',
            LOG + r'channel echo: not set up for echo-client: it has no region .*$',
            LOG + r'echo-client: FAIL cannot open channel echo: error -1$',
            LOG + r'vm echo-client: stopped: exited with status 1$')
    command(t, m, 'channels', r'^echo +echo-client <-> echo-server +64 KiB +both +'
                              r'both ends gone$')
    shutdown(t, m)


def _linux_policy():
    """Linux VM a at boot, Linux VM b a template the CLI launches, joined by
    channel link as virtio-net."""
    b = linux_vm('b', extra='virtio-net link; ').replace('boot yes', 'boot no')
    return ('machine memory 768M;\npool runtime memory 160M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {CONTROL_RIGHTS}; }}\n' +
            linux_vm('a', extra='virtio-net link; ') + b +
            'channel link { between a and b; size 256K; direction both; events both; }\n'
            'launch control { vms b; max-vms 2; max-memory 160M; }\n')


def _launch_b_and_ping(t, m, p, generation):
    command(t, m, 'launch b', r'^launched b from b \(id \d+\)$')
    t.expect(m, LOG + rf'channel link: a\.vmm <-> b\.vmm, 256 KiB, both ways: up, '
                      rf'generation {generation}$')
    t.expect(m, rf'monitor: virtio-net on channel link: the peer is back \(generation '
                rf'{generation}\)$')
    t.expect(m, r'b: bulkhead-linux: /init reached', timeout=p.boot_timeout * 4)
    attach_shell(t, m, 'b', p)
    shell(t, m, 'ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up && echo b-up', r'^b-up')
    shell(t, m, 'ping -c 3 -W 5 10.0.0.1', r'3 packets transmitted, 3 packets received',
          timeout=p.step_timeout * 2)
    m.send(DETACH)
    t.expect(m, r'^detached from b$')


@harness.on_each_platform(globals(), platforms=('qemu',))
def channel_linux_relaunch(t, p):
    """a boots with its virtio-net down (b is not running); `launch b`
    brings channel link up and b pings a; `stop b`, `launch b` again: a's
    monitor restarts its port on the channel's next generation and b pings
    a again."""
    files = linux_files(t)
    files['cli.elf'] = t.guest('cli')
    image = t.build_image(cmdline='panic=poweroff', policy=_linux_policy(), files=files)
    m = expect_prompt(t, t.boot(p.emu, image, memory_mb=1024, **p.boot_args))
    wait_for_init(t, m, ('a',), p.boot_timeout * 4)
    if not m.seen(r'monitor: virtio-net 0 on channel link \(its peer is not running yet\)$'):
        t.fail("a's monitor did not say its virtio-net's peer was not running yet")
    attach_shell(t, m, 'a', p)
    shell(t, m, 'ip addr add 10.0.0.1/24 dev eth0 && ip link set eth0 up && echo a-up', r'^a-up')
    m.send(DETACH)
    t.expect(m, r'^detached from a$')

    _launch_b_and_ping(t, m, p, 1)
    command(t, m, 'stop b', r'^stopped b$')
    t.expect(m, LOG + r'vm b: reclaimed \(128 MiB, .*$')
    _launch_b_and_ping(t, m, p, 2)
    t.expect_absent(m, r'virtio-\S+ on channel \S+ left out.*$', 'a device was left out')
    _no_failures(t, m)
    shutdown(t, m)
