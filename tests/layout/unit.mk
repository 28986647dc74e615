# SPDX-License-Identifier: GPL-2.0-only
# The include walls: a guest or the policy compiler that includes a kernel
# header must fail to build. The runner is given the programs' real flags.
$(HOSTB)/tests/include_walls: tests/layout/include_walls.sh mk/guests.mk mk/policy.mk
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\ncd %s && exec %s %s %s %s\n' '$(CURDIR)' '$(CURDIR)/$<' \
	        '$(CC)' "'$(GUEST_CFLAGS)'" "'$(POLICY_CFLAGS)'" > $@
	@chmod +x $@

unit-tests: $(HOSTB)/tests/include_walls
