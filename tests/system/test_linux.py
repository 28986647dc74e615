# SPDX-License-Identifier: GPL-2.0-only
"""Linux VMs (docs/monitor.md): Debian's stock kernel and the initramfs
built by `make linux-guest` run in a VM whose devices the monitor
(vmm.elf) emulates."""

from harness import on_each_platform
from cli_session import CONTROL_RIGHTS, command, expect_prompt, type_line
from linux_session import (DETACH, attach_shell, boot_linux_cli, cli_linux_policy,
                           linux_files, linux_vm, shell, wait_for_init)

@on_each_platform(globals())
def linux_boots_to_its_initramfs(t, p):
    """The guest reaches /init and its first line appears under its name."""
    image = t.build_image(cmdline='panic=poweroff', policy='machine memory 512M;\n' + linux_vm('linux'),
                          files=linux_files(t))
    m = t.boot(p.emu, image, memory_mb=512, **p.boot_args)
    t.expect_boot(m)
    t.expect(m, r'^linux: bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)


@on_each_platform(globals())
def launch_attach_type_and_poweroff(t, p):
    """`launch linux`, `exits linux`, then `attach linux`: the busybox shell answers a
    command typed on the console with the Debian kernel's uname; the
    guest's own `poweroff -f` stops the pair and ends the attach. (Bochs
    boots Linux to /init in under a minute of its own time, two to four of
    a loaded host's.)"""
    m = boot_linux_cli(t, p, cli_linux_policy())
    command(t, m, 'launch linux', r'^launched linux from linux \(id \d+\)$')
    t.expect(m, r'linux: bulkhead-linux: /init reached, kernel 6\.', timeout=p.boot_timeout * 4)
    # Its exits so far, by kind (make bench reads them): a booted kernel
    # has asked CPUID and touched its UART's ports.
    command(t, m, 'exits linux', r'^exits linux: [1-9]\d* in [1-9]\d* ns since its creation; '
            r'io [1-9]\d* mmio \d+ hlt \d+ cpuid [1-9]\d* msr \d+ cr \d+ window \d+ '
            r'preempt \d+ other \d+$')
    command(t, m, 'exits nosuch', r"^exits: no VM called nosuch; 'list' shows them$")
    type_line(t, m, 'attach linux')
    t.expect(m, r'^attached to linux; Ctrl-\] detaches$')
    m.send('\r')
    m.send('uname -a\r')
    t.expect(m, r'Linux \S+ 6\.1\.\d+-\d+-amd64 #1 SMP .* x86_64 GNU/Linux')
    m.send('poweroff -f\r')
    t.expect(m, r'vm linux: stopped: powered off')
    t.expect(m, r'linux has stopped; detached')


def linux_pair_policy(a_extra, b_extra, channels, native=''):
    return ('machine memory 768M;\n'
            'vm control { kind control; image cli.elf; memory 4M; cpu 10%; boot yes;\n'
            f'             rights {CONTROL_RIGHTS}; }}\n' +
            linux_vm('a', extra=a_extra) + (linux_vm('b', extra=b_extra) if b_extra else '') +
            native + channels)


def boot_policy(t, p, policy, names, extra_files=()):
    files = linux_files(t)
    files['cli.elf'] = t.guest('cli')
    for image in extra_files:
        files[image + '.elf'] = t.guest(image)
    image = t.build_image(cmdline='panic=poweroff', policy=policy, files=files)
    m = expect_prompt(t, t.boot(p.emu, image, memory_mb=1024, **p.boot_args))
    wait_for_init(t, m, names, p.boot_timeout * 4)
    return m


# A tty of the virtio console that passes bytes as they are, kept open.
RAW_HVC = 'exec 3<>/dev/hvc0; stty -F /dev/hvc0 raw -echo'


@on_each_platform(globals(), platforms=('qemu',))
def two_linux_vms_talk_over_virtio_net_and_virtio_console(t, p):
    """Linux VMs a and b share channel link as virtio-net (b pings a's
    address) and channel talk as virtio-console (a line a writes to its
    /dev/hvc0 is read from b's)."""
    m = boot_policy(t, p, linux_pair_policy(
        'virtio-net link; virtio-console talk; ', 'virtio-net link; virtio-console talk; ',
        'channel link { between a and b; size 256K; direction both; events both; }\n'
        'channel talk { between a and b; size 16K; direction both; events both; }\n'),
        ('a', 'b'))
    attach_shell(t, m, 'b', p)
    shell(t, m, 'ip addr add 10.0.0.2/24 dev eth0 && ip link set eth0 up && echo b-up', r'^b-up')
    shell(t, m, f'({RAW_HVC}; read -t 120 line <&3; echo "b read:$line") &', r'# ')
    m.send(DETACH)
    t.expect(m, r'^detached from b$')
    attach_shell(t, m, 'a', p)
    shell(t, m, 'ip addr add 10.0.0.1/24 dev eth0 && ip link set eth0 up && echo a-up', r'^a-up')
    shell(t, m, f'{RAW_HVC}; echo hello-from-a >&3; echo a-sent', r'^a-sent')
    t.expect(m, r'b read:hello-from-a')
    m.send(DETACH)
    t.expect(m, r'^detached from a$')
    attach_shell(t, m, 'b', p)
    shell(t, m, 'ping -c 3 -W 5 10.0.0.1', r'3 packets transmitted, 3 packets received',
          timeout=p.step_timeout * 2)


@on_each_platform(globals(), platforms=('qemu',))
def a_linux_vms_virtio_console_reaches_a_native_vm(t, p):
    """A line written to the Linux VM's /dev/hvc0, on channel echo to the
    native echo server, comes back."""
    m = boot_policy(t, p, linux_pair_policy(
        'virtio-console echo; ', '',
        'channel echo { between a and echo; size 16K; direction both; events both; }\n',
        native='vm echo { kind native; image echo-server.elf; memory 2M; boot yes;\n'
               '          rights console, yield, wait, time, exit, self, channel; }\n'),
        ('a',), extra_files=('echo-server',))
    attach_shell(t, m, 'a', p)
    shell(t, m, f'{RAW_HVC}; echo hello-hvc >&3; read -t 20 line <&3; echo "got:$line"',
          r'^got:hello-hvc')
