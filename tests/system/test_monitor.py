# SPDX-License-Identifier: GPL-2.0-only
"""The kernel's side of the monitor exit protocol (docs/monitor.md),
without Linux: a Linux VM whose kernel file is a scripted guest
(guests/apps/monitor-probe/guest.asm) and whose monitor is the probe
(guests/apps/monitor-probe), which logs every exit it answers. Then
monitors that misbehave: each harms only its own guest.

Each runs on both back ends."""

import subprocess

import harness
from harness import native_policy, on_each_platform

ROOT = harness.ROOT


def scripted_guest(t):
    """guest.asm, assembled: a flat 32-bit binary loaded at 1 MiB."""
    out = t.workdir / 'mon-guest.bin'
    subprocess.run(['nasm', '-f', 'bin', str(ROOT / 'guests/apps/monitor-probe/guest.asm'),
                    '-o', str(out)], check=True)
    return out.read_bytes()


def linux_vm(name, memory='4M', boot='yes'):
    return (f'vm {name} {{ kind linux; kernel mon-guest.bin; initramfs mon-initrd.bin; '
            f'memory {memory}; boot {boot}; '
            f'monitor {{ image monitor-probe.elf; memory 4M; }} }}\n')


def image_with(t, policy):
    return t.build_image(cmdline='panic=poweroff', policy=policy, files={
        'mon-guest.bin': scripted_guest(t), 'mon-initrd.bin': b'initrd' * 100,
        'monitor-probe.elf': t.guest('monitor-probe'),
        'ticker.elf': t.guest('ticker')})


@on_each_platform(globals())
def monitor_answers_every_kind_of_exit(t, p):
    """Port I/O both ways, an MMIO write and read in the device window, a
    periodic timer whose vector the kernel injects into a halted guest, a
    triple fault answered with a reset (the guest runs again from START),
    then a power-off that stops the pair and reclaims both."""
    m = p.boot(t, image_with(t, linux_vm('mon-basic')))
    t.expect_boot(m)
    t.expect(m, r'^vm mon-basic: Linux guest, monitor mon-basic\.vmm, kernel mon-guest\.bin')
    for run in (1, 2):
        t.expect(m, rf'^mon-basic: start \(seq {1 if run == 1 else "[0-9]+"}\)$')
        t.expect(m, r"^mon-basic: serial 'o'$")
        t.expect(m, r"^mon-basic: serial 'k'$")
        t.expect(m, r'^mon-basic: io in port 0x71 size 1$')
        t.expect(m, r'^mon-basic: io out port 0x80 size 1 value 0x42$')
        t.expect(m, r'^mon-basic: mmio write 0xfee000b0 value 0x12345678$')
        t.expect(m, r'^mon-basic: mmio read 0xfec00010$')
        t.expect(m, r'^mon-basic: io out port 0x84 size 4 value 0xcafe0000$')
        t.expect(m, r'^mon-basic: io out port 0x85 size 1 value 0x3$')
        t.expect(m, r'^mon-basic: shutdown after \d+ interrupts delivered, timer fired \d+ times$')
    t.expect(m, r'^vm mon-basic: stopped: powered off$')
    t.expect(m, r'^vm mon-basic\.vmm: stopped: its guest stopped$')
    t.expect(m, r'^vm mon-basic(\.vmm)?: reclaimed')
    t.expect(m, r'^vm mon-basic(\.vmm)?: reclaimed')
    # Two runs of six port accesses, two MMIO accesses and one triple fault.
    t.expect(m, r'^vm mon-basic: exits by kind: io 12, mmio 4, hlt \d+, cpuid 0, msr 0, cr 0, '
                r'window \d+, preempt \d+, other 2$')
    t.expect(m, r'^bulkhead: no VM can run any more; powering off$')
    t.expect_poweroff(m)


@on_each_platform(globals())
def a_monitor_writing_past_its_guest_is_stopped_with_it(t, p):
    """A monitor that writes one page past its guest's memory is stopped by
    its own second-level page table, its guest with it; a ticker beside
    them keeps ticking."""
    policy = linux_vm('mon-wild') + native_policy([('ticker', 'ticker.elf', '2M')])
    m = p.boot(t, image_with(t, policy))
    t.expect_boot(m)
    t.expect(m, r'^mon-wild: writing past the guest.s memory at 0x[0-9a-f]+$')
    t.expect(m, rf'^vm mon-wild\.vmm: stopped: {p.table} violation: write at guest-physical '
                r'0x[0-9a-f]+ at rip 0x[0-9a-f]+$')
    t.expect(m, r'^vm mon-wild: stopped: its monitor stopped$')
    for n in (1, 2, 3):
        t.expect(m, rf'^ticker: tick {n}$')
    m.kill()
    t.expect_absent(m, r'the write went through', 'the monitor wrote past its guest')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')


@on_each_platform(globals())
def a_mute_or_flooding_monitor_stalls_only_its_own_guest(t, p):
    """A monitor that never answers leaves its guest waiting at START; one
    that calls BH_HC_MONITOR_RUN in a tight loop gets its share of the CPU
    and no more; a ticker beside both keeps its pace."""
    policy = (linux_vm('mon-mute') + linux_vm('mon-flood') +
              native_policy([('ticker', 'ticker.elf', '2M')]))
    m = p.boot(t, image_with(t, policy))
    t.expect_boot(m)
    for n in range(1, 6):
        t.expect(m, rf'^ticker: tick {n}$')
    m.kill()
    # Both monitors ran, in whichever order the scheduler took them.
    for line in (r'^mon-mute: never answering$', r'^mon-flood: flooding$'):
        if not m.seen(line):
            t.fail(f'/{line}/ never appeared')
    t.expect_absent(m, r'^vm mon-(mute|flood)(\.vmm)?: stopped', 'a stalled pair was stopped')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
