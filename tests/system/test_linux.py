# SPDX-License-Identifier: GPL-2.0-only
"""Linux VMs (docs/monitor.md): Debian's stock kernel and the initramfs
built by `make linux-guest` run in a VM whose devices the monitor
(vmm.elf) emulates."""

import harness
from harness import on_each_platform
from cli_session import CONTROL_RIGHTS, command, expect_prompt, type_line

LINUX = harness.ROOT / 'build' / 'linux'


def linux_files(t):
    vmlinux, initramfs = LINUX / 'vmlinux', LINUX / 'initramfs.cpio.gz'
    if not vmlinux.exists() or not initramfs.exists():
        t.fail('the Linux guest is not built: make linux-guest')
    return {'vmlinux': vmlinux.read_bytes(), 'initramfs.cpio.gz': initramfs.read_bytes(),
            'vmm.elf': t.guest('vmm')}


def linux_vm(name, memory='128M', cmdline='quiet', extra=''):
    return (f'vm {name} {{ kind linux; kernel vmlinux; initramfs initramfs.cpio.gz; '
            f'cmdline "{cmdline}"; memory {memory}; boot yes; '
            f'monitor {{ image vmm.elf; memory 8M; }} {extra}}}\n')


@on_each_platform(globals())
def linux_boots_to_its_initramfs(t, p):
    """The guest reaches /init and its first line appears under its name."""
    image = t.build_image(cmdline='panic=poweroff', policy='machine memory 512M;\n' + linux_vm('linux'),
                          files=linux_files(t))
    m = t.boot(p.emu, image, memory_mb=512, **p.boot_args)
    t.expect_boot(m)
    t.expect(m, r'^linux: bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)


def cli_linux_policy(extra=''):
    """The control VM and a Linux template it may launch."""
    return ('machine memory 512M;\npool runtime memory 200M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {CONTROL_RIGHTS}; }}\n' +
            linux_vm('linux').replace('boot yes', 'boot no') + extra +
            'launch control { vms linux; max-vms 2; max-memory 200M; }\n')


def boot_linux_cli(t, p, policy):
    files = linux_files(t)
    files['cli.elf'] = t.guest('cli')
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files=files)
    return expect_prompt(t, t.boot(p.emu, image, memory_mb=768, **p.boot_args))


@on_each_platform(globals(), platforms=('qemu',))
def launch_attach_type_and_poweroff(t, p):
    """`launch linux`, then `attach linux`: the busybox shell answers a
    command typed on the console with the Debian kernel's uname; the
    guest's own `poweroff -f` stops the pair and ends the attach."""
    m = boot_linux_cli(t, p, cli_linux_policy())
    command(t, m, 'launch linux', r'^launched linux from linux \(id \d+\)$')
    t.expect(m, r'linux: bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)
    type_line(t, m, 'attach linux')
    t.expect(m, r'^attached to linux; Ctrl-\] detaches$')
    m.send('\r')
    m.send('uname -a\r')
    t.expect(m, r'Linux \S+ 6\.1\.\d+-\d+-amd64 #1 SMP .* x86_64 GNU/Linux')
    m.send('poweroff -f\r')
    t.expect(m, r'vm linux: stopped: powered off')
    t.expect(m, r'linux has stopped; detached')


DETACH = '\x1d'   # Ctrl-]


def shell(t, m, line, *patterns, timeout=None):
    """Types line into the attached VM's shell and expects each regex."""
    m.send(line + '\r')
    return [t.expect(m, p, timeout) for p in patterns]


def attach_shell(t, m, name, p):
    type_line(t, m, f'attach {name}')
    t.expect(m, rf'^attached to {name}; Ctrl-\] detaches$')
    m.send('\r')
    t.expect(m, r'# ', timeout=p.step_timeout)


@on_each_platform(globals(), platforms=('qemu',))
def two_linux_vms_talk_over_virtio_net_and_one_to_a_native_vm_over_virtio_console(t, p):
    """Linux VMs a and b share channel link as virtio-net: b pings a's
    address. a's virtio-console is channel echo to the native echo server:
    a line written to /dev/hvc0 comes back."""
    policy = ('machine memory 768M;\n'
              'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
              f'             rights {CONTROL_RIGHTS}; }}\n' +
              linux_vm('a', extra='virtio-net link; virtio-console echo; ') +
              linux_vm('b', extra='virtio-net link; ') +
              'vm echo { kind native; image echo-server.elf; memory 2M; boot yes;\n'
              '          rights console, yield, wait, time, exit, self, channel; }\n'
              'channel link { between a and b; size 256K; direction both; events both; }\n'
              'channel echo { between a and echo; size 16K; direction both; events both; }\n')
    files = linux_files(t)
    files['cli.elf'] = t.guest('cli')
    files['echo-server.elf'] = t.guest('echo-server')
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files=files)
    m = expect_prompt(t, t.boot(p.emu, image, memory_mb=1024, **p.boot_args))
    for name in ('a', 'b'):
        t.expect(m, rf'{name}: bulkhead-linux: /init reached', timeout=p.boot_timeout * 4)
    attach_shell(t, m, 'a', p)
    shell(t, m, 'ip addr add 10.0.0.1/24 dev eth0 && ip link set eth0 up && echo a-up',
          r'^a-up')
    shell(t, m, 'exec 3<>/dev/hvc0; stty -F /dev/hvc0 raw -echo; echo hello-hvc >&3; '
                'read -t 10 line <&3; echo "got:$line"', r'^got:hello-hvc')
    m.send(DETACH)
    t.expect(m, r'^detached from a$')
    attach_shell(t, m, 'b', p)
    shell(t, m, 'ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up && echo b-up',
          r'^b-up')
    shell(t, m, 'ping -c 3 -W 5 10.0.0.1', r'3 packets transmitted, 3 packets received',
          timeout=p.step_timeout * 2)
