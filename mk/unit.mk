# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests. Each tests/**/unit.mk fragment adds its tests:
#   UNIT_TESTS += frame_test
#   frame_test_SRCS := tests/hypervisor/mm/frame_test.c hypervisor/mm/frame.c ...
# and each becomes $(HOSTB)/tests/NAME, linked with tests/lib/check.c.

UNIT_TESTS :=
include $(shell find tests -name unit.mk | sort)

UNIT_BINS := $(patsubst %,$(HOSTB)/tests/%,$(UNIT_TESTS))

# A test sees what the program under test sees, no more: tests of kernel
# code get hypervisor/, of the UEFI stage firmware/; tests of common/,
# guests/ and policy/ code get neither, so shared code that reached into
# the kernel would fail to build here too.
unit_includes = $(strip $(if $(filter tests/hypervisor/%,$(1)),-Ihypervisor) \
                        $(if $(filter tests/firmware/%,$(1)),-Ifirmware))

define unit_rule
$(HOSTB)/tests/$(1): $$($(1)_SRCS) tests/lib/check.c tests/lib/check.h
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HOSTCFLAGS) $$(call unit_includes,$$(firstword $$($(1)_SRCS))) \
	           $$($(1)_CFLAGS) $$($(1)_SRCS) tests/lib/check.c -o $$@
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

.PHONY: unit-tests
unit-tests: $(UNIT_BINS)
