# SPDX-License-Identifier: GPL-2.0-only
# The Linux VMs' monitor (vmm/, docs/monitor.md): $(GUESTB)/vmm.elf, a
# native VM image linked with the guest runtime like an app, from every
# .c under vmm/ plus the common/lib/ code the runtime archive does not
# hold. Added to GUEST_ELFS, so it is built by `make all` and goes into the
# bundle, where a policy's `monitor { image vmm.elf; }` finds it. Included
# after mk/guests.mk (its flags and runtime) and before mk/image.mk (the
# bundle's prerequisites).

VMM_SRCS := $(shell find vmm -name '*.c' | sort)
VMM_LIBSRCS := common/lib/byte_fifo.c common/lib/sha256.c common/lib/hex.c
VMM_OBJS := $(patsubst %,$(GUESTB)/vmm/%.o,$(VMM_SRCS) $(VMM_LIBSRCS))
VMM_ELF := $(GUESTB)/vmm.elf

$(GUESTB)/vmm/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -Ivmm -c $< -o $@

$(VMM_ELF): $(GUEST_RT_START) $(VMM_OBJS) $(GUEST_RT_LIB) $(GUEST_LDS)
	$(LD) $(GUEST_LDFLAGS) $(GUEST_RT_START) $(VMM_OBJS) $(GUEST_RT_LIB) -o $@

GUEST_ELFS += $(VMM_ELF)

.PHONY: vmm
vmm: $(VMM_ELF)

-include $(VMM_OBJS:.o=.d)
