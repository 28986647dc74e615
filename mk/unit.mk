# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests. Each tests/**/unit.mk fragment adds its tests:
#   UNIT_TESTS += frame_test
#   frame_test_SRCS := tests/hypervisor/mm/frame_test.c hypervisor/mm/frame.c ...
# and each becomes $(HOSTB)/tests/NAME, linked with tests/lib/check.c.

UNIT_TESTS :=
include $(shell find tests -name unit.mk | sort)

UNIT_BINS := $(patsubst %,$(HOSTB)/tests/%,$(UNIT_TESTS))

define unit_rule
$(HOSTB)/tests/$(1): $$($(1)_SRCS) tests/lib/check.c tests/lib/check.h
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HOSTCFLAGS) $$($(1)_CFLAGS) $$($(1)_SRCS) tests/lib/check.c -o $$@
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

.PHONY: unit-tests
unit-tests: $(UNIT_BINS)
