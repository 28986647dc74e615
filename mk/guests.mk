# SPDX-License-Identifier: GPL-2.0-only
# Native app VM images (guests/README.md, docs/guest-abi.md).
#
# An app is one folder guests/apps/NAME/ holding main.c (and any other .c
# files) plus one line below. It becomes $(B)/guests/NAME.elf, linked with
# the runtime in guests/runtime/. Per-app flags: guest_NAME_CFLAGS := ...

GUEST_APPS += hello
GUEST_APPS += ticker
GUEST_APPS += isolation
GUEST_APPS += bench
GUEST_APPS += echo-server
GUEST_APPS += echo-client
GUEST_APPS += chan-bench
GUEST_APPS += cli
GUEST_APPS += scrub-check
GUEST_APPS += sched-probe
GUEST_APPS += monitor-probe
GUEST_APPS += console-echo
GUEST_APPS += dma-probe

B    ?= build
NASM ?= nasm
AR   ?= ar

GUESTB := $(B)/guests
GUEST_LDS := guests/runtime/guest.lds

# Guests may use SSE (CR4.OSFXSR is set for them); the rest matches the
# kernel's freestanding rules. No PIC: images are ET_EXEC at a fixed address.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
                -fno-pic -fno-pie -mno-red-zone -mcmodel=small \
                -fno-stack-protector -fno-strict-aliasing \
                -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
                -MMD -MP -Iinclude -Icommon -Iguests/runtime/include
GUEST_NASMFLAGS := -f elf64 -g -F dwarf -MD
GUEST_LDFLAGS := -static -nostdlib -no-pie -z max-page-size=4096 \
                 -z noexecstack --no-undefined -T $(GUEST_LDS)

# The runtime, plus the kernel's own formatter and string functions built
# from the same sources (no copies to drift apart).
GUEST_RT_SRCS := $(sort $(wildcard guests/runtime/*.c))
GUEST_RT_LIBSRCS := common/lib/format.c common/lib/string.c common/lib/names.c \
                    common/lib/channel_ring.c common/lib/hex.c
GUEST_RT_OBJS := $(patsubst guests/runtime/%,$(GUESTB)/runtime/%.o,$(GUEST_RT_SRCS)) \
                 $(patsubst common/lib/%,$(GUESTB)/runtime/lib/%.o,$(GUEST_RT_LIBSRCS))
GUEST_RT_START := $(GUESTB)/runtime/start.asm.o
GUEST_RT_LIB := $(GUESTB)/runtime/libbhrt.a

GUEST_ELFS := $(patsubst %,$(GUESTB)/%.elf,$(GUEST_APPS))

$(GUESTB)/runtime/%.c.o: guests/runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUESTB)/runtime/lib/%.c.o: common/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_RT_START): guests/runtime/start.asm
	@mkdir -p $(dir $@)
	$(NASM) $(GUEST_NASMFLAGS) $(@:.o=.d) $< -o $@

$(GUEST_RT_LIB): $(GUEST_RT_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(GUESTB)/apps/%.c.o: guests/apps/%.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) $(guest_$(firstword $(subst /, ,$*))_CFLAGS) -c $< -o $@

# One image per app: _start first, the app's objects, then whatever the
# runtime archive members they need.
define guest_app_rule
GUEST_$(1)_OBJS := $$(patsubst guests/apps/%,$(GUESTB)/apps/%.o,$$(sort $$(wildcard guests/apps/$(1)/*.c)))
$(GUESTB)/$(1).elf: $(GUEST_RT_START) $$(GUEST_$(1)_OBJS) $(GUEST_RT_LIB) $(GUEST_LDS)
	$(LD) $(GUEST_LDFLAGS) $(GUEST_RT_START) $$(GUEST_$(1)_OBJS) $(GUEST_RT_LIB) -o $$@
GUEST_APP_OBJS += $$(GUEST_$(1)_OBJS)
endef
GUEST_APP_OBJS :=
$(foreach a,$(GUEST_APPS),$(eval $(call guest_app_rule,$(a))))

.PHONY: guests
guests: $(GUEST_ELFS)

-include $(GUEST_RT_OBJS:.o=.d) $(GUEST_RT_START:.o=.d) $(GUEST_APP_OBJS:.o=.d)
