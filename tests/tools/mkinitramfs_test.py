#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host test of the module handling in tools/linux-guest/mkinitramfs.py,
on a fake unpacked kernel package made here: modules that are minimal ELF
files whose .modinfo says what they depend on. Checks the load order
(dependencies first), modules.dep (all needs, the last to load first),
compressed modules, and the refusals (missing module, cycle). Installed
by unit.mk as build/host/tests/mkinitramfs_test.

    tests/tools/mkinitramfs_test.py [SUBSTRING]
"""

import lzma
import struct
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'tools' / 'linux-guest'))
sys.path.insert(0, str(HERE))
import cases  # noqa: E402
from cases import case, check_eq  # noqa: E402
import mkinitramfs as mk  # noqa: E402

VERSION = '9.9.9-test'


def fake_module(depends):
    """An ELF64 file with sections: null, .shstrtab, .modinfo."""
    shstrtab = b'\0.shstrtab\0.modinfo\0'
    modinfo = b'license=GPL\0depends=' + ','.join(depends).encode() + b'\0vermagic=x\0'
    body = shstrtab + modinfo
    shoff = 64 + len(body)
    ehdr = bytearray(64)
    ehdr[:6] = b'\x7fELF\x02\x01'
    struct.pack_into('<Q', ehdr, 40, shoff)
    struct.pack_into('<HHH', ehdr, 58, 64, 3, 1)

    def shdr(name, offset, size):
        return struct.pack('<IIQQQQIIQQ', name, 3, 0, 0, offset, size, 0, 0, 1, 0)
    return bytes(ehdr) + body + bytes(64) + shdr(1, 64, len(shstrtab)) + \
        shdr(11, 64 + len(shstrtab), len(modinfo))


def package(tmp, modules):
    """modules: {relative path under kernel/: [depends]}; .xz paths are
    stored xz-compressed."""
    moddir = Path(tmp, 'lib', 'modules', VERSION)
    for rel, deps in modules.items():
        p = moddir / 'kernel' / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        elf = fake_module(deps)
        p.write_bytes(lzma.compress(elf) if rel.endswith('.xz') else elf)
    return moddir


FAKE = {
    'drivers/virtio/virtio_ring.ko': [],
    'drivers/virtio/virtio.ko': ['virtio_ring'],
    'drivers/virtio/virtio_mmio.ko': ['virtio', 'virtio_ring'],
    'net/core/failover.ko.xz': [],
    'drivers/net/net_failover.ko': ['failover'],
    'drivers/net/virtio_net.ko': ['virtio_ring', 'virtio', 'net_failover'],
    'drivers/char/loop-back.ko': ['virtio-ring'],
}


def order_of(tmp, wanted):
    moddir = package(tmp, FAKE)
    return mk.load_order(wanted, mk.index_modules(moddir), moddir)


@case
def dependencies_load_first():
    with tempfile.TemporaryDirectory() as tmp:
        order = order_of(tmp, ['virtio_mmio', 'virtio_net'])
    check_eq([o[0] for o in order],
             ['virtio_ring', 'virtio', 'virtio_mmio', 'failover', 'net_failover',
              'virtio_net'], 'load order')


@case
def compressed_module_is_stored_decompressed_as_ko():
    with tempfile.TemporaryDirectory() as tmp:
        order = order_of(tmp, ['failover'])
    check_eq(order[0][1], 'kernel/net/core/failover.ko', 'stored path')
    check_eq(order[0][2][:4], b'\x7fELF', 'decompressed')


@case
def dashes_and_underscores_are_one_name():
    with tempfile.TemporaryDirectory() as tmp:
        order = order_of(tmp, ['loop_back'])
    check_eq([o[0] for o in order], ['virtio_ring', 'loop_back'], 'load order')


@case
def modules_dep_lists_every_need_last_loaded_first():
    with tempfile.TemporaryDirectory() as tmp:
        dep = mk.modules_dep(order_of(tmp, ['virtio_net'])).splitlines()
    check_eq(dep[0], 'kernel/drivers/virtio/virtio_ring.ko:', 'no needs')
    check_eq(dep[-1], 'kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko '
             'kernel/net/core/failover.ko kernel/drivers/virtio/virtio.ko '
             'kernel/drivers/virtio/virtio_ring.ko', 'virtio_net')


@case
def missing_module_and_cycle_are_refused():
    for modules, wanted, words in (
            (FAKE, ['virtio_blk'], 'virtio_blk (needed by the command line) is not'),
            ({'a.ko': ['b'], 'b.ko': ['a']}, ['a'], 'cycle')):
        with tempfile.TemporaryDirectory() as tmp:
            moddir = package(tmp, modules)
            try:
                mk.load_order(wanted, mk.index_modules(moddir), moddir)
            except mk.BuildError as e:
                check_eq(words in str(e), True, str(e))
            else:
                raise AssertionError(f'{wanted} accepted')


@case
def section_table_past_the_end_is_refused():
    elf = fake_module([])
    try:
        mk.module_depends(elf[:-10])
    except mk.BuildError:
        return
    raise AssertionError('a truncated module was read')


if __name__ == '__main__':
    sys.exit(cases.main(sys.argv, __file__))
