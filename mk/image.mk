# SPDX-License-Identifier: GPL-2.0-only
# The Bulkhead image: UEFI stage (firmware/) + kernel (hypervisor/) linked
# into one PE/COFF application (bulkhead.efi), the boot bundle added to it
# (BOOTX64.EFI), then the FAT boot volume around that.

# asm_offsets.c is compiled to assembly for its constants, never linked.
KSRCS_C   := $(filter-out %/asm_offsets.c,$(shell find hypervisor common firmware -name '*.c' | sort))
KSRCS_ASM := $(shell find hypervisor common firmware -name '*.asm' | sort)
KOBJS     := $(patsubst %,$(B)/k/%.o,$(KSRCS_C) $(KSRCS_ASM))
EFI_LDS   := firmware/efi/bulkhead.lds
EFI_CRT0  := /usr/lib/crt0-efi-x86_64.o

$(B)/k/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.asm.o: %.asm $(B)/gen/asm_offsets.inc
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) $(@:.o=.d) -Ihypervisor/ -I$(B)/gen/ $< -o $@

# Struct offsets and constants for NASM, generated from C (docs/style.md, rule 11).
$(B)/gen/asm_offsets.inc: hypervisor/arch/x86/vmx/asm_offsets.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MF $(B)/gen/asm_offsets.d -MT $@ -S $< -o - | \
	  sed -n 's/.*->\([A-Z_0-9]*\) \$$\?\(-\?[0-9]*\).*/%define \1 \2/p' > $@.tmp
	@mv $@.tmp $@

# -Bsymbolic + -shared: every internal reference resolves inside the image and
# the remaining R_X86_64_RELATIVE relocations are applied by crt0 at start.
$(B)/bulkhead.so: $(KOBJS) $(EFI_LDS)
	$(LD) -nostdlib -znocombreloc -z noexecstack -T $(EFI_LDS) -shared -Bsymbolic \
	      --no-undefined $(EFI_CRT0) $(KOBJS) -L/usr/lib -lgnuefi -o $@

$(B)/bulkhead.efi: $(B)/bulkhead.so
	$(OBJCOPY) -j .text -j .rodata -j .data -j .dynamic -j .dynsym -j .rel \
	           -j .rela -j .reloc --target=efi-app-x86_64 $< $@

# The boot bundle (docs/bundle.md), packed into the application below.
BUNDLE_DIR := $(B)/bundle
# mkbundle.sh runs every time (CMDLINE is not a file) but rewrites MANIFEST
# only when some content changed, so the image follows content. The bundle:
# boot options, the compiled policy (mk/policy.mk) and every guest image.
$(BUNDLE_DIR)/MANIFEST: tools/mkbundle.sh $(POLICY_BIN) $(GUEST_ELFS) FORCE
	@tools/mkbundle.sh $(BUNDLE_DIR) "$(CMDLINE)" $(POLICY_BIN) $(GUEST_ELFS)

# The application that boots: bulkhead.efi with the bundle as its PE section
# ".bundle", so one signature covers both (docs/boot.md, "Chain of trust").
BOOT_EFI := $(B)/BOOTX64.EFI
$(BOOT_EFI): $(B)/bulkhead.efi $(BUNDLE_DIR)/MANIFEST tools/mkefi.sh
	tools/mkefi.sh $@ $(B)/bulkhead.efi $(BUNDLE_DIR)

# The bare FAT volume (for an existing ESP) and a GPT disk around the same
# files (for a USB stick).
$(B)/bulkhead.img: $(BOOT_EFI) tools/mkimage.sh
	tools/mkimage.sh $@ $(BOOT_EFI)

$(B)/bulkhead-gpt.img: $(BOOT_EFI) tools/mkgpt.sh tools/mkimage.sh
	tools/mkgpt.sh $@ $(BOOT_EFI)

.PHONY: FORCE
FORCE:

-include $(KOBJS:.o=.d) $(B)/gen/asm_offsets.d
