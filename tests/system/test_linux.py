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
    """`launch linux`, then `attach linux`: the busybox shell answers a
    command typed on the console with the Debian kernel's uname; the
    guest's own `poweroff -f` stops the pair and ends the attach. (Bochs
    boots Linux to /init in under a minute of its own time, two to four of
    a loaded host's.)"""
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
    wait_for_init(t, m, ('a', 'b'), p.boot_timeout * 4)
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
