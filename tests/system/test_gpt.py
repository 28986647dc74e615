# SPDX-License-Identifier: GPL-2.0-only
"""The GPT disk image (tools/mkgpt.sh, build/bulkhead-gpt.img): one EFI
System Partition holding the application, which OVMF boots in QEMU and in
Bochs like the bare volume.
"""

from cli_session import boot_cli, cli_policy, command, shutdown


def test_qemu_gpt_boots(t):
    m = t.boot('qemu', t.build_image(files={'hello.elf': t.guest('hello')}, gpt=True))
    t.expect_boot(m, r'bulkhead-efi: bundle: 2 files verified')
    t.expect(m, r'bulkhead: kernel started')


def test_bochs_gpt_boots_to_the_prompt(t):
    m = boot_cli(t, cli_policy([('hello', 'hello.elf', '2M')]), ['hello'], gpt=True)
    command(t, m, 'list', r'^NAME +ID +STATE +MEMORY +CPU-TIME$')
    shutdown(t, m)
