# SPDX-License-Identifier: GPL-2.0-only
# Host tests of the Python tools (tools/tcb.py, tools/bundle_pcr.py): each is
# installed beside the unit-test binaries so tests/run.py runs it with them
# (they print "ok - X" lines too).
TOOL_TESTS := tcb_test bundle_pcr_test

$(HOSTB)/tests/%_test: tests/tools/%_test.py
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec python3 %s "$$@"\n' '$(CURDIR)/$<' > $@
	chmod +x $@

unit-tests: $(patsubst %,$(HOSTB)/tests/%,$(TOOL_TESTS))
