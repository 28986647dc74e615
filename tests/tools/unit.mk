# SPDX-License-Identifier: GPL-2.0-only
# Host test of tools/tcb.py: a Python script, installed beside the unit-test
# binaries so tests/run.py runs it with them (it prints "ok - X" lines too).
$(HOSTB)/tests/tcb_test: tests/tools/tcb_test.py
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec python3 %s "$$@"\n' '$(CURDIR)/$<' > $@
	chmod +x $@

unit-tests: $(HOSTB)/tests/tcb_test
