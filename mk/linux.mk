# SPDX-License-Identifier: GPL-2.0-only
# The Linux guest (docs/linux-guest.md): Debian's stock kernel, booted
# through PVH, and its initramfs. Built from Debian packages that
# tools/linux-guest/fetch.sh downloads with apt-get and never installs.
# Included by the top-level Makefile before mk/image.mk, whose bundle
# names LINUX_GUEST_FILES.
#
#   linux-guest      builds LINUX_VMLINUX and LINUX_INITRAMFS
#   linux-fetch      only fetches the packages (the set-up step; make deps
#                    installs the host tools, not these, since make test
#                    does not use the guest yet)
#   LINUX_DEBS       where the packages are kept: build/linux/debs unless
#                    given (make linux-guest LINUX_DEBS=~/cache), so a
#                    cache outside build/ survives make clean. Remove the
#                    links in it to fetch what linux-image-amd64 depends on now.
#   LINUX_VMLINUX    the kernel, an ELF file the monitor loads (PVH)
#   LINUX_INITRAMFS  busybox, /init and LINUX_MODULES with their
#                    dependencies, as a gzipped newc cpio archive
#   LINUX_MODULES    the modules the guest loads at boot: the virtio
#                    transport the monitor offers (virtio-mmio, found
#                    through ACPI) and the devices behind it. Built in, so
#                    not listed: the 8250 UART, ACPI, the APIC drivers.
#   PVH_INFO         build/host/pvh-info: checks a vmlinux with the monitor's
#                    own reader (vmm/loader/pvh.c)
#
# Part of `make all`: the default system's bundle carries the kernel and
# the initramfs for its Linux template (policy/examples/default.policy).
# The first build downloads 71 MB and unpacks 400 MB; keep LINUX_DEBS
# outside build/ to fetch only once.

LINUX_DIR       := $(B)/linux
LINUX_DEBS      ?= $(LINUX_DIR)/debs
LINUX_PKG       := $(LINUX_DIR)/pkg
LINUX_VMLINUX   := $(LINUX_DIR)/vmlinux
LINUX_INITRAMFS := $(LINUX_DIR)/initramfs.cpio.gz
LINUX_MODULES   ?= virtio_mmio virtio_console virtio_net
# What the default system's bundle carries for its Linux template.
LINUX_GUEST_FILES := $(LINUX_VMLINUX) $(LINUX_INITRAMFS)
PVH_INFO        := $(HOSTB)/pvh-info

.PHONY: linux-guest linux-fetch
linux-guest: $(LINUX_VMLINUX) $(LINUX_INITRAMFS)
linux-fetch: $(LINUX_DEBS)/linux-image.deb $(LINUX_DEBS)/busybox-static.deb

$(LINUX_DEBS)/linux-image.deb $(LINUX_DEBS)/busybox-static.deb &:
	tools/linux-guest/fetch.sh $(LINUX_DEBS)

# The whole package, unpacked once: the kernel and the modules are read
# from here. dpkg-deb -x only unpacks; nothing is installed or configured.
$(LINUX_PKG)/.unpacked: $(LINUX_DEBS)/linux-image.deb
	rm -rf $(LINUX_PKG)
	mkdir -p $(LINUX_DIR)
	dpkg-deb -x $< $(LINUX_PKG)
	touch $@

# Exactly one kernel per package; its name carries the version, which the
# build never spells.
$(LINUX_VMLINUX): $(LINUX_PKG)/.unpacked tools/linux-guest/extract_vmlinux.py $(PVH_INFO)
	set -- $(LINUX_PKG)/boot/vmlinuz-*; \
	if [ $$# -ne 1 ] || [ ! -f "$$1" ]; then \
		echo "linux.mk: want one boot/vmlinuz-* in $(LINUX_PKG), found: $$*" >&2; exit 1; \
	fi; \
	python3 tools/linux-guest/extract_vmlinux.py "$$1" $@.new
	$(PVH_INFO) $@.new
	mv $@.new $@

$(LINUX_INITRAMFS): $(LINUX_PKG)/.unpacked $(LINUX_DEBS)/busybox-static.deb \
                    tools/linux-guest/mkinitramfs.py tools/linux-guest/cpio_newc.py \
                    tools/linux-guest/init
	python3 tools/linux-guest/mkinitramfs.py --kernel-pkg $(LINUX_PKG) \
	        --busybox-deb $(LINUX_DEBS)/busybox-static.deb \
	        --init tools/linux-guest/init --out $@ $(LINUX_MODULES)

$(PVH_INFO): tools/linux-guest/pvh_info.c vmm/loader/pvh.c vmm/loader/pvh.h \
             common/lib/elf64_format.h common/lib/string.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Icommon -Ivmm \
	          tools/linux-guest/pvh_info.c vmm/loader/pvh.c -o $@

# Built with the host tests, so it keeps compiling while linux-guest is
# not part of make all.
unit-tests: $(PVH_INFO)
