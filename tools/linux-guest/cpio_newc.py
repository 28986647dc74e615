# SPDX-License-Identifier: GPL-2.0-only
"""A writer of "newc" cpio archives, the format of a Linux initramfs
(Documentation/driver-api/early-userspace/buffer-format.rst), that needs
no root: device nodes, owners and modes are written as data, never made
on the host.

Each entry is the magic "070701", thirteen 8-digit hexadecimal fields
(ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
rdevmajor, rdevminor, namesize, check), the name with its NUL, padding to
a multiple of 4 bytes, then the data, padded again. A symlink's data is
its target. The archive ends with an entry named "TRAILER!!!".

Everything is owned by root, dated 0 and numbered in order of writing,
so the same entries always give the same bytes. A path's parent directory
must be written before it, since the kernel unpacks entries in order and
makes no missing directory. Every entry has one link
(directories two), since the kernel treats entries with more as hard
links of one another.

    with open(path, 'wb') as f:
        w = CpioWriter(f)
        w.directory('dev')
        w.char_device('dev/console', 5, 1)
        w.file('init', text, 0o755)
        w.symlink('bin/sh', 'busybox')
        w.close()
"""

import stat

MAGIC = b'070701'
TRAILER = 'TRAILER!!!'
FIELD_MAX = 0xffffffff


class CpioError(ValueError):
    pass


def check_name(name):
    """An archive path: relative, no empty, "." or ".." part, no NUL."""
    parts = name.split('/')
    if not name or name.startswith('/') or '\0' in name or \
            any(p in ('', '.', '..') for p in parts):
        raise CpioError(f'bad path in archive: {name!r}')


class CpioWriter:
    def __init__(self, out):
        self.out = out
        self.offset = 0
        self.next_ino = 1
        self.names = set()
        self.directories = set()
        self.closed = False

    def _pad(self):
        pad = -self.offset % 4
        self._write(b'\0' * pad)

    def _write(self, data):
        self.out.write(data)
        self.offset += len(data)

    def _entry(self, name, mode, data=b'', nlink=1, rdev=(0, 0)):
        if self.closed:
            raise CpioError('the archive is closed')
        if name != TRAILER:
            check_name(name)
            if name in self.names:
                raise CpioError(f'{name} is in the archive twice')
            parent = name.rpartition('/')[0]
            if parent and parent not in self.directories:
                raise CpioError(f'{name}: its directory {parent} is not in the archive yet')
            self.names.add(name)
        if len(data) > FIELD_MAX:
            raise CpioError(f'{name} is too large for newc ({len(data)} bytes)')
        encoded = name.encode() + b'\0'
        ino = 0 if name == TRAILER else self.next_ino
        self.next_ino += name != TRAILER
        fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(encoded), 0)
        self._write(MAGIC + b''.join(b'%08X' % v for v in fields))
        self._write(encoded)
        self._pad()
        self._write(data)
        self._pad()

    def directory(self, name, mode=0o755):
        self._entry(name, stat.S_IFDIR | mode, nlink=2)
        self.directories.add(name)

    def file(self, name, data, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, bytes(data))

    def symlink(self, name, target):
        if not target:
            raise CpioError(f'{name}: a symlink needs a target')
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor, mode=0o600):
        if not (0 <= major <= FIELD_MAX and 0 <= minor <= FIELD_MAX):
            raise CpioError(f'{name}: bad device number {major}:{minor}')
        self._entry(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def close(self):
        """Writes the trailer; the archive takes no more entries."""
        self._entry(TRAILER, 0)
        self.closed = True
