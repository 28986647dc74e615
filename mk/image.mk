# SPDX-License-Identifier: GPL-2.0-only
# The Bulkhead image: UEFI stage (firmware/) + kernel (hypervisor/) linked
# into one PE/COFF application (bulkhead.efi), the boot bundle added to it
# (BOOTX64.EFI), then the FAT boot volume around that.

# asm_offsets.c is compiled to assembly for its constants, never linked.
# The channel rings are for the ends of channels (guests, monitors); the
# kernel never reads a channel's memory, so they stay out of its image.
KERNEL_UNUSED_C := %/asm_offsets.c common/lib/channel_ring.c
KSRCS_C   := $(filter-out $(KERNEL_UNUSED_C),$(shell find hypervisor common firmware -name '*.c' | sort))
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
EFI_LINK = $(LD) -nostdlib -znocombreloc -z noexecstack -T $(EFI_LDS) -shared -Bsymbolic \
           --no-undefined $(EFI_CRT0) $(KOBJS) $(1) -L/usr/lib -lgnuefi -o $(2)

# The kernel's symbol table for backtraces (kernel/ksym.h), in two links:
# the first with an empty table, the second with the first's functions. The
# table is read-only data linked last, so no function moves between the two
# (tools/mksyms.py --check proves it). Generated files live in $(B)/gen, so
# they are not counted as TCB source (tools/tcb.py).
KSYMS := $(B)/gen/ksyms
$(KSYMS)-empty.c: tools/mksyms.py
	@mkdir -p $(dir $@)
	python3 tools/mksyms.py --empty $@

$(KSYMS).c: $(B)/bulkhead-nosyms.so tools/mksyms.py
	python3 tools/mksyms.py $< $@

$(KSYMS).o $(KSYMS)-empty.o: %.o: %.c
	$(CC) $(KCFLAGS) -c $< -o $@

$(B)/bulkhead-nosyms.so: $(KOBJS) $(EFI_LDS) $(KSYMS)-empty.o
	$(call EFI_LINK,$(KSYMS)-empty.o,$@)

# The image gdb reads symbols from (make debug, docs/debugging.md).
$(B)/bulkhead.so: $(KOBJS) $(EFI_LDS) $(KSYMS).o
	$(call EFI_LINK,$(KSYMS).o,$@)
	python3 tools/mksyms.py --check $@ $(KSYMS).c

$(B)/bulkhead.efi: $(B)/bulkhead.so
	$(OBJCOPY) -j .text -j .rodata -j .data -j .dynamic -j .dynsym -j .rel \
	           -j .rela -j .reloc --target=efi-app-x86_64 $< $@

# The boot bundle (docs/bundle.md), packed into the application below.
BUNDLE_DIR := $(B)/bundle
# mkbundle.sh runs every time (CMDLINE is not a file) but rewrites MANIFEST
# only when some content changed, so the image follows content. The bundle:
# boot options, the compiled policy (mk/policy.mk) and every guest image.
$(BUNDLE_DIR)/MANIFEST: tools/mkbundle.sh $(POLICY_BIN) $(GUEST_ELFS) $(LINUX_GUEST_FILES) \
                        $(DRIVERS_VM_FILES) FORCE
	@tools/mkbundle.sh $(BUNDLE_DIR) "$(CMDLINE)" $(POLICY_BIN) $(GUEST_ELFS) \
	                   $(LINUX_GUEST_FILES) $(DRIVERS_VM_FILES)

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
