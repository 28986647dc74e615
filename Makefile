# SPDX-License-Identifier: GPL-2.0-only
# Bulkhead build. `make` builds build/bulkhead.img; `make run` boots it;
# `make test` runs every test. See README.md.

.DEFAULT_GOAL := all
SHELL := /bin/bash

B        := build
HOSTB    := $(B)/host
EMU      ?= auto
CPUS     ?= 1
POLICY   ?=
CMDLINE  ?=
BOOT     ?= disk

CC       := gcc
NASM     := nasm
LD       := ld
OBJCOPY  := objcopy
HOSTCC   := gcc

# Kernel and UEFI stage: one freestanding, position-independent image that
# relocates itself (gnu-efi's crt0). No SSE in the kernel: guest vector state
# must survive VM exits untouched.
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fpic \
           -fvisibility=hidden -fno-stack-protector -fno-strict-aliasing \
           -fshort-wchar -mno-red-zone -mgeneral-regs-only \
           -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
           -DGNU_EFI_USE_MS_ABI -MMD -MP \
           -Iinclude -Icommon -Ihypervisor -Ifirmware \
           -isystem /usr/include/efi -isystem /usr/include/efi/x86_64
NASMFLAGS := -f elf64 -g -F dwarf -MD

# Host unit tests of pure modules: same sources, with sanitizers. Each test
# adds the include paths of the program it tests (mk/unit.mk).
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
              -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer -Iinclude -Icommon -Itests/lib

# Order matters: prerequisites expand when read, so a fragment comes after
# those whose variables its rules name.
include mk/guests.mk
include mk/vmm.mk
include mk/policy.mk
include mk/linux.mk
include mk/drivers-vm.mk
include mk/image.mk
include mk/sign.mk
include mk/netboot.mk
include mk/unit.mk

.PHONY: all deps run debug test bench soak clean help
all: $(B)/bulkhead.img $(B)/bulkhead-gpt.img $(GUEST_ELFS)

deps:
	@tools/deps.sh

help:
	@echo "make            build build/bulkhead.img"
	@echo "make run        install, build, boot in the best emulator (EMU=auto|bochs|qemu|kvm)"
	@echo "make debug      make run under QEMU with its gdb stub; writes build/debug.gdb (docs/debugging.md)"
	@echo "make test       install, build, run every test"
	@echo "make bench      boot the benchmark systems on both back ends (Bochs, QEMU), print bench: lines"
	@echo "make soak       10,000 VM launch/stop cycles through the CLI under Bochs"
	@echo "make netboot    boot over QEMU's network through iPXE (= make run BOOT=net)"
	@echo "make sign KEY=key.pem CERT=cert.pem   sign for Secure Boot: build/signed/"
	@echo "make tcb        the kernel's and the UEFI stage's code lines, as bench: lines"
	@echo "make linux-guest  fetch Debian's kernel and busybox, build build/linux/ (docs/linux-guest.md)"
	@echo "make fuzz       run the policy fuzzers for FUZZ_TIME seconds each"
	@echo "make clean      remove build/"

# make run POLICY=FILE boots the system another policy describes; CPUS=N
# gives the emulator N CPUs (the kernel uses the boot CPU only); BOOT=net
# boots it over QEMU's network instead of from a disk (mk/netboot.mk).
run: deps
ifeq ($(BOOT),net)
	@$(MAKE) --no-print-directory all netboot-dir
	@python3 tools/emu.py run --emu $(EMU) --cpus $(CPUS) --netboot $(NETBOOT_DIR) --policy $(POLICY_SRC)
else
	@$(MAKE) --no-print-directory all
	@python3 tools/emu.py run --emu $(EMU) --cpus $(CPUS) --image $(B)/bulkhead.img --policy $(POLICY_SRC)
endif

# The system under QEMU with its gdb stub: once the kernel says where the
# firmware loaded it, build/debug.gdb holds what `gdb -x build/debug.gdb`
# needs, the symbols at that address and the stub (docs/debugging.md).
debug: deps
	@$(MAKE) --no-print-directory all
	@rm -f $(B)/debug.gdb
	@python3 tools/emu.py run --emu qemu --image $(B)/bulkhead.img \
	         --gdb $(B)/debug.gdb --symbols $(B)/bulkhead.so

test: deps
	@$(MAKE) --no-print-directory all unit-tests policy-tests
	@python3 tests/run.py --build $(B)

# Performance figures (docs/benchmarks.md): never part of make test.
bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_PVH_ROM) $(BENCH_ACPI_DUMP)
	@python3 tests/bench/run.py --build $(B)

# The system ROM of the bare Linux boot on Bochs (tests/bench/linux_bare.py).
BENCH_PVH_ROM := $(B)/bench/pvh_rom.bin
$(BENCH_PVH_ROM): tests/bench/pvh_rom.asm
	@mkdir -p $(dir $@)
	$(NASM) -f bin -o $@ $<

# The monitor's ACPI tables for that boot's second figure (vmm/acpi/).
BENCH_ACPI_DUMP := $(B)/bench/acpi-tables-dump
BENCH_ACPI_SRCS := tests/bench/acpi_tables_dump.c vmm/acpi/tables.c vmm/acpi/platform_check.c \
                   vmm/acpi/dsdt.c vmm/acpi/aml.c
$(BENCH_ACPI_DUMP): $(BENCH_ACPI_SRCS) $(wildcard vmm/acpi/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Icommon -Ivmm \
	          $(BENCH_ACPI_SRCS) -o $@

# 10,000 launch/stop cycles through the CLI (tests/soak/run.py): long, never in make test.
soak: deps
	@$(MAKE) --no-print-directory all
	@python3 tests/soak/run.py --build $(B)

# The trusted computing base in code lines, from the kernel objects'
# dependency files (tools/tcb.py); make bench prints the same lines.
.PHONY: tcb
tcb: $(B)/bulkhead.img
	@python3 tools/tcb.py --root . $(B)

clean:
	rm -rf $(B)
