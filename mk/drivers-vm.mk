# SPDX-License-Identifier: GPL-2.0-only
# Driver VMs (docs/driver-vm.md): Linux VMs that own a passed-through
# device and serve it to other VMs over channels. Each runs the Linux
# guest's kernel (LINUX_VMLINUX, mk/linux.mk) with an initramfs of its own,
# made by the same builder (tools/linux-guest/mkinitramfs.py) from the same
# packages, with its own /init and more modules. Included by the top-level
# Makefile after mk/linux.mk and before mk/image.mk, whose bundle carries
# DRIVERS_VM_FILES beside the Linux guest's files.
#
#   drivers-vm       builds every driver VM's initramfs (and the kernel)
#   NETVM_INITRAMFS  the network driver VM's (drivers-vm/net/): its bundle
#                    name, netvm-initramfs.cpio.gz, is what
#                    policy/examples/net.policy names
#   NETVM_MODULES    the NIC's driver, the bridge (stp and llc come with
#                    it, from its dependencies) and the Linux guest's
#                    virtio set, for the channels to app VMs

NETVM_DIR       := $(B)/drivers-vm
NETVM_INITRAMFS := $(NETVM_DIR)/netvm-initramfs.cpio.gz
NETVM_MODULES   := e1000e bridge $(LINUX_MODULES)
DRIVERS_VM_FILES := $(NETVM_INITRAMFS)

.PHONY: drivers-vm
drivers-vm: $(LINUX_VMLINUX) $(DRIVERS_VM_FILES)

$(NETVM_INITRAMFS): $(LINUX_PKG)/.unpacked $(LINUX_DEBS)/busybox-static.deb \
                    tools/linux-guest/mkinitramfs.py tools/linux-guest/cpio_newc.py \
                    drivers-vm/net/init
	@mkdir -p $(dir $@)
	python3 tools/linux-guest/mkinitramfs.py --kernel-pkg $(LINUX_PKG) \
	        --busybox-deb $(LINUX_DEBS)/busybox-static.deb \
	        --init drivers-vm/net/init --out $@ $(NETVM_MODULES)
