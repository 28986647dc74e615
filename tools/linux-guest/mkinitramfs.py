#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Builds the Linux guest's initramfs, as a user, from Debian packages that
were fetched but never installed.

    tools/linux-guest/mkinitramfs.py --kernel-pkg DIR --busybox-deb FILE \\
        --init FILE --out FILE.cpio.gz [MODULE...]

--kernel-pkg is the kernel package unpacked (dpkg-deb -x); its one
lib/modules/VERSION/ gives the version. The archive holds busybox (from
the busybox-static package) with a link for each applet it lists, the
/init script, /dev/console and /dev/null, and the MODULEs with every
module they depend on, found wherever the package put them.
/etc/modules-load lists the modules' paths under lib/modules/VERSION/,
dependencies first, for /init to insmod in order; modules.dep says the
same for modprobe.

Dependencies come from each module's own .modinfo section ("depends="),
because the package carries no modules.dep: depmod writes it when the
package is installed. Compressed modules (.ko.xz, .ko.gz, .ko.zst) are
stored decompressed, so busybox's insmod needs no decompressor. The
archive is gzip-compressed (the kernel's RD_GZIP) with no timestamps:
the same inputs give the same bytes.
"""

import argparse
import gzip
import io
import lzma
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cpio_newc import CpioWriter  # noqa: E402

MODULE_SUFFIXES = ('.ko', '.ko.xz', '.ko.gz', '.ko.zst')
BUSYBOX = 'bin/busybox'


class BuildError(Exception):
    pass


def module_name(path):
    """virtio-mmio.ko.xz -> virtio_mmio: the kernel treats - and _ alike."""
    name = Path(path).name
    for suffix in MODULE_SUFFIXES:
        if name.endswith(suffix):
            name = name[:-len(suffix)]
            break
    return name.replace('-', '_')


def stored_path(rel):
    """Where a module is stored in the archive: decompressed, as .ko."""
    for suffix in MODULE_SUFFIXES[1:]:
        if rel.endswith(suffix):
            return rel[:-len(suffix)] + '.ko'
    return rel


def decompress_module(path):
    data = Path(path).read_bytes()
    if path.endswith('.xz'):
        return lzma.decompress(data)
    if path.endswith('.gz'):
        return gzip.decompress(data)
    if path.endswith('.zst'):
        return subprocess.run(['zstd', '-dcq'], input=data, stdout=subprocess.PIPE,
                              check=True).stdout
    return data


def elf_section(elf, wanted):
    """The bytes of section `wanted` of an ELF64 little-endian file, or
    None; raises BuildError if the section headers run off the file."""
    if elf[:4] != b'\x7fELF' or len(elf) < 64 or elf[4] != 2 or elf[5] != 1:
        raise BuildError('not a 64-bit little-endian ELF file')
    shoff, = struct.unpack_from('<Q', elf, 40)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', elf, 58)
    if shentsize < 64 or shstrndx >= shnum or shoff + shnum * shentsize > len(elf):
        raise BuildError('bad section header table')

    def header(i):
        name, _, _, _, offset, size = struct.unpack_from('<IIQQQQ', elf, shoff + i * shentsize)
        if offset + size > len(elf):
            raise BuildError(f'section {i} runs past the end of the file')
        return name, offset, size

    _, str_off, str_size = header(shstrndx)
    for i in range(shnum):
        name, offset, size = header(i)
        end = elf.find(b'\0', str_off + name, str_off + str_size)
        if end >= 0 and elf[str_off + name:end] == wanted.encode():
            return elf[offset:offset + size]
    return None


def module_depends(elf):
    """The names in the module's "depends=" field of .modinfo."""
    info = elf_section(elf, '.modinfo') or b''
    for field in info.split(b'\0'):
        if field.startswith(b'depends='):
            return [d.replace('-', '_') for d in field[8:].decode().split(',') if d]
    return []


def modules_dir(kernel_pkg):
    found = sorted(Path(kernel_pkg, 'lib', 'modules').glob('*/kernel'))
    if len(found) != 1:
        raise BuildError(f'want one lib/modules/VERSION/kernel in {kernel_pkg}, '
                         f'found {len(found)}')
    return found[0].parent


def index_modules(moddir):
    """Module name -> its path relative to moddir."""
    index = {}
    for root, _, files in os.walk(moddir / 'kernel'):
        for f in files:
            if f.endswith(MODULE_SUFFIXES):
                rel = str(Path(root, f).relative_to(moddir))
                index[module_name(f)] = rel
    return index


def load_order(wanted, index, moddir):
    """[(name, stored_path, decompressed bytes, depends)], every module
    after the ones it depends on; wanted's order is kept otherwise."""
    order, done, visiting = [], set(), set()

    def visit(name, needed_by):
        if name in done:
            return
        if name in visiting:
            raise BuildError(f'modules depend on each other in a cycle through {name}')
        if name not in index:
            raise BuildError(f'module {name} (needed by {needed_by}) is not in the '
                             f'package: built in, or misspelled?')
        visiting.add(name)
        elf = decompress_module(str(moddir / index[name]))
        deps = module_depends(elf)
        for dep in deps:
            visit(dep, name)
        visiting.discard(name)
        done.add(name)
        order.append((name, stored_path(index[name]), elf, deps))

    for name in wanted:
        visit(name.replace('-', '_'), 'the command line')
    return order


def modules_dep(order):
    """modules.dep as depmod writes it: each module, a colon, then all it
    needs, directly or not, the one to load last first."""
    paths = {name: rel for name, rel, _, _ in order}
    needs = {}
    for name, _, _, deps in order:   # dependencies come first in order
        closure = set(deps)
        for d in deps:
            closure |= needs[d]
        needs[name] = closure
    loaded = [name for name, _, _, _ in order]
    lines = []
    for name, rel, _, _ in order:
        deps = [paths[d] for d in reversed(loaded) if d in needs[name]]
        lines.append(' '.join([rel + ':'] + deps) + '\n')
    return ''.join(lines)


def busybox_from_deb(deb):
    """The busybox binary in a busybox-static .deb, read without unpacking
    the package anywhere."""
    tar = subprocess.run(['dpkg-deb', '--fsys-tarfile', deb], stdout=subprocess.PIPE,
                         check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        for member in t.getmembers():
            if member.isfile() and member.name.lstrip('./') == BUSYBOX:
                return t.extractfile(member).read()
    raise BuildError(f'{deb} has no {BUSYBOX}')


def busybox_applets(busybox):
    """The applet paths busybox --list-full prints (bin/sh, sbin/insmod, ...).
    The static binary runs on the build machine as it is."""
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp, 'busybox')
        exe.write_bytes(busybox)
        exe.chmod(0o755)
        out = subprocess.run([str(exe), '--list-full'], stdout=subprocess.PIPE,
                             check=True).stdout.decode()
    return sorted(p for p in out.split() if p != BUSYBOX)


def add_parents(w, path, made):
    """Writes the directories above path that are not written yet."""
    parts = path.split('/')[:-1]
    for i in range(1, len(parts) + 1):
        d = '/'.join(parts[:i])
        if d not in made:
            w.directory(d)
            made.add(d)


def build(kernel_pkg, busybox_deb, init, wanted, out):
    moddir = modules_dir(kernel_pkg)
    version = moddir.name
    order = load_order(wanted, index_modules(moddir), moddir)
    busybox = busybox_from_deb(busybox_deb)
    applets = busybox_applets(busybox)

    raw = io.BytesIO()
    w = CpioWriter(raw)
    made = set()
    for d in ('dev', 'proc', 'sys', 'tmp', 'etc', 'root'):
        w.directory(d)
        made.add(d)
    # The kernel opens /dev/console for init before /init can mount devtmpfs.
    w.char_device('dev/console', 5, 1, 0o600)
    w.char_device('dev/null', 1, 3, 0o666)
    w.file('init', Path(init).read_bytes(), 0o755)
    add_parents(w, BUSYBOX, made)
    w.file(BUSYBOX, busybox, 0o755)
    for applet in applets:
        add_parents(w, applet, made)
        w.symlink(applet, '/' + BUSYBOX)

    base = f'lib/modules/{version}'
    for _, rel, elf, _ in order:
        add_parents(w, f'{base}/{rel}', made)
        w.file(f'{base}/{rel}', elf)
    w.file('etc/modules-load', ''.join(rel + '\n' for _, rel, _, _ in order).encode())
    w.file(f'{base}/modules.dep', modules_dep(order).encode())
    w.close()

    tmp = out + '.tmp'
    with open(tmp, 'wb') as f, gzip.GzipFile(fileobj=f, mode='wb', mtime=0,
                                            compresslevel=9) as gz:
        gz.write(raw.getvalue())
    os.replace(tmp, out)
    return version, [n for n, _, _, _ in order], len(applets), raw.tell()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--kernel-pkg', required=True)
    p.add_argument('--busybox-deb', required=True)
    p.add_argument('--init', required=True)
    p.add_argument('--out', required=True)
    p.add_argument('modules', nargs='*')
    a = p.parse_args(argv[1:])
    try:
        version, modules, napplets, size = build(a.kernel_pkg, a.busybox_deb, a.init,
                                                 a.modules, a.out)
    except (BuildError, OSError, subprocess.CalledProcessError) as e:
        print(f'mkinitramfs: {e}', file=sys.stderr)
        return 1
    print(f'mkinitramfs: {a.out}: kernel {version}, busybox with {napplets} applets, '
          f'modules {" ".join(modules)}; {size} bytes, '
          f'{os.path.getsize(a.out)} compressed')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
