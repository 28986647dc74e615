# SPDX-License-Identifier: GPL-2.0-only
"""The network driver VM (docs/driver-vm.md) on QEMU, the only emulator
here with a VT-d IOMMU and a NIC to pass through: policy/examples/net.policy
with the e1000e at 00:03.0 granted to netvm, which bridges it with app's
virtio-net channel.

  netvm_app_fetches_through_driver_vm  app fetches a file of random bytes
                  from a web server on the host's loopback through netvm;
                  its SHA-256 matches
  netvm_lonely_has_no_network          lonely, with no channel to netvm,
                  has no network interface and no route to 10.0.2.2
  netvm_nic_visible_only_to_driver_vm  netvm's PCI bus holds the NIC,
                  8086:10d3 bound to e1000e, and nothing else; app's holds
                  nothing
  netvm_relaunch  stop netvm, launch it again: app's fetch works again, and
                  after a second stop stats are what they were after the first
  netvm_reboot_keeps_the_nic  netvm's own reboot -f: the rebooted netvm
                  drives the NIC again and app's fetch works
  netvm_dma_attack  a native VM granted the NIC (dma-attack.policy,
                  guests/apps/dma-probe) points its transmit ring outside
                  its memory, at 256 MiB and at a witness VM's pattern: the
                  kernel logs IOMMU faults naming 00:03.0 and the witness's
                  pattern stays intact; a ring in the probe's own memory
                  works (the control)

Only QEMU: Bochs has neither the IOMMU nor the NIC (tools/qemu_extras.py).
"""

import re

import harness
from harness import on_each_platform
from cli_session import LOG, TEMPLATE_RIGHTS, command, settled_stats, shutdown
from linux_session import attach_shell, shell, wait_for_init
from netvm_session import (BRIDGE_UP, FileServer, boot_net, configure_app, detach,
                           fetch_sha256, launch_netvm, random_file)

FILE_BYTES = 4 * 1024 * 1024
DMA_POLICY = harness.ROOT / 'tests' / 'system' / 'dma-attack.policy'
OUTSIDE = 0x10000000          # guests/apps/dma-probe's OUTSIDE
NIC = '00:03.0'


def _no_failures(t, m):
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
    t.expect_absent(m, r'^(?:launch|stop): ', 'no launch or stop may fail')
    t.expect_absent(m, r'vm app: stopped', 'app must keep running')


def _served(t):
    """A directory with FILE_BYTES random bytes in "blob"; (dir, sha256)."""
    served = t.workdir / 'served'
    served.mkdir()
    return served, random_file(served / 'blob', FILE_BYTES)


def _fetch_in_app(t, m, p, server, want, configure):
    if configure:
        configure_app(t, m, p)
    else:
        attach_shell(t, m, 'app', p)
    got = fetch_sha256(t, m, p, server.port, 'blob')
    detach(t, m, 'app')
    if got != want:
        t.fail(f'app fetched a blob with SHA-256 {got}, the server\'s is {want}')


@on_each_platform(globals(), platforms=('qemu',))
def netvm_app_fetches_through_driver_vm(t, p):
    """app, whose only network is its virtio-net channel to netvm, fetches
    4 MiB of random bytes from http://10.0.2.2:PORT/ (the test's server on
    127.0.0.1): netvm bridges them from the NIC, and the SHA-256 app
    computes is the server's."""
    served, want = _served(t)
    with FileServer(served) as server:
        m = boot_net(t, p)
        wait_for_init(t, m, ('app', 'lonely'), p.boot_timeout * 4)
        ports = launch_netvm(t, m, p)
        t.note(f'netvm bridges {" ".join(ports)}')
        if not any(port.endswith('(virtio)') for port in ports):
            t.fail(f'netvm bridged no virtio-net port for app: {ports}')
        _fetch_in_app(t, m, p, server, want, configure=True)
    _no_failures(t, m)
    shutdown(t, m)


@on_each_platform(globals(), platforms=('qemu',))
def netvm_lonely_has_no_network(t, p):
    """With netvm up, lonely (no channel to it) has no interface but lo
    and cannot reach 10.0.2.2."""
    m = boot_net(t, p)
    wait_for_init(t, m, ('app', 'lonely'), p.boot_timeout * 4)
    launch_netvm(t, m, p)
    attach_shell(t, m, 'lonely', p)
    # $((..)) keeps the expected text out of the echo of what is typed.
    shell(t, m, 'echo "ifaces-$((1 + 1)):$(ls /sys/class/net | tr \'\\n\' \' \')"',
          r'^ifaces-2:lo $')
    shell(t, m, 'ping -c 1 -W 3 10.0.2.2 >/dev/null 2>&1 || echo "unreachable-$((6 * 7))"',
          r'^unreachable-42$')
    detach(t, m, 'lonely')
    _no_failures(t, m)
    shutdown(t, m)


# Each PCI function the guest sees, as " ADDRESS=VENDOR:DEVICE(DRIVER)".
PCI_LIST = ('echo "pci-$((1 + 1)):$(for d in /sys/bus/pci/devices/*; do [ -e "$d" ] && '
            'printf \' %s=%s:%s(%s)\' "${d##*/}" "$(cat $d/vendor)" "$(cat $d/device)" '
            '"$(basename "$(readlink $d/driver)")"; done)"')


@on_each_platform(globals(), platforms=('qemu',))
def netvm_nic_visible_only_to_driver_vm(t, p):
    """netvm's guest sees exactly one PCI function, the NIC (Intel
    8086:10d3, the 82574L QEMU calls e1000e) at its virtual 00:01.0, bound
    to e1000e; app's sees no PCI function at all."""
    m = boot_net(t, p)
    wait_for_init(t, m, ('app',), p.boot_timeout * 4)
    launch_netvm(t, m, p)
    attach_shell(t, m, 'netvm', p)
    shell(t, m, PCI_LIST, r'^pci-2: 0000:00:01\.0=0x8086:0x10d3\(e1000e\)$')
    detach(t, m, 'netvm')
    attach_shell(t, m, 'app', p)
    shell(t, m, PCI_LIST, r'^pci-2:$')
    detach(t, m, 'app')
    _no_failures(t, m)
    shutdown(t, m)


@on_each_platform(globals(), platforms=('qemu',))
def netvm_relaunch(t, p):
    """app fetches through netvm; `stop netvm` (the NIC goes back to the
    blocking domain), `launch netvm` again: its bridge comes up with the
    NIC and app's port, and app's fetch works again."""
    served, want = _served(t)
    with FileServer(served) as server:
        m = boot_net(t, p)
        wait_for_init(t, m, ('app',), p.boot_timeout * 4)
        launch_netvm(t, m, p)
        _fetch_in_app(t, m, p, server, want, configure=True)
        command(t, m, 'stop netvm', r'^stopped netvm$')
        t.expect(m, LOG + r'vm netvm: reclaimed .*$', timeout=p.step_timeout * 2)
        # The first grant may allocate for good (the IOMMU's context table
        # of the NIC's bus): from here on, a cycle must give back all.
        before = settled_stats(t, m)
        ports = launch_netvm(t, m, p)
        if not any(port.endswith('(virtio)') for port in ports):
            t.fail(f'the relaunched netvm bridged no virtio-net port for app: {ports}')
        _fetch_in_app(t, m, p, server, want, configure=False)
        command(t, m, 'stop netvm', r'^stopped netvm$')
        t.expect(m, LOG + r'vm netvm: reclaimed .*$', timeout=p.step_timeout * 2)
        after = settled_stats(t, m)
        if after != before:
            t.fail('stats changed across a launch and stop of netvm (its memory, records, '
                   f'IOMMU domain):\nbefore:\n{before}\nafter:\n{after}')
    _no_failures(t, m)
    shutdown(t, m)


@on_each_platform(globals(), platforms=('qemu',))
def netvm_dma_attack(t, p):
    """A native VM granted the NIC turns on bus mastering, checks a
    transmit ring in its own memory works (descriptor done), then points
    the ring at 256 MiB (outside its 2 MiB) and at the host address of the
    witness VM's pattern and rings the tail each time. The kernel logs an
    IOMMU fault naming 00:03.0 at each address; the witness, checking its
    pattern all along, says it is intact afterwards; nothing changed it."""
    files = {'cli.elf': t.guest('cli'), 'dma-probe.elf': t.guest('dma-probe')}
    m = boot_net(t, p, policy=DMA_POLICY.read_text(), files=files, memory_mb=512)
    # Both lines may come before the CLI's prompt: looked for in all output.
    t.expect(m, LOG + r'dma-witness: witness: intact')
    host = int(m.seen(r'^vm dma-witness: created: id \d+, \d+ MiB at host (0x[0-9a-f]+)')
               .group(1), 16)
    gpa = int(m.seen(r'dma-witness: witness: pattern of \d+ bytes at guest-physical '
                     r'(0x[0-9a-f]+)').group(1), 16)
    target = host + gpa
    name = f'dma-{target:#x}'
    t.note(f"the witness's pattern is at host {target:#x}; the probe is {name}")
    command(t, m, f'launch probe {name}', rf'^launched {name} from probe \(id \d+\)$')
    t.expect(m, LOG + rf'{name}: probe: 00:01\.0 is 8086:10d3, BAR0 0xe0000000$')
    t.expect(m, LOG + rf'{name}: probe: own ring: descriptor done after \d+ us')
    for address in (OUTSIDE, target):
        t.expect(m, LOG + rf'{name}: probe: ring at {address:#x}, outside this VM')
        t.expect(m, LOG + rf'iommu: fault: {re.escape(NIC)} \w+ {address & ~0xfff:#x}: ')
    t.expect(m, LOG + rf'{name}: probe: done; the device\'s own-ring DMA worked$')
    t.expect(m, LOG + rf'vm {name}: stopped: exited with status 0')
    # A full check of the pattern that began after the attack.
    t.expect(m, LOG + r'dma-witness: witness: intact \(check \d+\)$')
    t.expect(m, LOG + r'dma-witness: witness: intact \(check \d+\)$')
    t.expect_absent(m, r'witness: pattern CHANGED', 'the device wrote into the witness')
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')
    shutdown(t, m)


@on_each_platform(globals(), platforms=('qemu',))
def netvm_reboot_keeps_the_nic(t, p):
    """netvm's own `reboot -f`: the kernel quiets the NIC (no DMA into the
    kernel being reloaded) and shows it afresh; the rebooted netvm drives
    it again and app's fetch through it works."""
    served, want = _served(t)
    with FileServer(served) as server:
        m = boot_net(t, p)
        wait_for_init(t, m, ('app',), p.boot_timeout * 4)
        launch_netvm(t, m, p)
        attach_shell(t, m, 'netvm', p)
        m.send('reboot -f\r')
        detach(t, m, 'netvm')
        ports = t.expect(m, BRIDGE_UP, timeout=p.boot_timeout * 4).group(1).split()
        if not any(port.endswith('(e1000e)') for port in ports):
            t.fail(f'the rebooted netvm bridged no e1000e NIC: {ports}')
        _fetch_in_app(t, m, p, server, want, configure=True)
    t.expect_absent(m, r'vm netvm: stopped', 'a reboot is not a stop')
    _no_failures(t, m)
    shutdown(t, m)
