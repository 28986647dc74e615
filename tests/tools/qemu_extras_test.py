#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of tools/qemu_extras.py's machine of device grants: which
policies need the passed-through NIC and the IOMMU, and the QEMU arguments
that give them. Boots nothing. Installed by unit.mk as
build/host/tests/qemu_extras_test.

    tests/tools/qemu_extras_test.py [SUBSTRING]   # only the cases whose name has it
"""

import sys
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tools'))
import qemu_extras  # noqa: E402
from cases import case, check_eq, main  # noqa: E402

EXAMPLES = HERE.parents[1] / 'policy' / 'examples'


@case
def a_device_block_is_a_grant():
    for text in ('device nic { pci 00:03.0; to netvm; }',
                 'vm a { kind native; }\ndevice nic-0{pci 00:03.0; to a;}\n',
                 'device\tnic\n{\n  pci 00:03.0;\n  to netvm;\n}\n'):
        check_eq(qemu_extras.policy_grants_device(text), True, repr(text))


@case
def comments_strings_and_other_words_are_not():
    for text in ('', '# device nic { pci 00:03.0; to netvm; }\n',
                 'vm a { cmdline "device nic { x }"; }\n',
                 'vm a { cmdline "#"; }  # a "quote\n',
                 'vm a { virtio-device x { } }\n',
                 'vm device { kind native; }\n'):
        check_eq(qemu_extras.policy_grants_device(text), False, repr(text))


@case
def a_hash_in_a_string_does_not_hide_a_grant():
    text = 'vm a { cmdline "a#b"; }\ndevice nic { pci 00:03.0; to a; }\n'
    check_eq(qemu_extras.policy_grants_device(text), True, 'grant after "a#b"')


@case
def the_examples():
    check_eq(qemu_extras.policy_grants_device((EXAMPLES / 'default.policy').read_text()),
             False, 'default.policy')
    net = EXAMPLES / 'net.policy'
    if net.exists():
        check_eq(qemu_extras.policy_grants_device(net.read_text()), True, 'net.policy')


@case
def the_nic_sits_at_its_address_behind_the_iommu():
    check_eq(qemu_extras.iommu_args(), ['-device', 'intel-iommu,intremap=on'], 'iommu')
    check_eq(qemu_extras.passthrough_nic_args(),
             ['-netdev', 'user,id=n0', '-device', 'e1000e,netdev=n0,addr=03.0,romfile='],
             'no TFTP')
    check_eq(qemu_extras.passthrough_nic_args('/srv/a,b')[1], 'user,id=n0,tftp=/srv/a,,b',
             'a comma in the TFTP directory is doubled')


if __name__ == '__main__':
    sys.exit(main(sys.argv, __file__))
