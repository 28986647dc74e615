# SPDX-License-Identifier: GPL-2.0-only
# The monitor's code builds freestanding, against vmm/ and common/lib/
# only. The runner is given the guests' real flags.
$(HOSTB)/tests/vmm_freestanding: tests/vmm/freestanding.sh mk/guests.mk
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\ncd %s && exec %s %s %s\n' '$(CURDIR)' '$(CURDIR)/$<' \
	        '$(CC)' "'$(GUEST_CFLAGS)'" > $@
	@chmod +x $@

unit-tests: $(HOSTB)/tests/vmm_freestanding
