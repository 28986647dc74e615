# SPDX-License-Identifier: GPL-2.0-only
"""Native app VMs from the policy: they run, their output is
prefixed with their name, their CPU time is accounted, rights are enforced,
a VM that cannot be built is refused with a clear line while the rest still
run, and a missing or broken policy starts nothing at all (fail closed)."""

import harness
from harness import native_policy, on_each_platform


@on_each_platform(globals())
def hello_and_ticker(t, p):
    """The default pair: hello says who it is and exits, ticker ticks on;
    each VM names the policy line it comes from."""
    policy = native_policy([('hello', 'hello.elf', '2M'), ('ticker', 'ticker.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files={
        'hello.elf': t.guest('hello'), 'ticker.elf': t.guest('ticker')})
    m = p.boot(t, image)
    t.expect_boot(m)
    t.expect(m, r'^policy: policy.bin accepted: 2 VMs')
    t.expect(m, p.ready)
    t.expect(m, r'^vm hello: created: id 1, 2 MiB at host 0x[0-9a-f]+, entry 0x100000 \(policy line 1\)$')
    t.expect(m, r'^vm ticker: created: id 2, 2 MiB .*\(policy line 2\)$')
    t.expect(m, r'^hello: hello from hello \(vm 1\)$')
    t.expect(m, r'^vm hello: stopped: exited with status 0$')
    t.expect(m, r'^vm hello: reclaimed \(2 MiB, \d+ exits, \d+ cycles on the CPU\)$')
    for n in (1, 2, 3):
        t.expect(m, rf'^ticker: tick {n}$')
    m.kill()
    t.expect_absent(m, r'PANIC|EXCEPTION', 'the kernel must not fail')


@on_each_platform(globals())
def bad_vms_are_refused_others_run(t, p):
    """An image missing from the bundle, an image that is not ELF, and more
    memory than the machine has: each VM is refused with its reason, hello
    still runs, and the machine powers off when no VM can run any more."""
    policy = native_policy([('ghost', 'nope.elf', '2M'), ('bad', 'bad.elf', '2M'),
                            ('big', 'hello.elf', '1G'), ('hello', 'hello.elf', '2M')],
                           extra='machine memory 2G;\n')
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files={
        'hello.elf': t.guest('hello'),
        'bad.elf': b'\x7fELF this is not an image\n' * 8})
    m = p.boot(t, image)
    t.expect_boot(m)
    t.expect(m, r"^vm ghost: not started: image 'nope.elf' is not in the bundle$")
    t.expect(m, r'^vm bad: not started: image bad.elf rejected: .+$')
    t.expect(m, r'^vm big: not started: no 1024 MiB of contiguous memory left$')
    t.expect(m, r'^hello: hello from hello \(vm 1\)$')
    t.expect(m, r'^vm hello: stopped: exited with status 0$')
    t.expect(m, r'^bulkhead: no VM can run any more; powering off$')
    t.expect_poweroff(m)


@on_each_platform(globals())
def rights_are_enforced(t, p):
    """A VM without the console right cannot print: hello's console writes
    fail with -EPERM, so nothing of it appears, yet it still exits."""
    policy = native_policy([('hello', 'hello.elf', '2M')], rights='exit, self')
    image = t.build_image(cmdline='panic=poweroff', policy=policy,
                          files={'hello.elf': t.guest('hello')})
    m = p.boot(t, image)
    t.expect_boot(m)
    t.expect(m, r'^vm hello: stopped: exited with status 0$')
    t.expect(m, r'^bulkhead: no VM can run any more; powering off$')
    t.expect_poweroff(m)
    t.expect_absent(m, r'^hello: ', 'a VM without the console right printed')


def test_qemu_missing_policy_fails_closed(t):
    """No policy.bin in the bundle: the kernel says so and starts nothing."""
    m = t.boot('qemu', t.build_image(cmdline='panic=poweroff'))
    t.expect_boot(m)
    t.expect(m, r'^policy: the bundle has no policy.bin: fail closed, no VM will start$')
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)


def test_qemu_corrupt_policy_fails_closed(t):
    """A policy blob whose bytes were changed after compilation (and whose
    MANIFEST hash was made to match, as an attacker with the disk would): the
    kernel's own validation rejects it and starts nothing."""
    def corrupt(bundle):
        blob = bytearray((bundle / 'policy.bin').read_bytes())
        blob[len(blob) // 2] ^= 0x40
        (bundle / 'policy.bin').write_bytes(bytes(blob))
        import hashlib
        lines = []
        for line in (bundle / 'MANIFEST').read_text().splitlines():
            digest, name = line.split('  ', 1)
            if name == 'policy.bin':
                digest = hashlib.sha256(bytes(blob)).hexdigest()
            lines.append(f'{digest}  {name}')
        (bundle / 'MANIFEST').write_text('\n'.join(lines) + '\n')

    policy = native_policy([('hello', 'hello.elf', '2M')])
    image = t.build_image(cmdline='panic=poweroff', policy=policy, edit=corrupt,
                          files={'hello.elf': t.guest('hello')})
    m = t.boot('qemu', image)
    t.expect_boot(m)
    t.expect(m, r'^policy: policy.bin rejected: .+: fail closed, no VM will start$')
    t.expect(m, r'bulkhead: powering off')
    t.expect_poweroff(m)
