# SPDX-License-Identifier: GPL-2.0-only
# Network boot (docs/boot.md, "Network boot"): build/netboot/ is what a TFTP
# or HTTP server hands out, the iPXE script and the application (its boot
# bundle inside it). `make netboot` (= `make run BOOT=net`) boots it under
# QEMU: iPXE's EFI ROM on the NIC, QEMU's user network and TFTP server, no
# disk.
NETBOOT_DIR   := $(B)/netboot
NETBOOT_FILES := $(NETBOOT_DIR)/boot.ipxe $(NETBOOT_DIR)/BOOTX64.EFI

$(NETBOOT_DIR)/boot.ipxe: firmware/netboot/boot.ipxe
	@mkdir -p $(dir $@)
	cp $< $@

$(NETBOOT_DIR)/BOOTX64.EFI: $(BOOT_EFI)
	@mkdir -p $(dir $@)
	cp $< $@

.PHONY: netboot netboot-dir
netboot-dir: $(NETBOOT_FILES)

netboot:
	@$(MAKE) --no-print-directory run BOOT=net
