# SPDX-License-Identifier: GPL-2.0-only
"""Native app VMs from the boot list (issue 3): they run, their output is
prefixed with their name, their CPU time is accounted, and a bad list,
image or size is refused with a clear line while the rest still run."""

import harness


def _files(t, vms, **extra):
    guests = t.build / 'guests'
    files = {'vms': vms.encode(),
             'hello.elf': (guests / 'hello.elf').read_bytes(),
             'ticker.elf': (guests / 'ticker.elf').read_bytes()}
    files.update(extra)
    return files


def test_bochs_hello_and_ticker(t):
    """The default pair: hello says who it is and exits, ticker ticks on."""
    image = t.build_image(cmdline='panic=poweroff', files=_files(
        t, 'hello hello.elf 2M\nticker ticker.elf 2M\n'))
    m = t.boot('bochs', image)
    t.expect_boot(m)
    t.expect(m, r'^bulkhead: VT-x and EPT ready')
    t.expect(m, r'^vm hello: created: id 1, 2 MiB at host 0x[0-9a-f]+, entry 0x100000$')
    t.expect(m, r'^vm ticker: created: id 2, 2 MiB')
    t.expect(m, r'^hello: hello from hello \(vm 1\)$')
    t.expect(m, r'^vm hello: stopped: exited with status 0$')
    t.expect(m, r'^vm hello: reclaimed \(2 MiB, \d+ exits, \d+ cycles on the CPU\)$')
    for n in (1, 2, 3):
        t.expect(m, rf'^ticker: tick {n}$')
    m.kill()
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')


def test_bochs_bad_vms_are_refused_others_run(t):
    """An image missing from the bundle, an image that is not ELF, and more
    memory than the machine has: each VM is refused with its reason, hello
    still runs, and the machine powers off when no VM can run any more."""
    image = t.build_image(cmdline='panic=poweroff', files=_files(
        t, 'ghost nope.elf 2M\nbad bad.elf 2M\nbig hello.elf 1G\nhello hello.elf 2M\n',
        **{'bad.elf': b'\x7fELF this is not an image\n' * 8}))
    m = t.boot('bochs', image)
    t.expect_boot(m)
    t.expect(m, r"^vm ghost: not started: image 'nope.elf' is not in the bundle$")
    t.expect(m, r'^vm bad: not started: image bad.elf rejected: .+$')
    t.expect(m, r'^vm big: not started: no 1024 MiB of contiguous memory left$')
    t.expect(m, r'^hello: hello from hello \(vm 1\)$')
    t.expect(m, r'^vm hello: stopped: exited with status 0$')
    t.expect(m, r'^bulkhead: no VM can run any more; powering off$')
    t.expect_poweroff(m)


def test_bochs_malformed_vm_list_starts_nothing(t):
    """A malformed list is refused whole, with its line and reason."""
    image = t.build_image(cmdline='panic=poweroff', files=_files(
        t, 'hello hello.elf 2M\nticker ticker.elf 3M\n'))
    m = t.boot('bochs', image)
    t.expect_boot(m)
    t.expect(m, r'^bulkhead: vms line 2: memory must be a multiple of 2M .*; starting no VM$')
    t.expect(m, r'^bulkhead: no VM can run any more; powering off$')
    t.expect_poweroff(m)
    t.expect_absent(m, r'^vm hello: created', 'no VM may start from a malformed list')
