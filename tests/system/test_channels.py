# SPDX-License-Identifier: GPL-2.0-only
"""Inter-VM channels (docs/channels.md): a region of memory the
policy shares between exactly two VMs, with events, and the runtime's ring
library over it. One boot per test and platform (Bochs for VT-x, QEMU for AMD-V):

  echo            echo-client sends requests of 1 byte up to the largest
                  message over channel "echo"; echo-server sends each back;
                  the client checks every reply byte for byte
  not_held        VMs that hold no channel (one with the channel right, one
                  without) look up and notify channels: -EPERM every time,
                  while the echo pair runs unharmed beside them
  read_only       the reader of a one-way channel writes its read-only view:
                  the kernel stops it with an EPT (NPT) violation, the writer is
                  told the reader is gone and goes on
  peer_stops      echo-crasher faults mid-stream with requests and replies
                  in flight: echo-server is told its peer is gone, says so
                  and exits 0

The apps are guests/apps/echo-server/ and guests/apps/echo-client/ (whose
VM name picks its role). The kernel's wording (hypervisor/kernel/channel.c,
kernel/vm.c, arch/x86/vmx/exits.c):

    channel NAME: A <-> B, N KiB, both ways
    channel NAME: A <-> B, N KiB, one way, first to second
    vm NAME: stopped: EPT violation: write at guest-physical 0x... at rip 0x...
    vm NAME: stopped: exited with status 0
"""

import re
import time

import harness

# What a VM at either end of a channel needs (docs/policy.md, "Rights").
CHANNEL_RIGHTS = harness.BASIC_RIGHTS + ', channel'
RIP = r'0x[0-9a-f]+'
# Where a VM's first channel appears (include/bulkhead/guest_abi.h).
CHANNEL_BASE = 0x40000000
# ECHO_ROUND_TRIPS in guests/apps/echo-client/client.h.
ROUND_TRIPS = 200

ECHO = 'channel echo { between echo-client and echo-server; size 64K; ' \
       'direction both; events both; }\n'

BANNED = [
    (r'^.*PANIC.*$', 'the kernel panicked'),
    (r'^.*EXCEPTION.*$', 'the kernel faulted'),
    (r'^[a-z0-9_-]+: (?:.*\b)?FAIL\b.*$', 'a check failed'),
    (r'^[a-z0-9_-]+: panic: .*$', 'a VM panicked'),
    (r'^channel \S+: not set up: .*$', 'a channel was not set up'),
    (r'^[a-z0-9_-]+: probe: NOT CONTAINED.*$', 'a probe was not contained'),
]


def _policy(vms, extra):
    """vms: [(name, image, rights)], each 2M and booted."""
    text = ''.join(harness.native_policy([(name, image, '2M')], rights=rights)
                   for name, image, rights in vms)
    return text + extra


def _boot(t, p, vms, extra):
    images = {image for _, image, _ in vms}
    image = t.build_image(cmdline='panic=poweroff', policy=_policy(vms, extra),
                          files={name: t.guest(name[:-len('.elf')]) for name in images})
    m = p.boot(t, image)
    t.expect_boot(m)
    t.expect(m, p.ready)
    return m


def _line(name, text):
    """A line the VM printed itself, as the kernel attributes it."""
    return rf'^{re.escape(name)}: {text}$'


def _stopped(name, why):
    return rf'^vm {re.escape(name)}: stopped: {why}$'


def _exited(name, status=0):
    return _stopped(name, f'exited with status {status}')


def _clean(t, m):
    for pattern, why in BANNED:
        t.expect_absent(m, pattern, why)



def _lines(t, m, expected, timeout=None):
    """Waits until every VM's expected lines ({name: [regex, ...]}) have
    appeared, in order within one VM, in any order across VMs. Fails at
    once on a BANNED line or if the machine stops first. Returns {name:
    [re.Match, ...]}."""
    timeout = timeout or 2 * harness.STEP_TIMEOUT[m.emu]
    deadline = time.monotonic() + timeout
    while True:
        out = m.output
        found, missing = {}, []
        for name, patterns in expected.items():
            pos, found[name] = 0, []
            for pattern in patterns:
                match = re.compile(pattern, re.M).search(out, pos)
                if not match:
                    missing.append(f'{name}: /{pattern}/')
                    break
                found[name].append(match)
                pos = match.end()
        if not missing:
            _clean(t, m)
            return found
        _clean(t, m)
        if m.exited:
            t.fail('the machine stopped before these lines appeared:\n  ' + '\n  '.join(missing))
        if time.monotonic() > deadline:
            t.fail(f'missing after {timeout:g} s:\n  ' + '\n  '.join(missing))
        time.sleep(0.5)


def _power_off(t, m):
    """Every VM has stopped: the kernel says so and powers off."""
    t.expect(m, r'^bulkhead: no VM can run any more; powering off$')
    t.expect_poweroff(m)
    _clean(t, m)


def _echo_lines(client='echo-client', rounds=ROUND_TRIPS):
    """What a complete echo run prints: the client's verdict and exit, the
    server's goodbye once the client is gone, and its exit."""
    return {
        client: [_line(client, rf'echo: {rounds} round trips verified \((\d+) bytes each way.*'),
                 _exited(client)],
        'echo-server': [_line('echo-server', r'serving channel echo: .*'),
                        _line('echo-server', rf'peer gone while waiting for request {rounds + 1}: '
                                             rf'served {rounds} requests, (\d+) bytes; exiting'),
                        _exited('echo-server')],
    }


@harness.on_each_platform(globals())
def channel_echo(t, p):
    """Round trips over channel "echo", 1 byte up to the largest message,
    every reply verified byte for byte by the client; the server sees the
    client go, says so and exits 0."""
    m = _boot(t, p, [('echo-server', 'echo-server.elf', CHANNEL_RIGHTS),
                  ('echo-client', 'echo-client.elf', CHANNEL_RIGHTS)], ECHO)
    t.expect(m, r'^channel echo: echo-client <-> echo-server, 64 KiB, both ways$')
    started = time.monotonic()
    found = _lines(t, m, _echo_lines())
    _power_off(t, m)
    sent = int(found['echo-client'][0].group(1))
    echoed = int(found['echo-server'][1].group(1))
    if sent != echoed:
        t.fail(f'the client verified {sent} bytes, the server echoed {echoed}')
    t.note(f'{ROUND_TRIPS} round trips, {sent} bytes each way, verified '
           f'{time.monotonic() - started:.1f} s after {p.backend} was ready')


@harness.on_each_platform(globals())
def channel_not_held_is_refused(t, p):
    """VMs that hold no channel look one up and notify: intruder (with the
    channel right) and outsider (without) get -EPERM for channel "echo",
    which exists, and for one that does not; every handle is refused; no
    event reaches them; and where a channel would be mapped, intruder finds
    nothing (EPT or NPT violation). The echo pair beside them is unharmed."""
    m = _boot(t, p, [('echo-server', 'echo-server.elf', CHANNEL_RIGHTS),
                  ('echo-client', 'echo-client.elf', CHANNEL_RIGHTS),
                  ('intruder', 'echo-client.elf', CHANNEL_RIGHTS),
                  ('outsider', 'echo-client.elf', harness.BASIC_RIGHTS)], ECHO)
    t.expect(m, r'^channel echo: echo-client <-> echo-server, 64 KiB, both ways$')
    expected = _echo_lines()
    summary = r'summary: (\d+) passed, 0 failed'
    expected['intruder'] = [
        _line('intruder', r'PASS BH_HC_CHANNEL_FIND "echo" \(it joins two other VMs\): -1, '
                          r'info untouched'),
        _line('intruder', r'PASS bh_channel_open "echo": -1, nothing filled in'),
        _line('intruder', r'PASS BH_HC_CHANNEL_NOTIFY of handle 0, not held: -1'),
        _line('intruder', summary),
        _line('intruder', rf'probe: read {CHANNEL_BASE:#x}, where a first channel would be mapped'),
        _stopped('intruder', rf'{p.table} violation: read at guest-physical {CHANNEL_BASE:#x} at rip {RIP}'),
    ]
    expected['outsider'] = [
        _line('outsider', r'PASS BH_HC_CHANNEL_FIND "echo" \(no channel right\): -1, info untouched'),
        _line('outsider', summary),
        _exited('outsider'),
    ]
    found = _lines(t, m, expected)
    _power_off(t, m)
    t.expect_absent(m, r'^channel (?!echo:).*$', 'a channel the policy does not declare was set up')
    t.note(f'intruder: {found["intruder"][3].group(1)} refusals checked, then contained; '
           f'outsider: {found["outsider"][1].group(1)}')


@harness.on_each_platform(globals())
def channel_read_only_view_is_contained(t, p):
    """One-way channel "oneway": ro-reader reads what ro-writer wrote and
    is refused the writer's rights (producer ring, notify); then it maps its
    view writable in its own page tables and writes: the kernel stops it
    with an EPT or NPT violation. ro-writer is told the reader is gone, finds the
    channel's memory as it left it, writes on, and exits 0."""
    oneway = ('channel oneway { between ro-writer and ro-reader; size 16K; '
              'direction ro-writer -> ro-reader; events ro-writer -> ro-reader; }\n')
    m = _boot(t, p, [('ro-writer', 'echo-client.elf', CHANNEL_RIGHTS),
                  ('ro-reader', 'echo-client.elf', CHANNEL_RIGHTS)], oneway)
    t.expect(m, r'^channel oneway: ro-writer <-> ro-reader, 16 KiB, one way, first to second$')
    found = _lines(t, m, {
        'ro-reader': [
            _line('ro-reader', r'PASS read 8 of 8 messages, every byte as written'),
            _line('ro-reader', r'PASS bh_channel_notify, this end may not signal: -1'),
            _line('ro-reader', r'summary: \d+ passed, 0 failed'),
            _line('ro-reader', rf'probe: write {CHANNEL_BASE:#x}, this VM\'s read-only view of '
                               r'channel oneway'),
            _stopped('ro-reader', rf'{p.table} violation: write at guest-physical {CHANNEL_BASE:#x} '
                                  rf'at rip {RIP}'),
        ],
        'ro-writer': [
            _line('ro-writer', r'PASS wrote 8 messages of 1000 bytes'),
            _line('ro-writer', r'PASS told the reader is gone: .*'),
            _line('ro-writer', r'the reader is gone; still running'),
            _line('ro-writer', r'PASS the channel\'s 16384 bytes are as this end left them'),
            _line('ro-writer', r'PASS wrote 4 more messages after the reader stopped.*'),
            _line('ro-writer', r'summary: \d+ passed, 0 failed'),
            _exited('ro-writer'),
        ],
    })
    if found['ro-writer'][2].start() < found['ro-reader'][4].start():
        t.fail('ro-writer went on before the kernel had stopped ro-reader')
    _power_off(t, m)


@harness.on_each_platform(globals())
def channel_peer_stops_mid_stream(t, p):
    """echo-crasher leaves requests and replies in flight and faults: the
    kernel stops it, echo-server is told its peer is gone (it was blocked
    on a full reply ring, or about to be), says so and exits 0."""
    echo = ECHO.replace('echo-client', 'echo-crasher')
    m = _boot(t, p, [('echo-server', 'echo-server.elf', CHANNEL_RIGHTS),
                  ('echo-crasher', 'echo-client.elf', CHANNEL_RIGHTS)], echo)
    t.expect(m, r'^channel echo: echo-crasher <-> echo-server, 64 KiB, both ways$')
    found = _lines(t, m, {
        'echo-crasher': [
            _line('echo-crasher', r'echo: 16 round trips verified'),
            _line('echo-crasher', r'probe: stopping mid-stream with (\d+) requests .*'),
            _stopped('echo-crasher', rf'triple fault \(an exception it could not handle\) '
                                     rf'at rip {RIP}'),
        ],
        'echo-server': [
            _line('echo-server', r'serving channel echo: .*'),
            _line('echo-server', r'peer gone while (sending reply|waiting for request) (\d+).*'
                                 r': served (\d+) requests, \d+ bytes; exiting'),
            _exited('echo-server'),
        ],
    })
    gone, stopped = found['echo-server'][1], found['echo-crasher'][2]
    if gone.start() < stopped.start():
        t.fail('echo-server said its peer was gone before the kernel stopped it')
    served = int(gone.group(3))
    in_flight = int(found['echo-crasher'][1].group(1))
    if not 16 < served < 16 + in_flight:
        t.fail(f'echo-server served {served} requests: the crash was not mid-stream '
               f'(16 verified, {in_flight} more sent)')
    _power_off(t, m)
    t.note(f'echo-server served {served} of {16 + in_flight} requests, then was told '
           f'while {gone.group(1)} {gone.group(2)}')
