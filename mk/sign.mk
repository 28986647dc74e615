# SPDX-License-Identifier: GPL-2.0-only
# make sign KEY=key.pem CERT=cert.pem: the application signed for UEFI Secure
# Boot (tools/sign.sh) and a boot volume around it, in build/signed/. The
# signature covers the policy and every guest image too, since they are
# inside the application (docs/boot.md, "Chain of trust").
SIGNED_DIR := $(B)/signed

.PHONY: sign
sign: $(BOOT_EFI)
	@[[ -n "$(KEY)" && -n "$(CERT)" ]] || { echo "usage: make sign KEY=key.pem CERT=cert.pem" >&2; exit 1; }
	tools/sign.sh $(SIGNED_DIR)/BOOTX64.EFI $(BOOT_EFI) "$(KEY)" "$(CERT)"
	tools/mkimage.sh $(SIGNED_DIR)/bulkhead.img $(SIGNED_DIR)/BOOTX64.EFI
	tools/mkgpt.sh $(SIGNED_DIR)/bulkhead-gpt.img $(SIGNED_DIR)/BOOTX64.EFI
